"""What the priorities page shows (enschede_gis.priorities_view), on tiny tables and the real snapshot."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from enschede_gis import i18n, statistics
from enschede_gis import priorities as pr
from enschede_gis import priorities_view as view
from enschede_gis.indicators import Catalogue, Theme
from tests.test_priorities import _indicator


@pytest.fixture
def tiny() -> tuple[pd.DataFrame, Catalogue]:
    """Four areas; D misses y, z is known for one area only."""
    catalogue = Catalogue(
        indicators={
            "x": _indicator("x", "higher_worse"),
            "y": _indicator("y", "higher_better"),
            "z": _indicator("z", "higher_worse"),
        },
        themes={"t": Theme(key="t", label_nl="t", label_en="t")},
    )
    table = pd.DataFrame(
        {"x": [1.0, 2.0, 3.0, 4.0], "y": [10.0, 30.0, 20.0, np.nan], "z": [1.0, np.nan, np.nan, np.nan]},
        index=["A", "B", "C", "D"],
    )
    return table, catalogue


def _ranked(table, catalogue, missing="exclude"):
    profile = pr.make_profile("p", {"x": 1.0, "y": 1.0}, {"x": "higher_worse", "y": "higher_better"}, missing=missing)
    ranking = pr.rank_areas(table, profile, catalogue)
    return ranking, pr.rank_stability(ranking, draws=200, concentration=200.0, seed=0)


def test_only_indicators_known_for_two_areas_are_offered(tiny):
    table, catalogue = tiny
    assert view.indicator_options(table, catalogue) == ["x", "y"]


def test_ranking_table_best_first_with_range_robust_and_names(tiny):
    table, catalogue = tiny
    ranking, stability = _ranked(table, catalogue)
    shown = view.ranking_table(ranking, stability, {"C": "Centrum"}, catalogue, "en")
    assert list(shown.index) == list(ranking.table.index)  # D misses y: left out, never ranked with a 0
    assert "D" not in shown.index and shown.index.name == "Code"
    assert shown["Rank"].tolist() == [1, 2, 3]
    assert "Centrum" in set(shown["Area"]) and "A" in set(shown["Area"])  # a code without a name stays
    low, high = stability.table.loc[shown.index[0], ["rank_low", "rank_high"]]
    assert shown["Rank range (5–95%)"].iloc[0] == f"{low}–{high}"
    tooltip = view.map_tooltip(ranking, stability, "en")
    assert tooltip["Rank"][shown.index[0]] == "1"
    assert view.excluded_lines(ranking, {"D": "Dorp"}, catalogue, "nl") == ["Dorp: y"]
    note = view.stability_note(stability, "nl")
    assert "200 keer verstoord" in note and "seed 0" in note


def test_breakdown_marks_values_filled_with_the_mean(tiny):
    table, catalogue = tiny
    ranking, _ = _ranked(table, catalogue, missing="city_mean")
    parts = pr.breakdown(ranking, "D", table)
    shown = view.breakdown_table(parts, catalogue, "nl").set_index("Indicator")
    assert shown.loc["y", "Waarde"].endswith(" *") and not shown.loc["x", "Waarde"].endswith("*")
    assert shown["Bijdrage"].sum() == pytest.approx(ranking.table.loc["D", "score"], abs=0.01)


def test_comparison_table_names_areas_and_says_whether_profiles_agree(tiny):
    table, catalogue = tiny
    one = pr.make_profile("een", {"x": 1.0}, {"x": "higher_worse"})
    two = pr.make_profile("twee", {"y": 1.0}, {"y": "higher_better"})
    shown = view.comparison_table(pr.compare_profiles(table, [one, two], catalogue, top=1), {"A": "Aa"}, "nl")
    assert shown.columns[0] == i18n.t("prioriteiten.col.area", "nl")
    assert set(shown[i18n.t("prioriteiten.col.agreement", "nl")]) <= {
        i18n.t("prioriteiten.agree.all", "nl"),
        i18n.t("prioriteiten.agree.some", "nl"),
    }
    assert i18n.t("prioriteiten.col.in_top", "nl", top=1) in shown.columns


def test_a_saved_profile_fills_every_widget_and_new_indicators_start_afresh(tiny):
    _, catalogue = tiny
    profile = pr.make_profile("bewoners", {"x": 2.0}, {"x": "higher_worse"}, normalisation="minmax")
    widgets = view.profile_widgets(profile)
    assert widgets["prio_indicators"] == ["x"] and widgets["prio_w_x"] == 2.0 and widgets["prio_d_x"] == "higher_worse"
    assert widgets["prio_norm"] == "minmax" and widgets["prio_name"] == "bewoners"
    fresh = view.fresh_weights(["x", "y"], ["x"], catalogue)
    assert fresh == {"prio_w_y": 1.0, "prio_d_y": "higher_better"}  # x was shown already: left as it is


def test_tables_by_year_hold_only_years_with_a_directed_indicator(snap, catalogue):
    tables = view.tables_by_year(snap, catalogue, level="buurt", gemeente="GM0153")
    assert tables and set(tables) <= set(statistics.years(snap.statistics))
    for table in tables.values():
        assert pr.default_indicators(table, catalogue)
        assert all(code.startswith("BU0153") for code in table.index)
