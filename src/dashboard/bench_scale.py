"""Benchmark at province scale: `python -m dashboard bench --schaal N` (DESIGN.md, Data access at scale).

Generates N fictitious figures across the catalog's indicators, the municipalities of Noord-Holland and their
wijken, over as many years as needed; imports them as one CSV upload into a fresh temporary SQLite store (never
the user's store), beside the shipped data; then measures every page with AppTest (cold first page, first visit
and warm rerun per page) and the app process's peak memory, and, where /usr/bin/chromium is installed, the
time from a sidebar click until the page is drawn and responds again in headless Chromium at 1920x1080.

Each step runs in its own process, so the peak memory is the app's, not the generator's. Timings are
printed against the targets, never asserted: the machine is shared and the figures are noisy.
"""

from __future__ import annotations

import concurrent.futures
import math
import multiprocessing
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.settings import PROJECT_ROOT, load_settings

CHROMIUM = "/usr/bin/chromium"
BENCH_SOURCE = "Benchmark (fictief), gegenereerd door python -m dashboard bench"
LAST_YEAR = 2024

PROVINCE = "PV27"  # Noord-Holland in the catalog (app_data.NOORD_HOLLAND), its members its 44 municipalities

# Pages as AppTest opens them (file, or a theme's url path), with the title in the sidebar for the browser.
PAGES: list[tuple[str, str]] = [
    ("app_pages/overzicht.py", "Overzicht"),
    ("thema-gezonde-levensstijl", "Gezonde levensstijl"),
    ("app_pages/hefboom_cultuur.py", "Cultuur en gedeelde waarden"),
    ("app_pages/hefboom_regels.py", "Regels, kaders en randvoorwaarden"),
    ("app_pages/hefboom_kpi.py", "KPI's en informatie"),
    ("app_pages/hefboom_leren.py", "Leren en verbeteren"),
    ("app_pages/vergelijken.py", "Vergelijken"),
    ("app_pages/wijken.py", "Wijken"),
    ("app_pages/gegevens.py", "Gegevens"),
    ("app_pages/bronnen.py", "Bronnen"),
    ("app_pages/presentatie.py", "Presenteren"),
]

TARGETS = {  # figures -> (warm median ms, slowest ms, cold ms, peak MB, import s)
    125_000: (250, 500, 2000, 1000, None),
    1_000_000: (300, 800, 3000, 1500, 15),
}


