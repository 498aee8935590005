"""Passages of a policy document shown beside a figure: whole sentences of running text, or nothing.

A figure taken from a table or a chart has no readable passage (the text version of the document lists the
cells one after another); such a passage is left out with a note instead of being shown garbled.
"""

from __future__ import annotations

import re
from itertools import pairwise

from dashboard.sources import find_passage

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9‘'\"(])")


def _whole_sentences(passage: str) -> str:
    """Cut the passage to whole sentences: drop the half sentence at either end."""
    text = passage.strip("… ")
    parts = _SENTENCE_END.split(text)
    if len(parts) > 2:
        parts = parts[1:-1] if not passage.endswith(tuple(".!?")) else parts[1:]
    return " ".join(parts).strip()


def is_running_text(text: str) -> bool:
    """False for a dump of a table or chart: many numbers, capitals or repeated labels, few sentence ends."""
    words = text.split()
    if len(words) < 8:
        return False
    numeric = sum(any(ch.isdigit() for ch in w) for w in words) / len(words)
    capitals = sum(w.isupper() and len(w) > 2 for w in words) / len(words)
    repeated = sum(a == b for a, b in pairwise(words)) / len(words)
    sentences = len(re.findall(r"[.!?](\s|$)", text))
    return numeric < 0.2 and capitals < 0.1 and repeated < 0.03 and sentences * 45 >= len(words)


def clean_passage(document: str, quote: str) -> str | None:
    """The readable passage around the quote, or None when there is none to show."""
    passage = find_passage(document, quote)
    if passage is None:
        return None
    text = _whole_sentences(passage)
    return text if is_running_text(text) else None
