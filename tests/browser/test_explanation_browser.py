"""The explanation of an indicator opens from the map legend in a real browser."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from enschede_gis.indicators import load_catalogue
from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="app_state.wijkbeeld_map"]'
SCREENSHOT_DIR = Path(os.environ.get("WIJKBEELD_SCREENSHOTS", "/tmp"))


@pytest.mark.parametrize(("lang", "button"), [("nl", "Uitleg"), ("en", "Explanation")])
def test_explanation_opens_from_the_map_legend(page, app_url, lang, button):
    indicator = load_catalogue()["woz_waarde"]
    page.goto(f"{app_url}/kaart?niveau=buurt&jaar=2023&indicator=woz_waarde&lang={lang}")
    wait_for_app(page)
    frame = page.frame_locator(MAP_FRAME)
    legend = frame.locator(".wb-legend")
    legend.wait_for(timeout=60_000)
    assert legend.inner_text().startswith(indicator.label(lang))

    page.get_by_role("button", name=button).click()
    body = page.locator('[data-testid="stPopoverBody"]')
    body.wait_for(timeout=30_000)
    # the popover's content is drawn when it opens (a rerun of its own fragment): wait for its last part
    expect(body).to_contain_text(indicator.caveat(lang), timeout=30_000)
    text = " ".join(body.inner_text().split())
    assert indicator.explanation(lang)[:80] in text  # what it measures, in plain words
    assert indicator.caveat(lang) in text  # and what it does not tell you
    assert "2023" in text  # the year of the figure shown
    page.screenshot(path=str(SCREENSHOT_DIR / f"uitleg_kaart_{lang}.png"), full_page=True)
