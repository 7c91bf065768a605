"""The browser map's data without a browser: the geometry file, the label plan, the ink on each fill,
and the small view a click sends."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from enschede_gis import boundaries, figures, maps, webmap
from tests.test_maps import EVIL, _indicator


def _grid(n: int, size_m: float = 1000, *, prefix: str = "BU9999") -> gpd.GeoDataFrame:
    cells = [
        box(257000 + i * size_m, 471000 + j * size_m, 257000 + (i + 1) * size_m, 471000 + (j + 1) * size_m)
        for i in range(n)
        for j in range(n)
    ]
    codes = [f"{prefix}{k:04d}" for k in range(n * n)]
    frame = gpd.GeoDataFrame({"code": codes, "name": [f"Vak {k}" for k in range(n * n)]}, geometry=cells, crs=28992)
    return boundaries.for_web(frame, tolerance_m=0)


def _boxes(labels, plan, zoom):
    step = round((zoom - webmap.MIN_ZOOM) / webmap.ZOOM_STEP)
    out = []
    for label, place in zip(labels, plan, strict=True):
        if place.zooms >> step & 1:
            x, y = webmap._pixel(label.lng, label.lat, zoom)
            dx, dy = place.shifts.get(step, (0, 0))
            w, h = label.box_px()
            out.append((label, (x + dx - w / 2, y + dy - h / 2, x + dx + w / 2, y + dy + h / 2)))
    return out


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.fixture(scope="module")
def enschede(snap):
    buurten = boundaries.for_web(boundaries.for_gemeente(snap, "buurt"))
    wijken = boundaries.for_web(boundaries.for_gemeente(snap, "wijk"))
    return buurten, wijken


def test_dark_fills_get_light_text_and_light_fills_dark_text_with_the_other_as_halo():
    assert webmap.ink_for("#081d58") == (webmap.LIGHT_INK, webmap.DARK_INK)  # darkest YlGnBu
    assert webmap.ink_for("#ffffcc") == (webmap.DARK_INK, webmap.LIGHT_INK)  # lightest YlGnBu
    assert webmap.ink_for(None) == (webmap.DARK_INK, webmap.LIGHT_INK)  # the map's light background
    for scheme in maps.SEQUENTIAL_SCHEMES + maps.DIVERGING_SCHEMES:
        for colour in maps.palette(scheme, 7):
            ink, halo = webmap.ink_for(colour)
            seen = webmap.seen_fill(colour)
            # the chosen ink is the better of the two, and readable: at least WCAG's 3:1 for large text
            assert webmap.contrast(ink, seen) >= webmap.contrast(halo, seen)
            assert webmap.contrast(ink, seen) >= 3.0, (scheme, colour)


def test_long_names_wrap_once_and_a_dash_stays_on_the_first_line():
    assert webmap.wrap("City") == ["City"]
    assert webmap.wrap("Twekkelerveld - T.H.T.") == ["Twekkelerveld -", "T.H.T."]
    assert webmap.wrap("Bedrijfsterreinen Enschede-West") == ["Bedrijfsterreinen", "Enschede-West"]
    assert webmap.wrap("Buurtschapzonderspaties") == ["Buurtschapzonderspaties"]


def test_label_plan_never_overlaps_and_names_appear_as_areas_grow_on_screen():
    areas = _grid(10, 400)
    labels = webmap.labels_for(areas, kind="area")
    plan = webmap.plan_labels(labels)
    shown_per_zoom = []
    for zoom in webmap.zoom_steps():
        boxes = _boxes(labels, plan, zoom)
        shown_per_zoom.append(len(boxes))
        for i, (_, a) in enumerate(boxes):
            assert not any(_overlap(a, b) for _, b in boxes[i + 1 :]), zoom
        for label, (x0, _y0, x1, _y1) in boxes:  # a shown area name fits in its 400 m square
            assert (x1 - x0) * webmap._metres_per_pixel(label.lat, zoom) <= 400
    assert shown_per_zoom[0] == 0  # at city scale a 400 m square has no room for "Vak 12"
    assert shown_per_zoom[-1] == 100  # close up every square is named
    assert shown_per_zoom == sorted(shown_per_zoom)


def test_wijk_names_come_first_and_stay_clear_of_buurt_names(enschede):
    buurten, wijken = enschede
    labels = webmap.labels_for(wijken, kind="wijk", under=buurten) + webmap.labels_for(buurten, kind="area")
    plan = webmap.plan_labels(labels)
    at_city_scale = _boxes(labels, plan, 12.5)
    names = [label.text for label, _ in at_city_scale]
    assert sum(label.kind == "wijk" for label, _ in at_city_scale) >= 8  # of 10 wijken
    assert "Twekkelerveld - T.H.T." in names and "Landelijk gebied en kernen" in names
    for i, (_, a) in enumerate(at_city_scale):
        assert not any(_overlap(a, b) for _, b in at_city_scale[i + 1 :])
    # every wijk name is shown from some zoom level on, and its ink follows the buurt under it
    assert all(place.zooms for label, place in zip(labels, plan, strict=True) if label.kind == "wijk")
    assert all(label.under in set(buurten["code"]) for label in labels)


def test_geometry_asset_is_named_by_its_content_and_holds_shapes_names_and_plan(enschede, tmp_path):
    buurten, wijken = enschede
    asset = webmap.geometry_asset(buurten, wijken=wijken)
    again = webmap.geometry_asset(buurten, wijken=wijken)
    assert asset.name == again.name and asset.name.startswith("geo-")
    renamed = buurten.assign(name=buurten["name"].where(buurten["code"] != "BU01530301", "Anders"))
    assert webmap.geometry_asset(renamed, wijken=wijken).name != asset.name
    body = json.loads(asset.body)
    assert [f["id"] for f in body["areas"]["features"]] == list(asset.codes) == list(buurten["code"])
    assert {f["properties"]["name"] for f in body["areas"]["features"]} >= {"Twekkelerveld", "Buurtschap Broekheurne"}
    assert len(body["wijken"]["features"]) == 10 and body["context"] is None
    assert all(f["properties"] == {} for f in body["wijken"]["features"])
    assert len(body["labels"]) == 80 and body["min_zoom"] == webmap.MIN_ZOOM
    assert len(asset.body) < 120_000  # simplified once, for every view and every session

    path = webmap.write_asset(tmp_path / "map", asset)
    assert path.read_bytes() == asset.body
    assert webmap.write_asset(tmp_path / "map", asset) == path
    assert [p.name for p in (tmp_path / "map").iterdir()] == [asset.name]  # no temporary file left


def test_custom_areas_sit_in_the_grey_buurten_around_them(snap, enschede):
    buurten, wijken = enschede
    areas = boundaries.for_web(
        boundaries.custom_outlines(snap, {"custom:a": ["BU01530905", "BU01530904"]}, {"custom:a": "Buitengebied"}),
        coverage=False,
    )
    body = json.loads(webmap.geometry_asset(areas, wijken=wijken, context=buurten).body)
    assert len(body["context"]["features"]) == 70
    assert {label["kind"] for label in body["labels"]} == {"wijk", "area"}


def test_a_view_is_small_and_carries_classes_values_and_legend_as_text(snap, catalogue, enschede):
    buurten, wijken = enschede
    asset = webmap.geometry_asset(buurten, wijken=wijken)
    table = figures.level_table(snap, catalogue, year=2021, level="buurt")
    args = webmap.view_args(
        asset, table["inwoners"], indicator=catalogue["inwoners"], year=2021, source="85039NED", selected="BU01530301"
    )
    i = asset.codes.index("BU01530301")
    assert args["text"][i] == "4.210" and args["selected"] == "BU01530301"
    assert len(args["colours"]) == 5 and set(args["cls"]) == set(range(5))
    assert len(args["inks"]) == len(args["colours"]) + 1  # and one for the background / missing
    assert args["legend"]["title"] == "Aantal inwoners (inwoners), 2021"
    assert "<" not in json.dumps(args["legend"])  # text, not HTML
    assert webmap.args_bytes(args) < 2500  # vs. the whole map (about 120 KB) before
    assert webmap.view_args(asset, table["inwoners"], indicator=catalogue["inwoners"], year=2021,
                            selected="BU_kapot")["selected"] is None  # fmt: skip


def test_missing_values_are_class_minus_one_and_user_text_stays_text():
    grid = _grid(3)
    grid.loc[0, "name"] = EVIL
    asset = webmap.geometry_asset(grid)
    values = pd.Series([np.nan, *range(8)], index=grid["code"], dtype=float)
    args = webmap.view_args(asset, values, indicator=_indicator(label_nl=EVIL), year=2023)
    assert args["cls"][0] == -1 and args["text"][0] == "onbekend"
    assert ["onbekend", maps.MISSING_COLOUR, 1, True] in args["legend"]["rows"]
    assert json.loads(asset.body)["areas"]["features"][0]["properties"]["name"] == EVIL  # set as text in JS
    assert args["legend"]["title"].startswith(EVIL)


def test_tiles_are_off_unless_configured(monkeypatch):
    from enschede_gis import settings

    monkeypatch.setattr(settings, "TILE_URL", "")
    assert webmap.configured_tiles() is None
    url = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/{z}/{x}/{y}.png"
    monkeypatch.setattr(settings, "TILE_URL", url)
    assert webmap.configured_tiles().url == url and "PDOK" in webmap.configured_tiles().attribution


def test_a_plain_view_fills_and_fits_the_focus_and_names_it_in_the_legend():
    grid = _grid(3)
    asset = webmap.geometry_asset(grid)
    codes = list(asset.codes)
    view = webmap.plain_view(asset, focus=[codes[4], "BU_elders"], focus_label=EVIL, title="Gebied", lang="en")
    fills = [view["colours"][i] for i in view["cls"]]
    assert fills[4] == webmap.FOCUS_FILL and set(fills[:4] + fills[5:]) == {webmap.PLAIN_FILL}
    assert view["focus"] == [codes[4]]  # an unknown code is left out
    assert view["legend"] == {"title": "Gebied", "rows": [[EVIL, webmap.FOCUS_FILL, None, False]], "notes": []}
    assert view["tip_label"] == "" and view["zoom_in"] == "Zoom in"
    assert view["attribution"].startswith("Source: CBS")  # the map's credit in the page's language
    assert webmap.plain_view(asset, lang="nl")["attribution"].startswith("Bron: CBS")
    assert webmap.ink_for(webmap.FOCUS_FILL)[0] == webmap.DARK_INK  # names read on the focus fill
    assert webmap.args_bytes(view) < 1200


def test_marks_carry_points_a_pin_and_a_shape_as_text_and_ask_for_a_place():
    asset = webmap.geometry_asset(_grid(2))
    long = "x" * 500
    points = [
        webmap.MapPoint(52.2, 6.89, ("Notitie", EVIL, long)),
        webmap.MapPoint(float("nan"), 6.9, ("kwijt",)),  # no place: left out, not guessed
    ]
    view = webmap.with_marks(
        webmap.plain_view(asset), points=points, pin=(52.21, 6.9), pin_label="Uw speld",
        shape=[(52.2, 6.8), (52.3, 6.9)], pick=True,
    )  # fmt: skip
    [point] = view["points"]
    assert point[:3] == [52.2, 6.89, webmap.POINT_COLOUR]
    assert point[3][1] == EVIL  # the browser sets it as text (textContent); not escaped twice
    assert len(point[3][2]) == webmap.POINT_TEXT_CHARS and point[3][2].endswith("…")
    assert view["pin"] == [52.21, 6.9, "Uw speld"] and view["shape"] == [[52.2, 6.8], [52.3, 6.9]]
    assert view["pick"] is True and view["focus"] == []
    plain = webmap.with_marks(webmap.plain_view(asset))
    assert plain["pick"] is False and plain["pin"] is None and plain["points"] == []


def test_a_clicked_place_is_two_finite_coordinates_or_a_clear_error():
    assert webmap.clicked_point(None) is None
    click = webmap.clicked_point({"lat": 52.2203456789, "lon": "6.8938", "id": "k1"})
    assert click == webmap.Click(52.220346, 6.8938, "k1")
    for bad in ("BU01530301", {"lat": "x", "lon": 6}, {"lat": float("inf"), "lon": 6}, {"lat": 95, "lon": 6}, [1, 2]):
        with pytest.raises(webmap.InputError, match="geen geldige coördinaten") as refused:
            webmap.clicked_point(bad)
        assert "no valid coordinates" in refused.value.message("en")


def test_point_text_is_one_clean_line_cut_with_an_ellipsis():
    typed = "Gat\u202ein de\u200b weg\nbij   de school"  # a direction override and a zero-width space from a phone
    assert webmap.short_text(typed) == "Gatin de weg bij de school"
    assert webmap.short_text("x" * 200, limit=10) == "x" * 9 + "…"
    assert webmap.short_text(None) == ""
