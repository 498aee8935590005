"""Read the catalog files under data/ into typed objects, and check them on the way."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from dashboard import yaml_files
from dashboard.analysis.linked import MULTI_YEAR_SUM_UNITS, Relations, ShareRule, SumRule
from dashboard.catalog.models import (
    AGGREGATIONS,
    ALLOCATIONS,
    AREA_LEVELS,
    DIRECTIONS,
    LIMIT_KINDS,
    REVIEW_KINDS,
    TARGET_KINDS,
    UNITS,
    Area,
    Catalog,
    CoreValue,
    Document,
    Framework,
    Goal,
    Indicator,
    Lever,
    Limit,
    Pilot,
    PlannedReview,
    SteeringModel,
    TargetRule,
    Theme,
)
from dashboard.geo import BoundaryError, read_boundaries
from dashboard.settings import DATA_DIR, SHIPPED_GEO_DIR

# CBS province codes (PV20-PV31) by the names in data/cbs/gemeenten_2024_provincie.csv.
PROVINCE_CODES = {
    "Groningen": "PV20", "Fryslân": "PV21", "Drenthe": "PV22", "Overijssel": "PV23", "Flevoland": "PV24",
    "Gelderland": "PV25", "Utrecht": "PV26", "Noord-Holland": "PV27", "Zuid-Holland": "PV28",
    "Zeeland": "PV29", "Noord-Brabant": "PV30", "Limburg": "PV31",
}
PROVINCES_FILE = "gemeenten_2024_provincie.csv"


class CatalogError(ValueError):
    """A catalog file says something the product cannot use."""


def _read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml_files.safe_load(handle)


def _check(value: str, allowed: tuple[str, ...], what: str, where: str) -> str:
    if value not in allowed:
        raise CatalogError(f"{where}: {what} {value!r} is onbekend; kies uit {', '.join(allowed)}")
    return value


def _tuple(raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (raw,)
    return tuple(str(item) for item in raw)


def load_areas(path: Path) -> dict[str, Area]:
    areas: dict[str, Area] = {}
    for raw in _read_yaml(path)["areas"]:
        where = f"{path.name}, gebied {raw.get('code')}"
        area = Area(
            code=raw["code"],
            name=raw["name"],
            level=_check(raw["level"], AREA_LEVELS, "niveau", where),
            parent=raw.get("parent"),
            members=_tuple(raw.get("members")),
        )
        areas[area.code] = area
    return areas


def load_wijken(geo_path: Path | None) -> dict[str, Area]:
    """The wijken of a CBS boundary file (the shipped one, data/geo, or a configured newer one).

    Without a usable file there are no wijken; the Wijken page says why (BoundaryError there).
    """
    try:
        collection = read_boundaries(geo_path, "wijken")
    except BoundaryError:
        return {}
    wijken: dict[str, Area] = {}
    for feature in collection["features"]:
        props = feature["properties"]
        wijken[props["statcode"]] = Area(
            code=props["statcode"], name=props["statnaam"], level="wijk", parent=props["gemeentecode"],
        )
    return wijken


def load_municipalities(geo_path: Path | None, provinces_file: Path) -> dict[str, Area]:
    """Every municipality of a CBS boundary file, under its province (a region of its members).

    The province list (data/cbs) gives each municipality its province; a municipality without one
    hangs directly under Nederland.
    """
    try:
        collection = read_boundaries(geo_path, "gemeenten")
    except BoundaryError:
        return {}
    province_of: dict[str, str] = {}
    if provinces_file.is_file():
        with provinces_file.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                code = PROVINCE_CODES.get(row["provincienaam"])
                if code:
                    province_of[row["gemeentecode"]] = code
    areas: dict[str, Area] = {}
    members: dict[str, list[str]] = {}
    for feature in collection["features"]:
        props = feature["properties"]
        province = province_of.get(props["statcode"])
        areas[props["statcode"]] = Area(code=props["statcode"], name=props["statnaam"], level="gemeente",
                                        parent=province or "NL01")
        if province:
            members.setdefault(province, []).append(props["statcode"])
    names = {code: name for name, code in PROVINCE_CODES.items()}
    for code, codes in members.items():
        areas[code] = Area(code=code, name=names[code], level="regio", parent="NL01", members=tuple(sorted(codes)))
    return areas


def load_indicators(path: Path) -> dict[str, Indicator]:
    indicators: dict[str, Indicator] = {}
    for raw in _read_yaml(path)["indicators"]:
        where = f"{path.name}, indicator {raw.get('id')}"
        for required in ("id", "name", "description", "unit", "direction", "source"):
            if not raw.get(required):
                raise CatalogError(f"{where}: veld {required!r} ontbreekt")
        indicator = Indicator(
            id=raw["id"],
            name=raw["name"],
            description=raw["description"].strip(),
            unit=_check(raw["unit"], UNITS, "eenheid", where),
            direction=_check(raw["direction"], DIRECTIONS, "richting", where),
            source=raw["source"],
            aggregation=_check(raw.get("aggregation", "none"), AGGREGATIONS, "aggregatie", where),
            levers=_tuple(raw.get("levers")),
            kansencirkel=_tuple(raw.get("kansencirkel")),
        )
        if indicator.id in indicators:
            raise CatalogError(f"{where}: id komt twee keer voor")
        indicators[indicator.id] = indicator
    return indicators


def _target(raw: dict[str, Any], where: str) -> TargetRule:
    return TargetRule(
        kind=_check(raw["rule"], TARGET_KINDS, "doelregel", where),
        text=raw.get("text", "").strip(),
        percent=raw.get("percent"),
        start=raw.get("from"),
        end=raw.get("to"),
        deadline=None if raw.get("by") is None else str(raw["by"]),
    )


def _goal(raw: dict[str, Any], where: str) -> Goal:
    where = f"{where}, doel {raw.get('id')}"
    return Goal(
        id=raw["id"],
        name=raw["name"],
        target=_target(raw["target"], where),
        desired_result=(raw.get("desired_result") or "").strip(),
        actions=_tuple(raw.get("actions")),
        indicators=_tuple(raw.get("indicators")),
        baseline_period=None if raw.get("baseline_period") is None else str(raw["baseline_period"]),
        baseline_note=(raw.get("baseline_note") or "").strip(),
        measured_by=(raw.get("measured_by") or "").strip(),
        baseline_areas=_tuple(raw.get("baseline_areas")),
        indicator_targets=tuple(
            (indicator_id, _target(rule, where))
            for indicator_id, rule in (raw.get("indicator_targets") or {}).items()
        ),
        budget_indicators=_tuple(raw.get("budget_indicators")),
        evaluation=_tuple(raw.get("evaluation")),
        end_products=_tuple(raw.get("end_products")),
        evaluation_indicators=_tuple(raw.get("evaluation_indicators")),
    )


def load_framework(path: Path) -> Framework:
    raw = _read_yaml(path)
    where = path.name
    themes = tuple(
        Theme(
            id=theme["id"],
            name=theme["name"],
            short_name=theme.get("short_name", theme["name"]),
            ambition=theme.get("ambition", "").strip(),
            goals=tuple(_goal(goal, where) for goal in theme.get("goals", [])),
            indicators=_tuple(theme.get("indicators")),
            context=bool(theme.get("context", False)),
        )
        for theme in raw["themes"]
    )
    reviews = tuple(
        PlannedReview(kind=_check(r["kind"], REVIEW_KINDS, "soort moment", where), due=str(r["due"]),
                      text=str(r["text"]).strip(), source=str(r.get("source", "")))
        for r in raw.get("reviews") or []
    )
    return Framework(
        id=raw["id"],
        name=raw["name"],
        short_name=raw["short_name"],
        period=str(raw["period"]),
        document=raw["document"],
        areas=_tuple(raw["areas"]),
        ambition=raw["ambition"].strip(),
        themes=themes,
        theme_label=raw.get("theme_label", "Thema"),
        themes_label=raw.get("themes_label", "Thema's"),
        principles=_tuple(raw.get("principles")),
        headline_indicators=_tuple(raw.get("headline_indicators")),
        reference_areas=_tuple(raw.get("reference_areas")),
        core_values=tuple(CoreValue(name=v["name"], points=_tuple(v.get("points")))
                          for v in raw.get("core_values") or []),
        lever_names=tuple((str(k), str(v)) for k, v in (raw.get("lever_names") or {}).items()),
        blockades=tuple((str(b["lever"]), str(b["text"]).strip()) for b in raw.get("blockades") or []),
        steering_principles=_tuple(raw.get("steering_principles")),
        monitoring_steps=_tuple(raw.get("monitoring_steps")),
        reviews=reviews,
        activity_label=raw.get("activity_label", "Actie"),
        activities_label=raw.get("activities_label", "Acties"),
        lever_texts=tuple((str(item["lever"]), str(item["text"]).strip()) for item in raw.get("lever_texts") or ()),
    )


def load_steering(path: Path) -> SteeringModel:
    raw = _read_yaml(path)
    return SteeringModel(
        levers=tuple(
            Lever(id=lv["id"], name=lv["name"], description=lv["description"].strip(),
                  elements=_tuple(lv.get("elements")))
            for lv in raw["levers"]
        ),
        kansencirkel=tuple((k["name"], k["description"].strip()) for k in raw["kansencirkel"]),
        values=_tuple(raw["values"]),
        source=raw["source"],
        centre=_tuple(raw.get("centre")),
    )


def load_documents(path: Path) -> dict[str, Document]:
    return {
        d["file"]: Document(file=d["file"], title=d["title"], area=d["area"],
                            year=str(d["year"]), short_name=d["short_name"])
        for d in _read_yaml(path)["documents"]
    }


def load_pilots(path: Path) -> tuple[Pilot, ...]:
    return tuple(
        Pilot(name=p["name"], description=p["description"].strip(), documents=_tuple(p.get("documents")),
              indicators=_tuple(p.get("indicators")))
        for p in _read_yaml(path)["pilots"]
    )


def load_limits(path: Path) -> tuple[Limit, ...]:
    if not path.is_file():
        return ()
    limits = []
    for raw in _read_yaml(path)["limits"]:
        where = f"{path.name}, kader {raw.get('id')}"
        figure, limit = raw.get("figure") or {}, raw.get("limit") or {}
        if bool(figure.get("indicator")) == bool(figure.get("sum_of")):
            raise CatalogError(f"{where}: figure heeft precies één van indicator of sum_of nodig")
        if not limit.get("indicator"):
            raise CatalogError(f"{where}: limit.indicator ontbreekt")
        limits.append(Limit(
            id=raw["id"], name=raw["name"], description=str(raw.get("description", "")).strip(),
            kind=_check(raw.get("kind", "max"), LIMIT_KINDS, "soort", where),
            limit_indicator=limit["indicator"], figure_indicator=figure.get("indicator"),
            figure_prefix=figure.get("sum_of"), figure_name=figure.get("name"), limit_period=limit.get("period"),
            carry_forward=bool(limit.get("carry_forward", False)), areas=_tuple(raw.get("areas")),
            source=str(raw.get("source", "")),
            allocation=_check(raw.get("allocation", "apart"), ALLOCATIONS, "toerekening", where),
            school_year_indicators=_tuple(raw.get("school_years")),
            whole_period=None if raw.get("whole_period") is None else str(raw["whole_period"]),
        ))
    return tuple(limits)


def load_relations(path: Path, indicators: dict[str, Indicator]) -> Relations:
    """The sums and shares of relations.yaml, checked: known indicators, counts where a count is meant."""
    if not path.is_file():
        return Relations()
    raw = _read_yaml(path) or {}

    def count(indicator_id: str, where: str) -> str:
        if indicator_id not in indicators:
            raise CatalogError(f"{path.name}, {where}: indicator {indicator_id!r} is onbekend")
        if indicators[indicator_id].unit != "count":
            raise CatalogError(f"{path.name}, {where}: {indicator_id!r} is geen aantal")
        return indicator_id

    sums = []
    for n, rule in enumerate(raw.get("sums") or [], start=1):
        parts = tuple(count(p, f"som {n}") for p in rule.get("parts") or [])
        if len(parts) < 2:
            raise CatalogError(f"{path.name}, som {n}: een som heeft minstens twee delen nodig")
        sums.append(SumRule(count(rule.get("total", ""), f"som {n}"), parts))
    shares = []
    for n, rule in enumerate(raw.get("shares") or [], start=1):
        indicator_id = rule.get("indicator", "")
        if indicator_id not in indicators or indicators[indicator_id].unit == "count":
            raise CatalogError(f"{path.name}, aandeel {n}: {indicator_id!r} is geen bekend cijfer dat op "
                               "een aantal rust")
        numerator, denominator = rule.get("numerator"), rule.get("denominator")
        shares.append(ShareRule(indicator_id, numerator and count(numerator, f"aandeel {n}"),
                                denominator and count(denominator, f"aandeel {n}")))
    units, exceptions = _multi_year(raw.get("multi_year") or {}, indicators, path.name)
    return Relations(tuple(sums), tuple(shares), units, exceptions)


_MULTI_YEAR_WORDS = {"som": True, "geen": False}


def _multi_year(raw: dict[str, Any], indicators: dict[str, Indicator],
                file_name: str) -> tuple[tuple[tuple[str, bool], ...], tuple[tuple[str, bool], ...]]:
    """relations.yaml, multi_year: per unit and per indicator whether 2015/2016 is the sum of 2015 and 2016."""
    def word(value: object, where: str) -> bool:
        if value not in _MULTI_YEAR_WORDS:
            raise CatalogError(f"{file_name}, multi_year, {where}: {value!r} is geen ‘som’ of ‘geen’")
        return _MULTI_YEAR_WORDS[value]

    units = dict(MULTI_YEAR_SUM_UNITS)
    for unit, value in (raw.get("units") or {}).items():
        if unit not in UNITS:
            raise CatalogError(f"{file_name}, multi_year: eenheid {unit!r} is onbekend")
        units[str(unit)] = word(value, f"eenheid {unit}")
    exceptions = []
    for indicator_id, value in (raw.get("indicators") or {}).items():
        if indicator_id not in indicators:
            raise CatalogError(f"{file_name}, multi_year: indicator {indicator_id!r} is onbekend")
        exceptions.append((str(indicator_id), word(value, f"indicator {indicator_id}")))
    return tuple(sorted(units.items())), tuple(exceptions)


def shipped_relations(data_dir: Path = DATA_DIR) -> Relations:
    """The relations of the catalog files, without reading areas and frameworks (for the CLI export)."""
    catalog_dir = data_dir / "catalog"
    return load_relations(catalog_dir / "relations.yaml", load_indicators(catalog_dir / "indicators.yaml"))


def load_catalog(data_dir: Path = DATA_DIR, geo_path: Path | None = None) -> Catalog:
    catalog_dir = data_dir / "catalog"
    # The shipped boundaries (2023) name every municipality and wijk of the Netherlands; a configured
    # folder with newer boundaries adds its codes. The catalog's own areas (regions, parents) win.
    areas: dict[str, Area] = {}
    for folder in dict.fromkeys(p for p in (SHIPPED_GEO_DIR, geo_path) if p is not None):
        areas.update(load_municipalities(folder, data_dir / "cbs" / PROVINCES_FILE))
        areas.update(load_wijken(folder))
    areas.update(load_areas(catalog_dir / "areas.yaml"))
    frameworks = {
        fw.id: fw
        for fw in (load_framework(p) for p in sorted((data_dir / "frameworks").glob("*.yaml")))
    }
    indicators = load_indicators(catalog_dir / "indicators.yaml")
    catalog = Catalog(
        areas=areas,
        indicators=indicators,
        relations=load_relations(catalog_dir / "relations.yaml", indicators),
        frameworks=frameworks,
        steering=load_steering(catalog_dir / "steering.yaml"),
        documents=load_documents(catalog_dir / "documents.yaml"),
        pilots=load_pilots(catalog_dir / "pilots.yaml"),
        limits=load_limits(catalog_dir / "limits.yaml"),
    )
    _check_references(catalog)
    return catalog


def _check_references(catalog: Catalog) -> None:
    """Every goal names indicators and areas that exist: a typo fails at start, not on a page."""
    for pilot in catalog.pilots:
        for indicator_id in pilot.indicators:
            if indicator_id not in catalog.indicators:
                raise CatalogError(f"pilot {pilot.name!r}: indicator {indicator_id!r} is onbekend")
    for limit in catalog.limits:
        named = [limit.limit_indicator, *([limit.figure_indicator] if limit.figure_indicator else [])]
        for indicator_id in named:
            if indicator_id not in catalog.indicators:
                raise CatalogError(f"kader {limit.id!r}: indicator {indicator_id!r} is onbekend")
        if limit.figure_prefix and not any(i.startswith(limit.figure_prefix) for i in catalog.indicators):
            raise CatalogError(f"kader {limit.id!r}: geen indicator begint met {limit.figure_prefix!r}")
        for code in limit.areas:
            if code not in catalog.areas:
                raise CatalogError(f"kader {limit.id!r}: gebied {code!r} is onbekend")
    for framework in catalog.frameworks.values():
        for indicator_id in framework.headline_indicators:
            if indicator_id not in catalog.indicators:
                raise CatalogError(f"kader {framework.id}: kerncijfer {indicator_id!r} is onbekend")
        for code in (*framework.areas, *framework.reference_areas):
            if code not in catalog.areas:
                raise CatalogError(f"kader {framework.id}: gebied {code!r} is onbekend")
        for theme in framework.themes:
            for indicator_id in theme.all_indicators:
                if indicator_id not in catalog.indicators:
                    raise CatalogError(
                        f"kader {framework.id}, thema {theme.id}: indicator {indicator_id!r} is onbekend"
                    )
            for goal in theme.goals:
                for indicator_id in goal.budget_indicators:
                    if indicator_id not in catalog.indicators:
                        raise CatalogError(
                            f"kader {framework.id}, doel {goal.id}: budgetindicator {indicator_id!r} is onbekend")
                for code in goal.baseline_areas:
                    if code not in catalog.areas:
                        raise CatalogError(f"kader {framework.id}, doel {goal.id}: gebied {code!r} is onbekend")
