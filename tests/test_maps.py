"""Folium maps without a browser: features, styles, escaping, legend, and no CDN anywhere."""

from __future__ import annotations

import re

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from enschede_gis import boundaries, figures, maps, statistics
from enschede_gis.indicators import Indicator

EVIL = "<script>alert(1)</script>`${x}`"
CDN_HOSTS = ("cdn.jsdelivr", "cdnjs", "code.jquery", "bootstrapcdn", "d3js.org", "unpkg")


def _grid(n: int = 3) -> gpd.GeoDataFrame:
    """A tiny n×n grid of 1 km squares in RD New near Enschede."""
    cells = [
        box(257000 + i * 1000, 471000 + j * 1000, 258000 + i * 1000, 472000 + j * 1000)
        for i in range(n)
        for j in range(n)
    ]
    codes = [f"BU9999{k:04d}" for k in range(n * n)]
    frame = gpd.GeoDataFrame(
        {"code": codes, "name": [f"Vak {k}" for k in range(n * n)]}, geometry=cells, crs="EPSG:28992"
    )
    return boundaries.for_web(frame, tolerance_m=0)


def _indicator(**changes) -> Indicator:
    base = dict(key="x", theme="t", label_nl="Iets", label_en="Something", unit_nl="%", unit_en="%",
                kind="percentage", aggregation="none", direction="neutral", decimals=1)  # fmt: skip
    return Indicator(**{**base, **changes})


def _choropleth_layer(m: folium.Map) -> folium.GeoJson:
    return next(c for c in m._children.values() if isinstance(c, folium.GeoJson) and c.layer_name == "choropleth")


def _fills(m: folium.Map) -> dict[str, str]:
    layer = _choropleth_layer(m)
    return {f["properties"]["code"]: layer.style_function(f)["fillColor"] for f in layer.data["features"]}


@pytest.fixture(scope="module")
def enschede(snap, catalogue):
    web = boundaries.for_web(boundaries.for_gemeente(snap, "buurt"))
    table = figures.level_table(snap, catalogue, year=2021, level="buurt")
    return web, table


def test_real_buurt_map_has_70_features_with_only_the_needed_properties(enschede, catalogue, snap):
    web, table = enschede
    source = statistics.source_of(snap.statistics, indicator="inwoners", year=2021, level="buurt")
    m = maps.choropleth(web, table["inwoners"], indicator=catalogue["inwoners"], year=2021, source=source)
    layer = _choropleth_layer(m)
    assert len(layer.data["features"]) == 70
    assert {tuple(sorted(f["properties"])) for f in layer.data["features"]} == {("code", "tooltip")}
    twek = next(f for f in layer.data["features"] if f["properties"]["code"] == "BU01530301")
    assert "Twekkelerveld" in twek["properties"]["tooltip"]
    assert "4.210 inwoners" in twek["properties"]["tooltip"]
    assert "2021" in twek["properties"]["tooltip"]
    html = maps.rendered_html(m)
    assert "85039NED" in html  # the legend names the source table


def test_missing_values_are_hatched_grey_with_their_own_legend_entry(enschede, catalogue):
    web, table = enschede
    values = table["pct_0_15"]
    assert values.isna().sum() == 3
    m = maps.choropleth(web, values, indicator=catalogue["pct_0_15"], year=2021, lang="nl")
    fills = _fills(m)
    missing = set(values[values.isna()].index)
    assert {c for c, f in fills.items() if f == maps.MISSING_FILL} == missing
    assert all(f != maps.MISSING_FILL for c, f in fills.items() if c not in missing)
    html = maps.rendered_html(m)
    assert maps.HATCH_ID in html
    assert "onbekend" in html and "(3)" in html
    twek = next(
        f for f in _choropleth_layer(m).data["features"] if f["properties"]["code"] == values.index[values.isna()][0]
    )
    assert "onbekend" in twek["properties"]["tooltip"]


