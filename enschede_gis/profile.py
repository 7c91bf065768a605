"""The area profile ("wijkpaspoort"): key figures, position in the city, spread, similar buurten, trends.

An *area* is a buurt, a wijk, the gemeente, or a custom area (a named group of buurten). Every
function here takes an :class:`Area` and a year, so a page or a report gets the same numbers. The year
is either one year (a cross-section) or :data:`LATEST`: each figure at the latest year that has it for
this area, with that year next to it and its references (Enschede, Twente, NL) from the same year.

- :func:`key_figures`: the area's value next to the gemeente, Twente and the Netherlands, with the
  year and source of each figure;
- :func:`position`: the rank the area's value would take among the gemeente's buurten and its
  distance from the city value in standard deviations of the buurten;
- :func:`spread`: how the buurten inside a wijk or custom area are distributed, so a buurt that
  stands out is not hidden by the area's mean;
- :func:`similar_buurten`: the buurten elsewhere most alike on chosen indicators;
- :func:`trends`: every year the snapshot has, with notes where definitions changed;
- :func:`compare`: two to four areas side by side.

Custom areas and wijken get their figures from the catalogue's aggregation rules (see
:mod:`enschede_gis.aggregate`), never from averaging percentages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from enschede_gis import aggregate as agg
from enschede_gis import area_index, figures, i18n, settings
from enschede_gis import statistics as stats
from enschede_gis.area_index import Area
from enschede_gis.areas import CustomArea
from enschede_gis.errors import InputError
from enschede_gis.indicators import Catalogue, Indicator
from enschede_gis.snapshot import Snapshot

#: Kinds of figure whose value can be set against the city's: shares, averages, rates, densities.
#: Counts and areas grow with the size of an area, so their "distance from the city" means nothing.
COMPARABLE_KINDS = ("percentage", "average", "density", "ratio")

#: Distance from the city value (in SDs of the buurten) below which a figure counts as "around average".
AVERAGE_BAND_SD = 0.5

#: A buurt inside an area "stands out" when it lies at least this many city SDs from the area's value.
STANDS_OUT_SD = 1.0

#: Similar buurten: a buurt is compared only when both it and the area have at least this share of
#: the chosen indicators (and at least two), so a buurt with few published figures cannot look alike
#: by accident.
MIN_SHARED_SHARE = 0.5

#: Preferred indicators for "similar buurten": the make-up of a place rather than its size. Only
#: those with values for most buurten in the chosen year are used (see :func:`default_similarity`).
SIMILARITY_DEFAULTS = (
    "pct_0_15",
    "pct_65_plus",
    "pct_eenpersoonshuishoudens",
    "pct_huishoudens_met_kinderen",
    "huishoudensgrootte",
    "bevolkingsdichtheid",
    "pct_herkomst_buiten_europa",
    "pct_niet_westers",
    "woz_waarde",
)
MIN_COVERAGE = 0.9

#: Where a definition changed between years: the trend of these themes breaks (locale key of the note).
TREND_NOTES = {
    "herkomst": "profiel.note_herkomst",
}


#: Source of the RIVM health estimates (see :func:`default_year`).
HEALTH_SOURCE_PREFIX = "RIVM"

#: Year mode: every figure at its own latest published year for the area (the default view).
LATEST = "latest"

#: A year argument: one year, or :data:`LATEST`.
YearMode = int | str


def is_latest(year: object) -> bool:
    return isinstance(year, str) and year == LATEST


def selectable_areas(
    snap: Snapshot,
    custom_areas: Iterable[CustomArea] = (),
    *,
    gemeente: str = settings.DEFAULT_GEMEENTE,
) -> list[Area]:
    """Every area a user can pick: the gemeente, its wijken, its buurten, then the custom areas
    (see :func:`enschede_gis.area_index.selectable_areas`, the same list without loading shapes)."""
    return area_index.selectable_areas(area_index.from_snapshot(snap), custom_areas, gemeente=gemeente)


def find_area(areas: Sequence[Area], key: str | None) -> Area:
    """The area with this key; an unknown key is an :class:`InputError` naming it."""
    for area in areas:
        if area.key == key:
            return area
    raise InputError(f"Onbekend gebied '{key}'.", en=f"Unknown area '{key}'.")


#: A year with at least this share of the best year's figures counts as (nearly) as complete.
NEAR_FULL_YEAR = 0.9


def default_year(snap: Snapshot, *, level: str = "buurt") -> int:
    """The latest year with (nearly, see :data:`NEAR_FULL_YEAR`) the most indicators at this level."""
    rows = snap.statistics
    rows = rows[(rows["level"] == level) & rows["value"].notna()]
    # RIVM's health estimates come in their own survey years; they do not decide the key-figure year.
    rows = rows[~rows["source"].astype("string").str.startswith(HEALTH_SOURCE_PREFIX).fillna(False)]
    if rows.empty:
        raise InputError(f"Geen gegevens op het niveau '{level}'.", en=f"No data at the level '{level}'.")
    counts = rows.groupby("year")["indicator"].nunique()
    best = counts[counts >= NEAR_FULL_YEAR * counts.max()]
    return int(best.index.max())


def cross_section_year(snap: Snapshot, year: YearMode) -> int:
    """One year for parts that need all buurten in the same year (similar buurten): ``LATEST`` -> the
    year with the most buurt figures."""
    return default_year(snap) if is_latest(year) else int(year)


def area_years(snap: Snapshot, area: Area) -> list[int]:
    """Years with figures for this area: every year for the gemeente, buurt years otherwise."""
    level = "gemeente" if area.kind == "gemeente" else "buurt"
    return stats.years(snap.statistics, level=level)


# -- values ------------------------------------------------------------------------------------------

#: Whole-level tables are recomputed by several functions for one profile; a small memo keyed on the
#: identity of the snapshot and catalogue (both immutable) saves the repeats. Entries keep their
#: snapshot alive so an id is never reused while it is in here.
_MEMO_SIZE = 24
_memo: dict[tuple, tuple[object, object, pd.DataFrame]] = {}


def _memoised(
    kind: str, snap: Snapshot, catalogue: Catalogue, year: int, gemeente: str, level: str = ""
) -> pd.DataFrame:
    key = (kind, id(snap), id(catalogue), int(year), gemeente, level)
    hit = _memo.get(key)
    if hit is not None and hit[0] is snap and hit[1] is catalogue:
        return hit[2].copy()
    if kind == "references":
        table = figures.references(snap, catalogue, year=year, gemeente=gemeente)
    elif kind == "partial":
        table = _gemeente_partial(snap, catalogue, year, gemeente)
    else:
        table = figures.level_table(snap, catalogue, year=year, level=level, gemeente=gemeente)
    if len(_memo) >= _MEMO_SIZE:
        _memo.pop(next(iter(_memo)))
    _memo[key] = (snap, catalogue, table)
    return table.copy()


def area_values(
    snap: Snapshot,
    catalogue: Catalogue,
    area: Area,
    *,
    year: int,
    gemeente: str = settings.DEFAULT_GEMEENTE,
) -> pd.Series:
    """All figures of one area in one year (NaN where unknown), indexed by indicator key.

    Buurten, wijken and the gemeente use published figures (wijk gaps filled from the buurten);
    custom areas are aggregated from their buurten by the catalogue's rules. A custom area of a
    single buurt has that buurt's published figures.
    """
    if area.kind == "buurt" or (area.kind == "custom" and len(area.codes) == 1):
        table = figures.buurt_table(snap, year=year, gemeente=gemeente)
        values = table.loc[area.codes[0]]
    elif area.kind in ("wijk", "gemeente"):
        table = _memoised("level", snap, catalogue, year, gemeente, area.kind)
        values = table.loc[area.key]
    else:
        values = figures.area_figures(snap, catalogue, year=year, codes=area.codes, gemeente=gemeente)
    values = values.astype(float)
    values.name = area.key
    return values[[key for key in values.index if key in catalogue]]


def source_text(snap: Snapshot, area: Area, indicator: str, *, year: int, lang: str = "nl") -> str:
    """Where a figure comes from: the source table, or "calculated from buurten" for aggregates."""
    return _source_in(_year_sources(snap, area, year), area, indicator, lang)


def _year_sources(snap: Snapshot, area: Area, year: int) -> dict[str, list[tuple[str, str]]]:
    """(code, source) of every published value of the area and its buurten in a year, by indicator."""
    rows = snap.statistics
    rows = rows[(rows["year"] == year) & rows["code"].isin([area.key, *area.codes]) & rows["value"].notna()]
    found: dict[str, list[tuple[str, str]]] = {}
    for code, indicator, source in zip(rows["code"], rows["indicator"], rows["source"].fillna(""), strict=True):
        found.setdefault(str(indicator), []).append((str(code), str(source)))
    return found


def _source_in(sources: dict[str, list[tuple[str, str]]], area: Area, indicator: str, lang: str = "nl") -> str:
    entries = sources.get(indicator, [])
    single = area.kind == "buurt" or (area.kind == "custom" and len(area.codes) == 1)
    own_code = area.codes[0] if single else area.key
    own = _names((source for code, source in entries if code == own_code), lang)
    if own:
        return own
    members = set(area.codes)
    from_buurten = _names((source for code, source in entries if code in members), lang)
    return i18n.t("profiel.from_buurten", lang, sources=from_buurten) if from_buurten else ""


def _names(sources: Iterable[str], lang: str = "nl") -> str:
    """The distinct source tables, with "(afgeleid)" where a figure was derived from counts."""
    names = set()
    mark = f" ({i18n.t('profiel.derived', lang)})"
    for text in sources:
        if text:
            base, _, derived = text.partition(";")
            names.add(base.strip() + (mark if derived else ""))
    return "; ".join(sorted(names))


def key_figures(
    snap: Snapshot,
    catalogue: Catalogue,
    area: Area,
    *,
    year: YearMode = LATEST,
    lang: str = "nl",
    gemeente: str = settings.DEFAULT_GEMEENTE,
) -> pd.DataFrame:
    """The profile table: one row per indicator with a value for the area or its references.

    Columns: ``theme, theme_label, indicator, label, unit, value, text, local`` plus one numeric and
    one ``<name> (tekst)`` column per reference (the gemeente, Twente, Nederland where known),
    ``year``, ``source`` and ``coverage``. Missing values stay NaN and read "onbekend".

    With ``year=LATEST`` each row is the latest year in which the area has that figure (the references
    from that same year); a figure the area has in no year shows the latest references. A share of a
    wijk, custom area or the gemeente that is missing because a few small buurten are suppressed is given
    over the known buurten, with ``coverage`` saying how much ("bekend voor 280 van 305 inwoners") — also in
    ``text``, so it is never shown without it (see :func:`enschede_gis.aggregate.partial`). The same
    holds for the gemeente reference.
    """
    if not is_latest(year):
        return _key_figures_in(snap, catalogue, area, year=int(year), lang=lang, gemeente=gemeente)
    tables = [
        _key_figures_in(snap, catalogue, area, year=y, lang=lang, gemeente=gemeente)
        for y in reversed(area_years(snap, area))
    ]
    tables = [t for t in tables if not t.empty]
    if not tables:
        return pd.DataFrame()
    every = pd.concat(tables, ignore_index=True)
    # Per indicator: the latest year with a value for the area; without any, the latest references.
    rank = np.where(every["value"].isna(), 1, 0)
    every = every.assign(_rank=rank, _year=-every["year"]).sort_values(["_rank", "_year"], kind="stable")
    best = every.drop_duplicates("indicator").set_index("indicator")
    order = [ind.key for inds in catalogue.by_theme().values() for ind in inds if ind.key in best.index]
    refs = sorted(
        dict.fromkeys(name for t in tables for name in reference_names(t)),
        key=lambda name: {"Twente": 1, "Nederland": 2}.get(name, 0),
    )
    base = [c for c in tables[0].columns if c not in {*refs, *(f"{r} (tekst)" for r in refs)}]
    at = base.index("year")
    columns = [*base[:at], *(c for r in refs for c in (r, f"{r} (tekst)")), *base[at:]]
    table = best.loc[order].drop(columns=["_rank", "_year"]).reset_index()
    for name in refs:  # a reference the chosen year does not have
        table[f"{name} (tekst)"] = table[f"{name} (tekst)"].fillna(i18n.t("app.missing", lang))
    return table[columns]


def _key_figures_in(
    snap: Snapshot, catalogue: Catalogue, area: Area, *, year: int, lang: str, gemeente: str
) -> pd.DataFrame:
    values = area_values(snap, catalogue, area, year=year, gemeente=gemeente)
    partial = _partial_values(snap, catalogue, area, values, year=year, gemeente=gemeente)
    refs = _memoised("references", snap, catalogue, year, gemeente)
    own_name = snap.names().get(gemeente, gemeente)
    ref_partial = _memoised("partial", snap, catalogue, year, gemeente)
    year_sources = _year_sources(snap, area, year)
    rows = []
    for theme, indicators in catalogue.by_theme().items():
        for ind in indicators:
            value = stats.as_float(values.get(ind.key, np.nan))
            coverage = ""
            if np.isnan(value) and ind.key in partial.index:
                value = float(partial.at[ind.key, "value"])
                coverage = coverage_text(catalogue, partial.loc[ind.key], lang)
            ref_values = {name: stats.as_float(refs.loc[name].get(ind.key, np.nan)) for name in refs.index}
            ref_texts = {name: ind.format(ref, lang) for name, ref in ref_values.items()}
            if own_name in ref_values and np.isnan(ref_values[own_name]) and ind.key in ref_partial.index:
                ref_values[own_name] = float(ref_partial.at[ind.key, "value"])
                share = coverage_text(catalogue, ref_partial.loc[ind.key], lang)
                ref_texts[own_name] = ind.format(ref_values[own_name], lang) + (f" ({share})" if share else "")
            if np.isnan(value) and all(np.isnan(v) for v in ref_values.values()):
                continue
            text = ind.format(value, lang)
            row = {
                "theme": theme,
                "theme_label": catalogue.theme_label(theme, lang),
                "indicator": ind.key,
                "label": ind.label(lang),
                "unit": ind.unit(lang),
                "value": value,
                "text": f"{text} ({coverage})" if coverage else text,
            }
            for name, ref in ref_values.items():
                row[name] = ref
                row[f"{name} (tekst)"] = ref_texts[name]
            row["year"] = year
            row["source"] = _source_for(year_sources, area, ind, lang)
            row["local"] = ind.local
            row["coverage"] = coverage
            rows.append(row)
    return pd.DataFrame(rows)


def _partial_values(
    snap: Snapshot, catalogue: Catalogue, area: Area, values: pd.Series, *, year: int, gemeente: str
) -> pd.DataFrame:
    """Shares/averages over the known buurten where the area's own value is missing (wijk, custom)."""
    if area.kind not in ("wijk", "custom", "gemeente") or len(area.codes) < 2:
        return pd.DataFrame(columns=["value", "covered", "total", "basis"])
    missing = [key for key in catalogue.indicators if np.isnan(stats.as_float(values.get(key, np.nan)))]
    table = figures.buurt_table(snap, year=year, gemeente=gemeente)
    totals = {key: float(v) for key, v in values.items() if pd.notna(v)}
    return agg.partial(table, area.codes, catalogue, indicators=missing, totals=totals)


