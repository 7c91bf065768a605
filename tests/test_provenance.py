"""What the data-and-sources page shows, computed from the real snapshot and tiny frames."""

from __future__ import annotations

import pandas as pd

from enschede_gis import provenance


def test_belongs_to_takes_the_gemeente_its_wijken_and_buurten_only():
    codes = pd.Series(["GM0153", "WK015300", "BU01530000", "BU05990153", "GM0599", None], dtype="string")
    assert provenance.belongs_to(codes, "GM0153").tolist() == [True, True, True, False, False, False]


def test_base_source_drops_the_derivation_note():
    src = "CBS StatLine 84799NED (Kerncijfers wijken en buurten 2020); afgeleid: bijstand / inwoners"
    assert provenance.base_source(src) == "CBS StatLine 84799NED (Kerncijfers wijken en buurten 2020)"


def test_sources_by_year_counts_published_and_missing(snap):
    table = provenance.sources_by_year(snap.statistics, "GM0153")
    row = table[(table["year"] == 2024) & (table["level"] == "wijk")].iloc[0]
    assert "85984NED" in row["source"] and row["figures"] > 0
    # Other gemeenten (the national comparison rows) are not counted as Enschede's.
    own = snap.statistics[provenance.belongs_to(snap.statistics["code"], "GM0153")]
    assert table["figures"].sum() + table["missing"].sum() == len(own)
    assert provenance.sources_by_year(snap.statistics, "GM9999").empty


def test_coverage_lists_every_indicator_with_its_years(snap, catalogue):
    table = provenance.coverage(snap.statistics, catalogue, "GM0153")
    assert list(table["indicator"]) == [ind.key for ind in catalogue]
    inwoners = table.set_index("indicator").loc["inwoners"]
    assert inwoners["gemeente"] == "2020, 2021, 2022, 2023, 2024"
    assert inwoners["sources"].startswith("CBS StatLine 84799NED")  # the earliest year's table first
    assert (table.set_index("indicator").loc[:, ["buurt", "wijk", "gemeente"]] != "0").all().all()


def test_summary_counts_areas_of_the_gemeente(snap):
    facts = provenance.summary(snap, "GM0153")
    assert facts["areas"] == {"buurt": 70, "wijk": 10, "gemeente": 1}
    assert facts["years"] == [2012, 2016, 2020, 2021, 2022, 2023, 2024]
    assert provenance.summary(snap, "GM9999")["areas"] == {"buurt": 0, "wijk": 0, "gemeente": 0}
