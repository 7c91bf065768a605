"""Any gemeente's map: Enschede's 70 buurten beside a synthetic gemeente of 1,000 buurten.

Run: .venv/bin/python bench/map_scale.py [--areas 1000] [--runs 5] [--no-browser]

The synthetic gemeente is a Voronoi tessellation of ``--areas`` random points in a 30 x 25 km
rectangle in RD New (clipped to it), grouped into wijken of about 25 buurten by a coarse grid; names
are made up ("Buurt 0001"). Both are simplified for the web like the real map
(:func:`enschede_gis.boundaries.for_web`).

Per gemeente, min / median of ``--runs``:
- now: building the geometry file (once per level and snapshot, shared by all sessions), its size
  raw and gzipped (what a proxy sends), building one view and its size (what every click re-sends);
- before: building the folium map and rendering it (what every click did), and the HTML's size.
- in the browser (Debian's chromium, nothing but a local file server): the map component loading the
  geometry and drawing it, then ten zoom steps in and out: the time per step until the names are
  placed and the longest main-thread task during the zooming (a "freeze" shows up there).
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import shutil
import socketserver
import statistics
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from enschede_gis import boundaries, figures, maps, settings, snapshot, webmap
from enschede_gis.indicators import load_catalogue

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


def synthetic(areas: int, seed: int = 1) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.Series]:
    """(buurten, wijken, values) of a made-up gemeente near Enschede, in RD New."""
    rng = np.random.default_rng(seed)
    x0, y0, width, height = 245_000, 460_000, 30_000, 25_000
    points = shapely.MultiPoint(np.column_stack([x0 + rng.random(areas) * width, y0 + rng.random(areas) * height]))
    frame = shapely.box(x0, y0, x0 + width, y0 + height)
    cells = [cell.intersection(frame) for cell in shapely.voronoi_polygons(points, extend_to=frame).geoms]
    codes = [f"BU9999{i:04d}" for i in range(len(cells))]
    centres = shapely.centroid(np.array(cells))
    side = max(1, round((len(cells) / 25) ** 0.5))
    wijk = [f"WK9999{int((c.x - x0) / width * side) * side + int((c.y - y0) / height * side):02d}"[:8] for c in centres]
    buurten = gpd.GeoDataFrame(
        {"code": codes, "name": [f"Buurt {i:04d}" for i in range(len(cells))], "wijkcode": wijk},
        geometry=cells,
        crs=settings.CRS_RD,
    )
    wijken = buurten.dissolve("wijkcode").reset_index()
    wijken = wijken.assign(code=wijken["wijkcode"], name=[f"Wijk {i:02d} Oord {i}" for i in range(len(wijken))])
    values = pd.Series(rng.lognormal(7, 1, len(cells)), index=codes)
    return buurten, wijken[["code", "name", "geometry"]], values


def enschede() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.Series]:
    snap = snapshot.load(settings.DATA_DIR)
    table = figures.level_table(snap, load_catalogue(), year=2021, level="buurt")
    return boundaries.for_gemeente(snap, "buurt"), boundaries.for_gemeente(snap, "wijk"), table["inwoners"]


def timed(runs: int, func):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return times, result


def python_side(name: str, buurten, wijken, values, runs: int) -> tuple[webmap.Asset, dict, dict]:
    catalogue = load_catalogue()
    indicator = catalogue["inwoners"]
    web_b = boundaries.for_web(buurten)
    web_w = boundaries.for_web(wijken)
    asset_t, asset = timed(runs, lambda: webmap.geometry_asset(web_b, wijken=web_w))
    view_t, view = timed(runs, lambda: webmap.view_args(asset, values, indicator=indicator, year=2021, selected=None))

    def folium_map() -> str:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = maps.choropleth(web_b, values, indicator=indicator, year=2021, outlines=web_w, labels=True)
            return maps.rendered_html(m)

    old_t, html = timed(runs, folium_map)
    out = {
        "areas": len(web_b),
        "geometry file: build (s)": asset_t,
        "geometry file: bytes": [len(asset.body)],
        "geometry file: bytes gzipped": [len(gzip.compress(asset.body))],
        "view per click: build (s)": view_t,
        "view per click: bytes": [webmap.args_bytes(view)],
        "before, folium per click: build + render (s)": old_t,
        "before, folium per click: bytes": [len(html.encode())],
    }
    print(f"\n{name}: {len(web_b):,} buurten, {len(web_w)} wijken")
    for key, values_ in out.items():
        if key == "areas":
            continue
        low, mid = min(values_), statistics.median(values_)
        text = f"{low:.3f} / {mid:.3f}" if isinstance(low, float) else f"{mid:,}"
        print(f"  {key:46} {text:>18}")
    return asset, view, out


# --------------------------------------------------------------------------------------------------
# The browser: the component alone, served by a local file server


HARNESS = """<!doctype html><html><body style="margin:0">
<iframe id="c" src="component/wbmap/index.html" style="width:1100px;height:760px;border:0"></iframe>
<script>
window.view = null;
window.addEventListener("message", function (e) {
  if (e.data && e.data.type === "streamlit:componentReady") {
    window.t0 = performance.now();
    document.getElementById("c").contentWindow.postMessage({type: "streamlit:render", args: window.view}, "*");
  }
});
</script></body></html>"""


def browser_side(asset: webmap.Asset, view: dict, runs: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    out: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        component = root / "component" / "wbmap"
        shutil.copytree(REPO / "static" / "wbmap", component)
        (component / asset.name).write_bytes(asset.body)
        shutil.copytree(REPO / "static" / "leaflet-1.9.4", root / "app" / "static" / "leaflet-1.9.4")
        (root / "harness.html").write_text(HARNESS.replace("window.view = null", f"window.view = {json.dumps(view)}"))

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(root), **kwargs)

            def log_message(self, *args) -> None:
                pass

        with socketserver.ThreadingTCPServer(("127.0.0.1", 0), Quiet) as server:
            threading.Thread(target=server.serve_forever, daemon=True).start()
            url = f"http://127.0.0.1:{server.server_address[1]}/harness.html"
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
                for _ in range(runs):
                    page = browser.new_page(viewport={"width": 1200, "height": 800})
                    page.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
                    start = time.perf_counter()
                    page.goto(url)
                    frame = page.frame_locator("#c")
                    frame.locator("body[data-ready]").wait_for(timeout=120_000)
                    out.setdefault("load + draw (s)", []).append(time.perf_counter() - start)
                    inner = page.frame(url=lambda u: "index.html" in u)
                    result = inner.evaluate(ZOOM_SCRIPT)
                    out.setdefault("zoom step until names placed, median (ms)", []).append(result["median"])
                    out.setdefault("longest main-thread task while zooming (ms)", []).append(result["longest"])
                    out.setdefault("names on screen at the deepest zoom", []).append(result["labels"])
                    page.close()
                browser.close()
            server.shutdown()
    return out


ZOOM_SCRIPT = """async () => {
  const map = window.wbmap;
  let longest = 0;
  const observer = new PerformanceObserver(
    list => list.getEntries().forEach(e => { longest = Math.max(longest, e.duration); }));
  observer.observe({entryTypes: ["longtask"]});
  const steps = [];
  const zoom = async (z) => {
    const t = performance.now();
    await new Promise(done => { map.once("zoomend", done); map.setZoom(z, {animate: false}); });
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    steps.push(performance.now() - t);
  };
  const start = map.getZoom();
  for (let i = 1; i <= 5; i++) await zoom(start + i);
  const labels = document.querySelectorAll(".wb-label").length;
  for (let i = 4; i >= 0; i--) await zoom(start + i);
  await new Promise(done => setTimeout(done, 200));
  observer.disconnect();
  steps.sort((a, b) => a - b);
  return {median: steps[Math.floor(steps.length / 2)], longest: longest, labels: labels};
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    print(f"Map at scale: min / median of {args.runs} runs (sizes: one number)")
    cases = {"Enschede": enschede(), f"Synthetic gemeente ({args.areas:,} buurten)": synthetic(args.areas)}
    for name, (buurten, wijken, values) in cases.items():
        asset, view, _ = python_side(name, buurten, wijken, values, args.runs)
        if not args.no_browser:
            for key, found in browser_side(asset, view, min(args.runs, 3)).items():
                low, mid = min(found), statistics.median(found)
                print(f"  browser: {key:46} {low:9.2f} / {mid:9.2f}")


if __name__ == "__main__":
    main()
