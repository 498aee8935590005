"""The five policy frameworks hold what their documents set out: themes, goals, activities, values, aims.

The expected counts were written from the documents themselves (seeds 000-004, read line by line); the
documents are not beside a clone, so they are listed here with where they come from.
"""

from __future__ import annotations

import pytest

from dashboard.catalog.models import MEASURE_TO_BE_SET, Catalog
from dashboard.markdown_text import escape

# framework: (themes that are the plan's own, goals, activities/actions), with the document's structure.
EXPECTED = {
    # 000: five themes (2.3), 19 beleidsdoelen (chapter 3), 42 "wat gaan we hiervoor doen" actions.
    "ijmond-2018-2021": (5, 19, 42),
    # 001: three focus areas (1.5); 6.2 "wat willen we bereiken" (2 points beyond the ambition) and four
    # beweging rows, 6.3 five beweging rows, plus goal 3.1 of the regie focus area: 12 goals; no action lists.
    "ijmond-2023-2027": (3, 12, 0),
    # 002: six action lines (1), nine onderwerpen (3), 25 activities ("Inzet": 1+4+4+5+3+4+1+1+2).
    "transformatieplan-2018-2020": (6, 9, 25),
    # 003: five regional goals (4.1-4.5); goal 4.3 with its three numeric aims (nul uithuisplaatsingen,
    # verblijf alleen bij hoge uitzondering, binnen 2 jaar geen jeugdhulpPlus buiten Noord-Holland).
    "regiovisie-2021": (5, 8, 0),
    # 004: four core tasks (6; chapters 7-10), one goal each, 27 core activities (7.3 a-i, 8.3 a-g, 9.3 a-g,
    # 10.2's four points); chapter 5 "Wat valt op" is context, not a core task.
    "alkmaar-2025": (4, 4, 27),
}


# framework: {goal: the number of its numeric aim}, every numeric aim the document sets (h19b re-read them).
NUMERIC_AIMS = {
    # 000 r. 1231-1233 "stijgt met in ieder geval 20%"; r. 2074-2077 "daalt van 17% naar 15%".
    "ijmond-2018-2021": {"ij18-1.4": 20, "ij18-2.4": 15},
    # 001 sets no numeric aim in its goals (its "0% separaties", r. 201, is value 8 of the ten values).
    "ijmond-2023-2027": {},
    # 002 r. 576 "20 overbelaste gezinnen ondersteund per eind 2019"; r. 967 "voor 200 ... professionals".
    "transformatieplan-2018-2020": {"tp-2.2": 20, "tp-5.2": 200},
    # 003 r. 614 "nul uithuisplaatsingen"; r. 701-703 "binnen 2 jaar geen enkel jeugdige ... buiten ...
    # Noord-Holland". (r. 691 "uiteindelijk ... nul jeugdigen in de jeugdhulpPlus" is goal 4.3's text; its rule is
    # "daalt", the first step, on the change series.)
    "regiovisie-2021": {"rv-4.3-nul": 0, "rv-4.3-noord-holland": 0},
    # 004 sets no numeric aim.
    "alkmaar-2025": {},
}
# Core values per framework: 004 r. 595-634 (three, each with three points); the ten shared values of
# IJmond and Zuid-Kennemerland (001 r. 186-204, 003 r. 658-681) are in the steering catalog, not per framework.
CORE_VALUES = {"alkmaar-2025": 3, "ijmond-2018-2021": 0, "ijmond-2023-2027": 0, "regiovisie-2021": 0,
               "transformatieplan-2018-2020": 0}


def _number_of(rule) -> float | None:
    return next((n for n in (rule.percent, rule.end) if n is not None), None)


@pytest.mark.parametrize("framework_id", sorted(EXPECTED))
def test_numeric_aims_and_core_values_follow_the_document(catalog: Catalog, framework_id: str) -> None:
    framework = catalog.frameworks[framework_id]
    aims = {g.id: _number_of(rule) for g in framework.goals
            for rule in (g.target, *(r for _, r in g.indicator_targets)) if _number_of(rule) is not None}
    assert aims == NUMERIC_AIMS[framework_id]
    assert len(framework.core_values) == CORE_VALUES[framework_id]


def test_the_ten_shared_values_and_the_six_action_lines(catalog: Catalog) -> None:
    assert len(catalog.steering.values) == 10
    assert any("0% separaties" in value for value in catalog.steering.values)
    plan = catalog.frameworks["transformatieplan-2018-2020"]
    assert [t.name.split(":")[0] for t in plan.core_themes] == [f"Actielijn {n}" for n in range(1, 7)]
    rv43 = next(g for g in catalog.frameworks["regiovisie-2021"].goals if g.id == "rv-4.3")
    assert rv43.target.kind == "daalt" and "nul" in rv43.target.text


def test_there_are_five_frameworks(catalog: Catalog) -> None:
    assert set(catalog.frameworks) == set(EXPECTED)


@pytest.mark.parametrize("framework_id", sorted(EXPECTED))
def test_counts_of_themes_goals_and_activities_follow_the_document(catalog: Catalog, framework_id: str) -> None:
    framework = catalog.frameworks[framework_id]
    counted = (len(framework.core_themes), len(framework.goals), len(framework.activities))
    assert counted == EXPECTED[framework_id]


