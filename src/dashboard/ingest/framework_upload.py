"""A plan file from upload to stored framework: validate, preview the pages, then commit as a new version."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from dashboard.catalog.models import Catalog, Framework
from dashboard.catalog.serialize import to_dict
from dashboard.ingest.framework_file import LEVER_NAMES, FrameworkParse, parse_framework_file, rule_text
from dashboard.store.store import Store


@dataclass
class FrameworkImportPlan:
    file_name: str
    data: bytes
    sha256: str
    parse: FrameworkParse
    duplicate_of: dict[str, Any] | None = None
    replaces: str | None = None  # what the new version takes the place of, in words

    @property
    def can_commit(self) -> bool:
        return self.parse.ok and self.duplicate_of is None

    def messages(self) -> list[str]:
        if self.duplicate_of is not None:
            d = self.duplicate_of
            return [f"Dit bestand is al ingelezen als versie {d['version']} van kader {d['framework_id']} "
                    f"({'actief' if d['status'] == 'active' else 'ingetrokken'})."]
        return self.parse.messages()


def plan_framework_import(file_name: str, data: bytes, catalog: Catalog, store: Store,
                          max_bytes: int = 20_000_000) -> FrameworkImportPlan:
    """Everything the import would store, checked; nothing is written."""
    sha256 = hashlib.sha256(data).hexdigest()
    plan = FrameworkImportPlan(file_name, data, sha256, parse_framework_file(file_name, data, catalog, max_bytes))
    versions = store.framework_versions()
    same = versions[versions["sha256"] == sha256] if not versions.empty else versions
    if not same.empty:
        plan.duplicate_of = same.iloc[0].to_dict()
    framework = plan.parse.framework
    if framework is not None:
        stored = versions[versions["framework_id"] == framework.id] if not versions.empty else versions
        if not stored.empty:
            plan.replaces = (f"Dit wordt versie {int(stored['version'].max()) + 1} van kader {framework.id}; "
                             "de huidige versie wordt ingetrokken (en blijft te herstellen).")
        elif framework.id in catalog.frameworks:
            plan.replaces = (f"Dit kader heeft dezelfde id als het meegeleverde kader "
                             f"‘{catalog.frameworks[framework.id].name}’ en komt daarvoor in de plaats; intrekken "
                             "brengt het meegeleverde kader terug.")
    return plan


def commit_framework(plan: FrameworkImportPlan, store: Store, user: str) -> tuple[int, int]:
    """Store the framework as a new version with its original file; returns (row id, version)."""
    if not plan.can_commit or plan.parse.framework is None:
        raise ValueError("Dit kader kan niet worden opgeslagen: " + "; ".join(plan.messages()))
    framework = plan.parse.framework
    store.upsert_areas(plan.parse.regions)
    definition = {"framework": to_dict(framework), "regions": [to_dict(r) for r in plan.parse.regions]}
    return store.add_framework_version(framework.id, framework.name, definition, (plan.file_name, plan.data),
                                       plan.sha256, user)


def preview_pages(framework: Framework, catalog: Catalog) -> list[tuple[str, list[str]]]:
    """The pages the framework creates, each with the lines it would show (for the preview before storing)."""
    names = {**{a.code: a.name for a in catalog.areas.values()}}

    def indicator_name(indicator_id: str) -> str:
        indicator = catalog.indicators.get(indicator_id)
        return indicator.name if indicator else indicator_id

    overview = [f"Ambitie: {framework.ambition}",
                "Gemeenten: " + ", ".join(names.get(c, c) for c in framework.areas)]
    if framework.reference_areas:
        overview.append("Vergeleken met: " + ", ".join(names.get(c, c) for c in framework.reference_areas))
    if framework.headline_indicators:
        overview.append("Kerncijfers: " + ", ".join(indicator_name(i) for i in framework.headline_indicators))
    pages = [("Overzicht", overview)]
    for theme in framework.themes:
        lines = [f"Ambitie: {theme.ambition}"] if theme.ambition else []
        for goal in theme.goals:
            line = f"Doel {goal.id}: {goal.name} · doelregel: {rule_text(goal.target)}"
            if goal.target.deadline:
                line += f" uiterlijk in {goal.target.deadline}"
            if goal.indicators:
                line += " · gemeten met " + ", ".join(indicator_name(i) for i in goal.indicators)
            if goal.baseline_period:
                line += f" · 0-meting {goal.baseline_period}"
            if goal.actions:
                line += f" · {len(goal.actions)} {framework.activities_label.lower()}"
            if goal.end_products:
                line += f" · {len(goal.end_products)} eindproduct(en)"
            if goal.evaluation:
                line += f" · {len(goal.evaluation)} evaluatiepunt(en)"
            lines.append(line)
        extra = [i for i in theme.indicators if not any(i in g.indicators for g in theme.goals)]
        if extra:
            lines.append("Verder de cijfers: " + ", ".join(indicator_name(i) for i in extra))
        if theme.context:
            lines.append("Alleen context: telt niet mee bij de eigen opgaven op het Overzicht")
        pages.append((f"{framework.theme_label}: {theme.short_name}", lines or ["(nog zonder doelen)"]))
    levers = [f"Leidend principe: {p}" for p in framework.principles]
    levers += [f"{LEVER_NAMES.get(lever, lever)}: {text}" for lever, text in framework.lever_texts]
    levers += [f"{LEVER_NAMES.get(lever, lever)} heet in het plan: {name}" for lever, name in framework.lever_names]
    levers += [f"{LEVER_NAMES.get(lever, lever)} pakt de blokkade aan: {text}" for lever, text in framework.blockades]
    levers += [f"Kernwaarde: {v.name}" + (f" ({len(v.points)} punten)" if v.points else "")
               for v in framework.core_values]
    levers += [f"Sturingsuitgangspunt: {p}" for p in framework.steering_principles]
    levers += [f"Op de goede weg: {step}" for step in framework.monitoring_steps]
    levers += [f"Moment van de beleidscyclus ({review.due}): {review.text}" for review in framework.reviews]
    if levers:
        pages.append(("De vier hefbomen", levers))
    return pages
