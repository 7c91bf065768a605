"""A static map (PNG) of an area highlighted within its gemeente, for reports; no internet needed.

Drawn with geopandas and matplotlib's Agg backend straight from the snapshot's outlines (no tiles,
no pyplot state), so it works offline, in threads, and in tests.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

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
) -> bytes:
    """PNG bytes: the gemeente's buurten in grey, wijk borders, and the given buurten highlighted.

    ``codes`` are buurt codes (a wijk or custom area is the list of its buurten).
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
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", pad_inches=0.05, facecolor="white")
    return buffer.getvalue()
