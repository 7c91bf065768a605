"""Folium maps that draw with no internet: choropleths, outlines, labels, points, legends.

The pages no longer draw folium maps: every map in the app is the map component (``static/wbmap``,
:mod:`enschede_gis.webmap`), which gets the geometry once and then only a small view per rerun. What
stays in use here is shared with it: the classes, colours and legend (:func:`make_legend`). The folium
builders below are kept for the benches' "before" maps (``bench/map_payload.py``,
``bench/page_maps.py``, ``bench/map_scale.py``); they return plain folium objects, so a test
inspects ``m.get_root().render()`` without a browser.

Offline
    Leaflet (and jQuery, which folium's popups use) are served by the app itself from ``static/``
    (Streamlit's ``server.enableStaticServing``, URL prefix :data:`STATIC_URL`). :func:`base_map`
    points folium's ``default_js``/``default_css`` there, so no CDN is asked for anything. Do not add
    folium elements that bring their own CDN scripts (``folium.Choropleth``, branca colormaps,
    ``folium.Icon``/awesome markers, most ``folium.plugins``): use the builders below instead.
    An OpenStreetMap base map is optional; without it the map has a light neutral background and
    the areas keep their outlines, so it still reads well.

Building blocks (all text shown to a user is HTML-escaped here, so callers pass plain text)

- :func:`base_map` -- an empty offline map fitted to a frame's bounds (optionally OSM tiles).
- :func:`choropleth` -- base map + :func:`choropleth_layer` + legend + optional wijk outlines and
  area labels + any ``extra_layers``; the one call a page usually needs.
- :func:`choropleth_layer` -- the coloured areas as a ``folium.GeoJson`` (tooltip per area; the
  clicked feature's ``properties.code`` comes back from ``st_folium(..., returned_objects=
  ["last_active_drawing"])``).
- :func:`outline_layer` -- outlines only (e.g. wijken over buurten), not clickable.
- :func:`label_layer` -- area names as text labels, not clickable.
- :func:`point_layer` -- circle markers with an escaped tooltip and popup (e.g. projects).
- :func:`selection_layer` -- a thick outline around one area; pass it to ``st_folium(...,
  feature_group_to_add=...)`` so changing the selection does not reload the map.
- :class:`Legend` / :func:`add_legend` -- a legend box on the map; :meth:`Legend.to_html` for
  showing the same legend outside the map.
- :func:`palette` and :data:`SEQUENTIAL_SCHEMES` / :data:`DIVERGING_SCHEMES` -- colour-blind-safe
  ColorBrewer schemes; :class:`Reference` -- the value a diverging map is coloured around.
- :func:`escape` / :func:`tooltip_html` -- for your own popups and tooltips.
- :func:`indicator_years`, :func:`sources_by_indicator`, :func:`panel_rows` -- what can be mapped
  (indicator -> years with data at a level), the source of every figure, and formatted figure-vs-reference rows
  for a side panel.

Example (a page)::

    web = boundaries.for_web(boundaries.for_gemeente(snap, "buurt"))     # cache this per level
    m = maps.choropleth(web, table["inwoners"], indicator=cat["inwoners"], year=2021,
                        source=src, reference=maps.Reference("Enschede", 1234.0),
                        extra_layers=[maps.point_layer(projects, tooltip_column="titel",
                                                       popup_columns={"omschrijving": "Omschrijving"})])
    out = st_folium(m, key="my_map", returned_objects=["last_active_drawing"],
                    feature_group_to_add=maps.selection_layer(web, selected_code))
    code = ((out or {}).get("last_active_drawing") or {}).get("properties", {}).get("code")

Input frames come from :func:`enschede_gis.boundaries.for_web` (WGS84, simplified, with ``code`` and
``name`` columns); values are ``pd.Series`` indexed by area code.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import MacroElement
from branca.utilities import color_brewer
from jinja2 import Template

from enschede_gis import classify as cl
from enschede_gis import i18n, settings
from enschede_gis.errors import InputError
from enschede_gis.indicators import Indicator

#: Where Streamlit serves ``static/`` (``server.enableStaticServing``). The map's iframe is served by
#: the same origin, so an absolute path works.
STATIC_URL = "/app/static"
#: Scripts and styles for every map, served locally (see static/README.md for versions and licences).
OFFLINE_JS = [
    ("leaflet", f"{STATIC_URL}/leaflet-1.9.4/leaflet.js"),
    ("jquery", f"{STATIC_URL}/jquery-3.7.1/jquery.min.js"),  # folium's Popup template uses $()
]
OFFLINE_CSS = [("leaflet_css", f"{STATIC_URL}/leaflet-1.9.4/leaflet.css")]

#: ColorBrewer schemes that ColorBrewer marks colour-blind safe.
SEQUENTIAL_SCHEMES = ("YlGnBu", "Blues", "Purples", "Oranges", "YlOrBr", "Greens")
DIVERGING_SCHEMES = ("RdBu", "PuOr", "BrBG", "PiYG")

#: Missing values: light grey with dark grey hatching (an SVG pattern), grey when patterns fail.
MISSING_COLOUR = "#d9d9d9"
HATCH_ID = "wb-missing-hatch"
MISSING_FILL = f"url(#{HATCH_ID}) {MISSING_COLOUR}"
OUTLINE_COLOUR = "#4d4d4d"
BACKGROUND = "#f4f4f1"
SELECTION_COLOUR = "#000000"

#: What the map shows when nothing is chosen yet.
DEFAULT_INDICATOR = "inwoners"
DEFAULT_ZOOM = 12
LABEL_SIZE = (96, 28)  # px; a label wraps within this box, centred on a point inside its area
_WIJK_PREFIX = re.compile(r"^(Wijk|Buurt)\s+\d+\s+", re.IGNORECASE)
TILE_OPACITY = 0.55  # a muted base map lets the area colours carry the meaning


def escape(text: object) -> str:
    """HTML-escape text for a tooltip/popup/label; also neutralise JS template-literal syntax.

    folium puts tooltip and popup HTML inside JavaScript backtick strings, where a user's "`" or
    "${" would otherwise end the string or run code.
    """
    out = html.escape("" if text is None else str(text), quote=True)
    return out.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def palette(scheme: str, n: int) -> list[str]:
    """``n`` colours (light to dark, or low to high for diverging) of a ColorBrewer scheme."""
    if scheme not in SEQUENTIAL_SCHEMES + DIVERGING_SCHEMES:
        known = ", ".join(SEQUENTIAL_SCHEMES + DIVERGING_SCHEMES)
        raise InputError(
            f"Onbekend kleurenschema '{scheme}': kies uit {known}.",
            en=f"Unknown colour scheme '{scheme}': choose from {known}.",
        )
    if n <= 0:
        return []
    if n >= 3:
        return list(color_brewer(scheme, n))
    three = list(color_brewer(scheme, 3 if scheme in SEQUENTIAL_SCHEMES else 4))
    return [three[0], three[-1]] if n == 2 else [three[len(three) // 2]]


# --------------------------------------------------------------------------------------------------
# Legend


@dataclass(frozen=True)
class LegendEntry:
    """One legend row: a colour swatch (hatched for missing) with its label; no colour = a heading."""

    label: str
    colour: str | None = None
    count: int | None = None
    hatched: bool = False


@dataclass(frozen=True)
class Legend:
    """Title, entries and a note (year, source, reference); plain text, escaped when rendered."""

    title: str
    entries: tuple[LegendEntry, ...]
    note: str = ""
    lines: tuple[str, ...] = field(default_factory=tuple)

    def to_html(self) -> str:
        rows = []
        for entry in self.entries:
            if entry.colour is None:
                rows.append(f'<div class="wb-legend-head">{escape(entry.label)}</div>')
                continue
            fill = MISSING_FILL if entry.hatched else escape(entry.colour)
            swatch = (
                '<svg width="18" height="12" viewBox="0 0 18 12" preserveAspectRatio="none">'
                f'<rect width="18" height="12" fill="{fill}" stroke="{OUTLINE_COLOUR}" stroke-width="0.6"/></svg>'
            )
            count = f' <span class="wb-legend-count">({entry.count})</span>' if entry.count is not None else ""
            rows.append(f'<div class="wb-legend-row">{swatch} {escape(entry.label)}{count}</div>')
        lines = "".join(f'<div class="wb-legend-note">{escape(line)}</div>' for line in self.lines)
        note = f'<div class="wb-legend-note">{escape(self.note)}</div>' if self.note else ""
        title = f'<div class="wb-legend-title">{escape(self.title)}</div>'
        return f'<div class="wb-legend">{title}{"".join(rows)}{lines}{note}</div>'

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "entries": [entry.__dict__ for entry in self.entries],
            "note": self.note,
            "lines": list(self.lines),
        }


class _LegendControl(MacroElement):
    """A Leaflet control in a map corner holding pre-escaped legend HTML."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create('div', 'wb-legend-box');
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, legend_html: str, position: str = "bottomright"):
        super().__init__()
        self._name = "LegendControl"
        self.html = legend_html
        self.position = position


