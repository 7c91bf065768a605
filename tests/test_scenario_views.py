"""What the scenarios page shows (enschede_gis.scenario_views), on the real Enschede snapshot."""

from __future__ import annotations

import pandas as pd
import pytest

from enschede_gis import boundaries, profile
from enschede_gis import priorities as pr
from enschede_gis import scenario_views as sv
from enschede_gis import scenarios as sc
from enschede_gis.areas import CustomArea
from enschede_gis.errors import InputError

TWEKKELERVELD = "BU01530301"
GEMEENTE = "GM0153"


@pytest.fixture(scope="module")
def baselines(snap, catalogue):
    return sv.baselines(snap, catalogue, GEMEENTE)


@pytest.fixture(scope="module")
def buurten(snap):
    return boundaries.for_gemeente(snap, "buurt", GEMEENTE)


def _outcome(baselines, catalogue, buurten, *, dwellings=500, year=2023, name="Plan", members=None):
    scenario = sc.make_scenario(
        name=name,
        year=year,
        measures=[
            {
                "type": "new_dwellings",
                "area": TWEKKELERVELD,
                "dwellings": dwellings,
                "household_size": 2.0,
                "basis": "assumption",
            }
        ],
    )
    return sc.run(scenario, baselines[year], catalogue, sc.resolve_areas(scenario, buurten, members or {}))


def test_baselines_are_the_years_with_buurt_counts(baselines):
    assert list(baselines) == [2020, 2021, 2023, 2024]
    assert all(b.year == y and b.table["inwoners"].notna().any() for y, b in baselines.items())


def test_notes_say_where_the_baseline_comes_from_and_when_ages_cannot_count(baselines):
    notes = sv.baseline_notes(baselines[2023])
    assert notes[0].startswith("Uitgangssituatie: de gepubliceerde CBS-buurtcijfers van 2023")
    assert any("2023 publiceert geen aantallen per leeftijdsgroep" in n for n in notes)
    assert not any("leeftijdsgroep" in n for n in sv.baseline_notes(baselines[2024]))
    assert sv.baseline_notes(baselines[2023], "en")[0].startswith("Baseline:")


def test_age_labels_and_assumable_figures(baselines, catalogue):
    assert [sv.age_label(g) for g in sc.AGE_GROUPS] == ["0–15", "15–25", "25–45", "45–65", "65+"]
    usable = sv.assumable_indicators(baselines[2023], catalogue)
    assert "bijstand_per_1000" in usable and "inwoners" in usable
    assert "leeftijd_0_15" not in usable  # 2023 publishes no age groups
    assert usable == [k for k in catalogue.indicators if k in usable]  # catalogue order


def test_before_after_offers_the_buurt_its_wijk_the_gemeente_and_custom_areas_holding_it(baselines, catalogue, buurten):
    members = {"Noordwest": [TWEKKELERVELD, "BU01530300"], "Elders": ["BU01530905"]}
    outcome = _outcome(baselines, catalogue, buurten, members=members)
    offered = [TWEKKELERVELD, "WK015303", GEMEENTE, "custom:Noordwest", "custom:Elders"]
    areas = sv.before_after_areas(outcome, buurten, members, GEMEENTE, offered)
    assert areas == [TWEKKELERVELD, "WK015303", GEMEENTE, "custom:Noordwest"]
    assert sv.before_after_areas(outcome, buurten, members, GEMEENTE, [GEMEENTE]) == [GEMEENTE]


def test_before_after_table_in_both_languages(baselines, catalogue, buurten):
    outcome = _outcome(baselines, catalogue, buurten)
    codes = sc.area_members("WK015303", buurten, {})
    shown, keys = sv.before_after_table(outcome, catalogue, "WK015303", codes)
    assert list(shown.columns) == ["Indicator", "Voor", "Na", "Verschil"]
    table = shown.set_index("Indicator")
    assert table.loc["Aantal inwoners", "Verschil"] == "+1.000 inwoners"
    assert table.loc["Aantal huishoudens", "Verschil"] == "+500 huishoudens"
    assert keys == sc.changed_indicators(outcome, catalogue) and "inwoners" in keys
    english, _ = sv.before_after_table(outcome, catalogue, "WK015303", codes, "en")
    assert english.set_index("Indicator").loc["Inhabitants", "Difference"].startswith("+1,000")


def test_signed_marks_only_a_rise(catalogue):
    assert sv.signed(catalogue, "inwoners", 1000.0) == "+1.000 inwoners"
    assert sv.signed(catalogue, "inwoners", -5.0) == "-5 inwoners"
    assert sv.signed(catalogue, "inwoners", 0.0) == "0 inwoners"
    assert not sv.signed(catalogue, "inwoners", float("nan")).startswith("+")


def test_an_assumption_that_changes_nothing_still_shows_inhabitants(baselines, catalogue, buurten):
    scenario = sc.make_scenario(
        name="Niets",
        year=2023,
        measures=[
            {
                "type": "direct_assumption",
                "area": TWEKKELERVELD,
                "indicator": "bijstand_per_1000",
                "delta": 0,
                "basis": "assumption",
            }
        ],
    )
    outcome = sc.run(scenario, baselines[2023], catalogue, sc.resolve_areas(scenario, buurten, {}))
    assert sv.shown_indicators(outcome, catalogue) == ["inwoners"]