def _gemeente_partial(snap: Snapshot, catalogue: Catalogue, year: int, gemeente: str) -> pd.DataFrame:
    """Partial values of the gemeente (for its reference column) where its own value is missing."""
    own = figures.level_table(snap, catalogue, year=year, level="gemeente", gemeente=gemeente)
    if gemeente not in own.index:
        return pd.DataFrame(columns=["value", "covered", "total", "basis"])
    codes = tuple(figures.buurt_table(snap, year=year, gemeente=gemeente).index)
    area = Area(gemeente, gemeente, "gemeente", codes)
    return _partial_values(snap, catalogue, area, own.loc[gemeente], year=year, gemeente=gemeente)


#: A partial value whose known part is at least this share of the whole is shown without a coverage
#: note: it rounds to 100 %, and the note would only make residents read two nearly equal numbers.
WHOLE_COVERAGE = 0.995


def coverage_text(catalogue: Catalogue, row: pd.Series, lang: str = "nl") -> str:
    """ "bekend voor 280 van 305 inwoners" for a partial value (see :func:`enschede_gis.aggregate.partial`),
    or "" when the known part rounds to the whole (a resident need not read "161.735 van 161.738")."""
    covered, total = float(row["covered"]), float(row["total"])
    if total > 0 and covered / total >= WHOLE_COVERAGE:
        return ""
    basis = str(row["basis"])
    if basis in catalogue:
        ind = catalogue[basis]
        covered, total = (ind.format(row[c], lang, with_unit=False) for c in ("covered", "total"))
        return i18n.t("profiel.coverage", lang, covered=covered, total=total, unit=ind.unit(lang))
    return i18n.t("profiel.coverage_buurten", lang, covered=int(row["covered"]), total=int(row["total"]))


