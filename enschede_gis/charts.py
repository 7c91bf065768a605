"""Altair charts for the pages: position bars, spread strips, trend lines, project timeline, votes.

Built here (not in the pages) so they can be checked without Streamlit: a test reads ``to_dict()``.
Every chart is finished by :func:`finish`, the one place that sets chart text sizes and the
Dutch/English number and date locale, so a chart reads the same on a laptop and on a projector.

Honest by construction: counts start their axis at zero, years sit at their true spacing (a missing
year is a gap, never a squeezed step), and long labels wrap instead of being cut off.
"""

from __future__ import annotations

import textwrap

import altair as alt
import numpy as np
import pandas as pd

from enschede_gis import formatting
from enschede_gis.indicators import Indicator
from enschede_gis.pdf import COLOURS

#: Bars are clipped here (in SDs) so one extreme buurt does not flatten all the others.
LIMIT_SD = 3.0
SIGNALS = ["more", "less", "average", "neutral"]

#: The smallest text in any chart, in CSS px: readable from the back of a room on a 1080p projector.
CHART_TEXT_PX = 18
#: Axis and legend titles, a step above the labels.
CHART_TITLE_PX = 20
#: Long axis labels wrap at this many characters (instead of being cut off with "…").
WRAP_CHARS = 34
#: Height of one wrapped label line, in px.
LINE_PX = CHART_TEXT_PX + 5
#: Near-black text on white: passes WCAG AA (and AAA) for all chart text.
TEXT_COLOUR = "#1a1a1a"
#: Kinds of figure whose axis must start at zero: a count that drops from 1,505 to 1,500 is not a crash.
ZERO_KINDS = {"count", "area"}

#: The Vega expression that turns a label with "\n" into lines (Vega draws a list of strings as lines).
_SPLIT_LINES = "split(datum.label, '\\n')"
#: Positive axis values with a "+" (SDs above the city), zero and negatives as they are.
_SIGNED = "datum.value > 0 ? '+' + datum.label : datum.label"


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def wrap(text: str, width: int = WRAP_CHARS) -> str:
    """A label broken into lines of at most ``width`` characters at spaces, joined by "\\n"."""
    return "\n".join(textwrap.wrap(str(text), width=width, break_long_words=False)) or str(text)


def _lines(labels: pd.Series) -> int:
    return int(labels.str.count("\n").max() + 1) if len(labels) else 1


def finish(chart: alt.TopLevelMixin, lang: str = "nl") -> alt.TopLevelMixin:
    """The chart with the app's text sizes, colours and number/date locale (one place for all charts)."""
    text = {"labelFontSize": CHART_TEXT_PX, "titleFontSize": CHART_TITLE_PX, "labelColor": TEXT_COLOUR}
    return (
        chart.configure(locale=formatting.vega_locale(lang), font="sans-serif")
        .configure_axis(**text, titleColor=TEXT_COLOUR, labelLimit=0, titleLimit=0)
        .configure_legend(**text, titleColor=TEXT_COLOUR, labelLimit=0, symbolSize=180)
        .configure_header(**text, titleColor=TEXT_COLOUR)
        .configure_text(fontSize=CHART_TEXT_PX, color=TEXT_COLOUR)
        .configure_title(fontSize=CHART_TITLE_PX, color=TEXT_COLOUR, anchor="start")
    )


