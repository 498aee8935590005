"""Which municipality or region a deployment is for (DASHBOARD_GEMEENTE, DASHBOARD_REGIO), and what follows.

Without either setting the dashboard is the demo of the policy documents (IJmond 2018-2021, Beverwijk
first). With DASHBOARD_GEMEENTE it opens on that municipality's own framework (the most recently imported
one that names it) and offers the municipality in the sidebar even before its plan is imported.
"""

from __future__ import annotations

from dashboard.catalog.models import Catalog, Framework
from dashboard.markdown_text import escape
from dashboard.settings import Settings


def _region_frameworks(catalog: Catalog, code: str) -> list[Framework]:
    members = set(catalog.areas[code].members)
    return [fw for fw in catalog.frameworks.values()
            if code in fw.reference_areas or (members and set(fw.areas) == members)]


def default_framework_id(catalog: Catalog, settings: Settings) -> str:
    """The framework the dashboard opens with."""
    candidates: list[Framework] = []
    if settings.gemeente in catalog.areas:
        candidates = [fw for fw in catalog.frameworks.values() if settings.gemeente in fw.areas]
    elif settings.regio in catalog.areas:
        candidates = _region_frameworks(catalog, settings.regio)
    return candidates[-1].id if candidates else catalog.default_framework.id


def municipality_options(framework: Framework, catalog: Catalog, settings: Settings) -> list[str]:
    """The municipalities the sidebar offers: the framework's, and the deployment's own first."""
    own = settings.gemeente
    if own in catalog.areas and catalog.areas[own].level == "gemeente":
        return [own, *(code for code in framework.areas if code != own)]
    return list(framework.areas)


def deployment_notice(catalog: Catalog, settings: Settings) -> str | None:
    """What a newcomer needs to hear when the setting and the data do not match (yet), as Markdown."""
    for name, code, level in (("DASHBOARD_GEMEENTE", settings.gemeente, "gemeente"),
                              ("DASHBOARD_REGIO", settings.regio, "regio")):
        if code is None:
            continue
        area = catalog.areas.get(code)
        if area is None or area.level != level:
            return (f"{name} is {code}, maar dat is geen bekende {level}; het dashboard toont de demo van de "
                    "beleidsdocumenten. Zie het blad ‘gebieden’ van het sjabloon voor de codes.")
        has_plan = (any(code in fw.areas for fw in catalog.frameworks.values()) if level == "gemeente"
                    else bool(_region_frameworks(catalog, code)))
        if not has_plan:
            return (f"Dit dashboard is ingesteld voor {escape(area.name)}, maar er is nog geen beleidskader voor "
                    f"{escape(area.name)}. Download het sjabloon voor een beleidskader op de pagina Gegevens, vul het "
                    "beleidsplan in en lees het daar in; tot dan staan de doelen van het demokader hier.")
    return None