def add_legend(m: folium.Map, legend: Legend, *, position: str = "bottomright") -> folium.Map:
    """Put ``legend`` on the map (as a Leaflet control, so it works inside st_folium too)."""
    _LegendControl(legend.to_html(), position).add_to(m)
    return m


# --------------------------------------------------------------------------------------------------
# Map and layers


class _Assets(MacroElement):
    """Styles and the SVG hatch pattern every map needs; added first so the pattern exists in time."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .leaflet-container { background: {{ this.background }}; font-family: system-ui, sans-serif; }
        .leaflet-container .leaflet-control-attribution { font-size: 10px; line-height: 1.3; }
        .leaflet-container .leaflet-tooltip { font-size: 12px; line-height: 1.35; }
        .wb-legend-box { background: rgba(255,255,255,0.93); padding: 6px 9px; border-radius: 4px;
            box-shadow: 0 1px 4px rgba(0,0,0,0.3); font-size: 12px; line-height: 1.35; max-width: 230px; }
        .wb-legend-title { font-weight: 600; margin-bottom: 3px; }
        .wb-legend-head { font-style: italic; margin-top: 3px; }
        .wb-legend-row svg { vertical-align: middle; }
        .wb-legend-count, .wb-legend-note { color: #555; font-size: 11px; }
        .wb-legend-note { margin-top: 3px; }
        .wb-label { font-size: 10px; line-height: 1.1; color: #111; text-align: center; display: flex;
            align-items: center; justify-content: center; pointer-events: none;
            text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        if (!document.getElementById({{ this.hatch_id|tojson }})) {
            var wbDefs = document.createElement('div');
            wbDefs.innerHTML = {{ this.defs|tojson }};
            document.body.appendChild(wbDefs.firstChild);
        }
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "WijkbeeldAssets"
        self.background = BACKGROUND
        self.hatch_id = HATCH_ID
        self.defs = (
            '<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>'
            f'<pattern id="{HATCH_ID}" patternUnits="userSpaceOnUse" width="7" height="7" '
            'patternTransform="rotate(45)">'
            f'<rect width="7" height="7" fill="{MISSING_COLOUR}"/>'
            '<line x1="0" y1="0" x2="0" y2="7" stroke="#8a8a8a" stroke-width="2.2"/>'
            "</pattern></defs></svg>"
        )


def base_map(frame: gpd.GeoDataFrame | None = None, *, tiles: bool = True) -> folium.Map:
    """An empty map that loads only local scripts, fitted to ``frame`` (WGS84) when given.

    ``tiles=True`` adds a muted OpenStreetMap base map; when the tiles cannot be fetched (no
    internet) the map simply shows its light background.
    """
    location = None
    if frame is not None and not frame.empty:
        minx, miny, maxx, maxy = frame.to_crs(settings.CRS_WEB).total_bounds
        location = [(miny + maxy) / 2, (minx + maxx) / 2]
    m = folium.Map(location=location, zoom_start=DEFAULT_ZOOM, tiles=None, control_scale=True, zoom_snap=0.25)
    m.default_js = list(OFFLINE_JS)
    m.default_css = list(OFFLINE_CSS)
    _Assets().add_to(m)
    if tiles:
        folium.TileLayer("OpenStreetMap", opacity=TILE_OPACITY, name="OpenStreetMap", control=False).add_to(m)
    if location is not None:
        # Room at the bottom right for the legend, so it covers as little of the areas as possible.
        m.fit_bounds([[miny, minx], [maxy, maxx]], padding_top_left=(5, 5), padding_bottom_right=(5, 110))
    return m


def _features(frame: gpd.GeoDataFrame, properties: pd.DataFrame) -> dict:
    """A GeoJSON FeatureCollection with only ``properties``' columns (id = code)."""
    web = frame.to_crs(settings.CRS_WEB)
    features = []
    for code, geom, props in zip(web["code"], web.geometry, properties.to_dict("records"), strict=True):
        if geom is None or geom.is_empty:
            continue
        features.append({"type": "Feature", "id": str(code), "properties": props, "geometry": geom.__geo_interface__})
    return {"type": "FeatureCollection", "features": features}


