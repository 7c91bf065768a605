"""The area profile ("wijkpaspoort"): key figures, position in the city, spread, similar buurten, trends.

Only the open tab is computed, and a download is built when its button is clicked: the first screen
shows the key figures without waiting for the rest.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

import app_state as ui
from enschede_gis import charts, export, figures, profile, provenance, staticmap
from enschede_gis import profile_view as view
from enschede_gis.profile import Area


@st.cache_data(show_spinner=False, max_entries=256)
def _figures(part: str, _snap, _catalogue, area: Area, year: int | str, lang: str, version: str, gemeente: str):
    """``profile.<part>`` (key_figures, position, spread or trends) of an area, per input and data version."""
    by_year = {} if part == "trends" else {"year": year}  # trends span every year
    return getattr(profile, part)(_snap, _catalogue, area, lang=lang, gemeente=gemeente, **by_year)


@st.cache_data(show_spinner=False, max_entries=8)
def _not_held(_snap, _catalogue, lang: str, version: str, catalogue_keys: tuple[str, ...]) -> dict[str, list[str]]:
    return provenance.not_held(_snap.statistics, _catalogue, lang)  # a pass over every figure: once


@st.cache_data(show_spinner=False, max_entries=64)
def _map(_snap, codes: tuple[str, ...], gemeente: str) -> bytes:
    return staticmap.area_map(_snap, codes, gemeente=gemeente, size_in=4, dpi=90)


def _figures_tab(table: pd.DataFrame, area: Area) -> None:
    st.caption(ui.t("profiel.figures_caption"))
    if table.empty:
        st.info(ui.t("export.no_figures"))
        return
    ui.explain_picker([catalogue[k] for k in table["indicator"]], key="profiel_explain_figures")
    # Plain Markdown tables (one per theme), not data grids or st.table: they are drawn with the page,
    # not after the browser has loaded Arrow code (first figure 1.3 s instead of 2.1 s). On a narrow
    # screen a table scrolls sideways in its own box, rather than wrapping the source a word per line.
    for theme_label, part in view.figure_tables(table, area.label, ui.lang()):
        st.markdown(f"**{ui.escape(theme_label)}**")
        ui.scroll_table(part, theme_label)
    _after_refresh(_not_held(snap, catalogue, ui.lang(), version, tuple(catalogue.indicators)))


def _position_tab(position: pd.DataFrame, area: Area) -> None:
    if position.empty:
        st.info(ui.t("export.no_figures"))
        return
    city = snap.names().get(ui.gemeente(), ui.gemeente())
    st.caption(ui.t("profiel.position_caption", city=city, count=int(position["ranked"].max())))
    ui.explain_picker([catalogue[k] for k in position["indicator"]], key="profiel_explain_position")
    labels = {s: ui.t(f"profiel.signal.{s}") for s in charts.SIGNALS}
    chart = charts.position_chart(position, labels, axis_title=ui.t("profiel.position_axis"), lang=ui.lang())
    st.altair_chart(chart, width="stretch")
    st.dataframe(view.position_table(position, area.label, ui.lang()), hide_index=True, width="stretch")


def _spread_tab(spread: pd.DataFrame, area: Area) -> None:
    if len(area.codes) < 2 or spread.empty:
        st.info(ui.t("profiel.spread_single"))
        return
    options = list(dict.fromkeys(spread["indicator"]))
    labels = dict(zip(spread["indicator"], spread["label"], strict=False))
    key = st.selectbox(
        ui.t("profiel.spread_indicator"),
        options,
        index=ui.choice_index(options, ui.remembered("profiel_spread")),
        format_func=labels.get,
        key="profiel_spread",
    )
    ui.remember("profiel_spread", key)
    part = spread[spread["indicator"] == key]
    st.altair_chart(
        charts.spread_chart(part, value_title=labels[key], indicator=catalogue[key], lang=ui.lang()), width="stretch"
    )
    st.caption(ui.t("profiel.spread_caption") + " " + ui.t("profiel.similar_year", year=int(part["year"].iloc[0])))
    st.markdown(f"**{ui.t('profiel.standouts')}**")
    out = view.standouts(spread, ui.lang())
    if out.empty:
        st.info(ui.t("profiel.no_standouts"))
        return
    st.dataframe(out, hide_index=True, width="stretch")


def _similar_tab(area: Area, year: int | str) -> None:
    cross = profile.cross_section_year(snap, year)
    buurten = figures.buurt_table(snap, year=cross, gemeente=ui.gemeente())
    options, defaults = view.similarity_choices(buurten, catalogue)
    last = ui.remembered("profiel_similar")
    chosen = st.multiselect(
        ui.t("profiel.similar_indicators"),
        options,
        default=defaults if last is None else [k for k in last if k in options],
        format_func=lambda k: catalogue[k].label(ui.lang()),
        key="profiel_similar",
        placeholder=ui.choose(),
    )
    ui.remember("profiel_similar", chosen)
    if not chosen:
        st.info(ui.t("profiel.no_similar"))
        return
    with ui.user_errors():
        found = profile.similar_for_area(
            snap, catalogue, area, year=cross, indicators=chosen, lang=ui.lang(), gemeente=ui.gemeente()
        )
    st.caption(ui.t("profiel.similar_caption") + " " + ui.t("profiel.similar_year", year=cross))
    if found.empty:
        st.info(ui.t("profiel.no_similar"))
        return
    st.dataframe(view.similar_table(found, ui.lang()), hide_index=True, width="stretch")


def _trends_tab(trend: pd.DataFrame) -> None:
    st.caption(ui.t("profiel.trend_boundaries"))
    if trend.empty:
        st.info(ui.t("profiel.no_trends"))
        return
    labels = dict(zip(trend["indicator"], trend["label"], strict=False))
    options = list(labels)
    last = ui.remembered("profiel_trend")
    key = st.selectbox(
        ui.t("profiel.spread_indicator"),
        options,
        index=options.index(last if last in options else view.default_trend(options)),
        format_func=labels.get,
        key="profiel_trend",
    )
    ui.remember("profiel_trend", key)
    st.altair_chart(
        charts.trend_chart(
            trend[trend["indicator"] == key], year_title=ui.t("common.year"), indicator=catalogue[key], lang=ui.lang()
        ),
        width="stretch",
    )
    for note in profile.trend_notes(trend):
        st.warning(ui.t(note))
    st.dataframe(view.trend_table(trend, ui.lang()), width="stretch")


@st.fragment
def _tabs(area: Area, year: int | str, table: pd.DataFrame) -> None:
    """The five tabs; only the open one is computed, and choosing a tab reruns only this part."""
    tabs = ui.tabs(list(view.TABS), key="profiel_tab")
    args = (snap, catalogue, area)
    if tabs[0].open:
        with tabs[0]:
            _figures_tab(table, area)
    if tabs[1].open:
        with tabs[1]:
            _position_tab(_figures("position", *args, year, ui.lang(), version, ui.gemeente()), area)
    if tabs[2].open:
        with tabs[2]:
            _spread_tab(_figures("spread", *args, year, ui.lang(), version, ui.gemeente()), area)
    if tabs[3].open:
        with tabs[3]:
            _similar_tab(area, year)
    if tabs[4].open:
        with tabs[4]:
            _trends_tab(_figures("trends", *args, None, ui.lang(), version, ui.gemeente()))


def _downloads(area: Area, year: int | str, table: pd.DataFrame) -> None:
    """The profile as PDF (handout and full), CSV and Excel: each file is built when its button is clicked."""
    st.markdown(f"**{ui.t('profiel.downloads')}**")
    files = view.downloads(area.label, year, ui.lang())
    pdf = partial(export.profile_pdf, snap, catalogue, area, year=year, lang=ui.lang(), gemeente=ui.gemeente())
    pdf_icon = ":material/picture_as_pdf:"
    for kind, label, data, icon in (
        ("pdf", "profiel.download_pdf", pdf, pdf_icon),
        ("pdf_full", "plain.download_full_pdf", partial(pdf, full=True), pdf_icon),
        ("csv", "profiel.download_csv", partial(export.profile_csv, table, ui.lang()), None),
        ("excel", "profiel.download_excel", partial(export.profile_excel, table, snap, catalogue, ui.lang()), None),
    ):
        name, mime = files[kind]
        st.download_button(
            ui.t(label), data=data, file_name=name, mime=mime, on_click="ignore", icon=icon, key=f"profiel_{kind}"
        )


def _after_refresh(missing: dict[str, list[str]]) -> None:
    """The catalogue's figures the offline snapshot does not hold: listed, not hidden."""
    count = sum(len(labels) for labels in missing.values())
    if not count:
        return
    with st.expander(ui.t("profiel.after_refresh", count=count)):
        st.caption(ui.t("profiel.after_refresh_caption"))
        for theme, labels in missing.items():
            st.markdown(f"**{ui.escape(theme)}:** " + ", ".join(ui.escape(label) for label in labels))


