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

import numpy as np

from dashboard.analysis.periods import PERIOD_FORMATS_NL, is_valid
from dashboard.catalog.models import Area, Catalog, Indicator
from dashboard.ingest.fast_long import fast_rows
from dashboard.ingest.mapping import (
    NATIONAL,
    NEW_AREA_LEVELS,
    SKIP,
    NameMapping,
    NewArea,
    UnknownName,
    area_name_problem,
    name_key,
    new_area_code,
    new_indicator_id,
    parse_new_area_target,
    parse_new_target,
)
from dashboard.ingest.reader import Sheet
from dashboard.store.rows import ObservationRows, RowBlock
from dashboard.text_limits import text_problem

NEW_INDICATORS_SHEET = "nieuwe indicatoren"
NEW_INDICATOR_COLUMNS = ["id", "naam", "eenheid", "richting", "omschrijving", "bron"]
UNIT_WORDS = {"procent": "percent", "%": "percent", "percentage": "percent", "aantal": "count", "euro": "euro",
              "rapportcijfer": "grade", "cijfer": "grade", "verandering": "percent_change",
              "dagen": "days", "days": "days"}
DIRECTION_WORDS = {"lager is beter": "lower_is_better", "hoger is beter": "higher_is_better", "neutraal": "neutral"}

COLUMN_NAMES = {
    "indicator": ("indicator", "indicator_id", "indicatorid", "onderwerp", "onderwerpen", "indicatornaam"),
    # A code column first: where an export has both a name and a code column, the code decides.
    "gebied": ("gebiedscode", "gebied_code", "area_code", "regiocode", "codering", "gemeentecode", "wijkcode",
               "gebied", "gemeente", "wijk", "regio", "regio_s", "regios", "regionaam", "gemeentenaam",
               "gebiedsnaam", "wijknaam", "wijken_en_buurten", "gemeenten"),
    "periode": ("periode", "jaar", "period", "perioden", "jaartal"),
    "waarde": ("waarde", "value"),
    "teller": ("teller", "numerator"),
    "noemer": ("noemer", "denominator"),
    "bron": ("bron", "source"),
}
REFERENCE_SHEETS = {"toelichting", "indicatoren", "gebieden", "periodes", "fictief", NEW_INDICATORS_SHEET}
FIRST_YEAR = 1900  # a period before this, or more than YEARS_AHEAD after this year, is a typo
YEARS_AHEAD = 10
PROVISIONAL_MARK = "*"  # CBS marks provisional figures: 2021* (and 2021** for revised provisional ones)
PROVISIONAL_NOTE = "voorlopig cijfer (CBS)"
CBS_EMPTY = {".": "geheim of onbekend", "x": "geheim", "-": "nihil"}
HEADER_SEARCH_ROWS = 30  # title rows above the header (StatLine, GGD exports) are looked through
UNIT_RANGES = {"percent": (0, 100), "percent_change": (-100, 10_000), "count": (0, math.inf),
               "euro": (0, math.inf), "grade": (0, 10), "days": (0, 3650), "per_km2": (0, math.inf),
               "per_1000": (0, math.inf)}


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str | None
    message: str
    unknown: tuple[str, str] | None = None  # (kind, name key) when a mapping on the upload page can solve it

    def __str__(self) -> str:
        where = f"Blad ‘{self.sheet}’"
        if self.row is not None:
            where += f", rij {self.row}"
        if self.column:
            where += f", kolom {self.column}"
        return f"{where}: {self.message}"


@dataclass
class ParseResult:
    rows: ObservationRows = field(default_factory=ObservationRows)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    new_indicators: list[Indicator] = field(default_factory=list)
    new_areas: list[Area] = field(default_factory=list)  # defined in the mapping step
    skipped_reference: list[str] = field(default_factory=list)
    unknown: dict[tuple[str, str], UnknownName] = field(default_factory=dict)
    left_out: dict[tuple[str, str], int] = field(default_factory=dict)  # rows of names mapped to ‘niet inlezen’
    defined: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, key) -> id or code of a new one


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
    text = re.sub(r"^(gemeente|wijk|regio) (\d{2} )?", "", " ".join(text.split()))  # CBS: "Wijk 01 Centrum"
    return text.strip()


# CBS codes, the catalog's regions, and the codes of areas staff defined in the mapping step (EG_…, EW0375_…).
_AREA_CODE = re.compile(r"\b(NL\d{2}|PV\d{2}|GM\d{4}|WK\d{6}|BU\d{8}|REG_[A-Z0-9_]+"
                        r"|EG_[A-Z0-9_]+|EW\d{0,4}_[A-Z0-9_]+)\b")