def tooltip_html(name: str, rows: Iterable[tuple[str, str]]) -> str:
    """Escaped tooltip HTML: the name in bold, then ``label: value`` lines."""
    lines = [f"<b>{escape(name)}</b>"] + [f"{escape(label)}: {escape(value)}" for label, value in rows]
    return "<br>".join(lines)


def choropleth_layer(
    frame: gpd.GeoDataFrame,
    fills: Mapping[str, str],
    tooltips: Mapping[str, str],
    *,
    name: str = "choropleth",
    attribution: str = settings.ATTRIBUTION,
    fill_opacity: float = 0.78,
) -> folium.GeoJson:
    """Coloured, clickable areas: ``fills`` and ``tooltips`` (pre-escaped HTML) by area code.

    Only ``code`` and ``tooltip`` travel to the browser per area. Areas without a fill
    are drawn as missing (hatched grey).
    """
    codes = [str(c) for c in frame["code"]]
    props = pd.DataFrame({"code": codes, "tooltip": [tooltips.get(c, "") for c in codes]})
    style = {c: fills.get(c) or MISSING_FILL for c in codes}

    def style_function(feature: dict) -> dict:
        return {
            "fillColor": style.get(feature["properties"]["code"], MISSING_FILL),
            "fillOpacity": fill_opacity,
            "color": OUTLINE_COLOUR,
            "weight": 0.8,
        }

    layer = folium.GeoJson(
        _features(frame, props),
        name=name,
        style_function=style_function,
        highlight_function=lambda _feature: {"weight": 3, "color": SELECTION_COLOUR},
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True),
        attribution=escape(attribution),
    )
    return layer