def test_transformatieplan_activities_have_budget_evaluation_and_end_products(catalog: Catalog) -> None:
    plan = catalog.frameworks["transformatieplan-2018-2020"]
    assert plan.theme_label == "Actielijn"
    assert plan.themes[-1].name == "Actielijn 6: Investeren in vakmanschap"
    for goal in plan.goals:
        assert goal.budget_indicators and goal.evaluation and goal.end_products and goal.actions, goal.id
    # The evaluation items that are a figure are indicators, so their figures can be read in and shown.
    with_figures = {g.id for g in plan.goals if g.evaluation_indicators}
    assert with_figures == {"tp-1.1", "tp-2.1", "tp-3.1", "tp-4.1", "tp-5.1", "tp-5.3"}
    assert "poh_jeugd_clienten_aantal" in plan.theme("al1-toegang").all_indicators
    families = next(g for g in plan.goals if g.id == "tp-2.2")
    assert (families.target.kind, families.target.end, families.target.deadline) == ("bereikt_minstens", 20, "2019")
    professionals = next(g for g in plan.goals if g.id == "tp-5.2")
    assert (professionals.target.kind, professionals.target.end) == ("bereikt_minstens", 200)


def test_alkmaar_core_values_and_context_theme(catalog: Catalog) -> None:
    alkmaar = catalog.frameworks["alkmaar-2025"]
    assert [v.name for v in alkmaar.core_values] == [
        "Sterke basis vormt het uitgangspunt", "We kijken met een brede blik en werken samen (integraliteit)",
        "Maatwerkoplossingen"]
    assert all(len(v.points) == 3 for v in alkmaar.core_values)
    assert [t.id for t in alkmaar.themes if t.context] == ["wat-valt-op"]


def test_regiovisie_names_its_levers_blockades_and_steering_principles(catalog: Catalog) -> None:
    visie = catalog.frameworks["regiovisie-2021"]
    assert visie.lever_name("kpi", "") == "Data en informatie"
    assert visie.lever_name("leren", "") == "Interactie en dialoog"
    assert {lever for lever, _ in visie.blockades} == {"cultuur", "regels", "kpi", "leren"}
    assert len(visie.steering_principles) == 6
    aims = {g.id: g.target for g in visie.goals}
    assert aims["rv-4.3-nul"].end == 0 and aims["rv-4.3-noord-holland"].deadline == "2023"
    assert catalog.steering.centre == ("Ambitie", "Opdrachtgeverschap")


def test_a_source_the_document_does_not_name_is_marked_as_still_to_be_set(catalog: Catalog) -> None:
    goals = {g.id: g for f in catalog.frameworks.values() for g in f.goals}
    for goal_id in ("rv-4.1", "rv-4.4", "rv-4.5", "ij18-1.2", "ij23-6.2-steun"):
        assert goals[goal_id].measured_by == MEASURE_TO_BE_SET
    assert len(catalog.frameworks["ijmond-2023-2027"].monitoring_steps) == 4
    # Goal 5.3 of 2018-2021 is measurable ("aantal ... stijgt"), goal 4.3 has its five actions.
    assert goals["ij18-5.3"].target.kind == "stijgt" and goals["ij18-5.3"].indicators
    assert len(goals["ij18-4.3"].actions) == 5


def test_plans_set_their_review_moments(catalog: Catalog) -> None:
    kinds = {f.id: [r.kind for r in f.reviews] for f in catalog.frameworks.values()}
    assert kinds["ijmond-2018-2021"].count("review") == 2 and kinds["ijmond-2018-2021"].count("evaluatie") == 1
    assert kinds["ijmond-2023-2027"].count("tellen_en_vertellen") == 5
    assert kinds["transformatieplan-2018-2020"].count("voortgangsrapportage") == 3


def test_pages_show_what_the_frameworks_now_hold(app_env: str) -> None:
    from .conftest import open_page, open_theme, page_text, run_app

    culture = open_page(run_app({"kader": "alkmaar-2025"}), "app_pages/hefboom_cultuur.py")
    text = page_text(culture)
    assert "Kernwaarden Alkmaar 2025" in text and "**3. Maatwerkoplossingen**" in text
    assert "In het midden van het model staan **Ambitie en Opdrachtgeverschap**" in text
    levers = culture.dataframe[0].value.set_index("Hefboom")
    assert levers.loc["KPI's en informatie", "Naam in de Regiovisie"] == "Data en informatie"
    assert levers.loc["Leren en verbeteren", "Blokkade die de hefboom aanpakt"] == "Er is angst om fouten te maken."
    assert "Uitvoering binnen het voor jeugdhulp beschikbare budget." in text

    theme = open_theme(run_app({"kader": "transformatieplan-2018-2020"}), "al2-thuis")
    text = page_text(theme)
    assert theme.title[0].value == escape("Actielijn 2: Meer kinderen zo thuis mogelijk laten opgroeien")
    assert "20 overbelaste gezinnen ondersteund per eind 2019" in text
    assert escape("Buurtgezinnen: monitoring door het lectoraat van de Hogeschool van Amsterdam") in text
