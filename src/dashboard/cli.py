"""Command line: init, export, import, sjabloon, gebruiker and wachtwoord (`python -m dashboard --help`)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from sqlalchemy.exc import OperationalError

from dashboard.analysis.suppression import suppress
from dashboard.auth import hash_password, name_problem, normalise_name, password_problem
from dashboard.catalog.loader import CatalogError, load_catalog
from dashboard.catalog.models import Catalog
from dashboard.exports import export_frame, neutralise
from dashboard.formatting import format_number
from dashboard.ingest.example import build_example_export
from dashboard.ingest.seed import load_shipped_data
from dashboard.ingest.template import build_template
from dashboard.ingest.upload import commit_import, plan_import
from dashboard.settings import SHIPPED_GEO_DIR, Settings, SettingsError, load_settings
from dashboard.store.store import DuplicateDatasetError, Store
from dashboard.text_limits import text_problem


def _open_store() -> tuple[Store, int]:
    settings = load_settings()
    store = Store(settings.database_url)
    store.create_schema()
    return store, settings.privacy_threshold


def cmd_init(_args: argparse.Namespace) -> int:
    settings = load_settings()
    catalog = load_catalog(geo_path=settings.geo_path)
    store = Store(settings.database_url)
    done = load_shipped_data(store, catalog)
    for line in done:
        print(line)
    datasets = store.datasets()
    active = int((datasets["status"] == "active").sum()) if not datasets.empty else 0
    print(f"Gegevensopslag klaar ({store.dialect}): {active} actieve datasets, "
          f"{format_number(store.count('observations'))} waarnemingen, {format_number(store.count('areas'))} gebieden.")
    return 0


def cmd_export(_args: argparse.Namespace) -> int:
    store, threshold = _open_store()
    from dashboard.catalog.loader import shipped_relations

    frame = export_frame(suppress(store.observations(), threshold, relations=shipped_relations()))
    try:
        # Numbers stay numbers (neutralise touches text only), written plainly: 18, 0.08, -26, 108000000,
        # no trailing ".0"; suppressed values stay empty.
        neutralise(frame).to_csv(sys.stdout, index=False, float_format="%.12g")
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped early; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _ready_store() -> tuple[Settings, Catalog, Store]:
    """Settings, catalog and a store with the shipped data loaded: what every writing command starts from.

    The catalog is the one the app shows: with the indicators of uploads and the imported frameworks
    (and the regions their plan files define)."""
    from dashboard.catalog.stored import with_stored_frameworks

    settings = load_settings()
    catalog = load_catalog(geo_path=settings.geo_path)
    store = Store(settings.database_url)
    load_shipped_data(store, catalog)
    catalog, skipped = with_stored_frameworks(catalog.with_indicators(store.indicators()),
                                              store.active_framework_definitions())
    for line in skipped:
        print(f"Let op: {line}", file=sys.stderr)
    return settings, catalog, store


def _account(store: Store, raw: str | None, what: str) -> str | None:
    """The active account named by --door (normalised), or None after a Dutch message on stderr.

    The author of a dataset or framework is a named account (`gebruiker toevoegen`), never free text."""
    make = "maak het aan met `python -m dashboard gebruiker toevoegen NAAM`"
    if not raw or not raw.strip():
        print(f"--door: zeg welk account {what} (een account van de dashboard-gebruikers; {make}). "
              "Er is niets opgeslagen.", file=sys.stderr)
        return None
    name = normalise_name(raw)
    account = store.user(name) if name_problem(name) is None else None
    if account is None:
        print(f"--door: er is geen account ‘{raw.strip()[:80]}’; {make}. Er is niets opgeslagen.", file=sys.stderr)
        return None
    if account["status"] != "active":
        print(f"--door: het account ‘{name}’ is geblokkeerd. Er is niets opgeslagen.", file=sys.stderr)
        return None
    return name


def cmd_import(args: argparse.Namespace) -> int:
    settings, catalog, store = _ready_store()
    path = Path(args.file)
    if not path.is_file():
        print(f"Bestand {path} bestaat niet.", file=sys.stderr)
        return 2
    for option, field, value in (("--naam", "dataset_name", args.naam), ("--door", "login_name", args.door),
                                 ("--bron", "source", args.bron)):
        if problem := text_problem(field, value):
            print(f"{option}: {problem}. Er is niets opgeslagen.", file=sys.stderr)
            return 2
    plan = plan_import(path.name, path.read_bytes(), catalog, store, settings, args.bron or path.name)
    for notice in plan.notices:
        print(notice)
    if not plan.can_commit:
        print(f"{path.name} is niet ingelezen; er is niets opgeslagen.", file=sys.stderr)
        for message in plan.messages():
            print(f"- {message}", file=sys.stderr)
        return 1
    author = _account(store, args.door, "het bestand inleest")
    if author is None:
        return 2
    try:
        dataset_id = commit_import(plan, store, args.naam or path.stem, author)
    except DuplicateDatasetError as exc:  # the same file stored by another process meanwhile
        print(f"{path.name} is niet ingelezen; er is niets opgeslagen.", file=sys.stderr)
        print(f"- {exc}", file=sys.stderr)
        return 1
    summary = plan.summary()
    print(f"Dataset {dataset_id} opgeslagen: {summary['rijen']} cijfers, {summary['indicatoren']} indicatoren, "
          f"{summary['gebieden']} gebieden, {summary['perioden']} perioden.")
    if not plan.conflicts.empty:
        print(f"Let op: {len(plan.conflicts)} cijfers wijken af van eerder ingelezen cijfers; de nieuwe tellen nu.")
    return 0


def _read_password(prompt: str) -> str | None:
    """A new password: asked twice without echo on a terminal, else one line from stdin (for scripts)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(prompt)
    if getpass.getpass("Nogmaals: ") != first:
        print("De twee wachtwoorden zijn niet gelijk; er is niets veranderd.", file=sys.stderr)
        return None
    return first