def outline_layer(
    frame: gpd.GeoDataFrame,
    *,
    name: str = "outlines",
    colour: str = "#222222",
    weight: float = 2.2,
    dash: str | None = None,
) -> folium.GeoJson:
    """Outlines only (no fill, not clickable), e.g. wijk borders over buurten."""
    props = pd.DataFrame({"code": [str(c) for c in frame["code"]]})
    return folium.GeoJson(
        _features(frame, props),
        name=name,
        style_function=lambda _f: {"fill": False, "color": colour, "weight": weight, "dashArray": dash},
        interactive=False,
    )


def label_layer(frame: gpd.GeoDataFrame, *, name: str = "labels") -> folium.FeatureGroup:
    """Each area's name at a point inside it, as non-clickable text."""
    group = folium.FeatureGroup(name=name, control=False)
    rd = frame.to_crs(settings.CRS_RD)
    points = gpd.GeoSeries(rd.geometry.representative_point(), crs=settings.CRS_RD).to_crs(settings.CRS_WEB)
    for label, point in zip(frame["name"], points, strict=True):
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(
                html=f"<span>{escape(_short_name(label))}</span>",
                class_name="wb-label",
                icon_size=LABEL_SIZE,
                icon_anchor=(LABEL_SIZE[0] // 2, LABEL_SIZE[1] // 2),
            ),
            interactive=False,
        ).add_to(group)
    return group


def _short_name(name: object) -> str:
    """A label without the "Wijk 03 " numbering CBS puts before wijk names (the tooltip keeps it)."""
    return _WIJK_PREFIX.sub("", str(name)) or str(name)