def test_profiles_offer_the_current_weighting_the_stored_ones_and_the_default(baselines, catalogue):
    current = pr.make_profile("nu", {"bijstand_per_1000": 1}, {"bijstand_per_1000": "higher_worse"})
    stored = pr.make_profile("Opgeslagen", {"bijstand_per_1000": 2}, {"bijstand_per_1000": "higher_worse"})
    found = sv.profiles(current, [stored], baselines[2023], catalogue)
    assert list(found)[:2] == ["Huidige weging van de pagina Prioriteiten", "Opgeslagen"]
    assert found["Opgeslagen"] is stored
    assert len(found) == 3  # 2023 allows the default weighting
    assert sv.profiles("not a profile", [], baselines[2024], catalogue) == {}  # 2024 has no directed figures
    assert "Current weighting" in next(iter(sv.profiles(current, [], baselines[2023], catalogue, "en")))


def test_reranking_per_wijk_focuses_the_touched_wijk_and_says_the_new_rank(baselines, catalogue, buurten, snap):
    outcome = _outcome(baselines, catalogue, buurten)
    groups, focus = sv.rank_groups(outcome, buurten, "buurt")
    assert groups is None and focus == [TWEKKELERVELD]
    groups, focus = sv.rank_groups(outcome, buurten, "wijk")
    assert focus == ["WK015303"] and TWEKKELERVELD in groups["WK015303"]
    assert sorted(c for codes in groups.values() for c in codes) == sorted(baselines[2023].table.index)

    table = pd.DataFrame(
        {"rank_before": [3.0, float("nan")], "rank_after": [5.0, 1.0], "rank_change": [-2.0, float("nan")]},
        index=[TWEKKELERVELD, "BU01530300"],
    )
    names = snap.names()
    metrics = sv.rank_metrics(table, [TWEKKELERVELD, "BU01530300", "BU01530905"], names)
    assert metrics[0] == sv.RankMetric("Rang Twekkelerveld", "5", delta=-2, help="Rang voor: 3")
    assert metrics[1].value == "1" and metrics[1].delta is None and metrics[1].help == "Rang voor: "
    assert metrics[2].value == "niet gerangschikt"
    many = sv.rank_metrics(table, [TWEKKELERVELD] * 6, names)
    assert len(many) == sv.MAX_RANK_METRICS
    shown = sv.rank_table(table, names)
    assert list(shown.columns) == ["Gebied", "Rang voor", "Rang na", "Gestegen (plaatsen)"]
    assert shown.loc[TWEKKELERVELD, "Gebied"] == "Twekkelerveld" and shown.index.name == "Code"
    assert pd.isna(shown.loc["BU01530300", "Gestegen (plaatsen)"])


def test_side_by_side_runs_each_stored_scenario_and_names_a_year_without_counts(baselines, catalogue, buurten):
    saved = [_outcome(baselines, catalogue, buurten, dwellings=n, name=f"+{n}").scenario for n in (100, 200)]
    assert sv.compare_default(["+100", "+200"], "+200") == ["+200"]
    assert sv.compare_default(["+100", "+200"], "Nieuw scenario") == ["+100"]
    assert sv.compare_default([], "x") == []

    def run(scenario):
        return sc.run(scenario, baselines[scenario.year], catalogue, sc.resolve_areas(scenario, buurten, {}))

    outcomes = sv.compare_outcomes(saved, ["+200", "+100"], list(baselines), run)
    assert [o.scenario.name for o in outcomes] == ["+100", "+200"]
    table = sv.compare_table(outcomes, catalogue, "WK015303", sc.area_members("WK015303", buurten, {}))
    assert list(table.columns) == ["Uitgangssituatie", "+100", "+200"]
    assert table.index.name == "Indicator" and list(table.index[:2]) == ["Aantal inwoners", "Aantal huishoudens"]
    before = int(table.loc["Aantal inwoners", "Uitgangssituatie"].split()[0].replace(".", ""))
    assert table.loc["Aantal inwoners", "+200"] == f"{before + 400:,} inwoners".replace(",", ".")

    old = sc.make_scenario(name="Oud", year=2022)
    with pytest.raises(InputError) as caught:
        sv.compare_outcomes([old], ["Oud"], list(baselines), run)
    assert "2022" in caught.value.message("nl") and "2023" in caught.value.message("nl")
    assert "baseline year" in caught.value.message("en")


def test_custom_members_come_from_the_custom_areas_only(snap):
    custom = CustomArea(name="Noordwest", codes=(TWEKKELERVELD, "BU01530300"))
    selectable = profile.selectable_areas(snap, [custom], gemeente=GEMEENTE)
    assert sv.custom_members(selectable) == {"Noordwest": [TWEKKELERVELD, "BU01530300"]}
