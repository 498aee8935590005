"""Shared links between browsers, presentation mode on a 1920x1080 screen, contrast and keyboard."""

from __future__ import annotations

import json
import re

import pytest

from .conftest import ARTIFACTS, screenshot

pytestmark = pytest.mark.browser

PAGES = ["", "thema-opgroeiklimaat", "thema-gezonde-levensstijl", "thema-talent", "thema-veilige-omgeving",
         "thema-passende-jeugdhulp", "hefboom_cultuur", "hefboom_regels", "hefboom_kpi", "hefboom_leren",
         "vergelijken", "wijken", "gegevens", "bronnen", "presentatie"]
PRESENTATION = "presentatie?weergave=presentatie&presentatie=raadsavond-ijmond&kader=ijmond-2018-2021&gemeente=GM0375"

CONTRAST = """(selector) => {
  const lum = (rgb) => {
    const [r, g, b] = rgb.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map((c) => {
      c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const el = document.querySelector(selector);
  if (!el) return null;
  const fg = lum(getComputedStyle(el).color);
  const bg = lum(getComputedStyle(document.querySelector('[data-testid="stMain"]')).backgroundColor
                 .replace('rgba(0, 0, 0, 0)', 'rgb(255, 255, 255)'));
  return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
}"""


def wait_for_app(page) -> None:
    """The page's title is there and the script has finished (no 'Running' status left)."""
    page.wait_for_selector("h1", timeout=60_000)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=60_000)
    page.wait_for_timeout(1500)  # charts and maps draw after the script has finished


def wait_for_step(page, step: int) -> None:
    page.get_by_text(f"dia {step} van 6").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1500)  # the rerun finishes: the buttons are live again


def slide_title(page) -> str:
    return page.locator("h1").first.inner_text()


