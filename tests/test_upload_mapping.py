"""A CBS StatLine or GGD export as downloaded imports after mapping its unknown names once; the mapping is
remembered for the next file from the same source."""

from __future__ import annotations

from dashboard.catalog.models import Catalog
from dashboard.ingest.mapping import SKIP, name_key, new_target
from dashboard.ingest.upload import commit_import
from dashboard.store import Store

from .test_upload import plan

STATLINE = (
    "\ufeff\"Jeugdhulp; gemeenten\"\n"
    "\"Gewijzigd op 1 juli 2024\"\n"
    "\n"
    "\"Regio's\";\"Perioden\";\"Jongeren met jeugdhulp, afgelopen jaar (%)\";"
    "\"Jongeren met jeugdbescherming (aantal)\"\n"
    "\"Beverwijk (GM0375)\";\"2020\";\"10,2\";\"1.234\"\n"
    "\"GM0453 Velsen\";\"2021*\";\"9,8\";\"87\"\n"
    "\"Noord-Holland (PV)\";\"2021*\";\"9,1\";\".\"\n"
    "\n"
    "\"Bron: CBS\"\n"
)
TOPIC_PCT, TOPIC_COUNT = "Jongeren met jeugdhulp, afgelopen jaar (%)", "Jongeren met jeugdbescherming (aantal)"


def statline_plan(store: Store, catalog: Catalog, text: str = STATLINE, mapping=None, source: str = "CBS StatLine"):
    from dashboard.ingest.upload import plan_import

    from .test_upload import SETTINGS
    return plan_import("statline.csv", text.encode("utf-8"), catalog, store, SETTINGS, source, mapping)


def test_a_statline_export_asks_for_each_unknown_name_once(seeded_store: Store, catalog: Catalog) -> None:
    result = statline_plan(seeded_store, catalog)
    assert not result.can_commit
    unknown = {(u.kind, u.raw): u for u in result.unknown}
    assert set(unknown) == {("indicator", TOPIC_PCT), ("indicator", TOPIC_COUNT), ("gebied", "Noord-Holland (PV)")}
    assert unknown[("indicator", TOPIC_PCT)].first_seen == "blad ‘CSV’, rij 4, kolom C"
    # Names with their code are found without a mapping.
    assert not any(u.raw.startswith(("Beverwijk", "GM0453")) for u in result.unknown)
    # Each problem a mapping solves says so, for the page to show the mapping step instead.
    assert all(p.unknown for p in result.problems)


def test_after_mapping_the_export_imports_and_the_next_file_needs_no_mapping(seeded_store: Store,
                                                                            catalog: Catalog) -> None:
    mapping = {("indicator", name_key(TOPIC_PCT)): "jeugdhulp_pct_tot_18",
               ("indicator", name_key(TOPIC_COUNT)): new_target("count", "lower_is_better"),
               ("gebied", name_key("Noord-Holland (PV)")): SKIP}
    result = statline_plan(seeded_store, catalog, mapping=mapping)
    assert result.can_commit, result.messages()
    values = {(r["indicator_id"], r["area_code"], r["period"]): r for r in result.rows}
    assert values[("jeugdhulp_pct_tot_18", "GM0375", "2020")]["value"] == 10.2
    assert "voorlopig" in values[("jeugdhulp_pct_tot_18", "GM0453", "2021")]["note"]
    [new] = result.new_indicators
    assert (new.name, new.unit, new.direction) == (TOPIC_COUNT, "count", "lower_is_better")
    assert values[(new.id, "GM0375", "2020")]["value"] == 1234.0  # Dutch thousands
    notices = "\n".join(result.notices)
    assert "Niet ingelezen (gekoppeld aan ‘niet inlezen’): gebied ‘Noord-Holland (PV)’, 1 cijfer." in notices
    assert "rij 1 tot en met 3 gelezen als titel" in notices and "‘Bron: CBS’" in notices
    commit_import(result, seeded_store, "CBS jeugdhulp", "tester")

    later = STATLINE.replace("\"2020\";\"10,2\"", "\"2022\";\"10,9\"").replace("2021*", "2023")
    again = statline_plan(seeded_store, catalog, later)
    assert again.can_commit, again.messages()
    assert "3 koppelingen van eerdere bestanden met deze bron zijn toegepast." in again.notices
    assert {r["indicator_id"] for r in again.rows} == {"jeugdhulp_pct_tot_18", new.id}
    assert not again.new_indicators  # the new indicator is now in the store and reused
    # Another source does not inherit the mapping.
    other = statline_plan(seeded_store, catalog, later, source="GGD Kennemerland")
    assert {u.raw for u in other.unknown} == {TOPIC_PCT, "Noord-Holland (PV)"}


def test_a_ggd_export_with_indicator_names_in_rows_is_mapped_the_same_way(seeded_store: Store,
                                                                           catalog: Catalog) -> None:
    text = ("Gemeente;Indicator;2016;2020\n"
            "Beverwijk;% ernstig overgewicht;3,1;3,4\n"
            "Velsen;% ernstig overgewicht;2,9;3,0\n")
    result = statline_plan(seeded_store, catalog, text, source="GGD")
    [unknown] = result.unknown
    assert (unknown.kind, unknown.raw, unknown.rows) == ("indicator", "% ernstig overgewicht", 4)
    mapped = statline_plan(seeded_store, catalog, text, {("indicator", unknown.key): "overgewicht_5_14_pct"}, "GGD")
    assert mapped.can_commit, mapped.messages()
    assert len(mapped.rows) == 4


def test_a_mapping_to_a_target_that_no_longer_exists_is_asked_again(seeded_store: Store, catalog: Catalog) -> None:
    result = statline_plan(seeded_store, catalog, mapping={("indicator", name_key(TOPIC_PCT)): "weg_indicator"})
    assert TOPIC_PCT in {u.raw for u in result.unknown}


def test_the_plan_helper_still_works(seeded_store: Store, catalog: Catalog) -> None:
    assert plan(STATLINE.encode(), seeded_store, catalog, name="x.csv").unknown
