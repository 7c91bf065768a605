"""Classing values for a choropleth: quantiles, equal interval, natural breaks (Fisher-Jenks).

Quantiles and equal intervals are computed here exactly as :mod:`mapclassify` computes them (a
test checks they agree); Fisher-Jenks uses mapclassify, imported only then, because importing it
pulls in scipy.stats, scikit-learn and numba (seconds on a first page load). Missing values are left out of the class
boundaries and get class ``<NA>`` (the map draws them as "onbekend", never as the lowest class);
few distinct values give fewer classes instead of a warning or a crash.

A :class:`Classification` holds the upper bound of every class (``bins``), the lowest value, the
class of every area, and the number of areas per class.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from enschede_gis.errors import InputError

Method = Literal["quantiles", "equal_interval", "natural_breaks"]
METHODS: tuple[Method, ...] = ("quantiles", "equal_interval", "natural_breaks")

#: Fewer than 2 or more than 9 classes cannot be told apart on a map (and ColorBrewer stops at 9).
MIN_CLASSES = 2
MAX_CLASSES = 9


@dataclass(frozen=True)
class Classification:
    """Class boundaries and the class of each area.

    ``bins[i]`` is the (inclusive) upper bound of class ``i``; class 0 starts at ``lower``.
    ``classes`` has the same index as the input values, with ``<NA>`` for missing values.
    """

    method: str
    lower: float
    bins: tuple[float, ...]
    classes: pd.Series
    counts: tuple[int, ...]
    missing: int

    @property
    def k(self) -> int:
        return len(self.bins)

    def intervals(self) -> list[tuple[float, float]]:
        """(lower, upper) of every class, in order (empty when there are no values at all)."""
        if not self.bins:
            return []
        lows = (self.lower, *self.bins[:-1])
        return list(zip(lows, self.bins, strict=True))

    def to_dict(self) -> dict:
        """A JSON-serialisable summary (the per-area classes as code -> class or None)."""
        return {
            "method": self.method,
            "lower": self.lower,
            "bins": list(self.bins),
            "counts": list(self.counts),
            "missing": self.missing,
            "classes": {str(k): (None if pd.isna(v) else int(v)) for k, v in self.classes.items()},
        }


def classify(values: pd.Series, method: Method = "quantiles", k: int = 5) -> Classification:
    """Class ``values`` (NaN = missing) into at most ``k`` classes with ``method``.

    With fewer distinct values than ``k`` each distinct value gets its own class; with no values at
    all the result has no classes and every area is missing.
    """
    if method not in METHODS:
        raise InputError(
            f"Onbekende klassenindeling '{method}': kies uit {', '.join(METHODS)}.",
            en=f"Unknown classification '{method}': choose from {', '.join(METHODS)}.",
        )
    if not MIN_CLASSES <= int(k) <= MAX_CLASSES:
        raise InputError(
            f"Het aantal klassen moet tussen {MIN_CLASSES} en {MAX_CLASSES} liggen, niet {k}.",
            en=f"The number of classes must be between {MIN_CLASSES} and {MAX_CLASSES}, not {k}.",
        )
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    present = numbers[np.isfinite(numbers)]
    if present.empty:
        return _result(method, numbers, lower=np.nan, bins=())
    distinct = np.unique(present.to_numpy())
    if len(distinct) <= k:
        bins = tuple(float(v) for v in distinct)
    else:
        bins = _mapclassify_bins(present.to_numpy(), method, int(k))
    return _result(method, numbers, lower=float(distinct[0]), bins=bins)


def classify_diverging(
    values: pd.Series, reference: float, method: Method = "quantiles", k_side: int = 3
) -> Classification:
    """Class values below and above ``reference`` separately, with a class boundary exactly at it.

    Classes ``0 .. k_side-1`` lie below the reference (0 furthest below), classes
    ``k_side .. 2*k_side-1`` at or above it. A side without values keeps its classes empty, so the
    colour of a class always means the same distance direction. Returns ``bins`` of length
    ``2 * k_side`` (empty classes repeat their neighbour's bound).
    """
    if not np.isfinite(reference):
        raise InputError(
            "Er is geen referentiewaarde om mee te vergelijken (onbekend).",
            en="There is no reference value to compare with (unknown).",
        )
    if not 1 <= int(k_side) <= MAX_CLASSES // 2:
        raise InputError(
            f"Het aantal klassen aan elke kant moet tussen 1 en {MAX_CLASSES // 2} liggen.",
            en=f"The number of classes on each side must be between 1 and {MAX_CLASSES // 2}.",
        )
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    below = numbers[numbers < reference]
    above = numbers[numbers >= reference]
    low_bins = _side_bins(below, method, k_side, empty=reference)
    high_bins = _side_bins(above, method, k_side, empty=reference)
    # The last class below the reference ends just under it; the first above starts at it.
    low_bins = (*low_bins[:-1], float(reference))
    present = numbers[np.isfinite(numbers)]
    lower = float(min(present.min(), reference)) if not present.empty else float(reference)
    bins = (*low_bins, *high_bins)
    classes = pd.Series(pd.NA, index=numbers.index, dtype="Int64")
    lo = np.searchsorted(np.asarray(low_bins), below.to_numpy(), side="left")
    classes.loc[below.index] = np.minimum(lo, k_side - 1)
    hi = np.searchsorted(np.asarray(high_bins), above.to_numpy(), side="left")
    classes.loc[above.index] = k_side + np.minimum(hi, k_side - 1)
    counts = tuple(int((classes == i).sum()) for i in range(2 * k_side))
    return Classification(
        method=f"{method}:diverging",
        lower=lower,
        bins=tuple(float(b) for b in bins),
        classes=classes,
        counts=counts,
        missing=int(classes.isna().sum()),
    )


def _side_bins(values: pd.Series, method: Method, k: int, *, empty: float) -> tuple[float, ...]:
    """Exactly ``k`` upper bounds for one side of a diverging scale (padding when there are few)."""
    present = values[np.isfinite(values)]
    if present.empty:
        return (float(empty),) * k
    if k == 1:
        return (float(present.max()),)
    found = classify(present, method, max(k, MIN_CLASSES)).bins
    found = found[-k:] if len(found) > k else found
    return (*found, *(found[-1],) * (k - len(found)))


def _mapclassify_bins(values: np.ndarray, method: Method, k: int) -> tuple[float, ...]:
    with warnings.catch_warnings():
        # mapclassify warns (and drops classes) when quantiles coincide; we dedupe below instead.
        warnings.simplefilter("ignore")
        if method == "quantiles":
            found = quantile_bins(values, k)
        elif method == "equal_interval":
            found = equal_interval_bins(values, k)
        else:
            import mapclassify  # slow to import: only for natural breaks

            # Fisher-Jenks is exact and deterministic (no random sampling, unlike NaturalBreaks).
            found = mapclassify.FisherJenks(values, k=k).bins
    bins = sorted({float(b) for b in found})
    bins[-1] = max(bins[-1], float(values.max()))  # the last class always holds the maximum
    return tuple(bins)


def quantile_bins(values: np.ndarray, k: int) -> np.ndarray:
    """``mapclassify.Quantiles(values, k).bins``: percentiles at 100/k steps (linear between ranks,
    as ``scipy.stats.scoreatpercentile``), duplicates dropped."""
    ordered = np.sort(np.asarray(values, dtype=float))
    step = 100.0 / k
    pct = np.arange(step, 100 + step, step)
    if pct[-1] > 100.0:
        pct[-1] = 100.0
    return np.unique([_score_at(ordered, p) for p in pct])


def _score_at(ordered: np.ndarray, pct: float) -> float:
    """``scipy.stats.scoreatpercentile(values, pct)`` with the same arithmetic (weighted sum / weights)."""
    idx = pct / 100.0 * (len(ordered) - 1)
    low = int(idx)
    if low == idx:
        return float(ordered[low])
    weights = np.array([(low + 1 - idx), (idx - low)], float)
    return float(np.add.reduce(ordered[low : low + 2] * weights) / weights.sum())


def equal_interval_bins(values: np.ndarray, k: int) -> np.ndarray:
    """``mapclassify.EqualInterval(values, k).bins``: k classes of equal width, the last ending at the maximum."""
    high, low = max(values), min(values)
    width = (high - low) * 1.0 / k
    cuts = np.arange(low + width, high + width, width)
    if len(cuts) > k:
        cuts = cuts[0:k]
    cuts[-1] = high
    return cuts.copy()


def _result(method: str, numbers: pd.Series, *, lower: float, bins: tuple[float, ...]) -> Classification:
    classes = pd.Series(pd.NA, index=numbers.index, dtype="Int64")
    ok = np.isfinite(numbers)
    if bins:
        found = np.searchsorted(np.asarray(bins), numbers[ok].to_numpy(), side="left")
        classes.loc[ok[ok].index] = np.minimum(found, len(bins) - 1)
    counts = tuple(int((classes == i).sum()) for i in range(len(bins)))
    return Classification(
        method=method,
        lower=lower,
        bins=bins,
        classes=classes,
        counts=counts,
        missing=int(classes.isna().sum()),
    )
