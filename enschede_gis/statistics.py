"""CBS key figures (Kerncijfers wijken en buurten) as one long table.

The canonical form is *long*: one row per (``code``, ``year``, ``indicator``) with its ``value`` and the
``source`` it came from, so every figure carries its year and source table. Wide views for one year
are made on demand with :func:`wide`.

Missing is missing: CBS sentinels ("secret", "not applicable") and empty cells become NaN and stay
NaN; nothing here fills a gap with 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from enschede_gis.errors import InputError
from enschede_gis.indicators import Catalogue

LEVELS = ("buurt", "wijk", "gemeente")
COLUMNS = ["code", "level", "year", "indicator", "value", "source"]

#: CBS writes secret / not applicable as -99999999, and also uses -99995 and -99997: anything at or
#: below this is a code, not a value.
SENTINEL_MAX = -99990
_SUFFIX = re.compile(r"_\d+$")


def strip_key_suffix(key: str) -> str:
    """``GemiddeldeWOZWaardeVanWoningen_39`` -> ``GemiddeldeWOZWaardeVanWoningen``.

    CBS renumbers the suffix between table editions; the name part identifies the variable.
    """
    return _SUFFIX.sub("", key.strip())


def level_of(code: str) -> str:
    """The region level from a CBS code's prefix (GM, WK, BU; NL for the whole country: "land")."""
    prefix = code.strip()[:2].upper()
    try:
        return {"GM": "gemeente", "WK": "wijk", "BU": "buurt", "NL": "land"}[prefix]
    except KeyError:
        raise InputError(
            f"'{code}' is geen CBS-regiocode (GM…, WK… of BU…).",
            en=f"'{code}' is not a CBS region code (GM…, WK… or BU…).",
        ) from None


def clean_values(values: pd.Series) -> pd.Series:
    """Numbers as floats; CBS sentinels, '.', blanks and None become NaN (never 0)."""
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        values = values.astype("string").str.strip().str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    return numbers.mask(numbers <= SENTINEL_MAX)


def to_long(
    frame: pd.DataFrame,
    *,
    code_column: str,
    year: int,
    source: str,
    columns: dict[str, str],
) -> pd.DataFrame:
    """Turn a wide source table into canonical long rows.

    ``columns`` maps the source's column names to catalogue keys; other columns are ignored.
    Rows whose value is missing are kept as NaN so "published as missing" stays visible.
    """
    present = {col: key for col, key in columns.items() if col in frame.columns}
    codes = frame[code_column].astype("string").str.strip()
    parts = []
    for col, key in present.items():
        parts.append(
            pd.DataFrame(
                {
                    "code": codes.to_numpy(),
                    "indicator": key,
                    "value": clean_values(frame[col]).to_numpy(),
                }
            )
        )
    if not parts:
        return empty()
    long = pd.concat(parts, ignore_index=True)
    long["level"] = long["code"].map(level_of)
    long["year"] = int(year)
    long["source"] = source
    return long[COLUMNS]


def empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": pd.Series(dtype="string"),
            "level": pd.Series(dtype="string"),
            "year": pd.Series(dtype="int64"),
            "indicator": pd.Series(dtype="string"),
            "value": pd.Series(dtype="float64"),
            "source": pd.Series(dtype="string"),
        }
    )


def source_columns(catalogue: Catalogue, frame_columns: Iterable[str], kind: str) -> dict[str, str]:
    """Match a source's column names to catalogue keys.

    For CBS StatLine keys the numeric suffix is stripped first, so ``AantalInwoners_5`` and a future
    ``AantalInwoners_6`` both resolve to ``inwoners``; a catalogue entry naming a full key (with suffix)
    matches only that exact column.
    """
    lookup = catalogue.by_source(kind)  # type: ignore[arg-type]
    matched = {}
    for col in frame_columns:
        # A full key first: where CBS uses one name twice in a table (Appartement_54 for electricity,
        # Appartement_62 for gas) the catalogue names the exact key of that table year.
        name = col.strip() if col.strip() in lookup or kind != "cbs" else strip_key_suffix(col)
        if name in lookup:
            matched[col] = lookup[name]
    return matched


