"""Every page renders from the store and shows real figures (AppTest, no browser)."""

from __future__ import annotations

import re

import pytest

from dashboard.markdown_text import escape

from .conftest import open_page, open_theme, page_text, run_app

PAGES = {
    "app_pages/overzicht.py": ("Overzicht", "Kerncijfers Beverwijk"),
    "app_pages/hefboom_cultuur.py": ("Cultuur en gedeelde waarden", "Wij separeren niet"),
    "app_pages/hefboom_regels.py": ("Regels, kaders en randvoorwaarden", "onafgebroken sinds 2018"),
    "app_pages/hefboom_kpi.py": ("KPI's en informatie", "regels · bron van de doelen"),
    "app_pages/hefboom_leren.py": ("Leren en verbeteren", "Buurtgezinnen"),
    "app_pages/vergelijken.py": ("Vergelijken", "Overgewicht (incl. obesitas) 5-14 jaar, 2015"),
    "app_pages/wijken.py": ("Wijken", "CBS, Kerncijfers wijken en buurten 2024 (85984NED)"),
    "app_pages/gegevens.py": ("Gegevens", "Cijfers uit het Beleidsplan Jeugd IJmond 2018-2021"),
    "app_pages/bronnen.py": ("Bronnen", "Beleidsplan Jeugd IJmond 2018-2021 \"Opgroeien in de IJmond\""),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_renders_with_its_title_and_real_content(app_env, page: str) -> None:
    at = open_page(run_app(), page)
    assert not at.exception, at.exception
    title, content = PAGES[page]
    assert at.title[0].value == title
    assert content in page_text(at)


@pytest.mark.parametrize("theme_id", ["opgroeiklimaat", "gezonde-levensstijl", "talent", "veilige-omgeving",
                                      "passende-jeugdhulp"])
def test_every_theme_of_the_default_framework_renders(app_env, theme_id: str) -> None:
    at = open_theme(run_app(), theme_id)
    assert not at.exception, at.exception
    assert "Ambitie." in page_text(at)


def test_every_theme_of_every_framework_renders(app_env, catalog) -> None:
    for framework in catalog.frameworks.values():
        at = run_app({"kader": framework.id})
        for theme in framework.themes:
            at = open_theme(at, theme.id)
            assert not at.exception, (framework.id, theme.id, at.exception)
            assert at.title[0].value == escape(theme.name)  # plan text is shown as text, Markdown escaped
            assert framework.name in page_text(at)


def test_overweight_goal_shows_the_beverwijk_baseline_and_status(app_env) -> None:
    at = open_theme(run_app(), "gezonde-levensstijl")
    text = page_text(at)
    assert at.title[0].value == "Jeugdigen hebben een gezonde levensstijl"
    assert "**Beverwijk** · Overgewicht (incl. obesitas) 5-14 jaar: 0-meting 17,4% (2015)" in text
    assert "Alleen de 0-meting is bekend: 17,4% (2015). Er is nog geen nieuwe meting." in text
    assert "Het aantal jeugdigen dat wel eens denkt aan zelfdoding daalt van 17% naar 15%." in text


def test_goal_without_readable_baseline_says_why(app_env) -> None:
    at = open_theme(run_app(), "gezonde-levensstijl")
    text = page_text(at)
    assert "Het document verwijst voor de 0-meting naar figuur 6" in text
    assert "niet leesbaar" in text


def test_headline_figures_follow_the_chosen_municipality(app_env) -> None:
    at = run_app({"gemeente": "GM0453"})
    text = page_text(at)
    assert "Kerncijfers Velsen" in text
    # Velsen's own latest figure with its year: 0-14 plus 15-24 jaar on 1 January 2019 in the recorded CBS
    # figures (2017: 18.813).
    assert "Jeugdigen 0-24 jaar, 2019: 18.761" in text


def test_framework_from_the_link_sets_themes_and_municipality(app_env) -> None:
    at = run_app({"kader": "alkmaar-2025"})
    text = page_text(at)
    assert "Kerncijfers Alkmaar" in text
    assert at.query_params["kader"] == ["alkmaar-2025"] or at.query_params["kader"] == "alkmaar-2025"
    at = open_theme(at, "wat-valt-op")
    assert at.title[0].value == "Wat valt op in Alkmaar"
    assert "Eenoudergezinnen" in page_text(at)


def test_unknown_framework_in_the_link_falls_back_with_a_notice(app_env) -> None:
    at = run_app({"kader": "bestaat-niet"})
    assert not at.exception
    assert "bestaat niet (meer)" in page_text(at)
    assert "Beleidsplan Jeugd IJmond 2018-2021" in page_text(at)


def test_kpi_page_puts_attention_first_and_filters_by_status(app_env) -> None:
    at = open_page(run_app({"kader": "regiovisie-2021"}), "app_pages/hefboom_kpi.py")
    table = at.dataframe[0].value
    # The Regiovisie's -26% (2018-2020) is its starting picture: a 0-meting, not yet a trend.
    jeugdzorgplus = table[table["doel"] == "Afbouw jeugdhulpPlus"].iloc[0]
    assert jeugdzorgplus["status"] == "geen nieuwe meting"
    assert "Alleen de 0-meting is bekend: een daling (-26% (2018-2020))" in jeugdzorgplus["toelichting"]
    at.multiselect(key="kpi_status").set_value(["kwalitatief, zie notities"]).run()
    assert set(at.dataframe[0].value["status"]) == {"kwalitatief, zie notities"}


def test_kansencirkel_element_shows_its_goals_with_status(app_env) -> None:
    at = open_page(run_app(), "app_pages/hefboom_cultuur.py")
    at.segmented_control(key="element").set_value("Gezond").run()
    text = page_text(at)
    assert "Minder jeugdigen hebben overgewicht" in text
    assert at.query_params["element"] in ("Gezond", ["Gezond"])


def test_comparison_ranks_municipalities_with_the_region(app_env) -> None:
    at = open_page(run_app(), "app_pages/vergelijken.py")
    at.toggle(key="tabel_vergelijken_overgewicht_5_14_pct").set_value(True).run()
    table = at.dataframe[0].value
    assert list(table["Gebied"])[:3] == ["Beverwijk", "Velsen", "Heemskerk"]
    assert "Kennemerland" in set(table["Gebied"])
    assert table.iloc[0]["Waarde"] == "17,4%"


def test_a_qualitative_goal_points_to_the_notes_instead_of_empty_figures(app_env) -> None:
    at = open_theme(run_app(), "passende-jeugdhulp")
    text = page_text(at)
    assert "Dit doel heeft geen cijfermatige norm; het wordt kwalitatief gevolgd (zie de notities)." in text
    assert "· : 0-meting" not in text  # no figure line without an indicator
    assert any(link.proto.label == "Notities en verhalen (Leren en verbeteren)" for link in at.get("page_link"))


# --- Overzicht and the theme pages agree; every chart explains itself --------------------------------------


def _theme_summary(at) -> str:
    return next((m.value for m in at.markdown if m.value.startswith("**Hoe staan de doelen ervoor?**")), "")


def test_overzicht_and_the_theme_pages_agree_for_every_framework_and_municipality(app_env, catalog) -> None:
    """Per framework and municipality: the line under each theme on Overzicht is the line on the theme page,
    and the counts on top are that municipality's own goals (the region's goals said apart)."""
    for framework in catalog.frameworks.values():
        for code in framework.areas:
            at = run_app({"kader": framework.id, "gemeente": code})
            assert not at.exception, (framework.id, code, at.exception)
            name = catalog.areas[code].name
            captions = [c.value for c in at.caption]
            own_total = sum(int(m.value) for m in at.metric[:4])
            for theme in framework.themes:
                at = open_theme(at, theme.id)
                summary = _theme_summary(at)
                if summary:
                    line = summary.removeprefix("**Hoe staan de doelen ervoor?** ").removesuffix(".")
                    assert line in captions, (framework.id, code, theme.id, line)
                    assert line.startswith(f"{name}:") or line.startswith("gemeten voor de regio"), line
            # The total of Overzicht's own counts is the number of goals the theme pages count for it.
            at = run_app({"kader": framework.id, "gemeente": code})
            theme_own = 0
            for caption in captions:
                if caption.startswith(f"{name}: "):
                    own_part = caption.split("; gemeten voor de regio")[0].removeprefix(f"{name}: ")
                    theme_own += sum(int(n) for n in re.findall(
                        r"(\d+) (?:op koers|aandacht nodig|geen nieuwe meting|kwalitatief)", own_part))
            assert own_total == theme_own, (framework.id, code, own_total, theme_own)


def test_a_new_measurement_moves_only_that_municipalitys_status(app_env, catalog) -> None:
    """Overgewicht 2019: Beverwijk 15,8 (down from 17,4: on course), Velsen 16,9 (up from 16: attention)."""
    from dashboard.ingest.seed import load_shipped_data
    from dashboard.ingest.upload import commit_import, plan_import
    from dashboard.settings import load_settings
    from dashboard.store import Store

    store = Store(app_env)
    load_shipped_data(store, catalog)
    csv_text = "indicator;gebied;2019\novergewicht_5_14_pct;Beverwijk;15,8\novergewicht_5_14_pct;Velsen;16,9\n"
    plan = plan_import("overgewicht-2019.csv", csv_text.encode(), catalog, store, load_settings(), "GGD")
    assert plan.can_commit, plan.messages()
    commit_import(plan, store, "Overgewicht 2019", "test")
    beverwijk = run_app({"kader": "ijmond-2018-2021", "gemeente": "GM0375"})
    assert beverwijk.metric[0].value == "1" and beverwijk.metric[1].value == "0"  # op koers, aandacht nodig
    assert "Overgewicht (incl. obesitas) 5-14 jaar, 2019: 15,8%" in page_text(beverwijk)
    velsen = run_app({"kader": "ijmond-2018-2021", "gemeente": "GM0453"})
    assert velsen.metric[0].value == "0" and velsen.metric[1].value == "1"
    theme = open_theme(velsen, "gezonde-levensstijl")
    assert _theme_summary(theme).startswith("**Hoe staan de doelen ervoor?** Velsen: 1 aandacht nodig")


def _layers(spec: dict) -> list[dict]:
    inner = spec.get("spec", spec)  # a facet chart holds its layers in "spec"
    return inner.get("layer", [inner])


def _series(spec: dict) -> set[str]:
    """The distinct series a chart draws (areas, or the status of a limit chart)."""
    names: set[str] = set()
    for layer in _layers(spec):
        field = layer.get("encoding", {}).get("color", {}).get("field")
        data = spec.get("datasets", {}).get(layer.get("data", spec.get("data", {})).get("name", ""), [])
        names |= {row[field] for row in data if field and field in row}
    return names


def _names_its_series(spec: dict) -> bool:
    """A legend, a text label per series, or an axis that names every bar."""
    for layer in _layers(spec):
        encoding = layer.get("encoding", {})
        color = encoding.get("color", {})
        if color.get("field") and color.get("legend", {}) is not None:
            return True
        mark = layer.get("mark", {})
        if (mark.get("type") if isinstance(mark, dict) else mark) == "text" \
                and encoding.get("text", {}).get("field") == "area_name":
            return True
        if encoding.get("y", {}).get("field") == "area_name" and encoding["y"].get("axis", {}) is not None:
            return True
    return False


def test_every_multi_series_chart_names_its_series_and_writes_units(catalog) -> None:
    """Over every framework, indicator and limit: each chart with more than one series has a legend or
    labels; values in tooltips carry their unit; axis titles are short; no chart has a tick per half unit."""
    import tempfile

    from dashboard.analysis.goals import current_values
    from dashboard.analysis.limits import figure_name, limit_table
    from dashboard.analysis.regions import with_region_totals
    from dashboard.analysis.selection import comparison_rows, framework_areas_with_references, indicator_rows
    from dashboard.ingest.seed import load_shipped_data
    from dashboard.store import Store
    from dashboard.views.charts import AXIS_TITLES, comparison_chart, limit_chart, trend_chart

    store = Store(f"sqlite:///{tempfile.mkdtemp()}/charts.sqlite")
    store.create_schema()
    load_shipped_data(store, catalog)
    values = current_values(with_region_totals(store.observations(), catalog))
    specs = []
    for framework in catalog.frameworks.values():
        areas = framework_areas_with_references(framework, catalog)
        for indicator_id in dict.fromkeys(i for t in framework.themes for i in t.all_indicators):
            indicator = catalog.indicators[indicator_id]
            rows = indicator_rows(values, indicator_id, areas).assign(unit=indicator.unit)
            if rows.empty:
                continue
            specs.append((indicator, trend_chart(rows, indicator.name, indicator.unit,
                                                 lines=[("0-meting Beverwijk (2015)", 1.0)]).to_dict()))
            specs.append((indicator, comparison_chart(comparison_rows(rows, indicator_id), indicator.name,
                                                      indicator.unit).to_dict()))
    for limit in catalog.limits:
        table = limit_table(limit, values)
        if not table.empty:
            unit = catalog.indicators[limit.limit_indicator].unit
            specs.append((catalog.indicators[limit.limit_indicator],
                          limit_chart(table, figure_name(limit, catalog), unit, limit.kind).to_dict()))
    assert len(specs) > 40
    multi = 0
    for indicator, spec in specs:
        if len(_series(spec)) > 1:
            multi += 1
            assert _names_its_series(spec), (indicator.id, spec.get("mark"))
        for layer in _layers(spec):
            encoding = layer.get("encoding", {})
            for axis in ("x", "y"):
                title = encoding.get(axis, {}).get("title")
                if encoding.get(axis, {}).get("type") == "quantitative" and title:
                    assert title in AXIS_TITLES.values(), title  # never "<name> (regio) (%)"
                    assert encoding[axis].get("axis", {}).get("tickCount", 6) <= 6
        if indicator.unit == "percent":  # the tooltip shows "17,4%", not a bare number
            shown = [row.get("waarde") for rows in spec.get("datasets", {}).values() for row in rows
                     if row.get("waarde")]
            # "17,4%", "11–12%" or "10,5% (schatting)", never a bare number
            assert shown and all("%" in text or text == "geen gegevens" for text in shown), indicator.id
    assert multi >= 5


LEAKS = re.compile(r"\bNone\b|\bnan\b|\.txt\b|\.yaml\b|data/|README|[a-z]+_[a-z0-9_]+_(pct|aantal)\b|"
                   r"Choose an option|niet letterlijk teruggevonden|Kaartgegevens naar de browser")


def _all_text(at) -> str:
    parts = [page_text(at)]
    for frame in at.dataframe:  # the cells of every table, as shown
        parts.append(frame.value.astype(str).to_string())
    return "\n".join(parts)


def test_no_page_shows_none_file_names_ids_or_english_placeholders(app_env, catalog) -> None:
    pages = [p for p in PAGES] + ["app_pages/hefboom_kpi.py", "app_pages/presentatie.py"]
    for framework in catalog.frameworks.values():
        at = run_app({"kader": framework.id})
        for page in pages:
            for key in [k for k in at.query_params if k not in ("kader", "gemeente")]:
                del at.query_params[key]  # a browser drops a page's choices when switching pages; AppTest not
            at = open_page(at, page)
            assert not at.exception, (framework.id, page, at.exception)
            found = LEAKS.search(_all_text(at))
            assert found is None, (framework.id, page, found and _all_text(at)[found.start() - 80:found.end() + 40])
            for select in [*at.selectbox, *at.multiselect, *at.sidebar.selectbox]:
                assert select.proto.placeholder.startswith("Kies"), (page, select.label, select.proto.placeholder)
        for theme in framework.themes:
            at = open_theme(at, theme.id)
            found = LEAKS.search(_all_text(at))
            assert found is None, (framework.id, theme.id, found and _all_text(at)[found.start() - 80:found.end() + 40])


def test_no_page_reads_every_figure_in_either_mode(app_env, catalog, monkeypatch) -> None:
    """Every page, theme page and presentation step asks the store for the indicators, areas or datasets it
    shows (the query layer of #17), never for every observation at once."""
    import streamlit as st

    from dashboard.store.store import Store

    run_app()  # the first start loads the shipped data; what pages ask comes after
    st.cache_data.clear()  # otherwise an earlier test's cached answers would hide the queries
    asked: list[tuple[str, dict]] = []
    where = "start"
    original = Store.observations

    def recording(self, *args, **kwargs):
        asked.append((where, kwargs))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Store, "observations", recording)
    pages = [*PAGES, "app_pages/presentatie.py"]
    for framework in [catalog.frameworks["ijmond-2018-2021"], catalog.frameworks["transformatieplan-2018-2020"]]:
        for mode in ({}, {"weergave": "presentatie"}):
            at = run_app({"kader": framework.id, **mode})
            for page in pages:
                where = f"{framework.id} {mode} {page}"
                for key in [k for k in at.query_params if k not in ("kader", "gemeente", "weergave")]:
                    del at.query_params[key]
                at = open_page(at, page)
                assert not at.exception, (where, at.exception)
            for theme in framework.themes:
                where = f"{framework.id} {mode} thema-{theme.id}"
                at = open_theme(at, theme.id)
                assert not at.exception, (where, at.exception)
    assert asked, "the pages asked the store nothing: the test would not see a full read"
    unrestricted = [w for w, kw in asked if not any(kw.get(k) is not None for k in ("indicators", "areas", "datasets"))]
    assert not unrestricted, unrestricted
