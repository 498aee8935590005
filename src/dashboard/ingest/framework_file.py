"""A policy plan (beleidskader) as an Excel file staff can write: template, export and validated import.

One description of the sheets (`PLAN_FIELDS`, `TABLES`) serves template, export and import. A column that
names a model attribute (`Column.attribute`) travels both ways without code of its own, so a new field of
Theme or Goal is one `Column` line; a new text field of Framework is one `PLAN_FIELDS` line. A list of texts
per goal (activities, end products, evaluation) is one `GOAL_LISTS` line, a list of texts of the plan one
`PLAN_LISTS` line. The round trip test compares the whole model of every shipped framework, so it fails
until a new field travels.
Rows are numbered as Excel shows them (header = row 1); every problem names its sheet, row and column.
Nothing here writes to the store.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from dashboard.analysis.periods import PERIOD_FORMATS_NL, is_valid
from dashboard.catalog.models import (
    MEASURE_TO_BE_SET,
    REVIEW_KIND_NAMES,
    Area,
    Catalog,
    CoreValue,
    Framework,
    Goal,
    PlannedReview,
    TargetRule,
    Theme,
)
from dashboard.formatting import UNIT_LABELS
from dashboard.ingest.reader import RefusedFile, Sheet, read_upload
from dashboard.ingest.validate import Matcher, Problem, column_letter

PLAN_SHEET = "kader"
REGION_SHEET = "regio"
THEMES_SHEET = "thema's"
GOALS_SHEET = "doelen"
RULES_SHEET = "normen per indicator"
ACTIVITIES_SHEET = "activiteiten"
END_PRODUCTS_SHEET = "eindproducten"
EVALUATION_SHEET = "evaluatie"
LEVERS_SHEET = "hefbomen"
LEVER_NAMES_SHEET = "hefboomnamen"
BLOCKADES_SHEET = "blokkades"
CORE_VALUES_SHEET = "kernwaarden"
STEERING_SHEET = "sturingsuitgangspunten"
MONITORING_SHEET = "op de goede weg"
REVIEWS_SHEET = "momenten"
INSTRUCTIONS_SHEET = "toelichting"

LEVER_NAMES = {
    "cultuur": "Cultuur en gedeelde waarden",
    "regels": "Regels, kaders en randvoorwaarden",
    "kpi": "KPI's en informatie",
    "leren": "Leren en verbeteren",
}
RULE_FORMS = (
    ("blijft gelijk of daalt", "het cijfer mag niet stijgen"),
    ("daalt", "het cijfer moet lager zijn dan bij de 0-meting"),
    ("stijgt", "het cijfer moet hoger zijn dan bij de 0-meting"),
    ("stijgt met ten minste 20%", "ten opzichte van de 0-meting; elk percentage mag"),
    ("daalt van 17% naar 15%", "van de 0-meting naar het doel; elke twee getallen mogen"),
    ("bereikt ten minste 20", "het cijfer moet ten minste dit getal halen (bijv. 20 gezinnen); met ‘uiterlijk in’ "
                              "de periode waarin"),
    ("kwalitatief", "geen cijfermatige norm; gevolgd met verhalen en gesprekken"),
)
_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")
YES, NO = "ja", "nee"
_NUMBER = r"(-?\d+(?:[.,]\d+)?)"


# -- target rules in words -------------------------------------------------------------------------------

def _number_text(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def rule_text(rule: TargetRule) -> str:
    """The rule in the plain Dutch form of the documents: 'daalt van 17% naar 15%'."""
    if rule.kind == "stijgt_met_minstens":
        return f"stijgt met ten minste {_number_text(float(rule.percent or 0))}%"
    if rule.kind == "daalt_van_naar":
        start = "" if rule.start is None else f" van {_number_text(float(rule.start))}%"
        end = "" if rule.end is None else f" naar {_number_text(float(rule.end))}%"
        return f"daalt{start}{end}" if start or end else "daalt van naar"
    if rule.kind == "bereikt_minstens":
        return f"bereikt ten minste {_number_text(float(rule.end or 0))}"
    return rule.kind.replace("_", " ")


def parse_rule(raw: str, text: str) -> TargetRule | str:
    """A rule from its Dutch form, or the reason it cannot be read."""
    plain = " ".join(str(raw).lower().replace("procent", "%").split()).rstrip(".")
    plain = plain.replace(" %", "%")

    def number(found: str) -> float:
        return float(found.replace(",", "."))

    if plain in ("blijft gelijk of daalt", "daalt", "stijgt", "kwalitatief"):
        return TargetRule(kind=plain.replace(" ", "_"), text=text)
    if match := re.fullmatch(rf"stijgt met (?:ten minste|minstens|minimaal) {_NUMBER}%?", plain):
        return TargetRule(kind="stijgt_met_minstens", text=text, percent=number(match[1]))
    if match := re.fullmatch(rf"daalt(?: van {_NUMBER}%?)?(?: naar {_NUMBER}%?)?", plain):
        start, end = (None if g is None else number(g) for g in match.groups())
        if end is not None and start is not None and end >= start:
            return f"‘{raw}’: het doel ({_number_text(end)}) is niet lager dan de 0-meting ({_number_text(start)})"
        return TargetRule(kind="daalt_van_naar", text=text, start=start, end=end)
    if match := re.fullmatch(rf"bereikt (?:ten minste|minstens|minimaal) {_NUMBER}", plain):
        return TargetRule(kind="bereikt_minstens", text=text, end=number(match[1]))
    forms = "; ".join(f"‘{form}’" for form, _why in RULE_FORMS)
    return f"doelregel ‘{raw}’ is niet te lezen; gebruik een van deze vormen: {forms}"


# -- the sheets, described once ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """One column of a sheet. With `attribute` the column is that field of the model object (Theme, Goal)
    and travels both ways without code of its own: kind `text`, `id`, `period` (None when empty), `bool`
    (ja/nee), `indicators` or `areas` (a comma-separated list of ids or codes, names allowed on import).
    Columns without `attribute` (a goal's theme, its rule and rule text) are handled by the sheet's code."""

    header: str
    kind: str = "text"
    required: bool = False
    help: str = ""
    attribute: str = ""
    fallback: str = ""  # attribute whose value an empty cell takes (short name -> name)


def _cell_text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, datetime):  # a date typed in Excel
        return raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat(sep=" ")
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _list_text(items: tuple[str, ...]) -> str:
    return ", ".join(items)


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()]


# Plan sheet: one row per field (veld | waarde). (label, attribute of Framework, kind, required, help)
PLAN_FIELDS: tuple[tuple[str, str, str, bool, str], ...] = (
    ("id", "id", "id", True, "korte code van het kader, kleine letters, cijfers en -, bijv. zaanstad-2024-2027"),
    ("naam", "name", "text", True, "de naam van het beleidsplan"),
    ("korte naam", "short_name", "text", False, "voor de zijbalk en koppen (standaard de naam)"),
    ("periode", "period", "text", True, "de looptijd, bijv. 2024-2027"),
    ("ambitie", "ambition", "text", True, "de ambitie van het plan in een paar zinnen"),
    ("gemeenten", "areas", "list", False, "gemeentecodes of -namen met komma's; leeg = de gemeenten van de regio"),
    ("regio", "_region", "text", False, "de (jeugd)regio van het plan: een code of naam, of een regio uit het "
                                        "blad ‘regio’; komt vooraan bij ‘vergelijken met’"),
    ("vergelijken met", "reference_areas", "list", False, "regio's, buurgemeenten en NL01 (Nederland) naast "
                                                          "de gemeenten in de grafieken"),
    ("kerncijfers", "headline_indicators", "list", False, "indicatoren op het Overzicht (ids of namen)"),
    ("naam van een thema", "theme_label", "text", False, "bijv. Thema, Focusonderdeel, Kernopgave"),
    ("naam van de thema's", "themes_label", "text", False, "meervoud, bijv. Thema's"),
    ("naam van een activiteit", "activity_label", "text", False, "bijv. Actie, Activiteit, Kernactiviteit "
                                                                 "(standaard Actie)"),
    ("naam van de activiteiten", "activities_label", "text", False, "meervoud, bijv. Acties (standaard Acties)"),
    ("document", "document", "text", False, "het brondocument (standaard de naam van dit bestand)"),
)
# The looptijd of a plan: a year or first and last year (the policy cycle counts the years from it).
PLAN_PERIOD = re.compile(r"(?P<start>(?:19|20)\d\d)(?:-(?P<end>(?:19|20)\d\d))?")
TABLES: dict[str, tuple[Column, ...]] = {
    REGION_SHEET: (
        Column("code", "id", True, "eigen code die begint met REG_, bijv. REG_ZAANSTREEK"),
        Column("naam", required=True),
        Column("gemeenten", "areas", True, "de gemeenten van de regio (codes of namen)"),
        Column("ligt in", help="een grotere regio of NL01 (standaard NL01)"),
    ),
    THEMES_SHEET: (
        Column("id", "id", True, "korte code, bijv. opgroeien", attribute="id"),
        Column("naam", required=True, attribute="name"),
        Column("korte naam", help="voor het menu (standaard de naam)", attribute="short_name", fallback="name"),
        Column("ambitie", attribute="ambition"),
        Column("indicatoren", "indicators", help="cijfers bij dit thema naast die van de doelen",
               attribute="indicators"),
        Column("alleen context", "bool", help=f"‘{YES}’ voor een thema dat context geeft (zoals ‘Wat valt op’) en "
               f"niet meetelt bij de eigen opgaven op het Overzicht; leeg = ‘{NO}’", attribute="context"),
    ),
    GOALS_SHEET: (
        Column("thema", "id", True, "id uit het blad ‘thema's’"),
        Column("id", "id", True, "korte code, uniek in het kader, bijv. zs-1.1", attribute="id"),
        Column("naam", required=True, attribute="name"),
        Column("gewenst resultaat", attribute="desired_result"),
        Column("doelregel", "rule", True, "zie het blad ‘doelregels’"),
        Column("toelichting norm", help="‘wanneer zijn we tevreden’ in de woorden van het plan"),
        Column("indicatoren", "indicators", help="ids of namen uit het blad ‘indicatoren’, met komma's",
               attribute="indicators"),
        Column("0-meting periode", "period", help="bijv. 2023; verplicht bij een cijfermatige doelregel",
               attribute="baseline_period"),
        Column("0-meting toelichting", help="waar de 0-meting staat, of waarom die er nog niet is",
               attribute="baseline_note"),
        Column("0-meting gebieden", "areas", help="gebieden waarvoor het plan een 0-meting geeft",
               attribute="baseline_areas"),
        Column("meetbron", help=f"hoe het doel gemeten wordt; staat dat nog niet vast, schrijf dan "
               f"‘{MEASURE_TO_BE_SET}’", attribute="measured_by"),
        Column("uiterlijk in", "period", help="de periode waarin de norm gehaald moet zijn, bijv. 2019"),
        Column("budgetindicatoren", "indicators", help="indicatoren met het budget van dit doel (bijv. een raming)",
               attribute="budget_indicators"),
        Column("evaluatie-indicatoren", "indicators", help="de evaluatiepunten die een cijfer zijn (ids of namen)",
               attribute="evaluation_indicators"),
    ),
    RULES_SHEET: (
        Column("doel", "id", True, "id uit het blad ‘doelen’"),
        Column("indicator", required=True),
        Column("doelregel", "rule", True),
        Column("toelichting norm"),
        Column("uiterlijk in", "period"),
    ),
    ACTIVITIES_SHEET: (
        Column("doel", "id", True, "id uit het blad ‘doelen’"),
        Column("activiteit", required=True, help="wat gaan we hiervoor doen; één activiteit per regel"),
    ),
    END_PRODUCTS_SHEET: (
        Column("doel", "id", True, "id uit het blad ‘doelen’"),
        Column("eindproduct", required=True, help="wat er aan het eind van de looptijd is; één per regel"),
    ),
    EVALUATION_SHEET: (
        Column("doel", "id", True, "id uit het blad ‘doelen’"),
        Column("evaluatiepunt", required=True, help="hoe het plan het doel evalueert (evaluatie en monitoring); "
               "één punt per regel"),
    ),
    LEVERS_SHEET: (
        Column("hefboom", required=True, help="; ".join(LEVER_NAMES.values())),
        Column("tekst", required=True, help="bij Cultuur en gedeelde waarden: de leidende principes van het plan"),
    ),
    LEVER_NAMES_SHEET: (
        Column("hefboom", required=True, help="een van de vier hefbomen, zoals in het blad ‘hefbomen’"),
        Column("naam in het plan", required=True, help="de eigen naam die het plan de hefboom geeft"),
    ),
    BLOCKADES_SHEET: (
        Column("hefboom", required=True, help="een van de vier hefbomen"),
        Column("blokkade", required=True, help="de blokkade (naar Simons) die de hefboom aanpakt"),
    ),
    CORE_VALUES_SHEET: (
        Column("kernwaarde", required=True, help="één regel per toelichtend punt; herhaal de kernwaarde"),
        Column("punt", help="wat de kernwaarde inhoudt; leeg bij een kernwaarde zonder punten"),
    ),
    STEERING_SHEET: (
        Column("uitgangspunt", required=True, help="de sturingsuitgangspunten van het plan; één per regel"),
    ),
    MONITORING_SHEET: (
        Column("stap", required=True, help="‘hoe weten we of we op de goede weg zijn’: de stappen van het plan"),
    ),
    REVIEWS_SHEET: (
        Column("soort", required=True, help="; ".join(REVIEW_KIND_NAMES.values())),
        Column("datum", required=True, help="de dag waarop het moment uiterlijk plaatsvindt, bijv. 2025-12-31 of "
               "31-12-2025"),
        Column("tekst", required=True, help="wat er dan gebeurt"),
        Column("bron", help="waar in het plan, bijv. hoofdstuk 4.2"),
    ),
}
# Lists of texts per goal: sheet -> (Goal attribute, column with the text).
GOAL_LISTS = {ACTIVITIES_SHEET: ("actions", "activiteit"), END_PRODUCTS_SHEET: ("end_products", "eindproduct"),
              EVALUATION_SHEET: ("evaluation", "evaluatiepunt")}
# Lists of texts of the plan: sheet -> (Framework attribute, column with the text).
PLAN_LISTS = {STEERING_SHEET: ("steering_principles", "uitgangspunt"), MONITORING_SHEET: ("monitoring_steps", "stap")}
# Lever pairs of the plan: sheet -> (Framework attribute, column with the text).
LEVER_PAIRS = {LEVER_NAMES_SHEET: ("lever_names", "naam in het plan"), BLOCKADES_SHEET: ("blockades", "blokkade")}
OPTIONAL_SHEETS = (REGION_SHEET, RULES_SHEET, *GOAL_LISTS, LEVERS_SHEET, *LEVER_PAIRS, CORE_VALUES_SHEET,
                   *PLAN_LISTS, REVIEWS_SHEET)


# -- writing ----------------------------------------------------------------------------------------------

def _table(ws: Worksheet, header: list[str], rows: list[list[Any]], widths: dict[int, int] | None = None) -> None:
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    for index, column in enumerate(ws.iter_cols()):
        width = (widths or {}).get(index) or min(max(max(len(str(c.value or "")) for c in column) + 2, 10), 60)
        ws.column_dimensions[column[0].column_letter].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text from a plan, not a formula
    ws.freeze_panes = "A2"


def _instructions() -> list[str]:
    lines = [
        "Beleidskader voor het Jeugddashboard",
        "",
        "Met dit bestand komt een beleidsplan in het dashboard: de ambitie, de thema's met hun doelen, de",
        "0-meting en wanneer we tevreden zijn, de activiteiten, eindproducten en evaluatie per doel, wat het plan",
        "zegt bij de vier hefbomen (met hun eigen namen en de blokkades die ze aanpakken), de kernwaarden, de",
        "sturingsuitgangspunten, hoe het plan weet of het op de goede weg is en de momenten van de beleidscyclus.",
        "Het dashboard maakt er een Overzicht, een pagina per thema en de hefboompagina's van.",
        "",
        "Verplicht zijn de bladen 'kader', 'thema's' en 'doelen'; de andere bladen mogen leeg blijven.",
        "Eén regel per activiteit, eindproduct, evaluatiepunt, tekst of moment; de volgorde blijft bewaard.",
        "",
        "Bladen (de kolomkoppen in rij 1 laten staan):",
        f"- {PLAN_SHEET}: één regel per veld (kolom veld, kolom waarde).",
    ]
    for sheet, columns in TABLES.items():
        lines.append(f"- {sheet}: " + ", ".join(c.header + (" (verplicht)" if c.required else "") for c in columns))
    lines += [
        "",
        "Velden van het blad 'kader':",
        *(f"- {label}{' (verplicht)' if required else ''}: {why}" for label, _a, _k, required, why in PLAN_FIELDS),
        "",
        "Kolommen:",
        *(f"- {sheet}, {c.header}: {c.help}" for sheet, columns in TABLES.items() for c in columns if c.help),
        "",
        "Doelregels (zie ook het blad 'doelregels'): " + "; ".join(f"'{form}'" for form, _why in RULE_FORMS) + ".",
        "Perioden: " + "; ".join(PERIOD_FORMATS_NL) + ".",
        "Lijsten in één cel (gemeenten, indicatoren): met komma's gescheiden.",
        f"Ja/nee-kolommen: '{YES}' of '{NO}' (leeg = '{NO}'). Datums: 2025-12-31 of 31-12-2025.",
        "",
        "Het dashboard controleert het hele bestand en toont elke fout met blad, rij en kolom. Pas na bevestiging",
        "wordt het kader opgeslagen, met het oorspronkelijke bestand. Een nieuwe versie van hetzelfde kader (zelfde",
        "id) vervangt de vorige; elke versie kan worden ingetrokken en hersteld.",
    ]
    return lines


def _exported(obj: Any, column: Column, special: dict[str, Any]) -> Any:
    if not column.attribute:
        return special[column.header]
    value = getattr(obj, column.attribute)
    if column.kind in ("indicators", "areas"):
        return _list_text(value)
    if column.kind == "bool":
        return YES if value else ""
    return "" if value is None else value


def _row(sheet: str, obj: Any, **special: Any) -> list[Any]:
    """A model object as a row of its sheet; `special` gives the columns without an attribute (by header)."""
    return [_exported(obj, column, special) for column in TABLES[sheet]]


def _goal_row(theme: Theme, goal: Goal) -> list[Any]:
    return _row(GOALS_SHEET, goal, **{"thema": theme.id, "doelregel": rule_text(goal.target),
                                      "toelichting norm": goal.target.text, "uiterlijk in": goal.target.deadline or ""})


def _own_regions(catalog: Catalog, framework: Framework) -> list[Area]:
    """The regions with members the framework names: written into the sheet 'regio', so that the file
    brings what it needs (a region known with the same members is accepted on import)."""
    named = [*framework.areas, *framework.reference_areas, *(c for g in framework.goals for c in g.baseline_areas)]
    areas = (catalog.areas.get(code) for code in dict.fromkeys(named))
    return [a for a in areas if a is not None and a.level == "regio" and a.code.startswith("REG_") and a.members]


def _contents(catalog: Catalog, fw: Framework) -> dict[str, list[list[Any]]]:
    """The rows of every table sheet for a framework (export)."""
    goals = [(t, g) for t in fw.themes for g in t.goals]
    contents: dict[str, list[list[Any]]] = {
        REGION_SHEET: [[r.code, r.name, _list_text(r.members), "" if r.parent == "NL01" else r.parent or ""]
                       for r in _own_regions(catalog, fw)],
        THEMES_SHEET: [_row(THEMES_SHEET, t) for t in fw.themes],
        GOALS_SHEET: [_goal_row(t, g) for t, g in goals],
        RULES_SHEET: [[g.id, indicator_id, rule_text(rule), rule.text, rule.deadline or ""]
                      for _t, g in goals for indicator_id, rule in g.indicator_targets],
        LEVERS_SHEET: ([[LEVER_NAMES["cultuur"], p] for p in fw.principles]
                       + [[LEVER_NAMES.get(lever, lever), text] for lever, text in fw.lever_texts]),
        CORE_VALUES_SHEET: [[value.name, point] for value in fw.core_values for point in (value.points or ("",))],
        REVIEWS_SHEET: [[REVIEW_KIND_NAMES.get(r.kind, r.kind), r.due, r.text, r.source] for r in fw.reviews],
    }
    for sheet, (attribute, _header) in GOAL_LISTS.items():
        contents[sheet] = [[g.id, text] for _t, g in goals for text in getattr(g, attribute)]
    for sheet, (attribute, _header) in PLAN_LISTS.items():
        contents[sheet] = [[text] for text in getattr(fw, attribute)]
    for sheet, (attribute, _header) in LEVER_PAIRS.items():
        contents[sheet] = [[LEVER_NAMES.get(lever, lever), text] for lever, text in getattr(fw, attribute)]
    return contents


def build_framework_workbook(catalog: Catalog, framework: Framework | None = None) -> bytes:
    """The template (empty, with reference sheets), or `framework` written into it (export)."""
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = INSTRUCTIONS_SHEET
    for line in _instructions():
        instructions.append([line])
    instructions["A1"].font = Font(bold=True, size=14)
    instructions.column_dimensions["A"].width = 120

    fw = framework
    plan_rows = []
    for label, attribute, kind, _required, _help in PLAN_FIELDS:
        value: Any = "" if fw is None or attribute.startswith("_") else getattr(fw, attribute)
        plan_rows.append([label, _list_text(value) if kind == "list" else value])
    _table(workbook.create_sheet(PLAN_SHEET), ["veld", "waarde"], plan_rows, {0: 22, 1: 100})
    contents = _contents(catalog, fw) if fw else {}
    for sheet, columns in TABLES.items():
        _table(workbook.create_sheet(sheet), [c.header for c in columns], contents.get(sheet, []))
    _table(workbook.create_sheet("doelregels"), ["doelregel", "betekenis"], [list(f) for f in RULE_FORMS])
    _table(workbook.create_sheet("indicatoren"), ["id", "naam", "eenheid", "bron"], [
        [i.id, i.name, UNIT_LABELS[i.unit], i.source] for i in catalog.indicators.values()])
    _table(workbook.create_sheet("gebieden"), ["code", "naam", "niveau"], [
        [a.code, a.name, a.level] for a in catalog.areas.values() if a.level != "wijk"])
    workbook.active = 1  # open on the plan sheet
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- reading ----------------------------------------------------------------------------------------------

@dataclass
class FrameworkParse:
    """What a plan file would store; `framework` is None when there are problems."""

    framework: Framework | None = None
    regions: list[Area] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    refused: str | None = None

    @property
    def ok(self) -> bool:
        return self.framework is not None and not self.problems and not self.refused

    def messages(self) -> list[str]:
        return [self.refused] if self.refused else [str(p) for p in self.problems]


def _sheets_by_name(sheets: list[Sheet]) -> dict[str, Sheet]:
    return {" ".join(s.name.lower().split()).replace("’", "'"): s for s in sheets}


class _Reader:
    def __init__(self, sheets: list[Sheet], catalog: Catalog, file_name: str) -> None:
        self.sheets = _sheets_by_name(sheets)
        self.catalog = catalog
        self.file_name = file_name
        self.problems: list[Problem] = []

    def problem(self, sheet: str, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(sheet, row, column, message))

    def table(self, sheet: str) -> list[tuple[int, dict[str, str], dict[str, str]]]:
        """(Excel row number, values by header, column letter by header) per non-empty row."""
        columns = TABLES[sheet]
        found = self.sheets.get(sheet)
        if found is None:
            if any(c.required for c in columns) and sheet in (THEMES_SHEET, GOALS_SHEET):
                self.problem(sheet, None, None, "dit blad ontbreekt; gebruik het sjabloon")
            return []
        rows = found.rows
        header = [_cell_text(h).lower() for h in (rows[0] if rows else [])]
        letters: dict[str, str] = {}
        for column in columns:
            if column.header in header:
                letters[column.header] = f"{column_letter(header.index(column.header))} ({column.header})"
            elif column.required:
                self.problem(found.name, 1, None, f"kolom ‘{column.header}’ ontbreekt")
        if any(c.required and c.header not in letters for c in columns):
            return []
        out = []
        for number, raw in enumerate(rows[1:], start=2):
            values = {c.header: _cell_text(raw[header.index(c.header)]) if c.header in letters
                      and header.index(c.header) < len(raw) else "" for c in columns}
            if not any(values.values()):
                continue
            for column in columns:
                if column.required and not values[column.header]:
                    self.problem(found.name, number, letters[column.header], "is leeg maar verplicht")
            out.append((number, values, letters))
        return out

    def plan(self) -> tuple[dict[str, str], dict[str, tuple[int, str]]]:
        """Field values of the plan sheet, with the row and column of each for messages."""
        found = self.sheets.get(PLAN_SHEET)
        if found is None:
            self.problem(PLAN_SHEET, None, None, "dit blad ontbreekt; gebruik het sjabloon")
            return {}, {}
        labels = {label: attribute for label, attribute, *_rest in PLAN_FIELDS}
        values: dict[str, str] = {}
        where: dict[str, tuple[int, str]] = {}
        for number, raw in enumerate(found.rows[1:], start=2):
            label = _cell_text(raw[0] if raw else "").lower()
            if not label:
                continue
            if label not in labels:
                self.problem(found.name, number, "A (veld)", f"veld ‘{label}’ is onbekend; kies uit "
                             + ", ".join(labels))
                continue
            values[labels[label]] = _cell_text(raw[1]) if len(raw) > 1 else ""
            where[labels[label]] = (number, "B (waarde)")
        for label, attribute, kind, required, _help in PLAN_FIELDS:
            row, column = where.get(attribute, (None, None))
            if required and not values.get(attribute):
                self.problem(found.name, row, column, f"‘{label}’ is leeg maar verplicht")
            elif kind == "id" and values.get(attribute) and not _ID.fullmatch(values[attribute]):
                self.problem(found.name, row, column, f"‘{values[attribute]}’ is geen geldige id; gebruik kleine "
                             "letters, cijfers en -")
        return values, where


def _resolve(items: list[str], find: Callable[[str], tuple[str | None, str | None]],
             report: Callable[[str], None]) -> tuple[str, ...]:
    found: list[str] = []
    for item in items:
        code, error = find(item)
        if error or code is None:
            report(error or f"‘{item}’ is onbekend")
        elif code not in found:
            found.append(code)
    return tuple(found)


def _iso_date(text: str) -> str | None:
    """A date as ISO text (2025-12-31) from 2025-12-31 or 31-12-2025; None when it is not a date."""
    text = text.strip()
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        year, month, day = (int(g) for g in match.groups())
    elif match := re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})", text):
        day, month, year = (int(g) for g in match.groups())
    else:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_framework_sheets(sheets: list[Sheet], catalog: Catalog, file_name: str = "") -> FrameworkParse:
    """Validate a plan file's sheets against the catalog; every problem with sheet, row and column."""
    reader = _Reader(sheets, catalog, file_name)
    result = FrameworkParse()
    values, where = reader.plan()

    # Regions the file defines come first: the plan and its goals may name them.
    regions: list[Area] = []
    base_matcher = Matcher(catalog)
    region_rows = reader.table(REGION_SHEET)
    for number, row, letters in region_rows:
        code = row["code"].upper()
        if not re.fullmatch(r"REG_[A-Z0-9_]+", code):
            reader.problem(REGION_SHEET, number, letters["code"], f"‘{row['code']}’: een eigen regiocode begint met "
                           "REG_ en bevat hoofdletters, cijfers en _")
            continue

        def bad(message: str, number: int = number, letters: dict[str, str] = letters) -> None:
            reader.problem(REGION_SHEET, number, letters["gemeenten"], message)

        members = _resolve(_split(row["gemeenten"]), base_matcher.area, bad)
        not_municipal = [m for m in members if catalog.areas[m].level != "gemeente"]
        if not_municipal:
            bad("alleen gemeenten kunnen lid zijn van een regio, niet " + ", ".join(not_municipal))
        parent = "NL01"
        if row["ligt in"]:
            parent_code, error = base_matcher.area(row["ligt in"])
            if error or parent_code is None:
                reader.problem(REGION_SHEET, number, letters["ligt in"], error or "onbekend gebied")
            else:
                parent = parent_code
        region = Area(code=code, name=row["naam"], level="regio", parent=parent, members=members)
        existing = catalog.areas.get(code)
        if existing is not None and (existing.level, set(existing.members), existing.name) != (
                "regio", set(members), region.name):
            reader.problem(REGION_SHEET, number, letters["code"], f"regio {code} bestaat al als ‘{existing.name}’ "
                           f"met andere gegevens; kies een andere code")
            continue
        regions.append(region)
    if regions:
        catalog = replace(catalog, areas={**catalog.areas, **{r.code: r for r in regions}})
    matcher = Matcher(catalog)

    def plan_report(attribute: str) -> Callable[[str], None]:
        row, column = where.get(attribute, (None, None))
        return lambda message: reader.problem(PLAN_SHEET, row, column, message)

    looptijd = PLAN_PERIOD.fullmatch(values.get("period", ""))
    if values.get("period") and (looptijd is None or (looptijd["end"] and looptijd["end"] < looptijd["start"])):
        plan_report("period")(f"‘{values['period']}’ is geen looptijd; schrijf een jaar of het eerste en het "
                              "laatste jaar, bijv. 2025 of 2024-2027")
    region_code: str | None = None
    if values.get("_region"):
        region_code = next(iter(_resolve([values["_region"]], matcher.area, plan_report("_region"))), None)
        if region_code and catalog.areas[region_code].level not in ("regio", "land"):
            plan_report("_region")(f"‘{values['_region']}’ is geen regio")
            region_code = None
    areas = _resolve(_split(values.get("areas", "")), matcher.area, plan_report("areas"))
    if not areas and region_code:
        areas = catalog.areas[region_code].members
    if not areas and not values.get("areas"):
        plan_report("areas")("noem de gemeente(n) van het plan bij ‘gemeenten’, of een regio met gemeenten "
                             "bij ‘regio’")
    for code in areas:
        if catalog.areas[code].level != "gemeente":
            plan_report("areas")(f"‘{catalog.areas[code].name}’ is geen gemeente; regio's horen bij ‘regio’ of "
                                 "‘vergelijken met’")
    references = _resolve(_split(values.get("reference_areas", "")), matcher.area, plan_report("reference_areas"))
    if region_code and region_code not in references:
        references = (region_code, *references)
    headlines = _resolve(_split(values.get("headline_indicators", "")), matcher.indicator,
                         plan_report("headline_indicators"))

    def area_list(text: str, report: Callable[[str], None]) -> tuple[str, ...]:
        return _resolve(_split(text), matcher.area, report)

    def indicator_list(text: str, report: Callable[[str], None]) -> tuple[str, ...]:
        return _resolve(_split(text), matcher.indicator, report)

    def fields(sheet: str, number: int, row: dict[str, str], letters: dict[str, str]) -> dict[str, Any]:
        """The model fields of one row, from the columns that name an attribute; problems reported."""
        out: dict[str, Any] = {}
        for column in TABLES[sheet]:
            if not column.attribute:
                continue
            text = row[column.header]

            def report(message: str, column: Column = column) -> None:
                reader.problem(sheet, number, letters.get(column.header), message)

            if column.kind == "indicators":
                out[column.attribute] = indicator_list(text, report)
            elif column.kind == "areas":
                out[column.attribute] = area_list(text, report)
            elif column.kind == "period":
                if text and not is_valid(text):
                    report(f"‘{text}’ is geen periode; gebruik " + ", ".join(PERIOD_FORMATS_NL))
                out[column.attribute] = text or None
            elif column.kind == "bool":
                if text.lower() not in ("", YES, NO):
                    report(f"‘{text}’: vul ‘{YES}’ of ‘{NO}’ in (of laat de cel leeg)")
                out[column.attribute] = text.lower() == YES
            else:
                out[column.attribute] = text
        for column in TABLES[sheet]:
            if column.fallback and not out.get(column.attribute):
                out[column.attribute] = out[column.fallback]
        return out

    def with_deadline(rule: TargetRule | str | None, text: str, report: Callable[[str], None]
                      ) -> TargetRule | str | None:
        """The rule with its 'uiterlijk in' period."""
        if not text:
            return rule
        if not is_valid(text):
            report(f"‘{text}’ is geen periode; gebruik " + ", ".join(PERIOD_FORMATS_NL))
            return rule
        return replace(rule, deadline=text) if isinstance(rule, TargetRule) else rule

    def lever_of(sheet: str, number: int, row: dict[str, str], letters: dict[str, str]) -> str | None:
        lever = lever_ids.get(row["hefboom"].lower().replace("’", "'"))
        if lever is None:
            reader.problem(sheet, number, letters["hefboom"], f"hefboom ‘{row['hefboom']}’ is onbekend; kies uit "
                           + ", ".join(f"‘{name}’" for name in LEVER_NAMES.values()))
        return lever

    lever_ids = {**{k: k for k in LEVER_NAMES}, **{v.lower(): k for k, v in LEVER_NAMES.items()}}
    theme_rows = reader.table(THEMES_SHEET)
    themes: dict[str, dict[str, Any]] = {}
    for number, row, letters in theme_rows:
        if not row["id"]:
            continue
        if not _ID.fullmatch(row["id"]):
            reader.problem(THEMES_SHEET, number, letters["id"], f"‘{row['id']}’ is geen geldige id; gebruik kleine "
                           "letters, cijfers en -")
        if row["id"] in themes:
            reader.problem(THEMES_SHEET, number, letters["id"], f"thema ‘{row['id']}’ komt twee keer voor")
            continue
        themes[row["id"]] = {"fields": fields(THEMES_SHEET, number, row, letters), "goals": []}
    if not theme_rows and THEMES_SHEET in reader.sheets:
        reader.problem(THEMES_SHEET, None, None, "er staat geen thema in; een kader heeft ten minste één thema")

    goals: dict[str, dict[str, Any]] = {}
    for number, row, letters in reader.table(GOALS_SHEET):
        def report(column: str, n: int = number, lt: dict[str, str] = letters) -> Callable[[str], None]:
            return lambda message: reader.problem(GOALS_SHEET, n, lt.get(column), message)

        if row["thema"] and row["thema"] not in themes:
            report("thema")(f"thema ‘{row['thema']}’ staat niet in het blad ‘{THEMES_SHEET}’")
        if row["id"] in goals:
            report("id")(f"doel ‘{row['id']}’ komt twee keer voor")
            continue
        if row["id"] and not _ID.fullmatch(row["id"]):
            report("id")(f"‘{row['id']}’ is geen geldige id; gebruik kleine letters, cijfers, . en -")
        rule = parse_rule(row["doelregel"], row["toelichting norm"]) if row["doelregel"] else None
        if isinstance(rule, str):
            report("doelregel")(rule)
            rule = None
        rule = with_deadline(rule, row["uiterlijk in"], report("uiterlijk in"))
        goal_fields = fields(GOALS_SHEET, number, row, letters)
        indicators, period = goal_fields["indicators"], goal_fields["baseline_period"]
        numeric = isinstance(rule, TargetRule) and rule.kind != "kwalitatief"
        if numeric and not indicators:
            report("indicatoren")(f"de doelregel ‘{row['doelregel']}’ is cijfermatig maar er staat geen indicator "
                                  "bij; noem de indicator(en) of kies ‘kwalitatief’")
        changes_only = all(catalog.indicators[i].unit == "percent_change" for i in indicators)
        if numeric and indicators and not period and not goal_fields["baseline_note"] and not changes_only \
                and not (rule.kind == "daalt_van_naar" and rule.start is not None) \
                and rule.kind != "bereikt_minstens":
            report("0-meting periode")("de periode van de 0-meting ontbreekt (bijv. 2023); vul die in, of leg in "
                                       "‘0-meting toelichting’ uit waarom er (nog) geen 0-meting is")
        goals[row["id"]] = {"theme": row["thema"], "fields": goal_fields, "rule": rule, "indicator_targets": [],
                            **{attribute: [] for attribute, _header in GOAL_LISTS.values()}}
    for goal in goals.values():
        if goal["theme"] in themes:
            themes[goal["theme"]]["goals"].append(goal)

    for number, row, letters in reader.table(RULES_SHEET):
        def report_rule(column: str, n: int = number, lt: dict[str, str] = letters) -> Callable[[str], None]:
            return lambda message: reader.problem(RULES_SHEET, n, lt.get(column), message)

        goal = goals.get(row["doel"])
        if goal is None:
            report_rule("doel")(f"doel ‘{row['doel']}’ staat niet in het blad ‘{GOALS_SHEET}’")
            continue
        indicator = _resolve([row["indicator"]], matcher.indicator, report_rule("indicator"))
        rule = with_deadline(parse_rule(row["doelregel"], row["toelichting norm"]), row["uiterlijk in"],
                             report_rule("uiterlijk in"))
        if isinstance(rule, str):
            report_rule("doelregel")(rule)
        elif indicator and rule is not None:
            if indicator[0] not in goal["fields"]["indicators"]:
                report_rule("indicator")(f"‘{row['indicator']}’ is geen indicator van doel ‘{row['doel']}’")
            goal["indicator_targets"].append((indicator[0], rule))

    for sheet, (attribute, header) in GOAL_LISTS.items():
        for number, row, letters in reader.table(sheet):
            if row["doel"] not in goals:
                reader.problem(sheet, number, letters["doel"],
                               f"doel ‘{row['doel']}’ staat niet in het blad ‘{GOALS_SHEET}’")
            elif row[header]:
                goals[row["doel"]][attribute].append(row[header])

    principles: list[str] = []
    lever_texts: list[tuple[str, str]] = []
    for number, row, letters in reader.table(LEVERS_SHEET):
        lever = lever_of(LEVERS_SHEET, number, row, letters)
        if lever == "cultuur":
            principles.append(row["tekst"])
        elif lever is not None:
            lever_texts.append((lever, row["tekst"]))
    lever_pairs: dict[str, list[tuple[str, str]]] = {}
    for sheet, (attribute, header) in LEVER_PAIRS.items():
        pairs = lever_pairs.setdefault(attribute, [])
        for number, row, letters in reader.table(sheet):
            lever = lever_of(sheet, number, row, letters)
            if lever is None:
                continue
            if sheet == LEVER_NAMES_SHEET and any(lever == known for known, _name in pairs):
                reader.problem(sheet, number, letters["hefboom"], f"hefboom ‘{row['hefboom']}’ heeft al een naam "
                               "in een eerdere regel; geef elke hefboom één naam")
                continue
            pairs.append((lever, row[header]))

    core_values: dict[str, list[str]] = {}
    for _number, row, _letters in reader.table(CORE_VALUES_SHEET):
        points = core_values.setdefault(row["kernwaarde"], [])
        if row["punt"]:
            points.append(row["punt"])
    plan_lists = {attribute: tuple(row[header] for _n, row, _l in reader.table(sheet) if row[header])
                  for sheet, (attribute, header) in PLAN_LISTS.items()}

    review_kinds = {**{k: k for k in REVIEW_KIND_NAMES}, **{v.lower(): k for k, v in REVIEW_KIND_NAMES.items()}}
    reviews: list[PlannedReview] = []
    for number, row, letters in reader.table(REVIEWS_SHEET):
        kind = review_kinds.get(row["soort"].lower())
        if kind is None:
            reader.problem(REVIEWS_SHEET, number, letters["soort"], f"soort ‘{row['soort']}’ is onbekend; kies uit "
                           + ", ".join(f"‘{name}’" for name in REVIEW_KIND_NAMES.values()))
        due = _iso_date(row["datum"])
        if due is None and row["datum"]:
            reader.problem(REVIEWS_SHEET, number, letters["datum"], f"‘{row['datum']}’ is geen datum; schrijf "
                           "bijv. 2025-12-31 of 31-12-2025")
        if kind is not None and due is not None:
            reviews.append(PlannedReview(kind=kind, due=due, text=row["tekst"], source=row["bron"]))

    result.problems = reader.problems
    if reader.problems:
        return result
    result.regions = regions
    defaults = {f.name: f.default for f in dataclasses.fields(Framework)}
    labels = {attribute: values.get(attribute) or defaults[attribute]
              for attribute in ("theme_label", "themes_label", "activity_label", "activities_label")}
    result.framework = Framework(
        id=values["id"], name=values["name"], short_name=values.get("short_name") or values["name"],
        period=values["period"], document=values.get("document") or file_name, areas=areas,
        ambition=values["ambition"],
        themes=tuple(
            Theme(**theme["fields"], goals=tuple(
                Goal(**g["fields"], target=g["rule"], indicator_targets=tuple(g["indicator_targets"]),
                     **{attribute: tuple(g[attribute]) for attribute, _header in GOAL_LISTS.values()})
                for g in theme["goals"]))
            for theme in themes.values()
        ),
        **labels, principles=tuple(principles), headline_indicators=headlines, reference_areas=references,
        lever_texts=tuple(lever_texts), **{attribute: tuple(pairs) for attribute, pairs in lever_pairs.items()},
        core_values=tuple(CoreValue(name=name, points=tuple(points)) for name, points in core_values.items()),
        **plan_lists, reviews=tuple(reviews),
    )
    empty = [t.short_name for t in result.framework.themes if not t.goals and not t.indicators]
    if empty:
        result.notices.append("Bij " + ", ".join(f"‘{n}’" for n in empty) + " staan nog geen doelen of cijfers; "
                              "de pagina toont dan alleen de ambitie.")
    return result


def parse_framework_file(file_name: str, data: bytes, catalog: Catalog, max_bytes: int = 20_000_000
                         ) -> FrameworkParse:
    """Read and validate an uploaded plan file (.xlsx)."""
    if not file_name.lower().endswith(".xlsx"):
        return FrameworkParse(refused="Een beleidskader is een .xlsx-bestand, gemaakt met het sjabloon.")
    try:
        sheets = read_upload(file_name, data, max_bytes)
    except RefusedFile as exc:
        return FrameworkParse(refused=str(exc))
    return parse_framework_sheets(sheets, catalog, file_name)
