import numpy as np
import pandas as pd
import pytest

from enschede_gis import aggregate as agg
from enschede_gis import figures
from enschede_gis.errors import InputError


def _tiny():
    # Three buurten with hand-checkable numbers.
    return pd.DataFrame(
        {
            "inwoners": [100.0, 300.0, 0.0],
            "leeftijd_0_15": [10.0, 60.0, 0.0],
            "pct_0_15": [10.0, 20.0, np.nan],
            "huishoudens": [50.0, 100.0, 0.0],
            "huishoudensgrootte": [2.0, 3.0, np.nan],
            "oppervlakte_land": [100.0, 100.0, 200.0],
            "stedelijkheid": [1.0, 2.0, 5.0],
        },
        index=pd.Index(["BU1", "BU2", "BU3"], name="code"),
    )


def test_counts_sum_and_percentages_come_from_counts(catalogue):
    out = agg.aggregate(_tiny(), {"A": ["BU1", "BU2"]}, catalogue)
    assert out.loc["A", "inwoners"] == 400
    assert out.loc["A", "pct_0_15"] == pytest.approx(70 / 400 * 100)  # not mean(10, 20) = 15


def test_percentage_without_counts_is_weighted_by_its_denominator(catalogue):
    table = _tiny().drop(columns="leeftijd_0_15")
    out = agg.aggregate(table, {"A": ["BU1", "BU2"]}, catalogue)
    assert out.loc["A", "pct_0_15"] == pytest.approx((10 * 100 + 20 * 300) / 400)


def test_weighted_mean_and_density_recomputed(catalogue):
    out = agg.aggregate(_tiny(), {"A": ["BU1", "BU2", "BU3"]}, catalogue)
    assert out.loc["A", "huishoudensgrootte"] == pytest.approx((2 * 50 + 3 * 100) / 150)
    # 400 inhabitants on 400 ha = 4 km2
    assert out.loc["A", "bevolkingsdichtheid"] == pytest.approx(100.0)
    assert "stedelijkheid" not in out.columns  # a class cannot be aggregated


def test_missing_count_makes_the_sum_missing_not_zero(catalogue):
    table = _tiny()
    table.loc["BU2", "inwoners"] = np.nan
    out = agg.aggregate(table, {"A": ["BU1", "BU2"], "B": ["BU1"]}, catalogue)
    assert np.isnan(out.loc["A", "inwoners"])
    assert out.loc["B", "inwoners"] == 100


def test_weighted_mean_missing_for_a_large_member_is_missing(catalogue):
    table = _tiny().drop(columns="leeftijd_0_15")
    table.loc["BU2", "pct_0_15"] = np.nan
    out = agg.aggregate(table, {"A": ["BU1", "BU2"]}, catalogue)
    assert np.isnan(out.loc["A", "pct_0_15"])


def test_unknown_codes_and_empty_groups_are_refused(catalogue):
    with pytest.raises(InputError, match="BU9"):
        agg.aggregate(_tiny(), {"A": ["BU1", "BU9"]}, catalogue)
    with pytest.raises(InputError, match="geen buurten"):
        agg.aggregate(_tiny(), {"A": []}, catalogue)


def test_input_is_not_mutated(catalogue):
    table = _tiny()
    before = table.copy()
    agg.aggregate(table, {"A": ["BU1", "BU2"]}, catalogue)
    pd.testing.assert_frame_equal(table, before)


@pytest.mark.parametrize("year", [2020, 2023])
def test_wijken_from_buurten_reproduce_published_wijk_and_gemeente_totals(snap, catalogue, year):
    buurten = figures.buurt_table(snap, year=year)
    groups = agg.groups_by(
        dict(zip(snap.boundaries["buurt"]["code"], snap.boundaries["buurt"]["wijkcode"], strict=True))
    )
    computed = agg.aggregate(buurten, groups, catalogue, indicators=["inwoners", "huishoudens"])
    published = figures.level_table(snap, catalogue, year=year, level="wijk")
    # CBS rounds every buurt count to 5: a wijk of n buurten may differ by up to 5 per buurt.
    for code, codes in groups.items():
        tolerance = 5 * len(codes)
        assert abs(computed.loc[code, "inwoners"] - published.loc[code, "inwoners"]) <= tolerance
    gemeente = figures.level_table(snap, catalogue, year=year, level="gemeente").loc["GM0153"]
    assert abs(computed["inwoners"].sum() - gemeente["inwoners"]) <= 5 * 70 / 2
    assert abs(computed["huishoudens"].sum() - gemeente["huishoudens"]) <= 5 * 70 / 2