def _source_for(sources: dict[str, list[tuple[str, str]]], area: Area, ind: Indicator, lang: str) -> str:
    if ind.local:
        return i18n.t("profiel.local_marker", lang, source=ind.source_note or "?")
    return _source_in(sources, area, ind.key, lang)


def reference_names(table: pd.DataFrame) -> list[str]:
    """The reference columns of a :func:`key_figures` table, in order (e.g. Enschede, Twente)."""
    return [c.removesuffix(" (tekst)") for c in table.columns if c.endswith(" (tekst)")]


# -- position among the buurten ---------------------------------------------------------------------


def rank_among(values: pd.Series, value: float) -> tuple[float, int]:
    """Rank (1 = highest) that ``value`` takes among ``values`` (NaN ignored), and how many ranked.

    Ties share the best rank. A missing value has rank NaN.
    """
    known = values.dropna()
    if value is None or np.isnan(value) or known.empty:
        return np.nan, len(known)
    return float(1 + (known > value).sum()), len(known)


def z_score(value: float, reference: float, spread_values: pd.Series) -> float:
    """``(value - reference) / SD(spread_values)`` with the population SD; NaN when undefined."""
    sd = spread_values.dropna().std(ddof=0)
    if np.isnan(value) or np.isnan(reference) or not np.isfinite(sd) or sd == 0:
        return np.nan
    return float((value - reference) / sd)