class Matcher:
    """Find areas and indicators by code or name, then by the mapping staff made; suggest close names."""

    def __init__(self, catalog: Catalog, mapping: NameMapping | None = None,
                 define: Any = None, define_area: Any = None) -> None:
        self.catalog = catalog
        self.mapping = mapping or {}
        self.define = define  # callable(raw name, unit, direction, name, description) -> new indicator id
        self.define_area = define_area  # callable(raw name, NewArea) -> new area code
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

    def _mapped(self, kind: str, text: str) -> str | None:
        target = self.mapping.get((kind, name_key(text)))
        if target is None:
            return None
        new = parse_new_target(target) if kind == "indicator" else None
        if new is not None:
            return self.define(text, *new) if self.define else None
        area = parse_new_area_target(target) if kind == "gebied" else None
        if area is not None:
            return self.define_area(text, area) if self.define_area else None
        if target == SKIP or target in (self.catalog.areas if kind == "gebied" else self.catalog.indicators):
            return target
        return None  # a remembered target that no longer exists: asked again

    def area_suggestions(self, text: str) -> list[str]:
        key = normalise_name(text)
        exact = self.area_names.get(key, [])
        close = difflib.get_close_matches(key, list(self.area_names), n=5, cutoff=0.6)
        return list(dict.fromkeys([*exact, *(code for c in close for code in self.area_names[c])]))[:8]

    def indicator_suggestions(self, text: str) -> list[str]:
        close = difflib.get_close_matches(normalise_name(text), list(self.indicator_names), n=5, cutoff=0.4)
        return [self.indicator_names[c] for c in close]

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
        with_code = [c for c in _AREA_CODE.findall(text.upper()) if c in self.area_codes]
        if len(set(with_code)) == 1:  # "Beverwijk (GM0375)", "GM0375 Beverwijk"
            return self.area_codes[with_code[0]], None
        mapped = self._mapped("gebied", text)
        if mapped:
            return mapped, None
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
        mapped = self._mapped("indicator", text)
        if mapped:
            return mapped, None
        close = difflib.get_close_matches(text, list(self.catalog.indicators), n=2, cutoff=0.7)
        hint = f" Bedoelt u {' of '.join(close)}?" if close else ""
        return None, f"indicator ‘{text}’ is onbekend.{hint} Zie het blad ‘indicatoren’ van het sjabloon."


_GROUPED_DOTS = re.compile(r"[-+]?[1-9]\d{0,2}(\.\d{3})+")  # 1.234 or 12.500.000: Dutch thousands
_GROUPED_COMMAS = re.compile(r"[-+]?[1-9]\d{0,2}(,\d{3})+")  # 1,234 or 1,234,567
_NL_FULL = re.compile(r"[-+]?\d{1,3}(\.\d{3})+,\d+")  # 1.234,5
_EN_FULL = re.compile(r"[-+]?\d{1,3}(,\d{3})+\.\d+")  # 1,234.5
# Text that shows which decimal sign a file uses: a dot or comma not followed by exactly three digits.
_EN_EVIDENCE = re.compile(r"[-+]?\d*\.(\d{1,2}|\d{4,})|[-+]?0\.\d+|[-+]?\d{1,3}(,\d{3})+\.\d+")
_NL_EVIDENCE = re.compile(r"[-+]?\d*,(\d{1,2}|\d{4,})|[-+]?0,\d+|[-+]?\d{1,3}(\.\d{3})+,\d+")


class Notation:
    """Which decimal sign the text cells of a file use, looked up only when a cell needs it (lazily)."""

    def __init__(self, sheets: list[Sheet]) -> None:
        self.sheets = sheets
        self._english: str | bool | None = False  # False: not looked up yet

    def english_example(self) -> str | None:
        """A cell of this file written with a decimal point (15.8, 1,234.5), or None."""
        if self._english is False:
            self._english = None
            for sheet in self.sheets:
                for row in sheet.rows:
                    for cell in row:
                        if type(cell) is str and "." in cell and _EN_EVIDENCE.fullmatch(_number_text(cell)):
                            self._english = cell.strip()
                            return self._english
        return self._english  # type: ignore[return-value]


def _number_text(raw: str) -> str:
    return raw.strip().replace("\u00a0", "").replace(" ", "").removesuffix("%")


def _finite(value: float) -> tuple[float | None, str | None]:
    return (value, None) if math.isfinite(value) else (None, "verwacht een eindig getal")


