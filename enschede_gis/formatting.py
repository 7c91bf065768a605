"""How numbers, money, shares, changes and dates read, in Dutch or English: one place for every output.

Tables, charts, maps, PDFs and exports all format through here, so "€ 206.000", "8,4%" and
"+8,4 procentpunt" look the same wherever they appear. Built on Babel (CLDR data): ``nl_NL`` for Dutch,
``en_GB`` for English (a European audience: "€206,000", "3 December 2026").

The public API::

    number(1520.5, "nl", decimals=1)          -> "1.520,5"
    money(206000, "nl")                        -> "€ 206.000"
    percent(8.4, "nl")                         -> "8,4%"          (the value is already in percent)
    points(8.4, "nl")                          -> "+8,4 procentpunt"
    sd(1.32, "nl")                             -> "+1,3 SD"
    long_date(date(2026, 12, 3), "nl")         -> "donderdag 3 december 2026"
    short_date(date(2026, 12, 3), "nl")        -> "3 dec 2026"
    indicator_value(ind, 206, "nl")            -> "€ 206.000"     (WOZ is published in thousands)
    indicator_change(ind, 8.4, "nl")           -> "+8,4 procentpunt" for a share, "+500 personen" for a count
    axis_format(ind)                           -> a d3 format string for Altair axes (",.1f")
    vega_locale("nl")                          -> {"number": ..., "time": ...} for Altair's config.locale

Missing values (None, NaN) read "onbekend" / "unknown", never 0.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

if TYPE_CHECKING:  # indicators imports this module; only the type is needed here
    from enschede_gis.indicators import Indicator

#: The Babel locale per UI language.
LOCALES = {"nl": "nl_NL", "en": "en_GB"}

#: Units that mean "thousands of euros" in the CBS catalogue: shown as whole euros instead.
THOUSAND_EURO_UNITS = {"x € 1.000", "x € 1,000"}

MISSING = {"nl": "onbekend", "en": "unknown"}


def _locale(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["nl"])


def is_missing(value: object) -> bool:
    """True for None and NaN (and anything that is not a number)."""
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def missing(lang: str = "nl") -> str:
    return MISSING.get(lang, MISSING["nl"])


def _pattern(decimals: int, *, signed: bool) -> str:
    body = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return f"+{body};-{body}" if signed else body


def number(value: float | None, lang: str = "nl", *, decimals: int = 0, signed: bool = False) -> str:
    """A number with the language's grouping and decimal marks: ``1.520,5`` / ``1,520.5``.

    ``signed`` puts "+" before positive values (for changes); zero stays unsigned.
    """
    if is_missing(value):
        return missing(lang)
    value = float(value)  # type: ignore[arg-type]
    rounded = round(value, decimals)
    if rounded == 0:
        rounded, signed = 0.0, False  # no "-0" and no "+0"
    return babel_numbers.format_decimal(
        rounded, format=_pattern(decimals, signed=signed), locale=_locale(lang), decimal_quantization=True
    )


def money(euros: float | None, lang: str = "nl", *, decimals: int = 0, signed: bool = False) -> str:
    """An amount in euros: ``€ 206.000`` (Dutch, with a space) or ``€206,000`` (English)."""
    if is_missing(euros):
        return missing(lang)
    text = number(abs(float(euros)), lang, decimals=decimals)  # type: ignore[arg-type]
    sign = ""
    if round(float(euros), decimals) != 0:  # type: ignore[arg-type]
        sign = "-" if float(euros) < 0 else ("+" if signed else "")  # type: ignore[arg-type]
    return f"{sign}€ {text}" if lang == "nl" else f"{sign}€{text}"


def percent(value: float | None, lang: str = "nl", *, decimals: int = 1, signed: bool = False) -> str:
    """A share already expressed in percent: ``8,4%`` / ``8.4%`` (no space, as both languages write it)."""
    if is_missing(value):
        return missing(lang)
    return number(value, lang, decimals=decimals, signed=signed) + "%"


def points(delta: float | None, lang: str = "nl", *, decimals: int = 1) -> str:
    """A change between two shares: ``+8,4 procentpunt`` / ``+8.4 percentage points``, never "+8,4%"."""
    if is_missing(delta):
        return missing(lang)
    text = number(delta, lang, decimals=decimals, signed=True)
    if lang == "nl":
        return f"{text} procentpunt"
    return f"{text} percentage point" + ("" if abs(round(float(delta), decimals)) == 1 else "s")  # type: ignore[arg-type]


def sd(z: float | None, lang: str = "nl", *, decimals: int = 1) -> str:
    """A distance in standard deviations, signed: ``+1,3 SD``."""
    if is_missing(z):
        return missing(lang)
    return f"{number(z, lang, decimals=decimals, signed=True)} SD"


def long_date(day: date | datetime, lang: str = "nl") -> str:
    """``donderdag 3 december 2026`` / ``Thursday, 3 December 2026``."""
    return babel_dates.format_date(day, format="full", locale=_locale(lang))


def short_date(day: date | datetime, lang: str = "nl") -> str:
    """``3 dec 2026`` / ``3 Dec 2026``: for tables and axes where the weekday does not fit."""
    return babel_dates.format_date(day, format="d MMM y", locale=_locale(lang)).replace(".", "")


def date_range(start: date, end: date, lang: str = "nl") -> str:
    """``3 dec 2026 – 5 jan 2027``: a period in a table."""
    return f"{short_date(start, lang)} – {short_date(end, lang)}"


# --- indicators -------------------------------------------------------------------------------------


def money_factor(ind: Indicator) -> float | None:
    """Euros per published unit when the indicator is an amount of money (1000 for "x € 1.000"), else None."""
    return 1000.0 if ind.unit_nl in THOUSAND_EURO_UNITS or ind.unit_en in THOUSAND_EURO_UNITS else None


def is_share(ind: Indicator) -> bool:
    """True for a percentage: its differences are percentage points."""
    return ind.kind == "percentage" or ind.unit_nl.startswith("%")


def _money_value(ind: Indicator, value: float) -> float:
    """Euros, rounded to the precision of the published figure (WOZ in thousands with 0 decimals is
    exact to € 1.000, so "€ 206.000"; income with 1 decimal to € 100, so "€ 24.300")."""
    factor = money_factor(ind) or 1.0
    step = factor / 10**ind.decimals  # the precision of the published figure, in euros
    return round(value * factor / step) * step


def unit_text(ind: Indicator, lang: str = "nl") -> str:
    """The unit as a reader sees it next to a formatted value ("€" for money published in thousands)."""
    return "€" if money_factor(ind) else ind.unit(lang)


def indicator_value(ind: Indicator, value: float | None, lang: str = "nl", *, with_unit: bool = True) -> str:
    """A catalogue figure for display, at the indicator's own decimals.

    Money published in thousands is shown in euros ("€ 206.000", always with the euro sign, since
    "206.000" alone would read as a count). Shares read "8,4%", other figures "1.146 inwoners per km²".
    """
    if is_missing(value):
        return missing(lang)
    if money_factor(ind):
        return money(_money_value(ind, float(value)), lang)  # type: ignore[arg-type]
    text = number(value, lang, decimals=ind.decimals)
    unit = ind.unit(lang)
    if not with_unit or not unit:  # e.g. an uploaded score without a unit
        return text
    return f"{text}{unit}" if unit.startswith("%") else f"{text} {unit}"


def indicator_change(ind: Indicator, delta: float | None, lang: str = "nl", *, with_unit: bool = True) -> str:
    """A signed difference of a catalogue figure: percentage points for a share, euros for money."""
    if is_missing(delta):
        return missing(lang)
    if is_share(ind):
        return points(delta, lang, decimals=ind.decimals)
    if money_factor(ind):
        return money(_money_value(ind, float(delta)), lang, signed=True)  # type: ignore[arg-type]
    text = number(delta, lang, decimals=ind.decimals, signed=True)
    unit = ind.unit(lang)
    return f"{text} {unit}" if with_unit and unit else text


def tile_label(ind: Indicator, lang: str = "nl") -> str:
    """A figure's name where its values are shown bare (a big-number tile, a before → after table): its
    unit in brackets unless the name already says it ("Gemiddelde huishoudensgrootte (personen)", but
    "Aantal inwoners"); shares and money keep their sign in the value and need none."""
    label, unit = ind.label(lang), unit_text(ind, lang)
    if not unit or unit.startswith("%") or unit == "€" or unit.lower() in label.lower():
        return label
    return f"{label} ({unit})"


def _keeps_unit(ind: Indicator, lang: str) -> bool:
    unit = unit_text(ind, lang)
    return unit.startswith("%") or unit == "€"


def tile_value(ind: Indicator, value: float | None, lang: str = "nl") -> str:
    """The value under :func:`tile_label`: "70,2%" and "€ 206.000" keep their sign, "2.350" goes bare."""
    return indicator_value(ind, value, lang, with_unit=_keeps_unit(ind, lang))


def tile_change(ind: Indicator, delta: float | None, lang: str = "nl") -> str:
    """A change under :func:`tile_label`: "+8,4 procentpunt", "+€ 8.000", or a bare "+500"."""
    return indicator_change(ind, delta, lang, with_unit=_keeps_unit(ind, lang) or is_share(ind))


def axis_format(ind: Indicator) -> str:
    """A d3 number format for a chart axis of this indicator (grouping, the indicator's decimals)."""
    if money_factor(ind):
        return "$,.0f"  # the locale's currency (€) set by vega_locale; values must be in euros
    return f",.{ind.decimals}f"


def chart_value(ind: Indicator, value: float | None) -> float | None:
    """The value a chart should plot: euros for money published in thousands, else the value itself."""
    if is_missing(value):
        return None
    factor = money_factor(ind)
    return float(value) * factor if factor else float(value)  # type: ignore[arg-type]


# --- charts -----------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def vega_locale(lang: str = "nl") -> dict:
    """Number and time locale for Vega (d3-format / d3-time-format definitions), from Babel's data.

    Put it in a chart's config (``alt.Chart(...).configure(locale=vega_locale("nl"))``) so axes read
    "1.520" and "december" in Dutch.
    """
    loc = Locale.parse(_locale(lang))
    symbols = loc.number_symbols["latn"]
    number_locale = {
        "decimal": symbols["decimal"],
        "thousands": symbols["group"],
        "grouping": [3],
        "currency": ["€ ", ""] if lang == "nl" else ["€", ""],
        "minus": "-",
    }

    def names(table: dict) -> list[str]:
        return [table[i] for i in range(1, 13)]

    days_wide = loc.days["format"]["wide"]
    days_abbr = loc.days["format"]["abbreviated"]
    order = [6, 0, 1, 2, 3, 4, 5]  # d3 starts the week on Sunday, Babel on Monday (0)
    time_locale = {
        "dateTime": "%A %e %B %Y %X" if lang == "nl" else "%A, %e %B %Y %X",
        "date": "%d-%m-%Y" if lang == "nl" else "%d/%m/%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": [days_wide[i] for i in order],
        "shortDays": [days_abbr[i].rstrip(".") for i in order],
        "months": names(loc.months["format"]["wide"]),
        "shortMonths": [m.rstrip(".") for m in names(loc.months["format"]["abbreviated"])],
    }
    return {"number": number_locale, "time": time_locale}