def parse_scale(text: str) -> int:
    """'125000', '125_000', '125k' or '1M' as a number of figures."""
    raw = text.strip().lower().replace("_", "").replace(".", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(raw[-1:], 1)
    number = int(raw[:-1] if factor > 1 else raw) * factor
    if number <= 0:
        raise ValueError("de schaal is een positief aantal cijfers")
    return number


# -- generating ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Generated:
    path: Path
    rows: int
    indicators: int
    municipalities: int
    wijken: int
    years: tuple[int, int]


def generate_csv(n: int, out: Path, seed: int = 17) -> Generated:
    """N figures (indicator x area x year) as a long CSV in the upload format, year by year from 2024 back."""
    from dashboard.catalog.loader import load_catalog

    catalog = load_catalog(geo_path=load_settings().geo_path)
    municipalities = list(catalog.areas[PROVINCE].members)
    wijken = [a.code for a in catalog.areas.values() if a.level == "wijk" and a.parent in set(municipalities)]
    areas = np.array(municipalities + wijken, dtype=object)
    is_wijk = np.array([False] * len(municipalities) + [True] * len(wijken))
    indicators = list(catalog.indicators.values())
    per_year = len(indicators) * len(areas)
    years = math.ceil(n / per_year)
    rng = np.random.default_rng(seed)
    # Row i: year (from the last back), then indicator, then area.
    index = np.arange(n)
    year = LAST_YEAR - index // per_year
    indicator_index = (index // len(areas)) % len(indicators)
    area_index = index % len(areas)
    wijk = is_wijk[area_index]
    units = np.array([i.unit for i in indicators], dtype=object)[indicator_index]
    # Youth per area: wijken from tiny to large (some below the privacy threshold), municipalities larger.
    denominator = np.where(wijk, rng.choice([6, 25, 40, 180, 450, 900, 1400], size=n),
                           rng.integers(3_000, 60_000, size=n)).astype(float)
    share = rng.uniform(0.02, 0.3, size=n)
    numerator = np.maximum(1, np.round(denominator * share))
    value = np.select(
        [units == "percent", units == "count", units == "euro", units == "grade", units == "days",
         units == "percent_change"],
        [np.round(100 * numerator / denominator, 1), numerator, np.round(denominator * rng.uniform(500, 5000, n)),
         np.round(rng.uniform(5, 9, n), 1), np.round(rng.uniform(5, 120, n)), np.round(rng.uniform(-20, 20, n), 1)],
    )
    with_fraction = units == "percent"
    frame = pd.DataFrame({
        "indicator": np.array([i.id for i in indicators], dtype=object)[indicator_index],
        "gebied": areas[area_index],
        "periode": year.astype(str),
        "waarde": value,
        "teller": np.where(with_fraction, numerator, np.nan),
        "noemer": np.where(with_fraction, denominator, np.nan),
        "bron": BENCH_SOURCE,
    })
    frame.to_csv(out, index=False, float_format="%.12g")
    return Generated(out, n, len(indicators), len(municipalities), len(wijken),
                     (LAST_YEAR - years + 1, LAST_YEAR))


# -- the steps, each in a fresh process -----------------------------------------------------------------------

def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def import_step(database_url: str, csv_path: str) -> dict:
    """Load the shipped data, then import the CSV as a staff upload would (read, check, preview, store)."""
    from dashboard.catalog.loader import load_catalog
    from dashboard.ingest.seed import load_shipped_data
    from dashboard.ingest.upload import commit_import, plan_import
    from dashboard.store import Store

    settings = load_settings()
    catalog = load_catalog(geo_path=settings.geo_path)
    store = Store(database_url)
    load_shipped_data(store, catalog)
    data = Path(csv_path).read_bytes()
    start = time.perf_counter()
    plan = plan_import(Path(csv_path).name, data, catalog, store,
                       replace(settings, upload_max_rows=10**8, upload_max_bytes=1 << 34), BENCH_SOURCE)
    planned = time.perf_counter() - start
    if not plan.can_commit:
        raise RuntimeError("de benchmarkgegevens zijn geweigerd: " + "; ".join(plan.messages()[:5]))
    commit_import(plan, store, "Benchmark (fictief)", "benchmark")
    total = time.perf_counter() - start
    return {"plan": planned, "total": total, "rows": len(plan.rows), "mb": len(data) / 1e6, "peak": _peak_mb()}


def _open(at, page: str):
    if page.startswith("app_pages/"):
        return at.switch_page(page)
    from streamlit.util import calc_hash

    at._page_hash = calc_hash(page)
    return at


def _timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _scan_components(at) -> None:
    """Streamlit's scan of the installed packages for components, before the clock starts.

    `streamlit run` does it once when the server starts, before anyone opens the app; AppTest does it in its
    first run, which would add about a second of Streamlit start-up (reading every package's metadata) to
    the cold first page that no user waits for.
    """
    from streamlit.components.v2.component_manager import BidiComponentManager

    manager = BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)
    at._bidi_component_manager = manager


def pages_step(database_url: str, reruns: int = 5) -> dict:
    """The app as a user meets it: the cold first render, then per page its first visit and warm reruns."""
    os.environ["DASHBOARD_DATABASE_URL"] = database_url
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=300)
    _scan_components(at)
    cold = _timed(at.run)
    results = []
    for page, _title in PAGES:
        _open(at, page)
        first = _timed(at.run)
        if at.exception:
            raise RuntimeError(f"{page}: {at.exception[0].message}")
        warm = statistics.median(_timed(at.run) for _ in range(reruns))
        results.append((page, first, warm))
    return {"cold": cold, "pages": results, "peak": _peak_mb()}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Drawn: the new page's heading is there, the script has finished (no status widget, nothing stale), and every
