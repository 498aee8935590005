"""A municipality outside the policy documents adopts the dashboard with its own plan (AppTest).

Zaanstad (GM0479) is in the catalog through the shipped boundaries of all 342 municipalities; its plan
is a file made with the template and uploaded on Gegevens; its wijk boundaries are written by the test.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from dashboard import cli
from dashboard.auth import hash_password
from dashboard.catalog.models import Catalog
from dashboard.store import Store

from .conftest import open_page, open_theme, page_text, run_app
from .plan_files import ZAANSTAD_FULL_PLAN, ZAANSTAD_PLAN, fill_template
from .test_framework_file import beheer as beheer  # the fixture

PASSWORD = "geheim-wachtwoord-123"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZAANSTAD_WIJKEN = {"WK047911": "Wijk 11 Zaandam Zuid", "WK047912": "Wijk 12 Poelenburg",
                   "WK047913": "Wijk 13 Pelders- en Hoornseveld", "WK047914": "Wijk 14 Rosmolenwijk"}


def square(lon: float, lat: float, size: float = 0.01) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def write_boundaries(folder: Path, wijken: dict[str, str], gemeenten: dict[str, str]) -> None:
    folder.mkdir()
    features = [{"type": "Feature", "geometry": square(4.80 + 0.01 * i, 52.44),
                 "properties": {"statcode": code, "statnaam": name, "gemeentecode": "GM" + code[2:6]}}
                for i, (code, name) in enumerate(wijken.items())]
    (folder / "wijken_2024.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    features = [{"type": "Feature", "geometry": square(4.7 + 0.05 * i, 52.4, 0.05),
                 "properties": {"statcode": code, "statnaam": name}}
                for i, (code, name) in enumerate(gemeenten.items())]
    (folder / "gemeenten_2024.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}))


FIGURES = """indicator,gebied,periode,waarde,bron
overgewicht_5_14_pct,Zaanstad,2019,14.0,GGD Zaanstreek-Waterland (oefencijfers)
overgewicht_5_14_pct,Zaanstad,2023,13.1,GGD Zaanstreek-Waterland (oefencijfers)
overgewicht_5_14_pct,Oostzaan,2023,12.0,GGD Zaanstreek-Waterland (oefencijfers)
overgewicht_5_14_pct,Wormerland,2023,11.5,GGD Zaanstreek-Waterland (oefencijfers)
overgewicht_5_14_pct,NL01,2023,13.5,GGD Zaanstreek-Waterland (oefencijfers)
jongeren_jeugdzorg_pct,Zaanstad,2022,12.0,CBS (oefencijfers)
jongeren_jeugdzorg_pct,Zaanstad,2024,12.8,CBS (oefencijfers)
"""


@pytest.fixture
def zaanstad_env(app_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DASHBOARD_GEMEENTE", "GM0479")
    store = Store(app_env)
    store.create_schema()
    store.add_user("fatima", hash_password(PASSWORD, n=16))  # a cheap scrypt cost, only for tests
    store.dispose()
    geo = tmp_path / "grenzen"
    monkeypatch.setenv("DASHBOARD_GEO_PATH", str(geo))
    return geo


def seen(at) -> str:
    """The page text as a reader sees it: user text is shown with Markdown escaped."""
    return re.sub(r"\\([\\`*_\[\]<>#|~$:!])", r"\1", page_text(at))


def login(at):
    inputs = {t.label: t for t in at.text_input}
    inputs["Accountnaam"].input("fatima")
    inputs["Wachtwoord"].input(PASSWORD)
    return next(b for b in at.button if b.label == "Inloggen").click().run()


def test_zaanstad_imports_its_plan_and_steers_on_it_on_every_page(
    zaanstad_env: Path, catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_boundaries(zaanstad_env, ZAANSTAD_WIJKEN, {"GM0479": "Zaanstad", "GM0431": "Oostzaan"})
    figures = tmp_path / "zaanstad-cijfers.csv"
    figures.write_text(FIGURES, encoding="utf-8")
    assert cli.main(["import", str(figures), "--naam", "Oefencijfers Zaanstad", "--door", "fatima"]) == 0, \
        capsys.readouterr()

    # First run: the deployment is for Zaanstad, which has no plan yet; the page says what to do.
    at = run_app()
    assert not at.exception, at.exception
    assert "nog geen beleidskader voor Zaanstad" in page_text(at)
    assert at.sidebar.selectbox[1].value == "GM0479"

    # Staff upload the plan made with the template on Gegevens: preview first, then store.
    at = open_page(at, "app_pages/gegevens.py")
    assert not at.file_uploader, "uploading a plan is for staff only"
    assert "Download het sjabloon voor een beleidskader" in [b.label for b in at.get("download_button")]
    at = login(at)
    plan = fill_template(catalog, ZAANSTAD_PLAN)
    at = at.file_uploader(key="kader_upload").set_value(("zaanstad.xlsx", plan, XLSX)).run()
    assert not at.exception, at.exception
    text = seen(at)
    assert "Voorbeeld: Jeugdplan Zaanstad 2024-2027 (oefenplan)" in text
    assert "Opgave: Gezond" in text and "Opgave: Veilig" in text
    assert "Doel zs-2: Minder jongeren in de jeugdzorg · doelregel: daalt van 12% naar 10%" in text
    at = at.button(key="kader_opslaan").click().run()
    assert "Kader ‘Jeugdplan Zaanstad 2024-2027 (oefenplan)’ opgeslagen als versie 1." in seen(at)
    assert "versie 1 · actief" in seen(at)
    # The sidebar switches to the new plan at once, with its municipality.
    assert at.sidebar.selectbox[0].value == "zaanstad-2024-2027"
    assert at.sidebar.selectbox[1].value == "GM0479"

    # A new visitor: the dashboard opens on Zaanstad's own plan.
    at = run_app()
    assert not at.exception, at.exception
    assert at.sidebar.selectbox[0].value == "zaanstad-2024-2027"
    assert at.sidebar.selectbox[1].options == ["Zaanstad"]
    text = page_text(at)
    assert "Jeugdplan Zaanstad 2024-2027 (oefenplan) · Zaanstad" in text
    assert "Alle Zaanse kinderen groeien gezond en veilig op." in text
    assert "Kerncijfers Zaanstad" in text and "Inwoners, 2024: 161.389" in text
    assert "nog geen beleidskader" not in text
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Op koers"] == "1" and metrics["Aandacht nodig"] == "1"
    # A plan from a file gets the same Overzicht as a shipped one: each theme's line is the theme page's line.
    captions = [c.value for c in at.caption]
    for theme_id in ("gezond", "veilig"):
        theme_page = open_theme(run_app(), theme_id)
        summary = next(m.value for m in theme_page.markdown if m.value.startswith("**Hoe staan de doelen ervoor?**"))
        line = summary.removeprefix("**Hoe staan de doelen ervoor?** ").removesuffix(".")
        assert line in captions and line.startswith("Zaanstad: "), (theme_id, line, captions)

    at = open_theme(at, "gezond")
    assert at.title[0].value == "Gezond opgroeien"
    text = page_text(at)
    assert "**Zaanstad** · Overgewicht (incl. obesitas) 5-14 jaar: 0-meting 14% (2019), laatste meting 13,1% (2023)" \
        in text
    assert "Gelijk gebleven of gedaald, van 14% (2019) naar 13,1% (2023)." in text
    assert ":green-badge[:material/check_circle: op koers]" in text
    # Text from the plan file is shown as text, never as Markdown (nor as a link).
    assert r"Gezonde school op alle \*\*basisscholen\*\* \[meer\](javascript\:alert(1))" in text
    at = open_theme(at, "veilig")
    text = page_text(at)
    assert "Niet gedaald: van 12% (2022) naar 12,8% (2024)" in text
    assert ":orange-badge[:material/warning: aandacht nodig]" in text
    assert "Dit doel heeft geen cijfermatige norm" in text  # zs-3, kwalitatief

    levers = {
        "app_pages/hefboom_cultuur.py": "Wij denken vanuit het gezin, niet vanuit de regeling.",
        "app_pages/hefboom_regels.py": "Elke aanbieder werkt binnen een budgetplafond.",
        "app_pages/hefboom_kpi.py": "Aanbieders leveren elk kwartaal wachttijden aan.",
        "app_pages/hefboom_leren.py": "Eenmaal per jaar een bijeenkomst tellen en vertellen met jongeren.",
    }
    for page, expected in levers.items():
        at = open_page(at, page)
        assert not at.exception, (page, at.exception)
        assert expected in seen(at), page
    at = open_page(at, "app_pages/hefboom_kpi.py")
    assert {"Minder kinderen met overgewicht", "Minder jongeren in de jeugdzorg"} <= set(at.dataframe[0].value["doel"])

    at = open_page(run_app({"indicator": "overgewicht_5_14_pct", "periode": "2023"}), "app_pages/vergelijken.py")
    at.toggle(key="tabel_vergelijken_overgewicht_5_14_pct").set_value(True).run()
    compared = dict(zip(at.dataframe[0].value["Gebied"], at.dataframe[0].value["Waarde"], strict=True))
    assert compared == {"Zaanstad": "13,1%", "Oostzaan": "12%", "Wormerland": "11,5%", "Nederland": "13,5%"}

    at = open_page(at, "app_pages/wijken.py")
    assert not at.exception, at.exception
    assert "Zaanstad · 2024" in [s.value for s in at.header]
    shown = set(at.dataframe[0].value["Wijk"])
    assert shown == set(ZAANSTAD_WIJKEN.values())


def test_the_wijken_page_says_what_to_do_when_a_municipality_has_no_wijk_boundaries_yet(zaanstad_env: Path) -> None:
    write_boundaries(zaanstad_env, {"WK037500": "Centrum"}, {"GM0375": "Beverwijk"})
    at = open_page(run_app(), "app_pages/wijken.py")
    assert not at.exception, at.exception
    text = page_text(at)
    assert "De wijkgrenzen van Zaanstad zijn er nog niet" in text
    assert "python -m dashboard geo download --gemeenten GM0479" in text


LEVER_PAGES = ("app_pages/hefboom_cultuur.py", "app_pages/hefboom_regels.py", "app_pages/hefboom_kpi.py",
               "app_pages/hefboom_leren.py")


def rendered(framework_id: str, theme_ids: list[str]) -> dict[str, str]:
    """What a reader sees of a framework: Overzicht, every theme page and the four levers (text and tables)."""
    def seen_with_tables(at) -> str:
        assert not at.exception, at.exception
        tables = [df.value.to_csv(index=False) for df in at.dataframe]
        return "\n".join([page_text(at), *tables])

    at = run_app({"kader": framework_id})
    assert at.sidebar.selectbox[0].value == framework_id
    pages = {"Overzicht": seen_with_tables(at)}
    for theme_id in theme_ids:
        pages[f"thema {theme_id}"] = seen_with_tables(open_theme(at, theme_id))
    for page in LEVER_PAGES:
        pages[page] = seen_with_tables(open_page(at, page))
    return pages


@pytest.mark.parametrize("framework_id", ["transformatieplan-2018-2020", "regiovisie-2021"])
def test_a_framework_read_back_from_its_own_export_shows_the_same_pages(
    app_env: str, beheer: str, catalog: Catalog, framework_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dashboard import app_data

    framework = catalog.frameworks[framework_id]
    theme_ids = [theme.id for theme in framework.themes]
    shipped = rendered(framework_id, theme_ids)
    path = tmp_path / f"{framework_id}.xlsx"
    assert cli.main(["kader", "export", framework_id, str(path)]) == 0
    assert cli.main(["kader", "import", str(path), "--door", beheer]) == 0
    assert "komt daarvoor in de plaats" in capsys.readouterr().out
    app_data.refresh()
    imported = rendered(framework_id, theme_ids)
    # The pages carry what the template must carry (so that the comparison says something).
    text = "\n".join(imported.values())
    if framework_id == "regiovisie-2021":
        assert "Er is angst om fouten te maken." in text and "Interactie en dialoog" in text
        assert "Minder administratieve lasten." in text
    else:
        assert "Richtlijnen bijzondere kosten pleegzorg, contractueel vastgelegd" in text
    for page, shown in shipped.items():
        assert imported[page] == shown, page


def test_what_a_plan_file_adds_to_the_levers_is_shown_as_text(
    app_env: str, beheer: str, catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "zaanstad.xlsx"
    path.write_bytes(fill_template(catalog, ZAANSTAD_FULL_PLAN))
    assert cli.main(["kader", "import", str(path), "--door", beheer]) == 0, capsys.readouterr()
    at = open_page(run_app({"kader": "zaanstad-2024-2027"}), "app_pages/hefboom_cultuur.py")
    assert not at.exception, at.exception
    text = page_text(at)
    assert "Kernwaarden Zaanstad 2024-2027" in text and "**1. Dichtbij**" in text
    assert r"In de \*\*wijk\*\* \[meer\](javascript\:alert(1))" in text
    at = open_page(at, "app_pages/hefboom_leren.py")
    assert not at.exception, at.exception
    assert r"Een startbeeld maken\: \<b\>eerst\</b\> \:red\[tellen\]." in page_text(at)


def test_the_plan_names_of_a_plan_file_are_shown_as_text_on_overzicht_themes_and_levers(
    app_env: str, beheer: str, catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = copy.deepcopy(ZAANSTAD_FULL_PLAN)
    plan["kader"] |= {"korte naam": "Zaanstad :red[ROOD]", "naam van een thema": "Opgave **vet**",
                      "naam van de thema's": "Opgaven [klik](https://example.org)"}
    path = tmp_path / "zaanstad.xlsx"
    path.write_bytes(fill_template(catalog, plan))
    assert cli.main(["kader", "import", str(path), "--door", beheer]) == 0, capsys.readouterr()
    at = open_page(run_app({"kader": "zaanstad-2024-2027"}), "app_pages/overzicht.py")
    assert not at.exception, at.exception
    assert r"Opgaven \[klik\]" in page_text(at)
    at = open_theme(at, "gezond")
    assert not at.exception, at.exception
    assert r"Opgave \*\*vet\*\* uit" in page_text(at)
    at = open_page(at, "app_pages/hefboom_regels.py")
    assert not at.exception, at.exception
    assert r"Uit Zaanstad \:red\[ROOD\]" in page_text(at)
