"""Names in an export that the catalog does not know, and what staff mapped them to.

A CBS StatLine or GGD export names indicators by topic ("Jongeren met jeugdhulp (%)") and areas by name
("Beverwijk (GM0375)", "Wijk 01 Centrum"). Each unknown name is mapped once to a catalog indicator or area,
defined as a new indicator or a new area, or left out; the mapping is remembered per source for the next
file (a new indicator or area by the id or code it got when stored).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field

KINDS = ("indicator", "gebied")
SKIP = "-"  # "niet inlezen": rows with this name are left out, and the preview says how many
NEW_PREFIX = "nieuw:"  # "nieuw:<unit>:<direction>[:<json [name, description]>]": define a new indicator
NEW_AREA_PREFIX = "nieuw-gebied:"  # "nieuw-gebied:<json {naam, soort, gemeente}>": define a new area
NEW_AREA_LEVELS = ("wijk", "gemeente")  # what the catalog's area model lets staff add
# The code of an area staff define: a prefix CBS never uses and an underscore (CBS codes are letters and
# digits only: GM0375, WK037501), so it cannot collide with a CBS code now or later. A wijk's code carries
# its municipality's digits (EW0375_ZEEWIJK), as a CBS wijk code does.
NEW_MUNICIPALITY_CODE = "EG_"
NEW_WIJK_CODE = "EW"
AREA_CODE_LENGTH = 32  # the store's areas.code column
NATIONAL = "NL01"  # the parent of a municipality staff define (as of every municipality outside a region)

# A mapping: (kind, name key) -> target (indicator id, area code, SKIP or NEW_PREFIX...).
NameMapping = dict[tuple[str, str], str]


def name_key(raw: object) -> str:
    """How a name is remembered: case, accents, punctuation and spacing do not matter."""
    text = unicodedata.normalize("NFKD", str(raw)).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9%]+", " ", text).split())


def source_key(source: str) -> str:
    """Mappings are remembered per source (the ‘Bron’ of an upload); an upload without a source shares ''."""
    return name_key(source)


def new_target(unit: str, direction: str, name: str | None = None, description: str | None = None) -> str:
    """The mapping to a new indicator: its unit and direction, and the name and description staff typed
    (without them: the export's name and a description saying where it came from)."""
    target = f"{NEW_PREFIX}{unit}:{direction}"
    if name is None and description is None:
        return target
    return f"{target}:{json.dumps([name, description], ensure_ascii=False)}"


def parse_new_target(target: str) -> tuple[str, str, str | None, str | None] | None:
    """(unit, direction, name, description) of a mapping to a new indicator; None for any other target."""
    if not target.startswith(NEW_PREFIX):
        return None
    unit, _, rest = target.removeprefix(NEW_PREFIX).partition(":")
    direction, _, texts = rest.partition(":")
    name = description = None
    if texts:
        try:
            name, description = json.loads(texts)
        except (ValueError, TypeError):
            return None
    return unit, direction, name, description


@dataclass(frozen=True)
class NewArea:
    """An area staff define in the mapping step: its name, kind and (for a wijk) its municipality."""

    name: str
    level: str
    municipality: str | None = None


def new_area_target(area: NewArea) -> str:
    return NEW_AREA_PREFIX + json.dumps({"naam": area.name, "soort": area.level, "gemeente": area.municipality},
                                        ensure_ascii=False, sort_keys=True)


def parse_new_area_target(target: str) -> NewArea | None:
    if not target.startswith(NEW_AREA_PREFIX):
        return None
    try:
        raw = json.loads(target.removeprefix(NEW_AREA_PREFIX))
        return NewArea(str(raw["naam"]), str(raw["soort"]), raw.get("gemeente") or None)
    except (ValueError, TypeError, KeyError):
        return None


def is_new_target(target: str) -> bool:
    """A mapping that defines something new (stored as the id or code it gets, not as typed)."""
    return parse_new_target(target) is not None or parse_new_area_target(target) is not None


# A defined area's name appears on every page (headers, captions, chart labels, map tooltips), many of
# which show catalog names as Markdown. So it may hold only what renders as itself everywhere: letters,
# digits, spaces and - ' ’ . , ( ) /, starting with a letter or digit (or 's-), and nothing a browser links
# (www.x.nl) or reads as a list item (1. Centrum).
_AREA_NAME = re.compile(r"(?:[^\W_]|['’][^\W_])[\w \-'’.,()/]*")
_LINKABLE = re.compile(r"\w\.\w|^\d+[.)]")


def area_name_problem(name: str) -> str | None:
    """Why a name cannot be the name of a new area, in Dutch; None when it can."""
    text = name.strip()
    if not text:
        return "de naam ontbreekt"
    bad = sorted({c for c in text if not re.fullmatch(r"[\w \-'’.,()/]", c) or c == "_"})
    if bad or not _AREA_NAME.fullmatch(text):
        shown = " ".join(f"‘{c}’" for c in bad) if bad else f"‘{text[0]}’ aan het begin"
        return f"de naam van het gebied mag alleen letters, cijfers, spaties en - ' . , ( ) / bevatten (niet {shown})"
    if _LINKABLE.search(text):
        return "de naam van het gebied lijkt een webadres of een opsomming (een punt tussen letters, of 1. vooraan)"
    return None


_DEFINED_CODE = re.compile(r"(EG|EW\d{0,4})_[A-Z0-9_]+")


def is_defined_area(code: str) -> bool:
    """Whether this is the code of an area staff defined in the mapping step (not from CBS or the catalog)."""
    return bool(_DEFINED_CODE.fullmatch(str(code)))


def new_area_code(area: NewArea, taken: set[str]) -> str:
    """A stable code for an area staff define, that is no CBS code: EG_NAAM for a municipality, EW0375_NAAM
    for a wijk of GM0375 (EW_NAAM in a municipality without a CBS code); _2, _3 … when taken."""
    slug = re.sub(r"_+", "_", re.sub(r"[^A-Z0-9]+", "_", name_key(area.name).upper())).strip("_") or "GEBIED"
    if area.level == "gemeente":
        prefix = NEW_MUNICIPALITY_CODE
    else:
        digits = re.fullmatch(r"GM(\d{4})", area.municipality or "")
        prefix = f"{NEW_WIJK_CODE}{digits.group(1)}_" if digits else f"{NEW_WIJK_CODE}_"
    base = (prefix + slug)[:AREA_CODE_LENGTH - 3].rstrip("_")
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}_{number}", number + 1
    return candidate


def new_indicator_id(name: str, taken: set[str]) -> str:
    """A readable id for an indicator defined from an export's topic name (lower case, digits and _)."""
    base = re.sub(r"_+", "_", re.sub(r"[^a-z0-9]+", "_", name_key(name).replace("%", " pct"))).strip("_")
    base = (base if base[:1].isalpha() else f"i_{base}")[:60].rstrip("_") or "indicator"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}_{number}", number + 1
    return candidate


def unit_hint(name: str) -> str:
    """The unit an export's topic name states, e.g. ‘(%)’ or ‘(aantal)’; a guess the user confirms."""
    key = name_key(name)
    if "%" in key or "procent" in key or "percentage" in key:
        return "percent"
    if "aantal" in key or key.startswith("totaal"):
        return "count"
    if "euro" in key:
        return "euro"
    return "percent"


@dataclass
class UnknownName:
    """A name that matched nothing: where it was first seen, how often, and the closest catalog entries."""

    kind: str
    raw: str
    key: str
    first_seen: str
    rows: int = 0
    suggestions: list[str] = field(default_factory=list)
