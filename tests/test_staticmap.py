"""The report map (PNG): the chosen buurten highlighted and named, the wijken named, no overlap."""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from enschede_gis import boundaries, staticmap


def test_report_map_names_the_chosen_buurt_and_the_wijken_without_overlap(snap):
    buurten = boundaries.for_gemeente(snap, "buurt")
    wijken = boundaries.for_gemeente(snap, "wijk")
    figure = Figure(figsize=(5, 5), dpi=100)
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0, 0, 1, 1))
    buurten.plot(ax=ax)
    shown = staticmap._names(figure, ax, buurten[buurten["code"] == "BU01530905"], wijken, 5)
    names = [name for name, _ in shown]
    assert names[0] == "Buurtschap Broekheurne"  # the chosen buurt first, always
    assert len(names) >= 9 and "Twekkelerveld - T.H.T." in names  # wijk names without "Wijk 03"
    boxes = [box for _, box in shown]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_report_map_keeps_its_signature_and_can_leave_names_out(snap):
    named = staticmap.area_map(snap, ["BU01530301"], size_in=3, dpi=60)
    plain = staticmap.area_map(snap, ["BU01530301"], size_in=3, dpi=60, names=False)
    assert named != plain
    assert Image.open(io.BytesIO(named)).format == "PNG"