def test_user_text_is_escaped_in_tooltips_labels_points_and_legend():
    grid = _grid()
    grid.loc[0, "name"] = EVIL
    points = gpd.GeoDataFrame({"title": [EVIL], "note": [EVIL]}, geometry=[Point(6.89, 52.22)], crs="EPSG:4326")
    ind = _indicator(label_nl=EVIL)
    m = maps.choropleth(
        grid,
        pd.Series(np.arange(9.0), index=grid["code"]),
        indicator=ind,
        year=2021,
        source=EVIL,
        labels=True,
        extra_layers=[maps.point_layer(points, tooltip_column="title", popup_columns={"note": "Notitie"})],
    )
    html = maps.rendered_html(m)
    assert "<script>alert(1)" not in html
    assert "${x}" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#96;&#36;{x}&#96;" in html


def test_no_cdn_urls_only_local_scripts(enschede, catalogue, snap):
    web, table = enschede
    wijken = boundaries.for_web(boundaries.for_gemeente(snap, "wijk"))
    m = maps.choropleth(
        web, table["inwoners"], indicator=catalogue["inwoners"], year=2021, tiles=False, outlines=wijken, labels=True
    )
    html = maps.rendered_html(m)
    assert not any(host in html for host in CDN_HOSTS)
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', html)
    styles = re.findall(r'<link[^>]+href="([^"]+)"', html)
    assert scripts and styles
    assert all(url.startswith(maps.STATIC_URL) for url in scripts + styles)
    assert "http" not in "".join(scripts + styles)
    assert "tile.openstreetmap" not in html  # tiles=False: no base map at all


def test_static_files_named_by_the_map_exist():
    from enschede_gis import settings

    for _, url in maps.OFFLINE_JS + maps.OFFLINE_CSS:
        path = settings.REPO_ROOT / "static" / url.removeprefix(maps.STATIC_URL + "/")
        assert path.is_file() and path.stat().st_size > 10_000, url


def test_diverging_mode_names_the_reference_and_splits_colours():
    grid = _grid()
    values = pd.Series([1, 2, 3, 4, 5, 6, 7, 8, np.nan], index=grid["code"], dtype=float)
    ind = _indicator(direction="higher_worse")
    m = maps.choropleth(
        grid, values, indicator=ind, year=2023, reference=maps.Reference("Enschede", 4.5), scheme="RdBu", k=4
    )
    html = maps.rendered_html(m)
    assert "Lager dan Enschede (4,5%)" in html
    assert "Gelijk aan of hoger dan Enschede" in html
    fills = _fills(m)
    colours = maps.palette("RdBu", 4)[::-1]  # higher is worse: high values get the warm end
    below = {fills[c] for c in values[values < 4.5].index}
    above = {fills[c] for c in values[values >= 4.5].index}
    assert below <= set(colours[:2]) and above <= set(colours[2:])
    assert fills[values.index[-1]] == maps.MISSING_FILL


def test_english_legend_and_tooltip():
    grid = _grid()
    ind = _indicator(decimals=0, unit_en="people", unit_nl="mensen")
    m = maps.choropleth(grid, pd.Series(np.arange(9.0) * 1000, index=grid["code"]), indicator=ind, year=2021, lang="en")
    html = maps.rendered_html(m)
    assert "Something (people), 2021" in html
    assert "unknown" in html
    assert "8,000 people" in _choropleth_layer(m).data["features"][-1]["properties"]["tooltip"]


def test_selection_and_outline_layers_are_not_clickable():
    grid = _grid()
    sel = maps.selection_layer(grid, grid["code"][4])
    outline = next(iter(sel._children.values()))
    assert len(outline.data["features"]) == 1
    assert outline.options.get("interactive") is False
    assert not maps.selection_layer(grid, "BU_unknown")._children
    assert maps.outline_layer(grid).options.get("interactive") is False


def test_map_is_serialisable_and_input_not_mutated():
    grid = _grid()
    before = grid.copy()
    values = pd.Series(np.arange(9.0), index=grid["code"])
    m = maps.choropleth(grid, values, indicator=_indicator(), year=2021)
    assert m.to_dict()["children"]
    pd.testing.assert_frame_equal(grid.drop(columns="geometry"), before.drop(columns="geometry"))


def test_palettes_are_known_and_sized():
    assert len(maps.palette("YlGnBu", 2)) == 2
    assert len(maps.palette("RdBu", 2)) == 2
    assert len(maps.palette("Blues", 9)) == 9
    with pytest.raises(Exception, match="kleurenschema"):
        maps.palette("Jet", 5)


