"""Every parameter of a link falls back with a Dutch notice, never an exception and never silently."""

from __future__ import annotations

import re

import pytest

from dashboard.catalog.models import Catalog
from dashboard.markdown_text import escape
from dashboard.presentations import slides_from_tokens

from .conftest import open_page, open_theme, run_app

OWN = {"weergave": "presentatie", "presentatie": "eigen"}


def infos(at) -> list[str]:
    """The notices as a reader sees them (a notice quotes the link escaped, so it shows as typed)."""
    return [re.sub(r"\\(.)", r"\1", str(i.value)).replace("\u2060", "") for i in at.info]


def test_a_link_with_markup_gets_its_notice_as_text(app_env) -> None:
    token = "[klik](https://x.example) ![x](https://x.example/p.png) :red[ROOD] <b>vet</b>"
    at = open_page(run_app({**OWN, "dia": token}), "app_pages/presentatie.py")
    assert not at.exception, at.exception
    assert f"De dia ‘{escape(token)}’ uit de link bestaat niet (meer) en is overgeslagen." in [i.value for i in at.info]


@pytest.mark.parametrize("token", ["trend:bestaat_niet", "grens:", "grens:bestaat_niet", "doelen:talent",
                                   "onzin"])
def test_an_unknown_slide_in_the_link_is_skipped_with_a_notice(app_env, token: str) -> None:
    at = open_page(run_app({**OWN, "dia": token, "kader": "alkmaar-2025"}), "app_pages/presentatie.py")
    assert not at.exception, at.exception
    assert f"De dia ‘{token}’ uit de link bestaat niet (meer) en is overgeslagen." in infos(at)


def test_the_known_slides_of_a_link_are_still_shown(app_env) -> None:
    at = open_page(run_app({**OWN, "dia": ["trend:bestaat_niet", "trend:overgewicht_5_14_pct"]}),
                   "app_pages/presentatie.py")
    assert not at.exception, at.exception
    assert any("trend:bestaat_niet" in text for text in infos(at))
    assert "dia 1 van 1" in "\n".join(m.value for m in at.markdown)


def test_slides_from_tokens_separates_known_from_unknown(catalog: Catalog) -> None:
    slides, unknown = slides_from_tokens(["trend:overgewicht_5_14_pct", "kaart:", "grens:x", "trend"], catalog,
                                         None)
    assert [s.token for s in slides] == ["trend:overgewicht_5_14_pct"]
    assert unknown == ["kaart:", "grens:x", "trend"]


@pytest.mark.parametrize(("page", "query", "notice"), [
    ("app_pages/vergelijken.py", {"indicator": "bestaatniet"},
     "De keuze ‘bestaatniet’ voor ‘indicator’ in de link bestaat niet (meer); de standaard wordt getoond."),
    ("app_pages/wijken.py", {"nh_indicator": "zzz"},
     "De keuze ‘zzz’ voor ‘nh_indicator’ in de link bestaat niet (meer); de standaard wordt getoond."),
    ("app_pages/hefboom_kpi.py", {"status": "onzin"},
     "De link bevat ‘status=onzin’; die keuze kent deze pagina niet en is genegeerd."),
    ("app_pages/hefboom_kpi.py", {"kpi_gebied": "GM9999"},
     "De keuze ‘GM9999’ voor ‘kpi_gebied’ in de link bestaat niet (meer); de standaard wordt getoond."),
])
def test_an_unknown_choice_on_a_page_gives_a_notice(app_env, page: str, query: dict, notice: str) -> None:
    at = open_page(run_app(query), page)
    assert not at.exception, at.exception
    assert notice in infos(at)


def test_known_parameters_give_no_notice(app_env) -> None:
    at = open_page(run_app({"kader": "ijmond-2018-2021", "gemeente": "GM0453", "indicator": "overgewicht_5_14_pct"}),
                   "app_pages/vergelijken.py")
    assert not [text for text in infos(at) if "link" in text]


def test_a_theme_page_of_another_framework_says_so(app_env) -> None:
    at = open_theme(run_app({"kader": "alkmaar-2025"}), "opgroeiklimaat")
    assert not at.exception, at.exception
    assert ("De pagina ‘thema-opgroeiklimaat’ uit de link hoort bij het beleidskader IJmond 2018-2021, niet bij "
            "het gekozen kader; het Overzicht wordt getoond.") in infos(at)
    assert at.title[0].value == "Overzicht"
