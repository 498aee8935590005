"""Benchmark: prints speed and memory figures. It never fails on a timing; compare runs by their figures.

Run with `make bench` (or `python -m dashboard bench`). It uses a temporary SQLite store.
"""

from __future__ import annotations

import io
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from dashboard.geo import payload_bytes, read_boundaries, simplified, wijken_of
from dashboard.ingest.reader import read_upload
from dashboard.settings import PROJECT_ROOT, load_settings

PAGES = ["app_pages/overzicht.py", "app_pages/hefboom_kpi.py", "app_pages/hefboom_cultuur.py",
         "app_pages/hefboom_regels.py", "app_pages/hefboom_leren.py", "app_pages/vergelijken.py",
         "app_pages/wijken.py", "app_pages/gegevens.py", "app_pages/bronnen.py"]


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def page_times(reruns: int = 5) -> tuple[float, list[tuple[str, float]]]:
    """Cold first render of the app, and the median warm rerun of every page (AppTest, in process)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=120)
    cold = _timed(at.run)
    results = []
    for page in PAGES:
        at.switch_page(page).run()
        results.append((page, statistics.median(_timed(at.run) for _ in range(reruns))))
    from streamlit.util import calc_hash

    at._page_hash = calc_hash("thema-gezonde-levensstijl")
    at.run()
    results.append(("thema (gezonde levensstijl)", statistics.median(_timed(at.run) for _ in range(reruns))))
    return cold, results


def _workbook(rows: list[list[object]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("gegevens")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


LONG_INDICATORS = ["overgewicht_5_14_pct", "maatregel_pct", "jeugdhulp_pct_tot_18", "suicidepoging_pct",
                   "denkt_aan_zelfdoding_pct", "online_gepest_pct", "gepest_op_school_pct", "eenzaam_pct",
                   "zorgen_met_niemand_pct", "lid_sportvereniging_pct"]
LONG_AREAS = ["GM0375", "GM0396", "GM0453", "GM0361"]


def _period(k: int) -> str:
    """The k-th distinct plausible period (the upload refuses years before 1900): 1900/1901, 1901/1902, …"""
    start = 1900 + k % 100
    return f"{start}/{start + 1 + k // 100}"


def long_sheet(n_rows: int) -> bytes:
    """Valid rows only: every (indicator, area, year) once, years from 1000 on."""
    rows: list[list[object]] = [["indicator", "gebied", "periode", "waarde", "teller", "noemer", "bron"]]
    per_year = len(LONG_INDICATORS) * len(LONG_AREAS)
    rows += [[LONG_INDICATORS[i % len(LONG_INDICATORS)], LONG_AREAS[(i // len(LONG_INDICATORS)) % len(LONG_AREAS)],
              _period(i // per_year), 12.5, 10, 80, "bench"] for i in range(n_rows)]
    return _workbook(rows)


def wide_sheet(n_columns: int, n_rows: int = 500) -> bytes:
    header: list[object] = ["indicator", "gebied", *[_period(c) for c in range(n_columns)]]
    return _workbook([header, *[["maatregel_pct", "GM0453", *[4.0] * n_columns] for _ in range(n_rows)]])


def reader_times(data: bytes) -> tuple[float, float]:
    """Seconds to read with python-calamine (ours) and with pandas + openpyxl."""
    ours = _timed(lambda: read_upload("bench.xlsx", data, max_bytes=1 << 31))
    theirs = _timed(lambda: pd.read_excel(io.BytesIO(data), sheet_name=None, engine="openpyxl"))
    return ours, theirs


def full_import_time(data: bytes) -> tuple[float, int]:
    from dashboard.catalog.loader import load_catalog
    from dashboard.ingest.upload import plan_import
    from dashboard.store import Store

    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        store.create_schema()
        catalog = load_catalog(geo_path=settings.geo_path)
        start = time.perf_counter()
        plan = plan_import("bench.xlsx", data, catalog, store,
                           settings.__class__(**{**settings.__dict__, "upload_max_rows": 10**7,
                                                 "upload_max_bytes": 1 << 31}), "bench")
        return time.perf_counter() - start, len(plan.rows)


def payloads() -> tuple[int, int]:
    geo = load_settings().geo_path
    wijken = simplified(wijken_of(read_boundaries(geo, "wijken"), "GM0375"))
    return payload_bytes(wijken), payload_bytes(simplified(read_boundaries(geo, "gemeenten")))


def run() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DASHBOARD_DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench-app.sqlite'}"
        print(f"Jeugddashboard benchmark · {time.strftime('%Y-%m-%d %H:%M')} · {os.cpu_count()} cores")
        cold, pages = page_times()
        print(f"\nEerste (koude) weergave van de app: {cold * 1000:.0f} ms")
        print("Warme herhaling per pagina (mediaan van 5):")
        for page, seconds in pages:
            print(f"  {page:40s} {seconds * 1000:7.0f} ms")
        print(f"  mediaan over alle pagina's: {statistics.median(s for _, s in pages) * 1000:.0f} ms (doel < 250 ms)")
        app_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        long_data = long_sheet(100_000)
        ours, theirs = reader_times(long_data)
        print(f"\nLang blad, 100.000 rijen ({len(long_data) / 1e6:.1f} MB):")
        print(f"  lezen met python-calamine: {ours:.2f} s; pandas + openpyxl: {theirs:.2f} s; "
              f"verhouding {theirs / ours:.1f}x (doel >= 5x)")
        seconds, rows = full_import_time(long_data)
        print(f"  volledige import (lezen, controleren, voorbeeld): {seconds:.2f} s voor {rows} cijfers (doel < 3 s)")
        wide_data = wide_sheet(200)
        ours, theirs = reader_times(wide_data)
        print("Breed blad, 200 kolommen x 500 rijen:")
        print(f"  lezen met python-calamine: {ours:.2f} s; pandas + openpyxl: {theirs:.2f} s; "
              f"verhouding {theirs / ours:.1f}x")

        wijken, gemeenten = payloads()
        print("\nKaartgegevens naar de browser:")
        print(f"  wijken van één gemeente (Beverwijk): {wijken / 1000:.1f} kB (doel < 300 kB)")
        print(f"  gemeenten van Noord-Holland: {gemeenten / 1000:.1f} kB")

        print(f"\nPiekgeheugen van de app met alle gegevens en pagina's geladen: {app_peak_mb:.0f} MB")
    return 0
