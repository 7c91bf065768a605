"""How fast are buurt figures aggregated into wijken (all catalogue rules) compared with plain pandas?

Baseline: ``DataFrame.groupby(wijk).sum()`` over the count columns only — the least work any
aggregation must do, with none of the weighting, ratio, density or missing-value rules. Prints the
median of repeated runs for each year and the ratio ours / baseline (lower is better).

    .venv/bin/python bench/aggregate.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from enschede_gis import aggregate, figures, snapshot
from enschede_gis.indicators import load_catalogue

REPEATS = 15


def _median_ms(func) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    snap, catalogue = snapshot.load(), load_catalogue()
    buurten = snap.boundaries["buurt"]
    wijk_of = dict(zip(buurten["code"], buurten["wijkcode"], strict=True))
    groups = aggregate.groups_by(wijk_of)
    area = figures.land_area(snap)
    counts = [ind.key for ind in catalogue if ind.aggregation == "sum"]
    print(f"{'year':>5} {'indicators':>10} {'ours ms':>9} {'groupby-sum ms':>15} {'ratio':>6}")
    for year in (2020, 2021, 2023, 2024):
        table = figures.buurt_table(snap, year=year)
        ours = _median_ms(lambda t=table: aggregate.aggregate(t, groups, catalogue, land_area=area))
        plain = table[[c for c in counts if c in table.columns]]
        base = _median_ms(lambda p=plain: p.groupby(p.index.map(wijk_of)).sum(min_count=1))
        n = aggregate.aggregate(table, groups, catalogue, land_area=area).shape[1]
        print(f"{year:>5} {n:>10} {ours:>9.1f} {base:>15.1f} {ours / base:>6.1f}")


if __name__ == "__main__":
    main()
