"""What the profile page shows (enschede_gis.profile_view), on the real snapshot, without Streamlit."""

from __future__ import annotations

import pandas as pd
import pytest

from enschede_gis import figures, i18n, profile
from enschede_gis import profile_view as view


@pytest.fixture(scope="module")
def areas(snap):
    return profile.selectable_areas(snap, [])


def test_the_tabs_are_labelled_in_both_languages():
    assert [i18n.t(k, "nl") for k in view.TABS] == [
        "Kerncijfers",
        "Positie in de stad",
        "Verschillen binnen het gebied",
        "Vergelijkbare buurten",
        "Ontwikkeling",
    ]
    assert i18n.t(view.TABS[-1], "en") == "Trends"


def test_key_figures_per_theme_with_the_area_and_its_references(snap, catalogue, areas):
    area = profile.find_area(areas, "BU01530301")
    table = profile.key_figures(snap, catalogue, area, year=2023)
    themes = view.figure_tables(table, area.label, "nl")
    assert [theme for theme, _ in themes] == list(dict.fromkeys(table["theme_label"]))
    first = themes[0][1]
    assert list(first.columns) == ["Indicator", area.label, "Enschede", "Twente", "Nederland", "Jaar", "Bron"]
    row = pd.concat(part for _, part in themes).set_index("Indicator").loc["Aantal inwoners"]
    stats = snap.statistics.query("year == 2023 and code == 'BU01530301' and indicator == 'inwoners'")
    assert row[area.label] == f"{int(stats['value'].iloc[0]):,} inwoners".replace(",", ".") and row["Jaar"] == 2023
    assert view.figure_tables(table.iloc[0:0], area.label) == []


def test_position_table_says_rank_out_of_ranked_and_distance_in_sd(snap, catalogue, areas):
    area = profile.find_area(areas, "BU01530905")
    position = profile.position(snap, catalogue, area, year=2023)
    shown = view.position_table(position, area.label, "en").set_index("Indicator")
    row, source = shown.iloc[0], position.iloc[0]
    assert row["Rank"] == f"{int(source['rank'])}/{int(source['ranked'])}"
    assert list(shown.columns) == [area.label, "City", "Rank", "SD", "Year"]


def test_standouts_only_the_buurten_that_stand_out(snap, catalogue, areas):
    wijk = profile.find_area(areas, "WK015309")
    spread = profile.spread(snap, catalogue, wijk, year=2023, indicators=["woz_waarde"])
    out = view.standouts(spread, "nl")
    assert "Buurtschap Lonneker-West" in set(out["Buurt"])
    assert len(out) == int(spread["stands_out"].astype(bool).sum())
    assert view.standouts(spread.iloc[0:0], "nl").empty


def test_similarity_choices_offer_comparable_figures_and_default_to_the_preferred(snap, catalogue):
    table = figures.buurt_table(snap, year=2023)
    options, defaults = view.similarity_choices(table, catalogue)
    assert defaults and set(defaults) <= set(options)
    assert all(catalogue[k].kind in profile.COMPARABLE_KINDS for k in options)
    assert "inwoners" not in options  # a count says nothing about being alike


def test_trend_default_and_table_with_missing_years(snap, catalogue, areas):
    assert view.default_trend(["pct_0_15", "inwoners"]) == "inwoners"
    assert view.default_trend(["woz_waarde"]) == "woz_waarde"
    trend = pd.DataFrame(
        {"label": ["A", "A", "B"], "year": [2022, 2023, 2023], "text": ["1", "2", "3"], "indicator": ["a", "a", "b"]}
    )
    wide = view.trend_table(trend, "nl")
    assert list(wide.columns) == ["2022", "2023"]
    assert wide.loc["B", "2022"] == i18n.t("app.missing", "nl") and wide.loc["A", "2023"] == "2"


def test_download_names_and_types():
    files = view.downloads("Wijk 09 / Lonneker", profile.LATEST, "nl")
    latest = i18n.t("profiel.latest_file", "nl")
    assert files["pdf"] == (f"wijkpaspoort_Wijk_09___Lonneker_{latest}.pdf", "application/pdf")
    assert files["excel"][0].endswith(".xlsx") and "spreadsheetml" in files["excel"][1]
    assert view.downloads("X", 2023)["csv"] == ("wijkpaspoort_X_2023.csv", "text/csv")
    assert view.year_label(profile.LATEST, "en") == i18n.t("profiel.latest", "en") and view.year_label(2023) == "2023"