def test_indicator_years_offer_only_what_can_be_drawn(snap, catalogue):
    buurt = maps.indicator_years(snap.statistics, catalogue, level="buurt")
    wijk = maps.indicator_years(snap.statistics, catalogue, level="wijk")
    assert buurt["inwoners"] == [2020, 2021, 2023, 2024]
    assert 2021 in wijk["inwoners"]  # no wijk figures for 2021, but the buurten add up
    assert 2022 not in wijk["inwoners"]  # only gemeente figures that year
    for key, years in buurt.items():  # every offered year really has a buurt value
        table = figures.level_table(snap, catalogue, year=years[-1], level="buurt")
        assert table[key].notna().any(), key
    assert maps.indicator_years(snap.statistics, catalogue, level="buurt", gemeente="GM0363") == {}


def test_sources_credit_aggregated_wijk_figures_to_the_buurten(snap):
    wijk_2021 = maps.sources_by_indicator(snap.statistics, year=2021, level="wijk")
    assert "berekend uit de buurtcijfers" in wijk_2021["inwoners"]
    assert "85039NED" in wijk_2021["inwoners"]
    buurt_2021 = maps.sources_by_indicator(snap.statistics, year=2021, level="buurt", lang="en")
    assert "computed" not in buurt_2021["inwoners"] and "85039NED" in buurt_2021["inwoners"]


def test_panel_rows_show_unknown_never_zero(catalogue):
    area = pd.Series({"inwoners": 4210.0, "pct_0_15": np.nan})
    ref = pd.Series({"inwoners": 159732.0, "pct_0_15": 14.0})
    rows = maps.panel_rows(area, ref, catalogue, year=2021, sources={"inwoners": "CBS"}, lang="nl")
    by_key = {r.key: r for r in rows}
    assert set(by_key) == {"inwoners", "pct_0_15"}  # indicators without any value are left out
    assert (by_key["inwoners"].area, by_key["inwoners"].reference) == ("4.210 inwoners", "159.732 inwoners")
    assert by_key["pct_0_15"].area == "onbekend" and by_key["pct_0_15"].reference == "14,0%"
    assert by_key["inwoners"].source == "CBS" and by_key["inwoners"].year == 2021


def test_latest_panel_rows_take_each_figure_at_its_latest_year_with_that_years_reference(catalogue):
    code = "BU01530301"
    tables = {
        2021: pd.DataFrame({"inwoners": [4100.0], "mannen": [2165.0], "pct_0_15": [np.nan]}, index=[code]),
        2024: pd.DataFrame({"inwoners": [4210.0], "mannen": [np.nan], "pct_0_15": [np.nan]}, index=[code]),
    }
    refs = {
        2021: pd.Series({"inwoners": 159732.0, "mannen": 81678.0, "pct_0_15": 14.0}),
        2024: pd.Series({"inwoners": 161738.0, "mannen": 83012.0, "pct_0_15": np.nan}),
    }
    sources = {2021: {"mannen": "CBS 2021"}, 2024: {"inwoners": "CBS 2024"}}
    rows = maps.latest_panel_rows(code, tables, refs, catalogue, sources=sources, lang="nl")
    by_key = {r.key: r for r in rows}
    assert (by_key["inwoners"].area, by_key["inwoners"].reference, by_key["inwoners"].year) == (
        "4.210 inwoners",
        "161.738 inwoners",
        2024,
    )
    # missing in 2024 for the buurt: its 2021 value, beside Enschede's 2021 value (not 2024's)
    assert (by_key["mannen"].area, by_key["mannen"].reference, by_key["mannen"].year) == (
        "2.165 personen",
        "81.678 personen",
        2021,
    )
    assert by_key["mannen"].source == "CBS 2021"
    # the buurt has it in no year: unknown, beside the reference's latest year
    assert by_key["pct_0_15"].area == "onbekend" and by_key["pct_0_15"].year == 2021
    assert "woz_waarde" not in by_key  # neither has it: left out


