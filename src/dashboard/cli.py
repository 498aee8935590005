"""Command line: `python -m dashboard init` and `python -m dashboard export`."""

from __future__ import annotations

import argparse
import os
import sys

from dashboard.analysis.suppression import suppress
from dashboard.catalog.loader import CatalogError, load_catalog
from dashboard.exports import export_frame, neutralise
from dashboard.ingest.seed import load_shipped_data
from dashboard.settings import load_settings
from dashboard.store.store import Store


def _open_store() -> tuple[Store, int]:
    settings = load_settings()
    store = Store(settings.database_url)
    store.create_schema()
    return store, settings.privacy_threshold


def cmd_init(_args: argparse.Namespace) -> int:
    settings = load_settings()
    catalog = load_catalog(geo_path=settings.geo_path)
    store = Store(settings.database_url)
    done = load_shipped_data(store, catalog)
    for line in done:
        print(line)
    datasets = store.datasets()
    active = int((datasets["status"] == "active").sum()) if not datasets.empty else 0
    print(f"Gegevensopslag klaar ({store.dialect}): {active} actieve datasets, "
          f"{store.count('observations')} waarnemingen, {store.count('areas')} gebieden.")
    if settings.geo_path is None:
        print("Let op: geen map met gebiedsgrenzen gevonden; wijken ontbreken. Zet DASHBOARD_GEO_PATH.",
              file=sys.stderr)
    return 0


def cmd_export(_args: argparse.Namespace) -> int:
    store, threshold = _open_store()
    frame = export_frame(suppress(store.observations(), threshold))
    # Plain numbers (18, 0.08, 108000000), no trailing ".0"; suppressed values stay empty.
    frame["value"] = frame["value"].map(lambda v: "" if v != v else f"{v:.12g}")
    try:
        neutralise(frame).to_csv(sys.stdout, index=False)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped early; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard", description="Jeugddashboard: beheer van de gegevensopslag."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="maak de opslag aan en laad de gegevens uit data/").set_defaults(func=cmd_init)
    sub.add_parser(
        "export", help="alle actieve waarnemingen als CSV naar stdout"
    ).set_defaults(func=cmd_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except CatalogError as exc:
        print(f"Fout in de gegevensbestanden: {exc}", file=sys.stderr)
        return 2