def point_layer(
    points: gpd.GeoDataFrame,
    *,
    tooltip_column: str,
    popup_columns: Mapping[str, str] | None = None,
    name: str = "points",
    colour: str = "#d95f02",
    radius: float = 7,
) -> folium.FeatureGroup:
    """Circle markers with an escaped tooltip and popup (``popup_columns``: column -> label)."""
    group = folium.FeatureGroup(name=name)
    web = points.to_crs(settings.CRS_WEB)
    for _, row in web.iterrows():
        geom = row.geometry
        if geom is None or geom.is_empty:
            continue
        point = geom if geom.geom_type == "Point" else geom.representative_point()
        popup = None
        if popup_columns:
            body = tooltip_html(
                str(row[tooltip_column]),
                [(label, _text(row[col])) for col, label in popup_columns.items()],
            )
            popup = folium.Popup(body, max_width=320)
        folium.CircleMarker(
            [point.y, point.x],
            radius=radius,
            color="#ffffff",
            weight=1.5,
            fill=True,
            fill_color=colour,
            fill_opacity=0.95,
            tooltip=folium.Tooltip(escape(row[tooltip_column])),
            popup=popup,
        ).add_to(group)
    return group


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


def selection_layer(frame: gpd.GeoDataFrame, code: str | None, *, name: str = "selection") -> folium.FeatureGroup:
    """A thick, non-clickable outline around area ``code`` (empty group when it is not in ``frame``)."""
    group = folium.FeatureGroup(name=name, control=False)
    chosen = frame[frame["code"] == code] if code else frame.iloc[0:0]
    if not chosen.empty:
        outline_layer(chosen, name=f"{name}-outline", colour=SELECTION_COLOUR, weight=4).add_to(group)
    return group


# --------------------------------------------------------------------------------------------------
# The choropleth


@dataclass(frozen=True)
class Reference:
    """A value to colour relative to (diverging mode), e.g. the gemeente average."""

    name: str
    value: float


#: Kinds whose gemeente figure is a total: an area is compared with the average area instead.
TOTAL_KINDS = ("count", "area")


def reference_for(
    indicator: Indicator,
    *,
    gemeente_name: str,
    gemeente_value: float,
    area_values: pd.Series,
    level: str,
    lang: str = "nl",
) -> Reference | None:
    """What "relative to the gemeente" means for this indicator.

    For a share, an average or a density the gemeente's own figure is the average to compare with.
    For a count or an area the gemeente figure is a total that every area lies below, so the
    reference is the mean of the areas instead, and the legend says so. ``None`` when unknown.
    """
    if indicator.kind in TOTAL_KINDS:
        value = float(pd.to_numeric(area_values, errors="coerce").mean())
        name = i18n.t(f"kaart.reference.per_{level}", lang, gemeente=gemeente_name)
    else:
        value, name = float(gemeente_value), gemeente_name
    return Reference(name, value) if np.isfinite(value) else None


