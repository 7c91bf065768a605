"""Area profile: the whole profile with the per-snapshot memo of level tables against recomputing them.

Run: .venv/bin/python bench/profile.py

For three areas (a buurt, a wijk, the custom area Broekheurne) in 2023 it times what the profile page
and the PDF compute: key figures, position, spread, similar buurten and trends. "memo" keeps
:mod:`enschede_gis.profile`'s memo of the whole-level tables (the gemeente, the wijken, the references)
between the steps; "plain" clears it before every step, as a naive implementation recomputes them.
Both give the same tables (checked). It also times building the PDF and the static map. Medians of
several runs.
"""

from __future__ import annotations

import statistics as stats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from enschede_gis import export, profile, settings, snapshot, staticmap
from enschede_gis.areas import CustomArea
from enschede_gis.indicators import load_catalogue

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


if __name__ == "__main__":
    main()
