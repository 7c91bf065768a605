"""Figures per area for one year: published values first, aggregated from buurten where needed.

This is where the long statistics table, the boundaries and the aggregation rules meet. Everything
returns plain DataFrames indexed by region code (or reference name) with one column per indicator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

import numpy as np
import pandas as pd

from enschede_gis import aggregate as agg
from enschede_gis import i18n, settings
from enschede_gis import statistics as st
from enschede_gis.boundaries import buurten_of, for_gemeente
from enschede_gis.errors import InputError
from enschede_gis.indicators import Catalogue
from enschede_gis.snapshot import Snapshot

#: A gemeente set counts as "Nederland" only when (nearly) all gemeenten are present.
MIN_GEMEENTEN_NL = 300


def check_year(snap: Snapshot, year: int) -> int:
    known = st.years(snap.statistics)
    if int(year) not in known:
        raise InputError(
            f"Geen gegevens voor het jaar {year} (wel voor: {', '.join(map(str, known))}).",
            en=f"No data for the year {year} (available for: {', '.join(map(str, known))}).",
        )
    return int(year)


def land_area(snap: Snapshot) -> pd.Series:
    """Land area (ha) per buurt from the most recent year that has it (outlines are unchanged)."""
    rows = snap.statistics
    rows = rows[(rows["indicator"] == agg.AREA_KEY) & (rows["level"] == "buurt") & rows["value"].notna()]
    rows = rows.sort_values("year").drop_duplicates("code", keep="last")
    return rows.set_index("code")["value"]


#: One snapshot's tables are asked for again and again (every year of a latest-per-figure profile,
#: every tab); a small memo keyed on the identity of the (immutable) snapshot and catalogue saves the
#: repeats. Entries keep their objects alive, so an id is never reused while it is in here.
_MEMO_SIZE = 64
_memo: dict[tuple, tuple[tuple, pd.DataFrame]] = {}


def _remember(key: tuple, owners: tuple, make: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    hit = _memo.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[0], owners, strict=True)):
        return hit[1].copy()
    table = make()
    if len(_memo) >= _MEMO_SIZE:
        _memo.pop(next(iter(_memo)))
    _memo[key] = (owners, table)
    return table.copy()


def buurt_table(snap: Snapshot, *, year: int, gemeente: str = settings.DEFAULT_GEMEENTE) -> pd.DataFrame:
    """Published buurt figures of one gemeente for one year; every buurt has a row (maybe all NaN)."""
    year = check_year(snap, year)

    def make() -> pd.DataFrame:
        codes = list(for_gemeente(snap, "buurt", gemeente)["code"])
        return st.wide(snap.statistics, year=year, level="buurt", codes=codes).reindex(codes)

    return _remember(("buurt", id(snap), year, gemeente), (snap,), make)


def level_table(
    snap: Snapshot,
    catalogue: Catalogue,
    *,
    year: int,
    level: str,
    gemeente: str = settings.DEFAULT_GEMEENTE,
) -> pd.DataFrame:
    """Figures for every area of a level: published values, with gaps filled from the buurten.

    A figure CBS published as missing stays missing; only figures absent for the whole level and
    year (e.g. wijk figures for 2021, which the snapshot has only per buurt) are aggregated.
    """
    year = check_year(snap, year)
    if level == "buurt":
        return buurt_table(snap, year=year, gemeente=gemeente)
    return _remember(
        ("level", id(snap), id(catalogue), year, level, gemeente),
        (snap, catalogue),
        lambda: _level_table(snap, catalogue, year=year, level=level, gemeente=gemeente),
    )


def _level_table(snap: Snapshot, catalogue: Catalogue, *, year: int, level: str, gemeente: str) -> pd.DataFrame:
    codes = list(for_gemeente(snap, level, gemeente)["code"])
    published = st.wide(snap.statistics, year=year, level=level, codes=codes).reindex(codes)
    groups = {code: buurten_of(snap, code) for code in codes}
    computed = agg.aggregate(
        buurt_table(snap, year=year, gemeente=gemeente), groups, catalogue, land_area=land_area(snap)
    )
    extra = [c for c in computed.columns if c not in published.columns]
    return published.join(computed[extra]) if extra else published


def area_figures(
    snap: Snapshot,
    catalogue: Catalogue,
    *,
    year: int,
    codes: Iterable[str],
    gemeente: str = settings.DEFAULT_GEMEENTE,
) -> pd.Series:
    """Figures of a custom area (a group of buurten), aggregated by the catalogue's rules."""
    table = buurt_table(snap, year=year, gemeente=gemeente)
    frame = agg.aggregate(table, {"area": list(codes)}, catalogue, land_area=land_area(snap))
    return frame.iloc[0] if not frame.empty else pd.Series(dtype=float)


