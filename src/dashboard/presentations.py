"""Presentations for the big screen: a list of views (slides), from data/presentaties/*.yaml or built in the app.

A slide is one view: a trend or comparison of one indicator, the goals of one theme, or a figure against its
limit. Its title and key message may be given; otherwise the page writes them from the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from dashboard.catalog.models import Catalog
from dashboard.settings import DATA_DIR

PRESENTATIONS_DIR = DATA_DIR / "presentaties"
KINDS = ("trend", "vergelijking", "kaart", "grens", "doelen")
SUBJECT_KEYS = {"trend": "indicator", "vergelijking": "indicator", "kaart": "indicator", "grens": "kader",
                "doelen": "thema"}
OWN = "eigen"  # the presentation built in this session from "Voeg toe aan presentatie"


class PresentationError(ValueError):
    """A presentation file names something that does not exist; the message says which file and slide."""


@dataclass(frozen=True)
class Slide:
    kind: str
    subject: str  # indicator id, limit id or theme id
    title: str | None = None
    message: str | None = None

    @property
    def token(self) -> str:
        """The slide as one URL value (`dia=trend:overgewicht_5_14_pct`) for a shared own presentation."""
        return f"{self.kind}:{self.subject}"

    @classmethod
    def from_token(cls, token: str) -> Slide | None:
        kind, _, subject = token.partition(":")
        return cls(kind, subject) if kind in KINDS and subject else None


@dataclass(frozen=True)
class Presentation:
    id: str
    title: str
    framework_id: str | None
    municipality: str | None
    slides: tuple[Slide, ...]


def check_slide(slide: Slide, catalog: Catalog, framework_id: str | None, where: str) -> None:
    known = {
        "trend": catalog.indicators, "vergelijking": catalog.indicators, "kaart": catalog.indicators,
        "grens": {limit.id for limit in catalog.limits},
        "doelen": {t.id for fw in catalog.frameworks.values() if framework_id in (None, fw.id) for t in fw.themes},
    }[slide.kind]
    if slide.subject not in known:
        raise PresentationError(f"{where}: {slide.subject!r} bestaat niet voor een dia van soort {slide.kind!r}")


def slides_from_tokens(tokens: list[str], catalog: Catalog, framework_id: str | None) -> tuple[list[Slide], list[str]]:
    """The slides of a link's `dia` values, and the values that name no slide (unknown kind or subject)."""
    slides: list[Slide] = []
    unknown: list[str] = []
    for token in tokens:
        slide = Slide.from_token(token)
        try:
            if slide is None:
                raise PresentationError(token)
            check_slide(slide, catalog, framework_id, "link")
        except PresentationError:
            unknown.append(token)
            continue
        slides.append(slide)
    return slides, unknown


def load_presentation(path: Path, catalog: Catalog) -> Presentation:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    framework_id = raw.get("kader")
    if framework_id is not None and framework_id not in catalog.frameworks:
        raise PresentationError(f"{path.name}: beleidskader {framework_id!r} bestaat niet")
    slides = []
    for number, entry in enumerate(raw.get("dias") or [], start=1):
        where = f"{path.name}, dia {number}"
        kind = entry.get("soort")
        if kind not in KINDS:
            raise PresentationError(f"{where}: soort {kind!r} is onbekend; kies uit {', '.join(KINDS)}")
        subject = entry.get(SUBJECT_KEYS[kind])
        slide = Slide(kind, str(subject), entry.get("titel"), entry.get("boodschap"))
        check_slide(slide, catalog, framework_id, where)
        slides.append(slide)
    if not slides:
        raise PresentationError(f"{path.name}: de presentatie heeft geen dia's")
    return Presentation(id=path.stem, title=raw.get("titel") or path.stem, framework_id=framework_id,
                        municipality=raw.get("gemeente"), slides=tuple(slides))


def load_presentations(catalog: Catalog, folder: Path = PRESENTATIONS_DIR) -> dict[str, Presentation]:
    return {path.stem: load_presentation(path, catalog) for path in sorted(folder.glob("*.yaml"))}


def to_yaml(title: str, framework_id: str, municipality: str, slides: list[Slide]) -> str:
    """An own presentation as a file for data/presentaties/, so it can be kept and shared."""
    return yaml.safe_dump({
        "titel": title, "kader": framework_id, "gemeente": municipality,
        "dias": [{"soort": s.kind, SUBJECT_KEYS[s.kind]: s.subject} for s in slides],
    }, allow_unicode=True, sort_keys=False)