def _new_password_hash(prompt: str) -> str | None:
    password = _read_password(prompt)
    if password is None:
        return None
    if problem := password_problem(password):
        print(problem, file=sys.stderr)
        return None
    return hash_password(password)


def cmd_password(_args: argparse.Namespace) -> int:
    stored = _new_password_hash("Gedeeld demowachtwoord: ")
    if stored is None:
        return 2
    print(f'staff_password_hash = "{stored}"')
    print("Dit wachtwoord werkt alleen met DASHBOARD_DEMO_LOGIN=1 (demo op een laptop); medewerkers krijgen een "
          "eigen account met `python -m dashboard gebruiker toevoegen NAAM`.", file=sys.stderr)
    return 0


def _cli_actor() -> str:
    """Who changes accounts, for the audit log: the operating-system user running the command."""
    try:
        return f"opdrachtregel ({getpass.getuser()})"
    except (KeyError, OSError):
        return "opdrachtregel"


def _account_store() -> Store:
    store, _threshold = _open_store()
    return store


def _account_name(raw: str) -> str | None:
    name = normalise_name(raw)
    if problem := name_problem(name):
        print(problem, file=sys.stderr)
        return None
    return name


def cmd_user_add(args: argparse.Namespace) -> int:
    name = _account_name(args.naam)
    if name is None:
        return 2
    store = _account_store()
    if store.user(name) is not None:
        print(f"Er is al een account ‘{name}’; een nieuw wachtwoord zet u met `gebruiker wachtwoord {name}`.",
              file=sys.stderr)
        return 1
    stored = _new_password_hash(f"Wachtwoord voor {name}: ")
    if stored is None:
        return 2
    store.add_user(name, stored, actor=_cli_actor())
    print(f"Account ‘{name}’ aangemaakt.")
    return 0


def cmd_user_list(_args: argparse.Namespace) -> int:
    users = _account_store().users()
    if users.empty:
        print("Er zijn nog geen accounts. Maak er een met `python -m dashboard gebruiker toevoegen NAAM`.")
        return 0
    for row in users.itertuples():
        status = "actief" if row.status == "active" else "geblokkeerd"
        last = "nog nooit ingelogd" if row.last_login is None or row.last_login != row.last_login else (
            f"laatst ingelogd {row.last_login:%d-%m-%Y %H:%M} UTC")
        print(f"{row.name}\t{status}\taangemaakt {row.created_at:%d-%m-%Y}\t{last}")
    return 0