def accessibility_report(page, name: str) -> list[str]:
    """axe-core on the page as shown; the report is kept beside the screenshot; returns the serious and
    critical violations and skipped heading levels (rule, impact, how many elements)."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.axe.json").write_text(json.dumps(result.response["violations"], indent=1))
    return [f"{v['id']} ({v['impact']}): {len(v['nodes'])} × {v['nodes'][0]['target']}"
            for v in result.response["violations"]
            if v["impact"] in ("serious", "critical") or v["id"] == "heading-order"]


CONTROLS = ("[data-testid='stSelectbox'], [data-testid='stMultiSelect'], [data-testid='stToggle'], "
            "[data-testid='stTextInput'], [data-testid='stDownloadButton'], [data-testid='stFileUploader'], "
            "[data-testid='stSegmentedControl'], [data-testid='stPopover'], [data-testid='stExpander']")


def settle(page) -> None:
    """The rerun has finished and the elements of the previous view are gone (one 'Verlaten' left)."""
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=60_000)
    page.wait_for_function("document.querySelectorAll('.st-key-dia_verlaten button').length <= 1",
                           timeout=30_000)
    page.wait_for_timeout(1000)


def main_height(page) -> int:
    return page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")


def check_pages(app_url: str, page, paths: list[str], query: str, prefix: str = "") -> list[str]:
    """Every page: a screenshot and an axe report per mode; on the big screen every step fits 1920x1080 and
    shows no controls. Returns what is wrong (nothing when all is well)."""
    problems: list[str] = []
    for path in paths:
        name = prefix + (re.sub(r"[^a-z0-9]+", "_", path) or "overzicht")
        joiner = "&" if "?" in path else "?"
        page.goto(f"{app_url}/{path}{joiner}{query}")
        wait_for_app(page)
        assert page.locator("[data-testid='stSidebar']").is_visible(), path
        screenshot(page, f"standaard_{name}")
        problems += [f"standaard/{path}: {v}" for v in accessibility_report(page, f"standaard_{name}")]

        page.goto(f"{app_url}/{path}{joiner}weergave=presentatie&{query}")
        wait_for_app(page)
        settle(page)
        sidebar = page.locator("[data-testid='stSidebar']")
        assert sidebar.count() == 0 or not sidebar.is_visible(), path
        step = 1
        while True:
            label = f"presentatie_{name}" + (f"_stap_{step}" if step > 1 else "")
            screenshot(page, label)
            if main_height(page) > 1080:
                problems.append(f"presentatie/{path} stap {step}: {main_height(page)} px hoog")
            if page.locator(CONTROLS).count():
                problems.append(f"presentatie/{path} stap {step}: {page.locator(CONTROLS).count()} bedieningselementen")
            problems += [f"presentatie/{path} stap {step}: {v}" for v in accessibility_report(page, label)]
            forward = page.locator(".st-key-dia_volgende button")
            if forward.count() == 0 or forward.is_disabled():
                break
            forward.click()
            step += 1
            try:
                page.get_by_text(re.compile(f"dia {step} van \\d+")).first.wait_for(timeout=30_000)
            except Exception:
                problems.append(f"presentatie/{path} stap {step}: verschijnt niet")
                screenshot(page, f"{label}_fout")
                break
            settle(page)
        assert page.locator(".st-key-dia_verlaten button").count() == 1, path  # every page has its way out
    return problems


@pytest.mark.timeout(1800)  # about a hundred views, each with a screenshot and an axe-core run
def test_every_page_in_both_modes_at_1920x1080_with_axe_core(app_url, page) -> None:
    """Every page: a screenshot and an axe report per mode, no serious or critical violation (nor a skipped
    heading level). On the big screen every step of every page fits 1920x1080 and shows no controls."""
    problems = check_pages(app_url, page, PAGES, "gemeente=GM0375")
    assert not problems, "\n".join(problems)


OTHER_FRAMEWORKS = {  # the frameworks main added after IJmond's: their theme pages, levers and own presentation
    "transformatieplan-2018-2020": ("GM0453", ["thema-al1-toegang", "thema-al2-thuis", "thema-al3-ontwikkelen",
                                               "thema-al4-zelfstandig", "thema-al5-beschermen",
                                               "thema-al6-vakmanschap", "", "hefboom_leren",
                                               "presentatie?presentatie=transformatieplan-2018-2020"]),
    "alkmaar-2025": ("GM0361", ["thema-wat-valt-op", "thema-sterke-sociale-basis", "thema-stevig-lokaal-team",
                                "thema-specialistische-zorg", "thema-duurzaam-betaalbaar", "", "hefboom_cultuur",
                                "hefboom_leren", "presentatie?presentatie=raadsavond-alkmaar"]),
}


@pytest.mark.timeout(1500)
@pytest.mark.parametrize("framework_id", list(OTHER_FRAMEWORKS))
def test_the_other_frameworks_pages_in_both_modes_with_axe_core(app_url, page, framework_id: str) -> None:
    code, paths = OTHER_FRAMEWORKS[framework_id]
    problems = check_pages(app_url, page, paths, f"kader={framework_id}&gemeente={code}",
                           prefix=framework_id.split("-")[0] + "_")
    assert not problems, "\n".join(problems)


def test_leaving_presentation_mode_keeps_kader_and_gemeente_in_the_same_tab(app_url, page) -> None:
    page.goto(f"{app_url}/presentatie?weergave=presentatie&presentatie=regiovisie-2021&kader=regiovisie-2021"
              "&gemeente=GM0453&stap=2")
    wait_for_app(page)
    settle(page)
    page.locator(".st-key-dia_verlaten button").click()
    page.wait_for_url(lambda url: "weergave" not in url, timeout=30_000)
    wait_for_app(page)
    assert len(page.context.pages) == 1  # no new tab
    assert page.locator("[data-testid='stSidebar']").is_visible()
    assert page.locator("h1").first.inner_text() == "Presenteren"
    assert "kader=regiovisie-2021" in page.url and "gemeente=GM0453" in page.url
    choices = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']")
    shown = [choices.nth(i).locator("input").input_value() or choices.nth(i).inner_text() for i in (0, 1)]
    assert "Regiovisie" in shown[0] and "Velsen" in shown[1], shown
    screenshot(page, "verlaten_zelfde_tab")


def test_caption_text_meets_wcag_aa_contrast_in_both_modes(app_url, page) -> None:
    for query in ("", "?weergave=presentatie"):
        page.goto(f"{app_url}/vergelijken{query}")
        wait_for_app(page)
        ratio = page.evaluate(CONTRAST, "[data-testid='stCaptionContainer'] p")
        assert ratio is not None and ratio >= 4.5, (query, ratio)
        body = page.evaluate(CONTRAST, "[data-testid='stMarkdownContainer'] p")
        assert body >= 4.5, (query, body)


def test_presentation_steps_with_arrow_keys_and_the_step_is_in_the_url(app_url, page) -> None:
    page.goto(f"{app_url}/{PRESENTATION}&stap=1")
    wait_for_app(page)
    first = slide_title(page)
    assert page.get_by_text("dia 1 van 6").first.is_visible()
    screenshot(page, "presentatie_dia_1")
    page.locator("h1").first.click()  # focus the page, not a control
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"stap=2"), timeout=30_000)
    wait_for_step(page, 2)
    assert slide_title(page) == "Jeugdigen hebben een gezonde levensstijl" != first
    screenshot(page, "presentatie_dia_2")
    page.keyboard.press("PageDown")  # a presenter's clicker
    wait_for_step(page, 3)
    page.keyboard.press("ArrowLeft")
    wait_for_step(page, 2)
    # The buttons work with the keyboard too: focus "Volgende" and press Enter.
    page.locator(".st-key-dia_volgende button").focus()
    page.keyboard.press("Enter")
    wait_for_step(page, 3)
    # The step link opens the same slide in another browser.
    other = page.context.browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    other.goto(page.url)
    wait_for_app(other)
    assert slide_title(other) == slide_title(page)
    other.context.close()


def test_a_shared_link_shows_the_same_view_in_a_fresh_browser(app_url, page) -> None:
    page.goto(f"{app_url}/vergelijken?gemeente=GM0453&indicator=maatregel_pct")
    wait_for_app(page)
    page.get_by_text("Toon als tabel").first.click()
    page.wait_for_url(re.compile(r"tabel=vergelijken_maatregel_pct"), timeout=30_000)
    page.get_by_text("Deel deze weergave").first.click()
    link = page.locator("[data-testid='stCode'] code").first.inner_text().strip()
    assert link.startswith(app_url + "/vergelijken?") and "tabel=vergelijken_maatregel_pct" in link
    screenshot(page, "deel_deze_weergave")

    fresh = page.context.browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    fresh.goto(link)
    wait_for_app(fresh)
    assert fresh.locator("h2", has_text="Jeugdigen met een kinderbeschermingsmaatregel").first.is_visible()
    assert "gemeente=GM0453" in fresh.url
    assert fresh.locator("[data-testid='stDataFrame']").first.is_visible()  # shown as a table, as shared
    assert fresh.get_by_role("switch", name="Toon als tabel").first.is_checked()
    fresh.context.close()
