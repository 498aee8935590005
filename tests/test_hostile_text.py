"""Text from an upload is text on every page: no link, image, colour or HTML from a source, dataset name,
indicator name or description (AppTest reads the Markdown each element is given to render)."""

from __future__ import annotations

import io
import json
import re

import pytest
from openpyxl import Workbook

from dashboard.ingest.seed import load_shipped_data
from dashboard.ingest.upload import commit_import, plan_import
from dashboard.markdown_text import escape, escape_html
from dashboard.settings import load_settings
from dashboard.store import Store

from .conftest import open_page, open_theme, run_app

HOSTILE = ("[klik hier](https://x.example) ![x](https://x.example/p.png) :red[ROOD] <b>vet</b> www.x.example "
           "post@x.example")
RAW_MARKUP = ["[klik hier](", "![x](", ":red[", "<b>", "](https", "https://", "www.", "post@x"]
ESCAPED = re.compile(r"\\[^A-Za-z0-9\s]")  # a backslash-escaped character renders as itself, never as markup
PAGES = ["app_pages/overzicht.py", "app_pages/hefboom_cultuur.py", "app_pages/hefboom_regels.py",
         "app_pages/hefboom_kpi.py", "app_pages/hefboom_leren.py", "app_pages/vergelijken.py",
         "app_pages/wijken.py", "app_pages/gegevens.py", "app_pages/bronnen.py", "app_pages/presentatie.py"]


def hostile_upload(catalog) -> bytes:
    """Every catalog indicator for Beverwijk in a late year, plus a new indicator with wijk figures; all hostile."""
    book = Workbook()
    data = book.active
    data.title = "gegevens"
    data.append(["indicator", "gebied", "periode", "waarde", "bron"])
    for indicator in catalog.indicators.values():
        data.append([indicator.id, "GM0375", "2025", 5, HOSTILE])
    wijken = sorted(a.code for a in catalog.areas.values() if a.level == "wijk" and a.parent == "GM0375")[:3]
    for code, value in zip(wijken, [50, 60, 70], strict=True):
        data.append(["vijandig_aantal", code, "2025", value, HOSTILE])
    data.append(["vijandig_aantal", "GM0375", "2025", 180, HOSTILE])
    new = book.create_sheet("nieuwe indicatoren")
    new.append(["id", "naam", "eenheid", "richting", "omschrijving", "bron"])
    new.append(["vijandig_aantal", "Vijandig " + HOSTILE, "aantal", "neutraal", "Omschrijving " + HOSTILE, HOSTILE])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def hostile_env(app_env, catalog) -> str:
    store = Store(app_env)
    load_shipped_data(store, catalog)
    plan = plan_import("vijandig.xlsx", hostile_upload(catalog), catalog, store, load_settings(), HOSTILE)
    assert plan.can_commit, plan.messages()
    commit_import(plan, store, "Dataset " + HOSTILE, "tester")
    return app_env


def rendered(at) -> list[str]:
    """Every string Streamlit renders as Markdown on the page: bodies, captions, alerts and labels."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success",
                 "toast"):
        parts.extend(str(el.value) for el in getattr(at, kind))
    for kind in ("metric", "expander", "button", "page_link", "selectbox", "toggle", "tabs", "download_button"):
        parts.extend(str(getattr(el, "label", "")) for el in getattr(at, kind))
    return parts


def assert_only_text(at, where: str) -> str:
    assert not at.exception, (where, at.exception)
    texts = rendered(at)
    for text in texts:
        live = ESCAPED.sub("", text)  # what is left can still act as Markdown
        for markup in RAW_MARKUP:
            assert markup not in live, (where, markup, text)
    return "\n".join(texts)


def test_hostile_text_is_text_on_every_page(hostile_env, catalog) -> None:
    at = run_app({"indicator": "vijandig_aantal"})
    seen: dict[str, str] = {}
    for page in PAGES:
        at = open_page(at, page)
        seen[page] = assert_only_text(at, page)
    for theme in catalog.default_framework.themes:
        at = open_theme(at, theme.id)
        seen[theme.id] = assert_only_text(at, theme.id)
    shown = escape(HOSTILE)
    # Where the texts are meant to appear, they appear escaped (so they render exactly as typed).
    assert f"Bron: {shown}" in seen["app_pages/overzicht.py"]
    assert f"Cijfers in Dataset {shown}" in seen["app_pages/bronnen.py"]
    assert f"Vijandig {shown}" in seen["app_pages/vergelijken.py"]
    assert f"Omschrijving {shown}" in seen["app_pages/vergelijken.py"]
    assert f"Dataset {shown}" in seen["app_pages/gegevens.py"]
    assert any(f"Bron: {shown}" in text for key, text in seen.items() if key not in PAGES)  # under a chart


def test_hostile_source_in_the_map_tooltip_is_html_escaped(hostile_env) -> None:
    at = open_page(run_app({"indicator": "vijandig_aantal"}), "app_pages/wijken.py")
    assert not at.exception, at.exception
    features = [f["properties"] for deck in at.get("deck_gl_json_chart")[:2]
                for f in json.loads(deck.proto.json)["layers"][0]["data"]["features"]]
    sources = {p["bron"] for p in features if p.get("bron")}
    assert sources == {escape_html(HOSTILE)}
    assert "<b>" not in json.dumps(features)


def test_hostile_text_is_text_on_the_theme_pages_of_every_framework(hostile_env, catalog) -> None:
    """The Transformatieplan (onderwerpen with budgets and evaluation) and the other plans too."""
    for framework in catalog.frameworks.values():
        if framework.id == catalog.default_framework.id:
            continue  # above
        at = run_app({"kader": framework.id, "indicator": "vijandig_aantal"})
        assert_only_text(at, framework.id)
        assert at.session_state["kader"] == framework.id
        for theme in framework.themes:
            at = open_theme(at, theme.id)
            assert_only_text(at, f"{framework.id}/{theme.id}")
