"""A clearly fictitious export per wijk over several years, for tests and demonstrations.

The workbook has a sheet named 'fictief'; an upload that contains it becomes a dataset
marked as example data, and every page that shows its figures says "voorbeelddata (fictief)".
"""

from __future__ import annotations

import io
import random

from openpyxl import Workbook

from dashboard.catalog.models import Catalog

EXAMPLE_MARKER_SHEET = "fictief"
EXAMPLE_SOURCE = "Voorbeelddata (fictief), gegenereerd door het Jeugddashboard"


def build_example_export(catalog: Catalog, gemeentecode: str, years: tuple[int, ...] = (2021, 2022, 2023),
                         seed: int = 7) -> bytes:
    """Long sheet with, per wijk and year, youth with jeugdhulp (% of under-18s) with teller and noemer.

    Some wijken are deliberately small, so that suppression shows on maps and tables.
    """
    rng = random.Random(seed)
    wijken = [a for a in catalog.areas.values() if a.level == "wijk" and a.parent == gemeentecode]
    if not wijken:
        raise ValueError(f"geen wijken van {gemeentecode} bekend; stel DASHBOARD_GEO_PATH in")
    workbook = Workbook()
    data = workbook.active
    data.title = "gegevens"
    data.append(["indicator", "gebied", "periode", "waarde", "teller", "noemer", "bron"])
    for wijk in wijken:
        youth = rng.choice([25, 40, 180, 450, 900, 1400])
        share = rng.uniform(0.06, 0.16)
        for year in years:
            count = max(1, round(youth * share))
            data.append(["jeugdhulp_pct_tot_18", wijk.code, str(year), round(100 * count / youth, 1), count, youth,
                         EXAMPLE_SOURCE])
            share *= rng.uniform(0.93, 1.08)
    marker = workbook.create_sheet(EXAMPLE_MARKER_SHEET)
    marker.append(["Dit bestand bevat VOORBEELDDATA (FICTIEF). De cijfers zijn verzonnen."])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