def signal(ind: Indicator, z: float) -> str:
    """How to colour a position: ``neutral`` for composition, else ``more``/``less`` attention or ``average``."""
    if not ind.is_condition:
        return "neutral"
    if np.isnan(z) or abs(z) < AVERAGE_BAND_SD:
        return "average"
    worse = z > 0 if ind.direction == "higher_worse" else z < 0
    return "more" if worse else "less"


def position(
    snap: Snapshot,
    catalogue: Catalogue,
    area: Area,
    *,
    year: YearMode = LATEST,
    lang: str = "nl",
    gemeente: str = settings.DEFAULT_GEMEENTE,
) -> pd.DataFrame:
    """Rank among the gemeente's buurten and SDs from the city value, for every comparable figure.

    Columns: ``indicator, label, theme_label, value, city, rank, ranked, z, signal, text, city_text,
    year``. For a buurt the rank is its own; for a larger area it is the rank its value would take.
    With ``LATEST`` each figure is ranked among the buurten of its own latest year.
    """
    return _per_year(
        snap, catalogue, area, year, lambda y: _position_in(snap, catalogue, area, year=y, lang=lang, gemeente=gemeente)
    )


def _per_year(snap: Snapshot, catalogue: Catalogue, area: Area, year: YearMode, one_year) -> pd.DataFrame:
    """``one_year(y)`` for one year, or with ``LATEST`` each indicator's rows from its latest year."""
    if not is_latest(year):
        return one_year(int(year)).assign(year=int(year))
    parts, seen = [], set()
    for y in reversed(area_years(snap, area)):
        frame = one_year(y)
        if frame.empty:
            continue
        frame = frame[~frame["indicator"].isin(seen)].assign(year=y)
        seen |= set(frame["indicator"])
        parts.append(frame)
    if not parts:
        return one_year(area_years(snap, area)[-1]).assign(year=pd.Series(dtype="int64"))
    every = pd.concat(parts, ignore_index=True)
    order = {key: i for i, key in enumerate(catalogue.indicators)}
    return every.sort_values("indicator", key=lambda k: k.map(order), kind="stable").reset_index(drop=True)


