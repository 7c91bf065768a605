"""Charts: one place sets text size and locale; counts from zero; years at their true spacing."""

from __future__ import annotations

import pandas as pd
import pytest

from enschede_gis import charts
from enschede_gis.indicators import load_catalogue


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def _trend(key: str, years: list[int], values: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {"indicator": key, "label": key, "theme": "t", "year": years, "value": values, "text": [str(v) for v in values]}
    )


def _layer_data(spec: dict) -> list[dict]:
    return next(iter(spec["datasets"].values()))


def test_every_chart_sets_text_size_and_the_dutch_locale(catalogue):
    spec = charts.trend_chart(_trend("inwoners", [2021, 2022], [1505, 1500]), year_title="Jaar", lang="nl").to_dict()
    config = spec["config"]
    assert config["axis"]["labelFontSize"] >= 18 and config["legend"]["labelFontSize"] >= 18
    assert config["axis"]["labelLimit"] == 0  # labels are wrapped in the data, never cut off by Vega
    assert config["locale"]["number"]["decimal"] == "," and config["locale"]["time"]["months"][0] == "januari"
    english = charts.trend_chart(_trend("inwoners", [2021, 2022], [1, 2]), year_title="Year", lang="en").to_dict()
    assert english["config"]["locale"]["number"]["thousands"] == ","


def test_counts_start_at_zero_and_shares_need_not(catalogue):
    counts = charts.trend_chart(
        _trend("inwoners", [2021, 2022], [1505, 1500]), year_title="Jaar", indicator=catalogue["inwoners"]
    ).to_dict()
    assert all(layer["encoding"]["y"]["scale"]["zero"] is True for layer in counts["layer"])
    share = charts.trend_chart(
        _trend("pct_0_15", [2021, 2022], [14.0, 14.5]), year_title="Jaar", indicator=catalogue["pct_0_15"]
    ).to_dict()
    assert share["layer"][0]["encoding"]["y"]["scale"]["zero"] is False
    assert share["layer"][0]["encoding"]["y"]["axis"]["format"] == ",.1f"


def test_years_sit_at_their_true_spacing_and_a_missing_year_breaks_the_line():
    spec = charts.trend_chart(_trend("inwoners", [2020, 2021, 2023], [1, 2, 3]), year_title="Jaar").to_dict()
    x = spec["layer"][0]["encoding"]["x"]
    assert x["type"] == "quantitative" and x["axis"]["labelAngle"] == 0
    assert x["axis"]["values"] == [2020, 2021, 2023]
    assert spec["layer"][0]["encoding"]["detail"]["field"] == "segment"
    segments = {row["year"]: row["segment"] for row in _layer_data(spec)}
    assert segments[2020] == segments[2021] != segments[2023]


def test_money_in_thousands_is_plotted_in_euros(catalogue):
    spec = charts.trend_chart(
        _trend("woz_waarde", [2021, 2022], [206, 230]), year_title="Jaar", indicator=catalogue["woz_waarde"]
    ).to_dict()
    assert sorted(row["value"] for row in _layer_data(spec)) == [206000, 230000]
    assert spec["config"]["locale"]["number"]["currency"] == ["€ ", ""]


def test_long_labels_wrap_instead_of_being_cut_off():
    long = "Personen met een laag inkomen (laagste 40% van de huishoudens)"
    assert max(len(line) for line in charts.wrap(long).split("\n")) <= charts.WRAP_CHARS
    position = pd.DataFrame(
        {
            "label": [long, "Inwoners"],
            "z": [1.2, -0.4],
            "signal": ["more", "neutral"],
            "text": ["a", "b"],
            "city_text": ["c", "d"],
            "rank": [3.0, float("nan")],
            "ranked": [10, 10],
        }
    )
    spec = charts.position_chart(position, {s: s for s in charts.SIGNALS}, axis_title="SD").to_dict()
    assert "split(datum.label" in spec["encoding"]["y"]["axis"]["labelExpr"]
    rows = _layer_data(spec)
    assert rows[0]["label"] == charts.wrap(long) and rows[0]["name"] == long
    assert rows[0]["sd_text"] == "+1,2 SD"
    assert spec["height"]["step"] >= charts.LINE_PX * 2  # room for the wrapped lines


def test_timeline_reads_dutch_months_and_periods():
    frame = pd.DataFrame(
        {
            "title": ["Herinrichting park"],
            "domein": ["Openbare ruimte"],
            "responsible": ["Gemeente"],
            "start": [pd.Timestamp("2026-12-03")],
            "end": [pd.Timestamp("2027-03-05")],
            "conflict": [False],
            "conflict_text": [""],
        }
    )
    spec = charts.timeline_chart(frame, domain_title="Domein", tooltip_titles={}, lang="nl").to_dict()
    assert spec["encoding"]["x"]["axis"]["format"] == "%b %Y" and spec["encoding"]["x"]["axis"]["labelAngle"] == 0
    assert _layer_data(spec)[0]["period"] == "3 dec 2026 – 5 mrt 2027"
    assert spec["config"]["locale"]["time"]["shortMonths"][11] == "dec"


def test_count_bars_start_at_zero():
    spec = charts.count_bars(pd.Series({"Groen": 4, "Verkeer": 2}), count_title="Stemmen").to_dict()
    assert spec["encoding"]["x"]["scale"]["zero"] is True and spec["encoding"]["x"]["axis"]["format"] == "d"
