"""Text from a plan file is text on every page: a framework imported from the template whose every text field
is hostile (name, short name, labels, themes, goals, targets, activities, levers, core values, cycle moments,
a region of its own) shows no link, image, colour or HTML anywhere, in normal and in presentation mode."""

from __future__ import annotations

import copy
import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from dashboard import cli
from dashboard.auth import hash_password
from dashboard.catalog.models import Catalog
from dashboard.ingest.framework_upload import commit_framework, plan_framework_import
from dashboard.ingest.seed import load_shipped_data
from dashboard.markdown_text import escape
from dashboard.store import Store

from .conftest import open_page, open_theme, run_app
from .plan_files import ZAANSTAD_FULL_PLAN, fill_template
from .test_accounts import cheap_hash
from .test_framework_pages import PASSWORD, XLSX, login
from .test_hostile_text import ESCAPED, PAGES, rendered

HOSTILE = "[klik hier](https://x.example) ![x](https://x.example/p.png) :red[ROOD] <b>vet</b> **dik**"
RAW_MARKUP = ["[klik hier](", "![x](", ":red[", "<b>", "](https", "https://", "**dik"]
FRAMEWORK = "zaanstad-2024-2027"
REGION = "REG_ZAANSTREEK_WATERLAND"


def hostile(label: str) -> str:
    """A hostile text that still says which field it came from."""
    return f"{label} {HOSTILE}"


def hostile_plan() -> dict[str, Any]:
    """The full Zaanstad plan with every free text field hostile; ids, rules, periods and lists stay valid."""
    plan = copy.deepcopy(ZAANSTAD_FULL_PLAN)
    for field in ("naam", "korte naam", "ambitie", "naam van een thema", "naam van de thema's",
                  "naam van een activiteit", "naam van de activiteiten", "document"):
        plan["kader"][field] = hostile(field)
    plan["regio"][0][1] = hostile("Regio")
    for row in plan["thema's"]:
        row[1], row[2], row[3] = hostile("Thema"), hostile("Kort " + row[0]), hostile("Ambitie")
    for row in plan["doelen"]:
        row[2], row[3], row[5], row[8], row[10] = (hostile("Doel " + row[1]), hostile("Resultaat"),
                                                   hostile("Norm"), hostile("Nulmeting"), hostile("Meetbron"))
    plan["doelen"][0][9] = REGION  # a 0-meting for the region: its name is shown with the goal's
    plan["normen per indicator"][0][3] = hostile("Norm per indicator")
    for sheet in ("activiteiten", "eindproducten", "evaluatie", "hefbomen", "hefboomnamen", "blokkades"):
        for row in plan[sheet]:
            row[-1] = hostile(sheet)
    plan["kernwaarden"] = [[hostile("Kernwaarde"), hostile("Punt")], [hostile("Kernwaarde"), hostile("Punt 2")]]
    plan["sturingsuitgangspunten"] = [[hostile("Uitgangspunt")]]
    plan["op de goede weg"] = [[hostile("Stap")]]
    for row in plan["momenten"]:
        row[2], row[3] = hostile("Moment"), hostile("Hoofdstuk")
    return plan


FIGURES = """indicator,gebied,periode,waarde,bron
overgewicht_5_14_pct,Zaanstad,2019,14.0,GGD
overgewicht_5_14_pct,Zaanstad,2023,13.1,GGD
overgewicht_5_14_pct,Oostzaan,2023,12.0,GGD
jongeren_jeugdzorg_pct,Zaanstad,2022,12.0,CBS
jongeren_jeugdzorg_pct,Zaanstad,2024,12.8,CBS
"""


