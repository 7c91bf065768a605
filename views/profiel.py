"""The area profile ("wijkpaspoort"): key figures, position in the city, spread, similar buurten, trends."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

import app_state as ui
from enschede_gis import charts, export, figures, formatting, profile, provenance, staticmap
from enschede_gis.profile import Area


@st.cache_data(show_spinner=False, max_entries=64)
def _key_figures(
    _snap, _catalogue, area: Area, year: int | str, lang: str, version: str, gemeente: str
) -> pd.DataFrame:
    return profile.key_figures(_snap, _catalogue, area, year=year, lang=lang, gemeente=gemeente)


@st.cache_data(show_spinner=False, max_entries=64)
def _position(_snap, _catalogue, area: Area, year: int | str, lang: str, version: str, gemeente: str) -> pd.DataFrame:
    return profile.position(_snap, _catalogue, area, year=year, lang=lang, gemeente=gemeente)


@st.cache_data(show_spinner=False, max_entries=64)
def _spread(_snap, _catalogue, area: Area, year: int | str, lang: str, version: str, gemeente: str) -> pd.DataFrame:
    return profile.spread(_snap, _catalogue, area, year=year, lang=lang, gemeente=gemeente)


@st.cache_data(show_spinner=False, max_entries=64)
def _trends(_snap, _catalogue, area: Area, lang: str, version: str, gemeente: str) -> pd.DataFrame:
    return profile.trends(_snap, _catalogue, area, lang=lang, gemeente=gemeente)


@st.cache_data(show_spinner=False, max_entries=64)
def _map(_snap, codes: tuple[str, ...], gemeente: str) -> bytes:
    return staticmap.area_map(_snap, codes, gemeente=gemeente, size_in=4, dpi=90)


def _figures_tab(table: pd.DataFrame) -> None:
    st.caption(ui.t("profiel.figures_caption"))
    if table.empty:
        st.info(ui.t("export.no_figures"))
        return
    ui.explain_picker([catalogue[k] for k in table["indicator"]], key="profiel_explain_figures")
    refs = [name for name in profile.reference_names(table) if name != area.label]
    columns = {
        "label": ui.t("common.indicator"),
        "text": area.label,
        **{f"{name} (tekst)": name for name in refs},
        "year": ui.t("common.year"),
        "source": ui.t("common.source"),
    }
    for theme_label, part in table.groupby("theme_label", sort=False):
        st.markdown(f"**{ui.escape(theme_label)}**")
        st.dataframe(part[list(columns)].rename(columns=columns), hide_index=True, width="stretch")


def _position_tab(position: pd.DataFrame) -> None:
    if position.empty:
        st.info(ui.t("export.no_figures"))
        return
    city = snap.names().get(ui.gemeente(), ui.gemeente())
    st.caption(ui.t("profiel.position_caption", city=city, count=int(position["ranked"].max())))
    ui.explain_picker([catalogue[k] for k in position["indicator"]], key="profiel_explain_position")
    labels = {s: ui.t(f"profiel.signal.{s}") for s in charts.SIGNALS}
    chart = charts.position_chart(position, labels, axis_title=ui.t("profiel.position_axis"), lang=ui.lang())
    st.altair_chart(chart, width="stretch")
    shown = pd.DataFrame(
        {
            ui.t("common.indicator"): position["label"],
            area.label: position["text"],
            ui.t("profiel.col_city"): position["city_text"],
            ui.t("profiel.col_rank"): [
                "" if pd.isna(r) else f"{int(r)}/{int(n)}"
                for r, n in zip(position["rank"], position["ranked"], strict=True)
            ],
            ui.t("profiel.col_sd"): [formatting.sd(z, ui.lang()) for z in position["z"]],
            ui.t("common.year"): position["year"].astype(str),
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")


def _spread_tab(spread: pd.DataFrame) -> None:
    if len(area.codes) < 2 or spread.empty:
        st.info(ui.t("profiel.spread_single"))
        return
    options = list(dict.fromkeys(spread["indicator"]))
    labels = dict(zip(spread["indicator"], spread["label"], strict=False))
    key = st.selectbox(ui.t("profiel.spread_indicator"), options, format_func=labels.get, key="profiel_spread")
    part = spread[spread["indicator"] == key]
    st.altair_chart(
        charts.spread_chart(part, value_title=labels[key], indicator=catalogue[key], lang=ui.lang()), width="stretch"
    )
    st.caption(ui.t("profiel.spread_caption") + " " + ui.t("profiel.similar_year", year=int(part["year"].iloc[0])))
    st.markdown(f"**{ui.t('profiel.standouts')}**")
    out = spread[spread["stands_out"].astype(bool)]
    if out.empty:
        st.info(ui.t("profiel.no_standouts"))
        return
    st.dataframe(
        pd.DataFrame(
            {
                ui.t("export.col_buurt"): out["name"],
                ui.t("common.indicator"): out["label"],
                ui.t("common.value"): out["text"],
                ui.t("export.col_sd"): out["distance_sd"].round(1),
            }
        ),
        hide_index=True,
        width="stretch",
    )


def _similar_tab() -> None:
    cross = profile.cross_section_year(snap, year)
    table = figures.buurt_table(snap, year=cross, gemeente=ui.gemeente())
    defaults = profile.default_similarity(table, catalogue)
    options = [k for k in table.columns if k in catalogue and catalogue[k].kind in profile.COMPARABLE_KINDS]
    chosen = st.multiselect(
        ui.t("profiel.similar_indicators"),
        options,
        default=[k for k in defaults if k in options],
        format_func=lambda k: catalogue[k].label(ui.lang()),
        key="profiel_similar",
        placeholder=ui.choose(),
    )
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
    st.dataframe(
        pd.DataFrame(
            {
                ui.t("export.col_buurt"): found["name"],
                ui.t("profiel.col_distance"): found["distance"].round(2),
                ui.t("profiel.col_shared"): found["shared"],
                ui.t("profiel.col_alike"): found["alike_text"],
                ui.t("profiel.col_differ"): found["differ_text"],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def _trends_tab(trend: pd.DataFrame) -> None:
    st.caption(ui.t("profiel.trend_boundaries"))
    if trend.empty:
        st.info(ui.t("profiel.no_trends"))
        return
    labels = dict(zip(trend["indicator"], trend["label"], strict=False))
    options = list(labels)
    preferred = next((k for k in export.TREND_DEFAULTS if k in options), options[0])
    key = st.selectbox(
        ui.t("profiel.spread_indicator"),
        options,
        index=options.index(preferred),
        format_func=labels.get,
        key="profiel_trend",
    )
    st.altair_chart(
        charts.trend_chart(
            trend[trend["indicator"] == key], year_title=ui.t("common.year"), indicator=catalogue[key], lang=ui.lang()
        ),
        width="stretch",
    )
    for note in profile.trend_notes(trend):
        st.warning(ui.t(note))
    wide = trend.pivot_table(index="label", columns="year", values="text", aggfunc="first", sort=False)
    wide.columns = [str(c) for c in wide.columns]
    st.dataframe(wide.fillna(ui.t("app.missing")), width="stretch")


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
    index=ui.url_index("jaar", year_options, label=lambda y: ui.t("profiel.latest") if profile.is_latest(y) else y),
    format_func=lambda y: ui.t("profiel.latest") if profile.is_latest(y) else str(y),
    help=ui.t("profiel.latest_help"),
    key="profiel_year",
)
ui.set_params(gebied=area_key, jaar=None if profile.is_latest(year) else year)

with ui.user_errors():
    table = _key_figures(snap, catalogue, area, year, ui.lang(), version, ui.gemeente())

head, picture = st.columns([3, 2])
with head:
    st.header(ui.escape(area.label), anchor=False)
    kind = ui.t(f"level.{area.kind}")
    if profile.is_latest(year) and not table.empty:
        first, last = int(table["year"].min()), int(table["year"].max())
        st.caption(ui.t("profiel.summary_latest", kind=kind, count=len(area.codes), first=first, last=last))
    else:
        st.caption(ui.t("profiel.summary", kind=kind, count=len(area.codes), year=year))
    st.markdown(f"**{ui.t('profiel.downloads')}**")
    slug = "".join(c if c.isalnum() else "_" for c in area.label)[:40]
    file_year = ui.t("profiel.latest_file") if profile.is_latest(year) else year
    st.download_button(
        ui.t("profiel.download_pdf"),
        data=partial(export.profile_pdf, snap, catalogue, area, year=year, lang=ui.lang(), gemeente=ui.gemeente()),
        file_name=f"wijkpaspoort_{slug}_{file_year}.pdf",
        mime="application/pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        key="profiel_pdf",
    )
    st.download_button(
        ui.t("plain.download_full_pdf"),
        data=partial(
            export.profile_pdf, snap, catalogue, area, year=year, lang=ui.lang(), gemeente=ui.gemeente(), full=True
        ),
        file_name=f"wijkpaspoort_volledig_{slug}_{file_year}.pdf",
        mime="application/pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        key="profiel_pdf_full",
    )
    download_table = export.profile_table(table, ui.lang())
    st.download_button(
        ui.t("profiel.download_csv"),
        data=export.to_csv(download_table, ui.lang()),
        file_name=f"wijkpaspoort_{slug}_{file_year}.csv",
        mime="text/csv",
        on_click="ignore",
        key="profiel_csv",
    )
    st.download_button(
        ui.t("profiel.download_excel"),
        data=export.profile_excel(table, snap, catalogue, ui.lang()),
        file_name=f"wijkpaspoort_{slug}_{file_year}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        key="profiel_excel",
    )
with picture:
    st.image(_map(snap, area.codes, ui.gemeente()), caption=ui.t("profiel.map_caption"), width=300)

tabs = st.tabs(
    [
        ui.t("profiel.tab_figures"),
        ui.t("profiel.tab_position"),
        ui.t("profiel.tab_spread"),
        ui.t("profiel.tab_similar"),
        ui.t("profiel.tab_trends"),
    ]
)
with tabs[0]:
    _figures_tab(table)
    _after_refresh(provenance.not_held(snap.statistics, catalogue, ui.lang()))
with tabs[1]:
    _position_tab(_position(snap, catalogue, area, year, ui.lang(), version, ui.gemeente()))
with tabs[2]:
    _spread_tab(_spread(snap, catalogue, area, year, ui.lang(), version, ui.gemeente()))
with tabs[3]:
    _similar_tab()
with tabs[4]:
    _trends_tab(_trends(snap, catalogue, area, ui.lang(), version, ui.gemeente()))