def test_wijk_labels_drop_the_cbs_numbering():
    grid = _grid(2)
    grid["name"] = ["Wijk 03 Twekkelerveld - T.H.T.", "Binnensingelgebied", "Buurt 12 X", "Wijkerveld"]
    html = maps.rendered_html(
        maps.choropleth(grid, pd.Series(dtype=float), indicator=_indicator(), year=2021, labels=True)
    )
    end = "\\u003c/span"  # folium writes the label HTML as a JSON string
    assert f"Twekkelerveld - T.H.T.{end}" in html
    assert f"Wijkerveld{end}" in html and f"X{end}" in html
    assert "Wijk 03 Twekkelerveld - T.H.T.\\u003c/b" in html  # the tooltip keeps the full name
    assert "onbekend" in html and "(4)" in html  # all four areas counted as missing in the legend


def test_every_scheme_and_method_has_a_dutch_and_english_name():
    from enschede_gis import i18n
    from enschede_gis.classify import METHODS

    keys = [f"kaart.schemes.{s}" for s in maps.SEQUENTIAL_SCHEMES + maps.DIVERGING_SCHEMES]
    keys += [f"kaart.methods.{m}" for m in METHODS]
    for key in keys:
        assert set(i18n.strings()[key]) == {"nl", "en"}, key


def test_relative_to_the_gemeente_means_its_average_not_its_total(catalogue):
    areas = pd.Series([100.0, 300.0, np.nan])
    count = maps.reference_for(
        catalogue["inwoners"], gemeente_name="Enschede", gemeente_value=160000.0, area_values=areas, level="buurt"
    )
    assert count == maps.Reference("het gemiddelde per buurt in Enschede", 200.0)
    share = maps.reference_for(
        catalogue["pct_65_plus"], gemeente_name="Enschede", gemeente_value=18.0, area_values=areas, level="wijk"
    )
    assert share == maps.Reference("Enschede", 18.0)
    unknown = maps.reference_for(
        catalogue["pct_65_plus"], gemeente_name="Enschede", gemeente_value=np.nan, area_values=areas, level="wijk"
    )
    assert unknown is None


def test_diverging_legend_reads_low_to_high_and_skips_empty_padding():
    grid = _grid()
    values = pd.Series([1, 2, 3, 4, 5, 6, 7, 8, 9], index=grid["code"], dtype=float)
    m = maps.choropleth(grid, values, indicator=_indicator(), year=2023, reference=maps.Reference("X", 100.0), k=4)
    legend = next(c for c in m._children.values() if type(c).__name__ == "_LegendControl").html
    rows = re.findall(r"</svg> ([^<]+)<span", legend)
    assert rows[0].startswith("1,0") and "100,0" in rows[1]  # ascending below the reference
    assert len(rows) == 3  # two classes below, none above, and "onbekend"


def test_a_buurt_asked_on_a_wijk_map_selects_its_wijk_and_an_unknown_code_nothing():
    buurten = pd.DataFrame({"code": ["BU01530301", "BU01530905"], "wijkcode": ["WK015303", "WK015309"]})
    wijken = ["WK015303", "WK015309"]
    assert maps.on_map("BU01530905", wijken, level="wijk", buurten=buurten) == "WK015309"
    assert maps.on_map("WK015303", wijken, level="wijk", buurten=buurten) == "WK015303"
    assert maps.on_map("BU01530905", ["BU01530301"], level="buurt", buurten=buurten) is None  # not on this map
    assert maps.on_map("BU01539999", wijken, level="wijk", buurten=buurten) is None
    assert maps.on_map(None, wijken, level="wijk", buurten=buurten) is None


def test_panel_table_has_the_area_and_reference_columns_and_sends_repeats_as_categories():
    rows = [
        maps.PanelRow("a", "t", "Inwoners", "4.210", "161.738", 2024, "CBS"),
        maps.PanelRow("b", "t", "Mannen", "2.100", "80.000", 2024, "CBS"),
    ]
    frame = maps.panel_table(rows, area="Twekkelerveld", reference="Enschede", lang="en")
    assert list(frame.columns) == ["Figure", "Twekkelerveld", "Enschede", "Year", "Source"]
    assert frame["Twekkelerveld"].tolist() == ["4.210", "2.100"]
    assert str(frame["Year"].dtype) == "category" and str(frame["Source"].dtype) == "category"