def parse_number(raw: Any, notation: Notation | None = None) -> tuple[float | None, str | None]:
    """A cell as a Dutch user means it: 1.234 and 12.500 are thousands, 12,5 is twelve and a half.

    A cell that reads as another number in English notation, in a file that elsewhere writes decimal
    points, is ambiguous and refused (with an example from the file) rather than guessed.
    """
    if type(raw) is float or type(raw) is int:  # the common case first: a numeric cell (not bool)
        return _finite(float(raw))
    if isinstance(raw, bool):
        return None, "verwacht een getal, niet waar/onwaar"
    if isinstance(raw, (datetime, date, time)):
        return None, "hier staat een datum waar een getal hoort; zet de cel op ‘Getal’"
    if isinstance(raw, (int, float)):
        return _finite(float(raw))
    text = _number_text(str(raw))
    if not text:
        return None, "waarde ontbreekt"
    not_a_number = None, f"‘{raw}’ is geen getal (gebruik bijvoorbeeld 12,5 of 1.234)"
    english = notation.english_example() if notation is not None else None

    def ambiguous(dutch: str, other: str) -> tuple[None, str]:
        return None, (f"‘{raw}’ is dubbelzinnig: het dashboard leest het als {dutch}, maar elders in dit bestand "
                      f"staat een punt als decimaalteken (‘{english}’), en dan is het {other}. Schrijf het getal "
                      "zonder scheidingsteken voor duizendtallen (1234) of met een decimale komma (1,5)")

    if "," in text and "." in text:
        if _NL_FULL.fullmatch(text):
            text = text.replace(".", "").replace(",", ".")
        elif _EN_FULL.fullmatch(text):
            text = text.replace(",", "")
        else:
            return not_a_number
    elif "," in text:
        if _GROUPED_COMMAS.fullmatch(text) and text.count(",") > 1:
            text = text.replace(",", "")  # 1,234,567: only thousands can repeat
        elif _GROUPED_COMMAS.fullmatch(text) and english:
            return ambiguous(text.replace(",", "."), text.replace(",", ""))
        else:
            text = text.replace(",", ".")
    elif "." in text and _GROUPED_DOTS.fullmatch(text):
        if english and text.count(".") == 1:
            return ambiguous(text.replace(".", ""), text)
        text = text.replace(".", "")
    try:
        value = float(text)
    except ValueError:
        return not_a_number
    return _finite(value)


def decimals_written(raw: Any, value: float) -> int:
    """How many decimals a value was given with (15,8 -> 1; 16 -> 0): the rounding it may carry."""
    if isinstance(raw, str):
        text = _number_text(raw)
        for sign in (",", "."):
            head, _, tail = text.rpartition(sign)
            if head and tail.isdigit() and not (len(tail) == 3 and sign == "."):
                return len(tail)
        return 0
    _, _, tail = repr(float(value)).partition(".")
    return 0 if tail in ("", "0") or "e" in tail else len(tail)


@functools.lru_cache(maxsize=4096, typed=True)  # a sheet repeats a handful of periods many thousands of times
def parse_period(raw: Any) -> tuple[str | None, str | None]:
    if isinstance(raw, (datetime, date)):
        return None, "hier staat een datum; schrijf de periode als " + " of ".join(PERIOD_FORMATS_NL[:2])
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip().upper().replace(" ", "")
    if is_valid(text):
        years = [int(y) for y in re.findall(r"\d{4}", text)]
        low, high = FIRST_YEAR, date.today().year + YEARS_AHEAD
        if any(not low <= year <= high for year in years):
            return None, (f"periode ‘{raw}’ valt buiten de jaren {low} tot en met {high}; "
                          "controleer het jaartal")
        return text, None
    return None, f"periode ‘{raw}’ is ongeldig; gebruik {', '.join(PERIOD_FORMATS_NL)}"


def _header_map(header: list[Any]) -> dict[str, int]:
    found: dict[str, tuple[int, int]] = {}  # key -> (rank of the synonym, column)
    for index, cell in enumerate(header):
        name = name_key(cell).replace(" ", "_")  # no prefix stripped here: "Regio's" stays "regio_s"
        for key, synonyms in COLUMN_NAMES.items():
            if name in synonyms and (key not in found or synonyms.index(name) < found[key][0]):
                found[key] = (synonyms.index(name), index)
    return {key: index for key, (_, index) in found.items()}