def _change_user(args: argparse.Namespace, change: str) -> int:
    name = _account_name(args.naam)
    if name is None:
        return 2
    store = _account_store()
    if store.user(name) is None:
        print(f"Er is geen account ‘{name}’ (zie `python -m dashboard gebruiker lijst`).", file=sys.stderr)
        return 1
    if change == "wachtwoord":
        stored = _new_password_hash(f"Nieuw wachtwoord voor {name}: ")
        if stored is None:
            return 2
        store.set_user_password(name, stored, actor=_cli_actor())
        print(f"Nieuw wachtwoord voor ‘{name}’ opgeslagen.")
    else:
        store.set_user_status(name, "blocked" if change == "blokkeren" else "active", actor=_cli_actor())
        print(f"Account ‘{name}’ is {'geblokkeerd' if change == 'blokkeren' else 'weer vrijgegeven'}.")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    settings = load_settings()
    Path(args.out).write_bytes(build_template(load_catalog(geo_path=settings.geo_path)))
    print(f"Sjabloon geschreven naar {args.out}")
    return 0


def cmd_example(args: argparse.Namespace) -> int:
    settings = load_settings()
    catalog = load_catalog(geo_path=settings.geo_path)
    Path(args.out).write_bytes(build_example_export(catalog, args.gemeente))
    print(f"Voorbeelddata (fictief) voor {catalog.areas[args.gemeente].name} geschreven naar {args.out}")
    return 0


def _municipalities(raw: str, catalog: Catalog) -> list[str] | None:
    """Municipality codes from `--gemeenten` (a region code stands for its members); None, with a Dutch
    message on stderr, when a code is unknown."""
    codes: list[str] = []
    unknown: list[str] = []
    for code in (part.strip().upper() for part in raw.split(",") if part.strip()):
        area = catalog.areas.get(code)
        if area is None or area.level not in ("gemeente", "regio"):
            unknown.append(code)
        elif area.level == "regio":
            codes.extend(area.members)
        else:
            codes.append(code)
    if unknown:
        print("Onbekende gemeente- of regiocode(s): " + ", ".join(unknown) + ". Gebruik CBS-codes zoals "
              "GM0479 (zie het blad ‘gebieden’ van het sjabloon).", file=sys.stderr)
        return None
    return list(dict.fromkeys(codes))


def cmd_geo_download(args: argparse.Namespace) -> int:
    from dashboard.geo_download import (
        NEDERLAND_BBOX,
        NOORD_HOLLAND_BBOX,
        PDOK_URL,
        DownloadError,
        bbox_of,
        download,
    )
    from dashboard.net import OfflineError

    settings = load_settings()
    target = Path(args.map) if args.map else settings.geo_path
    if target is None:
        print("Geef met --map aan waar de grenzen moeten komen (en zet DASHBOARD_GEO_PATH daarop).",
              file=sys.stderr)
        return 2
    catalog = load_catalog(geo_path=settings.geo_path)
    bbox = NOORD_HOLLAND_BBOX
    if args.gemeenten:
        gemeenten = _municipalities(args.gemeenten, catalog)
        if gemeenten is None:
            return 2
        found = bbox_of(gemeenten, [target, settings.geo_path, SHIPPED_GEO_DIR])
        if found is None:
            print("Deze gemeente(n) staan nog in geen grenzenbestand; PDOK wordt gevraagd voor heel Nederland "
                  "(dat duurt langer).")
        bbox = found or NEDERLAND_BBOX
    else:
        gemeenten = [area.code for area in catalog.areas.values() if area.level == "gemeente"]
    try:
        report = download(target, gemeenten, year=args.jaar, base_template=args.bron or PDOK_URL, bbox=bbox,
                          keep_others=bool(args.gemeenten))
    except (OfflineError, DownloadError) as exc:
        print(f"De grenzen zijn niet opgehaald: {exc}", file=sys.stderr)
        print(f"De bestaande grenzen in {target} blijven ongewijzigd.", file=sys.stderr)
        return 1
    for line in report.lines():
        print(line)
    if settings.geo_path is None or target.resolve() != settings.geo_path.resolve():
        print(f"Zet DASHBOARD_GEO_PATH={target} om deze grenzen te gebruiken.")
    return 0


