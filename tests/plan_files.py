"""Plan files as staff would write them: the template, filled in with openpyxl."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook

from dashboard.catalog.models import Catalog
from dashboard.ingest.framework_file import build_framework_workbook

ZAANSTREEK_WATERLAND = ["GM0479", "GM0431", "GM0880", "GM0439", "GM0415", "GM0385", "GM0852"]

# The plan of a municipality outside the policy documents (made-up content for Zaanstad, GM0479).
ZAANSTAD_PLAN: dict[str, Any] = {
    "kader": {
        "id": "zaanstad-2024-2027",
        "naam": "Jeugdplan Zaanstad 2024-2027 (oefenplan)",
        "korte naam": "Zaanstad 2024-2027",
        "periode": "2024-2027",
        "ambitie": "Alle Zaanse kinderen groeien gezond en veilig op.",
        "gemeenten": "Zaanstad",
        "regio": "REG_ZAANSTREEK_WATERLAND",
        "vergelijken met": "Oostzaan, Wormerland, NL01",
        "kerncijfers": "inwoners_aantal, jongeren_jeugdzorg_pct",
        "naam van een thema": "Opgave",
        "naam van de thema's": "Opgaven",
    },
    "regio": [["REG_ZAANSTREEK_WATERLAND", "Zaanstreek-Waterland", ", ".join(ZAANSTREEK_WATERLAND), ""]],
    "thema's": [
        ["gezond", "Gezond opgroeien", "Gezond", "Kinderen bewegen en eten gezond.", ""],
        ["veilig", "Veilig thuis en passende hulp", "Veilig", "Hulp is dichtbij en op tijd.", ""],
    ],
    "doelen": [
        ["gezond", "zs-1", "Minder kinderen met overgewicht", "Het overgewicht daalt.", "blijft gelijk of daalt",
         "Het percentage kinderen met overgewicht blijft gelijk of daalt.", "overgewicht_5_14_pct", "2019", "",
         "", "GGD Gezondheidsmonitor"],
        ["veilig", "zs-2", "Minder jongeren in de jeugdzorg", "", "daalt van 12% naar 10%",
         "Het percentage jongeren met jeugdzorg daalt van 12% naar 10%.", "jongeren_jeugdzorg_pct", "2022", "",
         "", "CBS"],
        ["veilig", "zs-3", "Jongeren voelen zich gehoord", "", "kwalitatief",
         "Jongeren zeggen in de jongerenraad dat ze gehoord worden.", "", "", "", "", "Jongerenraad"],
    ],
    "activiteiten": [["zs-1", "Gezonde school op alle **basisscholen** [meer](javascript:alert(1))"],
                     ["zs-2", "Praktijkondersteuner bij elke huisarts"]],
    "hefbomen": [
        ["Cultuur en gedeelde waarden", "Wij denken vanuit het gezin, niet vanuit de regeling."],
        ["Regels, kaders en randvoorwaarden", "Elke aanbieder werkt binnen een budgetplafond."],
        ["KPI's en informatie", "Aanbieders leveren elk kwartaal wachttijden aan."],
        ["Leren en verbeteren", "Eenmaal per jaar een bijeenkomst tellen en vertellen met jongeren."],
    ],
}


def fill_template(catalog: Catalog, plan: dict[str, Any]) -> bytes:
    """The framework template from the product, with the plan's rows written in as staff would."""
    workbook = load_workbook(io.BytesIO(build_framework_workbook(catalog)))
    for sheet, content in plan.items():
        ws = workbook[sheet]
        if isinstance(content, dict):
            for row in ws.iter_rows(min_row=2):
                if row[0].value in content:
                    row[1].value = content[row[0].value]
        else:
            for values in content:
                ws.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
