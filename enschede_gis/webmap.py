"""The interactive map, sent once: a geometry file per level and a small set of values per view.

The browser map (``static/wbmap/``, a Streamlit component in plain JavaScript on the app's own Leaflet)
loads a *geometry asset* once: a JSON file named after the hash of its content, holding the areas,
the wijk outlines, grey surroundings and the names to show with the zoom levels at which each name
fits without overlapping another. A click or a new figure then sends only a *view*
(:func:`view_args`): a class per area, the colours, the formatted values, the legend and the
selection, about 2 KB for Enschede's 70 buurten.

Everything here is plain Python (no Streamlit): the adapter writes the asset where the component can
serve it (:func:`write_asset`) and passes :func:`view_args` to the component.

Names
    :func:`plan_labels` decides, for every zoom level from :data:`MIN_ZOOM` to :data:`MAX_ZOOM`,
    which names are shown: wijk names first (largest first), then area names by size, each only
    where it fits inside its area and does not overlap a name already placed (a greedy check on
    estimated text boxes in screen pixels). :func:`ink_for` picks dark text with a light halo or
    light text with a dark halo from the fill under the name, so a name reads on every colour.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.ops import polylabel

from enschede_gis import classify as cl
from enschede_gis import i18n, maps, settings
from enschede_gis.errors import InputError
from enschede_gis.indicators import Indicator
from enschede_gis.maps import LegendEntry
from enschede_gis.text import clean_line

#: Zoom levels the label plan covers (Leaflet/web-mercator zoom; a gemeente fits at about 11-12), in
#: steps of ZOOM_STEP (the map zooms in quarter steps): at most 31 steps, a bit each in a JS integer.
MIN_ZOOM, MAX_ZOOM, ZOOM_STEP = 10.0, 18.0, 0.5
#: Font sizes (px) of the names on the map; wijk names are bold.
WIJK_FONT_PX = 15
AREA_FONT_PX = 13
#: Average glyph width as a share of the font size (system sans-serif; bold a little wider).
GLYPH_WIDTH = 0.6
BOLD_GLYPH_WIDTH = 0.66
#: A name longer than this is wrapped over two lines at the space nearest its middle.
WRAP_AT = 16
#: Pixels kept free around each name box (the halo and some air).
LABEL_PAD_PX = 3
#: Fill opacity of the areas; the label ink is chosen on the fill as it is seen (blended on the background).
FILL_OPACITY = 0.78
DARK_INK, LIGHT_INK = "#111111", "#ffffff"
CONTEXT_FILL = "#e6e6e2"
#: Areas left out on purpose (not unknown): plain white under the outlines.
PLAIN_FILL = "#ffffff"
_TILE = 256


# --------------------------------------------------------------------------------------------------
# Text colour on a fill


def _channel(c: float) -> float:
    c = c / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    h = hex_colour.strip().lstrip("#")
    if len(h) == 3:
        h = "".join(ch * 2 for ch in h)
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour (0 black .. 1 white)."""
    r, g, b = _rgb(hex_colour)
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 .. 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def seen_fill(fill: str, *, opacity: float = FILL_OPACITY, background: str = maps.BACKGROUND) -> str:
    """The colour a fill shows at ``opacity`` over the map background."""
    top, bottom = _rgb(fill), _rgb(background)
    mixed = [round(opacity * t + (1 - opacity) * b) for t, b in zip(top, bottom, strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*mixed)


def ink_for(fill: str | None) -> tuple[str, str]:
    """(text colour, halo colour) for a name drawn on ``fill``: whichever of dark or light text
    contrasts more with the fill as seen; the halo is the other one. No fill = the light background."""
    seen = seen_fill(fill) if fill else maps.BACKGROUND
    if contrast(seen, DARK_INK) >= contrast(seen, LIGHT_INK):
        return DARK_INK, LIGHT_INK
    return LIGHT_INK, DARK_INK


# --------------------------------------------------------------------------------------------------
# Label placement


@dataclass(frozen=True)
class Label:
    """A name to place: its lines, anchor (WGS84), the area's extent in metres, and its kind."""

    text: str
    lng: float
    lat: float
    width_m: float
    height_m: float
    kind: str  # "wijk" (always tried first, bold) or "area"
    under: str | None = None  # code of the coloured area under the anchor (for the ink)

    @property
    def lines(self) -> list[str]:
        return wrap(self.text)

    @property
    def font_px(self) -> int:
        return WIJK_FONT_PX if self.kind == "wijk" else AREA_FONT_PX

    def box_px(self) -> tuple[float, float]:
        """Estimated (width, height) of the name on screen, padding included."""
        glyph = BOLD_GLYPH_WIDTH if self.kind == "wijk" else GLYPH_WIDTH
        width = max(len(line) for line in self.lines) * glyph * self.font_px
        height = len(self.lines) * 1.2 * self.font_px
        return width + 2 * LABEL_PAD_PX, height + 2 * LABEL_PAD_PX


def wrap(text: str) -> list[str]:
    """One line, or two split at the space nearest the middle when the name is long; a dash between
    two parts stays at the end of the first line ("Twekkelerveld -" / "T.H.T.")."""
    if len(text) <= WRAP_AT:
        return [text]
    middle = len(text) / 2
    cuts = [i for i, ch in enumerate(text) if ch == " "]
    if not cuts:
        return [text]
    cut = min(cuts, key=lambda i: abs(i - middle))
    first, second = text[:cut].strip(), text[cut + 1 :].strip()
    if second.startswith(("-", "–")):
        first, second = f"{first} {second[0]}", second[1:].strip()
    return [first, second] if first and second else [text]


def _pixel(lng: float, lat: float, zoom: float) -> tuple[float, float]:
    """Web-mercator pixel position at ``zoom`` (as Leaflet computes it)."""
    scale = _TILE * 2**zoom
    x = (lng + 180) / 360 * scale
    s = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale
    return x, y


def _metres_per_pixel(lat: float, zoom: float) -> float:
    return 2 * math.pi * 6378137 * math.cos(math.radians(lat)) / (_TILE * 2**zoom)


#: Where a name may go when its own spot is taken, as shifts of (half its width, its height):
#: centred first, then above, below, left, right (a wijk name stays near its anchor, inside the wijk).
SHIFTS = ((0, 0), (0, -1), (0, 1), (-1, 0), (1, 0), (-1, -1), (1, -1), (-1, 1), (1, 1))


@dataclass(frozen=True)
class Placement:
    """Where a label is shown: a bit per zoom step (bit ``(z - MIN_ZOOM) / ZOOM_STEP``), and its pixel
    shift at the steps where it does not sit on its anchor (by step number)."""

    zooms: int
    shifts: dict[int, tuple[int, int]]


class _Boxes:
    """Placed label boxes in a coarse grid of screen cells, so a new box is checked only against
    the boxes near it (a gemeente of 1,000 buurten has thousands of names over all zoom levels)."""

    CELL = 256.0

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def _keys(self, box: tuple[float, float, float, float]):
        c = self.CELL
        for gx in range(int(box[0] // c), int(box[2] // c) + 1):
            for gy in range(int(box[1] // c), int(box[3] // c) + 1):
                yield gx, gy

    def hits(self, box: tuple[float, float, float, float]) -> bool:
        for key in self._keys(box):
            for b in self.cells.get(key, ()):
                if box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]:
                    return True
        return False

    def add(self, box: tuple[float, float, float, float]) -> None:
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(box)


def zoom_steps() -> list[float]:
    """The zoom levels of a label plan: MIN_ZOOM, MIN_ZOOM + ZOOM_STEP, ... MAX_ZOOM."""
    return [MIN_ZOOM + i * ZOOM_STEP for i in range(int((MAX_ZOOM - MIN_ZOOM) / ZOOM_STEP) + 1)]


def plan_labels(labels: Sequence[Label], zooms: Iterable[float] | None = None) -> list[Placement]:
    """For each label the zoom levels at which it is shown and where.

    Per zoom level, greedily: wijk labels first (smallest wijk first), then other labels from the
    largest area down. An
    area's name is shown only when its estimated box fits in the room around its anchor; a wijk name
    is always wanted and may move by one of :data:`SHIFTS` (staying within its wijk's room). A label
    is placed where it overlaps no label placed before it, else not at that zoom level.
    """

    def priority(i: int) -> tuple[bool, float]:
        # Wijk names first, the smallest wijk first (it has the fewest places to go; a large wijk can
        # move its name); then area names from the largest area down.
        room = labels[i].width_m * labels[i].height_m
        return (labels[i].kind != "wijk", room if labels[i].kind == "wijk" else -room)

    order = sorted(range(len(labels)), key=priority)
    zooms_of = [0] * len(labels)
    shifts: list[dict[int, tuple[int, int]]] = [{} for _ in labels]
    sizes = [label.box_px() for label in labels]
    for zoom in zoom_steps() if zooms is None else zooms:
        step = round((zoom - MIN_ZOOM) / ZOOM_STEP)
        placed = _Boxes()
        for i in order:
            label = labels[i]
            w, h = sizes[i]
            room_w, room_h = (room / _metres_per_pixel(label.lat, zoom) for room in (label.width_m, label.height_m))
            if label.kind != "wijk" and (w > room_w or h > room_h):
                continue
            x, y = _pixel(label.lng, label.lat, zoom)
            for sx, sy in SHIFTS if label.kind == "wijk" else SHIFTS[:1]:
                dx, dy = round(sx * w / 2), round(sy * h)
                if abs(dx) > room_w / 2 or abs(dy) > room_h / 2:
                    continue  # the anchor would leave the wijk
                box = (x + dx - w / 2, y + dy - h / 2, x + dx + w / 2, y + dy + h / 2)
                if placed.hits(box):
                    continue
                placed.add(box)
                zooms_of[i] |= 1 << step
                if dx or dy:
                    shifts[i][step] = (dx, dy)
                break
    return [Placement(z, s) for z, s in zip(zooms_of, shifts, strict=True)]


def labels_for(frame: gpd.GeoDataFrame, *, kind: str, under: gpd.GeoDataFrame | None = None) -> list[Label]:
    """A label per area of ``frame`` (``code``, ``name``, WGS84): its name without the CBS numbering,
    at a point certainly inside it, with the area's inner extent (around that point) in metres.

    ``under`` (the coloured areas, when they are not ``frame`` itself) names the area under each anchor.
    """
    rd = frame.to_crs(settings.CRS_RD)
    rd = rd.set_geometry(shapely.make_valid(rd.geometry.values))  # rounding for the web may leave a kink
    points_rd = gpd.GeoSeries([_anchor(geom) for geom in rd.geometry], crs=settings.CRS_RD)
    anchors = gpd.GeoSeries(points_rd, crs=settings.CRS_RD).to_crs(settings.CRS_WEB)
    under_codes = list(frame["code"].astype(str)) if under is None else _containing(under, anchors)
    out = []
    for name, geom, point, anchor, code in zip(
        frame["name"], rd.geometry, points_rd, anchors, under_codes, strict=True
    ):
        width, height = _room_around(geom, point)
        out.append(Label(maps._short_name(name), anchor.x, anchor.y, width, height, kind, code))
    return out


def _anchor(geom) -> shapely.Point:
    """The point of the area's largest part farthest from its edges (where a name has most room)."""
    parts = list(getattr(geom, "geoms", [geom]))
    largest = max(parts, key=lambda part: part.area)
    return polylabel(largest, tolerance=5.0)


def _room_around(geom, point) -> tuple[float, float]:
    """Width and height (m) of the area's horizontal and vertical chords through ``point``:
    a cheap measure of the room a name centred there has (a thin or bent area has little)."""
    minx, miny, maxx, maxy = geom.bounds
    horizontal = shapely.LineString([(minx - 1, point.y), (maxx + 1, point.y)]).intersection(geom)
    vertical = shapely.LineString([(point.x, miny - 1), (point.x, maxy + 1)]).intersection(geom)
    return _chord(horizontal, point), _chord(vertical, point)


def _chord(line, point) -> float:
    """Length of the part of ``line`` that holds ``point``; twice the shorter side so the name is centred."""
    parts = getattr(line, "geoms", [line])
    for part in parts:
        if part.is_empty or part.distance(point) > 1e-6:
            continue
        (x0, y0), (x1, y1) = part.coords[0], part.coords[-1]
        if abs(x1 - x0) > abs(y1 - y0):
            return 2 * min(abs(point.x - x0), abs(x1 - point.x))
        return 2 * min(abs(point.y - y0), abs(y1 - point.y))
    return 0.0


def _containing(areas: gpd.GeoDataFrame, points: gpd.GeoSeries) -> list[str | None]:
    web = areas.to_crs(settings.CRS_WEB)
    found: list[str | None] = []
    codes = list(web["code"].astype(str))
    tree = shapely.STRtree(web.geometry.values)
    for point in points:
        hits = [i for i in tree.query(point, predicate="intersects")]
        found.append(codes[min(hits)] if hits else None)
    return found


# --------------------------------------------------------------------------------------------------
# The geometry asset


@dataclass(frozen=True)
class Asset:
    """A geometry file for the browser: its content-hash name, its bytes and the area codes in order."""

    name: str
    body: bytes
    codes: tuple[str, ...]
    names: tuple[str, ...]


def _collection(frame: gpd.GeoDataFrame, *, with_names: bool) -> dict:
    features = []
    web = frame.to_crs(settings.CRS_WEB)
    for code, name, geom in zip(web["code"], web["name"], web.geometry, strict=True):
        if geom is None or geom.is_empty:
            continue
        props = {"name": str(name)} if with_names else {}
        features.append({"type": "Feature", "id": str(code), "properties": props, "geometry": geom.__geo_interface__})
    return {"type": "FeatureCollection", "features": features}


def geometry_asset(
    areas: gpd.GeoDataFrame,
    *,
    wijken: gpd.GeoDataFrame | None = None,
    context: gpd.GeoDataFrame | None = None,
) -> Asset:
    """The file the browser map loads once: ``areas`` (clickable, coloured), ``wijken`` (outlines and
    the wijk names; leave out when ``areas`` are the wijken), ``context`` (grey surroundings under the
    areas, e.g. the buurten around custom areas) and the label plan. Frames come from
    :func:`enschede_gis.boundaries.for_web`. The name is the hash of the content, so a browser may
    cache it for good and a new snapshot gets a new name.
    """
    codes = tuple(str(c) for c in areas["code"])
    labels = labels_for(areas, kind="wijk" if wijken is None and _is_wijk(areas) else "area")
    if wijken is not None and not wijken.empty:
        labels = labels_for(wijken, kind="wijk", under=areas) + labels
    plan = plan_labels(labels)
    body = {
        "bounds": [round(float(v), 5) for v in areas.to_crs(settings.CRS_WEB).total_bounds],
        "areas": _collection(areas, with_names=True),
        "wijken": _collection(wijken, with_names=False) if wijken is not None else None,
        "context": _collection(context, with_names=False) if context is not None else None,
        "labels": [
            {
                "lines": label.lines,
                "at": [round(label.lat, 5), round(label.lng, 5)],
                "kind": label.kind,
                "under": label.under,
                "zooms": place.zooms,
                **({"shifts": {str(z): list(d) for z, d in place.shifts.items()}} if place.shifts else {}),
            }
            for label, place in zip(labels, plan, strict=True)
        ],
        "min_zoom": MIN_ZOOM,
        "zoom_step": ZOOM_STEP,
    }
    data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()[:16]
    return Asset(name=f"geo-{digest}.json", body=data, codes=codes, names=tuple(str(n) for n in areas["name"]))


def _is_wijk(frame: gpd.GeoDataFrame) -> bool:
    return bool(len(frame)) and all(str(c).startswith("WK") for c in frame["code"])


def write_asset(folder: Path, asset: Asset) -> Path:
    """Write ``asset`` into ``folder`` once (atomically; an existing file of that name is the same)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / asset.name
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(asset.body)
        os.replace(tmp, path)
    return path


# --------------------------------------------------------------------------------------------------
# A view: what changes with a click or a new figure


@dataclass(frozen=True)
class TileService:
    """An online background map: a Leaflet URL template and its credit (shown only once tiles load)."""

    url: str
    attribution: str


OSM_TILES = TileService("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap-bijdragers (ODbL)")


def configured_tiles() -> TileService | None:
    """The gemeente's own tile service (``WIJKBEELD_TILE_URL``), e.g. PDOK's BRT-Achtergrondkaart."""
    if not settings.TILE_URL:
        return None
    return TileService(settings.TILE_URL, settings.TILE_ATTRIBUTION)


def view_args(
    asset: Asset,
    values: pd.Series,
    *,
    indicator: Indicator,
    year: int,
    source: str = "",
    lang: str = "nl",
    method: cl.Method = "quantiles",
    k: int = 5,
    scheme: str = "YlGnBu",
    reference: maps.Reference | None = None,
    selected: str | None = None,
    outlines: bool = True,
    labels: bool = True,
    tiles: TileService | None = None,
    extra_tooltip: Mapping[str, Mapping[str, str]] | None = None,
    missing_label: str | None = None,
) -> dict:
    """The component's arguments for one view of ``asset``: everything but the geometry.

    ``cls`` holds a colour index per area in the asset's order (-1 = missing, drawn hatched),
    ``text`` the formatted value per area (for the tooltip); ``inks`` the text and halo colour of a
    name on each colour. ``extra_tooltip``: more tooltip lines, label -> text per area code.
    ``missing_label``: areas without a value are not unknown but left out on purpose (e.g. the
    buurten a scenario does not touch): drawn plain, not hatched, under this legend label.
    """
    values = pd.to_numeric(values, errors="coerce").astype(float).reindex(list(asset.codes))
    fills, entries, lines = maps._classes(values, indicator, lang, method, k, scheme, reference)
    if missing_label is not None:
        entries = tuple(LegendEntry(missing_label, PLAIN_FILL, e.count) if e.hatched else e for e in entries)
    legend = maps.make_legend(indicator, year, source, lang, entries, lines)
    return _view(
        asset,
        fills,
        text=[indicator.format(v, lang, with_unit=False) for v in values.to_numpy()],
        legend=compact_legend(legend),
        tip_label=legend.title,
        lang=lang,
        missing_fill=PLAIN_FILL if missing_label is not None else None,
        extra_tooltip=extra_tooltip,
        selected=selected,
        outlines=outlines,
        labels=labels,
        tiles=tiles,
    )


def _view(
    asset: Asset,
    fills: Mapping[str, str],
    *,
    text: Sequence[str],
    legend: dict,
    tip_label: str,
    lang: str,
    missing_fill: str | None = None,
    extra_tooltip: Mapping[str, Mapping[str, str]] | None = None,
    selected: str | None = None,
    outlines: bool = True,
    labels: bool = True,
    tiles: TileService | None = None,
) -> dict:
    """The view every kind of map shares: a colour index per area (``fills``: code -> colour; an
    area without one is missing), the tooltip text, the legend as text, and the map's settings."""
    colours = sorted(set(fills.values()), key=list(fills.values()).index)
    index = {c: i for i, c in enumerate(colours)}
    return {
        "asset": asset.name,
        "cls": [index.get(fills.get(code, ""), -1) for code in asset.codes],
        "text": list(text),
        "colours": colours,
        "inks": [list(ink_for(c)) for c in colours] + [list(ink_for(missing_fill))],
        "missing": maps.MISSING_COLOUR,
        "missing_fill": missing_fill,
        "more": [
            [label, [texts.get(code, "") for code in asset.codes]] for label, texts in (extra_tooltip or {}).items()
        ],
        "tip_label": tip_label,
        "legend": legend,
        "selected": selected if selected in asset.codes else None,
        "outlines": bool(outlines),
        "labels": bool(labels),
        "tiles": {"url": tiles.url, "attribution": tiles.attribution} if tiles else None,
        "attribution": i18n.t("app.attribution", lang),
        "lang": lang,
        "zoom_in": i18n.t("kaart.zoom_in", lang),
        "zoom_out": i18n.t("kaart.zoom_out", lang),
    }


#: The area a plain map is about (a meeting's area, the area of the input page): a warm fill that
#: every name reads on, and a thick black outline around it.
FOCUS_FILL = "#fdd49e"


def plain_view(
    asset: Asset,
    *,
    lang: str = "nl",
    focus: Iterable[str] = (),
    focus_label: str = "",
    title: str = "",
) -> dict:
    """A map without figures: every area plain with its name; the ``focus`` areas (codes of the
    asset) filled and outlined, the map fitted to them (see :func:`with_marks`). The legend shows
    ``title`` and, when there is a focus, one row ``focus_label``."""
    chosen = [c for c in focus if c in asset.codes]
    fills = {code: FOCUS_FILL if code in chosen else PLAIN_FILL for code in asset.codes}
    rows = [[focus_label, FOCUS_FILL, None, False]] if chosen and focus_label else []
    view = _view(
        asset,
        fills,
        text=["" for _ in asset.codes],
        legend={"title": title, "rows": rows, "notes": []},
        tip_label="",
        lang=lang,
    )
    return with_marks(view, focus=chosen)


def category_view(
    asset: Asset,
    category: Mapping[str, int],
    *,
    colours: Sequence[str],
    names: Sequence[str],
    title: str,
    lang: str = "nl",
    rest: str = "",
    extra_tooltip: Mapping[str, Mapping[str, str]] | None = None,
) -> dict:
    """A map of classes that are not figures (e.g. how many project conflicts a buurt has):
    ``category`` maps an area code to an index into ``colours``/``names``; every other area is plain,
    in the legend as ``rest`` when given. The tooltip says the area's class name."""
    fills = {code: colours[i] for code, i in category.items() if code in asset.codes}
    fills.update({code: PLAIN_FILL for code in asset.codes if code not in fills})
    counts = [sum(1 for i in category.values() if i == n) for n in range(len(colours))]
    rows = [[name, colour, count, False] for name, colour, count in zip(names, colours, counts, strict=True)]
    if rest:
        rows.append([rest, PLAIN_FILL, len(asset.codes) - sum(counts), False])
    return _view(
        asset,
        fills,
        text=[names[category[c]] if c in category else rest for c in asset.codes],
        legend={"title": title, "rows": rows, "notes": []},
        tip_label=title,
        lang=lang,
        extra_tooltip=extra_tooltip,
    )


def for_projector(view: Mapping) -> dict:
    """``view`` for a room: names on the map 1.5 times larger (placed from the label plan of a lower
    zoom level, so they still never overlap), legend 26 px and tooltips 22 px."""
    return {**view, "projector": True}


# --------------------------------------------------------------------------------------------------
# Points, a pin and a drawn shape on a view; clicks on a map that asks for a place


#: Characters of a user's text in a point's tooltip (a tooltip is not the place to read a letter).
POINT_TEXT_CHARS = 80
POINT_COLOUR = "#6a3d9a"
#: The pin the user is placing now, and a shape being drawn: colours apart from the figures' schemes.
PIN_COLOUR, SHAPE_COLOUR = "#1b9e77", "#d95f02"


@dataclass(frozen=True)
class MapPoint:
    """A point shown on a map (an input's pin, a project): WGS84 and the tooltip's lines, as typed
    (the browser sets them as text, never as HTML)."""

    lat: float
    lon: float
    lines: tuple[str, ...]
    colour: str = POINT_COLOUR


def short_text(text: object, limit: int = POINT_TEXT_CHARS) -> str:
    """``text`` on one line (cleaned like every name and note: :func:`enschede_gis.text.clean_line`),
    cut to ``limit`` characters with an ellipsis."""
    line = " ".join(clean_line(text or "").split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _finite(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def with_marks(
    view: Mapping,
    *,
    focus: Iterable[str] | None = None,
    points: Iterable[MapPoint] = (),
    pin: tuple[float, float] | None = None,
    pin_label: str = "",
    shape: Sequence[tuple[float, float]] = (),
    pick: bool = False,
) -> dict:
    """``view`` with marks on top: ``focus`` (area codes outlined thick; the map fits to them),
    ``points`` (small markers with a tooltip), ``pin`` ((lat, lon) of the place being chosen, as a
    large marker named ``pin_label``), ``shape`` ((lat, lon) corners of a line or, from three, a
    polygon) and ``pick``: a click anywhere then answers a place (see :func:`clicked_point`) instead
    of an area. Points without valid coordinates are left out."""
    out = dict(view)
    if focus is not None:
        out["focus"] = [str(code) for code in focus]
    shown = []
    for p in points:
        lat, lon = _finite(p.lat), _finite(p.lon)
        if lat is not None and lon is not None:
            shown.append([round(lat, 6), round(lon, 6), p.colour, [short_text(line) for line in p.lines]])
    out["points"] = shown
    out["pin"] = [round(float(pin[0]), 6), round(float(pin[1]), 6), short_text(pin_label)] if pin else None
    out["shape"] = [[round(float(lat), 6), round(float(lon), 6)] for lat, lon in shape]
    out["pick"] = bool(pick)
    out["colours_marks"] = {"pin": PIN_COLOUR, "shape": SHAPE_COLOUR}
    return out


@dataclass(frozen=True)
class Click:
    """A place clicked on a map in pick mode: WGS84 (EPSG:4326) latitude and longitude, and the
    click's id (a new id for every click, also a second click on the same spot)."""

    lat: float
    lon: float
    id: str


def clicked_point(value: object) -> Click | None:
    """The place a pick-mode map answered (``{"lat", "lon", "id"}``, WGS84), checked: None before any
    click; an :class:`InputError` for anything else than two finite coordinates on the globe (the
    browser sends what it wants). Whether the place lies in the gemeente is for the caller to check
    (:meth:`enschede_gis.inputs.Places.pin`)."""
    if value is None:
        return None
    lat = lon = None
    if isinstance(value, Mapping):
        lat, lon = _finite(value.get("lat")), _finite(value.get("lon"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InputError(
            "De plek op de kaart heeft geen geldige coördinaten; klik nog eens op de kaart.",
            en="The place on the map has no valid coordinates; click the map again.",
        )
    return Click(round(lat, 6), round(lon, 6), str(value.get("id", ""))[:40])  # type: ignore[union-attr]


def compact_legend(legend: maps.Legend) -> dict:
    """The legend as plain text for the browser (which sets it as text, never as HTML): rows of
    [label, colour or None for a heading, count or None, hatched]."""
    return {
        "title": legend.title,
        "rows": [[e.label, e.colour, e.count, e.hatched] for e in legend.entries],
        "notes": [*legend.lines, *([legend.note] if legend.note else [])],
    }


def args_bytes(args: Mapping) -> int:
    """Size of the view as JSON (what a rerun sends for the map)."""
    return len(json.dumps(args, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
