"""A policy plan as an Excel file: template, export, import with Dutch messages, stored versions."""

from __future__ import annotations

import copy
import dataclasses
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dashboard import cli
from dashboard.analysis.regions import region_totals
from dashboard.catalog.loader import load_catalog
from dashboard.catalog.models import Catalog, CoreValue, Framework
from dashboard.catalog.stored import with_stored_frameworks
from dashboard.deployment import default_framework_id, deployment_notice, municipality_options
from dashboard.ingest.framework_file import build_framework_workbook, parse_framework_file, parse_rule, rule_text
from dashboard.settings import load_settings
from dashboard.store import Store

from .plan_files import ZAANSTAD_FULL_PLAN, ZAANSTAD_PLAN, ZAANSTREEK_WATERLAND, fill_template
from .test_accounts import cheap_hash


@pytest.fixture
def beheer(app_env: str) -> str:
    """The account that imports plan files on the command line (kader import --door beheer)."""
    store = Store(app_env)
    store.create_schema()
    store.add_user("beheer", cheap_hash())
    return "beheer"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(args)
    out, err = capsys.readouterr()
    return code, out, err


def differences(a: object, b: object, path: str = "kader") -> list[str]:
    """Where two model objects differ, as paths into the model (the whole model, every field)."""
    if dataclasses.is_dataclass(a) and type(a) is type(b):
        return [d for f in dataclasses.fields(a)
                for d in differences(getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}")]
    if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def stored_catalog(url: str) -> Catalog:
    catalog = load_catalog(geo_path=load_settings().geo_path)
    return with_stored_frameworks(catalog, Store(url).active_framework_definitions())[0]


def test_every_shipped_framework_survives_export_and_import_unchanged(
    app_env: str, beheer: str, catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # All five plans of the documents, with everything they hold: core values, the model's own lever names and
    # blockades, steering principles, monitoring steps, review dates, context themes, per goal its budget,
    # evaluation and end products, "bereikt minstens" targets with their deadline.
    assert {"transformatieplan-2018-2020", "regiovisie-2021", "alkmaar-2025", "ijmond-2018-2021",
            "ijmond-2023-2027"} <= set(catalog.frameworks)
    for framework in catalog.frameworks.values():
        path = tmp_path / f"{framework.id}.xlsx"
        code, out, err = run(["kader", "export", framework.id, str(path)], capsys)
        assert code == 0, err
        parsed = parse_framework_file(path.name, path.read_bytes(), catalog)
        assert parsed.ok, parsed.messages()
        assert parsed.framework == framework, differences(framework, parsed.framework)
        # Through the store as well: imported, it replaces the shipped one with an identical framework.
        code, out, err = run(["kader", "import", str(path), "--door", beheer], capsys)
        assert code == 0, err
        assert "komt daarvoor in de plaats" in out
        stored = stored_catalog(app_env).frameworks[framework.id]
        assert stored == framework, differences(framework, stored)
    assert len(Store(app_env).framework_versions()) == len(catalog.frameworks)


def test_what_the_documents_add_travels_in_its_own_sheets(catalog: Catalog, tmp_path: Path) -> None:
    """The export a policy officer opens shows the new parts where the instructions say they are."""
    def sheet(framework_id: str, name: str) -> list[tuple]:
        book = load_workbook(io.BytesIO(build_framework_workbook(catalog, catalog.frameworks[framework_id])))
        return [tuple("" if v is None else v for v in row) for row in book[name].iter_rows(values_only=True)]

    goals = sheet("transformatieplan-2018-2020", "doelen")
    header, tp22 = goals[0], next(row for row in goals if row[1] == "tp-2.2")
    row = dict(zip(header, tp22, strict=True))
    assert (row["doelregel"], row["uiterlijk in"], row["budgetindicatoren"]) == (
        "bereikt ten minste 20", "2019", "tf_raming_gezinssituatie_euro")
    assert ("tp-2.2", "20 overbelaste gezinnen ondersteund per eind 2019") in sheet(
        "transformatieplan-2018-2020", "eindproducten")
    assert ("Evaluatie van het beleidsplan", "2020-12-31") in [
        r[:2] for r in sheet("transformatieplan-2018-2020", "momenten")]
    assert ("Regels, kaders en randvoorwaarden", "Kaders en randvoorwaarden") in sheet("regiovisie-2021",
                                                                                    "hefboomnamen")
    assert ("Leren en verbeteren", "Er is angst om fouten te maken.") in sheet("regiovisie-2021", "blokkades")
    assert ("Minder administratieve lasten.",) in sheet("regiovisie-2021", "sturingsuitgangspunten")
    assert sheet("alkmaar-2025", "kernwaarden")[1] == ("Sterke basis vormt het uitgangspunt", catalog.frameworks[
        "alkmaar-2025"].core_values[0].points[0])
    assert ("naam van een activiteit", "Kernactiviteit") in sheet("alkmaar-2025", "kader")
    themes = sheet("alkmaar-2025", "thema's")
    assert themes[1][:2] == ("wat-valt-op", "Wat valt op in Alkmaar") and themes[1][-1] == "ja"
    assert len(sheet("ijmond-2023-2027", "op de goede weg")) == 1 + 4
    # Text from a plan that starts with '=' stays text in Excel, not a formula.
    odd = dataclasses.replace(catalog.frameworks["regiovisie-2021"], steering_principles=("=1+1 is geen formule",))
    parsed = parse_framework_file("x.xlsx", build_framework_workbook(catalog, odd), catalog)
    assert parsed.ok and parsed.framework == odd
    instructions = " ".join(str(r[0]) for r in sheet("alkmaar-2025", "toelichting"))
    for named in ("eindproducten", "hefboomnamen", "blokkades", "kernwaarden", "momenten", "bereikt ten minste 20"):
        assert named in instructions, named


def test_target_rules_are_read_in_the_words_of_the_documents() -> None:
    assert parse_rule("Blijft gelijk of daalt.", "").kind == "blijft_gelijk_of_daalt"
    rule = parse_rule("stijgt met ten minste 20%", "")
    assert (rule.kind, rule.percent) == ("stijgt_met_minstens", 20)
    rule = parse_rule("daalt van 17,5 % naar 15%", "tekst")
    assert (rule.kind, rule.start, rule.end, rule.text) == ("daalt_van_naar", 17.5, 15, "tekst")
    assert rule_text(rule) == "daalt van 17,5% naar 15%"
    rule = parse_rule("Bereikt minimaal 200", "200 gezinnen")
    assert (rule.kind, rule.end, rule_text(rule)) == ("bereikt_minstens", 200, "bereikt ten minste 200")
    assert "niet te lezen" in parse_rule("wordt beter", "")
    assert "niet lager dan de 0-meting" in parse_rule("daalt van 10% naar 12%", "")


def test_a_plan_file_from_the_template_becomes_a_framework_for_zaanstad(
    app_env: str, beheer: str, catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "GM0479" in catalog.areas and "GM0479" not in {c for f in catalog.frameworks.values() for c in f.areas}
    code, _out, err = run(["kader-sjabloon", str(tmp_path / "leeg.xlsx")], capsys)
    assert code == 0, err
    template = load_workbook(tmp_path / "leeg.xlsx")
    assert {"kader", "thema's", "doelen", "eindproducten", "evaluatie", "hefboomnamen", "blokkades", "kernwaarden",
            "sturingsuitgangspunten", "op de goede weg", "momenten", "toelichting"} <= set(template.sheetnames)
    assert [c.value for c in template["doelen"][1]][-3:] == ["uiterlijk in", "budgetindicatoren",
                                                              "evaluatie-indicatoren"]
    path = tmp_path / "zaanstad.xlsx"
    path.write_bytes(fill_template(catalog, ZAANSTAD_PLAN))
    Store(app_env).add_user("fatima", cheap_hash())
    code, out, err = run(["kader", "import", str(path), "--door", "Fatima"], capsys)
    assert code == 0, err
    assert "Doel zs-2: Minder jongeren in de jeugdzorg · doelregel: daalt van 12% naar 10%" in out
    assert "opgeslagen als versie 1" in out
    framework = stored_catalog(app_env).frameworks["zaanstad-2024-2027"]
    assert framework.areas == ("GM0479",)
    assert framework.reference_areas == ("REG_ZAANSTREEK_WATERLAND", "GM0431", "GM0880", "NL01")
    assert [t.short_name for t in framework.themes] == ["Gezond", "Veilig"]
    goal = framework.goals[1]
    assert (goal.target.kind, goal.target.start, goal.target.end, goal.baseline_period) == (
        "daalt_van_naar", 12, 10, "2022")
    assert framework.goals[0].actions == ("Gezonde school op alle **basisscholen** [meer](javascript:alert(1))",)
    assert framework.principles == ("Wij denken vanuit het gezin, niet vanuit de regeling.",)
    assert [lever for lever, _text in framework.lever_texts] == ["regels", "kpi", "leren"]
    region = stored_catalog(app_env).areas["REG_ZAANSTREEK_WATERLAND"]
    assert region.members == tuple(ZAANSTREEK_WATERLAND) and region.level == "regio"
    assert Store(app_env).framework_version_file(1) == ("zaanstad.xlsx", path.read_bytes())
    # The region of the plan gets figures from its municipalities where the indicator says how (a sum here).
    observations = Store(app_env).observations()
    totals = region_totals(observations, stored_catalog(app_env))
    computed = totals[(totals["area_code"] == "REG_ZAANSTREEK_WATERLAND")
                      & (totals["indicator_id"] == "inwoners_aantal") & (totals["period"] == "2024")]
    members = observations[observations["area_code"].isin(ZAANSTREEK_WATERLAND)
                           & (observations["indicator_id"] == "inwoners_aantal") & (observations["period"] == "2024")]
    assert len(members) == len(ZAANSTREEK_WATERLAND)
    assert computed["value"].tolist() == [members["value"].sum()]
    assert computed["source"].iloc[0].startswith("Som van Zaanstad, Oostzaan")


def test_a_plan_file_with_everything_comes_back_unchanged_after_export_and_import(
    app_env: str, beheer: str, catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "zaanstad.xlsx"
    path.write_bytes(fill_template(catalog, ZAANSTAD_FULL_PLAN))
    code, out, err = run(["kader", "import", str(path), "--door", beheer], capsys)
    assert code == 0, err
    # The preview names what the new sheets bring.
    assert "Doel zs-2: Gezinnen met een steungezin · doelregel: bereikt ten minste 40 uiterlijk in 2026" in out
    assert "· 2 eindproduct(en) · 2 evaluatiepunt(en)" in out
    assert "Leren en verbeteren pakt de blokkade aan: Angst om fouten te maken." in out
    assert "Moment van de beleidscyclus (2027-06-30): Evaluatie van het plan." in out
    imported = stored_catalog(app_env).frameworks["zaanstad-2024-2027"]
    assert (imported.activity_label, imported.activities_label) == ("Inzet", "Inzet")
    assert [t.context for t in imported.themes] == [False, True]
    goal = imported.goals[1]
    assert (goal.target.kind, goal.target.end, goal.target.deadline) == ("bereikt_minstens", 40, "2026")
    assert (goal.budget_indicators, goal.evaluation_indicators) == (("tf_raming_poh_jeugd_euro",),
                                                                    ("poh_jeugd_clienten_aantal",))
    assert goal.end_products == ("40 gezinnen met een steungezin", "Een evaluatie met de gezinnen")
    assert goal.evaluation == ("Aantal gezinnen", "Ervaring van de gezinnen")
    assert imported.goals[0].indicator_targets[0][1].deadline == "2027"
    assert imported.lever_names == (("cultuur", "Samen waarden"), ("kpi", "Cijfers en verhalen"))
    assert imported.blockades == (("leren", "Angst om fouten te maken."),)
    assert imported.core_values == (CoreValue("Dichtbij", ("In de **wijk** [meer](javascript:alert(1))",
                                                                       "Bij de school.")), CoreValue("Samen"))
    assert imported.steering_principles == ("Minder regels.", "Meer vertrouwen.")
    assert imported.monitoring_steps == ("Een startbeeld maken: <b>eerst</b> :red[tellen].",)
    assert [(r.kind, r.due, r.source) for r in imported.reviews] == [
        ("tellen_en_vertellen", "2025-12-31", "hoofdstuk 6"), ("evaluatie", "2027-06-30", "")]
    # Exported from the store and read again (also where the catalog does not know its region yet): equal.
    exported = tmp_path / "zaanstad-export.xlsx"
    code, _out, err = run(["kader", "export", "zaanstad-2024-2027", str(exported)], capsys)
    assert code == 0, err
    for against in (stored_catalog(app_env), catalog):
        parsed = parse_framework_file(exported.name, exported.read_bytes(), against)
        assert parsed.ok, parsed.messages()
        assert parsed.framework == imported, differences(imported, parsed.framework)
    code, out, err = run(["kader", "import", str(exported), "--door", beheer], capsys)
    assert code == 0 and "Dit wordt versie 2 van kader zaanstad-2024-2027" in out, err
    again = stored_catalog(app_env).frameworks["zaanstad-2024-2027"]
    assert again == imported, differences(imported, again)
    assert stored_catalog(app_env).areas["REG_ZAANSTREEK_WATERLAND"].members == tuple(ZAANSTREEK_WATERLAND)


def test_the_new_sheets_and_columns_get_messages_per_sheet_row_and_column_and_store_nothing(
    app_env: str, beheer: str, catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = copy.deepcopy(ZAANSTAD_FULL_PLAN)
    plan["thema's"][1][5] = "misschien"
    plan["doelen"][1][11] = "2026-Q9"
    plan["doelen"][1][12] = "raming_onbekend"
    plan["doelen"][1][13] = "clienten_poh"
    plan["doelen"][1][4] = "bereikt ten minste veel"
    plan["normen per indicator"][0][4] = "ooit"
    plan["eindproducten"].append(["zs-7", "Iets"])
    plan["evaluatie"].append(["zs-8", "Iets"])
    plan["hefboomnamen"].append(["Cultuur en gedeelde waarden", "Nog een naam"])
    plan["blokkades"].append(["Geld", "Te weinig geld."])
    plan["kernwaarden"].append(["", "Een punt zonder kernwaarde"])
    plan["momenten"] += [["Feest", "2025-01-01", "Taart", ""], ["Review", "31-02-2026", "Tussentijds", ""]]
    path = tmp_path / "fout.xlsx"
    path.write_bytes(fill_template(catalog, plan))
    code, _out, err = run(["kader", "import", str(path), "--door", beheer], capsys)
    assert code == 1 and "er is niets opgeslagen" in err
    for expected in (
        "Blad ‘thema's’, rij 3, kolom F (alleen context): ‘misschien’: vul ‘ja’ of ‘nee’ in",
        "Blad ‘doelen’, rij 3, kolom L (uiterlijk in): ‘2026-Q9’ is geen periode",
        "Blad ‘doelen’, rij 3, kolom M (budgetindicatoren): indicator ‘raming_onbekend’ is onbekend",
        "Blad ‘doelen’, rij 3, kolom N (evaluatie-indicatoren): indicator ‘clienten_poh’ is onbekend",
        "Blad ‘doelen’, rij 3, kolom E (doelregel): doelregel ‘bereikt ten minste veel’ is niet te lezen",
        "Blad ‘normen per indicator’, rij 2, kolom E (uiterlijk in): ‘ooit’ is geen periode",
        "Blad ‘eindproducten’, rij 4, kolom A (doel): doel ‘zs-7’ staat niet in het blad ‘doelen’",
        "Blad ‘evaluatie’, rij 4, kolom A (doel): doel ‘zs-8’ staat niet in het blad ‘doelen’",
        "Blad ‘hefboomnamen’, rij 4, kolom A (hefboom): hefboom ‘Cultuur en gedeelde waarden’ heeft al een naam",
        "Blad ‘blokkades’, rij 3, kolom A (hefboom): hefboom ‘Geld’ is onbekend",
        "Blad ‘kernwaarden’, rij 5, kolom A (kernwaarde): is leeg maar verplicht",
        "Blad ‘momenten’, rij 4, kolom A (soort): soort ‘Feest’ is onbekend; kies uit ‘Bijeenkomst tellen en "
        "vertellen’",
        "Blad ‘momenten’, rij 5, kolom B (datum): ‘31-02-2026’ is geen datum",
    ):
        assert expected in err, expected
    assert Store(app_env).count("framework_versions") == 0


def test_a_malformed_plan_file_gets_a_message_per_sheet_row_and_column_and_stores_nothing(
    app_env: str, beheer: str, catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = copy.deepcopy(ZAANSTAD_PLAN)
    plan["doelen"][0][6] = "overgewicht_5_14"  # unknown indicator (row 2, column G)
    plan["doelen"][1][4] = "wordt beter"  # unparseable target rule (row 3, column E)
    plan["doelen"][0][7] = ""  # no 0-meting period (row 2, column H)
    plan["doelen"][2][7] = "2023-H3"  # not a period (row 4, column H)
    plan["activiteiten"].append(["zs-9", "Iets"])  # goal that does not exist (row 4, column A)
    plan["hefbomen"].append(["Geld", "Meer geld"])  # no such lever (row 6, column A)
    plan["kader"]["gemeenten"] = "Zaanstadt"
    path = tmp_path / "fout.xlsx"
    path.write_bytes(fill_template(catalog, plan))
    code, _out, err = run(["kader", "import", str(path), "--door", beheer], capsys)
    assert code == 1
    assert "fout.xlsx is niet ingelezen; er is niets opgeslagen." in err
    for expected in (
        "Blad ‘kader’, rij 7, kolom B (waarde): gebied ‘Zaanstadt’ is onbekend. Bedoelt u ‘Zaanstad’?",
        "Blad ‘doelen’, rij 2, kolom G (indicatoren): indicator ‘overgewicht_5_14’ is onbekend. "
        "Bedoelt u overgewicht_5_14_pct?",
        "Blad ‘doelen’, rij 3, kolom E (doelregel): doelregel ‘wordt beter’ is niet te lezen; gebruik een van "
        "deze vormen: ‘blijft gelijk of daalt’",
        "Blad ‘doelen’, rij 4, kolom H (0-meting periode): ‘2023-H3’ is geen periode",
        "Blad ‘activiteiten’, rij 4, kolom A (doel): doel ‘zs-9’ staat niet in het blad ‘doelen’",
        "Blad ‘hefbomen’, rij 6, kolom A (hefboom): hefboom ‘Geld’ is onbekend",
    ):
        assert expected in err, expected
    # The 0-meting is checked once the indicator is known: fix only that one and it is reported.
    plan["doelen"][0][6] = "overgewicht_5_14_pct"
    path.write_bytes(fill_template(catalog, plan))
    _code, _out, err = run(["kader", "import", str(path), "--door", beheer], capsys)
    assert "Blad ‘doelen’, rij 2, kolom H (0-meting periode): de periode van de 0-meting ontbreekt" in err
    assert Store(app_env).framework_versions().empty
    assert Store(app_env).count("framework_versions") == 0


def test_a_new_version_replaces_the_old_one_and_each_can_be_withdrawn_and_restored(
    app_env: str, beheer: str, catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "zaanstad-v1.xlsx"
    first.write_bytes(fill_template(catalog, ZAANSTAD_PLAN))
    second_plan = copy.deepcopy(ZAANSTAD_PLAN)
    second_plan["kader"]["ambitie"] = "Bijgestelde ambitie na de evaluatie."
    second = tmp_path / "zaanstad-v2.xlsx"
    second.write_bytes(fill_template(catalog, second_plan))
    assert run(["kader", "import", str(first), "--door", beheer], capsys)[0] == 0
    code, out, _err = run(["kader", "import", str(second), "--door", beheer], capsys)
    assert code == 0 and "Dit wordt versie 2 van kader zaanstad-2024-2027" in out
    assert stored_catalog(app_env).frameworks["zaanstad-2024-2027"].ambition == "Bijgestelde ambitie na de evaluatie."
    code, _out, err = run(["kader", "import", str(second), "--door", beheer], capsys)
    assert code == 1 and "al ingelezen als versie 2" in err
    assert run(["kader", "intrekken", "2"], capsys)[0] == 0
    assert "zaanstad-2024-2027" not in stored_catalog(app_env).frameworks
    assert run(["kader", "herstellen", "1"], capsys)[0] == 0
    restored = stored_catalog(app_env).frameworks["zaanstad-2024-2027"]
    assert restored.ambition == "Alle Zaanse kinderen groeien gezond en veilig op."
    _code, out, _err = run(["kader", "lijst"], capsys)
    assert "versie 2 van zaanstad-2024-2027 (nummer 2): ingetrokken" in out
    assert "versie 1 van zaanstad-2024-2027 (nummer 1): actief" in out
    log = Store(app_env).audit_log()
    assert {"kader ingelezen", "kader ingetrokken", "kader hersteld"} <= set(log["action"])
    assert "kader zaanstad-2024-2027 versie 2" in set(log.loc[log["action"] == "kader ingetrokken", "target"])


def test_the_deployment_setting_names_the_municipality_and_opens_on_its_plan(
    app_env: str, beheer: str, catalog: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ValueError, match="DASHBOARD_GEMEENTE moet een CBS-gemeentecode zoals GM0479 zijn"):
        load_settings(env={"DASHBOARD_GEMEENTE": "Zaanstad"})
    settings = load_settings(env={"DASHBOARD_GEMEENTE": "gm0479"})
    assert settings.gemeente == "GM0479"
    demo = load_settings(env={})
    assert default_framework_id(catalog, demo) == "ijmond-2018-2021" and deployment_notice(catalog, demo) is None
    # Before its plan is imported: the demo framework, Zaanstad offered first, and a notice saying what to do.
    assert default_framework_id(catalog, settings) == "ijmond-2018-2021"
    assert municipality_options(catalog.default_framework, catalog, settings)[0] == "GM0479"
    assert "nog geen beleidskader voor Zaanstad" in deployment_notice(catalog, settings)
    path = tmp_path / "zaanstad.xlsx"
    path.write_bytes(fill_template(catalog, ZAANSTAD_PLAN))
    assert run(["kader", "import", str(path), "--door", beheer], capsys)[0] == 0
    with_plan = stored_catalog(app_env)
    assert default_framework_id(with_plan, settings) == "zaanstad-2024-2027"
    assert deployment_notice(with_plan, settings) is None
    region = load_settings(env={"DASHBOARD_REGIO": "REG_ZAANSTREEK_WATERLAND"})
    assert default_framework_id(with_plan, region) == "zaanstad-2024-2027"
    assert "geen bekende gemeente" in deployment_notice(catalog, load_settings(env={"DASHBOARD_GEMEENTE": "GM9999"}))


def test_framework_versions_are_stored_alike_on_sqlite_and_postgresql(store: Store, catalog: Catalog) -> None:
    from dashboard.catalog.serialize import from_dict, to_dict

    framework = catalog.frameworks["ijmond-2018-2021"]
    definition = {"framework": to_dict(framework), "regions": []}
    first = store.add_framework_version(framework.id, framework.name, definition, ("a.xlsx", b"een"), "a" * 64, "X")
    second = store.add_framework_version(framework.id, framework.name, definition, ("b.xlsx", b"twee"), "b" * 64, "Y")
    assert (first[1], second[1]) == (1, 2)
    versions = store.framework_versions()
    assert dict(zip(versions["version"], versions["status"], strict=True)) == {2: "active", 1: "withdrawn"}
    store.set_framework_version_status(first[0], "active")  # restoring one withdraws the other
    versions = store.framework_versions()
    assert dict(zip(versions["version"], versions["status"], strict=True)) == {2: "withdrawn", 1: "active"}
    [stored] = store.active_framework_definitions()
    assert from_dict(Framework, stored["framework"]) == framework
    assert store.framework_version_file(second[0]) == ("b.xlsx", b"twee")
    with pytest.raises(KeyError):
        store.set_framework_version_status(999, "active")


def test_a_stored_plan_naming_a_budget_indicator_that_is_gone_is_left_out_with_the_reason(catalog: Catalog) -> None:
    from dashboard.catalog.serialize import to_dict

    framework = catalog.frameworks["transformatieplan-2018-2020"]
    goal = dataclasses.replace(framework.goals[0], budget_indicators=("raming_die_weg_is",))
    theme = dataclasses.replace(framework.themes[0], goals=(goal,))
    broken = dataclasses.replace(framework, id="tf-kopie", themes=(theme,))
    merged, skipped = with_stored_frameworks(catalog, [{"framework": to_dict(broken), "regions": []}])
    assert "tf-kopie" not in merged.frameworks
    assert skipped == [f"Kader ‘{framework.name}’ (tf-kopie) wordt niet getoond: indicator ‘raming_die_weg_is’ "
                       "bestaat niet (meer)."]