# -- the page ---------------------------------------------------------------------------------------

st.title(ui.t("profiel.title"))
st.caption(ui.t("profiel.intro"))

snap = ui.data()
catalogue = ui.catalogue()
version = ui.data_version()
with ui.user_errors():
    areas = ui.selectable_areas()
keys = [a.key for a in areas]
by_key = {a.key: a for a in areas}

left, right = st.columns([3, 1])
area_key = left.selectbox(
    ui.t("profiel.area"),
    keys,
    index=ui.url_index("gebied", keys, default=ui.choice_index(keys, ui.gemeente()), label=ui.area_labeller(by_key)),
    format_func=ui.area_labeller(by_key),
    key="profiel_area",
)
area = by_key[area_key]
years = profile.area_years(snap, area)
year_options = [profile.LATEST, *reversed(years)]
year = right.selectbox(
    ui.t("profiel.year"),
    year_options,
    index=ui.url_index("jaar", year_options, label=partial(view.year_label, lang=ui.lang())),
    format_func=partial(view.year_label, lang=ui.lang()),
    help=ui.t("profiel.latest_help"),
    key="profiel_year",
)
ui.set_params(gebied=area_key, jaar=None if profile.is_latest(year) else year)

with ui.user_errors():
    table = _figures("key_figures", snap, catalogue, area, year, ui.lang(), version, ui.gemeente())

head, picture = st.columns([3, 2])
with head:
    st.header(ui.escape(area.label), anchor=False)
    kind = ui.t(f"level.{area.kind}")
    if profile.is_latest(year) and not table.empty:
        first, last = int(table["year"].min()), int(table["year"].max())
        st.caption(ui.t("profiel.summary_latest", kind=kind, count=len(area.codes), first=first, last=last))
    else:
        st.caption(ui.t("profiel.summary", kind=kind, count=len(area.codes), year=year))
    _downloads(area, year, table)
with picture:
    caption = ui.t("profiel.map_caption")
    st.image(_map(snap, area.codes, ui.gemeente()), caption=caption, width=300, alt=f"{area.label}: {caption}")

_tabs(area, year, table)