def test_wijken_2021_are_aggregated_and_match_gemeente(snap, catalogue):
    wijken = figures.level_table(snap, catalogue, year=2021, level="wijk")
    assert len(wijken) == 10
    gemeente = figures.level_table(snap, catalogue, year=2021, level="gemeente").loc["GM0153"]
    assert abs(wijken["inwoners"].sum() - gemeente["inwoners"]) <= 175  # 70 buurten rounded to 5
    # Age shares weighted by inhabitants come back to the published gemeente share (rounded to 1%).
    weighted = (wijken["pct_65_plus"] * wijken["inwoners"]).sum() / wijken.loc[
        wijken["pct_65_plus"].notna(), "inwoners"
    ].sum()
    assert weighted == pytest.approx(gemeente["pct_65_plus"], abs=1.0)


def test_custom_area_by_hand(snap, catalogue):
    codes = ["BU01530905", "BU01530904"]
    area = figures.area_figures(snap, catalogue, year=2023, codes=codes)
    table = figures.buurt_table(snap, year=2023).loc[codes]
    assert area["inwoners"] == table["inwoners"].sum()
    assert area["bijstand_per_1000"] == pytest.approx(table["bijstand"].sum() / table["inwoners"].sum() * 1000)
    assert area["pct_huishoudens_met_kinderen"] == pytest.approx(
        table["huishoudens_met_kinderen"].sum() / table["huishoudens"].sum() * 100
    )


def test_groups_table_and_custom_outlines(snap, catalogue):
    from enschede_gis import boundaries

    groups = {"custom:Broekheurne": ["BU01530905", "BU01530904"], "custom:Twekkelerveld": ["BU01530301"]}
    table = figures.groups_table(snap, catalogue, year=2023, groups=groups)
    assert table.loc["custom:Twekkelerveld", "inwoners"] == 4160
    single = figures.area_figures(snap, catalogue, year=2023, codes=groups["custom:Broekheurne"])
    assert table.loc["custom:Broekheurne", "inwoners"] == single["inwoners"]
    outlines = boundaries.custom_outlines(snap, groups, {"custom:Broekheurne": "Broekheurne"})
    buurten = snap.boundaries["buurt"].set_index("code")
    expected = buurten.loc[groups["custom:Broekheurne"], "geometry"].area.sum()
    assert outlines.set_index("code").loc["custom:Broekheurne", "geometry"].area == pytest.approx(expected, rel=1e-6)
    assert outlines.set_index("code").loc["custom:Twekkelerveld", "name"] == "custom:Twekkelerveld"
    web = boundaries.for_web(outlines, coverage=False)
    assert web.crs.to_epsg() == 4326 and web.geometry.is_valid.all()


def test_partial_gives_a_share_over_the_known_buurten_with_its_coverage(catalogue):
    table = pd.DataFrame(
        {
            "inwoners": [220.0, 60.0, 20.0, 5.0],
            "pct_65_plus": [17.0, 19.0, np.nan, np.nan],
            "leeftijd_65_plus": [np.nan, np.nan, np.nan, np.nan],
        },
        index=["A", "B", "C", "D"],
    )
    found = agg.partial(table, ["A", "B", "C", "D"], catalogue, indicators=["pct_65_plus", "inwoners"])
    assert list(found.index) == ["pct_65_plus"]  # a count over part of the buurten would be a wrong total
    row = found.loc["pct_65_plus"]
    assert row["value"] == pytest.approx((17 * 220 + 19 * 60) / 280)
    assert (row["covered"], row["total"], row["basis"]) == (280, 305, "inwoners")
    # Below the minimum coverage nothing is offered; with all buurten known there is nothing partial.
    table.loc["C", "inwoners"] = 200.0
    assert agg.partial(table, ["A", "B", "C", "D"], catalogue, indicators=["pct_65_plus"]).empty
    assert agg.partial(table, ["A", "B"], catalogue, indicators=["pct_65_plus"]).empty
    # A buurt without its basis count: the group's own published total is used when given.
    table.loc["C", "inwoners"] = np.nan
    table.loc["D", "inwoners"] = np.nan
    found = agg.partial(table, list("ABCD"), catalogue, indicators=["pct_65_plus"], totals={"inwoners": 300.0})
    assert (found.at["pct_65_plus", "covered"], found.at["pct_65_plus", "total"]) == (280, 300)