def _period_columns(header: list[Any]) -> dict[int, tuple[str, bool]]:
    """Columns whose header is a period; a CBS mark (2021*) reads as that period, provisional."""
    columns = {}
    for index, cell in enumerate(header):
        text = str(cell).strip()
        provisional = text.endswith(PROVISIONAL_MARK)
        text = text.rstrip(PROVISIONAL_MARK).strip()
        if not text:
            continue
        period, _ = parse_period(cell if not provisional else text)
        if period:
            columns[index] = (period, provisional)
    return columns


def _is_blank(row: list[Any]) -> bool:
    if row:  # the first cell usually decides, without converting the whole row to text
        first = row[0]
        if first is not None and (not isinstance(first, str) or first.strip()):
            return False
    return all(str(c).strip() == "" for c in row)


def _filled(row: list[Any]) -> list[int]:
    return [i for i, c in enumerate(row) if str(c).strip() != ""]


LONG = {"indicator", "gebied", "periode", "waarde"}


def find_header(rows: list[list[Any]]) -> tuple[int, dict[str, int], dict[int, tuple[str, bool]], str] | None:
    """The first row (0-based) among the first rows that is a header, below any title rows, and its layout:

    - long: the columns indicator, gebied, periode and waarde;
    - wide: a column gebied and periods (2019, 2020, 2021*) as column headers;
    - topics: a column gebied, a column periode and topics as column headers (a CBS StatLine or GGD export:
      "Regio's; Perioden; Jongeren met jeugdhulp (%)"), each topic an indicator.
    """
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _is_blank(row):
            continue
        columns = _header_map(row)
        periods = _period_columns(row)
        if columns.keys() >= LONG:
            return index, columns, periods, "long"
        if "gebied" in columns and periods:
            return index, columns, periods, "wide"
        topics = [i for i in _filled(row) if i not in columns.values()]
        if {"gebied", "periode"} <= columns.keys() and "waarde" not in columns and topics:
            return index, columns, {}, "topics"
    return None


def _rows_text(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:10])
    return shown + (f" en {len(numbers) - 10} andere" if len(numbers) > 10 else "")


class SeenKeys:
    """(indicator, area, period) -> (sheet, row) of every stored row, for the message on a repeated key.

    The keys of a block of plain rows are added only when a later sheet asks: within its own sheet no other row
    can repeat them (fast_long sends every repeated key row by row), so a one-sheet upload never makes the
    million tuples.
    """

    def __init__(self) -> None:
        self._keys: dict[tuple[str, str, str], tuple[str, int]] = {}
        self._blocks: list[RowBlock] = []

    def add_block(self, block: RowBlock) -> None:
        self._blocks.append(block)

    def _all(self) -> dict[tuple[str, str, str], tuple[str, int]]:
        for block in self._blocks:
            for key, number in zip(zip(block.indicator_id.tolist(), block.area_code.tolist(), block.period.tolist(),
                                       strict=True), block.numbers.tolist(), strict=True):
                self._keys[key] = (block.sheet, number)
        self._blocks.clear()
        return self._keys

    def __contains__(self, key: object) -> bool:
        return key in self._all()

    def __getitem__(self, key: tuple[str, str, str]) -> tuple[str, int]:
        return self._all()[key]

    def __setitem__(self, key: tuple[str, str, str], where: tuple[str, int]) -> None:
        self._all()[key] = where

    def __bool__(self) -> bool:
        return bool(self._keys) or any(len(block) for block in self._blocks)


