"""Names in an export that the catalog does not know, and what staff mapped them to.

A CBS StatLine or GGD export names indicators by topic ("Jongeren met jeugdhulp (%)") and areas by name
("Beverwijk (GM0375)", "Wijk 01 Centrum"). Each unknown name is mapped once to a catalog indicator or area,
defined as a new indicator, or left out; the mapping is remembered per source for the next file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

KINDS = ("indicator", "gebied")
SKIP = "-"  # "niet inlezen": rows with this name are left out, and the preview says how many
NEW_PREFIX = "nieuw:"  # "nieuw:<unit>:<direction>": define the name as a new indicator

# A mapping: (kind, name key) -> target (indicator id, area code, SKIP or NEW_PREFIX...).
NameMapping = dict[tuple[str, str], str]


def name_key(raw: object) -> str:
    """How a name is remembered: case, accents, punctuation and spacing do not matter."""
    text = unicodedata.normalize("NFKD", str(raw)).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9%]+", " ", text).split())


def source_key(source: str) -> str:
    """Mappings are remembered per source (the ‘Bron’ of an upload); an upload without a source shares ''."""
    return name_key(source)


def new_target(unit: str, direction: str) -> str:
    return f"{NEW_PREFIX}{unit}:{direction}"


def parse_new_target(target: str) -> tuple[str, str] | None:
    if not target.startswith(NEW_PREFIX):
        return None
    unit, _, direction = target.removeprefix(NEW_PREFIX).partition(":")
    return unit, direction


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
