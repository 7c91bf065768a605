"""The map explorer in a real browser with no internet: the geometry comes once, a click sends little,
names and legend are readable, and panning or zooming never reruns the app."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

from enschede_gis import boundaries, settings, snapshot, webmap
from tests.browser.conftest import LOCAL_HOSTS, wait_for_app

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="app_state.wijkbeeld_map"]'
SCREENSHOT_DIR = Path(os.environ.get("WIJKBEELD_SCREENSHOTS", "/tmp"))
CLICK_BUDGET = 10_000  # bytes the server may send for one click (issue 14)


def _inside_point(code: str) -> tuple[float, float]:
    """(lat, lng) of a point certainly inside the buurt, as the browser sees it."""
    snap = snapshot.load(settings.DATA_DIR)
    web = boundaries.for_web(boundaries.for_gemeente(snap, "buurt"))
    rd = web[web["code"] == code].to_crs(settings.CRS_RD)
    point = rd.geometry.representative_point().to_crs(settings.CRS_WEB).iloc[0]
    return point.y, point.x


def _open_map(page, app_url: str, query: str):
    page.set_viewport_size({"width": 1920, "height": 1080})  # the projector
    page.goto(f"{app_url}/kaart?{query}")
    wait_for_app(page)
    page.wait_for_selector(MAP_FRAME, timeout=60_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("body[data-ready]").wait_for(timeout=60_000)
    return frame


def _style(frame, selector: str) -> dict:
    return frame.locator(selector).first.evaluate(
        "el => { const s = getComputedStyle(el); return {size: parseFloat(s.fontSize), shadow: s.textShadow,"
        " colour: s.color, text: el.innerText}; }"
    )


OVERLAPS = """() => {
  const boxes = [...document.querySelectorAll('.wb-label')].map(label => {
    const r = [...label.children].map(line => line.getBoundingClientRect());
    return {text: label.innerText, l: Math.min(...r.map(b => b.left)), r: Math.max(...r.map(b => b.right)),
            t: Math.min(...r.map(b => b.top)), b: Math.max(...r.map(b => b.bottom))};
  });
  const hits = [];
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach(c => {
    if (a.l < c.r - 1 && c.l < a.r - 1 && a.t < c.b - 1 && c.t < a.b - 1) hits.push(a.text + " | " + c.text);
  }));
  return [boxes.length, hits];
}"""


def test_buurt_map_sends_geometry_once_and_a_click_shows_twekkelerveld(page, app_url):
    requests: list[tuple[str, str]] = []  # (url, frame url)
    page.on("request", lambda request: requests.append((request.url, request.frame.url)))
    received: list[int] = []
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived",
            lambda payload: received.append(len(payload if isinstance(payload, bytes) else payload.encode())),
        ),
    )
    frame = _open_map(page, app_url, "niveau=buurt&jaar=2021&indicator=inwoners")

    assert frame.locator("path.leaflet-interactive").count() == 70
    geometry = [url for url, _ in requests if "/geo-" in url]
    assert len(geometry) == 1 and geometry[0].endswith(".json")
    # The map itself asks nothing of the internet: no tiles unless a user turns them on.
    map_requests = [url for url, origin in requests if "/component/" in origin or "/component/" in url]
    assert map_requests and all(urlparse(url).hostname in LOCAL_HOSTS for url in map_requests)
    # Names: wijk names on the map, readable (bold, large enough, with a halo); the legend at >= 20 px.
    wijk = _style(frame, ".wb-label-wijk")
    assert wijk["text"] and wijk["size"] >= 14 and wijk["shadow"] != "none"
    assert frame.locator(".wb-label-wijk", has_text="Enschede-Noord").count() == 1
    inner = page.locator(MAP_FRAME).element_handle().content_frame()
    shown, overlapping = inner.evaluate(OVERLAPS)
    assert shown >= 6 and overlapping == []  # names as drawn, measured in the browser: none overlap
    legend = _style(frame, ".wb-legend-row")
    assert legend["size"] >= 20
    assert frame.locator(".wb-legend-title").inner_text().startswith("Aantal inwoners")
    attribution = frame.locator(".leaflet-control-attribution").inner_text()
    assert "CBS" in attribution and "OpenStreetMap" not in attribution  # no tiles, no tile credit

    lat, lng = _inside_point("BU01530301")
    x, y = inner.evaluate(
        "([lat, lng]) => { const p = window.wbmap.latLngToContainerPoint([lat, lng]); return [p.x, p.y]; }", [lat, lng]
    )
    box = inner.locator("#map").bounding_box()
    page.wait_for_timeout(500)
    received.clear()
    before = len(requests)
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.get_by_role("heading", name="Twekkelerveld").wait_for(timeout=30_000)
    wait_for_app(page)
    metric = page.locator('[data-testid="stMetricValue"]').first
    assert metric.inner_text() == "4.210"
    assert "gebied=BU01530301" in page.url
    assert sum(received) <= CLICK_BUDGET, received
    assert not [url for url, _ in requests[before:] if "/geo-" in url]  # the geometry was not sent again
    page.locator('[data-testid="stDataFrame"]').wait_for()
    page.wait_for_timeout(1200)  # let the table's canvas paint before the screenshot
    page.screenshot(path=str(SCREENSHOT_DIR / "kaart_twekkelerveld_1920.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    page.wait_for_timeout(1200)
    page.screenshot(path=str(SCREENSHOT_DIR / "kaart_twekkelerveld_390.png"), full_page=True)
    # On a phone the credit wraps across the map; the scale bar stays readable above it, not under it.
    credit = frame.locator(".leaflet-control-attribution").bounding_box()
    scale = frame.locator(".leaflet-control-scale").bounding_box()
    assert credit["width"] > 250  # wrapped across most of the map
    assert scale["y"] + scale["height"] <= credit["y"] + 1, (scale, credit)
    # and no name sticks out of the map, cut off by its edge ("delijk gebied en kernen")
    area = frame.locator("#map").bounding_box()
    names = frame.locator(".leaflet-marker-icon .wb-label")
    assert names.count() >= 5
    for i in range(names.count()):
        box = names.nth(i).bounding_box()
        text = names.nth(i).inner_text()
        assert area["x"] - 1 <= box["x"] and box["x"] + box["width"] <= area["x"] + area["width"] + 1, text
        assert area["y"] - 1 <= box["y"] and box["y"] + box["height"] <= area["y"] + area["height"] + 1, text
        assert names.nth(i).evaluate("e => e.scrollWidth <= e.clientWidth + 1"), text  # the text fits its box


def test_wijk_map_relative_mode_names_the_reference(page, app_url):
    frame = _open_map(page, app_url, "niveau=wijk&indicator=inwoners&modus=relatief&lang=en&gebied=WK015309")
    assert frame.locator("path.leaflet-interactive").count() == 10
    legend = frame.locator(".wb-legend").inner_text()
    assert "Lower than the average district in Enschede" in legend  # inhabitants: a count, not a share
    assert "unknown" in legend
    assert frame.locator(".wb-label-wijk", has_text="Landelijk gebied").count() == 1
    page.get_by_role("button", name="Explanation").first.wait_for()
    page.wait_for_timeout(1000)
    page.screenshot(path=str(SCREENSHOT_DIR / "kaart_wijk_relatief.png"))


def test_broekheurne_sits_in_its_surroundings_and_panning_does_not_rerun(page, app_url):
    sent: list[object] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    frame = _open_map(page, app_url, "niveau=buurt&jaar=2023&indicator=inwoners&gebied=BU01530905")
    page.get_by_role("heading", name="Buurtschap Broekheurne").wait_for()
    inner = page.locator(MAP_FRAME).element_handle().content_frame()
    buurten = boundaries.for_web(boundaries.for_gemeente(snapshot.load(settings.DATA_DIR), "buurt"))
    anchor = webmap.labels_for(buurten[buurten["code"] == "BU01530905"], kind="area")[0]
    lat, lng = anchor.lat, anchor.lng  # its largest part, where its name goes
    inner.evaluate("([lat, lng]) => window.wbmap.setView([lat, lng], 14)", [lat, lng])
    page.wait_for_timeout(800)
    shown = frame.locator(".wb-label").all_inner_texts()
    assert "Buurtschap Broekheurne" in [s.replace("\n", " ") for s in shown]
    assert len(shown) >= 4  # its neighbours are named too
    assert inner.evaluate(OVERLAPS)[1] == []
    page.screenshot(path=str(SCREENSHOT_DIR / "kaart_broekheurne.png"))

    box = page.locator(MAP_FRAME).bounding_box()
    page.wait_for_timeout(1000)
    sent.clear()
    x, y = box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 120, y + 80, steps=8)
    page.mouse.up()
    frame.locator(".leaflet-control-zoom-in").click()
    page.wait_for_timeout(1500)
    assert sent == []  # no message to the server: the script did not rerun


def test_project_corners_are_clicked_on_the_map_and_come_back_as_places(page, app_url):
    """Pick mode of the map component: each click answers a place (WGS84), the page adds it as a
    corner and the map draws the polygon; a click outside the gemeente is refused in words."""
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{app_url}/projecten?weergave=edit")
    wait_for_app(page)
    page.get_by_text("Getekend vlak", exact=True).click()
    page.wait_for_selector(MAP_FRAME, timeout=60_000)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("body[data-ready]").wait_for(timeout=60_000)
    inner = page.locator(MAP_FRAME).element_handle().content_frame()
    lat, lng = _inside_point("BU01530301")
    corners = [(lat, lng), (lat + 0.002, lng + 0.003), (lat - 0.001, lng + 0.004)]
    box = inner.locator("#map").bounding_box()
    for n, corner in enumerate(corners, start=1):
        x, y = inner.evaluate("(c) => { const p = window.wbmap.latLngToContainerPoint(c); return [p.x, p.y]; }", corner)
        page.mouse.click(box["x"] + x, box["y"] + y)
        page.get_by_text(f"({n} punten; minstens 3)").wait_for(timeout=30_000)
    frame.locator("path[fill-opacity='0.3']").wait_for()  # the polygon, drawn from the server's view
    drawn = inner.evaluate(
        "() => { let out = null; window.wbmap.eachLayer(l => { if (l instanceof L.Polygon && !l.feature)"
        " out = l.getLatLngs()[0].map(p => [p.lat, p.lng]); }); return out; }"
    )
    assert len(drawn) == 3  # each where it was clicked, to the pixel (about 30 m at this zoom)
    assert all(abs(a - c) < 6e-4 and abs(b - d) < 6e-4 for (a, b), (c, d) in zip(drawn, corners, strict=True))
    inner.evaluate("() => window.wbmap.setView([52.22, 6.3], 11)")  # far west of Enschede (near Lochem)
    page.wait_for_timeout(500)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # the centre: far outside
    page.get_by_text("Dit punt ligt buiten de gemeente").wait_for(timeout=30_000)
    page.get_by_text("(3 punten; minstens 3)").wait_for()