def cmd_cbs_refresh(args: argparse.Namespace) -> int:
    from dashboard.cbs import load_specs, refresh

    _settings, catalog, store = _ready_store()
    years = {str(year) for year in args.jaar} if args.jaar else None
    gemeenten = None
    if args.gemeenten:
        gemeenten = _municipalities(args.gemeenten, catalog)
        if gemeenten is None:
            return 2
    lines, complete = refresh(store, catalog, load_specs(catalog=catalog), years=years, base=args.bron,
                              gemeenten=gemeenten)
    for line in lines:
        print(line, file=sys.stdout if complete else sys.stderr)
    if any(" opgeslagen als dataset " in line for line in lines):
        print("Het dashboard toont de nieuwe cijfers bij de volgende weergave van een pagina.")
    return 0 if complete else 1


def cmd_framework_template(args: argparse.Namespace) -> int:
    from dashboard.ingest.framework_file import build_framework_workbook

    _settings, catalog, _store = _ready_store()
    Path(args.out).write_bytes(build_framework_workbook(catalog))
    print(f"Sjabloon voor een beleidskader geschreven naar {args.out}")
    return 0


def cmd_framework_import(args: argparse.Namespace) -> int:
    from dashboard.ingest.framework_upload import commit_framework, plan_framework_import, preview_pages

    settings, catalog, store = _ready_store()
    path = Path(args.file)
    if not path.is_file():
        print(f"Bestand {path} bestaat niet.", file=sys.stderr)
        return 2
    plan = plan_framework_import(path.name, path.read_bytes(), catalog, store, settings.upload_max_bytes)
    if not plan.can_commit or plan.parse.framework is None:
        print(f"{path.name} is niet ingelezen; er is niets opgeslagen.", file=sys.stderr)
        for message in plan.messages():
            print(f"- {message}", file=sys.stderr)
        return 1
    framework = plan.parse.framework
    for title, lines in preview_pages(framework, catalog):
        print(title)
        for line in lines:
            print(f"  {line}")
    for notice in [*plan.parse.notices, *([plan.replaces] if plan.replaces else [])]:
        print(f"Let op: {notice}")
    author = _account(store, args.door, "het kader inleest")
    if author is None:
        return 2
    row_id, version = commit_framework(plan, store, author)
    print(f"Kader {framework.id} (‘{framework.name}’) opgeslagen als versie {version} (nummer {row_id}), "
          f"met {len(framework.themes)} thema's en {len(framework.goals)} doelen.")
    return 0


def cmd_framework_export(args: argparse.Namespace) -> int:
    from dashboard.ingest.framework_file import build_framework_workbook

    _settings, catalog, _store = _ready_store()
    if args.id not in catalog.frameworks:
        print(f"Kader {args.id} bestaat niet; kies uit {', '.join(catalog.frameworks)}.", file=sys.stderr)
        return 2
    Path(args.out).write_bytes(build_framework_workbook(catalog, catalog.frameworks[args.id]))
    print(f"Kader {args.id} geschreven naar {args.out}")
    return 0


def cmd_framework_list(_args: argparse.Namespace) -> int:
    _settings, catalog, store = _ready_store()
    versions = store.framework_versions()
    stored = set(versions.loc[versions["status"] == "active", "framework_id"]) if not versions.empty else set()
    for framework in catalog.frameworks.values():
        origin = "ingelezen" if framework.id in stored else "meegeleverd"
        print(f"{framework.id}\t{framework.name}\t{origin}")
    for row in versions.itertuples():
        status = "actief" if row.status == "active" else "ingetrokken"
        print(f"  versie {row.version} van {row.framework_id} (nummer {row.id}): {status}, {row.file_name}, "
              f"door {row.created_by} op {row.created_at:%d-%m-%Y %H:%M}")
    return 0


