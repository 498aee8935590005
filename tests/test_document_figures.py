"""Every figure a document states is in the product, or data/README.md lists it with its line and reason.

The list per document (tests/document_figures.py) is written from the documents; this test needs neither
the documents nor anything outside the repository.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from dashboard.ingest.seed import figures_files
from dashboard.settings import DATA_DIR

from .document_figures import IN_PRODUCT, LEFT_OUT

FILES = {figures.document: figures for figures in figures_files()}


def test_every_document_has_its_list() -> None:
    assert set(IN_PRODUCT) == set(FILES) == set(LEFT_OUT)


@pytest.mark.parametrize("document", sorted(IN_PRODUCT))
def test_the_figures_of_a_document_are_exactly_those_listed_from_it(document: str) -> None:
    listed = Counter((indicator, area, period, float(value))
                     for _, indicator, area, period, value in IN_PRODUCT[document])
    shipped = Counter((r["indicator_id"], r["area_code"], r["period"], float(r["value"])) for r in FILES[document].rows)
    assert sum(shipped.values()) == sum(listed.values()), f"{document}: {len(FILES[document].rows)} cijfers"
    assert shipped - listed == Counter(), "in the product but not in the list written from the document"
    assert listed - shipped == Counter(), "stated in the document but missing from the product"


def _left_out_rows() -> set[tuple[str, str]]:
    text = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    section = text.split("## Niet overgenomen, en waarom", 1)[1]
    rows = set()
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"\d{3}", cells[0]) and cells[3]:
            rows.add((cells[0], cells[1]))
    return rows


@pytest.mark.parametrize("document", sorted(LEFT_OUT))
def test_what_stays_out_is_in_the_data_readme_with_its_line_and_reason(document: str) -> None:
    rows = _left_out_rows()
    not_in_readme = [(line, what) for line, what in LEFT_OUT[document] if (document[:3], line) not in rows]
    assert not_in_readme == []
    # And the README lists nothing for the document that the list does not know.
    assert {line for doc, line in rows if doc == document[:3]} == {line for line, _ in LEFT_OUT[document]}


def test_the_counts_per_document() -> None:
    """The numbers of figures per document, as counted in the documents (in product, left out)."""
    counts = {doc[:3]: (len(IN_PRODUCT[doc]), len(LEFT_OUT[doc])) for doc in IN_PRODUCT}
    assert counts == {"000": (47, 19), "001": (3, 3), "002": (35, 3), "003": (26, 6), "004": (22, 6)}
