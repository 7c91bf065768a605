"""Priorities and scenarios in a real browser: set a weight, build a scenario, see the map and new rank."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="app_state.wijkbeeld_map"]'
SCREENSHOT_DIR = Path(os.environ.get("WIJKBEELD_SCREENSHOTS", "/tmp"))


def _settle(page) -> None:
    page.wait_for_timeout(400)  # let a widget change reach the server before waiting for the run
    wait_for_app(page)


def _drawn_map(page, *, first: bool = False, timeout_s: float = 90):
    """The (first or last) map once it has drawn its areas: scrolled to, as a user would, and looked up
    again while waiting, since a rerun may replace the iframe (even while it is being scrolled to: then
    Playwright says the element is no longer attached, a TimeoutError's sibling)."""
    deadline = time.monotonic() + timeout_s
    while True:
        element = page.locator(MAP_FRAME).first if first else page.locator(MAP_FRAME).last
        frame = page.frame_locator(MAP_FRAME).first if first else page.frame_locator(MAP_FRAME).last
        try:
            element.scroll_into_view_if_needed(timeout=5_000)
            frame.locator("body[data-ready] path.leaflet-interactive").first.wait_for(timeout=5_000)
            return frame
        except PlaywrightError:
            if time.monotonic() > deadline:
                raise


def _choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label`` (type to filter, click the option)."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.locator("input").click()
    box.locator("input").fill(option)
    page.get_by_role("option", name=option).first.click()
    _settle(page)


def test_weights_scenario_difference_map_and_new_rank(page, app_url):
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))  # a script error in a map is a failure
    page.goto(f"{app_url}/prioriteiten")
    wait_for_app(page)
    page.get_by_text("keer verstoord").wait_for(timeout=90_000)

    # Weigh benefit recipients heavily: 10 instead of 1.
    slider = page.locator('[data-testid="stSlider"]').filter(has_text="Gewicht: Bijstand per 1.000 inwoners")
    thumb = slider.locator('[data-testid="stSliderThumbValue"]')
    slider.get_by_role("slider").focus()
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    _settle(page)
    assert thumb.inner_text() == "9,5"  # a Dutch decimal comma, not Streamlit's "9.50"
    slider.get_by_role("slider").focus()
    page.keyboard.press("End")
    _settle(page)
    assert thumb.inner_text() == "10"
    ranking_map = _drawn_map(page, first=True)
    assert ranking_map.locator(".wb-legend").inner_text().startswith("Prioriteitsscore")

    # The other tabs are computed when opened; the map hidden on the way draws no NaN errors.
    page.get_by_role("tab", name="Opbouw van een score").click()
    page.get_by_text(re.compile(r"Rang \d+ van \d+")).wait_for()
    page.get_by_role("tab", name="Rangorde en kaart").click()
    _drawn_map(page, first=True)
    assert errors == []

    # The scenario page, in the same session (sidebar link), picks up this weighting.
    page.locator('[data-testid="stSidebar"] a[href$="/scenarios"]').click()
    wait_for_app(page)
    page.get_by_text("Maatregel toevoegen").wait_for(timeout=60_000)
    page.get_by_text("Directe aanname op een indicator").click()
    _settle(page)
    _choose(page, "Gebied", "Buurt: Twekkelerveld (BU01530301)")
    _choose(page, "Indicator", "Bijstand per 1.000 inwoners")
    page.get_by_text("nieuwe waarde").click()
    page.get_by_role("textbox", name="Waarde", exact=True).fill("0")
    page.get_by_role("button", name="Toevoegen").click()
    _settle(page)
    page.get_by_text("Maatregel 1: Directe aanname op een indicator — Twekkelerveld (BU01530301)").wait_for()
    page.get_by_text("Bijstand per 1.000 inwoners wordt 0 in elke buurt van Twekkelerveld (BU01530301)").wait_for()

    # Difference map: Twekkelerveld coloured, over all 70 baseline outlines.
    page.get_by_role("tab", name="Verschilkaart").click()
    difference = _drawn_map(page)
    legend = difference.locator(".wb-legend").inner_text()
    assert legend.startswith("Verschil: ")
    assert "geen verandering" in legend and "geen maatregel in deze buurt" in legend
    assert difference.locator("path.leaflet-interactive").count() == 70  # every buurt, one coloured
    difference.locator(".wb-label-wijk").nth(4).wait_for(timeout=20_000)  # with names: at least five wijken
    assert errors == []  # e.g. Leaflet's "Invalid LatLng (NaN, NaN)" from a map built in a closed tab

    # The priority index re-run with the weighting from the priorities page: Twekkelerveld drops.
    page.get_by_role("tab", name="Prioriteiten opnieuw").click()
    weighting = page.locator('[data-testid="stSelectbox"]').filter(has_text="Weging").first
    shown = weighting.inner_text() + weighting.locator("input").input_value()
    assert "Huidige weging van de pagina Prioriteiten" in shown, shown
    metric = page.locator('[data-testid="stMetric"]').filter(has_text="Rang Twekkelerveld")
    metric.wait_for()
    new_rank = int(metric.locator('[data-testid="stMetricValue"]').inner_text())
    delta = metric.locator('[data-testid="stMetricDelta"]').inner_text()
    assert re.search(r"-\s*\d+", delta), delta  # fewer places towards rank 1: the buurt needs less attention now
    assert new_rank > int(re.search(r"\d+", delta).group()) - 100  # a real number was shown
    page.wait_for_timeout(1000)
    page.screenshot(path=str(SCREENSHOT_DIR / "scenario_new_rank.png"), full_page=True)
