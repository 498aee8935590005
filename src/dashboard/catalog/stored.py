"""Frameworks staff imported from plan files, merged into the catalog beside the shipped ones.

This is the one place where stored frameworks join `catalog.frameworks`: a stored framework with the id
of a shipped one takes its place (intrekken brings the shipped one back); regions defined in a plan file
join `catalog.areas`. A stored framework that names something the catalog no longer knows is left out,
with the reason, so that no page breaks on it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dashboard.catalog.models import Area, Catalog, Framework
from dashboard.catalog.serialize import from_dict


def reference_problems(framework: Framework, catalog: Catalog) -> list[str]:
    """What the framework names that the catalog does not know, in Dutch."""
    problems: list[str] = []
    indicators = [*framework.headline_indicators, *(i for t in framework.themes for i in t.all_indicators)]
    indicators += [i for g in framework.goals for i, _rule in g.indicator_targets]
    indicators += [i for g in framework.goals for i in g.budget_indicators]
    for indicator_id in dict.fromkeys(indicators):
        if indicator_id not in catalog.indicators:
            problems.append(f"indicator ‘{indicator_id}’ bestaat niet (meer)")
    areas = [*framework.areas, *framework.reference_areas, *(c for g in framework.goals for c in g.baseline_areas)]
    for code in dict.fromkeys(areas):
        if code not in catalog.areas:
            problems.append(f"gebied ‘{code}’ bestaat niet (meer)")
    if not framework.areas:
        problems.append("het kader noemt geen gemeente")
    return problems


def with_stored_frameworks(catalog: Catalog, definitions: list[dict[str, Any]]) -> tuple[Catalog, list[str]]:
    """The catalog plus the stored frameworks (and their regions); and why any stored one was left out."""
    if not definitions:
        return catalog, []
    areas = dict(catalog.areas)
    for definition in definitions:
        for raw in definition.get("regions", []):
            region = from_dict(Area, raw)
            areas.setdefault(region.code, region)
    merged = replace(catalog, areas=areas)
    frameworks = dict(catalog.frameworks)
    skipped: list[str] = []
    for definition in definitions:
        framework = from_dict(Framework, definition["framework"])
        problems = reference_problems(framework, merged)
        if problems:
            skipped.append(f"Kader ‘{framework.name}’ ({framework.id}) wordt niet getoond: " + "; ".join(problems)
                           + ".")
            continue
        frameworks[framework.id] = framework
    return replace(merged, frameworks=frameworks), skipped
