"""Profile math on small synthetic tables, plus golden checks on the real Enschede snapshot."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from enschede_gis import figures, profile
from enschede_gis.areas import CustomArea
from enschede_gis.errors import InputError
from enschede_gis.indicators import Indicator

BROEKHEURNE = CustomArea(name="Broekheurne", codes=("BU01530905", "BU01530904"))


@pytest.fixture(scope="module")
def areas(snap):
    return profile.selectable_areas(snap, [BROEKHEURNE])


def _indicator(direction: str) -> Indicator:
    return Indicator(
        key="x",
        theme="t",
        label_nl="x",
        label_en="x",
        unit_nl="%",
        unit_en="%",
        kind="percentage",
        aggregation="none",
        direction=direction,
    )


# -- synthetic --------------------------------------------------------------------------------------


def test_rank_counts_higher_values_and_shares_ties():
    values = pd.Series([10.0, 30.0, 20.0, np.nan, 30.0])
    assert profile.rank_among(values, 30.0) == (1.0, 4)
    assert profile.rank_among(values, 20.0) == (3.0, 4)
    assert profile.rank_among(values, 5.0) == (5.0, 4)
    rank, ranked = profile.rank_among(values, np.nan)
    assert np.isnan(rank) and ranked == 4


def test_z_score_uses_population_sd_of_the_buurten():
    spread_values = pd.Series([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0, np.nan])  # SD (ddof=0) = 2
    assert profile.z_score(9.0, 5.0, spread_values) == pytest.approx(2.0)
    assert np.isnan(profile.z_score(np.nan, 5.0, spread_values))
    assert np.isnan(profile.z_score(3.0, 5.0, pd.Series([1.0, 1.0])))  # no spread: undefined


def test_only_conditions_get_attention_colours():
    assert profile.signal(_indicator("neutral"), 3.0) == "neutral"
    assert profile.signal(_indicator("higher_worse"), 1.2) == "more"
    assert profile.signal(_indicator("higher_worse"), -1.2) == "less"
    assert profile.signal(_indicator("higher_better"), -1.2) == "more"
    assert profile.signal(_indicator("higher_better"), 0.2) == "average"
    assert profile.signal(_indicator("higher_worse"), np.nan) == "average"


def test_similar_buurten_by_standardised_distance_with_missing_handled():
    table = pd.DataFrame(
        {
            "a": [0.0, 1.0, 2.0, 3.0, 10.0, np.nan],
            "b": [0.0, 10.0, 20.0, 30.0, 0.0, 5.0],
            "c": [1.0, 1.0, 1.0, 1.0, 1.0, 1.0],  # no spread: skipped
        },
        index=["B0", "B1", "B2", "B3", "B4", "B5"],
    )
    target = pd.Series({"a": 1.0, "b": 10.0, "c": 1.0})
    found = profile.similar_buurten(table, target, ["a", "b", "c"], exclude=["B1"], n=3)
    # B5 shares only one of the two usable indicators: not compared.
    assert list(found["code"]) == ["B0", "B2", "B3"]
    # Standardised: a has mean 3.2, SD 3.487; b mean 12.5, SD 10.408 (ddof=0, B5's a is missing).
    sd_a, sd_b = table["a"].std(ddof=0), table["b"].std(ddof=0)
    expected = np.sqrt(((1 / sd_a) ** 2 + (10 / sd_b) ** 2) / 2)
    assert found.loc[0, "distance"] == pytest.approx(expected)
    assert found.loc[0, "shared"] == 2
    assert set(found.loc[0, "alike"]) == {"a", "b"}


def test_similar_buurten_needs_an_indicator():
    with pytest.raises(InputError, match="indicator"):
        profile.similar_buurten(pd.DataFrame({"a": [1.0]}), pd.Series({"a": 1.0}), ["zz"])


# -- real snapshot ----------------------------------------------------------------------------------


def test_selectable_areas_list_gemeente_wijken_buurten_and_custom(snap, areas):
    kinds = [a.kind for a in areas]
    assert kinds.count("gemeente") == 1 and kinds.count("wijk") == 10 and kinds.count("buurt") == 70
    custom = profile.find_area(areas, "custom:Broekheurne")
    assert custom.codes == ("BU01530905", "BU01530904") and custom.label == "Broekheurne"
    wijk = profile.find_area(areas, "WK015309")
    assert "BU01530905" in wijk.codes and len(wijk.codes) == 9
    assert profile.find_area(areas, "GM0153").label == "Enschede"
    with pytest.raises(InputError, match="custom:Nope"):
        profile.find_area(areas, "custom:Nope")
    elsewhere = CustomArea(name="Elders", codes=("BU03630000",), gemeente="GM0363")
    assert "custom:Elders" not in {a.key for a in profile.selectable_areas(snap, [elsewhere])}


def test_default_year_is_latest_with_most_indicators(snap):
    assert profile.default_year(snap) == 2023


def test_custom_area_figures_match_hand_computed_values(snap, catalogue, areas):
    """Broekheurne 2023 = BU01530905 + BU01530904, computed by hand from the published buurt figures."""
    values = profile.area_values(snap, catalogue, profile.find_area(areas, "custom:Broekheurne"), year=2023)
    assert values["inwoners"] == 1525 + 295
    # gehuwd 715 + 125 over 1820 inhabitants; averaging 46.89% and 42.37% would give 44.63%.
    assert values["pct_gehuwd"] == pytest.approx(840 / 1820 * 100)
    assert values["huishoudensgrootte"] == pytest.approx(2.4)
    # 1820 inhabitants on 2616 + 528 ha of land (= 31.44 km²).
    assert values["bevolkingsdichtheid"] == pytest.approx(1820 / 31.44)
    # Low income share weighted by inhabitants.
    assert values["pct_personen_laag_inkomen"] == pytest.approx((40.0 * 1525 + 50.8 * 295) / 1820)
    assert np.isnan(values.get("woz_waarde", np.nan))  # an average CBS gives no weight for: never averaged


def test_key_figures_carry_references_year_and_source(snap, catalogue, areas):
    table = profile.key_figures(snap, catalogue, profile.find_area(areas, "custom:Broekheurne"), year=2023)
    row = table.set_index("indicator").loc["inwoners"]
    assert row["text"] == "1.820 inwoners"
    assert row["Enschede"] == 161235 and row["year"] == 2023
    assert profile.reference_names(table) == ["Enschede", "Twente", "Nederland"]
    assert "berekend uit buurtcijfers" in row["source"] and "85618NED" in row["source"]
    buurt = profile.key_figures(snap, catalogue, profile.find_area(areas, "BU01530905"), year=2023)
    assert "berekend" not in buurt.set_index("indicator").loc["inwoners", "source"]


def test_position_of_a_buurt_against_the_city(snap, catalogue, areas):
    pos = profile.position(snap, catalogue, profile.find_area(areas, "BU01530905"), year=2023).set_index("indicator")
    row = pos.loc["pct_herkomst_buiten_europa"]
    buurten = snap.statistics.query("year == 2023 and level == 'buurt' and indicator == 'pct_herkomst_buiten_europa'")
    buurten = buurten[buurten["code"].str.startswith("BU0153")].set_index("code")["value"]
    assert row["rank"] == 1 + (buurten.drop("BU01530905") > buurten["BU01530905"]).sum()
    assert row["z"] == pytest.approx((buurten["BU01530905"] - row["city"]) / buurten.std(ddof=0))
    assert row["signal"] == "neutral"  # composition, never coloured
    assert "inwoners" not in pos.index  # counts have no position
    assert pos.loc["pct_personen_laag_inkomen", "signal"] in {"more", "less", "average"}


def test_spread_shows_every_buurt_of_the_wijk_and_the_ones_that_stand_out(snap, catalogue, areas):
    wijk = profile.find_area(areas, "WK015309")
    spread = profile.spread(snap, catalogue, wijk, year=2023, indicators=["woz_waarde"])
    assert set(spread["code"]) == set(wijk.codes)
    lonneker_west = spread.set_index("code").loc["BU01530902"]
    assert lonneker_west["value"] == 696 and bool(lonneker_west["stands_out"])
    assert profile.spread(snap, catalogue, profile.find_area(areas, "BU01530905"), year=2023).empty


def test_similar_buurten_lie_outside_the_area(snap, catalogue, areas):
    area = profile.find_area(areas, "custom:Broekheurne")
    found = profile.similar_for_area(snap, catalogue, area, year=2023)
    assert len(found) == 5
    assert not set(found["code"]) & set(area.codes)
    assert found["distance"].is_monotonic_increasing
    assert all(text for text in found["alike_text"])


def test_trends_have_several_years_and_the_herkomst_note(snap, catalogue, areas):
    gemeente = profile.trends(snap, catalogue, profile.find_area(areas, "GM0153"), indicators=["inwoners"])
    assert list(gemeente["year"]) == [2020, 2021, 2022, 2023, 2024]
    wijk = profile.trends(snap, catalogue, profile.find_area(areas, "WK015309"))
    inwoners = wijk[wijk["indicator"] == "inwoners"].set_index("year")["value"]
    assert list(inwoners.index) == [2020, 2021, 2023, 2024]
    assert inwoners[2023] == 10145
    assert profile.trend_notes(wijk) == ["profiel.note_herkomst"]


def test_compare_two_to_four_areas(snap, catalogue, areas):
    chosen = [profile.find_area(areas, k) for k in ("custom:Broekheurne", "WK015309", "GM0153")]
    table = profile.compare(snap, catalogue, chosen, year=2023).set_index("indicator")
    assert table.loc["inwoners", "Broekheurne"] == "1.820 inwoners"
    assert table.loc["inwoners", "Enschede"] == "161.235 inwoners"
    with pytest.raises(InputError, match="twee tot 4"):
        profile.compare(snap, catalogue, chosen[:1], year=2023)


def test_position_chart_colours_only_conditions(snap, catalogue, areas):
    from enschede_gis import charts

    pos = profile.position(snap, catalogue, profile.find_area(areas, "WK015309"), year=2023)
    labels = {s: s.upper() for s in charts.SIGNALS}
    spec = charts.position_chart(pos, labels, axis_title="SD").to_dict()
    scale = spec["encoding"]["color"]["scale"]
    assert scale["domain"] == ["MORE", "LESS", "AVERAGE", "NEUTRAL"]
    assert scale["range"][3] == "#969696"  # composition is grey
    rows = spec["datasets"][next(iter(spec["datasets"]))]
    composition = [r for r in rows if r["name"] == catalogue["pct_herkomst_buiten_europa"].label("nl")]
    assert [r["legend"] for r in composition] == ["NEUTRAL"]
    income = [r for r in rows if r["name"] == catalogue["pct_huishoudens_laag_inkomen"].label("nl")]
    assert income[0]["legend"] == "LESS"  # a condition, well below the city value
    assert max(abs(r["bar"]) for r in rows) <= charts.LIMIT_SD


# -- latest value per figure (issue 13) ---------------------------------------------------------------


def _published_years(snap, code: str) -> pd.Series:
    """indicator -> latest year with a published (non-missing) value for this region code."""
    rows = snap.statistics[(snap.statistics["code"] == code) & snap.statistics["value"].notna()]
    return rows.groupby("indicator")["year"].max()


def test_broekheurne_default_view_has_every_figure_at_its_latest_year(snap, catalogue, areas):
    area = profile.find_area(areas, "BU01530905")
    table = profile.key_figures(snap, catalogue, area).set_index("indicator")  # the default: LATEST
    latest = _published_years(snap, "BU01530905")
    latest = latest[latest.index.isin(list(catalogue.indicators))]
    assert len(latest) > 40
    for key, year in latest.items():
        assert table.at[key, "text"] != "onbekend", key
        assert table.at[key, "year"] == year, key
    # The figures that stay "onbekend" are exactly those no year has for this buurt.
    unknown = set(table.index[table["text"] == "onbekend"])
    assert unknown and not unknown & set(latest.index)
    # 65+: 2023 lacks the age groups, 2024 has them; Enschede's value is from 2024 too (over its known buurten).
    row = table.loc["pct_65_plus"]
    assert row["year"] == 2024 and row["text"] == "25,0%"
    # 161.735 of 161.738 inhabitants is the whole city to a resident: no note to read
    assert row["Enschede (tekst)"] == "18,4%"
    # Income exists only in 2023: shown with 2023 and the 2023 city value.
    income = table.loc["pct_personen_laag_inkomen"]
    assert income["year"] == 2023 and income["Enschede"] == pytest.approx(47.5)


def test_one_year_stays_a_cross_section(snap, catalogue, areas):
    table = profile.key_figures(snap, catalogue, profile.find_area(areas, "BU01530905"), year=2023)
    assert set(table["year"]) == {2023}
    assert table.set_index("indicator").at["pct_65_plus", "text"] == "onbekend"


def test_a_wijk_share_over_its_known_buurten_says_its_coverage(snap, catalogue, areas):
    wijk = profile.find_area(areas, "WK015307")
    table = profile.key_figures(snap, catalogue, wijk, year=2021).set_index("indicator")
    # 2021: BU01530702 (20 inh.) and BU01530703 (5) are suppressed; 220 + 60 = 280 of 305 inhabitants.
    buurten = figures.buurt_table(snap, year=2021).loc[list(wijk.codes)]
    assert buurten["pct_65_plus"].isna().sum() == 2
    row = table.loc["pct_65_plus"]
    assert row["value"] == pytest.approx((17 * 220 + 19 * 60) / 280)
    assert row["coverage"] == "bekend voor 280 van 305 inwoners"
    assert row["text"].endswith("(bekend voor 280 van 305 inwoners)")
    # A wijk whose buurten all publish the share has no coverage note.
    assert (
        profile.key_figures(snap, catalogue, profile.find_area(areas, "WK015309"), year=2021)["coverage"] == ""
    ).all()


def test_map_latest_by_area_fills_each_area_from_its_own_latest_year():
    tables = {
        2024: pd.DataFrame({"x": [1.0, np.nan, np.nan]}, index=["A", "B", "C"]),
        2023: pd.DataFrame({"x": [9.0, 2.0, np.nan]}, index=["A", "B", "C"]),
    }
    found = figures.latest_by_area(tables.__getitem__, "x", [2023, 2024])
    assert list(found["value"].fillna(-1)) == [1.0, 2.0, -1.0]
    assert list(found["year"].astype("Int64").fillna(0)) == [2024, 2023, 0]
    assert figures.years_label(found["year"], {"B": "Kennispark"}) == "2024; eerder jaar: Kennispark 2023"
    assert figures.years_label(found["year"].iloc[:1], {}) == "2024"


def test_position_and_spread_take_each_figure_from_its_latest_year(snap, catalogue, areas):
    pos = profile.position(snap, catalogue, profile.find_area(areas, "BU01530905")).set_index("indicator")
    assert pos.at["pct_65_plus", "year"] == 2024 and pos.at["pct_personen_laag_inkomen", "year"] == 2023
    spread = profile.spread(snap, catalogue, profile.find_area(areas, "WK015309"), indicators=["pct_65_plus"])
    assert set(spread["year"]) == {2024} and len(spread) == 9


def test_compare_latest_prints_the_year_of_each_value(snap, catalogue, areas):
    chosen = [profile.find_area(areas, k) for k in ("BU01530905", "GM0153")]
    table = profile.compare(snap, catalogue, chosen).set_index("indicator")
    assert table.at["pct_65_plus", chosen[0].label] == "25,0% (2024)"
    assert table.at["pct_personen_laag_inkomen", chosen[0].label] == "40,0% (2023)"


def test_a_coverage_note_is_plain_and_left_out_when_it_is_the_whole(catalogue):
    def row(covered, total, basis="inwoners"):
        return pd.Series({"covered": covered, "total": total, "basis": basis})

    assert profile.coverage_text(catalogue, row(280, 305)) == "bekend voor 280 van 305 inwoners"
    assert profile.coverage_text(catalogue, row(280, 305), "en") == "known for 280 of 305 inhabitants"
    assert profile.coverage_text(catalogue, row(5, 6, "buurten")) == "bekend voor 5 van 6 buurten"
    assert profile.coverage_text(catalogue, row(5, 6, "buurten"), "en") == "known for 5 of 6 neighbourhoods"
    for lang in ("nl", "en"):  # rounds to 100 %: nothing to say
        assert profile.coverage_text(catalogue, row(161_735, 161_738), lang) == ""
    assert profile.coverage_text(catalogue, row(994, 1000)) == "bekend voor 994 van 1.000 inwoners"
