"""Rank stability: 1,000 Dirichlet perturbations, vectorised numpy against a plain pandas loop.

Run: .venv/bin/python bench/priorities.py

Two cases: Enschede's buurten (the real 2023 snapshot, the default profile) and 14,000 synthetic
areas (national scale, 10 indicators). The vectorised path ranks all perturbations at once
(:func:`enschede_gis.priorities.perturbed_ranks`); the baseline loops over the perturbations and, for
each, computes the scores with pandas and ranks them with ``Series.rank``. Both use the same
perturbed weights and must give the same ranks. For 14,000 areas the pandas loop is timed on fewer
perturbations and extrapolated linearly (it does the same work per perturbation); the output says so.
"""

from __future__ import annotations

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


def best_of(repeat: int, func, *args) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


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


def run_case(name: str, normalised: pd.DataFrame, weights: np.ndarray, pandas_draws: int) -> None:
    sampled = pr.perturbed_weights(weights, draws=DRAWS, concentration=pr.DEFAULT_CONCENTRATION, seed=SEED)
    matrix = normalised.to_numpy()
    t_numpy, ranks = best_of(3, pr.perturbed_ranks, matrix, sampled)
    t_summary, _ = best_of(3, lambda r: pr.summarise_ranks(r, top=10), ranks)
    subset = sampled[:pandas_draws]
    t_pandas, pandas_ranks = best_of(1, pandas_loop, normalised, subset)
    assert (pandas_ranks == ranks[:, :pandas_draws]).all(), "pandas and numpy ranks differ"
    t_pandas_full = t_pandas * DRAWS / pandas_draws
    note = "" if pandas_draws == DRAWS else f" (timed on {pandas_draws} draws, extrapolated x{DRAWS // pandas_draws})"
    print(f"\n{name}: {normalised.shape[0]:,} areas x {normalised.shape[1]} indicators, {DRAWS:,} perturbations")
    print(f"  numpy, all perturbations at once : {t_numpy * 1000:9.1f} ms (+ {t_summary * 1000:.1f} ms rank ranges)")
    print(f"  pandas loop per perturbation     : {t_pandas_full * 1000:9.1f} ms{note}")
    print(f"  speed-up                         : {t_pandas_full / t_numpy:9.1f} x (same ranks: yes)")


def main() -> None:
    print("Rank stability benchmark (best of 3 for numpy; single run for the pandas loop)")
    run_case("Enschede buurten 2023", *enschede_case(), pandas_draws=DRAWS)
    run_case("Synthetic national scale", *synthetic_case(), pandas_draws=PANDAS_DRAWS_AT_SCALE)


if __name__ == "__main__":
    main()
