"""Area profile: the whole profile with the per-snapshot memo of level tables against recomputing them.

Run: .venv/bin/python bench/profile.py

For three areas (a buurt, a wijk, the custom area Broekheurne) in 2023 it times what the profile page
and the PDF compute: key figures, position, spread, similar buurten and trends. "memo" keeps
:mod:`enschede_gis.profile`'s memo of the whole-level tables (the gemeente, the wijken, the references)
between the steps; "plain" clears it before every step, as a naive implementation recomputes them.
Both give the same tables (checked). It also times building the PDF and the static map. Medians of
several runs.

Last, the PDF's "Uitleg bij de cijfers" section (the explanation of every key figure): our paragraph
wrapping (each word measured once, one cell per line) against fpdf's own ``multi_cell``, which
measures the growing line again for every character it adds.
"""

from __future__ import annotations

import statistics as stats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from enschede_gis import explain, export, profile, settings, snapshot, staticmap
from enschede_gis.areas import CustomArea
from enschede_gis.indicators import load_catalogue
from enschede_gis.pdf import Document

RUNS = 3
YEAR = 2023


def _steps(snap, catalogue, area, *, clear: bool) -> list:
    results = []
    for step in (profile.key_figures, profile.position, profile.spread, profile.similar_for_area):
        if clear:
            profile._memo.clear()
        results.append(step(snap, catalogue, area, year=YEAR))
    if clear:
        profile._memo.clear()
    results.append(profile.trends(snap, catalogue, area))
    return results


def _median_s(build) -> tuple[float, object]:
    times, result = [], None
    for _ in range(RUNS):
        profile._memo.clear()
        start = time.perf_counter()
        result = build()
        times.append(time.perf_counter() - start)
    return stats.median(times), result


def main() -> None:
    snap = snapshot.load(settings.DATA_DIR)
    catalogue = load_catalogue()
    custom = CustomArea(name="Broekheurne", codes=("BU01530905", "BU01530904"))
    areas = profile.selectable_areas(snap, [custom])
    print(f"{'area':<36} {'plain s':>8} {'memo s':>8} {'ratio':>6} {'pdf s':>6} {'map s':>6}")
    for key in ("BU01530301", "WK015309", "custom:Broekheurne"):
        area = profile.find_area(areas, key)
        plain, expected = _median_s(lambda a=area: _steps(snap, catalogue, a, clear=True))
        memo, got = _median_s(lambda a=area: _steps(snap, catalogue, a, clear=False))
        assert all(x.equals(y) for x, y in zip(expected, got, strict=True)), "memo changed a result"
        pdf, _ = _median_s(lambda a=area: export.profile_pdf(snap, catalogue, a, year=YEAR))
        png, _ = _median_s(lambda a=area: staticmap.area_map(snap, a.codes, size_in=5))
        print(f"{area.label[:36]:<36} {plain:>8.2f} {memo:>8.2f} {plain / memo:>6.1f} {pdf:>6.2f} {png:>6.2f}")
    _explanations(snap, catalogue, profile.find_area(areas, "BU01530301"))


def _explanations(snap, catalogue, area) -> None:
    keys = profile.key_figures(snap, catalogue, area, year=YEAR)["indicator"]
    texts = [
        f"{label}: {text}"
        for key in keys
        for label, text in explain.explanation(catalogue[key], snap.statistics, catalogue=catalogue).parts()
    ]

    def ours() -> bytes:
        doc = Document("Uitleg")
        for text in texts:
            doc.paragraph(text, size=9)
        return doc.to_bytes()

    def multi_cell() -> bytes:
        doc = Document("Uitleg")
        pdf = doc._pdf
        for text in texts:
            pdf.set_font_size(9)
            pdf.multi_cell(0, 4.5, doc.plain(text), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        return doc.to_bytes()

    fast, _ = _median_s(ours)
    slow, _ = _median_s(multi_cell)
    chars = sum(len(t) for t in texts)
    print(f"\nexplanations of {len(keys)} figures ({len(texts)} paragraphs, {chars:,} characters):")
    print(f"  our wrapping {fast:.2f} s, fpdf multi_cell {slow:.2f} s: {slow / fast:.1f}x faster")


if __name__ == "__main__":
    main()
