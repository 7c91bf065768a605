"""A static map (PNG) of an area highlighted within its gemeente, for reports; no internet needed.

Drawn with geopandas and matplotlib's Agg backend straight from the snapshot's outlines (no tiles,
no pyplot state), so it works offline, in threads, and in tests.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from enschede_gis import settings
from enschede_gis.boundaries import for_gemeente
from enschede_gis.errors import InputError
from enschede_gis.snapshot import Snapshot

HIGHLIGHT = "#d95f02"
HIGHLIGHT_EDGE = "#7f2704"
BASE = "#eeeeee"
BASE_EDGE = "#bdbdbd"
WIJK_EDGE = "#7a7a7a"


def area_map(
    snap: Snapshot,
    codes: Iterable[str],
    *,
    gemeente: str = settings.DEFAULT_GEMEENTE,
    size_in: float = 6.0,
    dpi: int = 150,
    names: bool = True,
) -> bytes:
    """PNG bytes: the gemeente's buurten in grey, wijk borders, and the given buurten highlighted.

    ``codes`` are buurt codes (a wijk or custom area is the list of its buurten). With ``names`` the
    highlighted buurten and the wijken are named (the chosen ones first), each name with a white
    halo and left out where it would overlap a name already placed.
    """
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        raise InputError("Er is geen buurt om op de kaart te tonen.", en="There is no buurt to show on the map.")
    buurten = for_gemeente(snap, "buurt", gemeente)
    unknown = sorted(set(wanted) - set(buurten["code"]))
    if unknown:
        raise InputError(
            f"Onbekende buurtcode(s) voor de kaart: {', '.join(unknown)}",
            en=f"Unknown buurt code(s) for the map: {', '.join(unknown)}",
        )
    wijken = for_gemeente(snap, "wijk", gemeente)
    selected = buurten[buurten["code"].isin(wanted)]

    figure = Figure(figsize=(size_in, size_in), dpi=dpi)
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0, 0, 1, 1))
    buurten.plot(ax=ax, color=BASE, edgecolor=BASE_EDGE, linewidth=0.3)
    selected.plot(ax=ax, color=HIGHLIGHT, edgecolor=HIGHLIGHT_EDGE, linewidth=0.5)
    wijken.boundary.plot(ax=ax, color=WIJK_EDGE, linewidth=0.7)
    selected.dissolve().boundary.plot(ax=ax, color="black", linewidth=1.2)
    ax.set_axis_off()
    ax.set_aspect("equal")
    if names:
        _names(figure, ax, selected, wijken, size_in)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", pad_inches=0.05, facecolor="white")
    return buffer.getvalue()


def _names(figure: Figure, ax, selected, wijken, size_in: float) -> list[tuple[str, object]]:
    """Names of the chosen buurten (bold) and of the wijken, placed greedily without overlap;
    returns each placed name with its box on the image."""
    from enschede_gis import webmap

    base = max(6.0, size_in * 1.25)  # points: readable on an A4 handout at the usual sizes
    wanted = [
        (name, geom, base * 1.1, "bold", "#111111")
        for name, geom in zip(selected["name"], selected.geometry, strict=True)
    ]
    wanted += [
        (name, geom, base, "normal", "#333333") for name, geom in zip(wijken["name"], wijken.geometry, strict=True)
    ]
    renderer = figure.canvas.get_renderer()
    placed, shown = [], []
    for name, geom, size, weight, colour in wanted:
        point = webmap._anchor(geom)
        text = ax.text(
            point.x,
            point.y,
            "\n".join(webmap.wrap(_short(name))),
            fontsize=size,
            fontweight=weight,
            color=colour,
            ha="center",
            va="center",
            linespacing=1.1,
            path_effects=[patheffects.withStroke(linewidth=2.6, foreground="white")],
        )
        box = text.get_window_extent(renderer).expanded(1.04, 1.08)
        if any(box.overlaps(other) for other in placed):
            text.remove()
            continue
        placed.append(box)
        shown.append((text.get_text().replace("\n", " "), box))
    return shown


def _short(name: object) -> str:
    from enschede_gis.maps import _short_name

    return _short_name(name)
