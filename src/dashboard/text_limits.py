"""Limits on every text a user supplies: a maximum length and no control characters.

One table of limits serves the upload check (before the preview), the store (before every write, on
SQLite and PostgreSQL alike) and the database schema (column lengths and CHECK constraints), so a
text that passes the preview is never refused by the database at Opslaan.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# field -> (maximum number of characters, Dutch name, may it span several lines)
FIELDS: dict[str, tuple[int, str, bool]] = {
    "source": (300, "de bron", False),
    "dataset_name": (300, "de naam van de dataset", False),
    "file_name": (300, "de bestandsnaam", False),
    "indicator_name": (300, "de naam van de indicator", False),
    "indicator_description": (2000, "de omschrijving van de indicator", True),
    "note_text": (5000, "de tekst van de notitie", True),
    "meeting": (200, "de naam van de bijeenkomst", False),
    "login_name": (200, "de naam van de medewerker", False),
    "cycle_title": (300, "de titel van de bijeenkomst", False),
    "cycle_text": (5000, "de tekst", True),
    "participant": (100, "de naam van een deelnemersgroep", False),
    "area_name": (200, "de naam van het gebied", False),
}


def limit(field: str) -> int:
    return FIELDS[field][0]


# NUL and the other C0/C1 control characters (a cell `_x0000_` in an xlsx becomes NUL); a line break
# (and a tab) only where a text may span several lines. Unicode line and paragraph separators too.
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


class TextLimitError(ValueError):
    """A text that is too long or holds control characters; the message is Dutch and says which text."""


def _character(char: str) -> str:
    return f"U+{ord(char):04X}" + (" (NUL)" if char == "\x00" else "")


def text_problem(field: str, value: object) -> str | None:
    """Why `value` cannot be stored as `field`, in Dutch; None when it can."""
    if value is None:
        return None
    text = str(value)
    maximum, name, multi_line = FIELDS[field]
    if len(text) > maximum:
        return f"{name} is {len(text)} tekens lang; het maximum is {maximum}"
    found = (_CONTROL_MULTI_LINE if multi_line else _CONTROL_ONE_LINE).search(text)
    if found:
        what = "een regeleinde" if found.group() in "\r\n" else f"het stuurteken {_character(found.group())}"
        return f"{name} bevat {what} (na ‘{text[:found.start()][-20:]}’); haal het weg"
    return None


def check(field: str, value: object) -> None:
    """Raise TextLimitError (Dutch) when `value` cannot be stored as `field`."""
    problem = text_problem(field, value)
    if problem:
        raise TextLimitError(problem[0].upper() + problem[1:] + ".")


def check_all(values: Mapping[str, object]) -> None:
    for field, value in values.items():
        check(field, value)


_FROM_ROW = re.compile(r"^blad (?P<sheet>.*), rij (?P<row>\d+)$")


def upload_problems(plan: Any, default_source: str) -> None:
    """Add to an import plan every text the store would refuse, before the preview; each distinct text once.

    The plan's rows carry their place in the file in `note` ("blad X, rij N"). A file name or a source
    typed on the page (or given with --bron) that cannot be stored refuses the whole upload.
    """
    from dashboard.ingest.validate import NEW_INDICATORS_SHEET, Problem

    for field, value, what in (("file_name", plan.file_name, "De bestandsnaam"),
                               ("source", default_source, "De bron in het invoerveld")):
        problem = text_problem(field, value)
        if problem and not plan.refused:
            plan.refused = f"{what} kan niet worden opgeslagen: {problem}."
    rows = plan.rows
    first = rows.first_index("source") if hasattr(rows, "first_index") else {}
    if not first:
        for index, row in enumerate(rows):
            first.setdefault(row.get("source"), index)
    for source, index in first.items():  # each different source once, with its first row
        if source == default_source:
            continue
        row = rows[index]
        problem = text_problem("source", source)
        if problem:
            where = _FROM_ROW.match(str(row.get("note") or ""))
            plan.problems.append(Problem(where["sheet"] if where else "?", int(where["row"]) if where else None,
                                         "bron", problem))
    for indicator in plan.new_indicators:
        for field, column, value in (("indicator_name", "naam", indicator.name),
                                     ("indicator_description", "omschrijving", indicator.description),
                                     ("source", "bron", indicator.source)):
            problem = text_problem(field, value)
            if problem:
                plan.problems.append(Problem(NEW_INDICATORS_SHEET, None, column,
                                             f"indicator ‘{indicator.id}’: {problem}"))
