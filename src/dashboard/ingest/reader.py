"""Read an uploaded .xlsx or .csv into plain sheets of cells, or refuse it with a clear Dutch reason.

Excel is read with python-calamine (fast, Rust); openpyxl is only used to write.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import python_calamine

Cell = Any  # str, float, int, bool, date, datetime or "" for empty


class RefusedFile(ValueError):
    """The whole file cannot be read; the message says why, in Dutch."""


class ColumnRows(Sequence):
    """The rows of a CSV read by pyarrow, kept as its columns (text); rows are made only when asked for.

    Reads like the list of lists of the csv module (len, indexing, slicing, iteration, ==); the long-sheet
    checks (ingest.fast_long) use `columns` directly, so a million rows never become a million lists.
    """

    def __init__(self, columns: list[pa.Array]) -> None:
        self.columns = columns
        self._length = len(columns[0]) if columns else 0
        self._python: list[list[str]] | None = None

    def _lists(self) -> list[list[str]]:
        if self._python is None:
            self._python = [column.to_pylist() for column in self.columns]
        return self._python

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._length))]
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError(index)
        if self._python is None and index < 1000:  # the header search: no need to convert whole columns
            return [column[index].as_py() for column in self.columns]
        return [column[index] for column in self._lists()]

    def __iter__(self) -> Iterator[list[str]]:
        for index in range(self._length):
            yield self[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[Cell]] | ColumnRows


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


CHUNK = 1 << 20
MAX_ZIP_MEMBERS = 1000
EXPANSION_FACTOR = 10  # an .xlsx of n MB may hold at most 10 n MB of XML (real exports: 3 to 8 times)
MAX_COLUMNS = 702  # A..ZZ: a sheet as wide as Excel allows (XFD) is refused before it is read
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]*\d*:?([A-Z]+)(\d+)"')
_ROW_NUMBER = re.compile(rb'<row r="(\d+)"')
_WIDE_CELL = re.compile(rb'<c r="([A-Z]{2,3})\d')


def _rows_in(text: bytes) -> int:
    return text.count(b"<row ") + text.count(b"<row>")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def check_expansion(data: bytes, max_bytes: int, max_rows: int) -> None:
    """Refuse an .xlsx that would expand beyond the limits, before anything reads it whole.

    The zip's declared sizes and each sheet's dimension are checked first (cheap); then every member is
    decompressed in chunks of 1 MB, counting bytes, rows and the rightmost column, and stops at the first
    limit passed. Declared sizes may lie, but zipfile never returns more than a member declares (and fails
    on its CRC), so the counted bytes are the true ones. Work and memory are bounded by the limits, not by
    the file: an .xlsx that expands to millions of rows is refused after the first few megabytes.
    """
    max_uncompressed = EXPANSION_FACTOR * max_bytes
    margin = max_rows + 1000  # header and title rows; the exact row limit is checked after reading

    def refuse(what: str) -> RefusedFile:
        return RefusedFile(f"Dit Excel-bestand is uitgepakt te groot: {what}. Splits het bestand of vraag de "
                           "beheerder de grens te verhogen.")

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise RefusedFile("Dit bestand is geen geldig Excel-bestand (.xlsx); het kan beschadigd zijn.") from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise refuse(f"het bevat {len(members)} onderdelen; de grens is {MAX_ZIP_MEMBERS}")
        declared = sum(m.file_size for m in members)
        if declared > max_uncompressed:
            raise refuse(f"{declared / 1_000_000:.0f} MB; de grens is {max_uncompressed / 1_000_000:.0f} MB")
        total_bytes = 0
        total_rows = 0
        for member in members:
            is_sheet = member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")
            sheet_rows = counted = 0
            tail = b""
            first = True
            with archive.open(member) as handle:
                while chunk := handle.read(CHUNK):
                    total_bytes += len(chunk)
                    if total_bytes > max_uncompressed:
                        raise refuse(f"meer dan {max_uncompressed / 1_000_000:.0f} MB")
                    if not is_sheet:
                        continue
                    text = tail + chunk
                    if first:
                        first = False
                        dimension = _DIMENSION.search(text, 0, 4096)
                        if dimension and int(dimension.group(2)) > margin:
                            raise refuse(f"blad tot rij {int(dimension.group(2))}; de grens is {max_rows} rijen")
                        if dimension and _column_number(dimension.group(1)) > MAX_COLUMNS:
                            raise refuse(f"blad tot kolom {dimension.group(1).decode()}; de grens is kolom ZZ")
                    last = text.rfind(b'<row r="')
                    if last >= 0:
                        number = _ROW_NUMBER.match(text, last)
                        if number:
                            sheet_rows = max(sheet_rows, int(number.group(1)))
                    # Rows without r= count too; a row in the overlap with the last chunk is counted once.
                    counted += _rows_in(text) - _rows_in(tail)
                    sheet_rows = max(sheet_rows, counted)
                    wide = _WIDE_CELL.findall(text)
                    if wide and max(_column_number(c) for c in wide) > MAX_COLUMNS:
                        raise refuse("cellen voorbij kolom ZZ")
                    if total_rows + sheet_rows > margin:
                        raise refuse(f"meer dan {max_rows} rijen; de grens is {max_rows}")
                    tail = text[-64:]
            total_rows += sheet_rows


def _read_xlsx(data: bytes, max_bytes: int, max_rows: int) -> list[Sheet]:
    if data.startswith(OLE_SIGNATURE):
        raise RefusedFile(
            "Dit bestand is versleuteld (met een wachtwoord beveiligd) of een oud .xls-bestand. "
            "Sla het in Excel op als .xlsx zonder wachtwoord en probeer het opnieuw."
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise RefusedFile("Dit bestand is geen geldig Excel-bestand (.xlsx); het kan beschadigd zijn.")
    try:
        check_expansion(data, max_bytes, max_rows)
    except zipfile.BadZipFile as exc:  # a member whose true size or CRC differs from what it declares
        raise RefusedFile(f"Dit Excel-bestand kan niet worden gelezen; het is beschadigd ({exc}).") from exc
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
    columns = _csv_columns(text, delimiter)
    if columns is not None:
        return [Sheet(name="CSV", rows=ColumnRows(columns))]
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))  # each row is a new list
    except csv.Error as exc:
        raise RefusedFile(f"Dit CSV-bestand kan niet worden gelezen ({exc}); sla het opnieuw op als CSV.") from exc
    return [Sheet(name="CSV", rows=rows)]


MAX_ARROW_COLUMNS = 800


def _csv_columns(text: str, delimiter: str) -> list[pa.Array] | None:
    """The columns of a CSV as pyarrow reads them (text, in C), or None where it might read otherwise.

    pyarrow splits fields and quotes ("a;b", "" inside quotes, line breaks inside quotes) as the csv module
    does (tests/test_upload_reading.py holds both to that), but it reads an empty line differently: a file with
    an empty line, a lone carriage return, fewer than two columns or rows of different lengths (title rows
    above the header) is left to the csv module, as is anything pyarrow refuses.
    """
    if (("\r" in text and text.count("\r") != text.count("\r\n")) or "\n\n" in text or "\n\r\n" in text
            or text.startswith(("\n", "\r"))):
        return None
    read = pa_csv.ReadOptions(autogenerate_column_names=True, block_size=1 << 24)
    parse = pa_csv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True, escape_char=False,
                                newlines_in_values=True, ignore_empty_lines=False)
    convert = pa_csv.ConvertOptions(column_types={f"f{i}": pa.string() for i in range(MAX_ARROW_COLUMNS)},
                                    strings_can_be_null=False, quoted_strings_can_be_null=False, null_values=[],
                                    true_values=[], false_values=[])
    try:
        table = pa_csv.read_csv(io.BytesIO(text.encode("utf-8")), read_options=read, parse_options=parse,
                                convert_options=convert)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if table.num_columns < 2 or any(column.type != pa.string() for column in table.columns):
        return None
    return [column.combine_chunks() for column in table.columns]


def read_upload(file_name: str, data: bytes, max_bytes: int, max_rows: int = 200_000) -> list[Sheet]:
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
        return _read_xlsx(data, max_bytes, max_rows)
    if lower.endswith(".csv"):
        return _read_csv(data)
    raise RefusedFile("Alleen .xlsx- en .csv-bestanden kunnen worden ingelezen.")