# chart and map has its canvas or svg.
_DRAWN = """(previous) => {
  const h1 = document.querySelector('h1');
  if (!h1 || h1.innerText === previous) return false;
  if (document.querySelector("[data-testid='stStatusWidget']")) return false;
  if (document.querySelector("[data-stale='true']")) return false;
  for (const chart of document.querySelectorAll("[data-testid='stVegaLiteChart'], [data-testid='stDeckGlJsonChart']")) {
    if (!chart.querySelector('canvas, svg')) return false;
  }
  return true;
}"""

# Responsive: a canvas or svg is there long before it is drawn. Without a GPU, deck.gl's first frame (shaders
# compiled in software) and Vega's rendering keep the browser busy for seconds after that, and a click waits.
# So after _DRAWN, wait for QUIET_MS in which every frame came within FRAME_MS of the one before (nothing
# blocks the page or its painting), and count the page as drawn where that quiet stretch began.
QUIET_MS, FRAME_MS = 500, 100
_RESPONSIVE = """async ([quietMs, frameMs]) => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
  let last = await frame(), quietSince = last;
  while (last - quietSince < quietMs) {
    const now = await frame();
    if (now - last > frameMs) quietSince = now;
    last = now;
  }
  return performance.now() - quietSince;
}"""


def _wait_until_drawn(page, previous: str) -> float:
    """Waits until the page is drawn and responds; returns how long ago (seconds) it became quiet."""
    page.wait_for_function(_DRAWN, arg=previous, timeout=120_000, polling=50)
    return page.evaluate(_RESPONSIVE, [QUIET_MS, FRAME_MS]) / 1000


def browser_step(database_url: str) -> dict:
    """Seconds from a sidebar click until the page is drawn, per page, in headless Chromium at 1920x1080."""
    from playwright.sync_api import sync_playwright

    port = _free_port()
    env = {**os.environ, "DASHBOARD_DATABASE_URL": database_url}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("de app startte niet binnen 120 seconden") from None
                time.sleep(0.5)
        times: dict[str, tuple[float, float | None]] = {}  # page: (drawn and responsive, elements there)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="nl-NL")
            start = time.perf_counter()
            page.goto(url)
            quiet = _wait_until_drawn(page, "")
            times["eerste keer openen (koud)"] = (time.perf_counter() - quiet - start, None)
            # Twice round: the first round meets each page's caches cold, the second as a user does after that.
            for round_ in (1, 2):
                for _page, title in PAGES[1:] + PAGES[:1]:
                    previous = page.locator("h1").first.inner_text()
                    link = page.locator("[data-testid='stSidebar'] a").filter(has_text=title).first
                    start = time.perf_counter()
                    link.click()
                    page.wait_for_function(_DRAWN, arg=previous, timeout=120_000, polling=50)
                    shown = time.perf_counter() - start
                    quiet = page.evaluate(_RESPONSIVE, [QUIET_MS, FRAME_MS]) / 1000
                    if round_ == 2:
                        times[title] = (time.perf_counter() - quiet - start, shown)
            browser.close()
        return times
    finally:
        server.terminate()
        server.wait(timeout=20)


def _in_fresh_process(function, *args):
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(function, *args).result()


# -- report -------------------------------------------------------------------------------------------------

def _n(number: float) -> str:
    """Dutch thousands: 125.000."""
    return f"{number:,.0f}".replace(",", ".")


def _ms(seconds: float) -> str:
    return f"{_n(seconds * 1000)} ms"


def _mark(value: float, target: float | None) -> str:
    if target is None:
        return ""
    return f"(doel < {_n(target)}{' ✓' if value < target else ' ✗ niet gehaald'})"


