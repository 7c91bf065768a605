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
        raise InputError(f"Onbekende buurtcode(s): {', '.join(unknown)}")
    empty = [name for name, codes in members.items() if not codes]
    if empty:
        raise InputError(f"Gebied '{empty[0]}' bevat geen buurten.")
    wanted = list(indicators) if indicators is not None else [ind.key for ind in catalogue]
    result = {}
    for name, codes in members.items():
        part = table.loc[codes]
        result[name] = {
            key: _one(part, catalogue[key], land_area) for key in wanted if _supported(table, catalogue, key)
        }
    frame = pd.DataFrame.from_dict(result, orient="index")
    frame.index.name = "code"
    return frame


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


def _one(part: pd.DataFrame, ind: Indicator, land_area: pd.Series | None) -> float:
    rule = ind.aggregation
    if rule == "sum":
        return _strict_sum(part, ind.key)
    if rule == "weighted":
        return _weighted(part, ind.key, ind.weight)
    if rule == "ratio":
        num, den = _strict_sum(part, ind.numerator), _strict_sum(part, ind.denominator)
        if not np.isnan(num) and not np.isnan(den):
            return num / den * ind.scale if den > 0 else np.nan
        return _weighted(part, ind.key, ind.denominator)
    if rule == "density":
        return _density(part, ind, land_area)
    return np.nan


def _column(part: pd.DataFrame, key: str | None) -> pd.Series | None:
    if key is None or key not in part.columns:
        return None
    return part[key]


def _strict_sum(part: pd.DataFrame, key: str | None) -> float:
    values = _column(part, key)
    if values is None or values.isna().any():
        return np.nan
    return float(values.sum())


def _weighted(part: pd.DataFrame, key: str, weight_key: str | None) -> float:
    values, weights = _column(part, key), _column(part, weight_key)
    if values is None or weights is None or weights.isna().any():
        return np.nan
    total = weights.sum()
    known = values.notna() & (weights > 0)
    if total <= 0 or not known.any() or weights[values.isna()].sum() > MAX_MISSING_WEIGHT_SHARE * total:
        return np.nan
    return float((values[known] * weights[known]).sum() / weights[known].sum())


def _density(part: pd.DataFrame, ind: Indicator, land_area: pd.Series | None) -> float:
    numerator = _strict_sum(part, ind.numerator)
    area = _column(part, AREA_KEY)
    if (area is None or area.isna().any()) and land_area is not None:
        area = land_area.reindex(part.index)
    if np.isnan(numerator) or area is None or area.isna().any() or area.sum() <= 0:
        return np.nan
    return numerator / (float(area.sum()) / HA_PER_KM2)


def groups_by(codes_to_group: Mapping[str, str]) -> dict[str, list[str]]:
    """Invert a code -> group mapping (e.g. buurtcode -> wijkcode) into group -> codes."""
    grouped: dict[str, list[str]] = {}
    for code, group in codes_to_group.items():
        if isinstance(group, str) and group:
            grouped.setdefault(group, []).append(code)
    return grouped
