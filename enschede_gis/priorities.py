"""Priorities: a composite index over chosen indicators, with transparent weights and rank stability.

The steps are the ones a reader can check by hand:

1. take the chosen indicators of every area (buurt or wijk) for one year;
2. missing values follow the profile's policy: the area is left out of the ranking (``exclude``),
   or the value is replaced by the mean of the ranked areas and marked (``city_mean``); never 0;
3. each indicator is normalised over the ranked areas (z-score, min-max or rank) and oriented so
   that a higher normalised value always means "more attention";
4. the weights are divided by their sum; an area's score is the weighted sum of its normalised
   values, and each term is that indicator's contribution;
5. rank 1 is the area with the highest score (ties go to the lower area code).

Rank stability perturbs the weights many times with a Dirichlet distribution centred on the chosen
weights, ranks all perturbations at once, and reports the range of ranks each area takes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import Engine

from enschede_gis import db, i18n, roles, store
from enschede_gis._validate import non_empty, validated
from enschede_gis.errors import InputError
from enschede_gis.indicators import Catalogue, Indicator
from enschede_gis.text import Line, Text

Normalisation = Literal["zscore", "minmax", "rank"]
MissingPolicy = Literal["exclude", "city_mean"]
Direction = Literal["higher_worse", "higher_better"]

NORMALISATIONS: tuple[str, ...] = ("zscore", "minmax", "rank")
MISSING_POLICIES: tuple[str, ...] = ("exclude", "city_mean")

#: The default indicator set leaves out indicators that CBS suppresses for many areas: with the
#: "exclude" policy one such indicator would drop most buurten from the ranking.
DEFAULT_MAX_MISSING_SHARE = 0.10

#: Dirichlet concentration: alpha = concentration x chosen weights. A weight w then varies with a
#: relative standard deviation of sqrt((1 - w) / (w (c + 1))): at 200 a weight of 0.1 moves by about
#: a fifth either way, "the same priorities, give or take what people would argue about".
DEFAULT_CONCENTRATION = 200.0
DEFAULT_DRAWS = 1000

#: A position counts as robust when its 5th-95th percentile rank range spans at most this many places.
ROBUST_SPAN = 2

#: The rank range reported is between these percentiles of the perturbed ranks.
RANGE_PERCENTILES = (5.0, 95.0)

KIND = store.KINDS["profiles"]

#: Perturbations are ranked in blocks of this many so memory stays bounded for national-scale tables.
_BLOCK_CELLS = 4_000_000


# ---------------------------------------------------------------------------------------------------
# Profiles
# ---------------------------------------------------------------------------------------------------


class Weight(BaseModel):
    """One indicator in a profile: how much it counts and which way is "more attention"."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    indicator: str = Field(min_length=1)
    weight: float = Field(ge=0, le=100)
    direction: Direction


