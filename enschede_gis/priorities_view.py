"""What the priorities page shows, ready to render: the tables per year, the ranking, one area's
breakdown and the comparison of saved profiles, with headers in the UI language.

The arithmetic lives in :mod:`enschede_gis.priorities`; this module picks, orders, labels and formats,
so the page (``views/prioriteiten.py``) does layout and calls.
"""

from __future__ import annotations

import pandas as pd

from enschede_gis import figures, formatting, i18n, numbers, statistics, webmap
from enschede_gis import priorities as pr
from enschede_gis.indicators import Catalogue
from enschede_gis.snapshot import Snapshot

#: The page's tabs (locale keys), in the order shown; the first is open when the page opens.
TABS = ("prioriteiten.tab.ranking", "prioriteiten.tab.breakdown", "prioriteiten.tab.profiles")
#: An indicator is offered when at least this many areas have it (one area cannot be ranked).
MIN_AREAS = 2


def tables_by_year(snap: Snapshot, catalogue: Catalogue, *, level: str, gemeente: str) -> dict[int, pd.DataFrame]:
    """Figures per year for one level, for the years that have at least one directed indicator."""
    found = {}
    for year in statistics.years(snap.statistics):
        table = figures.level_table(snap, catalogue, year=year, level=level, gemeente=gemeente)
        if pr.default_indicators(table, catalogue):
            found[year] = table
    return found


def indicator_options(table: pd.DataFrame, catalogue: Catalogue) -> list[str]:
    """The indicators a weight can be given to: in catalogue order, known for at least two areas."""
    return [ind.key for ind in catalogue if ind.key in table.columns and table[ind.key].notna().sum() >= MIN_AREAS]


def profile_widgets(profile: pr.PriorityProfile) -> dict[str, object]:
    """The page's widget values (by widget key) that show a saved profile: its indicators, a weight
    and direction per indicator, normalisation, missing policy, name and rationale."""
    values: dict[str, object] = {"prio_indicators": [w.indicator for w in profile.weights]}
    for w in profile.weights:
        values[f"prio_w_{w.indicator}"] = float(w.weight)
        values[f"prio_d_{w.indicator}"] = w.direction
    values |= {
        "prio_norm": profile.normalisation,
        "prio_missing": profile.missing,
        "prio_name": profile.name,
        "prio_rationale": profile.rationale,
    }
    return values


def fresh_weights(chosen: list[str], shown: list[str], catalogue: Catalogue) -> dict[str, object]:
    """Widget values for indicators added to the choice since the last run: weight 1 and the
    indicator's own direction (none for a figure that is not a condition). A weight left over from
    before it was removed (0, say) would silently keep it out of the score."""
    values: dict[str, object] = {}
    for key in chosen:
        if key not in shown:
            values[f"prio_w_{key}"] = 1.0
            values[f"prio_d_{key}"] = catalogue[key].direction if catalogue[key].is_condition else None
    return values


def _t(key: str, lang: str, **values: object) -> str:
    return i18n.t(f"prioriteiten.{key}", lang, **values)


def _labels(keys, catalogue: Catalogue, lang: str) -> str:
    return ", ".join(catalogue[k].label(lang) for k in keys)


def ranking_table(
    ranking: pr.Ranking, stability: pr.Stability, names: dict[str, str], catalogue: Catalogue, lang: str = "nl"
) -> pd.DataFrame:
    """The ranked areas, best first: rank, name, score, rank range, robust, share of draws in the
    top, and the figures filled with the city mean; indexed by area code."""
    table = pr.summary(ranking, stability)
    return pd.DataFrame(
        {
            _t("col.rank", lang): table["rank"],
            _t("col.area", lang): [names.get(c, c) for c in table.index],
            _t("col.score", lang): table["score"].round(3),
            _t("col.range", lang): rank_ranges(table),
            _t("col.robust", lang): [_t("yes" if r else "no", lang) for r in table["robust"]],
            _t("col.top_share", lang, top=stability.top): (table["top_share"] * 100).round(0).astype(int),
            _t("col.filled", lang): [_labels(f, catalogue, lang) for f in table["filled"]],
        },
        index=pd.Index(table.index, name=i18n.t("common.code", lang)),
    )


def rank_ranges(table: pd.DataFrame) -> pd.Series:
    """ "3–7": the range of ranks an area takes when the weights are perturbed."""
    return table["rank_low"].astype(str) + "–" + table["rank_high"].astype(str)


def map_tooltip(ranking: pr.Ranking, stability: pr.Stability, lang: str = "nl") -> dict[str, dict[str, str]]:
    """Extra tooltip lines on the map: rank and rank range, by area code."""
    table = pr.summary(ranking, stability)
    return {
        _t("col.rank", lang): table["rank"].astype(str).to_dict(),
        _t("col.range", lang): rank_ranges(table).to_dict(),
    }


def score_map(asset, ranking: pr.Ranking, stability: pr.Stability, *, year: int, lang: str = "nl") -> dict:
    """The browser map's view of the scores (:func:`enschede_gis.webmap.view_args`): orange, the
    highest score darkest, with rank and rank range in the tooltip."""
    return webmap.view_args(
        asset,
        ranking.table["score"],
        indicator=pr.score_indicator(),
        year=year,
        source="CBS",
        lang=lang,
        scheme="Oranges",
        extra_tooltip=map_tooltip(ranking, stability, lang),
    )


def stability_note(stability: pr.Stability, lang: str = "nl") -> str:
    """The line under the ranking: how the rank ranges were found and how many areas are robust."""
    table = stability.table
    return _t(
        "stability_note",
        lang,
        draws=formatting.number(stability.draws, lang),
        concentration=numbers.as_typed(stability.concentration, lang),
        seed=stability.seed,
        span=pr.ROBUST_SPAN,
        robust=int(table["robust"].sum()),
        total=len(table),
    )


def excluded_lines(ranking: pr.Ranking, names: dict[str, str], catalogue: Catalogue, lang: str = "nl") -> list[str]:
    """One line per area left out of the ranking: its name and the figures it misses."""
    return [f"{names.get(c, c)}: {_labels(keys.split(', '), catalogue, lang)}" for c, keys in ranking.excluded.items()]


def breakdown_table(parts: pd.DataFrame, catalogue: Catalogue, lang: str = "nl") -> pd.DataFrame:
    """One area's score per indicator (from :func:`priorities.breakdown`): value (``*`` where filled
    with the city mean), normalised value, weight and contribution."""
    return pd.DataFrame(
        {
            _t("col.indicator", lang): [catalogue[k].label(lang) for k in parts.index],
            _t("col.value", lang): [
                catalogue[k].format(v, lang) + (" *" if f else "")
                for k, v, f in zip(parts.index, parts["value"], parts["filled"], strict=True)
            ],
            _t("col.normalised", lang): parts["normalised"].round(3),
            _t("col.weight", lang): parts["weight"].round(3),
            _t("col.contribution", lang): parts["contribution"].round(3),
        }
    )


def comparison_table(comparison: pr.Comparison, names: dict[str, str], lang: str = "nl") -> pd.DataFrame:
    """The areas in the top of at least one profile: name, rank per profile, in how many tops, and
    whether all profiles agree."""
    shown = comparison.table.copy()
    shown.insert(0, _t("col.area", lang), [names.get(c, c) for c in shown.index])
    shown[_t("col.agreement", lang)] = [_t(f"agree.{a}", lang) for a in shown.pop("agreement")]
    return shown.rename(columns={"in_top": _t("col.in_top", lang, top=comparison.top)})
