"""Turn read sheets into observations, or into a list of every problem with its sheet, row and column.

Rows are numbered as Excel shows them (the header is row 1). All problems of a file are
collected, not just the first. Nothing here writes to the store.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

from dashboard.analysis.periods import PERIOD_FORMATS_NL, is_valid
from dashboard.catalog.models import Catalog, Indicator
from dashboard.ingest.reader import Sheet

NEW_INDICATORS_SHEET = "nieuwe indicatoren"
NEW_INDICATOR_COLUMNS = ["id", "naam", "eenheid", "richting", "omschrijving", "bron"]
UNIT_WORDS = {"procent": "percent", "%": "percent", "percentage": "percent", "aantal": "count", "euro": "euro",
              "rapportcijfer": "grade", "cijfer": "grade", "verandering": "percent_change",
              "dagen": "days", "days": "days"}
DIRECTION_WORDS = {"lager is beter": "lower_is_better", "hoger is beter": "higher_is_better", "neutraal": "neutral"}

COLUMN_NAMES = {
    "indicator": ("indicator", "indicator_id", "indicatorid"),
    "gebied": ("gebied", "gebiedscode", "gebied_code", "gemeente", "wijk", "regio", "area_code", "regiocode"),
    "periode": ("periode", "jaar", "period", "perioden"),
    "waarde": ("waarde", "value"),
    "teller": ("teller", "numerator"),
    "noemer": ("noemer", "denominator"),
    "bron": ("bron", "source"),
}
REFERENCE_SHEETS = {"toelichting", "indicatoren", "gebieden", "periodes", "fictief", NEW_INDICATORS_SHEET}
UNIT_RANGES = {"percent": (0, 100), "percent_change": (-100, 10_000), "count": (0, math.inf),
               "euro": (0, math.inf), "grade": (0, 10), "days": (0, 3650), "per_km2": (0, math.inf),
               "per_1000": (0, math.inf)}


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"Blad ‘{self.sheet}’"
        if self.row is not None:
            where += f", rij {self.row}"
        if self.column:
            where += f", kolom {self.column}"
        return f"{where}: {self.message}"


@dataclass
class ParseResult:
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    new_indicators: list[Indicator] = field(default_factory=list)


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def normalise_name(text: str) -> str:
    """Case, diacritics, punctuation and a 'gemeente'/'wijk' prefix do not matter when matching names."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9 ]+", " ", text)
    text = re.sub(r"^(gemeente|wijk|regio) ", "", " ".join(text.split()))
    return text.strip()