def groups_table(
    snap: Snapshot,
    catalogue: Catalogue,
    *,
    year: int,
    groups: dict[str, list[str]],
    gemeente: str = settings.DEFAULT_GEMEENTE,
) -> pd.DataFrame:
    """Figures of several custom areas at once (index: area key), by the catalogue's rules."""
    table = buurt_table(snap, year=year, gemeente=gemeente)
    return agg.aggregate(table, groups, catalogue, land_area=land_area(snap))


def references(
    snap: Snapshot,
    catalogue: Catalogue,
    *,
    year: int,
    gemeente: str = settings.DEFAULT_GEMEENTE,
) -> pd.DataFrame:
    """Reference values for one year: the gemeente, Twente and the Netherlands where the data has them.

    Regional references are aggregated from gemeente figures by the same catalogue rules.
    """
    year = check_year(snap, year)
    names = snap.names()
    rows = {}
    own = level_table(snap, catalogue, year=year, level="gemeente", gemeente=gemeente)
    rows[names.get(gemeente, gemeente)] = own.loc[gemeente]
    gem = st.wide(snap.statistics, year=year, level="gemeente")
    twente = [c for c in settings.TWENTE if c in gem.index]
    if len(twente) == len(settings.TWENTE):
        rows["Twente"] = agg.aggregate(gem, {"Twente": twente}, catalogue).iloc[0]
    if len(gem) >= MIN_GEMEENTEN_NL:
        rows["Nederland"] = agg.aggregate(gem, {"Nederland": list(gem.index)}, catalogue).iloc[0]
    # Figures published for the whole country (e.g. RIVM's health estimates for NL01) win over sums.
    land = st.wide(snap.statistics, year=year, level="land")
    if not land.empty:
        published = land.iloc[0]
        rows["Nederland"] = published.combine_first(rows["Nederland"]) if "Nederland" in rows else published
    return pd.DataFrame(rows).T


def latest_by_area(table_of: Callable[[int], pd.DataFrame], indicator: str, years: Iterable[int]) -> pd.DataFrame:
    """Each area's latest value of one figure: columns ``value`` and ``year`` (NaN where no year has it).

    ``table_of(year)`` gives one year's figures per area (e.g. :func:`level_table`), so every value is
    a published or same-year aggregated figure; years are searched newest first.
    """
    result: pd.DataFrame | None = None
    for year in sorted({int(y) for y in years}, reverse=True):
        table = table_of(year)
        column = table[indicator] if indicator in table.columns else pd.Series(np.nan, index=table.index)
        if result is None:
            result = pd.DataFrame({"value": np.nan, "year": pd.Series(pd.NA, index=table.index, dtype="Int64")})
        column = column.reindex(result.index).astype(float)
        fill = result["value"].isna() & column.notna()
        result.loc[fill, "value"] = column[fill]
        result.loc[fill, "year"] = year
    if result is None:
        return pd.DataFrame({"value": pd.Series(dtype=float), "year": pd.Series(dtype="Int64")})
    return result


#: At most this many areas are named in a legend whose figure comes from an earlier year for them.
MAX_NAMED_EARLIER = 3


def years_label(years: pd.Series, names: Mapping[str, str], lang: str = "nl") -> str:
    """The year text for a map legend: "2024", or "2024; Kennispark 2023" when areas differ."""
    known = years.dropna().astype(int)
    if known.empty:
        return ""
    latest = int(known.max())
    earlier = known[known < latest]
    if earlier.empty:
        return str(latest)
    if len(earlier) <= MAX_NAMED_EARLIER:
        items = ", ".join(f"{names.get(code, code)} {year}" for code, year in earlier.items())
        return i18n.t("kaart.latest_named", lang, latest=latest, items=items)
    return i18n.t(
        "kaart.latest_counted",
        lang,
        latest=latest,
        count=len(earlier),
        first=int(earlier.min()),
        last=int(earlier.max()),
    )


def z_scores(table: pd.DataFrame, column: str) -> pd.Series:
    """Standardised distance from the mean of the areas in ``table`` (NaN stays NaN)."""
    values = table[column]
    sd = values.std(ddof=0)
    if not np.isfinite(sd) or sd == 0:
        return values * np.nan
    return (values - values.mean()) / sd