def choropleth(
    frame: gpd.GeoDataFrame,
    values: pd.Series,
    *,
    indicator: Indicator,
    year: int,
    source: str = "",
    lang: str = "nl",
    method: cl.Method = "quantiles",
    k: int = 5,
    scheme: str = "YlGnBu",
    reference: Reference | None = None,
    tiles: bool = True,
    outlines: gpd.GeoDataFrame | None = None,
    labels: bool = False,
    extra_tooltip: Mapping[str, pd.Series] | None = None,
    extra_layers: Iterable[folium.Element] = (),
    legend: bool = True,
) -> folium.Map:
    """A ready map of ``values`` (indexed by area code) over the areas in ``frame``.

    Parameters
    ----------
    frame : areas from :func:`enschede_gis.boundaries.for_web` (``code``, ``name``, geometry).
    values : one value per area code; NaN (or an absent code) is drawn as missing ("onbekend").
    indicator, year, source : name the figure, its unit, year and source table in tooltip and legend.
    method, k : classification (see :mod:`enschede_gis.classify`).
    scheme : a name from :data:`SEQUENTIAL_SCHEMES`; with ``reference`` a :data:`DIVERGING_SCHEMES`
        name (a sequential name is replaced by ``RdBu``).
    reference : colour each area below/above this value (diverging; named in the legend). For an
        indicator where higher is worse the scheme is flipped so "worse" is always the warm colour.
    outlines : e.g. the wijken, drawn as thick lines over the areas.
    labels : show each area's name on the map.
    extra_tooltip : more tooltip lines, label -> already formatted text per area code.
    extra_layers : any folium layers/elements to add on top (see :func:`point_layer`).
    """
    values = pd.to_numeric(values, errors="coerce").astype(float)
    codes = [str(c) for c in frame["code"]]
    values = values.reindex(codes)
    fills, entries, lines = _classes(values, indicator, lang, method, k, scheme, reference)
    label = indicator.label(lang)
    rows = {c: [(label, indicator.format(values.get(c), lang)), (i18n.t("kaart.year", lang), str(year))] for c in codes}
    for extra_label, extra_values in (extra_tooltip or {}).items():
        for c in codes:
            rows[c].append((extra_label, _text(extra_values.get(c))))
    names = dict(zip(codes, frame["name"], strict=True))
    tooltips = {c: tooltip_html(str(names[c]), rows[c]) for c in codes}

    m = base_map(frame, tiles=tiles)
    choropleth_layer(frame, fills, tooltips).add_to(m)
    if outlines is not None and not outlines.empty:
        outline_layer(outlines, name="outlines").add_to(m)
    if labels:
        label_layer(frame).add_to(m)
    for layer in extra_layers:
        layer.add_to(m)
    if legend:
        add_legend(m, make_legend(indicator, year, source, lang, entries, lines))
    return m


def make_legend(
    indicator: Indicator,
    year: int,
    source: str,
    lang: str,
    entries: tuple[LegendEntry, ...],
    lines: tuple[str, ...] = (),
) -> Legend:
    """The legend for a choropleth: label, unit and year in the title; the source below."""
    unit = indicator.unit(lang)
    label = indicator.label(lang)
    title = f"{label} ({unit}), {year}" if unit and unit != label else f"{label}, {year}"
    note = i18n.t("kaart.legend.source", lang, source=source) if source else ""
    return Legend(title=title, entries=entries, note=note, lines=lines)


def _classes(
    values: pd.Series,
    indicator: Indicator,
    lang: str,
    method: cl.Method,
    k: int,
    scheme: str,
    reference: Reference | None,
) -> tuple[dict[str, str], tuple[LegendEntry, ...], tuple[str, ...]]:
    """Fill colour per code, the legend entries and extra legend lines."""
    if reference is not None and np.isfinite(reference.value):
        return _diverging_classes(values, indicator, lang, method, k, scheme, reference)
    result = cl.classify(values, method, k)
    colours = palette(scheme if scheme in SEQUENTIAL_SCHEMES else SEQUENTIAL_SCHEMES[0], result.k)
    fills = {c: colours[int(v)] for c, v in result.classes.items() if not pd.isna(v)}
    entries = [
        LegendEntry(_range_label(indicator, lang, lo, hi), colours[i], result.counts[i])
        for i, (lo, hi) in enumerate(result.intervals())
    ]
    entries.append(_missing_entry(lang, result.missing))
    return fills, tuple(entries), ()


