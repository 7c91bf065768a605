"""Map payload and build time: our choropleth against the naive folium one, in the same run.

Run: .venv/bin/python bench/map_payload.py

Both draw Enschede's 70 buurten coloured by inhabitants (2021) with 5 quantile classes.

- ours: ``boundaries.for_web`` (simplify_coverage at 8 m in RD New, WGS84, coordinates rounded to
  1e-5 degrees; cached per level in the app, timed separately) + ``maps.choropleth`` (only code and
  tooltip per area, local Leaflet, own legend).
- naive: the full-resolution geometry with all its columns and the value, ``GeoDataFrame.to_json``,
  and ``folium.Choropleth`` on a default ``folium.Map`` (CDN scripts, branca/d3 legend).

"Bytes to the browser" is the rendered map HTML (what folium sends as a page; ``st_folium`` sends the
same script and data as component arguments), plus the GeoJSON part alone. Times are the median of
several runs of building the map and rendering it to HTML.
"""

from __future__ import annotations

import statistics as stats
import sys
import time
import warnings
from pathlib import Path

import folium

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from enschede_gis import boundaries, figures, maps, settings, snapshot
from enschede_gis import statistics as cbs
from enschede_gis.indicators import load_catalogue

RUNS = 7
YEAR = 2021
KEY = "inwoners"


def _median_ms(build) -> tuple[float, object]:
    times, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = build()
        times.append((time.perf_counter() - start) * 1000)
    return stats.median(times), result


def main() -> None:
    snap = snapshot.load(settings.DATA_DIR)
    catalogue = load_catalogue()
    buurten = boundaries.for_gemeente(snap, "buurt")
    table = figures.level_table(snap, catalogue, year=YEAR, level="buurt")
    source = cbs.source_of(snap.statistics, indicator=KEY, year=YEAR, level="buurt")

    web_ms, web = _median_ms(lambda: boundaries.for_web(buurten))

    def ours() -> str:
        m = maps.choropleth(web, table[KEY], indicator=catalogue[KEY], year=YEAR, source=source)
        return maps.rendered_html(m), maps.geojson_payload(m)

    def naive() -> str:
        frame = buurten.merge(table[[KEY]], left_on="code", right_index=True, how="left").to_crs(settings.CRS_WEB)
        geojson = frame.to_json()
        m = folium.Map(location=[52.22, 6.89], zoom_start=12)
        folium.Choropleth(
            geo_data=geojson,
            data=frame[["code", KEY]],
            columns=["code", KEY],
            key_on="feature.properties.code",
            fill_color="YlGnBu",
            bins=5,
            legend_name=catalogue[KEY].label("nl"),
        ).add_to(m)
        return m.get_root().render(), len(geojson)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # folium warns about the NaN-free quantile bins it makes itself
        ours_ms, (ours_html, ours_geojson) = _median_ms(ours)
        naive_ms, (naive_html, naive_geojson) = _median_ms(naive)

    ours_bytes = len(ours_html.encode("utf-8"))
    naive_bytes = len(naive_html.encode("utf-8"))
    hosts = ("cdn.jsdelivr", "cdnjs", "code.jquery", "bootstrapcdn", "d3js")
    ours_cdn, naive_cdn = (sum(html.count(host) for host in hosts) for html in (ours_html, naive_html))
    print(f"Enschede buurten ({len(buurten)} areas), '{KEY}' {YEAR}, median of {RUNS} runs\n")
    print(f"{'':32}{'ours':>14}{'naive':>14}{'naive / ours':>15}")
    print(f"{'map HTML bytes':32}{ours_bytes:>14,}{naive_bytes:>14,}{naive_bytes / ours_bytes:>14.1f}x")
    print(
        f"{'  of which GeoJSON bytes':32}{ours_geojson:>14,}{naive_geojson:>14,}{naive_geojson / ours_geojson:>14.1f}x"
    )
    print(f"{'build + render map (ms)':32}{ours_ms:>14.1f}{naive_ms:>14.1f}{naive_ms / ours_ms:>14.1f}x")
    print(
        f"{'  + for_web geometry (ms)':32}{ours_ms + web_ms:>14.1f}{naive_ms:>14.1f}"
        f"{naive_ms / (ours_ms + web_ms):>14.1f}x   (for_web is cached per level in the app)"
    )
    print(f"{'CDN references in the HTML':32}{ours_cdn:>14}{naive_cdn:>14}")


if __name__ == "__main__":
    main()