def derive_missing(long: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Add ratio and density figures that a source left out but whose counts it does publish.

    E.g. a table with ``k_0Tot15Jaar`` and ``AantalInwoners`` but no percentage gets ``pct_0_15`` =
    count / inhabitants * 100, marked in ``source`` as derived. Published values always win; a
    derived value is only added where the published one is absent (not where it is NaN).
    """
    if long.empty:
        return long
    keyed = long.set_index(["code", "year", "indicator"])["value"]
    sources = long.drop_duplicates(["code", "year"]).set_index(["code", "year"])["source"]
    existing = set(keyed.index)
    wide_all = keyed.unstack("indicator")
    added = []
    for ind in catalogue:
        if ind.aggregation != "ratio" or ind.numerator not in wide_all or ind.denominator not in wide_all:
            continue
        num, den = wide_all[ind.numerator], wide_all[ind.denominator]
        value = num / den.where(den > 0) * ind.scale
        for (code, year), v in value.items():
            published = {(code, year, ind.numerator), (code, year, ind.denominator)} <= existing
            if (code, year, ind.key) in existing or not published:
                continue
            added.append(
                {
                    "code": code,
                    "level": level_of(code),
                    "year": year,
                    "indicator": ind.key,
                    "value": float(v),
                    "source": f"{sources[(code, year)]}; afgeleid: {ind.numerator} / {ind.denominator}",
                }
            )
    if not added:
        return long
    return pd.concat([long, pd.DataFrame(added)[COLUMNS]], ignore_index=True)


def wide(
    stats: pd.DataFrame,
    *,
    year: int,
    level: str | None = None,
    codes: Iterable[str] | None = None,
    indicators: Iterable[str] | None = None,
) -> pd.DataFrame:
    """One year as a table: one row per region code, one column per indicator (NaN = missing)."""
    rows = stats[stats["year"] == year]
    if level is not None:
        rows = rows[rows["level"] == level]
    if codes is not None:
        rows = rows[rows["code"].isin(list(codes))]
    if indicators is not None:
        rows = rows[rows["indicator"].isin(list(indicators))]
    table = rows.pivot_table(index="code", columns="indicator", values="value", aggfunc="first", dropna=False)
    table.columns.name = None
    return table


def years(stats: pd.DataFrame, *, indicator: str | None = None, level: str | None = None) -> list[int]:
    """Years that have at least one non-missing value (for this indicator and level)."""
    rows = stats[stats["value"].notna()]
    if indicator is not None:
        rows = rows[rows["indicator"] == indicator]
    if level is not None:
        rows = rows[rows["level"] == level]
    return sorted(int(y) for y in rows["year"].unique())


def available_indicators(stats: pd.DataFrame, *, year: int, level: str) -> list[str]:
    """Indicators with at least one published value at this level in this year."""
    rows = stats[(stats["year"] == year) & (stats["level"] == level) & stats["value"].notna()]
    return list(pd.unique(rows["indicator"]))


def source_of(stats: pd.DataFrame, *, indicator: str, year: int, level: str) -> str:
    """The source table(s) of one figure, for display next to it."""
    rows = stats[(stats["indicator"] == indicator) & (stats["year"] == year) & (stats["level"] == level)]
    names = sorted({str(s) for s in rows["source"].dropna()})
    return "; ".join(names)


def latest_year(stats: pd.DataFrame, *, indicator: str, level: str) -> int | None:
    found = years(stats, indicator=indicator, level=level)
    return found[-1] if found else None


def as_float(value: object) -> float:
    """A cell as float, with None / pd.NA as NaN."""
    if value is None or value is pd.NA:
        return np.nan
    return float(value)  # type: ignore[arg-type]