def _diverging_classes(
    values: pd.Series,
    indicator: Indicator,
    lang: str,
    method: cl.Method,
    k: int,
    scheme: str,
    reference: Reference,
) -> tuple[dict[str, str], tuple[LegendEntry, ...], tuple[str, ...]]:
    k_side = max(1, min(int(k) // 2, cl.MAX_CLASSES // 2))
    result = cl.classify_diverging(values, reference.value, method, k_side)
    colours = palette(scheme if scheme in DIVERGING_SCHEMES else DIVERGING_SCHEMES[0], 2 * k_side)
    if indicator.direction == "higher_worse":
        colours = colours[::-1]  # the warm end of RdBu etc. always means "more attention"
    fills = {c: colours[int(v)] for c, v in result.classes.items() if not pd.isna(v)}
    ref_text = indicator.format(reference.value, lang)
    entries = [LegendEntry(i18n.t("kaart.legend.below", lang, name=reference.name, value=ref_text))]
    entries += _side_entries(indicator, lang, result, colours, range(k_side))
    entries.append(LegendEntry(i18n.t("kaart.legend.above", lang, name=reference.name, value=ref_text)))
    entries += _side_entries(indicator, lang, result, colours, range(k_side, 2 * k_side))
    entries.append(_missing_entry(lang, result.missing))
    return fills, tuple(entries), ()


def _side_entries(
    indicator: Indicator, lang: str, result: cl.Classification, colours: list[str], classes: range
) -> list[LegendEntry]:
    """Legend rows of one side of a diverging scale, lowest first; empty padding classes left out."""
    intervals = result.intervals()
    rows = []
    for i in classes:
        lo, hi = intervals[i]
        if result.counts[i] == 0 and lo == hi:
            continue  # a side with few (or no) values repeats its bounds: nothing to show
        rows.append(LegendEntry(_range_label(indicator, lang, lo, hi), colours[i], result.counts[i]))
    return rows


def _range_label(indicator: Indicator, lang: str, lo: float, hi: float) -> str:
    low = indicator.format(lo, lang, with_unit=False)
    high = indicator.format(hi, lang, with_unit=False)
    return low if low == high else f"{low} – {high}"


def _missing_entry(lang: str, count: int) -> LegendEntry:
    return LegendEntry(i18n.t("kaart.legend.missing", lang), MISSING_COLOUR, count, hatched=True)


def rendered_html(m: folium.Map) -> str:
    """The full standalone HTML of a map (what a browser would receive outside Streamlit)."""
    return m.get_root().render()


def geojson_payload(m: folium.Map) -> int:
    """Bytes of all GeoJSON data embedded in ``m`` (for measuring what travels to the browser)."""
    total = 0
    for child in m._children.values():
        if isinstance(child, folium.GeoJson):
            total += len(json.dumps(child.data, separators=(",", ":")))
    return total


# --------------------------------------------------------------------------------------------------
# What can be mapped, and the side panel next to the map


def indicator_years(
    stats: pd.DataFrame,
    catalogue: Iterable[Indicator],
    *,
    level: str,
    gemeente: str = settings.DEFAULT_GEMEENTE,
) -> dict[str, list[int]]:
    """For each indicator, the years (ascending) in which an area of ``level`` can have a value.

    A year counts when CBS published the figure for this level in that gemeente, or - above buurt
    level - published it for the buurten and the catalogue can aggregate it (``aggregation`` other
    than "none"). Cheap: it reads the long table only, without aggregating anything, so a page can
    offer only what can be drawn and compute just the year that is chosen.
    """
    number = gemeente[2:]
    rows = stats[stats["value"].notna() & (stats["code"].str[2:6] == number)]
    aggregable = {ind.key for ind in catalogue if ind.aggregation != "none"}
    own = rows[rows["level"] == level][["indicator", "year"]]
    if level != "buurt":
        from_buurten = rows[(rows["level"] == "buurt") & rows["indicator"].isin(aggregable)]
        own = pd.concat([own, from_buurten[["indicator", "year"]]])
    found: dict[str, list[int]] = {}
    for key, years in own.drop_duplicates().groupby("indicator")["year"]:
        found[str(key)] = sorted(int(y) for y in years)
    return found


def sources_by_indicator(stats: pd.DataFrame, *, year: int, level: str, lang: str = "nl") -> dict[str, str]:
    """The source table of every figure at ``level`` in ``year``.

    A figure the snapshot has only per buurt (aggregated for a wijk by the catalogue's rules) is
    credited to the buurt source with a note that it was computed from the buurten.
    """
    rows = stats[(stats["year"] == year) & stats["value"].notna()]
    out: dict[str, str] = {}
    for row_level in ("buurt", level):  # the own level's source wins
        part = rows[rows["level"] == row_level]
        for key, sources in part.groupby("indicator")["source"]:
            text = "; ".join(sorted({str(s) for s in sources.dropna()}))
            if row_level != level:
                text = i18n.t("kaart.source.from_buurten", lang, source=text)
            out[str(key)] = text
    return out


@dataclass(frozen=True)
class PanelRow:
    """One figure of the selected area next to the reference, formatted for display."""

    key: str
    theme: str
    label: str
    area: str
    reference: str
    year: int
    source: str


def panel_rows(
    area: pd.Series,
    reference: pd.Series,
    catalogue: Iterable[Indicator],
    *,
    year: int,
    sources: Mapping[str, str],
    lang: str = "nl",
    keys: Iterable[str] | None = None,
) -> list[PanelRow]:
    """Figures of one area (``area``: indicator -> value) beside the reference, in catalogue order.

    Only indicators with a value for the area or the reference are listed; a missing value reads
    "onbekend"/"unknown", never 0.
    """
    wanted = set(keys) if keys is not None else None
    rows = []
    for ind in catalogue:
        if wanted is not None and ind.key not in wanted:
            continue
        value = float(area.get(ind.key, np.nan))
        ref = float(reference.get(ind.key, np.nan))
        if np.isnan(value) and np.isnan(ref) and wanted is None:
            continue
        rows.append(_panel_row(ind, value, ref, year, sources.get(ind.key, ""), lang))
    return rows


def _panel_row(ind: Indicator, value: float, ref: float, year: int, source: str, lang: str) -> PanelRow:
    return PanelRow(
        key=ind.key,
        theme=ind.theme,
        label=ind.label(lang),
        area=ind.format(value, lang),
        reference=ind.format(ref, lang),
        year=int(year),
        source=source,
    )


def latest_panel_rows(
    code: str,
    tables: Mapping[int, pd.DataFrame],
    references: Mapping[int, pd.Series],
    catalogue: Iterable[Indicator],
    *,
    sources: Mapping[int, Mapping[str, str]],
    lang: str = "nl",
) -> list[PanelRow]:
    """Like :func:`panel_rows`, but each figure at the latest year in which area ``code`` has it, with
    the reference and the source of that same year (``tables``, ``references`` and ``sources`` are
    per year). A figure the area has in no year is listed "onbekend" beside the reference's latest
    year; one that neither has is left out."""
    years = sorted(tables, reverse=True)

    def area_value(year: int, key: str) -> float:
        table = tables[year]
        if code not in table.index or key not in table.columns:
            return np.nan
        return float(table.at[code, key])

    def ref_value(year: int, key: str) -> float:
        return float(references.get(year, pd.Series(dtype=float)).get(key, np.nan))

    rows = []
    for ind in catalogue:
        year = next((y for y in years if not np.isnan(area_value(y, ind.key))), None)
        if year is None:
            year = next((y for y in years if not np.isnan(ref_value(y, ind.key))), None)
        if year is None:
            continue
        rows.append(
            _panel_row(
                ind,
                area_value(year, ind.key),
                ref_value(year, ind.key),
                year,
                sources.get(year, {}).get(ind.key, ""),
                lang,
            )
        )
    return rows


def on_map(code: str | None, codes: Iterable[str], *, level: str, buurten: pd.DataFrame) -> str | None:
    """The area of this map that ``code`` names: itself, or for a buurt on a wijk map its wijk
    (``buurten``: the buurt boundaries with ``code`` and ``wijkcode``); None when the map lacks it."""
    codes = set(codes)
    if code and code not in codes and level == "wijk" and code.startswith("BU"):
        found = buurten.loc[buurten["code"] == code, "wijkcode"]
        code = str(found.iloc[0]) if not found.empty else code
    return code if code in codes else None


def panel_table(rows: Iterable[PanelRow], *, area: str, reference: str, lang: str = "nl") -> pd.DataFrame:
    """The side panel's table: figure, the area's value, the reference's value, year and source.

    Year and source are categories: the table travels as Arrow, where a category is sent once.
    """
    rows = list(rows)
    year, source = i18n.t("common.year", lang), i18n.t("kaart.panel.source", lang)
    frame = pd.DataFrame(
        {
            i18n.t("kaart.panel.figure", lang): [r.label for r in rows],
            area: [r.area for r in rows],
            reference: [r.reference for r in rows],
            year: [str(r.year) for r in rows],
            source: [r.source for r in rows],
        }
    )
    return frame.astype({year: "category", source: "category"})
