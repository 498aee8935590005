"""A hidden wijk stays hidden on every path: pages, map tooltips, export, upload preview and its conflicts.

The example of issue 16: Beverwijk 100 with wijken 50, 45 and 5. Showing 100, 50 and 45 would give
away the 5, so the 45 is hidden as well ("verborgen om een klein aantal te beschermen").
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from openpyxl import Workbook

from dashboard import cli
from dashboard.catalog.models import Catalog
from dashboard.ingest.seed import load_shipped_data
from dashboard.ingest.upload import commit_import, plan_import
from dashboard.settings import load_settings
from dashboard.store import Store
from dashboard.views.upload_preview import conflict_table, preview_frame

from .conftest import open_page, run_app

INDICATOR = "kinderen_0_17_aantal"
PROTECTED = "verborgen om een klein aantal te beschermen"
SMALL = "te klein om te tonen"


def wijken(catalog: Catalog) -> list[str]:
    codes = sorted(a.code for a in catalog.areas.values() if a.level == "wijk" and a.parent == "GM0375")
    if len(codes) < 4:
        pytest.skip("geen wijkgrenzen van Beverwijk in de catalogus")
    return codes


def workbook(values: dict[str, float], period: str = "2023") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "gegevens"
    sheet.append(["indicator", "gebied", "periode", "waarde", "bron"])
    for code, value in values.items():
        sheet.append([INDICATOR, code, period, value, "Test"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(store: Store, catalog: Catalog, values: dict[str, float], name: str) -> None:
    plan = plan_import(f"{name}.xlsx", workbook(values), catalog, store, load_settings(), "")
    assert plan.can_commit, plan.messages()
    commit_import(plan, store, name, "tester")


def test_cli_export_hides_the_wijk_from_which_the_small_one_follows(seeded_store, catalog, monkeypatch,
                                                                     capsys) -> None:
    w = wijken(catalog)
    upload(seeded_store, catalog, {"GM0375": 100, w[0]: 50, w[1]: 45, w[2]: 5}, "beverwijk")
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", seeded_store.url)
    capsys.readouterr()
    assert cli.main(["export"]) == 0
    rows = [r for r in csv.DictReader(io.StringIO(capsys.readouterr().out)) if r["indicator_id"] == INDICATOR
            and r["period"] == "2023" and r["dataset"] == "beverwijk"]
    by_area = {r["area_code"]: r["value"] for r in rows}
    assert by_area == {"GM0375": "100", w[0]: "50", w[1]: "", w[2]: ""}


def test_wijken_page_table_and_tooltips_hide_the_protecting_wijk_and_say_why(app_env, catalog) -> None:
    w = wijken(catalog)
    store = Store(app_env)
    load_shipped_data(store, catalog)
    upload(store, catalog, {"GM0375": 100, w[0]: 50, w[1]: 45, w[2]: 5}, "beverwijk")
    at = open_page(run_app({"indicator": INDICATOR, "vergelijk": "perioden", "periode": "2023",
                            "periode2": "2023"}), "app_pages/wijken.py")
    assert not at.exception, at.exception
    assert (at.session_state["indicator"], at.session_state["periode"], at.session_state["periode2"]) == (
        INDICATOR, "2023", "2023")
    table = at.dataframe[0].value
    table = table[(table["Indicator"] == catalog.indicators[INDICATOR].name) & (table["Periode"] == "2023")]
    shown = {catalog.areas[c].name: v for c, v in zip(w, ["50", PROTECTED, SMALL], strict=False)}
    values = dict(zip(table["Wijk"], table["Waarde"], strict=True))
    assert {k: values[k] for k in shown} == shown
    tooltips = {f["properties"]["statcode"]: f["properties"]["waarde"]
                for deck in at.get("deck_gl_json_chart")[:2]
                for f in json.loads(deck.proto.json)["layers"][0]["data"]["features"]}
    assert tooltips[w[1]] == PROTECTED and tooltips[w[2]] == SMALL
    sent = "".join(deck.proto.json for deck in at.get("deck_gl_json_chart"))
    # 45 as a value of its own (not inside a layer id such as "455d0a20-…").
    assert not re.search(r"(?<![0-9A-Za-z.-])45(?![0-9A-Za-z-])", sent)


def test_upload_preview_hides_what_the_pages_will_hide_together_with_stored_figures(seeded_store, catalog) -> None:
    w = wijken(catalog)
    # Stored: a small wijk (5), protected by the next smallest (12).
    upload(seeded_store, catalog, {"GM0375": 100, w[0]: 5, w[1]: 12, w[2]: 83}, "eerst")
    # A new file corrects only the protecting wijk: alone it has nothing small, but showing 13 would give
    # away the stored 5 (100 - 13 - 83 - ...), so the preview hides it as the pages will.
    plan = plan_import("correctie.xlsx", workbook({w[1]: 13, w[3]: 70}), catalog, seeded_store, load_settings(),
                       "")
    assert plan.can_commit, plan.messages()
    stored = seeded_store.observations()
    preview = preview_frame(plan.rows, catalog, 10, stored).set_index("area_code")
    assert preview.loc[w[1], "suppressed_reason"] == "bescherming"
    assert preview.loc[w[3], "value"] == 70


def test_conflict_table_never_shows_a_stored_small_wijk(seeded_store, catalog) -> None:
    w = wijken(catalog)
    upload(seeded_store, catalog, {w[0]: 3, w[1]: 5, w[2]: 40, w[3]: 60}, "eerst")
    plan = plan_import("tweede.xlsx", workbook({w[0]: 4, w[1]: 6, w[2]: 41, w[3]: 60}), catalog, seeded_store,
                       load_settings(), "")
    assert len(plan.conflicts) == 3
    table = conflict_table(plan.conflicts, plan.rows, catalog, 10, seeded_store.observations())
    table = table.set_index("area_code")
    assert table.loc[w[0], "bestaande waarde"] == SMALL and table.loc[w[1], "bestaande waarde"] == SMALL
    assert table.loc[w[0], "nieuwe waarde"] == SMALL and table.loc[w[1], "nieuwe waarde"] == SMALL
    # 40 protects the two small ones (their sum, 8, is itself small); 41 likewise after storing.
    assert table.loc[w[2], "bestaande waarde"] == PROTECTED and table.loc[w[2], "nieuwe waarde"] == PROTECTED
    assert "3" not in set(table["bestaande waarde"]) and "5" not in set(table["bestaande waarde"])