class SheetParser:
    def __init__(self, catalog: Catalog, default_source: str, result: ParseResult,
                 notation: Notation | None = None, mapping: NameMapping | None = None) -> None:
        self.catalog = catalog
        self.units = {i.id: i.unit for i in catalog.indicators.values()}
        self.matcher = Matcher(catalog, mapping, self._define, self._define_area)
        self.refused_definitions: set[tuple[str, str]] = set()  # said once, not per cell
        self.default_source = default_source
        self.result = result
        self.notation = notation
        self.seen = SeenKeys()
        self.where = ""

    def _refuse_definition(self, key: tuple[str, str], raw: str, problems: list[str]) -> None:
        """A definition in the mapping step that cannot be stored: said once, with the name it is for."""
        if key not in self.refused_definitions:
            self.refused_definitions.add(key)
            what = "de nieuwe indicator" if key[0] == "indicator" else "het nieuwe gebied"
            self.result.problems.append(Problem("Koppelen", None, None,
                                                f"{what} voor ‘{raw.strip()}’: " + "; ".join(problems)))

    def _define(self, raw: str, unit: str, direction: str, name: str | None = None,
                description: str | None = None) -> str | None:
        """A name mapped to ‘nieuwe indicator’: defined once, with the name and description staff typed
        (or the name as the export writes it)."""
        key = ("indicator", name_key(raw))
        if key in self.result.defined:
            return self.result.defined[key]
        if unit not in UNIT_RANGES or direction not in DIRECTION_WORDS.values():
            return None
        name = raw.strip() if name is None else name.strip()
        description = f"‘{raw.strip()}’ uit {self.default_source}" if description is None else description.strip()
        problems = [p for p in (text_problem("indicator_name", name),
                                text_problem("indicator_description", description)) if p]
        problems += [f"{what} ontbreekt" for what, text in (("de naam", name), ("de omschrijving", description))
                     if not text]
        if problems:
            self._refuse_definition(key, raw, problems)
            return None
        taken = set(self.units) | {i.id for i in self.result.new_indicators}
        indicator = Indicator(id=new_indicator_id(name, taken), name=name, description=description, unit=unit,
                              direction=direction, source=self.default_source, aggregation="none", levers=("kpi",))
        self.result.new_indicators.append(indicator)
        self.units[indicator.id] = unit
        self.result.defined[key] = indicator.id
        return indicator.id

    def _define_area(self, raw: str, new: NewArea) -> str | None:
        """A name mapped to ‘nieuw gebied’: defined once, as a wijk of a known municipality or a municipality."""
        key = ("gebied", name_key(raw))
        if key in self.result.defined:
            return self.result.defined[key]
        name = new.name.strip()
        problems = [p for p in (text_problem("area_name", name) or area_name_problem(name),) if p]
        if new.level not in NEW_AREA_LEVELS:
            problems.append(f"soort ‘{new.level}’ is onbekend; kies wijk of gemeente")
        parent = self.catalog.areas.get(new.municipality or "")
        if new.level == "wijk" and (parent is None or parent.level != "gemeente"):
            problems.append("zeg bij welke gemeente de wijk hoort")
        if problems:
            self._refuse_definition(key, raw, problems)
            return None
        taken = set(self.catalog.areas) | {a.code for a in self.result.new_areas}
        code = new_area_code(NewArea(name, new.level, new.municipality), taken)
        area = Area(code=code, name=name, level=new.level,
                    parent=parent.code if new.level == "wijk" and parent else NATIONAL)
        self.result.new_areas.append(area)
        self.catalog = replace(self.catalog, areas={**self.catalog.areas, code: area})
        self.result.defined[key] = code
        return code

    def unknown(self, kind: str, raw: Any, sheet: str, number: int, column: int | None, why: str) -> None:
        """A name that matched nothing: a problem (with sheet, row, column) that a mapping can solve."""
        text = str(raw).strip()
        key = (kind, name_key(text))
        entry = self.result.unknown.get(key)
        if entry is None:
            suggestions = (self.matcher.area_suggestions(text) if kind == "gebied"
                           else self.matcher.indicator_suggestions(text))
            where = f"blad ‘{sheet}’, rij {number}" + (f", kolom {column_letter(column)}" if column is not None else "")
            entry = self.result.unknown[key] = UnknownName(kind, text, key[1], where, suggestions=suggestions)
        entry.rows += 1
        self.result.problems.append(Problem(sheet, number, column_letter(column) if column is not None else None,
                                            why, unknown=key))

    def problem(self, sheet: str, row: int | None, column: int | None, message: str) -> None:
        self.result.problems.append(Problem(sheet, row, column_letter(column) if column is not None else None,
                                            message))

    def notice(self, sheet: str, message: str) -> None:
        self.result.notices.append(f"Blad ‘{sheet}’: {message}")

    def parse(self, sheet: Sheet) -> None:
        rows = sheet.rows
        reference = normalise_name(sheet.name) in REFERENCE_SHEETS
        if not rows or all(_is_blank(r) for r in rows):
            if not reference:
                self.result.notices.append(f"Blad ‘{sheet.name}’ is leeg en is overgeslagen.")
            return
        found = find_header(rows)
        if reference:
            if found is None:
                self.result.skipped_reference.append(sheet.name)
                return
            self.notice(sheet.name, "heeft de naam van een hulpblad van het sjabloon, maar bevat cijfers; "
                        "het is als gegevens ingelezen.")
        if found is None:
            self.problem(sheet.name, 1, None,
                         "geen herkenbare kolommen in de eerste rijen. Verwacht een lang blad met de kolommen "
                         "indicator, gebied, periode en waarde, of een breed blad met een kolom gebied en perioden "
                         "(zoals 2019, 2020) als kolomkoppen")
            return
        header_index, columns, period_columns, layout = found
        if header_index:
            self.notice(sheet.name, f"rij {'1' if header_index == 1 else f'1 tot en met {header_index}'} "
                        f"gelezen als titel; de kolomkoppen staan in rij {header_index + 1}.")
        header = rows[header_index]
        if layout == "topics":
            self._parse_topics(sheet, header_index, columns)
            return
        long = layout == "long"
        used = set(columns.values()) | (set() if long else set(period_columns))
        for index in _filled(header):
            if index not in used:
                self.notice(sheet.name, f"kolom {column_letter(index)} (‘{header[index]}’) is niet ingelezen; "
                            "het dashboard kent deze kolom niet.")
        for index, (period, provisional) in period_columns.items():
            if provisional and not long:
                self.notice(sheet.name, f"kolom {column_letter(index)} (‘{header[index]}’) is gelezen als "
                            f"{period}, {PROVISIONAL_NOTE}.")
        if long:
            self._parse_long(sheet, header_index, columns)
        else:
            title = next((str(c).strip() for r in rows[:header_index] for c in r if str(c).strip()), "")
            self._parse_wide(sheet, header_index, columns, period_columns, title)

    def _cell(self, row: list[Any], index: int | None) -> Any:
        return row[index] if index is not None and index < len(row) else ""

    def _whole(self, sheet: str, number: int, column: int | None, name: str, value: float) -> bool:
        if value < 0 or not float(value).is_integer():
            self.problem(sheet, number, column, f"{name} {raw_text(value)} moet een geheel aantal van 0 of meer zijn")
            return False
        return True

    def _add(self, sheet: str, number: int, columns: dict[str, int], row: list[Any], indicator_raw: Any,
             indicator_col: int | None, period_raw: Any, period_col: int, value_raw: Any, value_col: int,
             provisional: bool = False) -> None:
        problems_before = len(self.result.problems)
        indicator_id, why = self.matcher.indicator(indicator_raw)
        if why:
            self.unknown("indicator", indicator_raw, sheet, number, indicator_col, why)
        area_raw = self._cell(row, columns["gebied"])
        area_code, why = self.matcher.area(area_raw)
        if why:
            self.unknown("gebied", area_raw, sheet, number, columns["gebied"], why)
        for kind, target, raw in (("indicator", indicator_id, indicator_raw), ("gebied", area_code, area_raw)):
            if target == SKIP:  # mapped to ‘niet inlezen’: left out, and counted for the preview
                key = (kind, str(raw).strip())
                self.result.left_out[key] = self.result.left_out.get(key, 0) + 1
                return
        if isinstance(period_raw, str) and period_raw.strip().endswith(PROVISIONAL_MARK):
            period_raw, provisional = period_raw.strip().rstrip(PROVISIONAL_MARK), True
        period, why = parse_period(period_raw)
        if why:
            self.problem(sheet, number, period_col, why)
        value, why = parse_number(value_raw, self.notation)
        if why:
            self.problem(sheet, number, value_col, why)
        extra: dict[str, float | None] = {"teller": None, "noemer": None}
        for key in ("teller", "noemer"):
            raw = self._cell(row, columns.get(key))
            if type(raw) is float or str(raw).strip() != "":
                extra[key], why = parse_number(raw, self.notation)
                if why:
                    self.problem(sheet, number, columns[key], why)
        if len(self.result.problems) > problems_before:
            return
        unit = self.units[indicator_id]
        low, high = UNIT_RANGES[unit]
        if not low <= value <= high:
            bounds = f"{low:g} tot {high:g}"
            hint = (" (een punt leest het dashboard als scheiding van duizendtallen: 12.500 is twaalfduizend"
                    "vijfhonderd; schrijf 12,5)") if isinstance(value_raw, str) and "." in value_raw else ""
            self.problem(sheet, number, value_col,
                         f"waarde {raw_text(value_raw)} valt buiten het bereik {bounds} voor deze indicator{hint}")
            return
        if unit == "count" and not self._whole(sheet, number, value_col, "het aantal", value):
            return
        if not self._check_fraction(sheet, number, columns, unit, value_raw, value, value_col, extra):
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
            "quote": None, "note": f"blad {sheet}, rij {number}" + (f", {PROVISIONAL_NOTE}" if provisional else ""),
        })

    def _check_fraction(self, sheet: str, number: int, columns: dict[str, int], unit: str, value_raw: Any,
                        value: float, value_col: int, extra: dict[str, float | None]) -> bool:
        """Teller and noemer are whole counts, the noemer above 0; for a percentage the teller is at most the
        noemer and the value is 100 x teller / noemer within the rounding the value was written with."""
        teller, noemer = extra["teller"], extra["noemer"]
        if teller is not None and not self._whole(sheet, number, columns["teller"], "de teller", teller):
            return False
        if noemer is not None and not self._whole(sheet, number, columns["noemer"], "de noemer", noemer):
            return False
        if noemer is not None and noemer == 0:
            self.problem(sheet, number, columns["noemer"], "de noemer is 0; een percentage van 0 personen bestaat niet")
            return False
        if unit != "percent" or teller is None or noemer is None:
            return True
        if teller > noemer:
            self.problem(sheet, number, columns["teller"],
                         f"de teller ({raw_text(teller)}) is groter dan de noemer ({raw_text(noemer)})")
            return False
        computed = 100 * teller / noemer
        # The rounding the value was written with, at least 0,01 point (a value cut off instead of rounded).
        tolerance = max(0.5 * 10 ** -decimals_written(value_raw, value), 0.01) + 1e-9
        if abs(computed - value) > tolerance:
            shown = f"{computed:.2f}".replace(".", ",")
            self.problem(sheet, number, value_col,
                         f"de waarde {raw_text(value_raw)} past niet bij teller {raw_text(teller)} en noemer "
                         f"{raw_text(noemer)} (dat is {shown}%)")
            return False
        return True

    def _skip_text_only(self, sheet: str, number: int, row: list[Any], skipped: list[tuple[int, str]]) -> bool:
        """A row with text in one cell only (a footnote such as ‘Bron: CBS’) holds no figure: skipped, and said."""
        filled = _filled(row)
        if len(filled) == 1 and isinstance(row[filled[0]], str):
            skipped.append((number, str(row[filled[0]]).strip()))
            return True
        return False

    def _report_skipped(self, sheet: str, skipped: list[tuple[int, str]]) -> None:
        if skipped:
            example = skipped[0][1][:60]
            self.notice(sheet, f"rij {_rows_text([n for n, _ in skipped])} zonder cijfers (zoals ‘{example}’) "
                        "is overgeslagen.")

    def _parse_long(self, sheet: Sheet, header_index: int, columns: dict[str, int]) -> None:
        skipped: list[tuple[int, str]] = []
        rows, start = sheet.rows, header_index + 1
        plain = fast_rows(self, sheet.name, rows, start, columns)  # rows without any message, as columns
        if plain is None or not len(plain):
            rest: Any = range(start, len(rows))
            positions = np.array([], dtype=np.int64)
        else:
            positions = plain.numbers - 1  # index in rows
            left = np.ones(len(rows), dtype=bool)
            left[:start] = False
            left[positions] = False
            rest = np.flatnonzero(left).tolist()
        added = 0
        for index in rest:  # the other rows, row by row, each after the plain rows above it
            before = int(np.searchsorted(positions, index))
            if before > added:
                self.result.rows.add_block(plain, added, before)
                added = before
            row, offset = rows[index], index + 1
            if _is_blank(row) or self._skip_text_only(sheet.name, offset, row, skipped):
                continue
            self._add(sheet.name, offset, columns, row, self._cell(row, columns["indicator"]), columns["indicator"],
                      self._cell(row, columns["periode"]), columns["periode"],
                      self._cell(row, columns["waarde"]), columns["waarde"])
        if plain is not None and len(plain):
            self.result.rows.add_block(plain, added, len(plain))
            self.seen.add_block(plain)
        self._report_skipped(sheet.name, skipped)

    def _parse_topics(self, sheet: Sheet, header_index: int, columns: dict[str, int]) -> None:
        """Region and period in columns, every other column a topic (indicator) with its values."""
        header = sheet.rows[header_index]
        topics: dict[int, str] = {}
        for index in _filled(header):
            if index in columns.values():
                continue
            name = str(header[index]).strip()
            indicator_id, why = self.matcher.indicator(name)
            if why:
                self.unknown("indicator", name, sheet.name, header_index + 1, index, why)
            elif indicator_id == SKIP:
                self.notice(sheet.name, f"kolom {column_letter(index)} (‘{name}’) is niet ingelezen (zo gekoppeld).")
            else:
                topics[index] = name
        for key in ("indicator", "waarde", "teller", "noemer"):
            columns.pop(key, None)  # in this layout the figures are in the topic columns
        skipped: list[tuple[int, str]] = []
        marks: dict[str, int] = {}
        for offset, row in enumerate(sheet.rows[header_index + 1:], start=header_index + 2):
            if _is_blank(row) or self._skip_text_only(sheet.name, offset, row, skipped):
                continue
            area_raw = self._cell(row, columns["gebied"])
            _, why = self.matcher.area(area_raw)
            if why:  # said once per row (not per topic), also while the topics still need a mapping
                self.unknown("gebied", area_raw, sheet.name, offset, columns["gebied"], why)
                continue
            if topics and all(str(self._cell(row, index)).strip() == "" for index in topics):
                skipped.append((offset, " ".join(str(row[i]).strip() for i in _filled(row))))
                continue
            for index, name in topics.items():
                cell = self._cell(row, index)
                text = str(cell).strip()
                if text in CBS_EMPTY:
                    marks[text] = marks.get(text, 0) + 1
                    continue
                if text:
                    self._add(sheet.name, offset, columns, row, name, index,
                              self._cell(row, columns["periode"]), columns["periode"], cell, index)
        self._report_skipped(sheet.name, skipped)
        if marks:
            parts = ", ".join(f"{n} met ‘{mark}’ ({CBS_EMPTY[mark]})" for mark, n in marks.items())
            self.notice(sheet.name, f"cellen zonder cijfer zijn niet ingelezen: {parts}.")

    def _parse_wide(self, sheet: Sheet, header_index: int, columns: dict[str, int],
                    period_columns: dict[int, tuple[str, bool]], title: str = "") -> None:
        indicator_col = columns.get("indicator")
        # Without an indicator column the sheet's name says which indicator; a CSV has no sheet name, so its
        # title row (a StatLine export's table title) does, when it has one.
        own_name = title if sheet.name == "CSV" and title else sheet.name
        sheet_indicator = None if indicator_col is not None else own_name
        skipped: list[tuple[int, str]] = []
        marks: dict[str, int] = {}
        for offset, row in enumerate(sheet.rows[header_index + 1:], start=header_index + 2):
            if _is_blank(row) or self._skip_text_only(sheet.name, offset, row, skipped):
                continue
            indicator_raw = sheet_indicator if indicator_col is None else self._cell(row, indicator_col)
            if all(str(self._cell(row, index)).strip() == "" for index in period_columns):
                skipped.append((offset, " ".join(str(row[i]).strip() for i in _filled(row))))
                continue
            for index, (period, provisional) in period_columns.items():
                cell = self._cell(row, index)
                text = str(cell).strip()
                if text == "":
                    continue
                if text in CBS_EMPTY:  # CBS 'geheim', 'onbekend' or 'nihil': no observation, counted below
                    marks[text] = marks.get(text, 0) + 1
                    continue
                self._add(sheet.name, offset, columns, row, indicator_raw, indicator_col, period, index, cell, index,
                          provisional)
        self._report_skipped(sheet.name, skipped)
        if marks:
            parts = ", ".join(f"{n} met ‘{mark}’ ({CBS_EMPTY[mark]})" for mark, n in marks.items())
            self.notice(sheet.name, f"cellen zonder cijfer zijn niet ingelezen: {parts}.")


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