def position_chart(position: pd.DataFrame, labels: dict[str, str], *, axis_title: str, lang: str = "nl") -> alt.Chart:
    """One compact bar per indicator: SDs from the city value, coloured only for conditions.

    ``labels`` maps the signal names (more, less, average, neutral) to legend text. Long indicator
    names wrap onto more lines instead of being cut off.
    """
    data = position[["label", "z", "signal", "text", "city_text", "rank", "ranked"]].copy()
    data["name"] = data["label"]
    data["label"] = data["label"].map(wrap)
    data["bar"] = data["z"].clip(-LIMIT_SD, LIMIT_SD)
    data["sd_text"] = [formatting.sd(z, lang) for z in data["z"]]
    data["legend"] = data["signal"].map(labels)
    data["rank_text"] = [
        "" if np.isnan(r) else f"{int(r)}/{int(n)}" for r, n in zip(data["rank"], data["ranked"], strict=True)
    ]
    colour = alt.Color(
        "legend:N",
        scale=alt.Scale(domain=[labels[s] for s in SIGNALS], range=[_hex(COLOURS[s]) for s in SIGNALS]),
        legend=alt.Legend(title=None, orient="top", columns=2),
    )
    chart = (
        alt.Chart(data)
        .mark_bar(height=14)
        .encode(
            y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelExpr=_SPLIT_LINES, labelOverlap=False)),
            x=alt.X(
                "bar:Q",
                title=axis_title,
                scale=alt.Scale(domain=[-LIMIT_SD, LIMIT_SD]),
                axis=alt.Axis(values=list(range(-3, 4)), format="d", labelExpr=_SIGNED),
            ),
            color=colour,
            tooltip=[
                alt.Tooltip("name:N", title=""),
                alt.Tooltip("text:N", title="●"),
                alt.Tooltip("city_text:N", title="="),
                alt.Tooltip("rank_text:N", title="#"),
                alt.Tooltip("sd_text:N", title="SD"),
            ],
        )
        .properties(height=alt.Step(LINE_PX * _lines(data["label"]) + 8))
    )
    return finish(chart, lang)


def spread_chart(spread: pd.DataFrame, *, value_title: str, indicator: Indicator | None = None, lang: str = "nl"):
    """The buurten of an area on one figure as dots, the area's own value as a line."""
    data = spread[["name", "value", "text", "stands_out", "area_value"]].copy()
    data["stands_out"] = data["stands_out"].astype(bool)
    data["label"] = data["name"].map(wrap)
    axis = alt.Axis(format=formatting.axis_format(indicator)) if indicator is not None else alt.Axis()
    if indicator is not None and formatting.money_factor(indicator):
        data["value"] = [formatting.chart_value(indicator, v) for v in data["value"]]
        data["area_value"] = [formatting.chart_value(indicator, v) for v in data["area_value"]]
    zero = indicator is not None and indicator.kind in ZERO_KINDS
    dots = (
        alt.Chart(data)
        .mark_circle(size=180, opacity=0.85)
        .encode(
            x=alt.X("value:Q", title=value_title, scale=alt.Scale(zero=zero), axis=axis),
            y=alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelExpr=_SPLIT_LINES, labelOverlap=False)),
            color=alt.condition("datum.stands_out", alt.value(_hex(COLOURS["more"])), alt.value("#555555")),
            tooltip=[alt.Tooltip("name:N", title=""), alt.Tooltip("text:N", title="●")],
        )
    )
    line = alt.Chart(data.head(1)).mark_rule(strokeDash=[4, 3], color="black").encode(x="area_value:Q")
    return finish((dots + line).properties(height=alt.Step(LINE_PX * _lines(data["label"]) + 6)), lang)


def trend_segments(years: pd.Series) -> pd.Series:
    """A segment number per row: a new segment starts after a missing year, so the line breaks there."""
    ordered = years.astype(int)
    gaps = ordered.diff().fillna(1) > 1
    return gaps.cumsum()


