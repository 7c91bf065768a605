"""The map page's "Kaartopties": how the areas are put into classes, the colours, outlines, names and
a background map.

Not a page (not in ``app_state.PAGES``): ``views/kaart.py`` calls :func:`map_options`. The options sit
in an expander that is closed when the page opens, and its seven widgets are drawn only while it is
open: a first visit does not build (and the browser does not load the code for) controls nobody
sees. A closed expander still gives every option its value: the one last chosen in this session,
else the link's (``klassen``, ``modus``, ``kleuren``), else the default.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

import app_state as ui
from enschede_gis import maps, webmap
from enschede_gis.classify import METHODS

CLASSES = list(range(3, 8))  # how many colour classes the map may have
DEFAULT_CLASSES = 5


@dataclass(frozen=True)
class MapOptions:
    method: str
    k: int
    relative: bool
    scheme: str
    outlines: bool
    labels: bool
    tiles: webmap.TileService | None  # the background map, or None for none


def _start(key: str, options: list, *, from_url: object = None, default: object = None) -> object:
    """What option ``key`` is now: the one chosen in this session, else the link's, else ``default``
    (else the first option). A link's value the page does not offer is said, not silently replaced."""
    fallback = default if default in options else options[0]
    chosen = ui.remembered(key)
    if chosen is not None:  # chosen before (the colours of the other mode fall back to the default)
        return chosen if chosen in options else fallback
    if from_url is not None:
        if from_url in options:
            return from_url
        ui.url_not_followed(from_url)
    return fallback


def _draw(container, widget, key: str, options: list, start: object, *args, **kwargs) -> object:
    """Draw one option's widget starting from ``start`` and remember what it holds."""
    if st.session_state.get(key) not in options:
        st.session_state[key] = start
    return ui.remember(key, getattr(container, widget)(*args, key=key, **kwargs))


def map_options(gemeente_name: str) -> MapOptions:
    """The "Kaartopties" expander and what its options are now (drawn as widgets only while it is open)."""
    box = st.expander(ui.t("kaart.options"), key="kaart_options_open", on_change="rerun")
    method = _start("kaart_method", list(METHODS), from_url=ui.param("klassen"), default="quantiles")
    k = _start("kaart_k", CLASSES, default=DEFAULT_CLASSES)
    relative = _start("kaart_relative", [False, True], default=ui.param("modus") == "relatief")
    outlines = _start("kaart_outlines", [True, False])
    labels = _start("kaart_labels", [True, False])
    tile_service = webmap.configured_tiles() or webmap.OSM_TILES  # a gemeente's own service opens with the map
    tiles = _start("kaart_tiles", [False, True], default=webmap.configured_tiles() is not None)
    opts = box.columns(4) if box.open else None
    if opts:
        methods = list(METHODS)
        method = _draw(
            opts[0], "selectbox", "kaart_method", methods, method, ui.t("kaart.method"), methods,
            format_func=ui.labeller("kaart.methods"),
        )  # fmt: skip
        k = _draw(opts[0], "slider", "kaart_k", CLASSES, k, ui.t("kaart.classes"), CLASSES[0], CLASSES[-1])
        relative = _draw(
            opts[1], "toggle", "kaart_relative", [False, True], relative,
            ui.t("kaart.relative", gemeente=ui.escape(gemeente_name)), help=ui.t("kaart.relative_help"),
        )  # fmt: skip
    schemes = list(maps.DIVERGING_SCHEMES if relative else maps.SEQUENTIAL_SCHEMES)
    scheme = _start("kaart_scheme", schemes, from_url=ui.param("kleuren"))
    if opts:
        scheme = _draw(
            opts[1], "selectbox", "kaart_scheme", schemes, scheme, ui.t("kaart.scheme"), schemes,
            format_func=ui.labeller("kaart.schemes"),
        )  # fmt: skip
        outlines = _draw(opts[2], "checkbox", "kaart_outlines", [True, False], outlines, ui.t("kaart.outlines"))
        labels = _draw(opts[2], "checkbox", "kaart_labels", [True, False], labels, ui.t("kaart.labels"))
        tiles = _draw(
            opts[3], "checkbox", "kaart_tiles", [False, True], tiles, ui.t("kaart.basemap"),
            help=ui.t("kaart.basemap_help", service=tile_service.attribution),
        )  # fmt: skip
    return MapOptions(method, k, relative, scheme, outlines, labels, tile_service if tiles else None)
