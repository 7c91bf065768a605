"""Aggregation of buurt figures to wijken, the gemeente, or any named group of buurten.

The rules come from the indicator catalogue, never from averaging percentages:

- ``sum``: counts and areas are added up;
- ``ratio``: recomputed from summed counts (numerator / denominator * scale); where a year publishes
  only the ratio, it is weighted by its denominator, which is the same thing;
- ``weighted``: a mean weighted by the named count (e.g. household size by households);
- ``density``: summed counts over summed land area;
- ``none``: no honest aggregate exists (a class, or an average whose weight CBS does not publish).

Missing stays missing: if any member lacks a value that the aggregate needs, the aggregate is
missing too. The one exception is a weighted mean, where members that hold almost none of the weight
(see :data:`MAX_MISSING_WEIGHT_SHARE`) may lack the value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from enschede_gis.errors import InputError
from enschede_gis.indicators import Catalogue, Indicator

#: CBS suppresses percentages and averages for very small buurten. When the members without a value
#: together hold at most this share of the weight (e.g. of the inhabitants), a weighted mean is taken
#: over the others: the result can then be off by at most this share of the value range. Above it,
#: the aggregate is missing.
MAX_MISSING_WEIGHT_SHARE = 0.01

#: A share or average over only the buurten that have it (see :func:`partial`) is offered when those
#: buurten hold at least this share of the basis (e.g. of the inhabitants); below it, nothing is shown.
#: WK015307 in 2021: 280 of 305 inhabitants (92 %) -> offered.
MIN_PARTIAL_SHARE = 0.9

#: Land area in hectares is used for densities; 100 ha = 1 km2.
HA_PER_KM2 = 100.0
AREA_KEY = "oppervlakte_land"


def aggregate(
    table: pd.DataFrame,
    groups: Mapping[str, Iterable[str]],
    catalogue: Catalogue,
    *,
    land_area: pd.Series | None = None,
    indicators: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Aggregate a one-year buurt table (index: code, columns: indicators) into named groups.

    ``land_area`` (hectares by code) is used for densities when the table itself has no land area
    for that year; Enschede's buurt outlines did not change 2017-2024, so another year's area holds.
    Returns one row per group, one column per indicator that the table can support.
    """
    members = {name: list(dict.fromkeys(codes)) for name, codes in groups.items()}
    unknown = sorted({c for codes in members.values() for c in codes} - set(table.index))
    if unknown:
        raise InputError(
            f"Onbekende buurtcode(s): {', '.join(unknown)}", en=f"Unknown buurt code(s): {', '.join(unknown)}"
        )
    empty = [name for name, codes in members.items() if not codes]
    if empty:
        raise InputError(f"Gebied '{empty[0]}' bevat geen buurten.", en=f"Area '{empty[0]}' contains no buurten.")
    wanted = list(indicators) if indicators is not None else [ind.key for ind in catalogue]
    keys = [key for key in wanted if _supported(table, catalogue, key)]
    # One membership matrix (groups x buurten): every rule below is a matrix product over it, so
    # aggregating all wijken for all indicators costs a few dozen numpy calls, not a loop per group.
    positions = {code: i for i, code in enumerate(table.index)}
    matrix = np.zeros((len(members), len(table.index)))
    for row, codes in enumerate(members.values()):
        matrix[row, [positions[c] for c in codes]] = 1.0
    cols = _Columns(table, matrix)
    area = _land_area(cols, table, land_area)
    result = {key: _one(cols, catalogue[key], area) for key in keys}
    frame = pd.DataFrame(result, index=pd.Index(list(members), name="code"), columns=keys)
    return frame


class _Columns:
    """Table columns as float arrays, and group-wise sums over the membership matrix."""

    def __init__(self, table: pd.DataFrame, matrix: np.ndarray) -> None:
        self.table = table
        self.matrix = matrix
        self.nan = np.full(len(table.index), np.nan)

    def get(self, key: str | None) -> np.ndarray:
        if key is None or key not in self.table.columns:
            return self.nan
        return self.table[key].to_numpy(dtype=float, na_value=np.nan)

    def total(self, values: np.ndarray) -> np.ndarray:
        """Group sums of values, treating missing as 0 (callers decide what missing means)."""
        return self.matrix @ np.nan_to_num(values, nan=0.0)

    def any_missing(self, values: np.ndarray) -> np.ndarray:
        return (self.matrix @ np.isnan(values).astype(float)) > 0

    def strict_sum(self, key: str | None) -> np.ndarray:
        values = self.get(key)
        return np.where(self.any_missing(values), np.nan, self.total(values))


def _supported(table: pd.DataFrame, catalogue: Catalogue, key: str) -> bool:
    """Whether the table has the columns this indicator's rule needs (values may still be missing)."""
    if key not in catalogue:
        return False
    ind = catalogue[key]
    if ind.aggregation == "none":
        return False
    if ind.aggregation == "ratio":
        has_counts = ind.numerator in table.columns and ind.denominator in table.columns
        return has_counts or (key in table.columns and ind.denominator in table.columns)
    if ind.aggregation == "density":
        return ind.numerator in table.columns
    if ind.aggregation == "weighted":
        return key in table.columns and ind.weight in table.columns
    return key in table.columns


