"""Read an uploaded .xlsx or .csv into plain sheets of cells, or refuse it with a clear Dutch reason.

Excel is read with python-calamine (fast, Rust); openpyxl is only used to write.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

import python_calamine

Cell = Any  # str, float, int, bool, date, datetime or "" for empty


class RefusedFile(ValueError):
    """The whole file cannot be read; the message says why, in Dutch."""


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[Cell]]


OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and encrypted .xlsx
# A formula cell whose value is missing or empty: <v/>, <v />, <v></v> or no <v> at all.
_FORMULA_WITHOUT_VALUE = re.compile(
    rb'<c r="([A-Z]+\d+)"[^>]*>\s*<f[^>]*>[^<]*</f>\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>'
)


def _formulas_without_values(data: bytes) -> list[str]:
    """Cells with a formula but no stored result: Excel saved without calculating (e.g. by a script)."""
    found: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet") and n.endswith(".xml"))
        for name in names:
            xml = archive.read(name)
            if b"<f" in xml:  # a plain search first: most exports have no formulas, and the regex is slow
                found.extend(m.decode() for m in _FORMULA_WITHOUT_VALUE.findall(xml))
    return found


def _read_xlsx(data: bytes) -> list[Sheet]:
    if data.startswith(OLE_SIGNATURE):
        raise RefusedFile(
            "Dit bestand is versleuteld (met een wachtwoord beveiligd) of een oud .xls-bestand. "
            "Sla het in Excel op als .xlsx zonder wachtwoord en probeer het opnieuw."
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise RefusedFile("Dit bestand is geen geldig Excel-bestand (.xlsx); het kan beschadigd zijn.")
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError as exc:
        raise RefusedFile("Dit Excel-bestand is met een wachtwoord beveiligd; sla het op zonder wachtwoord.") from exc
    except (python_calamine.CalamineError, zipfile.BadZipFile, ValueError) as exc:
        raise RefusedFile(f"Dit Excel-bestand kan niet worden gelezen; het is mogelijk beschadigd ({exc}).") from exc
    missing = _formulas_without_values(data)
    if missing:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        raise RefusedFile(
            f"Het bestand bevat formules zonder berekende waarde (cellen {shown}). Open het in Excel, "
            "laat het herberekenen en sla het opnieuw op."
        )
    sheets = []
    for name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        sheets.append(Sheet(name=name, rows=[r if type(r) is list else list(r) for r in rows]))
    return sheets


def _read_csv(data: bytes) -> list[Sheet]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes every byte but a few
        raise RefusedFile("Dit CSV-bestand heeft een onbekende tekenset; sla het op als UTF-8.")
    if "\x00" in text:
        raise RefusedFile("Dit bestand is geen tekstbestand (CSV); kies een .csv- of .xlsx-bestand.")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise RefusedFile(f"Dit CSV-bestand kan niet worden gelezen ({exc}); sla het opnieuw op als CSV.") from exc
    return [Sheet(name="CSV", rows=rows)]


def read_upload(file_name: str, data: bytes, max_bytes: int) -> list[Sheet]:
    """The sheets of an uploaded file; raises RefusedFile with the reason when it cannot be used."""
    lower = file_name.lower()
    if len(data) > max_bytes:
        raise RefusedFile(
            f"Het bestand is {len(data) / 1_000_000:.1f} MB; de grens is {max_bytes / 1_000_000:.0f} MB. "
            "Splits het bestand of vraag de beheerder de grens te verhogen."
        )
    if not data:
        raise RefusedFile("Het bestand is leeg.")
    if lower.endswith(".xlsm"):
        raise RefusedFile("Bestanden met macro's (.xlsm) worden niet aangenomen; sla het op als .xlsx.")
    if lower.endswith(".xlsx"):
        return _read_xlsx(data)
    if lower.endswith(".csv"):
        return _read_csv(data)
    raise RefusedFile("Alleen .xlsx- en .csv-bestanden kunnen worden ingelezen.")