def run(n: int, browser: bool = True) -> int:
    targets = TARGETS.get(n) or TARGETS[min(TARGETS, key=lambda k: abs(math.log(k / n)))]
    print(f"Jeugddashboard benchmark op schaal · {_n(n)} cijfers · {time.strftime('%Y-%m-%d %H:%M')} · "
          f"{os.cpu_count()} cores · Python {sys.version.split()[0]}")
    if n not in TARGETS:
        print(f"(doelen van de dichtstbijzijnde schaal met doelen: {_n(min(TARGETS, key=lambda k: abs(k - n)))})")
    with tempfile.TemporaryDirectory(prefix="jeugddashboard-bench-") as tmp:
        database_url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        start = time.perf_counter()
        generated = generate_csv(n, Path(tmp) / "benchmark.csv")
        print(f"\nGegenereerd in {time.perf_counter() - start:.1f} s: {_n(generated.rows)} fictieve cijfers over "
              f"{generated.indicators} indicatoren, {generated.municipalities} gemeenten van Noord-Holland en "
              f"{generated.wijken} wijken, {generated.years[0]}-{generated.years[1]}")
        print(f"Tijdelijke opslag: {database_url} (wordt na afloop verwijderd)")

        imported = _in_fresh_process(import_step, database_url, str(generated.path))
        print(f"\nImport als CSV-upload ({imported['mb']:.0f} MB, {_n(imported['rows'])} rijen): "
              f"{imported['total']:.1f} s, waarvan lezen en controleren {imported['plan']:.1f} s "
              f"{_mark(imported['total'], targets[4])}; piekgeheugen van de import {_n(imported['peak'])} MB")

        measured = _in_fresh_process(pages_step, database_url)
        warm = [w for _p, _f, w in measured["pages"]]
        slowest = max(measured["pages"], key=lambda r: r[2])
        print(f"\nPagina's met AppTest (in het proces, zonder browser): eerste weergave {_ms(measured['cold'])} "
              f"{_mark(measured['cold'] * 1000, targets[2])}")
        print(f"  {'pagina':36s} {'eerste bezoek':>14s} {'warm (mediaan van 5)':>22s}")
        for page, first, w in measured["pages"]:
            print(f"  {page.removeprefix('app_pages/'):36s} {_ms(first):>14s} {_ms(w):>22s}")
        print(f"  mediaan warm over alle pagina's: {_ms(statistics.median(warm))} "
              f"{_mark(statistics.median(warm) * 1000, targets[0])}")
        print(f"  traagste pagina warm: {slowest[0].removeprefix('app_pages/')} {_ms(slowest[2])} "
              f"{_mark(slowest[2] * 1000, targets[1])}")
        print(f"  piekgeheugen van het app-proces: {_n(measured['peak'])} MB {_mark(measured['peak'], targets[3])}")

        if not browser:
            pass
        elif not Path(CHROMIUM).exists():
            print(f"\nGeen browsertijden: {CHROMIUM} ontbreekt.")
        else:
            times = _in_fresh_process(browser_step, database_url)
            print("\nIn headless Chromium (1920x1080), van klik in het menu tot de pagina getekend is en weer "
                  f"reageert (daarna {QUIET_MS} ms elk beeld binnen {FRAME_MS} ms; tweede ronde; doel < 1.500 ms, "
                  "Wijken < 2.000 ms). Tussen haakjes: tot alle grafieken en kaarten er als element staan.")
            for title, (seconds, shown) in times.items():
                target = 2.0 if title == "Wijken" else 1.5
                mark = "" if title.startswith("eerste") else (" ✓" if seconds < target else " ✗ niet gehaald")
                there = f" ({_ms(shown)})" if shown is not None else ""
                print(f"  {title:36s} {_ms(seconds):>10s}{mark}{there}")
    print("\nDe machine wordt gedeeld: tijden verschillen per run; vergelijk runs op dezelfde machine.")
    return 0