def cmd_framework_status(args: argparse.Namespace) -> int:
    _settings, _catalog, store = _ready_store()
    status = "withdrawn" if args.kader_command == "intrekken" else "active"
    try:
        store.set_framework_version_status(args.nummer, status, actor=_cli_actor())
    except KeyError:
        print(f"Kaderversie {args.nummer} bestaat niet (zie python -m dashboard kader lijst).", file=sys.stderr)
        return 2
    print(f"Kaderversie {args.nummer} is {'ingetrokken' if status == 'withdrawn' else 'hersteld'}.")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    if args.schaal is None:
        from dashboard.bench import run

        return run()
    from dashboard import bench_scale

    try:
        figures = bench_scale.parse_scale(args.schaal)
    except ValueError:
        print(f"--schaal {args.schaal}: geef een aantal cijfers, bijvoorbeeld 125000, 125k of 1M.", file=sys.stderr)
        return 2
    return bench_scale.run(figures, browser=not args.zonder_browser)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard", description="Jeugddashboard: beheer van de gegevensopslag."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="maak de opslag aan en laad de gegevens uit data/").set_defaults(func=cmd_init)
    sub.add_parser(
        "export", help="alle actieve waarnemingen als CSV naar stdout"
    ).set_defaults(func=cmd_export)
    importer = sub.add_parser("import", help="lees een .xlsx- of .csv-bestand in als dataset (alles of niets)")
    importer.add_argument("file", help="het bestand")
    importer.add_argument("--naam", help="naam van de dataset (standaard de bestandsnaam)")
    importer.add_argument("--bron", help="bron voor regels zonder kolom bron")
    importer.add_argument("--door", help="het account (gebruiker toevoegen) dat het bestand inleest; verplicht")
    importer.set_defaults(func=cmd_import)
    template = sub.add_parser("sjabloon", help="schrijf het Excel-sjabloon voor uploads")
    template.add_argument("out", help="bestandsnaam, bijvoorbeeld sjabloon.xlsx")
    template.set_defaults(func=cmd_template)
    example = sub.add_parser("voorbeeld", help="schrijf een fictieve export per wijk (voorbeelddata)")
    example.add_argument("out", help="bestandsnaam, bijvoorbeeld voorbeeld.xlsx")
    example.add_argument("--gemeente", default="GM0375", help="gemeentecode (standaard GM0375 Beverwijk)")
    example.set_defaults(func=cmd_example)
    geo = sub.add_parser("geo", help="gebiedsgrenzen van CBS/PDOK").add_subparsers(dest="geo_command", required=True)
    geo_download = geo.add_parser("download", help="haal de actuele wijk- en gemeentegrenzen op bij PDOK")
    geo_download.add_argument("--jaar", type=int, help="jaar van de grenzen (standaard het nieuwste bij PDOK)")
    geo_download.add_argument("--map", help="map om in te schrijven (standaard DASHBOARD_GEO_PATH)")
    geo_download.add_argument("--gemeenten", help="gemeente- of regiocodes met komma's, bijv. GM0479; alleen hun "
                              "wijken worden opgehaald en toegevoegd, de wijken van andere gemeenten blijven staan "
                              "(standaard: alle gemeenten in Noord-Holland)")
    geo_download.add_argument("--bron", help="adres van de dienst, met {jaar} (standaard PDOK)")
    geo_download.set_defaults(func=cmd_geo_download)
    cbs = sub.add_parser("cbs", help="cijfers van CBS StatLine").add_subparsers(dest="cbs_command", required=True)
    cbs_refresh = cbs.add_parser("refresh", help="haal de CBS-tabellen uit data/cbs/tabellen.yaml opnieuw op")
    cbs_refresh.add_argument("--jaar", type=int, action="append", help="alleen dit jaar (herhaalbaar)")
    cbs_refresh.add_argument("--bron", help="adres van één OData-dienst voor alle tabellen "
                             "(standaard die van elke tabel, meestal opendata.cbs.nl)")
    cbs_refresh.add_argument("--gemeenten", help="alleen deze gemeente- of regiocodes (met komma's, bijv. "
                             "GM0479) en hun wijken; de cijfers van andere gemeenten blijven staan")
    cbs_refresh.set_defaults(func=cmd_cbs_refresh)
    framework_template = sub.add_parser("kader-sjabloon", help="schrijf het Excel-sjabloon voor een beleidskader")
    framework_template.add_argument("out", help="bestandsnaam, bijvoorbeeld kader.xlsx")
    framework_template.set_defaults(func=cmd_framework_template)
    kader = sub.add_parser("kader", help="beleidskaders uit een Excel-bestand (sjabloon)").add_subparsers(
        dest="kader_command", required=True)
    kader_import = kader.add_parser("import", help="lees een beleidskader in (alles of niets)")
    kader_import.add_argument("file", help="het ingevulde sjabloon (.xlsx)")
    kader_import.add_argument("--door", help="het account (gebruiker toevoegen) dat het kader inleest; verplicht")
    kader_import.set_defaults(func=cmd_framework_import)
    kader_export = kader.add_parser("export", help="schrijf een beleidskader in het sjabloon")
    kader_export.add_argument("id", help="id van het kader, bijvoorbeeld ijmond-2023-2027")
    kader_export.add_argument("out", help="bestandsnaam, bijvoorbeeld kader.xlsx")
    kader_export.set_defaults(func=cmd_framework_export)
    kader.add_parser("lijst", help="alle kaders en ingelezen versies").set_defaults(func=cmd_framework_list)
    for action, what in (("intrekken", "trek een ingelezen kaderversie in"),
                         ("herstellen", "herstel een ingetrokken kaderversie")):
        status = kader.add_parser(action, help=what)
        status.add_argument("nummer", type=int, help="nummer van de versie (zie kader lijst)")
        status.set_defaults(func=cmd_framework_status)
    bench = sub.add_parser("bench", help="meet snelheid en geheugen en druk de cijfers af")
    bench.add_argument("--schaal", help="meet op schaal: zoveel fictieve cijfers (bijvoorbeeld 125k of 1M) in een "
                       "tijdelijke opslag, elke pagina, geheugen, import en (met chromium) de browser")
    bench.add_argument("--zonder-browser", action="store_true", help="met --schaal: sla de browsermeting over")
    bench.set_defaults(func=cmd_bench)
    users = sub.add_parser("gebruiker", help="accounts van medewerkers (inloggen zonder OIDC)").add_subparsers(
        dest="user_command", required=True)
    user_add = users.add_parser("toevoegen", help="maak een account; vraagt het wachtwoord twee keer (of leest "
                                "één regel van stdin)")
    user_add.add_argument("naam", help="accountnaam: kleine letters, cijfers en . _ @ -")
    user_add.set_defaults(func=cmd_user_add)
    users.add_parser("lijst", help="alle accounts met status en laatste login").set_defaults(func=cmd_user_list)
    for change, text_ in (("blokkeren", "blokkeer een account (het blijft bewaard als auteur)"),
                          ("vrijgeven", "geef een geblokkeerd account weer vrij"),
                          ("wachtwoord", "zet een nieuw wachtwoord voor een account")):
        command = users.add_parser(change, help=text_)
        command.add_argument("naam", help="accountnaam")
        command.set_defaults(func=lambda args, change=change: _change_user(args, change))
    sub.add_parser(
        "wachtwoord", help="maak de hash van het gedeelde demowachtwoord (alleen met DASHBOARD_DEMO_LOGIN=1)"
    ).set_defaults(func=cmd_password)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except CatalogError as exc:
        print(f"Fout in de gegevensbestanden: {exc}", file=sys.stderr)
        return 2
    except SettingsError as exc:
        print(f"Fout in de instellingen: {exc}", file=sys.stderr)
        return 2
    except OperationalError:
        print("De database uit de instelling DASHBOARD_DATABASE_URL is niet bereikbaar of weigert de verbinding. "
              "Controleer de URL en of de databaseserver draait.", file=sys.stderr)
        return 2
