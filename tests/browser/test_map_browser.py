"""The map explorer in a real browser with no internet: 70 buurten drawn, a click opens the panel."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from enschede_gis import boundaries, settings, snapshot
from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
SCREENSHOT_DIR = Path(os.environ.get("WIJKBEELD_SCREENSHOTS", "/tmp"))


def _inside_point(code: str) -> tuple[float, float]:
    """(lat, lng) of a point certainly inside the buurt, as the browser sees it."""
    snap = snapshot.load(settings.DATA_DIR)
    web = boundaries.for_web(boundaries.for_gemeente(snap, "buurt"))
    rd = web[web["code"] == code].to_crs(settings.CRS_RD)
    point = rd.geometry.representative_point().to_crs(settings.CRS_WEB).iloc[0]
    return point.y, point.x


def _open_map(page, app_url: str, query: str) -> object:
    # The map is the app's default page, so it lives at the root URL (st.navigation ignores its url_path).
    page.goto(f"{app_url}/kaart?{query}")
    wait_for_app(page)
    page.wait_for_selector(MAP_FRAME, timeout=60_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=60_000)
    return frame


def test_buurt_map_draws_offline_and_click_shows_twekkelerveld(page, app_url):
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    frame = _open_map(page, app_url, "niveau=buurt&jaar=2021&indicator=inwoners")

    assert frame.locator("path.leaflet-interactive").count() == 70
    # Leaflet itself came from the app: no local request failed (only blocked tiles may have).
    assert not [url for url in failed if "127.0.0.1" in url]
    assert frame.locator(".wb-legend").inner_text().startswith("Aantal inwoners")

    lat, lng = _inside_point("BU01530301")
    handle = page.locator(MAP_FRAME).element_handle()
    inner = handle.content_frame()
    x, y = inner.evaluate(
        "([lat, lng]) => { const p = window.map.latLngToContainerPoint([lat, lng]); return [p.x, p.y]; }", [lat, lng]
    )
    box = inner.locator("#map_div").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)

    page.get_by_role("heading", name="Twekkelerveld").wait_for(timeout=30_000)
    wait_for_app(page)
    metric = page.locator('[data-testid="stMetricValue"]').first
    assert metric.inner_text() == "4.210"
    assert "gebied=BU01530301" in page.url
    page.locator('[data-testid="stDataFrame"]').wait_for()
    page.wait_for_timeout(1500)  # let the table's canvas paint before the screenshot
    page.screenshot(path=str(SCREENSHOT_DIR / "kaart_twekkelerveld.png"), full_page=True)


def test_wijk_map_relative_mode_names_the_reference(page, app_url):
    frame = _open_map(page, app_url, "niveau=wijk&indicator=inwoners&modus=relatief&lang=en")
    assert frame.locator("path.leaflet-interactive").count() == 10
    legend = frame.locator(".wb-legend").inner_text()
    assert "Lower than the average district in Enschede" in legend  # inhabitants: a count, not a share
    assert "unknown" in legend
    page.get_by_role("button", name="Explanation").wait_for()
    page.screenshot(path=str(SCREENSHOT_DIR / "kaart_wijk_relatief.png"), full_page=True)


def test_panning_and_zooming_do_not_rerun_the_app(page, app_url):
    sent: list[object] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    frame = _open_map(page, app_url, "niveau=buurt&jaar=2021&indicator=inwoners")
    box = page.locator(MAP_FRAME).bounding_box()
    page.wait_for_timeout(2000)  # let the component report its first value
    sent.clear()
    x, y = box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 120, y + 80, steps=8)
    page.mouse.up()
    frame.locator(".leaflet-control-zoom-in").click()
    page.wait_for_timeout(2500)  # st_folium debounces its updates
    assert sent == []  # no message to the server: the script did not rerun
