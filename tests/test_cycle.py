"""The policy cycle: meetings with conclusions and decisions, beweging rows, progress, reminders, exports."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document

from dashboard.analysis.cycle import beweging_table, due_reviews, progress_table, schedule
from dashboard.catalog.models import Catalog
from dashboard.cycle_export import cycle_docx, cycle_markdown
from dashboard.markdown_text import escape
from dashboard.store import Store

from .conftest import open_page, page_text, run_app
from .test_notes_pages import INJECTION, login
from .test_notes_pages import staff_env as staff_env  # the fixture


def meeting(store: Store, **kw) -> int:
    args = {"framework_id": "ijmond-2023-2027", "kind": "tellen_en_vertellen", "held_on": date(2025, 11, 4),
            "title": "Tellen en vertellen 2025", "participants": ["gemeenten", "ouders", "jeugdigen"],
            "author": "Marieke", "figures": ["jeugdhulp_pct_tot_18"], "stories": "Verhaal van een moeder.",
            "agenda_changes": "Extra inzet op vindplekken."}
    return store.add_cycle_meeting(**{**args, **kw})


def test_a_meeting_with_conclusions_and_decisions_linked_to_goals(store: Store) -> None:
    meeting_id = meeting(store)
    store.add_cycle_outcome(meeting_id, kind="conclusie", text="Vindplekken verwijzen nog weinig door.",
                            goal_ids=["ij23-6.2c"], author="Marieke")
    store.add_cycle_outcome(meeting_id, kind="besluit", text="Training voor vindplekken in 2026.",
                            goal_ids=["ij23-6.2c", "ij23-6.2b"], author="Marieke")
    row = store.cycle_meetings("ijmond-2023-2027").iloc[0]
    assert (row["year"], row["held_on"], row["participants"]) == (2025, "2025-11-04", "gemeenten\nouders\njeugdigen")
    outcomes = store.cycle_outcomes([meeting_id])
    assert list(outcomes["kind"]) == ["conclusie", "besluit"]
    assert outcomes.iloc[1]["goal_ids"] == "ij23-6.2c\nij23-6.2b"
    assert store.cycle_meetings("alkmaar-2025").empty


def test_bad_cycle_input_says_what_is_wrong_and_stores_nothing(store: Store) -> None:
    with pytest.raises(ValueError, match="Deelnemers"):
        meeting(store, participants=[" "])
    with pytest.raises(ValueError, match="Soort bijeenkomst"):
        meeting(store, kind="feest")
    assert store.cycle_meetings().empty
    meeting_id = meeting(store)
    with pytest.raises(ValueError, match="Doel"):
        store.add_cycle_outcome(meeting_id, kind="besluit", text="x", goal_ids=[], author="Marieke")
    with pytest.raises(KeyError):
        store.add_cycle_outcome(999, kind="besluit", text="x", goal_ids=["a"], author="Marieke")
    with pytest.raises(ValueError, match="periode"):
        store.add_beweging_entry(framework_id="f", goal_id="g", kind="startbeeld", period="vorig jaar", text="t",
                                 source="s", author="a")
    with pytest.raises(ValueError, match="Bron"):
        store.add_beweging_entry(framework_id="f", goal_id="g", kind="startbeeld", period="2023", text="t",
                                 source="", author="a")
    with pytest.raises(ValueError, match="onderwerp"):
        store.add_progress(framework_id="f", year=2019, theme_id="t", activity="a", status="loopt", text="t",
                           author="a")
    assert store.cycle_outcomes().empty and store.beweging_entries("f").empty and store.progress("f").empty
    with pytest.raises(PermissionError):
        store.set_cycle_meeting_status(meeting_id, "Iemand anders", "withdrawn")
    store.set_cycle_meeting_status(meeting_id, "Marieke", "withdrawn")
    assert store.cycle_meetings().empty and len(store.cycle_meetings(include_withdrawn=True)) == 1


def test_cycle_texts_over_their_limit_or_with_control_characters_are_refused_in_dutch(store: Store) -> None:
    """The forms cap lengths in the browser; the store refuses what the page or a script sends past that."""
    with pytest.raises(ValueError, match=r"Titel: de titel van de bijeenkomst is 301 tekens lang; het maximum is 300"):
        meeting(store, title="x" * 301)
    with pytest.raises(ValueError, match=r"Deelnemers \(groepen\): .*stuurteken U\+0000 \(NUL\)"):
        meeting(store, participants=["Jongeren\x00raad"])
    with pytest.raises(ValueError, match="Bekeken verhalen: de tekst is 5001 tekens lang"):
        meeting(store, stories="x" * 5001)
    assert store.cycle_meetings().empty
    meeting_id = meeting(store, stories="Eerste regel\nTweede regel")  # a line break is fine in a long text
    assert store.cycle_meetings()["stories"].iloc[0] == "Eerste regel\nTweede regel"
    with pytest.raises(ValueError, match="Tekst: de tekst is 5001 tekens lang"):
        store.add_cycle_outcome(meeting_id, kind="besluit", text="x" * 5001, goal_ids=["a"], author="Marieke")
    with pytest.raises(ValueError, match="Bron: de bron bevat een regeleinde"):
        store.add_beweging_entry(framework_id="f", goal_id="g", kind="startbeeld", period="2023", text="t",
                                 source="GGD\nmonitor", author="a")
    with pytest.raises(ValueError, match=r"Toelichting: .*stuurteken U\+0007"):
        store.add_progress(framework_id="f", year=2019, theme_id="t", status="loopt", text="bel\x07", author="a")
    assert store.cycle_outcomes().empty and store.beweging_entries("f").empty and store.progress("f").empty


def test_due_moments_and_the_schedule(store: Store, catalog: Catalog) -> None:
    plan = catalog.frameworks["ijmond-2023-2027"]
    due = due_reviews(plan, store.cycle_meetings(plan.id), date(2025, 12, 1))
    # 2023 and 2024 passed unrecorded; 2025 is due within 60 days; 2026 and 2027 are further away.
    assert [(d.review.due, d.overdue) for d in due] == [("2023-12-31", True), ("2024-12-31", True),
                                                        ("2025-12-31", False)]
    meeting(store)  # the 2025 meeting is recorded
    due = due_reviews(plan, store.cycle_meetings(plan.id), date(2025, 12, 1))
    assert [d.review.due for d in due] == ["2023-12-31", "2024-12-31"]
    states = schedule(plan, store.cycle_meetings(plan.id), date(2025, 12, 1))
    assert list(states["stand"]) == ["niet vastgelegd", "niet vastgelegd", "gehouden", "gepland", "gepland"]


def test_beweging_rows_keep_their_startbeeld_and_later_observations(store: Store, catalog: Catalog) -> None:
    plan = catalog.frameworks["ijmond-2023-2027"]
    add = {"framework_id": plan.id, "goal_id": "ij23-6.2a", "author": "Marieke"}
    store.add_beweging_entry(**add, kind="cijfer", period="2025", text="420 vragen", source="Dashboard CJG", value=420)
    store.add_beweging_entry(**add, kind="startbeeld", period="2023", text="510 vragen", source="Dashboard CJG")
    store.add_beweging_entry(**add, kind="verhaal", period="2024", text="Ouders vinden de buurt",
                             source="Spiegelgesprek")
    row = beweging_table(plan, store.beweging_entries(plan.id), ["ij23-6.2a", "ij23-6.2b"]).set_index("doel_id")
    assert row.loc["ij23-6.2a", "startbeeld"] == "510 vragen (2023; bron: Dashboard CJG)"
    assert row.loc["ij23-6.2a", "later"] == ["2024 · verhaal: Ouders vinden de buurt (bron: Spiegelgesprek)",
                                             "2025 · cijfer: 420 vragen (bron: Dashboard CJG)"]
    assert row.loc["ij23-6.2b", "startbeeld"] == "nog geen startbeeld"


def test_progress_per_action_line_and_activity(store: Store, catalog: Catalog) -> None:
    plan = catalog.frameworks["transformatieplan-2018-2020"]
    activity = plan.goals[0].actions[0]
    store.add_progress(framework_id=plan.id, year=2019, theme_id="al1-toegang", goal_id="tp-1.1",
                       activity=activity, status="vertraagd", text="Twee praktijken nog zonder POH.", author="Jan")
    store.add_progress(framework_id=plan.id, year=2019, theme_id="al1-toegang", goal_id="tp-1.1",
                       activity=activity, status="loopt", text="Alle praktijken hebben een POH.", author="Jan")
    table = progress_table(plan, store.progress(plan.id), 2019)
    assert len(table) == 6 + 9 + 25  # every action line, onderwerp and activity
    row = table[table["activiteit"] == activity].iloc[0]
    assert (row["status"], row["toelichting"]) == ("loopt", "Alle praktijken hebben een POH.")
    assert set(progress_table(plan, store.progress(plan.id), 2020)["status"]) == {"niet vastgelegd"}


def test_meeting_export_for_the_council(seeded_store: Store, catalog: Catalog) -> None:
    from dashboard.analysis.goals import current_values

    plan = catalog.frameworks["ijmond-2023-2027"]
    meeting_id = meeting(seeded_store, stories=INJECTION)
    seeded_store.add_cycle_outcome(meeting_id, kind="besluit", text="Training vindplekken.", goal_ids=["ij23-6.2c"],
                                   author="Marieke")
    row = seeded_store.cycle_meetings(plan.id).iloc[0]
    outcomes = seeded_store.cycle_outcomes([meeting_id])
    values = current_values(seeded_store.observations())
    notes = seeded_store.notes()
    text = cycle_markdown(row, outcomes, plan, catalog, values, notes)
    assert "## Deelnemers" in text and "- ouders" in text
    # The figures looked at, with value, period, source and dataset as the dashboard shows them.
    assert "- Jongeren met jeugdhulp\\: IJmond 11,5% (1e helft 2022; bron\\: CBS Jeugd" in text
    assert "- Training vindplekken. — doelen\\: ij23-6.2c Vindplekken kennen de weg" in text
    # Typed text cannot add HTML or links: every markup character is escaped.
    assert "\\<img src=x onerror=alert(1)\\>" in text and escape("[klik](https://kwaad.example)") in text
    assert "- Extra inzet op vindplekken." in text
    docx = Document(io.BytesIO(cycle_docx(row, outcomes, plan, catalog, values, notes)))
    paragraphs = [p.text for p in docx.paragraphs]
    assert "Besluiten" in paragraphs and any(p.startswith("Training vindplekken.") for p in paragraphs)


def test_staff_record_a_meeting_and_a_decision_on_the_page(staff_env: str) -> None:
    at = open_page(run_app({"kader": "ijmond-2023-2027"}), "app_pages/hefboom_leren.py")
    text = page_text(at)
    assert "Beleidscyclus IJmond 2023-2027" in text
    assert "Er is nog geen bijeenkomst vastgelegd voor dit beleidskader." in text
    assert not [b for b in at.button if b.label == "Bijeenkomst opslaan"]  # reading is open, writing needs login
    at = login(at)
    at.text_input(key="cyclus_titel").input("Tellen en vertellen 2026")
    at.multiselect(key="cyclus_deelnemers").set_value(["gemeenten", "jeugdigen"])
    at.multiselect(key="cyclus_cijfers").set_value(["jeugdhulp_pct_tot_18"])
    at.text_area(key="cyclus_agenda").input("Vindplekken krijgen een training.")
    at = next(b for b in at.button if b.label == "Bijeenkomst opslaan").click().run()
    assert not at.exception
    text = page_text(at)
    assert "De bijeenkomst is opgeslagen." in text and "**Deelnemers:** gemeenten, jeugdigen" in text
    at.text_area(key="cyclus_uitkomst_tekst").input("Jongeren willen vaker meepraten.")
    at.multiselect(key="cyclus_uitkomst_doelen").set_value(["ij23-6.3a"])
    at = next(b for b in at.button if b.proto.form_id == "cyclus_uitkomst").click().run()
    text = page_text(at)
    assert "Jongeren willen vaker meepraten." in text
    assert "Doelen: ij23-6.3a Jeugdigen en ouders hebben altijd een stem bij leren en verbeteren" in text
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Markdown" in labels and "Word (.docx)" in labels
    # A startbeeld for a beweging row, with its source.
    at.selectbox(key="cyclus_beweging_doel").set_value("ij23-6.2a")
    at.radio(key="cyclus_beweging_soort").set_value("startbeeld")
    at.text_input(key="cyclus_beweging_periode").input("2023")
    at.text_area(key="cyclus_beweging_tekst").input("510 vragen bij het CJG")
    at.text_input(key="cyclus_beweging_bron").input("Dashboard CJG")
    at = next(b for b in at.button if b.proto.form_id == "cyclus_beweging").click().run()
    rows = next(df.value for df in at.dataframe if "Startbeeld" in df.value.columns)
    row = rows[rows["Beweging"].str.startswith("Er komen minder vragen bij het CJG")].iloc[0]
    assert row["Startbeeld"] == "510 vragen bij het CJG (2023; bron: Dashboard CJG)"
    # The author withdraws the meeting: it is kept, but no longer shown.
    at = at.button(key="cyclus_intrekken").click().run()
    assert "Er is nog geen bijeenkomst vastgelegd voor dit beleidskader." in page_text(at)


def test_overzicht_reminds_of_moments_the_plan_set(app_env: str) -> None:
    at = run_app()
    text = page_text(at)
    # IJmond 2018-2021 set a full evaluation after four years (end 2022); nothing is recorded yet.
    assert "**Herinnering beleidscyclus.**" in text and "Evaluatie van het beleidsplan" in text
    alkmaar = page_text(run_app({"kader": "alkmaar-2025"}))
    assert "Kernopgaven in Alkmaar (4)" in alkmaar and "Herinnering beleidscyclus" not in alkmaar