class PriorityProfile(BaseModel):
    """A named set of weights with the reasoning behind it, e.g. the residents' or the corporation's."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Line = Field(min_length=1, max_length=60)
    rationale: Text = Field(default="", max_length=2000)
    weights: tuple[Weight, ...] = Field(min_length=1)
    normalisation: Normalisation = "zscore"
    missing: MissingPolicy = "exclude"

    _strip = field_validator("name")(non_empty)

    @model_validator(mode="after")
    def _check_weights(self) -> PriorityProfile:
        keys = [w.indicator for w in self.weights]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise InputError(
                f"indicator staat twee keer in het profiel: {', '.join(twice)}",
                en=f"indicator appears twice in the profile: {', '.join(twice)}",
            )
        if not any(w.weight > 0 for w in self.weights):
            raise InputError(
                "geef minstens één indicator een gewicht groter dan 0",
                en="give at least one indicator a weight greater than 0",
            )
        return self

    @property
    def active(self) -> tuple[Weight, ...]:
        """The weights that count (weight > 0)."""
        return tuple(w for w in self.weights if w.weight > 0)


_PROFILE_NAMES = {
    "name": "naam",
    "rationale": "toelichting",
    "weights": "gewichten",
    "weight": "gewicht",
    "direction": "richting",
    "normalisation": "normalisatie",
    "missing": "ontbrekende waarden",
}


def make_profile(
    name: str,
    weights: Mapping[str, float],
    directions: Mapping[str, str],
    *,
    rationale: str = "",
    normalisation: str = "zscore",
    missing: str = "exclude",
) -> PriorityProfile:
    """Validate what a user set into a profile; a problem gives one Dutch message naming the field."""
    fields = {
        "name": name,
        "rationale": rationale,
        "weights": [
            {"indicator": key, "weight": weight, "direction": directions.get(key)} for key, weight in weights.items()
        ],
        "normalisation": normalisation,
        "missing": missing,
    }
    return validated(PriorityProfile, fields, _PROFILE_NAMES, nl="Ongeldig profiel", en="Invalid profile")


def renamed(profile: PriorityProfile, name: str, rationale: str) -> PriorityProfile:
    """The same weighting under a new name and rationale (e.g. to save it as a party's profile)."""
    fields = profile.model_dump() | {"name": name, "rationale": rationale}
    return validated(PriorityProfile, fields, _PROFILE_NAMES, nl="Ongeldig profiel", en="Invalid profile")


def default_indicators(
    table: pd.DataFrame, catalogue: Catalogue, *, max_missing_share: float = DEFAULT_MAX_MISSING_SHARE
) -> list[str]:
    """Indicators with a direction that the table holds for (nearly) every area, in catalogue order."""
    chosen = []
    for ind in catalogue:
        if not ind.is_condition or ind.key not in table.columns:
            continue
        values = table[ind.key]
        if values.notna().sum() >= 2 and values.isna().mean() <= max_missing_share:
            chosen.append(ind.key)
    return chosen


def default_profile(table: pd.DataFrame, catalogue: Catalogue, name: str = "Standaard") -> PriorityProfile:
    """Equal weights over :func:`default_indicators`, each in its catalogue direction."""
    keys = default_indicators(table, catalogue)
    if not keys:
        raise InputError(
            "Dit jaar heeft geen indicatoren met een richting (meer of minder aandacht).",
            en="This year has no indicators with a direction (more or less attention).",
        )
    return make_profile(
        name,
        dict.fromkeys(keys, 1.0),
        {key: catalogue[key].direction for key in keys},
        rationale="Alle indicatoren met een richting tellen even zwaar.",
    )


def load_profiles(eng: Engine | None = None) -> list[PriorityProfile]:
    """The saved profiles, by name; a damaged one gives a :class:`DataError` naming the field."""
    return store.models(eng or db.engine(), KIND, PriorityProfile, _PROFILE_NAMES)


def save_profile(
    eng: Engine,
    profile: PriorityProfile,
    *,
    actor: roles.Actor,
    replace: str | None = None,
    expected: int | None = None,
) -> int:
    """Store a profile in one transaction; returns its new version.

    A new name must be free. To overwrite a stored profile, name it in ``replace`` with the version
    the page loaded in ``expected``: a profile someone else saved since is never overwritten.
    """
    return store.save(
        eng, KIND, profile.name, profile.model_dump_json(), actor=actor, replace=replace, expected=expected
    )


def profile_version(eng: Engine, name: str) -> int | None:
    """The stored version of the profile with this name (None when there is none)."""
    return store.version(eng, KIND, name)


def delete_profile(eng: Engine, name: str, *, actor: roles.Actor, expected: int | None = None) -> None:
    store.remove(eng, KIND, name, actor=actor, expected=expected)


# ---------------------------------------------------------------------------------------------------
# The index
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranking:
    """The composite index of one profile over one table of areas.

    ``table``: index code, columns ``score`` and ``rank`` (ranked areas only, best first).
    ``normalised``: oriented normalised values (higher = more attention), code x indicator.
    ``contributions``: weight x normalised value; each row sums to the score.
    ``filled``: True where a missing value was replaced by the mean (policy ``city_mean``).
    ``excluded``: areas left out, with the indicators they miss (policy ``exclude``).
    ``weights``: the weights divided by their sum, by indicator.
    """

    profile: PriorityProfile
    table: pd.DataFrame
    normalised: pd.DataFrame
    contributions: pd.DataFrame
    filled: pd.DataFrame
    excluded: pd.Series
    weights: pd.Series


def normalise(values: pd.Series, method: str, direction: str) -> pd.Series:
    """One indicator normalised over the given areas, oriented so that higher = more attention.

    - ``zscore``: (x - mean) / standard deviation (population, ddof=0); negated for higher_better;
    - ``minmax``: (x - min) / (max - min), in [0, 1]; 1 - that for higher_better;
    - ``rank``: (rank - 1) / (n - 1) in [0, 1] with average ranks for ties, ranked so that the area
      needing most attention gets 1.

    An indicator that does not vary over the areas normalises to 0 everywhere: it cannot tell them apart.
    """
    x = values.astype(float)
    sign = -1.0 if direction == "higher_better" else 1.0
    if method == "zscore":
        sd = x.std(ddof=0)
        return (x - x.mean()) / sd * sign if sd > 0 else x * 0.0
    if method == "minmax":
        span = x.max() - x.min()
        scaled = (x - x.min()) / span if span > 0 else x * 0.0
        return 1.0 - scaled if sign < 0 and span > 0 else scaled
    if method == "rank":
        n = int(x.notna().sum())
        return ((x * sign).rank(method="average") - 1.0) / (n - 1) if n > 1 else x * 0.0
    raise InputError(
        f"Onbekende normalisatie '{method}': kies {', '.join(NORMALISATIONS)}.",
        en=f"Unknown normalisation '{method}': choose {', '.join(NORMALISATIONS)}.",
    )


def check_indicators(table: pd.DataFrame, profile: PriorityProfile, catalogue: Catalogue) -> None:
    """Every weighted indicator must be in the catalogue and have figures in this table."""
    problems, problems_en = [], []
    for w in profile.active:
        if w.indicator not in catalogue:
            problems.append(f"'{w.indicator}' staat niet in de catalogus")
            problems_en.append(f"'{w.indicator}' is not in the catalogue")
        elif w.indicator not in table.columns or table[w.indicator].notna().sum() < 2:
            problems.append(f"'{catalogue[w.indicator].label()}' heeft geen cijfers voor deze gebieden en dit jaar")
            problems_en.append(f"'{catalogue[w.indicator].label('en')}' has no figures for these areas and this year")
    if problems:
        raise InputError(
            f"Profiel '{profile.name}': " + "; ".join(problems) + ".",
            en=f"Profile '{profile.name}': " + "; ".join(problems_en) + ".",
        )


def rank_areas(table: pd.DataFrame, profile: PriorityProfile, catalogue: Catalogue) -> Ranking:
    """The composite index of ``profile`` over the areas in ``table`` (index: code)."""
    check_indicators(table, profile, catalogue)
    keys = [w.indicator for w in profile.active]
    raw = table[keys].astype(float).sort_index()
    missing = raw.isna()
    if profile.missing == "exclude":
        excluded = missing.apply(lambda row: ", ".join(k for k in keys if row[k]), axis=1)
        excluded = excluded[missing.any(axis=1)]
        raw = raw[~missing.any(axis=1)]
        filled = pd.DataFrame(False, index=raw.index, columns=keys)
    else:
        excluded = pd.Series(dtype="string")
        filled = missing
        raw = raw.fillna(raw.mean())
    if len(raw) < 2:
        raise InputError(
            f"Profiel '{profile.name}': minder dan twee gebieden hebben alle gekozen indicatoren; "
            "kies andere indicatoren of vul ontbrekende waarden aan met het gemiddelde.",
            en=f"Profile '{profile.name}': fewer than two areas have all the chosen indicators; "
            "choose other indicators or fill in missing values with the mean.",
        )
    directions = {w.indicator: w.direction for w in profile.active}
    normalised = pd.DataFrame(
        {k: normalise(raw[k], profile.normalisation, directions[k]) for k in keys}, index=raw.index
    )
    weights = pd.Series({w.indicator: w.weight for w in profile.active}, dtype=float)
    weights = weights / weights.sum()
    contributions = normalised * weights
    scores = contributions.sum(axis=1)
    ranks = ranks_of(scores.to_numpy()[:, None])[:, 0]
    result = pd.DataFrame({"score": scores, "rank": ranks}, index=raw.index).sort_values("rank")
    return Ranking(
        profile=profile,
        table=result,
        normalised=normalised.loc[result.index],
        contributions=contributions.loc[result.index],
        filled=filled.loc[result.index],
        excluded=excluded,
        weights=weights,
    )


def ranks_of(scores: np.ndarray) -> np.ndarray:
    """Ranks (1 = highest score) of every column of an areas x draws array, all columns at once.

    Ties go to the earlier row (the lower area code), the same rule for the chosen weights and
    for every perturbation.
    """
    return _ranks_by_row(np.ascontiguousarray(scores.T)).T


def _ranks_by_row(scores: np.ndarray) -> np.ndarray:
    """Ranks within each row of a draws x areas array (rows contiguous, so each sort is cache-friendly).

    Each row's scores are sorted (no index array to carry, so about twice as fast as an argsort) and
    every score's rank is its place in that sorted row (``searchsorted``). That is exact only where
    no two areas in the row have the same score; those rows are ranked by a stable argsort instead,
    so ties still go to the earlier area.
    """
    negated = -scores
    ordered = np.sort(negated, axis=1)
    tied = (ordered[:, 1:] == ordered[:, :-1]).any(axis=1)
    ranks = np.empty(scores.shape, dtype=np.int32)
    for row in np.flatnonzero(~tied):
        ranks[row] = np.searchsorted(ordered[row], negated[row]) + 1
    positions = np.arange(1, scores.shape[1] + 1, dtype=np.int32)
    for row in np.flatnonzero(tied):
        ranks[row, np.argsort(negated[row], kind="stable")] = positions
    return ranks


# ---------------------------------------------------------------------------------------------------
# Rank stability
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stability:
    """How much each area's rank moves when the weights are perturbed.

    ``table``: index code (ranking order), columns ``rank``, ``rank_low``, ``rank_high`` (the
    percentile range), ``rank_median``, ``top_share`` (share of draws in the top ``top``) and
    ``robust`` (range spans at most :data:`ROBUST_SPAN` places).
    """

    table: pd.DataFrame
    draws: int
    concentration: float
    seed: int
    top: int


def perturbed_weights(weights: np.ndarray, *, draws: int, concentration: float, seed: int) -> np.ndarray:
    """``draws`` x K weight vectors from a Dirichlet centred on ``weights`` (which must sum to 1)."""
    if draws < 1:
        raise InputError(
            "Het aantal verstoringen moet minstens 1 zijn.", en="The number of perturbations must be at least 1."
        )
    if concentration <= 0:
        raise InputError(
            "De concentratie van de verstoring moet groter zijn dan 0.",
            en="The concentration of the perturbation must be greater than 0.",
        )
    rng = np.random.default_rng(seed)
    return rng.dirichlet(np.asarray(weights, dtype=float) * concentration, size=draws)


def perturbed_ranks(normalised: np.ndarray, sampled: np.ndarray) -> np.ndarray:
    """Ranks (areas x draws, int32) of every perturbation: scores by one matrix product per block."""
    n_areas, n_draws = normalised.shape[0], sampled.shape[0]
    ranks = np.empty((n_draws, n_areas), dtype=np.int32)
    block = max(1, _BLOCK_CELLS // max(n_areas, 1))
    for start in range(0, n_draws, block):
        stop = min(start + block, n_draws)
        ranks[start:stop] = _ranks_by_row(sampled[start:stop] @ normalised.T)
    return ranks.T


def summarise_ranks(ranks: np.ndarray, *, top: int) -> dict[str, np.ndarray]:
    """Per area (row of an areas x draws array): the rank range, the median and the share in the top.

    The rows are sorted once, after which every percentile is a lookup: the same values as
    ``np.percentile(..., method="nearest")`` and ``np.median``, several times faster at scale.
    """
    ordered = np.sort(np.ascontiguousarray(ranks), axis=1)
    n = ordered.shape[1]
    low, high = (int(np.around(q / 100 * (n - 1))) for q in RANGE_PERCENTILES)
    median = (ordered[:, (n - 1) // 2] + ordered[:, n // 2]) / 2
    return {
        "rank_low": ordered[:, low].astype(int),
        "rank_high": ordered[:, high].astype(int),
        "rank_median": median,
        "top_share": (ranks <= top).mean(axis=1),
    }


def rank_stability(
    ranking: Ranking,
    *,
    draws: int = DEFAULT_DRAWS,
    concentration: float = DEFAULT_CONCENTRATION,
    seed: int = 0,
    top: int = 10,
) -> Stability:
    """Perturb the ranking's weights ``draws`` times (seeded) and summarise each area's ranks."""
    sampled = perturbed_weights(ranking.weights.to_numpy(), draws=draws, concentration=concentration, seed=seed)
    ranks = perturbed_ranks(ranking.normalised[ranking.weights.index].to_numpy(), sampled)
    table = pd.DataFrame(summarise_ranks(ranks, top=top), index=ranking.table.index)
    table.insert(0, "rank", ranking.table["rank"].to_numpy())
    table["robust"] = (table["rank_high"] - table["rank_low"]) <= ROBUST_SPAN
    return Stability(table=table, draws=draws, concentration=concentration, seed=seed, top=top)


# ---------------------------------------------------------------------------------------------------
# Profiles side by side
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """Several profiles over the same areas.

    ``table``: one row per area in the top ``top`` of at least one profile, a rank column per profile
    (NaN where a profile left the area out), ``in_top`` (how many profiles put it in their top) and
    ``agreement`` ("all" or "some"), sorted by agreement and then by best rank.
    ``overlap``: profile x profile, the number of top areas they share.
    """

    table: pd.DataFrame
    overlap: pd.DataFrame
    top: int


def compare_profiles(
    table: pd.DataFrame, profiles: Iterable[PriorityProfile], catalogue: Catalogue, *, top: int = 10
) -> Comparison:
    """Rank the same areas under each profile and show where their top areas agree and differ."""
    profiles = list(profiles)
    names = [p.name for p in profiles]
    if len(set(names)) != len(names):
        raise InputError("Kies profielen met verschillende namen.", en="Choose profiles with different names.")
    if not profiles:
        raise InputError("Kies minstens één profiel.", en="Choose at least one profile.")
    ranks = pd.DataFrame({p.name: rank_areas(table, p, catalogue).table["rank"] for p in profiles})
    ranks = ranks.reindex(sorted(ranks.index))
    in_top = ranks.le(top)
    union = ranks[in_top.any(axis=1)].copy()
    union["in_top"] = in_top.loc[union.index].sum(axis=1).astype(int)
    union["agreement"] = np.where(union["in_top"] == len(profiles), "all", "some")
    union["best_rank"] = union[names].min(axis=1)
    union = union.sort_values(["in_top", "best_rank"], ascending=[False, True]).drop(columns="best_rank")
    tops = {name: set(ranks.index[in_top[name]]) for name in names}
    overlap = pd.DataFrame(
        [[len(tops[a] & tops[b]) for b in names] for a in names], index=names, columns=names, dtype=int
    )
    return Comparison(table=union, overlap=overlap, top=top)


# ---------------------------------------------------------------------------------------------------
# For display
# ---------------------------------------------------------------------------------------------------


def score_indicator() -> Indicator:
    """The composite score described like a catalogue indicator, so maps and tables can show it."""
    texts = {
        f"{field}_{lang}": i18n.t(f"prioriteiten.score_{field}", lang)
        for field in ("label", "unit", "explanation")
        for lang in i18n.LANGUAGES
    }
    return Indicator(
        key="prioriteit_score",
        theme="prioriteit",
        kind="average",
        aggregation="none",
        direction="higher_worse",
        decimals=2,
        **texts,
    )


def summary(ranking: Ranking, stability: Stability | None = None) -> pd.DataFrame:
    """One row per ranked area, best first: rank, score, rank range, robust, and filled indicators."""
    table = ranking.table.copy()
    if stability is not None:
        table = table.join(stability.table.drop(columns="rank"))
    filled = ranking.filled
    table["filled"] = [tuple(filled.columns[filled.loc[code]]) for code in table.index]
    return table


def breakdown(ranking: Ranking, code: str, table: pd.DataFrame) -> pd.DataFrame:
    """How each indicator built one area's score: value, normalised value, weight and contribution."""
    if code not in ranking.table.index:
        raise InputError(f"Gebied '{code}' is niet gerangschikt.", en=f"Area '{code}' is not ranked.")
    keys = list(ranking.weights.index)
    frame = pd.DataFrame(
        {
            "value": table.loc[code, keys].astype(float),
            "filled": ranking.filled.loc[code, keys],
            "normalised": ranking.normalised.loc[code, keys],
            "weight": ranking.weights,
            "contribution": ranking.contributions.loc[code, keys],
        }
    )
    frame.index.name = "indicator"
    return frame.sort_values("contribution", ascending=False)