def parse_sheets(sheets: list[Sheet], catalog: Catalog, default_source: str, max_rows: int,
                 mapping: NameMapping | None = None) -> ParseResult:
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
    parser = SheetParser(catalog, default_source, result, Notation(sheets), mapping)
    for sheet in sheets:
        if normalise_name(sheet.name) != NEW_INDICATORS_SHEET:
            parser.parse(sheet)
    for (kind, raw), count in result.left_out.items():
        result.notices.append(f"Niet ingelezen (gekoppeld aan ‘niet inlezen’): {kind} ‘{raw}’, "
                              f"{count} {'cijfer' if count == 1 else 'cijfers'}.")
    defined = [i for i in result.new_indicators if i.id in result.defined.values()]
    if defined:
        result.notices.append("Nieuwe indicatoren uit de koppeling: "
                              + ", ".join(f"{i.name} ({i.id})" for i in defined) + ".")
    if result.new_areas:
        areas = {**catalog.areas, **{a.code: a for a in result.new_areas}}
        result.notices.append("Nieuwe gebieden uit de koppeling: " + ", ".join(
            f"{a.name} ({a.code}, " + (f"wijk van {areas[a.parent].name})" if a.level == "wijk" else "gemeente)")
            for a in result.new_areas) + ".")
    if result.skipped_reference:
        result.notices.append("Overgeslagen hulpbladen (zonder cijfers): "
                              + ", ".join(f"‘{name}’" for name in result.skipped_reference) + ".")
    if not result.rows and not result.problems:
        result.problems.append(Problem(sheets[0].name if sheets else "-", None, None,
                                       "het bestand bevat geen cijfers"))
    return result