def _one(cols: _Columns, ind: Indicator, area: np.ndarray) -> np.ndarray:
    rule = ind.aggregation
    if rule == "sum":
        return cols.strict_sum(ind.key)
    if rule == "weighted":
        return _weighted(cols, ind.key, ind.weight)
    if rule == "ratio":
        num, den = cols.strict_sum(ind.numerator), cols.strict_sum(ind.denominator)
        counted = ~np.isnan(num) & ~np.isnan(den)
        with np.errstate(divide="ignore", invalid="ignore"):
            from_counts = np.where(den > 0, num / den * ind.scale, np.nan)
        return np.where(counted, from_counts, _weighted(cols, ind.key, ind.denominator))
    if rule == "density":
        numerator = cols.strict_sum(ind.numerator)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(area > 0, numerator / (area / HA_PER_KM2), np.nan)
    return np.full(cols.matrix.shape[0], np.nan)


def _weighted(cols: _Columns, key: str, weight_key: str | None) -> np.ndarray:
    values, weights = cols.get(key), cols.get(weight_key)
    total = cols.total(weights)
    known = ~np.isnan(values) & (np.nan_to_num(weights) > 0)
    numerator = cols.total(np.where(known, values * weights, 0.0))
    denominator = cols.total(np.where(known, weights, 0.0))
    unweighted = cols.total(np.where(np.isnan(values), weights, 0.0))
    ok = ~cols.any_missing(weights) & (total > 0) & (denominator > 0)
    ok &= unweighted <= MAX_MISSING_WEIGHT_SHARE * total
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(ok, numerator / denominator, np.nan)


def _land_area(cols: _Columns, table: pd.DataFrame, land_area: pd.Series | None) -> np.ndarray:
    """Summed land area (ha) per group: this year's where complete, else ``land_area``'s."""
    own = cols.get(AREA_KEY)
    summed = np.where(cols.any_missing(own), np.nan, cols.total(own))
    if land_area is None:
        return summed
    other = land_area.reindex(table.index).to_numpy(dtype=float, na_value=np.nan)
    fallback = np.where(cols.any_missing(other), np.nan, cols.total(other))
    return np.where(np.isnan(summed), fallback, summed)


def partial(
    table: pd.DataFrame,
    codes: Iterable[str],
    catalogue: Catalogue,
    *,
    indicators: Iterable[str] | None = None,
    totals: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Shares and averages of one group over only the buurten that publish them, with the coverage.

    For a wijk whose small buurten CBS suppressed, :func:`aggregate` gives nothing (missing stays
    missing). This gives what can honestly be said instead: the value over the known buurten, and how
    much of the basis they cover, e.g. 11,8% over 280 of 305 inhabitants. Only ``ratio`` and
    ``weighted`` figures qualify (a partial *count* would be a wrong total). Rows are returned only where
    some buurten lack the figure and the rest hold at least :data:`MIN_PARTIAL_SHARE` of the basis.

    Columns: ``value, covered, total, basis`` (``basis`` is the indicator key the coverage is counted in,
    or ``"buurten"`` when that count is itself incomplete, then ``covered``/``total`` count buurten).
    ``totals`` are the group's own published counts (e.g. a wijk's inhabitants): used as the total when
    a buurt lacks the basis count itself.
    """
    members = list(dict.fromkeys(codes))
    unknown = sorted(set(members) - set(table.index))
    if unknown:
        raise InputError(
            f"Onbekende buurtcode(s): {', '.join(unknown)}", en=f"Unknown buurt code(s): {', '.join(unknown)}"
        )
    part = table.loc[members]
    wanted = list(indicators) if indicators is not None else [ind.key for ind in catalogue]
    rows = {}
    for key in wanted:
        if key not in catalogue:
            continue
        ind = catalogue[key]
        basis = ind.denominator if ind.aggregation == "ratio" else ind.weight
        if ind.aggregation not in ("ratio", "weighted") or basis not in part.columns:
            continue
        weight = part[basis].astype(float)
        value = part[key].astype(float) if key in part.columns else pd.Series(np.nan, index=part.index)
        if ind.aggregation == "ratio" and ind.numerator in part.columns:
            from_counts = part[ind.numerator].astype(float) / weight.where(weight > 0) * ind.scale
            value = value.fillna(from_counts)
        known = value.notna() & (weight.fillna(0) > 0)
        if known.all() or not known.any():
            continue
        covered = float(weight[known].sum())
        result = float((value[known] * weight[known]).sum() / covered)
        published = float((totals or {}).get(basis, np.nan))
        if weight.notna().all() or (np.isfinite(published) and published >= covered):
            total = float(weight.sum()) if weight.notna().all() else published
            unit, share = basis, covered / total
        else:
            total, unit = float(len(members)), "buurten"
            covered = float(known.sum())
            share = covered / total
        if share >= MIN_PARTIAL_SHARE:
            rows[key] = {"value": result, "covered": covered, "total": total, "basis": unit}
    return pd.DataFrame.from_dict(rows, orient="index", columns=["value", "covered", "total", "basis"])


def groups_by(codes_to_group: Mapping[str, str]) -> dict[str, list[str]]:
    """Invert a code -> group mapping (e.g. buurtcode -> wijkcode) into group -> codes."""
    grouped: dict[str, list[str]] = {}
    for code, group in codes_to_group.items():
        if isinstance(group, str) and group:
            grouped.setdefault(group, []).append(code)
    return grouped