def _position_in(
    snap: Snapshot, catalogue: Catalogue, area: Area, *, year: int, lang: str, gemeente: str
) -> pd.DataFrame:
    values = area_values(snap, catalogue, area, year=year, gemeente=gemeente)
    buurten = figures.buurt_table(snap, year=year, gemeente=gemeente)
    city = _memoised("level", snap, catalogue, year, gemeente, "gemeente").loc[gemeente]
    others_table = buurten.drop(index=list(area.codes)) if area.kind == "buurt" else buurten
    rows = []
    for ind in catalogue:
        if ind.kind not in COMPARABLE_KINDS or ind.key not in buurten.columns:
            continue
        value = stats.as_float(values.get(ind.key, np.nan))
        city_value = stats.as_float(city.get(ind.key, np.nan))
        others = others_table[ind.key]
        rank, _ = rank_among(others, value)
        z = z_score(value, city_value, buurten[ind.key])
        rows.append(
            {
                "indicator": ind.key,
                "label": ind.label(lang),
                "theme_label": catalogue.theme_label(ind.theme, lang),
                "value": value,
                "city": city_value,
                "rank": rank,
                "ranked": int(buurten[ind.key].notna().sum()),
                "z": z,
                "signal": signal(ind, z),
                "text": ind.format(value, lang),
                "city_text": ind.format(city_value, lang),
            }
        )
    frame = pd.DataFrame(rows)
    return frame[frame["value"].notna()].reset_index(drop=True) if not frame.empty else frame


