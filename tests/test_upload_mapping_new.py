"""The mapping step defines new things: an indicator with the name and description staff type, and an area
(a wijk of a known municipality, or a municipality) with a code that is no CBS code. Both are remembered
per source, are stored with the dataset in one transaction, and a new wijk joins its municipality's
suppression group."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from dashboard import app_data, cli
from dashboard.analysis.suppression import PROTECTS, SMALL
from dashboard.catalog.models import Catalog
from dashboard.ingest.mapping import (
    NewArea,
    area_name_problem,
    is_defined_area,
    name_key,
    new_area_code,
    new_area_target,
    new_target,
)
from dashboard.ingest.upload import commit_import
from dashboard.store import Store, schema
from dashboard.store.store import AreaTakenError

from .test_upload_mapping import STATLINE, TOPIC_COUNT, TOPIC_PCT, statline_plan

NEW_WIJK = "Broekpolder-Noord"


def beverwijk_wijken(catalog: Catalog) -> list[str]:
    wijken = sorted(a.code for a in catalog.areas.values() if a.level == "wijk" and a.parent == "GM0375")
    if len(wijken) < 3:
        pytest.skip("geen wijkgrenzen van Beverwijk in de catalogus")
    return wijken[:3]


def wijk_file(catalog: Catalog, new_value: int = 4, period: str = "2023") -> str:
    """Uithuisplaatsingen per wijk of Beverwijk (by code) and one wijk the catalog does not know (by name)."""
    numbers = dict(zip(beverwijk_wijken(catalog), (60, 30, 50), strict=True))
    lines = ["Regio's;Perioden;Uithuisplaatsingen", f"Beverwijk (GM0375);{period};{sum(numbers.values()) + new_value}"]
    lines += [f"{code};{period};{value}" for code, value in numbers.items()]
    lines.append(f"{NEW_WIJK};{period};{new_value}")
    return "\n".join(lines) + "\n"


NEW_AREA = {("gebied", name_key(NEW_WIJK)): new_area_target(NewArea(NEW_WIJK, "wijk", "GM0375"))}


def test_a_new_indicator_gets_the_name_and_description_staff_typed(seeded_store: Store, catalog: Catalog) -> None:
    mapping = {("indicator", name_key(TOPIC_PCT)): "jeugdhulp_pct_tot_18",
               ("indicator", name_key(TOPIC_COUNT)): new_target(
                   "count", "lower_is_better", "Jeugdbescherming (aantal jongeren)",
                   "Aantal jongeren met een maatregel van jeugdbescherming.\nBron: CBS."),
               ("gebied", name_key("Noord-Holland (PV)")): "-"}
    plan = statline_plan(seeded_store, catalog, mapping=mapping)
    assert plan.can_commit, plan.messages()
    [new] = plan.new_indicators
    assert (new.id, new.name) == ("jeugdbescherming_aantal_jongeren", "Jeugdbescherming (aantal jongeren)")
    assert new.description == "Aantal jongeren met een maatregel van jeugdbescherming.\nBron: CBS."
    assert "Nieuwe indicatoren uit de koppeling: Jeugdbescherming (aantal jongeren) " \
           "(jeugdbescherming_aantal_jongeren)." in plan.notices
    commit_import(plan, seeded_store, "jeugdbescherming", "tester")
    stored = {i.id: i for i in seeded_store.indicators()}[new.id]
    assert (stored.name, stored.description) == (new.name, new.description)
    # Remembered for the next file from this source: the stored indicator, not a new one.
    later = STATLINE.replace("\"2020\";\"10,2\"", "\"2022\";\"10,9\"").replace("2021*", "2023")
    again = statline_plan(seeded_store, catalog, later)
    assert again.can_commit and not again.new_indicators
    assert new.id in {r["indicator_id"] for r in again.rows}


@pytest.mark.parametrize(("name", "description", "expected"), [
    ("Jeugd\x07bescherming", "Omschrijving", "de naam van de indicator bevat het stuurteken U+0007"),
    ("Jeugdbescherming", "Om\x00schrijving", "de omschrijving van de indicator bevat het stuurteken U+0000 (NUL)"),
    ("x" * 301, "Omschrijving", "de naam van de indicator is 301 tekens lang; het maximum is 300"),
    ("Jeugdbescherming", "y" * 2001, "de omschrijving van de indicator is 2001 tekens lang; het maximum is 2000"),
    ("  ", "Omschrijving", "de naam ontbreekt"),
])
def test_a_new_indicator_with_text_the_store_would_refuse_is_refused_before_the_preview(
        seeded_store: Store, catalog: Catalog, name: str, description: str, expected: str) -> None:
    mapping = {("indicator", name_key(TOPIC_PCT)): "jeugdhulp_pct_tot_18",
               ("indicator", name_key(TOPIC_COUNT)): new_target("count", "neutral", name, description),
               ("gebied", name_key("Noord-Holland (PV)")): "-"}
    plan = statline_plan(seeded_store, catalog, mapping=mapping)
    assert not plan.can_commit and not plan.new_indicators
    message = next(m for m in plan.messages() if "Koppelen" in m)
    assert message.startswith(f"Blad ‘Koppelen’: de nieuwe indicator voor ‘{TOPIC_COUNT}’: {expected}")
    assert TOPIC_COUNT in {u.raw for u in plan.unknown}  # still to be mapped on the page
    with pytest.raises(ValueError, match="kan niet worden opgeslagen"):
        commit_import(plan, seeded_store, "x", "tester")
    assert seeded_store.datasets()["kind"].eq("upload").sum() == 0


def test_the_code_of_a_new_area_is_stable_readable_and_no_cbs_code() -> None:
    wijk = new_area_code(NewArea("Broekpolder-Noord", "wijk", "GM0375"), set())
    assert wijk == "EW0375_BROEKPOLDER_NOORD"
    assert new_area_code(NewArea("Broekpolder-Noord", "wijk", "GM0375"), {wijk}) == "EW0375_BROEKPOLDER_NOORD_2"
    assert new_area_code(NewArea("Nieuw-Amstel", "gemeente"), set()) == "EG_NIEUW_AMSTEL"
    long = new_area_code(NewArea("Een heel lange naam van een wijk " * 5, "wijk", "GM0375"), set())
    assert len(long) <= 29 and "_" in long
    cbs = re.compile(r"(NL|PV|GM|WK|BU)[0-9A-Z]+")
    assert not any(cbs.fullmatch(code) for code in (wijk, long, "EG_NIEUW_AMSTEL"))
    assert all(is_defined_area(c) for c in (wijk, long, "EG_NIEUW_AMSTEL", "EW_IETS"))
    assert not any(is_defined_area(c) for c in ("WK037501", "GM0375", "REG_IJMOND", "NL01"))


def test_a_new_wijk_is_stored_as_an_area_of_its_municipality_and_joins_its_suppression_group(
        seeded_store: Store, catalog: Catalog, monkeypatch, capsys) -> None:
    plan = statline_plan(seeded_store, catalog, wijk_file(catalog), source="GGD")
    assert [u.raw for u in plan.unknown] == [NEW_WIJK]
    plan = statline_plan(seeded_store, catalog, wijk_file(catalog), mapping=NEW_AREA, source="GGD")
    assert plan.can_commit, plan.messages()
    [area] = plan.new_areas
    assert (area.code, area.name, area.level, area.parent) == ("EW0375_BROEKPOLDER_NOORD", NEW_WIJK, "wijk", "GM0375")
    assert "Nieuwe gebieden uit de koppeling: Broekpolder-Noord (EW0375_BROEKPOLDER_NOORD, wijk van Beverwijk)." \
        in plan.notices
    commit_import(plan, seeded_store, "uithuisplaatsingen", "tester")
    assert seeded_store.defined_areas() == [area]
    full = catalog.with_areas(seeded_store.defined_areas())
    shown = app_data.query_observations(seeded_store, full, 10, indicators=["uithuisplaatsingen_aantal"],
                                        areas=[area.code, *beverwijk_wijken(catalog)], periods=["2023"])
    reasons = dict(zip(shown["area_code"], shown["suppressed_reason"], strict=True))
    assert reasons[area.code] == SMALL  # 4: too small, like any wijk's
    # The next smallest wijk of Beverwijk is hidden with it, or 94 - 60 - 30 - 50 + ... would give the 4 away.
    assert reasons[beverwijk_wijken(catalog)[1]] == PROTECTS
    assert shown.loc[shown["area_code"] == area.code, "area_name"].item() == NEW_WIJK
    # The CLI export (and the downloads, which share it) name the wijk and hide its figure.
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", seeded_store.url)
    capsys.readouterr()
    assert cli.main(["export"]) == 0
    rows = {r["area_code"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))
            if r["indicator_id"] == "uithuisplaatsingen_aantal" and r["period"] == "2023"}
    assert rows[area.code]["area_name"] == NEW_WIJK and rows[area.code]["value"] == ""
    assert rows[area.code]["toelichting"] == "te klein om te tonen"
    assert rows[beverwijk_wijken(catalog)[1]]["toelichting"] == "verborgen om een klein aantal te beschermen"

    # The next file from the same source: the stored area, no new one.
    again = statline_plan(seeded_store, catalog, wijk_file(catalog, 12, "2024"), source="GGD")
    assert again.can_commit, again.messages()
    assert not again.new_areas and area.code in {r["area_code"] for r in again.rows}
    assert "1 koppelingen van eerdere bestanden met deze bron zijn toegepast." in again.notices
    # Another source finds the stored wijk by its name, or by its code next to the name.
    other = wijk_file(catalog, 15, "2022").replace(NEW_WIJK, f"{NEW_WIJK} ({area.code})")
    elsewhere = statline_plan(seeded_store, catalog, other, source="Eigen telling")
    assert elsewhere.can_commit, elsewhere.messages()
    assert area.code in {r["area_code"] for r in elsewhere.rows}


def test_a_new_municipality_and_a_wijk_without_municipality(seeded_store: Store, catalog: Catalog) -> None:
    text = "Regio's;Perioden;Uithuisplaatsingen\nNieuwe Gemeente Aan Zee;2023;120\n"
    key = ("gebied", name_key("Nieuwe Gemeente Aan Zee"))
    refused = statline_plan(seeded_store, catalog, text, {key: new_area_target(NewArea("Aan Zee", "wijk"))}, "GGD")
    assert not refused.can_commit
    assert "Blad ‘Koppelen’: het nieuwe gebied voor ‘Nieuwe Gemeente Aan Zee’: zeg bij welke gemeente de wijk " \
           "hoort" in refused.messages()
    bad = statline_plan(seeded_store, catalog, text, {key: new_area_target(NewArea("Aan\x1bZee", "gemeente"))}, "GGD")
    assert "de naam van het gebied bevat het stuurteken U+001B" in "\n".join(bad.messages())
    # A name is shown on every page, also where catalog names are Markdown: only what renders as itself.
    for hostile, said in (("[klik](https://x.nl)", "(niet ‘:’ ‘[’ ‘]’)"), ("www.x.nl", "lijkt een webadres"),
                          ("Aan **Zee**", "(niet ‘*’)")):
        bad = statline_plan(seeded_store, catalog, text, {key: new_area_target(NewArea(hostile, "gemeente"))}, "GGD")
        assert not bad.can_commit and said in "\n".join(bad.messages()), hostile
    assert not any(area_name_problem(n) for n in ("'s-Hertogenbosch", "Koog a/d Zaan", "Bergen (NH.)", "Ærø"))
    plan = statline_plan(seeded_store, catalog, text, {key: new_area_target(NewArea("Aan Zee", "gemeente"))}, "GGD")
    assert plan.can_commit, plan.messages()
    [area] = plan.new_areas
    assert (area.code, area.level, area.parent) == ("EG_AAN_ZEE", "gemeente", "NL01")


def test_nothing_of_a_new_area_is_stored_when_the_dataset_is_not(seeded_store: Store, catalog: Catalog) -> None:
    plan = statline_plan(seeded_store, catalog, wijk_file(catalog), mapping=NEW_AREA, source="GGD")
    assert plan.can_commit
    plan.rows[0] = {**plan.rows[0], "indicator_id": "bestaat_niet"}  # the insert of the figures fails
    with pytest.raises(Exception):  # noqa: B017 - the database's own error, whichever it is
        commit_import(plan, seeded_store, "half", "tester")
    assert seeded_store.defined_areas() == []
    with seeded_store.engine.connect() as conn:
        assert conn.execute(select(schema.areas.c.code).where(schema.areas.c.code.like("EW%"))).all() == []
        assert conn.execute(select(schema.name_mappings)).all() == []
    assert seeded_store.datasets()["kind"].eq("upload").sum() == 0


def test_an_area_defined_meanwhile_by_another_upload_is_said_and_nothing_is_stored(seeded_store: Store,
                                                                                   catalog: Catalog) -> None:
    first = statline_plan(seeded_store, catalog, wijk_file(catalog), mapping=NEW_AREA, source="GGD")
    second = statline_plan(seeded_store, catalog, wijk_file(catalog, 20, "2024"), mapping=NEW_AREA, source="Wijkteam")
    assert first.new_areas == second.new_areas
    commit_import(first, seeded_store, "eerste", "tester")
    with pytest.raises(AreaTakenError) as refused:
        commit_import(second, seeded_store, "tweede", "tester")
    assert str(refused.value).startswith("Het gebied EW0375_BROEKPOLDER_NOORD is intussen met een ander bestand "
                                         "toegevoegd; er is niets opgeslagen.")
    assert seeded_store.datasets()["name"].tolist()[-1] == "eerste"
    assert seeded_store.name_mappings("wijkteam") == {}
    again = statline_plan(seeded_store, catalog, wijk_file(catalog, 20, "2024"), mapping=NEW_AREA, source="Wijkteam")
    assert again.can_commit and not again.new_areas  # read again: the stored area is found by its name
