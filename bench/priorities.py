"""Rank stability: 1,000 Dirichlet perturbations, vectorised numpy against two plain loops.

Run: .venv/bin/python bench/priorities.py [--runs 5]

Two cases: Enschede's buurten (the real 2023 snapshot, the default profile) and 14,000 synthetic
areas (national scale, 10 indicators). The vectorised path ranks all perturbations at once
(:func:`enschede_gis.priorities.perturbed_ranks`). Two baselines loop over the perturbations: the
plain numpy loop (one matrix-vector product and one stable argsort per perturbation: the best plain
alternative) and the pandas loop (``Series.rank`` per perturbation). All three use the same perturbed
weights and must give the same ranks. Times are min / median of ``--runs`` runs; where a loop is
timed on fewer perturbations and extrapolated linearly (it does the same work per perturbation), the
output says so.

It also reports how much of the vectorised time is the ranking itself (argsort and its inverse) and
whether a cheaper ranking would do: the rank ranges need every area's rank in every perturbation, so
``np.argpartition`` (top ranks only) cannot give identical results; sorting the scores and finding
each score's place with ``searchsorted`` gives identical ranks only where no two scores tie.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from enschede_gis import figures, snapshot
from enschede_gis import priorities as pr
from enschede_gis.indicators import load_catalogue

DRAWS = 1000
SEED = 7
SYNTHETIC_AREAS = 14_000
SYNTHETIC_INDICATORS = 10
PANDAS_DRAWS_AT_SCALE = 50  # the pandas loop at 14,000 areas is timed on this many and extrapolated


def pandas_loop(normalised: pd.DataFrame, sampled: np.ndarray) -> np.ndarray:
    """The plain way: per perturbation, weighted sum of the columns, then rank."""
    columns = []
    for weights in sampled:
        scores = (normalised * weights).sum(axis=1)
        columns.append(scores.rank(ascending=False, method="first").astype(int).to_numpy())
    return np.column_stack(columns)


def numpy_loop(matrix: np.ndarray, sampled: np.ndarray) -> np.ndarray:
    """The plain numpy way: per perturbation, one matrix-vector product and one stable argsort."""
    n = matrix.shape[0]
    out = np.empty((n, len(sampled)), dtype=np.int32)
    positions = np.arange(1, n + 1, dtype=np.int32)
    for j, weights in enumerate(sampled):
        order = np.argsort(-(matrix @ weights), kind="stable")
        out[order, j] = positions
    return out


def sorted_search_ranks(matrix: np.ndarray, sampled: np.ndarray) -> np.ndarray:
    """An argsort-free ranking: sort the scores, then each score's place by searchsorted (ties share)."""
    scores = -(sampled @ matrix.T)
    ordered = np.sort(scores, axis=1)
    ranks = np.empty(scores.shape, dtype=np.int32)
    for j in range(scores.shape[0]):
        ranks[j] = np.searchsorted(ordered[j], scores[j], side="left") + 1
    return ranks.T


def timed(repeat: int, func, *args) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(*args)
        times.append(time.perf_counter() - start)
    return times, result


def best_of(repeat: int, func, *args) -> tuple[float, object]:
    times, result = timed(repeat, func, *args)
    return min(times), result


def _ms(times: list[float], factor: float = 1.0) -> str:
    return f"{min(times) * factor * 1000:9.1f} / {statistics.median(times) * factor * 1000:9.1f} ms"


def enschede_case() -> tuple[pd.DataFrame, np.ndarray]:
    snap, catalogue = snapshot.load(), load_catalogue()
    table = figures.buurt_table(snap, year=2023)
    profile = pr.default_profile(table, catalogue).model_copy(update={"missing": "city_mean"})
    ranking = pr.rank_areas(table, profile, catalogue)
    return ranking.normalised[ranking.weights.index], ranking.weights.to_numpy()


def synthetic_case() -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(SEED)
    values = rng.normal(size=(SYNTHETIC_AREAS, SYNTHETIC_INDICATORS))
    frame = pd.DataFrame(values, index=[f"A{i:05d}" for i in range(SYNTHETIC_AREAS)])
    weights = rng.uniform(0.5, 2.0, SYNTHETIC_INDICATORS)
    return frame, weights / weights.sum()


def run_case(name: str, normalised: pd.DataFrame, weights: np.ndarray, loop_draws: int, runs: int) -> None:
    sampled = pr.perturbed_weights(weights, draws=DRAWS, concentration=pr.DEFAULT_CONCENTRATION, seed=SEED)
    matrix = normalised.to_numpy()
    t_numpy, ranks = timed(runs, pr.perturbed_ranks, matrix, sampled)
    t_summary, _ = timed(runs, lambda r: pr.summarise_ranks(r, top=10), ranks)
    scores = sampled @ matrix.T
    t_rank, _ = timed(runs, pr._ranks_by_row, scores)
    subset = sampled[:loop_draws]
    t_loop, loop_ranks = timed(runs, numpy_loop, matrix, subset)
    t_pandas, pandas_ranks = timed(1, pandas_loop, normalised, subset)
    assert (pandas_ranks == ranks[:, :loop_draws]).all(), "pandas and numpy ranks differ"
    assert (loop_ranks == ranks[:, :loop_draws]).all(), "numpy loop and vectorised ranks differ"
    t_search, search_ranks = timed(runs, sorted_search_ranks, matrix, sampled)
    same = bool((search_ranks == ranks).all())
    factor = DRAWS / loop_draws
    note = "" if loop_draws == DRAWS else f" (timed on {loop_draws} draws, extrapolated x{factor:g})"
    med = statistics.median
    print(f"\n{name}: {normalised.shape[0]:,} areas x {normalised.shape[1]} indicators, {DRAWS:,} perturbations")
    print(f"  numpy, all perturbations at once : {_ms(t_numpy)} (+ {med(t_summary) * 1000:.1f} ms rank ranges)")
    print(f"    of which ranking (argsort)     : {_ms(t_rank)} ({med(t_rank) / med(t_numpy):.0%} of the median)")
    print(f"  numpy loop per perturbation      : {_ms(t_loop, factor)}{note}")
    print(f"  pandas loop per perturbation     : {_ms(t_pandas, factor)}{note} (one run)")
    print(f"  speed-up vs numpy loop (medians) : {med(t_loop) * factor / med(t_numpy):9.1f} x (same ranks: yes)")
    print(f"  speed-up vs pandas loop          : {med(t_pandas) * factor / med(t_numpy):9.1f} x (same ranks: yes)")
    print(f"  sort + searchsorted instead      : {_ms(t_search)} (identical ranks: {'yes' if same else 'no, ties'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"Rank stability benchmark: min / median of {args.runs} runs (the pandas loop: one run)")
    run_case("Enschede buurten 2023", *enschede_case(), loop_draws=DRAWS, runs=args.runs)
    run_case("Synthetic national scale", *synthetic_case(), loop_draws=PANDAS_DRAWS_AT_SCALE, runs=args.runs)


if __name__ == "__main__":
    main()
