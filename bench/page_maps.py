"""Bytes per rerun of the four maps that were folium until issue 14, before and after, in the same run.

Run: .venv/bin/python bench/page_maps.py [--runs 5]

"Before" rebuilds each map the way its page did (``maps.base_map`` + outline/point/choropleth layers,
rendered to HTML: ``st_folium`` sent that whole page again on every rerun of the script). "After" is
the view the page now sends to the map component (``webmap`` views; the geometry file is sent once
per level and snapshot, and a browser keeps it: named by its content hash). Both are built from the
same cached web geometry (``boundaries.for_web``), so build times compare the per-rerun work only.

The maps: the projector's "De situatie" (meeting mode), the residents' input map with ten pins, the
join page's pin map, and the project register's conflict map (three projects, two overlaps).
Figures: bytes (UTF-8 JSON / HTML), ratio before / after, and min / median build time of ``--runs``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import folium
import geopandas as gpd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from enschede_gis import boundaries, maps, settings, snapshot, webmap
from enschede_gis import projects as proj

AREA = ("BU01530301",)  # Twekkelerveld
PIN = (52.2305, 6.8605)


def _timed(runs: int, build):
    times, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        out = build()
        times.append(time.perf_counter() - start)
    return out, min(times), statistics.median(times)


def _pins() -> list[webmap.MapPoint]:
    return [
        webmap.MapPoint(PIN[0] + i * 1e-3, PIN[1], ("Idee", f"Bankje bij de speeltuin nummer {i}")) for i in range(10)
    ]


def _projects() -> tuple[list, dict]:
    def one(title, start, end, codes):
        return proj.make_project(
            title=title, domain="verkeer", responsible="Gemeente", area={"codes": codes}, start=start, end=end
        )

    return [
        one("Riolering", date(2026, 1, 1), date(2026, 3, 31), ["BU01530000"]),
        one("Glasvezel", date(2026, 3, 31), date(2026, 5, 1), ["BU01530000", "BU01530001"]),
        one("Later", date(2026, 4, 1), date(2026, 4, 30), ["BU01530001"]),
    ], {}


def before(web: gpd.GeoDataFrame) -> dict:
    """The four maps as the pages built them with folium (the code before this change)."""
    chosen = web[web["code"].isin(AREA)]

    def situation() -> str:
        m = maps.base_map(chosen, tiles=False)
        maps.outline_layer(web, name="buurten", colour="#666666", weight=1).add_to(m)
        maps.outline_layer(chosen, name="gebied", colour="#000000", weight=5).add_to(m)
        return maps.rendered_html(m)

    def inbreng() -> str:
        m = maps.base_map(chosen)
        maps.outline_layer(web, name="buurten", colour="#777777", weight=0.8).add_to(m)
        maps.outline_layer(chosen, name="gebied", colour="#000000", weight=3).add_to(m)
        pins = _pins()
        points = gpd.GeoDataFrame(
            {"label": [p.lines[1] for p in pins], "soort": [p.lines[0] for p in pins]},
            geometry=gpd.points_from_xy([p.lon for p in pins], [p.lat for p in pins]),
            crs=settings.CRS_WEB,
        )
        maps.point_layer(points, tooltip_column="label", popup_columns={"soort": "Soort"}, name="inbreng").add_to(m)
        return maps.rendered_html(m)

    def join() -> str:
        m = maps.base_map(chosen)
        folium.GeoJson(
            web[["code", "name", "geometry"]].__geo_interface__,
            style_function=lambda _f: {"fill": True, "fillOpacity": 0.05, "color": "#777777", "weight": 1},
            tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
        ).add_to(m)
        maps.outline_layer(chosen, name="gebied", colour="#000000", weight=3).add_to(m)
        near = web[web.intersects(chosen.geometry.union_all().buffer(0.012))]
        maps.label_layer(near).add_to(m)
        folium.Marker(list(PIN)).add_to(m)
        return maps.rendered_html(m)

    def conflicts() -> str:
        items, _ = _projects()
        found = proj.conflicts(items, proj.footprints(items, web))
        counts = proj.conflicted_buurten(found)
        fills = {c: proj.CONFLICT_COLOURS[min(int(counts.get(c, 0)), 3) - 1] if counts.get(c) else "#ffffff"
                 for c in web["code"]}  # fmt: skip
        tips = {c: maps.tooltip_html(n, []) for c, n in zip(web["code"], web["name"], strict=True)}
        m = maps.base_map(web)
        maps.choropleth_layer(web, fills, tips, fill_opacity=0.7).add_to(m)
        return maps.rendered_html(m)

    return {"situation": situation, "inbreng": inbreng, "join": join, "conflicts": conflicts}


def after(web: gpd.GeoDataFrame, asset: webmap.Asset) -> dict:
    """The same four maps as the views the pages now send."""

    def situation() -> dict:
        view = webmap.plain_view(
            asset, focus=AREA, focus_label="Twekkelerveld", title="Waar deze bijeenkomst over gaat"
        )
        return webmap.for_projector(view)

    def inbreng() -> dict:
        view = webmap.plain_view(asset, focus=AREA, focus_label="Twekkelerveld", title="Gekozen gebied")
        return webmap.with_marks(view, focus=AREA, points=_pins(), pick=True)

    def join() -> dict:
        view = webmap.plain_view(asset, focus=AREA, focus_label="Twekkelerveld")
        return webmap.with_marks(view, focus=AREA, pin=PIN, pin_label="Uw speld", pick=True)

    def conflicts() -> dict:
        items, _ = _projects()
        return proj.conflict_view(proj.conflicts(items, proj.footprints(items, web)), asset)

    return {"situation": situation, "inbreng": inbreng, "join": join, "conflicts": conflicts}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    snap = snapshot.load(settings.DATA_DIR)
    web = boundaries.for_web(boundaries.for_gemeente(snap, "buurt"))
    wijken = boundaries.for_web(boundaries.for_gemeente(snap, "wijk"))
    asset, asset_min, _ = _timed(1, lambda: webmap.geometry_asset(web, wijken=wijken))
    old, new = before(web), after(web, asset)
    print(f"Geometry file (sent once per level and snapshot, cached by the browser): {len(asset.body):,} bytes, "
          f"built in {asset_min:.2f} s (once per server)\n")  # fmt: skip
    print(f"{'map':12}{'before bytes':>14}{'after bytes':>13}{'ratio':>9}", end="")
    print(f"{'before ms min/med':>20}{'after ms min/med':>19}")
    for name in old:
        html, b_min, b_med = _timed(runs, old[name])
        view, a_min, a_med = _timed(runs, new[name])
        b_bytes, a_bytes = len(html.encode("utf-8")), webmap.args_bytes(view)
        print(
            f"{name:12}{b_bytes:>14,}{a_bytes:>13,}{b_bytes / a_bytes:>8.0f}x"
            f"{b_min * 1000:>11.1f} / {b_med * 1000:<6.1f}{a_min * 1000:>10.1f} / {a_med * 1000:<6.1f}"
        )
    print(f"\nbytes per rerun = the map's part of what the server sends when the page reruns; {runs} runs each.")


if __name__ == "__main__":
    main()