@pytest.fixture
def hostile_plan_env(app_env: str, catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                     capsys: pytest.CaptureFixture[str]) -> str:
    """The hostile plan imported through the command line, as staff would, with a few figures for Zaanstad."""
    monkeypatch.setenv("DASHBOARD_GEMEENTE", "GM0479")
    store = Store(app_env)
    load_shipped_data(store, catalog)
    store.add_user("beheer", cheap_hash())
    store.dispose()
    path = tmp_path / "vijandig-plan.xlsx"
    path.write_bytes(fill_template(catalog, hostile_plan()))
    assert cli.main(["kader", "import", str(path), "--door", "beheer"]) == 0, capsys.readouterr()
    figures = tmp_path / "cijfers.csv"
    figures.write_text(FIGURES, encoding="utf-8")
    assert cli.main(["import", str(figures), "--naam", "Oefencijfers", "--door", "beheer"]) == 0, \
        capsys.readouterr()
    return app_env


def test_a_plan_period_that_is_not_a_looptijd_is_refused_with_sheet_row_and_column(
    app_env: str, catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The policy cycle counts the plan's years from its period: hostile or loose text there is refused."""
    store = Store(app_env)
    store.create_schema()
    store.add_user("beheer", cheap_hash())
    for period in (hostile("periode"), "2027-2024", "vanaf 2024"):
        plan = copy.deepcopy(ZAANSTAD_FULL_PLAN)
        plan["kader"]["periode"] = period
        path = tmp_path / "plan.xlsx"
        path.write_bytes(fill_template(catalog, plan))
        assert cli.main(["kader", "import", str(path), "--door", "beheer"]) == 1
        err = capsys.readouterr().err
        assert f"Blad ‘kader’, rij 5, kolom B (waarde): ‘{period}’ is geen looptijd; schrijf een jaar of het " \
               "eerste en het laatste jaar, bijv. 2025 of 2024-2027" in err, err
    assert Store(app_env).count("framework_versions") == 0


def test_a_stored_plan_with_a_loose_period_still_opens_on_every_page(
    app_env: str, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan stored before the import checked the looptijd: Leren en verbeteren offers the current year."""
    monkeypatch.setenv("DASHBOARD_GEMEENTE", "GM0479")
    store = Store(app_env)
    store.create_schema()
    plan = plan_framework_import("plan.xlsx", fill_template(catalog, ZAANSTAD_FULL_PLAN), catalog, store)
    assert plan.parse.framework is not None
    plan.parse.framework = dataclasses.replace(plan.parse.framework, period="doorlopend " + HOSTILE)
    commit_framework(plan, store, "beheer")
    store.dispose()
    at = run_app({"kader": FRAMEWORK})
    for where in PAGES:
        at = open_page(at, where)
        assert not at.exception, (where, at.exception)
    at = open_page(at, "app_pages/hefboom_leren.py")
    assert next(b for b in at.selectbox if b.label == "Jaar").options == [str(date.today().year)]


def labels(at) -> list[str]:
    """Labels of widgets that render Markdown, beyond those test_hostile_text reads."""
    parts = [str(el.label) for kind in ("multiselect", "radio", "checkbox", "number_input", "text_input",
                                        "text_area", "date_input") for el in getattr(at, kind)]
    parts += [str(el.proto.label) for el in at.get("link_button")]
    return parts


def markup_left(at, where: str) -> list[tuple[str, str]]:
    """(where, text) for every rendered text in which markup from the plan would act as Markdown or HTML."""
    assert not at.exception, (where, at.exception)
    found = [(where, text) for text in rendered(at) + labels(at)
             if any(markup in ESCAPED.sub("", text) for markup in RAW_MARKUP)]  # escaped characters are text
    found += [(where, f"escaped twice: {text}") for text in rendered(at) + labels(at) if "\\\\" in text]
    found += [(where, f"option of {box.label}: {option}") for box in [*at.selectbox, *at.multiselect]
              for option in box.options if "\\" in str(option)]  # options are plain text: no backslashes
    return found


def assert_only_text(at, where: str) -> str:
    found = markup_left(at, where)
    assert not found, "\n".join(f"{w}: {t}" for w, t in found)
    return "\n".join(rendered(at) + labels(at))


def test_hostile_plan_text_is_text_on_every_page(hostile_plan_env: str) -> None:
    at = run_app({"kader": FRAMEWORK, "indicator": "overgewicht_5_14_pct"})
    assert at.session_state["kader"] == FRAMEWORK
    found: list[tuple[str, str]] = []
    seen: list[str] = []
    for where in [*PAGES, "thema-gezond", "thema-veilig"]:
        at = open_theme(at, where.removeprefix("thema-")) if where.startswith("thema-") else open_page(at, where)
        found += markup_left(at, where)
        seen += rendered(at) + labels(at)
    assert not found, "\n".join(f"{w}: {t}" for w, t in found)
    everything = "\n".join(seen)
    # The texts are there, escaped, so they read exactly as typed.
    for label in ("naam", "korte naam", "ambitie", "Thema", "Kort gezond", "Doel zs-1", "Resultaat", "Norm",
                  "activiteiten", "eindproducten", "evaluatie", "hefbomen",
                  "Kernwaarde", "Punt", "Stap", "Moment", "Hoofdstuk", "Regio"):
        assert escape(hostile(label)) in everything, label
    # The sidebar's choice of framework shows the short name as plain text.
    options = [o for box in at.sidebar.selectbox for o in box.options]
    assert hostile("korte naam") in options


def test_hostile_names_are_plain_text_among_the_options_and_in_charts(hostile_plan_env: str) -> None:
    """Select box options are not Markdown: they show the text as typed, without escapes."""
    at = open_page(run_app({"kader": FRAMEWORK}), "app_pages/hefboom_kpi.py")
    assert not markup_left(at, "hefboom_kpi")
    options = {box.label: box.options for box in at.selectbox}
    assert hostile("Regio") in options["Gebied"]
    assert hostile("Kort gezond") in options["Thema"]
    # In a chart Vega draws the region's name as text (no Markdown there): it goes in as typed.
    at = open_page(run_app({"kader": FRAMEWORK, "indicator": "inwoners_aantal"}), "app_pages/vergelijken.py")
    assert not markup_left(at, "vergelijken")
    specs = [el.proto.spec + str(el.proto.datasets) for el in at.get("vega_lite_chart")]
    assert any(hostile("Regio") in spec for spec in specs)
    assert not any(escape(hostile("Regio")) in spec for spec in specs)


def test_hostile_plan_text_is_text_in_the_upload_preview(hostile_plan_env: str, catalog: Catalog) -> None:
    """Staff see every field of the plan in the preview on Gegevens, as text, before they store it."""
    store = Store(hostile_plan_env)
    store.add_user("fatima", hash_password(PASSWORD, n=16))  # a cheap scrypt cost, only for tests
    store.dispose()
    at = login(open_page(run_app(), "app_pages/gegevens.py"))
    plan = fill_template(catalog, hostile_plan())
    at = at.file_uploader(key="kader_upload").set_value(("vijandig <b>plan</b>.xlsx", plan, XLSX)).run()
    found = markup_left(at, "voorbeeld")
    assert not found, "\n".join(t for _, t in found)
    shown = "\n".join(rendered(at))
    assert f"Voorbeeld: {escape(hostile('naam'))}" in shown
    for label in ("hefboomnamen", "blokkades", "Uitgangspunt", "Regio"):
        assert escape(hostile(label)) in shown, label


SLIDES = ["trend:overgewicht_5_14_pct", "vergelijking:overgewicht_5_14_pct", "kaart:overgewicht_5_14_pct",
          "doelen:gezond", "doelen:veilig"]


def test_hostile_plan_text_is_text_in_presentation_mode(hostile_plan_env: str) -> None:
    query = {"kader": FRAMEWORK, "weergave": "presentatie", "indicator": "overgewicht_5_14_pct"}
    found: list[tuple[str, str]] = []
    for slide in SLIDES:
        at = open_page(run_app({**query, "presentatie": "eigen", "dia": slide}), "app_pages/presentatie.py")
        found += markup_left(at, slide)
    at = run_app(query)
    for where in [*PAGES[:-1], "thema-gezond", "thema-veilig"]:
        at = open_theme(at, where.removeprefix("thema-")) if where.startswith("thema-") else open_page(at, where)
        found += markup_left(at, f"presentatie {where}")
    assert not found, "\n".join(f"{w}: {t}" for w, t in found)
