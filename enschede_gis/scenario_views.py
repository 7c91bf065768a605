"""What the scenarios page shows, decided without Streamlit: the baselines it offers, the notes on a
baseline, which areas and figures a table or map offers, and the before/after, rank and
side-by-side tables in the UI language. The arithmetic itself is in :mod:`enschede_gis.scenarios`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from enschede_gis import figures, i18n, statistics
from enschede_gis import priorities as pr
from enschede_gis import scenarios as sc
from enschede_gis.errors import InputError
from enschede_gis.indicators import Catalogue
from enschede_gis.snapshot import Snapshot

#: The levels the priority index can be re-run on.
RANK_LEVELS = ("buurt", "wijk")
#: At most this many "Rang ..." figures above the rank table (one per touched buurt or wijk).
MAX_RANK_METRICS = 4


def baselines(snap: Snapshot, catalogue: Catalogue, gemeente: str) -> dict[int, sc.Baseline]:
    """A baseline per year that has inhabitants and households per buurt."""
    tables = {
        year: figures.buurt_table(snap, year=year, gemeente=gemeente) for year in statistics.years(snap.statistics)
    }
    land = figures.land_area(snap)
    return {year: sc.baseline(tables[year], catalogue, year=year, land_area=land) for year in sc.baseline_years(tables)}


def age_label(group: str) -> str:
    """``leeftijd_65_plus`` -> ``65+``, ``leeftijd_0_15`` -> ``0–15``."""
    return group.removeprefix("leeftijd_").replace("_plus", "+").replace("_", "–")


def custom_members(selectable: Iterable) -> dict[str, list[str]]:
    """Custom area name -> its buurt codes, from the selectable areas (buurt, wijk and gemeente codes
    resolve from the boundaries)."""
    return {area.key.removeprefix(sc.CUSTOM_PREFIX): list(area.codes) for area in selectable if area.kind == "custom"}


def assumable_indicators(baseline: sc.Baseline, catalogue: Catalogue) -> list[str]:
    """Indicators a direct assumption can change: those the baseline year has for some buurt."""
    table = baseline.table
    return [ind.key for ind in catalogue if ind.key in table and table[ind.key].notna().any()]


def baseline_notes(baseline: sc.Baseline, lang: str = "nl") -> list[str]:
    """What a user should know about a baseline year: where it comes from, which counts were derived
    from shares, and whether new residents' ages can have an effect."""
    notes = [i18n.t("scenarios.year_note", lang, year=baseline.year)]
    if baseline.derived:
        derived = "; ".join(baseline.derived.values())
        notes.append(i18n.t("scenarios.derived_note", lang, year=baseline.year) + " " + derived)
    if not any(g in baseline.table and baseline.table[g].notna().any() for g in sc.AGE_GROUPS):
        notes.append(i18n.t("scenarios.no_ages", lang, year=baseline.year))
    return notes


def shown_indicators(outcome: sc.Outcome, catalogue: Catalogue) -> list[str]:
    """The figures the effects show: those the scenario changes, else the number of inhabitants."""
    return sc.changed_indicators(outcome, catalogue) or [sc.INHABITANTS]


def before_after_areas(
    outcome: sc.Outcome,
    buurten: pd.DataFrame,
    members: Mapping[str, Sequence[str]],
    gemeente: str,
    offered: Iterable[str],
) -> list[str]:
    """The areas whose before/after a user can look at: the touched buurten, their wijken, the
    gemeente and the custom areas holding a touched buurt, in that order (only those ``offered``)."""
    touched = set(outcome.touched)
    wijken = sorted({str(w) for w in buurten.loc[buurten["code"].isin(touched), "wijkcode"]})
    custom = [sc.CUSTOM_PREFIX + name for name, codes in members.items() if touched & set(codes)]
    offered = set(offered)
    return [a for a in dict.fromkeys([*outcome.touched, *wijken, gemeente, *custom]) if a in offered]


def signed(catalogue: Catalogue, key: str, value: float, lang: str = "nl") -> str:
    """A difference as text with its sign: "+1.000 inwoners"."""
    text = catalogue[key].format(value, lang)
    return f"+{text}" if value == value and value > 0 else text


def before_after_table(
    outcome: sc.Outcome, catalogue: Catalogue, area: str, codes: Sequence[str], lang: str = "nl"
) -> tuple[pd.DataFrame, list[str]]:
    """One area's changed figures before and after, as shown (labels and formatted values in the UI
    language), and the indicator keys of its rows."""
    keys = shown_indicators(outcome, catalogue)
    long = sc.before_after(outcome, catalogue, {area: codes}, keys).set_index("indicator")
    col = "scenarios.col."
    shown = pd.DataFrame(
        {
            i18n.t(col + "indicator", lang): [catalogue[k].label(lang) for k in long.index],
            i18n.t(col + "before", lang): [catalogue[k].format(v, lang) for k, v in long["before"].items()],
            i18n.t(col + "after", lang): [catalogue[k].format(v, lang) for k, v in long["after"].items()],
            i18n.t(col + "difference", lang): [signed(catalogue, k, v, lang) for k, v in long["difference"].items()],
        }
    )
    return shown, list(long.index)