# -- spread inside the area -------------------------------------------------------------------------

SPREAD_COLUMNS = ["indicator", "label", "code", "name", "value", "text", "area_value", "distance_sd", "stands_out"]


def spread(
    snap: Snapshot,
    catalogue: Catalogue,
    area: Area,
    *,
    year: YearMode = LATEST,
    indicators: Iterable[str] | None = None,
    lang: str = "nl",
    gemeente: str = settings.DEFAULT_GEMEENTE,
) -> pd.DataFrame:
    """The buurten inside the area on each comparable figure, long form, with the ones that stand out.

    Columns: ``indicator, label, code, name, value, text, area_value, distance_sd, stands_out, year``.
    ``distance_sd`` is the buurt's distance from the area's own value in SDs of the city's buurten.
    With ``LATEST`` each figure comes from its latest year (all buurten of one figure from one year).
    """
    if len(area.codes) < 2:
        return pd.DataFrame(columns=[*SPREAD_COLUMNS, "year"])
    return _per_year(
        snap,
        catalogue,
        area,
        year,
        lambda y: _spread_in(snap, catalogue, area, year=y, indicators=indicators, lang=lang, gemeente=gemeente),
    )


def _spread_in(
    snap: Snapshot,
    catalogue: Catalogue,
    area: Area,
    *,
    year: int,
    indicators: Iterable[str] | None,
    lang: str,
    gemeente: str,
) -> pd.DataFrame:
    if len(area.codes) < 2:
        return pd.DataFrame(columns=SPREAD_COLUMNS)
    buurten = figures.buurt_table(snap, year=year, gemeente=gemeente)
    values = area_values(snap, catalogue, area, year=year, gemeente=gemeente)
    names = snap.names()
    wanted = list(indicators) if indicators is not None else [i.key for i in catalogue if i.kind in COMPARABLE_KINDS]
    parts = []
    for key in wanted:
        if key not in buurten.columns or key not in catalogue:
            continue
        ind = catalogue[key]
        inside = buurten.loc[list(area.codes), key].astype(float)
        if inside.notna().sum() == 0:
            continue
        sd = buurten[key].dropna().std(ddof=0)
        area_value = stats.as_float(values.get(key, np.nan))
        distance = (inside - area_value) / sd if sd and np.isfinite(sd) else inside * np.nan
        parts.append(
            pd.DataFrame(
                {
                    "indicator": key,
                    "label": ind.label(lang),
                    "code": inside.index,
                    "name": [names.get(c, c) for c in inside.index],
                    "value": inside.to_numpy(),
                    "text": [ind.format(v, lang) for v in inside],
                    "area_value": area_value,
                    "distance_sd": distance.to_numpy(),
                    "stands_out": (distance.abs() >= STANDS_OUT_SD).to_numpy(),
                }
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=SPREAD_COLUMNS)


# -- similar buurten --------------------------------------------------------------------------------


def default_similarity(table: pd.DataFrame, catalogue: Catalogue) -> list[str]:
    """The preferred indicators that most buurten have in this year's table."""
    chosen = []
    for key in SIMILARITY_DEFAULTS:
        if key in table.columns and key in catalogue and table[key].notna().mean() >= MIN_COVERAGE:
            chosen.append(key)
    return chosen


def similar_buurten(
    table: pd.DataFrame,
    target: pd.Series,
    indicators: Sequence[str],
    *,
    exclude: Iterable[str] = (),
    n: int = 5,
) -> pd.DataFrame:
    """The ``n`` buurten closest to ``target`` on ``indicators`` (standardised Euclidean distance).

    Each indicator is standardised by the mean and population SD of the buurten in ``table``. The
    distance is the root mean square of the standardised differences over the indicators that both
    the buurt and the target have; a buurt sharing fewer than :data:`MIN_SHARED_SHARE` of them (or
    fewer than two) is not compared. Indicators without spread are skipped.

    Returns columns ``code, distance, shared, alike, differ`` sorted by distance (ties by code);
    ``alike`` lists the indicators with the smallest differences, ``differ`` the largest.
    """
    keys = [k for k in dict.fromkeys(indicators) if k in table.columns]
    if not keys:
        raise InputError(
            "Kies minstens één indicator om buurten te vergelijken.",
            en="Choose at least one indicator to compare buurten.",
        )
    data = table[keys].astype(float)
    mean, sd = data.mean(), data.std(ddof=0)
    usable = [k for k in keys if np.isfinite(sd[k]) and sd[k] > 0]
    z = (data[usable] - mean[usable]) / sd[usable]
    target_z = (target.reindex(usable).astype(float) - mean[usable]) / sd[usable]
    diff = z.sub(target_z, axis=1)
    shared = diff.notna().sum(axis=1)
    needed = max(2, int(np.ceil(MIN_SHARED_SHARE * len(usable))))
    distance = np.sqrt((diff**2).sum(axis=1, min_count=1) / shared.where(shared > 0))
    candidates = distance[(shared >= needed) & ~distance.index.isin(list(exclude))].dropna()
    order = sorted(candidates.items(), key=lambda item: (item[1], item[0]))
    rows = []
    for code, _ in order[:n]:
        gaps = diff.loc[code].abs().dropna().sort_values()
        rows.append(
            {
                "code": code,
                "distance": float(candidates[code]),
                "shared": int(shared[code]),
                "alike": list(gaps.index[:3]),
                "differ": [k for k in gaps.index[::-1][:2] if gaps[k] >= AVERAGE_BAND_SD],
            }
        )
    return pd.DataFrame(rows, columns=["code", "distance", "shared", "alike", "differ"])


def similar_for_area(
    snap: Snapshot,
    catalogue: Catalogue,
    area: Area,
    *,
    year: YearMode = LATEST,
    indicators: Sequence[str] | None = None,
    n: int = 5,
    lang: str = "nl",
    gemeente: str = settings.DEFAULT_GEMEENTE,
) -> pd.DataFrame:
    """Similar buurten elsewhere in the gemeente for an area, with names and readable reasons.

    Buurten are compared within one year (``LATEST`` -> :func:`cross_section_year`).
    """
    year = cross_section_year(snap, year)
    table = figures.buurt_table(snap, year=year, gemeente=gemeente)
    keys = [k for k in (indicators or default_similarity(table, catalogue)) if k in table.columns]
    if not keys:  # e.g. a year without buurt figures: nothing to compare on
        return pd.DataFrame(
            columns=["code", "distance", "shared", "alike", "differ", "name", "alike_text", "differ_text"]
        )
    target = area_values(snap, catalogue, area, year=year, gemeente=gemeente)
    found = similar_buurten(table, target, keys, exclude=area.codes, n=n)
    names = snap.names()
    found["name"] = [names.get(c, c) for c in found["code"]]
    found["alike_text"] = [
        _describe(catalogue, table, target, code, keys, lang)
        for code, keys in zip(found["code"], found["alike"], strict=True)
    ]
    found["differ_text"] = [
        _describe(catalogue, table, target, code, keys, lang)
        for code, keys in zip(found["code"], found["differ"], strict=True)
    ]
    return found


def _describe(
    catalogue: Catalogue, table: pd.DataFrame, target: pd.Series, code: str, keys: list[str], lang: str
) -> str:
    """``label: buurt value (area value)`` for each key, joined."""
    parts = []
    for key in keys:
        ind = catalogue[key]
        parts.append(
            f"{ind.label(lang)}: {ind.format(table.at[code, key], lang)} ({ind.format(target.get(key), lang)})"
        )
    return "; ".join(parts)


# -- trends -----------------------------------------------------------------------------------------


def trends(
    snap: Snapshot,
    catalogue: Catalogue,
    area: Area,
    *,
    indicators: Iterable[str] | None = None,
    lang: str = "nl",
    gemeente: str = settings.DEFAULT_GEMEENTE,
) -> pd.DataFrame:
    """The area's figures in every year the snapshot has, long form, for indicators with 2+ years.

    Columns: ``indicator, label, theme, year, value, text``. Buurt codes and outlines of Enschede are
    unchanged over these years, so a wijk or custom area covers the same ground in each.
    """
    wanted = list(indicators) if indicators is not None else None
    rows = []
    for year in area_years(snap, area):
        values = area_values(snap, catalogue, area, year=year, gemeente=gemeente)
        for key, value in values.dropna().items():
            if wanted is None or key in wanted:
                ind = catalogue[key]
                rows.append(
                    {
                        "indicator": key,
                        "label": ind.label(lang),
                        "theme": ind.theme,
                        "year": year,
                        "value": float(value),
                        "text": ind.format(value, lang),
                    }
                )
    frame = pd.DataFrame(rows, columns=["indicator", "label", "theme", "year", "value", "text"])
    counts = frame.groupby("indicator")["year"].nunique()
    return frame[frame["indicator"].isin(counts[counts > 1].index)].reset_index(drop=True)


def trend_notes(trend: pd.DataFrame) -> list[str]:
    """Locale keys of the notes that apply to the themes shown in a trend table."""
    themes = set(trend["theme"]) if not trend.empty else set()
    return [note for theme, note in TREND_NOTES.items() if theme in themes]


# -- compare ----------------------------------------------------------------------------------------

MAX_COMPARE = 4


def compare(
    snap: Snapshot,
    catalogue: Catalogue,
    areas: Sequence[Area],
    *,
    year: YearMode = LATEST,
    lang: str = "nl",
    gemeente: str = settings.DEFAULT_GEMEENTE,
) -> pd.DataFrame:
    """Two to four areas side by side: one row per indicator that any of them has, formatted text.

    Columns: ``theme_label, indicator, label`` and one column per area label; rows keep catalogue order.
    With ``LATEST`` each cell is that area's latest value with its year, e.g. "21,0% (2024)".
    """
    if not 2 <= len(areas) <= MAX_COMPARE:
        raise InputError(
            f"Kies twee tot {MAX_COMPARE} gebieden om te vergelijken.",
            en=f"Choose two to {MAX_COMPARE} areas to compare.",
        )
    labels = [a.label for a in areas]
    if len(set(labels)) != len(labels):
        raise InputError("Kies verschillende gebieden om te vergelijken.", en="Choose different areas to compare.")
    tables = {a.label: key_figures(snap, catalogue, a, year=year, lang=lang, gemeente=gemeente) for a in areas}
    texts: dict[str, dict[str, str]] = {}
    for label, table in tables.items():
        if table.empty:
            continue
        known = table[table["value"].notna()]
        with_year = [
            f"{text} ({int(y)})" if is_latest(year) else text
            for text, y in zip(known["text"], known["year"], strict=True)
        ]
        texts[label] = dict(zip(known["indicator"], with_year, strict=True))
    unknown = i18n.t("app.missing", lang)
    rows = []
    for ind in (ind for grouped in catalogue.by_theme().values() for ind in grouped):  # theme by theme
        if not any(ind.key in found for found in texts.values()):
            continue
        row = {
            "theme_label": catalogue.theme_label(ind.theme, lang),
            "indicator": ind.key,
            "label": ind.label(lang),
        }
        row.update({label: texts.get(label, {}).get(ind.key, unknown) for label in labels})
        rows.append(row)
    return pd.DataFrame(rows, columns=["theme_label", "indicator", "label", *labels])
