"""Find the passage of a source document that a figure's quote comes from."""

from __future__ import annotations

import re
from pathlib import Path


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def read_document(seeds_path: Path | None, file_name: str) -> str | None:
    if seeds_path is None:
        return None
    path = seeds_path / file_name
    return _normalise(path.read_text(encoding="utf-8")) if path.is_file() else None


def find_passage(document: str, quote: str, context: int = 250) -> str | None:
    """The document text around the first part of the quote ('...' separates parts), or None."""
    first_part = _normalise(quote.split("...")[0])
    for length in (len(first_part), 80, 40):
        probe = first_part[:length]
        if len(probe) < 15:
            continue
        position = document.find(probe)
        if position >= 0:
            start = max(0, position - context)
            end = min(len(document), position + len(first_part) + context)
            return ("…" if start else "") + document[start:end] + ("…" if end < len(document) else "")
    return None
