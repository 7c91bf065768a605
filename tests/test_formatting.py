"""The formatting module: Dutch and English numbers, money, shares, changes, dates and chart locales."""

from __future__ import annotations

from datetime import date

import pytest

from enschede_gis import formatting as fmt
from enschede_gis.indicators import load_catalogue


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.mark.parametrize(
    ("value", "decimals", "nl", "en"),
    [
        (1520, 0, "1.520", "1,520"),
        (1520.46, 1, "1.520,5", "1,520.5"),
        (5818, 0, "5.818", "5,818"),
        (0.004, 1, "0,0", "0.0"),
        (-0.04, 1, "0,0", "0.0"),  # no "-0,0"
        (1234567.891, 2, "1.234.567,89", "1,234,567.89"),
    ],
)
def test_numbers_use_the_languages_marks(value, decimals, nl, en):
    assert fmt.number(value, "nl", decimals=decimals) == nl
    assert fmt.number(value, "en", decimals=decimals) == en


@pytest.mark.parametrize("value", [None, float("nan"), "x"])
def test_missing_reads_unknown_never_zero(value):
    assert fmt.number(value, "nl") == "onbekend"
    assert fmt.money(value, "en") == "unknown"
    assert fmt.points(value, "nl") == "onbekend"


def test_money_in_both_languages():
    assert fmt.money(206000, "nl") == "€ 206.000"
    assert fmt.money(206000, "en") == "€206,000"
    assert fmt.money(-1500, "nl") == "-€ 1.500"
    assert fmt.money(1500, "nl", signed=True) == "+€ 1.500"


def test_shares_and_their_changes_in_percentage_points():
    assert fmt.percent(8.44, "nl") == "8,4%"
    assert fmt.percent(8.44, "en") == "8.4%"
    assert fmt.points(8.44, "nl") == "+8,4 procentpunt"
    assert fmt.points(-8.44, "en") == "-8.4 percentage points"
    assert fmt.points(1.0, "en") == "+1.0 percentage point"
    assert fmt.points(0.01, "nl") == "0,0 procentpunt"  # unsigned zero


def test_standard_deviations_have_one_decimal_and_a_sign():
    assert fmt.sd(1.3249, "nl") == "+1,3 SD"
    assert fmt.sd(-0.26, "en") == "-0.3 SD"


def test_dates_are_written_out():
    day = date(2026, 12, 3)
    assert fmt.long_date(day, "nl") == "donderdag 3 december 2026"
    assert fmt.long_date(day, "en") == "Thursday, 3 December 2026"
    assert fmt.short_date(day, "nl") == "3 dec 2026"
    assert fmt.short_date(date(2027, 3, 5), "nl") == "5 mrt 2027"
    assert fmt.date_range(day, date(2027, 1, 5), "en") == "3 Dec 2026 – 5 Jan 2027"


def test_woz_published_in_thousands_reads_as_euros(catalogue):
    woz = catalogue["woz_waarde"]
    assert woz.format(206, "nl") == "€ 206.000"
    assert woz.format(206, "en") == "€206,000"
    assert woz.format(206, "nl", with_unit=False) == "€ 206.000"  # "206.000" alone would read as a count
    assert woz.format_change(8, "nl") == "+€ 8.000"
    income = catalogue["inkomen_per_inwoner"]
    assert income.decimals == 1 and income.format(24.34, "nl") == "€ 24.300"  # to the published € 100
    assert fmt.unit_text(woz, "nl") == "€" and fmt.chart_value(woz, 206) == 206000


def test_catalogue_figures_keep_their_own_decimals(catalogue):
    assert catalogue["inwoners"].format(5818, "nl") == "5.818 inwoners"
    assert catalogue["inwoners"].format(5818, "en") == "5,818 inhabitants"
    share = catalogue["pct_0_15"]
    assert share.format(14.04, "nl") == "14,0%"
    assert share.format_change(8.44, "nl") == "+8,4 procentpunt"
    assert share.format_change(8.44, "en") == "+8.4 percentage points"
    assert catalogue["inwoners"].format_change(500, "nl") == "+500 inwoners"
    assert fmt.axis_format(share) == ",.1f" and fmt.axis_format(catalogue["inwoners"]) == ",.0f"


def test_every_catalogue_unit_formats_in_both_languages(catalogue):
    for ind in catalogue:
        for lang in ("nl", "en"):
            text = ind.format(1234.5, lang)
            assert "x €" not in text, (ind.key, text)
            grouped = "1.234" if lang == "nl" else "1,234"
            assert grouped in text or text.startswith("€"), (ind.key, text)


def test_vega_locale_is_dutch_from_babel():
    nl = fmt.vega_locale("nl")
    assert nl["number"]["decimal"] == "," and nl["number"]["thousands"] == "."
    assert nl["time"]["months"][11] == "december" and nl["time"]["days"][4] == "donderdag"
    assert nl["time"]["shortMonths"][2] == "mrt"
    en = fmt.vega_locale("en")
    assert en["number"]["decimal"] == "." and en["time"]["days"][0] == "Sunday"
    assert all(len(part) == 12 for part in (en["time"]["months"], en["time"]["shortMonths"]))
    assert en["time"]["shortDays"][:2] == ["Sun", "Mon"] and nl["time"]["shortDays"][:2] == ["zo", "ma"]


def test_tiles_put_the_unit_in_the_label_once(catalogue):
    size, woz, share = catalogue["huishoudensgrootte"], catalogue["woz_waarde"], catalogue["pct_65_plus"]
    assert fmt.tile_label(size, "nl") == "Gemiddelde huishoudensgrootte (personen)"
    assert fmt.tile_label(catalogue["inwoners"], "nl") == "Aantal inwoners"  # the name says it already
    assert fmt.tile_value(catalogue["inwoners"], 4160, "nl") == "4.160"
    assert fmt.tile_value(woz, 206, "nl") == "€ 206.000" and fmt.tile_label(woz, "nl") == woz.label("nl")
    assert fmt.tile_value(share, 23.61, "nl") == "23,6%"
    assert fmt.tile_change(catalogue["inwoners"], 1000, "nl") == "+1.000"
    assert fmt.tile_change(share, 0.5, "nl") == "+0,5 procentpunt"
