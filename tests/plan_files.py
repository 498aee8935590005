"""Plan files as staff would write them: the template, filled in with openpyxl."""

from __future__ import annotations

import copy
import io
from datetime import datetime
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

# The same plan with every part the template carries beyond themes, goals, activities and lever texts (as the
# documents have them): labels, a context theme, a "bereikt minstens" target with a deadline, budget and
# evaluation indicators, end products, evaluation, the plan's own lever names, blockades, core values,
# steering principles, monitoring steps and moments of the policy cycle (one date typed as an Excel date).
ZAANSTAD_FULL_PLAN: dict[str, Any] = copy.deepcopy(ZAANSTAD_PLAN)
ZAANSTAD_FULL_PLAN["kader"] |= {"naam van een activiteit": "Inzet", "naam van de activiteiten": "Inzet"}
ZAANSTAD_FULL_PLAN["thema's"] = [[*row, ""] for row in ZAANSTAD_PLAN["thema's"]]
ZAANSTAD_FULL_PLAN["thema's"][1][5] = "ja"
ZAANSTAD_FULL_PLAN["doelen"] = [[*row, "", "", ""] for row in ZAANSTAD_PLAN["doelen"]]
ZAANSTAD_FULL_PLAN["doelen"][1] = [
    "veilig", "zs-2", "Gezinnen met een steungezin", "", "bereikt ten minste 40", "40 gezinnen met een steungezin.",
    "overbelaste_gezinnen_ondersteund_aantal", "", "", "", "Monitoring Buurtgezinnen", "2026",
    "tf_raming_poh_jeugd_euro", "poh_jeugd_clienten_aantal"]
ZAANSTAD_FULL_PLAN["normen per indicator"] = [["zs-1", "overgewicht_5_14_pct", "daalt van 14% naar 12%",
                                               "Naar 12% in 2027.", "2027"]]
ZAANSTAD_FULL_PLAN |= {
    "eindproducten": [["zs-2", "40 gezinnen met een steungezin"], ["zs-2", "Een evaluatie met de gezinnen"]],
    "evaluatie": [["zs-2", "Aantal gezinnen"], ["zs-2", "Ervaring van de gezinnen"]],
    "hefboomnamen": [["cultuur", "Samen waarden"], ["KPI's en informatie", "Cijfers en verhalen"]],
    "blokkades": [["Leren en verbeteren", "Angst om fouten te maken."]],
    "kernwaarden": [["Dichtbij", "In de **wijk** [meer](javascript:alert(1))"], ["Dichtbij", "Bij de school."],
                    ["Samen", ""]],
    "sturingsuitgangspunten": [["Minder regels."], ["Meer vertrouwen."]],
    "op de goede weg": [["Een startbeeld maken: <b>eerst</b> :red[tellen]."]],
    "momenten": [["Bijeenkomst tellen en vertellen", datetime(2025, 12, 31), "Tellen en vertellen 2025.",
                  "hoofdstuk 6"], ["evaluatie", "30-6-2027", "Evaluatie van het plan.", ""]],
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
