"""The composite index against hand-worked examples, rank stability, and saved profiles."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from enschede_gis import db, figures, roles
from enschede_gis import priorities as pr
from enschede_gis.errors import ConflictError, DataError, InputError
from enschede_gis.indicators import Catalogue, Indicator, Theme

TEAM = roles.Actor(roles.Role.TEAM, "Anna")


def _indicator(key: str, direction: str) -> Indicator:
    return Indicator(
        key=key,
        theme="t",
        label_nl=key,
        label_en=key,
        unit_nl="",
        unit_en="",
        kind="average",
        aggregation="none",
        direction=direction,
    )


@pytest.fixture
def tiny() -> tuple[pd.DataFrame, Catalogue]:
    """Three areas, a "higher is worse" x and a "higher is better" y."""
    catalogue = Catalogue(
        indicators={"x": _indicator("x", "higher_worse"), "y": _indicator("y", "higher_better")},
        themes={"t": Theme(key="t", label_nl="t", label_en="t")},
    )
    table = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [10.0, 30.0, 20.0]}, index=["A", "B", "C"])
    return table, catalogue


def _profile(normalisation: str, missing: str = "exclude", weights=None) -> pr.PriorityProfile:
    weights = weights or {"x": 1.0, "y": 3.0}
    directions = {"x": "higher_worse", "y": "higher_better"}
    return pr.make_profile("test", weights, directions, normalisation=normalisation, missing=missing)


def test_zscore_index_matches_the_hand_worked_example(tiny):
    table, catalogue = tiny
    ranking = pr.rank_areas(table, _profile("zscore"), catalogue)
    # x: mean 2, sd sqrt(2/3) -> z = (-k, 0, k) with k = sqrt(3/2); y: mean 20, sd sqrt(200/3) -> z = (-k, k, 0),
    # negated because higher y is better -> (k, -k, 0). Weights 1:3 -> 0.25, 0.75.
    k = math.sqrt(1.5)
    expected = {"A": 0.25 * -k + 0.75 * k, "B": 0.25 * 0 + 0.75 * -k, "C": 0.25 * k + 0.75 * 0}
    assert ranking.table["score"].to_dict() == pytest.approx(expected)
    assert list(ranking.table.index) == ["A", "C", "B"]
    assert ranking.table["rank"].tolist() == [1, 2, 3]
    assert ranking.weights.to_dict() == {"x": 0.25, "y": 0.75}
    assert ranking.contributions.loc["A"].to_dict() == pytest.approx({"x": -0.25 * k, "y": 0.75 * k})
    assert ranking.contributions.sum(axis=1).to_dict() == pytest.approx(ranking.table["score"].to_dict())


def test_minmax_and_rank_indices_match_the_hand_worked_example(tiny):
    table, catalogue = tiny
    table = table.assign(x=[1.0, 2.0, 10.0])
    minmax = pr.rank_areas(table, _profile("minmax"), catalogue)
    # x -> (0, 1/9, 1); y -> 1 - (0, 1, 0.5) = (1, 0, 0.5)
    assert minmax.table["score"].to_dict() == pytest.approx({"A": 0.75, "B": 0.25 / 9, "C": 0.25 + 0.375})
    by_rank = pr.rank_areas(table, _profile("rank"), catalogue)
    # x ranks 1, 2, 3 -> (0, 0.5, 1); y ranked the other way: (1, 0, 0.5)
    assert by_rank.table["score"].to_dict() == pytest.approx({"A": 0.75, "B": 0.125, "C": 0.625})
    assert list(by_rank.table.index) == ["A", "C", "B"]


def test_rank_normalisation_gives_ties_the_average_rank():
    values = pd.Series([5.0, 5.0, 1.0], index=["a", "b", "c"])
    assert pr.normalise(values, "rank", "higher_worse").to_dict() == {"a": 0.75, "b": 0.75, "c": 0.0}
    assert pr.normalise(values, "minmax", "higher_better").to_dict() == {"a": 0.0, "b": 0.0, "c": 1.0}
    flat = pd.Series([2.0, 2.0], index=["a", "b"])
    assert pr.normalise(flat, "zscore", "higher_worse").tolist() == [0.0, 0.0]


def test_missing_values_are_left_out_or_filled_with_the_mean_and_marked(tiny):
    table, catalogue = tiny
    table = pd.concat([table, pd.DataFrame({"x": [np.nan], "y": [40.0]}, index=["D"])])
    left_out = pr.rank_areas(table, _profile("minmax", "exclude"), catalogue)
    assert "D" not in left_out.table.index
    assert left_out.excluded.to_dict() == {"D": "x"}
    assert not left_out.filled.any().any()

    filled = pr.rank_areas(table, _profile("minmax", "city_mean"), catalogue)
    assert "D" in filled.table.index
    assert filled.filled.loc["D"].to_dict() == {"x": True, "y": False}
    assert filled.filled.sum().sum() == 1
    # x of D is the mean of A, B, C (2.0), i.e. halfway on the min-max scale -- not 0, not the minimum
    assert filled.normalised.loc["D", "x"] == pytest.approx(0.5)


def test_too_few_areas_and_unknown_indicators_give_a_clear_message(tiny):
    table, catalogue = tiny
    sparse = table.assign(x=[1.0, 2.0, np.nan], y=[10.0, np.nan, 20.0])
    with pytest.raises(InputError, match="minder dan twee gebieden"):
        pr.rank_areas(sparse, _profile("zscore"), catalogue)
    other = pr.make_profile("p", {"z": 1.0}, {"z": "higher_worse"})
    with pytest.raises(InputError, match="'z' staat niet in de catalogus"):
        pr.rank_areas(table, other, catalogue)


def test_bad_profiles_name_the_field_in_dutch():
    with pytest.raises(InputError, match="naam"):
        pr.make_profile(" ", {"x": 1.0}, {"x": "higher_worse"})
    with pytest.raises(InputError, match=r"gewichten › nr\. 1 › gewicht: moet minstens 0"):
        pr.make_profile("p", {"x": -1.0}, {"x": "higher_worse"})
    with pytest.raises(InputError, match="richting: moet een van deze waarden zijn"):
        pr.make_profile("p", {"x": 1.0}, {})
    with pytest.raises(InputError, match="groter dan 0"):
        pr.make_profile("p", {"x": 0.0}, {"x": "higher_worse"})


def test_ranks_of_all_columns_at_once_equal_pandas_rank_per_column():
    rng = np.random.default_rng(3)
    scores = rng.normal(size=(50, 20))
    scores[7] = scores[8]  # a tie goes to the earlier row
    expected = pd.DataFrame(scores).rank(ascending=False, method="first").to_numpy()
    assert (pr.ranks_of(scores) == expected).all()


def test_rows_with_and_without_ties_rank_as_a_stable_sort_does():
    rng = np.random.default_rng(5)
    scores = rng.normal(size=(30, 300))  # draws x areas: most rows have no tie
    scores[3, 10] = scores[3, 250]  # one tie in a row
    scores[9] = np.round(scores[9], 1)  # many ties in a row
    expected = np.empty(scores.shape, dtype=int)
    for row, values in enumerate(scores):
        expected[row, np.argsort(-values, kind="stable")] = np.arange(1, scores.shape[1] + 1)
    assert (pr._ranks_by_row(scores) == expected).all()


def test_rank_stability_is_reproducible_with_a_seed_and_finds_robust_positions():
    table = pd.DataFrame(
        {"a": [100.0, 5.0, 4.0, 4.5, 5.5], "b": [100.0, 4.0, 5.0, 5.5, 4.5]},
        index=["P", "Q", "R", "S", "T"],
    )
    catalogue = Catalogue(
        indicators={"a": _indicator("a", "higher_worse"), "b": _indicator("b", "higher_worse")},
        themes={"t": Theme(key="t", label_nl="t", label_en="t")},
    )
    profile = pr.make_profile("p", {"a": 1, "b": 1}, {"a": "higher_worse", "b": "higher_worse"})
    ranking = pr.rank_areas(table, profile, catalogue)
    first = pr.rank_stability(ranking, draws=500, concentration=5, seed=42, top=1)
    again = pr.rank_stability(ranking, draws=500, concentration=5, seed=42, top=1)
    other = pr.rank_stability(ranking, draws=500, concentration=5, seed=43, top=1)
    pd.testing.assert_frame_equal(first.table, again.table)
    assert not first.table.equals(other.table)
    # P is far ahead on both indicators: rank 1 whatever the weights
    assert first.table.loc["P"].to_dict() == {
        "rank": 1,
        "rank_low": 1,
        "rank_high": 1,
        "rank_median": 1.0,
        "top_share": 1.0,
        "robust": True,
    }
    # the others swap places depending on the weights of a and b
    assert first.table.loc[["Q", "R", "S", "T"], "rank_low"].min() == 2
    assert first.table.loc[["Q", "R", "S", "T"], "rank_high"].max() == 5
    assert first.table["rank_low"].le(first.table["rank"]).all()
    assert first.table["rank_high"].ge(first.table["rank"]).all()


def test_perturbed_weights_centre_on_the_chosen_weights():
    sampled = pr.perturbed_weights(np.array([0.2, 0.8]), draws=20_000, concentration=200, seed=1)
    assert sampled.shape == (20_000, 2)
    assert sampled.sum(axis=1) == pytest.approx(np.ones(20_000))
    assert sampled.mean(axis=0) == pytest.approx([0.2, 0.8], abs=0.005)
    with pytest.raises(InputError):
        pr.perturbed_weights(np.array([1.0]), draws=0, concentration=1, seed=0)


def test_profiles_are_saved_listed_replaced_and_deleted():
    eng = db.engine()
    bewoners = pr.make_profile("bewoners", {"x": 2.0}, {"x": "higher_worse"}, rationale="Wat bewoners zeggen")
    gemeente = pr.make_profile("gemeente", {"y": 1.0}, {"y": "higher_better"}, normalisation="rank")
    pr.save_profile(eng, bewoners, actor=TEAM)
    pr.save_profile(eng, gemeente, actor=TEAM)
    assert pr.load_profiles() == [bewoners, gemeente]
    with pytest.raises(InputError, match="bestaat al"):
        pr.save_profile(eng, bewoners, actor=TEAM)
    changed = bewoners.model_copy(update={"rationale": "Na het gesprek"})
    assert pr.save_profile(eng, changed, actor=TEAM, replace="bewoners", expected=1) == 2
    assert pr.profile_version(eng, "bewoners") == 2
    assert pr.load_profiles()[0].rationale == "Na het gesprek"
    with pytest.raises(ConflictError, match="Gewijzigd door Anna"):
        pr.save_profile(eng, bewoners, actor=TEAM, replace="bewoners", expected=1)
    pr.delete_profile(eng, "gemeente", actor=TEAM)
    assert [p.name for p in pr.load_profiles()] == ["bewoners"]


def test_a_damaged_stored_profile_names_the_field():
    payload = json.dumps({"name": "x", "weights": [{"indicator": "a"}]})
    with db.writing(db.engine()) as conn:
        conn.execute(db.PROFILES.insert().values(name="x", payload=payload, version=1))
    with pytest.raises(DataError, match=r"Profiel 'x' in de database is beschadigd: gewichten › nr\. 1 › gewicht"):
        pr.load_profiles()


def test_profiles_side_by_side_show_agreement_and_disagreement(tiny):
    table, catalogue = tiny
    only_x = pr.make_profile("x telt", {"x": 1.0}, {"x": "higher_worse"})
    only_y = pr.make_profile("y telt", {"y": 1.0}, {"y": "higher_better"})
    comparison = pr.compare_profiles(table, [only_x, only_y], catalogue, top=2)
    # x: C, B, A; y (lower is worse): A, C, B -> both have C in their top 2; B and A only one each
    assert comparison.table.loc["C", "agreement"] == "all"
    assert set(comparison.table.index[comparison.table["agreement"] == "some"]) == {"A", "B"}
    assert comparison.table.loc["A", ["x telt", "y telt"]].tolist() == [3, 1]
    assert comparison.overlap.loc["x telt", "y telt"] == 1
    assert comparison.overlap.loc["x telt", "x telt"] == 2


def test_default_profile_on_enschede_uses_directed_indicators_with_few_gaps(snap, catalogue):
    table = figures.buurt_table(snap, year=2023)
    profile = pr.default_profile(table, catalogue)
    keys = [w.indicator for w in profile.weights]
    assert keys and all(catalogue[k].is_condition for k in keys)
    assert "gestandaardiseerd_inkomen" not in keys  # missing for most buurten in 2023
    ranking = pr.rank_areas(table, profile, catalogue)
    assert len(ranking.table) + len(ranking.excluded) == len(table)
    assert sorted(ranking.table["rank"]) == list(range(1, len(ranking.table) + 1))


def test_rank_summary_equals_numpy_percentiles_and_median():
    rng = np.random.default_rng(5)
    for draws in (1000, 999, 7):
        ranks = rng.integers(1, 40, size=(30, draws)).astype(np.int32)
        summary = pr.summarise_ranks(ranks, top=3)
        low, high = np.percentile(ranks, pr.RANGE_PERCENTILES, axis=1, method="nearest")
        assert (summary["rank_low"] == low).all() and (summary["rank_high"] == high).all()
        assert (summary["rank_median"] == np.median(ranks, axis=1)).all()
        assert (summary["top_share"] == (ranks <= 3).mean(axis=1)).all()