class Matcher:
    """Find areas and indicators by code or name; suggest close names when nothing matches."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.area_codes = {code.upper(): code for code in catalog.areas}
        self.area_names: dict[str, list[str]] = {}
        for code, area in catalog.areas.items():
            self.area_names.setdefault(normalise_name(area.name), []).append(code)
        self.indicator_names = {normalise_name(i.name): i.id for i in catalog.indicators.values()}
        self.followed = functools.lru_cache(maxsize=None)(catalog.is_followed)
        # A sheet repeats a handful of names thousands of times: the answer per cell value is kept, typed,
        # because 1, 1.0 and True are equal as keys but not as text (as parse_period below).
        self.area = functools.lru_cache(maxsize=None, typed=True)(self._area)
        self.indicator = functools.lru_cache(maxsize=None, typed=True)(self._indicator)

    def _area(self, raw: Any) -> tuple[str | None, str | None]:
        text = str(raw).strip()
        if text.upper() in self.area_codes:
            return self.area_codes[text.upper()], None
        codes = self.area_names.get(normalise_name(text), [])
        if len(codes) > 1:
            # Every wijk of the Netherlands is known ("Centrum" many times): a name counts among the
            # municipalities the dashboard follows first, as before it knew the others.
            codes = [c for c in codes if self.followed(c)] or codes
        if len(codes) == 1:
            return codes[0], None
        if len(codes) > 1:
            named = ", ".join(f"{c} ({self.catalog.areas[self.catalog.areas[c].parent].name})"
                              if self.catalog.areas[c].parent in self.catalog.areas else c for c in codes[:5])
            more = f" en {len(codes) - 5} andere" if len(codes) > 5 else ""
            return None, f"gebied ‘{text}’ komt meer dan eens voor ({named}{more}); gebruik de code"
        close = difflib.get_close_matches(normalise_name(text), list(self.area_names), n=3, cutoff=0.75)
        close.sort(key=lambda name: not any(self.followed(c) for c in self.area_names[name]))
        hint = ""
        if close:
            names = " of ".join(f"‘{self.catalog.areas[self.area_names[c][0]].name}’" for c in close)
            hint = f" Bedoelt u {names}?"
        return None, f"gebied ‘{text}’ is onbekend.{hint} Zie het blad ‘gebieden’ van het sjabloon."

    def _indicator(self, raw: Any) -> tuple[str | None, str | None]:
        text = str(raw).strip()
        if text in self.catalog.indicators:
            return text, None
        found = self.indicator_names.get(normalise_name(text))
        if found:
            return found, None
        close = difflib.get_close_matches(text, list(self.catalog.indicators), n=2, cutoff=0.7)
        hint = f" Bedoelt u {' of '.join(close)}?" if close else ""
        return None, f"indicator ‘{text}’ is onbekend.{hint} Zie het blad ‘indicatoren’ van het sjabloon."


def parse_number(raw: Any) -> tuple[float | None, str | None]:
    if type(raw) is float or type(raw) is int:  # the common case first: a numeric cell (not bool)
        value = float(raw)
        return (value, None) if math.isfinite(value) else (None, "verwacht een eindig getal")
    if isinstance(raw, bool):
        return None, "verwacht een getal, niet waar/onwaar"
    if isinstance(raw, (datetime, date, time)):
        return None, "hier staat een datum waar een getal hoort; zet de cel op ‘Getal’"
    if isinstance(raw, (int, float)):
        value = float(raw)
        return (value, None) if math.isfinite(value) else (None, "verwacht een eindig getal")
    text = str(raw).strip().replace("\u00a0", "").replace(" ", "").removesuffix("%")
    if not text:
        return None, "waarde ontbreekt"
    if "," in text:  # Dutch notation: 1.234,5
        text = text.replace(".", "").replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None, f"‘{raw}’ is geen getal (gebruik bijvoorbeeld 12,5)"
    return (value, None) if math.isfinite(value) else (None, "verwacht een eindig getal")


@functools.lru_cache(maxsize=4096, typed=True)  # a sheet repeats a handful of periods many thousands of times
def parse_period(raw: Any) -> tuple[str | None, str | None]:
    if isinstance(raw, (datetime, date)):
        return None, "hier staat een datum; schrijf de periode als " + " of ".join(PERIOD_FORMATS_NL[:2])
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip().upper().replace(" ", "")
    if is_valid(text):
        return text, None
    return None, f"periode ‘{raw}’ is ongeldig; gebruik {', '.join(PERIOD_FORMATS_NL)}"


def _header_map(header: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = normalise_name(str(cell)).replace(" ", "_")
        for key, synonyms in COLUMN_NAMES.items():
            if name in synonyms and key not in found:
                found[key] = index
    return found


def _period_columns(header: list[Any]) -> dict[int, str]:
    columns = {}
    for index, cell in enumerate(header):
        period, _ = parse_period(cell) if str(cell).strip() else (None, None)
        if period:
            columns[index] = period
    return columns


def _is_blank(row: list[Any]) -> bool:
    if row:  # the first cell usually decides, without converting the whole row to text
        first = row[0]
        if first is not None and (not isinstance(first, str) or first.strip()):
            return False
    return all(str(c).strip() == "" for c in row)


class SheetParser:
    def __init__(self, catalog: Catalog, default_source: str, result: ParseResult) -> None:
        self.catalog = catalog
        self.matcher = Matcher(catalog)
        self.default_source = default_source
        self.result = result
        self.seen: dict[tuple[str, str, str], tuple[str, int]] = {}

    def problem(self, sheet: str, row: int | None, column: int | None, message: str) -> None:
        self.result.problems.append(Problem(sheet, row, column_letter(column) if column is not None else None,
                                            message))

    def parse(self, sheet: Sheet) -> None:
        if normalise_name(sheet.name) in REFERENCE_SHEETS:
            return
        rows = sheet.rows
        if not rows or all(_is_blank(r) for r in rows):
            self.result.notices.append(f"Blad ‘{sheet.name}’ is leeg en is overgeslagen.")
            return
        header = rows[0]
        columns = _header_map(header)
        period_columns = _period_columns(header)
        if {"indicator", "gebied", "periode", "waarde"} <= columns.keys():
            self._parse_long(sheet, columns)
        elif "gebied" in columns and period_columns:
            self._parse_wide(sheet, columns, period_columns)
        else:
            self.problem(sheet.name, 1, None,
                         "geen herkenbare kolommen. Verwacht een lang blad met de kolommen indicator, gebied, "
                         "periode en waarde, of een breed blad met een kolom gebied en perioden (zoals 2019, "
                         "2020) als kolomkoppen")

    def _cell(self, row: list[Any], index: int | None) -> Any:
        return row[index] if index is not None and index < len(row) else ""

    def _add(self, sheet: str, number: int, columns: dict[str, int], row: list[Any], indicator_raw: Any,
             indicator_col: int | None, period_raw: Any, period_col: int, value_raw: Any, value_col: int) -> None:
        problems_before = len(self.result.problems)
        indicator_id, why = self.matcher.indicator(indicator_raw)
        if why:
            self.problem(sheet, number, indicator_col, why)
        area_code, why = self.matcher.area(self._cell(row, columns["gebied"]))
        if why:
            self.problem(sheet, number, columns["gebied"], why)
        period, why = parse_period(period_raw)
        if why:
            self.problem(sheet, number, period_col, why)
        value, why = parse_number(value_raw)
        if why:
            self.problem(sheet, number, value_col, why)
        extra: dict[str, float | None] = {"teller": None, "noemer": None}
        for key in ("teller", "noemer"):
            raw = self._cell(row, columns.get(key))
            if type(raw) is float or str(raw).strip() != "":
                extra[key], why = parse_number(raw)
                if why:
                    self.problem(sheet, number, columns[key], why)
        if len(self.result.problems) > problems_before:
            return
        unit = self.catalog.indicators[indicator_id].unit
        low, high = UNIT_RANGES[unit]
        if not low <= value <= high:
            bounds = f"{low:g} tot {high:g}"
            self.problem(sheet, number, value_col,
                         f"waarde {raw_text(value_raw)} valt buiten het bereik {bounds} voor deze indicator")
            return
        key = (indicator_id, area_code, period)
        if key in self.seen:
            first_sheet, first_row = self.seen[key]
            self.problem(sheet, number, None, "dezelfde indicator, hetzelfde gebied en dezelfde periode staan al "
                         f"in blad ‘{first_sheet}’, rij {first_row}")
            return
        self.seen[key] = (sheet, number)
        source = str(self._cell(row, columns.get("bron"))).strip() or self.default_source
        self.result.rows.append({
            "indicator_id": indicator_id, "area_code": area_code, "period": period, "value": value,
            "numerator": extra["teller"], "denominator": extra["noemer"], "source": source,
            "quote": None, "note": f"blad {sheet}, rij {number}",
        })

    def _parse_long(self, sheet: Sheet, columns: dict[str, int]) -> None:
        for offset, row in enumerate(sheet.rows[1:], start=2):
            if _is_blank(row):
                continue
            self._add(sheet.name, offset, columns, row, self._cell(row, columns["indicator"]), columns["indicator"],
                      self._cell(row, columns["periode"]), columns["periode"],
                      self._cell(row, columns["waarde"]), columns["waarde"])

    def _parse_wide(self, sheet: Sheet, columns: dict[str, int], period_columns: dict[int, str]) -> None:
        indicator_col = columns.get("indicator")
        sheet_indicator = None if indicator_col is not None else sheet.name
        for offset, row in enumerate(sheet.rows[1:], start=2):
            if _is_blank(row):
                continue
            indicator_raw = sheet_indicator if indicator_col is None else self._cell(row, indicator_col)
            for index, period in period_columns.items():
                cell = self._cell(row, index)
                if str(cell).strip() in ("", ".", "-", "x"):
                    continue  # empty or CBS 'geheim/onbekend': no observation
                self._add(sheet.name, offset, columns, row, indicator_raw, indicator_col, period, index, cell, index)


def raw_text(value: Any) -> str:
    """A cell as the user typed it; numbers in Dutch notation without a needless ',0'."""
    return f"{value:g}".replace(".", ",") if isinstance(value, float) else str(value)


def parse_new_indicators(sheet: Sheet, catalog: Catalog, result: ParseResult) -> None:
    """Indicators defined in the upload itself: id, naam, eenheid, richting, omschrijving, bron."""
    header = [normalise_name(str(c)) for c in (sheet.rows[0] if sheet.rows else [])]
    missing = [c for c in NEW_INDICATOR_COLUMNS if c not in header]
    if missing:
        result.problems.append(Problem(sheet.name, 1, None, "kolommen ontbreken: " + ", ".join(missing)))
        return
    col = {name: header.index(name) for name in NEW_INDICATOR_COLUMNS}
    for number, row in enumerate(sheet.rows[1:], start=2):
        if _is_blank(row):
            continue
        cell = {name: str(row[i]).strip() if i < len(row) else "" for name, i in col.items()}
        before = len(result.problems)

        def bad(name: str, message: str, number: int = number) -> None:
            result.problems.append(Problem(sheet.name, number, column_letter(col[name]), message))

        if not re.fullmatch(r"[a-z][a-z0-9_]{2,80}", cell["id"]):
            bad("id", f"id ‘{cell['id']}’ is ongeldig; gebruik kleine letters, cijfers en _ (bijv. wachtlijst_aantal)")
        elif cell["id"] in catalog.indicators or any(i.id == cell["id"] for i in result.new_indicators):
            bad("id", f"indicator ‘{cell['id']}’ bestaat al; gebruik die in het blad met cijfers")
        for name in ("naam", "omschrijving", "bron"):
            if not cell[name]:
                bad(name, f"{name} ontbreekt")
        unit = UNIT_WORDS.get(cell["eenheid"].lower())
        if unit is None:
            bad("eenheid", f"eenheid ‘{cell['eenheid']}’ is onbekend; kies uit {', '.join(UNIT_WORDS)}")
        direction = DIRECTION_WORDS.get(cell["richting"].lower())
        if direction is None:
            bad("richting", f"richting ‘{cell['richting']}’ is onbekend; kies uit {', '.join(DIRECTION_WORDS)}")
        if len(result.problems) == before:
            result.new_indicators.append(Indicator(
                id=cell["id"], name=cell["naam"], description=cell["omschrijving"], unit=unit,
                direction=direction, source=cell["bron"], aggregation="none", levers=("kpi",),
            ))


def parse_sheets(sheets: list[Sheet], catalog: Catalog, default_source: str, max_rows: int) -> ParseResult:
    result = ParseResult()
    for sheet in sheets:
        if normalise_name(sheet.name) == NEW_INDICATORS_SHEET:
            parse_new_indicators(sheet, catalog, result)
    if result.new_indicators:
        catalog = replace(catalog, indicators={**catalog.indicators, **{i.id: i for i in result.new_indicators}})
        result.notices.append("Nieuwe indicatoren in dit bestand: "
                              + ", ".join(f"{i.name} ({i.id})" for i in result.new_indicators) + ".")
    total = sum(max(len(s.rows) - 1, 0) for s in sheets)
    if total > max_rows:
        result.problems.append(Problem(sheets[0].name, None, None,
                                       f"het bestand heeft {total} rijen; de grens is {max_rows}"))
        return result
    parser = SheetParser(catalog, default_source, result)
    for sheet in sheets:
        parser.parse(sheet)
    if not result.rows and not result.problems:
        result.problems.append(Problem(sheets[0].name if sheets else "-", None, None,
                                       "het bestand bevat geen cijfers"))
    return result