def trend_chart(trend: pd.DataFrame, *, year_title: str, indicator: Indicator | None = None, lang: str = "nl"):
    """Lines per indicator over the years the data has; points mark the years with a value.

    Years sit on a number axis at their true spacing and a missing year breaks the line (it is not
    drawn through). Counts start at zero. Money published in thousands is plotted in euros.
    """
    data = trend.sort_values(["indicator", "year"]).copy()
    data["year"] = data["year"].astype(int)
    data["segment"] = data.groupby("indicator", group_keys=False)["year"].apply(trend_segments)
    zero = indicator is not None and indicator.kind in ZERO_KINDS
    y_axis = alt.Axis(format=formatting.axis_format(indicator)) if indicator is not None else alt.Axis()
    if indicator is not None and formatting.money_factor(indicator):
        data["value"] = [formatting.chart_value(indicator, v) for v in data["value"]]
    years = sorted(data["year"].unique().tolist())
    x = alt.X(
        "year:Q",
        title=year_title,
        scale=alt.Scale(domain=[min(years, default=0) - 0.3, max(years, default=0) + 0.3], nice=False, zero=False),
        axis=alt.Axis(values=years, format="d", labelAngle=0, grid=False),
    )
    base = alt.Chart(data).encode(
        x=x,
        y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=zero), axis=y_axis),
        color=alt.Color("label:N", legend=alt.Legend(title=None, orient="bottom")),
    )
    lines = base.mark_line(strokeWidth=3).encode(detail="segment:N")
    points = base.mark_point(filled=True, size=120).encode(
        tooltip=[
            alt.Tooltip("label:N", title=""),
            alt.Tooltip("year:Q", title="", format="d"),
            alt.Tooltip("text:N", title=""),
        ]
    )
    return finish((lines + points).properties(height=300), lang)


def timeline_chart(frame: pd.DataFrame, *, domain_title: str, tooltip_titles: dict[str, str], lang: str = "nl"):
    """Projects as bars over time (``start``, ``end``, ``title``, ``domein``, ``conflict``, ``conflict_text``,
    ``responsible``); clashing projects get a black outline. The time axis reads "dec 2026" in Dutch."""
    data = frame.copy()
    data["label"] = data["title"].map(wrap)
    data["period"] = [
        formatting.date_range(s.date(), e.date(), lang) for s, e in zip(data["start"], data["end"], strict=True)
    ]
    chart = (
        alt.Chart(data)
        .mark_bar(cornerRadius=3, height=20)
        .encode(
            x=alt.X("start:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, labelOverlap="greedy")),
            x2="end:T",
            y=alt.Y("label:N", sort=alt.EncodingSortField("start"), title=None, axis=alt.Axis(labelExpr=_SPLIT_LINES)),
            color=alt.Color("domein:N", title=domain_title),
            stroke=alt.condition("datum.conflict", alt.value("#000000"), alt.value(None)),
            strokeWidth=alt.condition("datum.conflict", alt.value(2.5), alt.value(0)),
            tooltip=[
                alt.Tooltip("title:N", title=tooltip_titles.get("title", "")),
                alt.Tooltip("responsible:N", title=tooltip_titles.get("responsible", "")),
                alt.Tooltip("period:N", title=tooltip_titles.get("period", "")),
                alt.Tooltip("conflict_text:N", title=tooltip_titles.get("conflict", "")),
            ],
        )
        .properties(height=alt.Step(LINE_PX * _lines(data["label"]) + 12))
    )
    return finish(chart, lang)


def count_bars(counts: pd.Series, *, count_title: str, lang: str = "nl") -> alt.Chart:
    """Horizontal bars of counts (e.g. votes per priority), from zero, whole numbers on the axis."""
    data = pd.DataFrame({"name": counts.index.astype(str), "count": counts.to_numpy()})
    data["label"] = data["name"].map(wrap)
    chart = (
        alt.Chart(data)
        .mark_bar(color=_hex(COLOURS["less"]))
        .encode(
            x=alt.X("count:Q", title=count_title, scale=alt.Scale(zero=True), axis=alt.Axis(format="d", tickMinStep=1)),
            y=alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelExpr=_SPLIT_LINES)),
            tooltip=[alt.Tooltip("name:N", title=""), alt.Tooltip("count:Q", title=count_title)],
        )
        .properties(height=alt.Step(LINE_PX * _lines(data["label"]) + 12))
    )
    return finish(chart, lang)
