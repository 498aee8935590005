"""A bad setting is a Dutch message naming it; the CLI export keeps numbers; a racing duplicate is said in Dutch."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import cli
from dashboard.analysis.suppression import suppress
from dashboard.catalog.loader import shipped_relations
from dashboard.catalog.models import Catalog
from dashboard.ingest.upload import commit_import, plan_import
from dashboard.settings import Settings, SettingsError, load_settings
from dashboard.store import Store
from dashboard.store.store import DuplicateDatasetError

from .conftest import ROOT, page_text, run_app

NO_SECRETS = Path("/nonexistent/secrets.toml")


@pytest.mark.parametrize("raw", ["abc", "0", "-3", "4"])
def test_a_privacy_threshold_that_is_no_number_or_below_five_is_refused(raw: str) -> None:
    with pytest.raises(SettingsError, match="DASHBOARD_PRIVACY_THRESHOLD") as info:
        load_settings({"DASHBOARD_PRIVACY_THRESHOLD": raw}, NO_SECRETS)
    assert "geheel getal" in str(info.value) or "kleinste toegestane waarde is 5" in str(info.value)


def test_the_safe_minimum_and_above_are_accepted() -> None:
    assert load_settings({"DASHBOARD_PRIVACY_THRESHOLD": "5"}, NO_SECRETS).privacy_threshold == 5
    assert load_settings({"DASHBOARD_UPLOAD_MAX_MB": " 30 "}, NO_SECRETS).upload_max_bytes == 30_000_000


def test_a_bad_upload_limit_names_the_setting() -> None:
    with pytest.raises(SettingsError, match="DASHBOARD_UPLOAD_MAX_ROWS moet een geheel getal zijn, niet ‘veel’"):
        load_settings({"DASHBOARD_UPLOAD_MAX_ROWS": "veel"}, NO_SECRETS)


@pytest.mark.parametrize(("url", "why"), [("geen url", "geen geldige database-URL"),
                                         ("mysql://root:geheim@db/x", "noemt database ‘mysql’")])
def test_a_bad_database_url_is_named_without_repeating_it(url: str, why: str) -> None:
    with pytest.raises(SettingsError, match="DASHBOARD_DATABASE_URL") as info:
        load_settings({"DASHBOARD_DATABASE_URL": url}, NO_SECRETS)
    assert why in str(info.value) and "geheim" not in str(info.value)


def test_an_unreachable_database_is_said_in_dutch(tmp_path: Path) -> None:
    env = {**os.environ, "DASHBOARD_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/x"}
    result = subprocess.run([sys.executable, "-m", "dashboard", "export"], capture_output=True, text=True,
                            env=env, cwd=ROOT)
    assert result.returncode == 2
    assert "DASHBOARD_DATABASE_URL is niet bereikbaar" in result.stderr and "Traceback" not in result.stderr


def test_the_app_says_an_unreachable_database_in_dutch(monkeypatch) -> None:
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/x")
    at = run_app()
    assert not at.exception
    assert "de database uit de instelling DASHBOARD_DATABASE_URL is niet bereikbaar" in page_text(at)


def test_the_cli_says_which_setting_is_wrong_without_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "DASHBOARD_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite'}",
           "DASHBOARD_PRIVACY_THRESHOLD": "abc"}
    result = subprocess.run([sys.executable, "-m", "dashboard", "export"], capture_output=True, text=True,
                            env=env, cwd=ROOT)
    assert result.returncode == 2
    assert "Fout in de instellingen: De instelling DASHBOARD_PRIVACY_THRESHOLD moet een geheel getal zijn" in (
        result.stderr)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("raw", ["abc", "0"])
def test_the_app_says_which_setting_is_wrong_without_a_traceback(app_env, monkeypatch, raw: str) -> None:
    monkeypatch.setenv("DASHBOARD_PRIVACY_THRESHOLD", raw)
    at = run_app()
    assert not at.exception
    assert "Het dashboard kan niet starten: De instelling DASHBOARD_PRIVACY_THRESHOLD" in page_text(at)


def test_cli_export_reads_back_as_numbers_equal_to_the_store(seeded_store: Store, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", seeded_store.url)
    assert cli.main(["export"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    expected = suppress(seeded_store.observations(), load_settings().privacy_threshold,
                        relations=shipped_relations())  # linked indicators hidden together, as the export does
    assert len(rows) == len(expected)
    negatives = 0
    for row, value in zip(rows, expected["value"], strict=True):
        if value != value:  # suppressed: empty, never a number
            assert row["value"] == ""
            continue
        assert float(row["value"]) == pytest.approx(value, rel=1e-11), row  # a number, not '-26 or text
        negatives += value < 0
    assert negatives >= 6  # the Regiovisie's decreases, e.g. -26


def test_export_neutralises_text_but_never_numbers() -> None:
    import pandas as pd

    from dashboard.exports import to_csv_bytes

    frame = pd.DataFrame({"bron": ["GGD", "-1+A1", "=SUM(A1)", "+31 6"], "value": [-26.0, -1.5, 2.0, 3.0]})
    parsed = list(csv.DictReader(io.StringIO(to_csv_bytes(frame).decode())))
    assert [r["bron"] for r in parsed] == ["GGD", "'-1+A1", "'=SUM(A1)", "'+31 6"]
    assert [float(r["value"]) for r in parsed] == [-26.0, -1.5, 2.0, 3.0]


def _xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["indicator", "gebied", "periode", "waarde"])
    workbook.active.append(["maatregel_pct", "Velsen", "2020", 4])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_duplicate_import_racing_another_gets_the_dutch_message(seeded_store: Store, catalog: Catalog,
                                                                   monkeypatch) -> None:
    settings = Settings(database_url=seeded_store.url, geo_path=None, privacy_threshold=10, seeds_path=None)
    data = _xlsx()
    first = plan_import("a.xlsx", data, catalog, seeded_store, settings, "bron")
    second = plan_import("a.xlsx", data, catalog, seeded_store, settings, "bron")
    assert first.can_commit and second.can_commit  # both planned before either stored: the race
    first_id = commit_import(first, seeded_store, "eerste", "tester")
    before = seeded_store.count("observations")
    # The loser's own duplicate check ran before the winner committed; only the database sees the clash.
    real_lookup = seeded_store.dataset_by_sha256
    calls = iter([None])
    monkeypatch.setattr(seeded_store, "dataset_by_sha256", lambda sha: next(calls, None) or real_lookup(sha))
    with pytest.raises(DuplicateDatasetError, match=f"al eerder ingelezen als dataset {first_id}"):
        commit_import(second, seeded_store, "tweede", "tester")
    assert seeded_store.count("observations") == before
