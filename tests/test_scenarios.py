"""Scenario arithmetic on the real Enschede snapshot, the measures' rules, and the JSON files."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from enschede_gis import db, figures, roles
from enschede_gis import priorities as pr
from enschede_gis import scenarios as sc
from enschede_gis.errors import ConflictError, InputError

TEAM = roles.Actor(roles.Role.TEAM, "Anna")

TWEKKELERVELD = "BU01530301"
WIJK = "WK015303"
GEMEENTE = "GM0153"


def _base(snap, catalogue, year: int) -> sc.Baseline:
    table = figures.buurt_table(snap, year=year)
    return sc.baseline(table, catalogue, year=year, land_area=figures.land_area(snap))


def _run(snap, catalogue, year: int, measures: list[dict], custom=None) -> sc.Outcome:
    scenario = sc.make_scenario(name="test", year=year, measures=measures)
    members = sc.resolve_areas(scenario, snap.boundaries["buurt"], custom or {})
    return sc.run(scenario, _base(snap, catalogue, year), catalogue, members)


def _groups(snap, *areas: str) -> dict[str, list[str]]:
    return {area: sc.area_members(area, snap.boundaries["buurt"], {}) for area in areas}


NEW_500 = {
    "type": "new_dwellings",
    "area": TWEKKELERVELD,
    "dwellings": 500,
    "household_size": 2.0,
    "basis": "assumption",
    "note": "plan Twekkelerveld-Noord",
}


@pytest.mark.parametrize("year", [2023, 2024])
def test_500_dwellings_at_2_persons_add_exactly_1000_inhabitants_everywhere_up(snap, catalogue, year):
    outcome = _run(snap, catalogue, year, [NEW_500])
    before, after = outcome.baseline.table.loc[TWEKKELERVELD], outcome.table.loc[TWEKKELERVELD]
    assert after["inwoners"] - before["inwoners"] == 1000
    assert after["huishoudens"] - before["huishoudens"] == 500
    # household size as a weighted mean over old and new households
    expected_size = (before["huishoudensgrootte"] * before["huishoudens"] + 1000) / (before["huishoudens"] + 500)
    assert after["huishoudensgrootte"] == pytest.approx(expected_size)
    # density from the counts over the unchanged land area
    land_km2 = figures.land_area(snap)[TWEKKELERVELD] / 100
    assert after["bevolkingsdichtheid"] == pytest.approx(after["inwoners"] / land_km2)
    # no other buurt changed
    others = outcome.table.index != TWEKKELERVELD
    pd.testing.assert_frame_equal(outcome.table.loc[others], outcome.baseline.table.loc[others])

    long = sc.before_after(outcome, catalogue, _groups(snap, WIJK, GEMEENTE), ["inwoners", "huishoudens"])
    diff = long.set_index(["area", "indicator"])["difference"]
    assert diff[(WIJK, "inwoners")] == 1000
    assert diff[(GEMEENTE, "inwoners")] == 1000
    assert diff[(WIJK, "huishoudens")] == 500
    assert diff[(GEMEENTE, "huishoudens")] == 500


def test_wijk_and_gemeente_totals_move_by_the_same_1000_in_2023(snap, catalogue):
    outcome = _run(snap, catalogue, 2023, [NEW_500])
    long = sc.before_after(outcome, catalogue, _groups(snap, WIJK, GEMEENTE), ["inwoners"]).set_index("area")
    buurten = outcome.baseline.table
    assert long.loc[WIJK, "before"] == buurten.loc[_groups(snap, WIJK)[WIJK], "inwoners"].sum()
    assert long.loc[WIJK, "after"] == long.loc[WIJK, "before"] + 1000
    assert long.loc[GEMEENTE, "after"] == long.loc[GEMEENTE, "before"] + 1000


def test_shares_follow_from_the_counts_with_an_age_mix(snap, catalogue):
    mix = {"leeftijd_0_15": 30, "leeftijd_25_45": 50, "leeftijd_65_plus": 20}
    outcome = _run(snap, catalogue, 2024, [NEW_500 | {"age_mix": mix}])
    before, after = outcome.baseline.table.loc[TWEKKELERVELD], outcome.table.loc[TWEKKELERVELD]
    assert after["leeftijd_0_15"] - before["leeftijd_0_15"] == pytest.approx(300)
    assert after["leeftijd_15_25"] == before["leeftijd_15_25"]
    assert after["leeftijd_25_45"] - before["leeftijd_25_45"] == pytest.approx(500)
    assert after["leeftijd_65_plus"] - before["leeftijd_65_plus"] == pytest.approx(200)
    for group in sc.AGE_GROUPS:
        share = "pct_" + group.removeprefix("leeftijd_")
        assert after[share] == pytest.approx(after[group] / after["inwoners"] * 100)
    # the wijk share is recomputed from the summed counts, not averaged
    wijk = _groups(snap, WIJK)[WIJK]
    long = sc.before_after(outcome, catalogue, {WIJK: wijk}, ["pct_0_15"]).iloc[0]
    counts = outcome.table.loc[wijk]
    assert long["after"] == pytest.approx(counts["leeftijd_0_15"].sum() / counts["inwoners"].sum() * 100)


def test_counts_not_in_the_measure_follow_the_buurt_so_their_shares_stay(snap, catalogue):
    outcome = _run(snap, catalogue, 2023, [NEW_500])
    before, after = outcome.baseline.table.loc[TWEKKELERVELD], outcome.table.loc[TWEKKELERVELD]
    factor = after["inwoners"] / before["inwoners"]
    assert after["bijstand"] == pytest.approx(before["bijstand"] * factor)
    assert after["bijstand_per_1000"] == pytest.approx(before["bijstand_per_1000"])
    assert after["pct_eenpersoonshuishoudens"] == pytest.approx(before["pct_eenpersoonshuishoudens"])
    # 2023 publishes no age groups: the age mix is noted as unused, the counts stay unknown
    with_mix = _run(snap, catalogue, 2023, [NEW_500 | {"age_mix": {"leeftijd_25_45": 100}}])
    assert "age_mix_unused" in with_mix.notes


def test_demolition_is_the_exact_reverse(snap, catalogue):
    back = NEW_500 | {"type": "demolition"}
    outcome = _run(snap, catalogue, 2024, [NEW_500, back])
    counts = ["inwoners", "huishoudens", *sc.AGE_GROUPS, "huishoudens_met_kinderen"]
    pd.testing.assert_frame_equal(outcome.table[counts], outcome.baseline.table[counts], check_exact=False)
    with pytest.raises(InputError, match="onder 0"):
        _run(snap, catalogue, 2024, [back | {"dwellings": 100_000, "household_size": 1.0}])


def test_a_wijk_measure_is_divided_over_its_buurten_by_households_in_whole_dwellings(snap, catalogue):
    outcome = _run(snap, catalogue, 2023, [NEW_500 | {"area": WIJK, "dwellings": 301}])
    members = _groups(snap, WIJK)[WIJK]
    households = outcome.baseline.table.loc[members, "huishoudens"]
    parts = outcome.allocation.set_index("code")["dwellings"]
    assert parts.sum() == 301
    assert (parts == parts.round()).all()
    share = households / households.sum() * 301
    assert ((parts.reindex(members, fill_value=0) - share).abs() < 1).all()
    diff = sc.before_after(outcome, catalogue, {WIJK: members}, ["inwoners"])["difference"].iloc[0]
    assert diff == pytest.approx(602)


def test_allocation_is_exact_with_largest_remainders():
    parts = sc.allocate(10, pd.Series([1.0, 1.0, 1.0], index=["a", "b", "c"]))
    assert parts.to_dict() == {"a": 4, "b": 3, "c": 3}
    with pytest.raises(InputError, match="Geen bekend aantal huishoudens in b"):
        sc.allocate(10, pd.Series([1.0, float("nan")], index=["a", "b"]))


def test_a_custom_area_is_resolved_to_its_buurten(snap, catalogue):
    custom = {"Mijn gebied": ["BU01530301", "BU01530300"], "Oud": ["BU01539999"]}
    outcome = _run(snap, catalogue, 2023, [NEW_500 | {"area": "custom:Mijn gebied", "dwellings": 10}], custom)
    assert set(outcome.allocation["code"]) == {"BU01530301", "BU01530300"}
    assert outcome.allocation["dwellings"].sum() == 10
    with pytest.raises(InputError, match="BU01539999"):
        _run(snap, catalogue, 2023, [NEW_500 | {"area": "custom:Oud"}], custom)
    with pytest.raises(InputError, match="onbekend gebied 'custom:Weg'"):
        _run(snap, catalogue, 2023, [NEW_500 | {"area": "custom:Weg"}], custom)


def test_a_direct_assumption_on_a_share_goes_through_the_count(snap, catalogue):
    measure = {
        "type": "direct_assumption",
        "area": WIJK,
        "indicator": "pct_eenpersoonshuishoudens",
        "delta": -5,
        "basis": "evidence",
        "note": "woningcorporatie bouwt gezinswoningen",
    }
    outcome = _run(snap, catalogue, 2023, [measure])
    members = _groups(snap, WIJK)[WIJK]
    before, after = outcome.baseline.table.loc[members], outcome.table.loc[members]
    assert (after["pct_eenpersoonshuishoudens"] - before["pct_eenpersoonshuishoudens"]).tolist() == pytest.approx(
        [-5.0] * len(members)
    )
    assert after["eenpersoonshuishoudens"].tolist() == pytest.approx(
        (after["pct_eenpersoonshuishoudens"] / 100 * after["huishoudens"]).tolist()
    )
    long = sc.before_after(outcome, catalogue, {WIJK: members}, ["pct_eenpersoonshuishoudens"]).iloc[0]
    assert long["difference"] == pytest.approx(-5.0)
    with pytest.raises(InputError, match="buiten het mogelijke bereik"):
        _run(snap, catalogue, 2023, [measure | {"delta": -99}])
    with pytest.raises(InputError, match="woningmaatregel"):
        _run(snap, catalogue, 2023, [measure | {"indicator": "inwoners", "delta": 10}])


def test_baseline_counts_are_derived_from_shares_where_a_year_has_only_shares(snap, catalogue):
    base = _base(snap, catalogue, 2021)
    assert base.derived["leeftijd_0_15"] == "leeftijd_0_15 = pct_0_15 × inwoners / 100"
    row = base.table.loc[TWEKKELERVELD]
    assert row["leeftijd_0_15"] == pytest.approx(row["pct_0_15"] * row["inwoners"] / 100)
    assert _base(snap, catalogue, 2024).derived == {}


def test_the_priority_index_is_rerun_on_the_scenario(snap, catalogue):
    measure = {
        "type": "direct_assumption",
        "area": TWEKKELERVELD,
        "indicator": "bijstand_per_1000",
        "new_value": 0,
        "basis": "assumption",
    }
    outcome = _run(snap, catalogue, 2023, [measure])
    profile = pr.make_profile("bijstand", {"bijstand_per_1000": 1}, {"bijstand_per_1000": "higher_worse"})
    table = sc.rerank(outcome, profile, catalogue)
    assert table.loc[TWEKKELERVELD, "score_after"] == table["score_after"].min()
    assert table.loc[TWEKKELERVELD, "rank_change"] < 0
    by_wijk = sc.rerank(outcome, profile, catalogue, _groups(snap, WIJK, "WK015304"))
    assert set(by_wijk.index) == {WIJK, "WK015304"}


def test_up_to_four_scenarios_side_by_side(snap, catalogue):
    outcomes = [
        sc.run(
            sc.make_scenario(name=f"+{n}", year=2023, measures=[NEW_500 | {"dwellings": n}]),
            _base(snap, catalogue, 2023),
            catalogue,
            {TWEKKELERVELD: [TWEKKELERVELD]},
        )
        for n in (100, 200)
    ]
    members = _groups(snap, WIJK)[WIJK]
    table = sc.side_by_side(outcomes, catalogue, WIJK, members, ["inwoners", "huishoudens"])
    assert list(table.columns) == ["baseline", "+100", "+200"]
    assert (table.loc["inwoners", "+200"] - table.loc["inwoners", "baseline"]) == 400
    with pytest.raises(InputError, match="hoogstens 4"):
        sc.side_by_side(outcomes * 3, catalogue, WIJK, members, ["inwoners"])


def test_formula_text_shows_the_numbers(catalogue):
    measure = sc.make_measure("new_dwellings", **(NEW_500 | {"type": "new_dwellings"}))
    text = sc.formula(measure, catalogue, "nl", "Twekkelerveld")
    assert "+500 woningen in Twekkelerveld × 2 personen" in text
    assert "inwoners +1000" in text
    assert text.endswith("[aanname]")
    english = sc.formula(measure, catalogue, "en", "Twekkelerveld")
    assert "inhabitants +1000" in english


def test_json_round_trip_keeps_every_field():
    scenario = sc.make_scenario(
        name="Nieuwbouw Twekkelerveld",
        description="Plan 2026",
        year=2024,
        measures=[
            NEW_500 | {"age_mix": {"leeftijd_25_45": 70, "leeftijd_0_15": 30}},
            {"type": "direct_assumption", "area": WIJK, "indicator": "pct_0_15", "delta": 1.5, "basis": "evidence"},
        ],
    )
    text = sc.to_json(scenario)
    assert json.loads(text)["schema_version"] == sc.SCHEMA_VERSION
    assert sc.from_json(text) == scenario
    assert sc.from_json(text.encode()) == scenario


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.pop("schema_version"), "schema_version"),
        (lambda d: d.update(schema_version=7), "nieuwere versie"),
        (lambda d: d.pop("year"), "basisjaar: ontbreekt"),
        (lambda d: d["measures"][0].update(dwellings=-5), r"maatregel › nr\. 1 › woningen: moet groter zijn dan 0"),
        (lambda d: d["measures"][0].update(dwellings="veel"), r"maatregel › nr\. 1 › woningen: moet een geheel getal"),
        (lambda d: d["measures"][0].update(type="storm"), "onbekend type 'storm'"),
        (lambda d: d["measures"][0].update(colour="rood"), r"nr\. 1 › colour: is geen bekend veld"),
        (lambda d: d["measures"][0].update(basis="gevoel"), "onderbouwing: moet een van deze waarden zijn"),
        (lambda d: d["measures"][0].update(age_mix={"leeftijd_0_15": 50}), "tellen op tot 50%"),
    ],
)
def test_a_hand_edited_file_names_the_field(edit, message):
    data = json.loads(sc.to_json(sc.make_scenario(name="s", year=2023, measures=[NEW_500])))
    edit(data)
    with pytest.raises(InputError, match=message):
        sc.from_json(json.dumps(data))


def test_broken_files_give_a_message_not_a_traceback():
    with pytest.raises(InputError, match="geen geldige JSON"):
        sc.from_json("{niet af")
    with pytest.raises(InputError, match="geen scenario"):
        sc.from_json("[1, 2]")
    with pytest.raises(InputError, match="geen tekstbestand"):
        sc.from_json(b"\xff\xfe\x00")


def test_scenarios_are_saved_listed_duplicated_renamed_and_deleted():
    eng = db.engine()
    first = sc.make_scenario(name="Plan A", year=2023, measures=[NEW_500])
    sc.save_scenario(eng, first, actor=TEAM)
    copy = first.model_copy(update={"name": sc.copy_name(first.name, ["Plan A"])})
    assert copy.name == "Plan A (kopie)"
    sc.save_scenario(eng, copy, actor=TEAM)
    with pytest.raises(InputError, match="bestaat al"):
        sc.save_scenario(eng, first, actor=TEAM)
    with pytest.raises(InputError, match="bestaat al"):  # names differing only in case are one name
        sc.save_scenario(eng, first.model_copy(update={"name": "plan a"}), actor=TEAM)
    renamed = first.model_copy(update={"name": "Plan B"})
    assert sc.save_scenario(eng, renamed, actor=TEAM, replace="Plan A", expected=1) == 2
    with pytest.raises(ConflictError, match="verwijderd"):  # "Plan A" is gone: renamed by the save above
        sc.save_scenario(eng, first, actor=TEAM, replace="Plan A", expected=1)
    listed, problems = sc.load_scenarios()
    assert [s.name for s in listed] == ["Plan A (kopie)", "Plan B"]
    assert problems == []
    with db.writing(eng) as conn:  # a row edited by hand in the database
        conn.execute(db.SCENARIOS.insert().values(key="kapot", name="kapot", payload='{"schema_version": 1}'))
    listed, problems = sc.load_scenarios()
    assert len(listed) == 2
    assert len(problems) == 1 and "kapot" in str(problems[0]) and "basisjaar: ontbreekt" in str(problems[0])
    assert "year: Field required" in problems[0].message("en")
    sc.delete_scenario(eng, "Plan B", actor=TEAM, expected=2)
    assert [s.name for s in sc.load_scenarios()[0]] == ["Plan A (kopie)"]


def test_difference_map_colours_the_touched_buurten_and_names_the_rest(snap, catalogue):
    from enschede_gis import boundaries, webmap

    buurten = boundaries.for_web(boundaries.for_gemeente(snap, "buurt"))
    wijken = boundaries.for_web(boundaries.for_gemeente(snap, "wijk"))
    asset = webmap.geometry_asset(buurten, wijken=wijken)
    outcome = _run(snap, catalogue, 2023, [NEW_500])
    view = sc.difference_view(outcome, "inwoners", asset, catalogue, "nl")
    assert view["legend"]["title"].startswith("Verschil: Aantal inwoners")
    labels = [row[0] for row in view["legend"]["rows"]]
    assert any("geen verandering" in label for label in labels)  # the diverging legend's reference
    assert ["geen maatregel in deze buurt", webmap.PLAIN_FILL, len(buurten) - 1, False] in view["legend"]["rows"]
    coloured = [code for code, c in zip(asset.codes, view["cls"], strict=True) if c >= 0]
    assert coloured == [TWEKKELERVELD]
    assert view["missing_fill"] == webmap.PLAIN_FILL  # the other buurten plain, not "unknown"
    before, after = view["more"]
    assert (before[0], after[0]) == ("Voor", "Na")  # the value before and after, for every buurt
    i = asset.codes.index(TWEKKELERVELD)
    assert before[1][i] != after[1][i] and len(before[1]) == len(after[1]) == len(buurten)
