"""Altair charts for the profile pages: position bars, spread strips, trend lines.

Built here (not in the pages) so they can be checked without Streamlit: a test reads ``to_dict()``.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from enschede_gis.pdf import COLOURS

#: Bars are clipped here (in SDs) so one extreme buurt does not flatten all the others.
LIMIT_SD = 3.0
SIGNALS = ["more", "less", "average", "neutral"]


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def position_chart(position: pd.DataFrame, labels: dict[str, str], *, axis_title: str) -> alt.Chart:
    """One compact bar per indicator: SDs from the city value, coloured only for conditions.

    ``labels`` maps the signal names (more, less, average, neutral) to legend text.
    """
    data = position[["label", "z", "signal", "text", "city_text", "rank", "ranked"]].copy()
    data["bar"] = data["z"].clip(-LIMIT_SD, LIMIT_SD)
    data["legend"] = data["signal"].map(labels)
    data["rank_text"] = [
        "" if np.isnan(r) else f"{int(r)}/{int(n)}" for r, n in zip(data["rank"], data["ranked"], strict=True)
    ]
    colour = alt.Color(
        "legend:N",
        scale=alt.Scale(domain=[labels[s] for s in SIGNALS], range=[_hex(COLOURS[s]) for s in SIGNALS]),
        legend=alt.Legend(title=None, orient="top", columns=2, labelLimit=300),
    )
    return (
        alt.Chart(data)
        .mark_bar(height=10)
        .encode(
            y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=320, labelOverlap=False)),
            x=alt.X("bar:Q", title=axis_title, scale=alt.Scale(domain=[-LIMIT_SD, LIMIT_SD])),
            color=colour,
            tooltip=[
                alt.Tooltip("label:N", title=""),
                alt.Tooltip("text:N", title="●"),
                alt.Tooltip("city_text:N", title="="),
                alt.Tooltip("rank_text:N", title="#"),
                alt.Tooltip("z:Q", format="+.2f", title="SD"),
            ],
        )
        .properties(height=alt.Step(20))
    )


def spread_chart(spread: pd.DataFrame, *, value_title: str) -> alt.Chart:
    """The buurten of an area on one figure as dots, the area's own value as a line."""
    data = spread[["name", "value", "text", "stands_out", "area_value"]].copy()
    data["stands_out"] = data["stands_out"].astype(bool)
    dots = (
        alt.Chart(data)
        .mark_circle(size=140, opacity=0.85)
        .encode(
            x=alt.X("value:Q", title=value_title, scale=alt.Scale(zero=False)),
            y=alt.Y("name:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260, labelOverlap=False)),
            color=alt.condition("datum.stands_out", alt.value(_hex(COLOURS["more"])), alt.value("#555555")),
            tooltip=[alt.Tooltip("name:N", title=""), alt.Tooltip("text:N", title="●")],
        )
    )
    line = alt.Chart(data.head(1)).mark_rule(strokeDash=[4, 3], color="black").encode(x="area_value:Q")
    return (dots + line).properties(height=alt.Step(22))


def trend_chart(trend: pd.DataFrame, *, year_title: str) -> alt.Chart:
    """Lines per indicator over the years the data has (points mark the years with a value)."""
    return (
        alt.Chart(trend)
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=year_title),
            y=alt.Y("value:Q", title=None, scale=alt.Scale(zero=False)),
            color=alt.Color("label:N", legend=alt.Legend(title=None, orient="bottom", labelLimit=400)),
            tooltip=[
                alt.Tooltip("label:N", title=""),
                alt.Tooltip("year:O", title=""),
                alt.Tooltip("text:N", title=""),
            ],
        )
        .properties(height=260)
    )
