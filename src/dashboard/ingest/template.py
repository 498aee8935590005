"""The upload template (.xlsx, written with openpyxl): a long data sheet, instructions, and valid values."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from dashboard.analysis.periods import PERIOD_FORMATS_NL
from dashboard.catalog.models import Catalog
from dashboard.formatting import UNIT_LABELS
from dashboard.ingest.validate import NEW_INDICATOR_COLUMNS, NEW_INDICATORS_SHEET

DATA_HEADER = ["indicator", "gebied", "periode", "waarde", "teller", "noemer", "bron"]

INSTRUCTIONS = [
    "Sjabloon voor het Jeugddashboard",
    "",
    "Vul het blad 'gegevens' in: één regel per cijfer (lang formaat).",
    "indicator: de id uit het blad 'indicatoren' (of de naam).",
    "gebied: een code (GM0375, WK037501, NL01) of naam uit het blad 'gebieden'; hoofdletters, accenten en",
    "  'gemeente' vooraf maken niet uit.",
    "periode: zie het blad 'periodes', bijvoorbeeld 2023 of 2023-H1.",
    "waarde: een getal, bijvoorbeeld 12,5 (percentages zonder %-teken).",
    "teller en noemer (niet verplicht): de aantallen waarop een percentage berust. Voor wijken zijn ze nodig om",
    "  kleine aantallen te kunnen afschermen.",
    "bron: waar het cijfer vandaan komt, bijvoorbeeld 'GGD Gezondheidsmonitor Jeugd 2023'.",
    "",
    "Staat een indicator nog niet in het blad 'indicatoren'? Beschrijf hem dan in het blad 'nieuwe indicatoren':",
    "  id (kleine letters, cijfers, _), naam, eenheid (procent, aantal, euro, rapportcijfer, verandering, dagen),",
    "  richting (lager is beter, hoger is beter, neutraal), omschrijving en bron. Gebruik daarna de id.",
    "",
    "Breed formaat mag ook: een kolom gebied (en indicator), en de perioden als kolomkoppen (2019, 2020, ...),",
    "zoals CBS StatLine exporteert. Meerdere bladen in één bestand mogen.",
    "Het dashboard controleert het hele bestand en toont alle fouten met blad, rij en kolom, en een voorbeeld",
    "van wat wordt opgeslagen. Pas na bevestiging wordt alles in één keer opgeslagen.",
]


def _sheet(ws: Worksheet, header: list[str], rows: list[list[object]]) -> None:
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    for column in ws.iter_cols():
        width = max(len(str(c.value or "")) for c in column)
        ws.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)


def build_template(catalog: Catalog) -> bytes:
    workbook = Workbook()
    data = workbook.active
    data.title = "gegevens"
    _sheet(data, DATA_HEADER, [])
    instructions = workbook.create_sheet("toelichting")
    for line in INSTRUCTIONS:
        instructions.append([line])
    instructions["A1"].font = Font(bold=True, size=14)
    instructions.column_dimensions["A"].width = 110
    _sheet(workbook.create_sheet("indicatoren"), ["id", "naam", "eenheid", "omschrijving", "bron"], [
        [i.id, i.name, UNIT_LABELS[i.unit], i.description, i.source] for i in catalog.indicators.values()
    ])
    _sheet(workbook.create_sheet("gebieden"), ["code", "naam", "niveau", "ligt in"], [
        [a.code, a.name, a.level, catalog.areas[a.parent].name if a.parent in catalog.areas else ""]
        for a in catalog.areas.values()
    ])
    _sheet(workbook.create_sheet("periodes"), ["notatie"], [[f] for f in PERIOD_FORMATS_NL])
    _sheet(workbook.create_sheet(NEW_INDICATORS_SHEET), NEW_INDICATOR_COLUMNS, [])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
