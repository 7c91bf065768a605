"""Data and sources: the credit, what the snapshot holds, where each figure came from, and a refresh."""

from __future__ import annotations

import re

import streamlit as st

import app_state as ui
from enschede_gis import provenance, refresh, settings
from enschede_gis.statistics import LEVELS


def _md(text: object) -> str:
    """Text from data (names, sources) made inert for Streamlit markdown."""
    return re.sub(r"([\\`*_{}\[\]<>#~$|:])", r"\\\1", str(text))


lang, gemeente = ui.lang(), ui.gemeente()
snap = ui.data()
facts = provenance.summary(snap, gemeente)

st.title(ui.t("gegevens.title"))
st.markdown(f"**{settings.ATTRIBUTION}**")
st.write(ui.t("gegevens.intro"))

years_held = ", ".join(str(y) for y in facts["years"]) or "—"
st.markdown(
    "\n".join(
        [
            f"- **{ui.t('gegevens.created')}:** {_md(facts['created'] or '?')}",
            f"- **{ui.t('gegevens.years')}:** {years_held}",
            f"- **{ui.t('gegevens.areas')}:** {ui.t('gegevens.areas_value', **facts['areas'])}",
            f"- **{ui.t('gegevens.boundary_year')}:** {_md(facts['boundary_year'] or '?')}",
        ]
    )
)
if facts["boundary_note"]:
    st.caption(_md(facts["boundary_note"]))

st.subheader(ui.t("gegevens.sources_heading"))
sources = provenance.sources_by_year(snap.statistics, gemeente)
if sources.empty:
    st.info(ui.t("gegevens.no_data", gemeente=_md(gemeente)))
else:
    st.caption(ui.t("gegevens.sources_caption", gemeente=_md(gemeente)))
    sources["level"] = sources["level"].map(ui.labeller("level"))
    names = ["common.year", "common.level", "common.source", "gegevens.figures", "gegevens.missing"]
    sources.columns = [ui.t(name) for name in names]
    st.dataframe(sources, hide_index=True, width="stretch")

st.subheader(ui.t("gegevens.coverage_heading"))
st.caption(ui.t("gegevens.coverage_caption"))
table = provenance.coverage(snap.statistics, ui.catalogue(), gemeente, lang).drop(columns="indicator")
table.columns = [
    ui.t("common.indicator"),
    ui.t("gegevens.theme"),
    *(ui.t(f"level.{level}") for level in LEVELS),
    ui.t("gegevens.tables"),
]
st.dataframe(table, hide_index=True, width="stretch")

if facts["refreshes"]:
    st.subheader(ui.t("gegevens.refreshes_heading"))
    st.dataframe(facts["refreshes"], hide_index=True, width="stretch")

with st.expander(ui.t("gegevens.provenance")):
    text = provenance.provenance_text(settings.DATA_DIR)
    if text:
        st.markdown(text)
    else:
        st.info(ui.t("gegevens.no_provenance"))

st.subheader(ui.t("gegevens.refresh_heading"))
st.caption(ui.t("gegevens.refresh_caption"))
years = sorted(settings.KWB_TABLES, reverse=True)
with st.form("gegevens_refresh"):
    code = st.text_input(ui.t("gegevens.refresh_gemeente"), value=gemeente, max_chars=6)
    year = st.selectbox(ui.t("gegevens.refresh_year"), years, index=ui.choice_index(years, 2024))
    submitted = st.form_submit_button(ui.t("gegevens.refresh_submit"))
if submitted:
    with ui.user_errors(), st.spinner(ui.t("gegevens.refreshing")):
        result = refresh.run(code, year, settings.DATA_DIR)
    st.cache_resource.clear()  # the next run loads the new snapshot
    st.cache_data.clear()
    st.success(
        ui.t(
            "gegevens.refresh_done",
            figures=result.figures,
            table=result.table,
            year=result.year,
            boundary_year=result.boundary_year,
            buurten=result.areas.get("buurt", 0),
            gemeente=result.gemeente,
        )
    )