def profiles(
    current: object,
    stored: Iterable[pr.PriorityProfile],
    baseline: sc.Baseline,
    catalogue: Catalogue,
    lang: str = "nl",
) -> dict[str, pr.PriorityProfile]:
    """The weightings the priority index can be re-run with, by the name shown: the one on the
    priorities page now (``current``), the stored ones, and the default where the year allows one."""
    found: dict[str, pr.PriorityProfile] = {}
    if isinstance(current, pr.PriorityProfile):
        found[i18n.t("scenarios.profile_current", lang)] = current
    for profile in stored:
        found[profile.name] = profile
    if pr.default_indicators(baseline.table, catalogue):
        found[i18n.t("scenarios.profile_default", lang)] = pr.default_profile(baseline.table, catalogue)
    return found


def rank_groups(
    outcome: sc.Outcome, buurten: pd.DataFrame, level: str
) -> tuple[dict[str, list[str]] | None, list[str]]:
    """How to rank (None: per buurt; else wijk code -> its buurten) and the areas the measures touch."""
    if level == "buurt":
        return None, list(outcome.touched)
    own = buurten[buurten["code"].isin(outcome.baseline.table.index)]
    groups = {str(w): list(codes) for w, codes in own.groupby("wijkcode")["code"]}
    focus = sorted({str(w) for w in own.loc[own["code"].isin(outcome.touched), "wijkcode"]})
    return groups, focus


@dataclass(frozen=True)
class RankMetric:
    """One "Rang <area>" figure: the new rank (or "not ranked"), the places moved towards rank 1
    (None: unknown), and the old rank for its help text."""

    label: str
    value: str
    delta: int | None = None
    help: str | None = None


def rank_metrics(
    table: pd.DataFrame, focus: Sequence[str], names: Mapping[str, str], lang: str = "nl"
) -> list[RankMetric]:
    """The rank figures of the first :data:`MAX_RANK_METRICS` touched areas (see :func:`scenarios.rerank`)."""
    metrics = []
    for code in focus[:MAX_RANK_METRICS]:
        label = i18n.t("scenarios.rank_metric", lang, area=names.get(code, code))
        before, after = table["rank_before"].get(code), table["rank_after"].get(code)
        if pd.isna(after):
            metrics.append(RankMetric(label, i18n.t("scenarios.not_ranked", lang)))
            continue
        old = "" if pd.isna(before) else str(int(before))
        metrics.append(
            RankMetric(
                label,
                str(int(after)),
                delta=None if pd.isna(before) else int(before - after),
                help=f"{i18n.t('scenarios.col.rank_before', lang)}: {old}",
            )
        )
    return metrics


def rank_table(table: pd.DataFrame, names: Mapping[str, str], lang: str = "nl") -> pd.DataFrame:
    """The rank table as shown: area name, rank before and after and the change, indexed by code."""
    col = "scenarios.col."
    return pd.DataFrame(
        {
            i18n.t(col + "area", lang): [names.get(c, c) for c in table.index],
            i18n.t(col + "rank_before", lang): table["rank_before"].astype("Int64"),
            i18n.t(col + "rank_after", lang): table["rank_after"].astype("Int64"),
            i18n.t(col + "rank_change", lang): table["rank_change"].astype("Int64"),
        },
        index=pd.Index(table.index, name=i18n.t("common.code", lang)),
    )


def compare_default(names: Sequence[str], current: str) -> list[str]:
    """What the side-by-side comparison starts with: the scenario being edited when it is stored,
    else the first stored one."""
    return [n for n in names if n == current][:1] or list(names[:1])


def compare_outcomes(
    saved: Sequence[sc.Scenario],
    picked: Sequence[str],
    years: Collection[int],
    run: Callable[[sc.Scenario], sc.Outcome],
) -> list[sc.Outcome]:
    """Run each picked stored scenario (in the order stored) with ``run``, on its own baseline year;
    ``years`` are the years with a baseline."""
    outcomes = []
    for scenario in (s for s in saved if s.name in picked):
        if scenario.year not in years:
            known = ", ".join(map(str, sorted(years)))
            raise InputError(
                f"Scenario '{scenario.name}' gaat uit van {scenario.year}; dat jaar heeft geen aantallen per "
                f"buurt (wel: {known}). Open het scenario, kies een ander basisjaar en sla het op.",
                en=f"Scenario '{scenario.name}' starts from {scenario.year}; that year has no counts per buurt "
                f"(these do: {known}). Open the scenario, choose another baseline year and save it.",
            )
        outcomes.append(run(scenario))
    return outcomes


def compare_table(
    outcomes: Sequence[sc.Outcome], catalogue: Catalogue, area: str, codes: Sequence[str], lang: str = "nl"
) -> pd.DataFrame:
    """One area's inhabitants, households and every changed figure in the baseline and each scenario,
    as shown (see :func:`scenarios.side_by_side`)."""
    changed = (k for o in outcomes for k in sc.changed_indicators(o, catalogue))
    keys = list(dict.fromkeys([sc.INHABITANTS, sc.HOUSEHOLDS, *changed]))
    table = sc.side_by_side(outcomes, catalogue, area, codes, keys)
    return pd.DataFrame(
        {
            (i18n.t("scenarios.baseline_column", lang) if col == "baseline" else col): [
                catalogue[k].format(v, lang) for k, v in table[col].items()
            ]
            for col in table.columns
        },
        index=pd.Index([catalogue[k].label(lang) for k in table.index], name=i18n.t("scenarios.col.indicator", lang)),
    )
