"""The author of an import from the command line is a named account (gebruiker toevoegen), never free text."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import cli
from dashboard.store import Store

from .test_accounts import cheap_hash

FIGURES = "indicator,gebied,periode,waarde,bron\novergewicht_5_14_pct,Velsen,2023,14.0,Test\n"


def uploads(url: str) -> list[str]:
    datasets = Store(url).datasets()
    return datasets.loc[datasets["kind"] == "upload", "created_by"].tolist()


@pytest.fixture
def figures(app_env: str, tmp_path: Path) -> Path:
    path = tmp_path / "cijfers.csv"
    path.write_text(FIGURES, encoding="utf-8")
    return path


def test_import_without_an_account_or_with_a_typed_name_is_refused(app_env: str, figures: Path, capsys) -> None:
    assert cli.main(["import", str(figures)]) == 2
    assert "--door: zeg welk account het bestand inleest" in capsys.readouterr().err
    assert cli.main(["import", str(figures), "--door", "Marieke"]) == 2
    err = capsys.readouterr().err
    assert "--door: er is geen account ‘Marieke’; maak het aan met `python -m dashboard gebruiker toevoegen" in err
    assert "Er is niets opgeslagen." in err
    assert uploads(app_env) == []


def test_import_by_a_blocked_account_is_refused_and_by_an_active_one_is_stored_under_its_name(
        app_env: str, figures: Path, capsys) -> None:
    store = Store(app_env)
    store.create_schema()
    store.add_user("marieke", cheap_hash())
    store.add_user("jan", cheap_hash())
    store.set_user_status("jan", "blocked")
    assert cli.main(["import", str(figures), "--door", "jan"]) == 2
    assert "het account ‘jan’ is geblokkeerd" in capsys.readouterr().err
    assert uploads(app_env) == []
    assert cli.main(["import", str(figures), "--door", " Marieke "]) == 0, capsys.readouterr()
    assert uploads(app_env) == ["marieke"]
    log = Store(app_env).audit_log()
    assert ((log["actor"] == "marieke") & (log["action"] == "dataset ingelezen")).any()


def test_a_framework_import_names_an_account_like_a_data_import(app_env: str, tmp_path: Path, capsys) -> None:
    path = tmp_path / "kader.xlsx"
    assert cli.main(["kader", "export", "ijmond-2023-2027", str(path)]) == 0
    capsys.readouterr()
    # Without --door: refused (no longer the operating-system user), nothing stored.
    assert cli.main(["kader", "import", str(path)]) == 2
    assert "--door: zeg welk account het kader inleest" in capsys.readouterr().err
    assert cli.main(["kader", "import", str(path), "--door", "Fatima"]) == 2
    err = capsys.readouterr().err
    assert "--door: er is geen account ‘Fatima’" in err and "Er is niets opgeslagen." in err
    store = Store(app_env)
    store.add_user("jan", cheap_hash())
    store.set_user_status("jan", "blocked")
    assert cli.main(["kader", "import", str(path), "--door", "jan"]) == 2
    assert "het account ‘jan’ is geblokkeerd" in capsys.readouterr().err
    assert Store(app_env).framework_versions().empty
    assert not (Store(app_env).audit_log()["action"] == "kader ingelezen").any()
    store.add_user("fatima", cheap_hash())
    assert cli.main(["kader", "import", str(path), "--door", "Fatima"]) == 0, capsys.readouterr()
    assert Store(app_env).framework_versions()["created_by"].tolist() == ["fatima"]
    log = Store(app_env).audit_log()
    assert log.loc[log["action"] == "kader ingelezen", "actor"].tolist() == ["fatima"]
