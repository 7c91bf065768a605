"""Scenarios told in plain words: names not codes, units not keys, the basis marked, the year once."""

from __future__ import annotations

import re

from enschede_gis import figures
from enschede_gis import scenarios as sc
from enschede_gis.boundaries import for_gemeente

TWEKKELERVELD = "BU01530301"
KEY_OR_CODE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|BU\d{8}")


def test_new_dwellings_read_as_a_plain_sentence(catalogue):
    measure = sc.make_measure(
        "new_dwellings",
        area=TWEKKELERVELD,
        basis="evidence",
        dwellings=500,
        household_size=2,
        age_mix={"leeftijd_0_15": 0, "leeftijd_25_45": 40, "leeftijd_65_plus": 60},
    )
    text = sc.measure_text(measure, catalogue, {TWEKKELERVELD: "Twekkelerveld"}, "nl")
    assert text.sentence.startswith("500 nieuwe woningen in Twekkelerveld; aanname: 2 personen per woning")
    assert "25–45 jaar 40%" in text.sentence and "65 jaar en ouder 60%" in text.sentence
    assert "0–15" not in text.sentence  # a group with no share is left out
    assert text.basis == "evidence" and text.line().endswith("(onderbouwd met een plan of besluit)")
    assert not KEY_OR_CODE.search(text.line())
    english = sc.measure_text(measure, catalogue, {TWEKKELERVELD: "Twekkelerveld"}, "en")
    assert english.sentence.startswith("500 new dwellings in Twekkelerveld; assumption: 2 persons per dwelling")
    assert english.line().endswith("(based on a plan or decision)")


def test_assumptions_on_a_figure_use_its_label_and_unit(catalogue):
    share = sc.make_measure(
        "direct_assumption", area="custom:Oost", basis="assumption", indicator="pct_65_plus", delta=2.5
    )
    line = sc.measure_text(share, catalogue, {}, "nl").line()
    assert line == f"{catalogue['pct_65_plus'].label('nl')} in Oost: +2,5 procentpunt (aanname)"
    woz = sc.make_measure(
        "direct_assumption", area=TWEKKELERVELD, basis="assumption", indicator="woz_waarde", new_value=250
    )
    assert "wordt € 250.000" in sc.measure_text(woz, catalogue, {TWEKKELERVELD: "Twekkelerveld"}, "nl").sentence
    size = sc.make_measure("new_dwellings", area=TWEKKELERVELD, basis="assumption", dwellings=1200, household_size=2.5)
    assert sc.measure_text(size, catalogue, {}, "nl").sentence.startswith(
        "1.200 nieuwe woningen in BU01530301; aanname: 2,5"
    )


def test_the_year_is_said_once_in_a_heading():
    with_year = sc.make_scenario(name="Twekkelerveld +500 (2023)", year=2023)
    assert sc.heading(with_year, "nl") == "Twekkelerveld +500 (2023)"
    plain = sc.make_scenario(name="Twekkelerveld +500", year=2023)
    assert sc.heading(plain, "nl") == "Twekkelerveld +500 (uitgangssituatie 2023)"


def test_headline_effects_show_before_after_and_points(snap, catalogue):
    table = figures.buurt_table(snap, year=2024)  # 2024 publishes age groups
    base = sc.baseline(table, catalogue, year=2024, land_area=figures.land_area(snap))
    scenario = sc.make_scenario(
        name="Twekkelerveld +500",
        year=2024,
        measures=[
            {
                "type": "new_dwellings",
                "area": TWEKKELERVELD,
                "basis": "evidence",
                "dwellings": 500,
                "household_size": 2,
                "age_mix": {"leeftijd_65_plus": 100},
            }
        ],
    )
    members = sc.resolve_areas(scenario, for_gemeente(snap, "buurt"), {})
    outcome = sc.run(scenario, base, catalogue, members)
    effects = sc.headline_effects(outcome, catalogue, [TWEKKELERVELD], "nl")
    by_key = effects.set_index("indicator")
    assert by_key.loc["inwoners", "change"] == "+1.000"  # the unit is in the label
    before = int(base.table.loc[TWEKKELERVELD, "inwoners"])
    assert by_key.loc["inwoners", "before"] == catalogue["inwoners"].format(before, with_unit=False)
    assert by_key.loc["inwoners", "after"] == catalogue["inwoners"].format(before + 1000, with_unit=False)
    assert len(effects) == 4  # a few headline figures, not all
    assert by_key.loc["pct_65_plus", "change"].endswith("procentpunt")  # a share changes in points
