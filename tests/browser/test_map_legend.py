"""The map legends on Wijken show every label whole, at 1920x1080 and in presentation mode."""

from __future__ import annotations

import pytest

from .conftest import screenshot
from .test_presentation import main_height, settle, wait_for_app

pytestmark = pytest.mark.browser

# Per legend line: its text, and what of it is cut off (wider than its box, or past its column or the screen).
LEGEND_LINES = """() => [...document.querySelectorAll('.kaartlegenda p, .kaartlegenda li')].map((line) => {
  const column = line.closest("[data-testid='stColumn']") || document.querySelector("[data-testid='stMain']");
  const box = line.getBoundingClientRect(), bounds = column.getBoundingClientRect();
  const cut = [...line.querySelectorAll('*'), line].some((el) => el.scrollWidth > el.clientWidth + 1);
  return {text: line.innerText.trim(), cut,
          outside: box.right > bounds.right + 1 || box.left < bounds.left - 1 || box.right > window.innerWidth,
          visible: box.width > 0 && box.height > 0};
})"""


def legend_problems(page, view: str) -> tuple[list[str], list[dict]]:
    lines = page.evaluate(LEGEND_LINES)
    problems = [f"{view}: {line['text']!r} " + ("afgekapt" if line["cut"] else "buiten de kolom")
                for line in lines if line["cut"] or line["outside"] or "…" in line["text"] or not line["visible"]]
    return problems, lines


@pytest.mark.parametrize("query", ["vergelijk=indicatoren", "vergelijk=perioden", "vergelijk=gemeenten"])
def test_every_map_legend_label_is_shown_whole(app_url, page, query: str) -> None:
    """Both wijk maps and the province map: each legend line fits its column, nothing ends in an ellipsis,
    and the unit is said once in the title ('Legenda (per 1.000 inwoners)') instead of on every line."""
    page.goto(f"{app_url}/wijken?gemeente=GM0375&{query}")
    wait_for_app(page)
    page.locator(".kaartlegenda").last.scroll_into_view_if_needed()
    screenshot(page, f"legenda_{query.split('=')[1]}")
    problems, lines = legend_problems(page, query)
    legends = page.locator(".kaartlegenda").count()
    assert legends >= 2, legends  # wijken (one shared legend or one per map) and the province
    texts = [line["text"] for line in lines]
    assert texts.count("te klein om te tonen of ter bescherming verborgen") == legends, texts
    assert all(t.startswith("Legenda (") for t in texts if t.startswith("Legenda")), texts
    assert sum(t.startswith("Legenda (") for t in texts) == legends, texts
    assert not any("per 1.000 –" in t for t in texts), texts  # the unit no longer on every line
    assert not problems, "\n".join(problems)


def test_map_legends_are_whole_in_presentation_mode(app_url, page) -> None:
    """On the big screen (24 px type) the legends of both steps (wijken, province) still fit, and so does the
    step: a legend that wraps below its map pushes the step bar off the 1080 px screen."""
    page.goto(f"{app_url}/wijken?weergave=presentatie&gemeente=GM0375&vergelijk=indicatoren")
    wait_for_app(page)
    settle(page)
    screenshot(page, "legenda_presentatie_wijken")
    problems, lines = legend_problems(page, "presentatie stap 1")
    assert page.locator(".kaartlegenda").count() == 2 and lines
    font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.kaartlegenda li')).fontSize)")
    assert font >= 22, font  # read from the back of the room
    assert main_height(page) <= 1080, main_height(page)
    page.locator(".st-key-dia_volgende button").click()
    page.get_by_text("dia 2 van 2").first.wait_for(timeout=30_000)
    settle(page)
    screenshot(page, "legenda_presentatie_provincie")
    more, lines = legend_problems(page, "presentatie stap 2")
    assert page.locator(".kaartlegenda").count() == 1 and lines
    assert main_height(page) <= 1080, main_height(page)
    assert not problems + more, "\n".join(problems + more)
