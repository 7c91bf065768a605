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
st.markdown(f"**{ui.t('app.attribution')}**")
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
years = sorted(settings.KWB_TABLES)
with st.form("gegevens_refresh"):
    code = st.text_input(ui.t("gegevens.refresh_gemeente"), value=gemeente, max_chars=6)
    first, last = st.select_slider(ui.t("gegevens.refresh_years"), options=years, value=(2024, 2024))
    submitted = st.form_submit_button(ui.t("gegevens.refresh_submit"))
if submitted:
    bar = st.progress(0.0, text=ui.t("gegevens.refreshing"))

    def _progress(done: int, total: int, year: int | None) -> None:
        text = ui.t("gegevens.refresh_step", year=year) if year is not None else ui.t("gegevens.refresh_finished")
        bar.progress(done / total if total else 1.0, text=f"{text} ({done}/{total})")

    with ui.user_errors():
        result = refresh.run_years(code, range(first, last + 1), settings.DATA_DIR, progress=_progress)
    st.cache_resource.clear()  # the next run loads the new snapshot
    st.cache_data.clear()
    st.success(
        ui.t(
            "gegevens.refresh_done_years",
            years=", ".join(str(y) for y in result.fetched),
            boundary_year=result.boundary_year,
            buurten=result.areas.get("buurt", 0),
            gemeente=result.gemeente,
        )
        + "\n\n"
        + "\n".join(f"- {_md(r.text(lang))}" for r in result.reports if r.ok)
    )
    for report in result.reports:
        if not report.ok:
            st.warning(ui.t("gegevens.refresh_year_failed", report=_md(report.text(lang))))
