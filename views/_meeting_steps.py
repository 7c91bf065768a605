"""Meeting mode's projector steps: the agenda bar, each agenda step as the room sees it, the step
buttons and the session report.

Not a page (not in ``app_state.PAGES``): ``views/bijeenkomst.py`` calls :func:`present_step`. What is
shown (figures, tables, the maps' views) is decided in :mod:`enschede_gis.session_report`; this module
only lays it out. ``save(meeting, **changes)`` is the page's save (it checks the version it loaded).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

import app_state as ui
from enschede_gis import charts, db, meetings, session_report, webmap
from enschede_gis import scenarios as sc
from views import _meeting_live as live

Save = Callable[..., meetings.Meeting]


def agenda_bar(meeting: meetings.Meeting) -> None:
    parts = []
    for number, item in enumerate(meetings.AGENDA, start=1):
        text = f"{number}. {ui.t(f'bijeenkomst.step.{item}')}"
        parts.append(f"<b>{text}</b>" if number - 1 == meeting.step else text)
    st.markdown(f'<div class="wb-agenda">{" &nbsp;·&nbsp; ".join(parts)}</div>', unsafe_allow_html=True)


def step_buttons(meeting: meetings.Meeting, save: Save) -> None:
    cols = st.columns([1.3, 1.3, 3])
    if cols[0].button(ui.t("bijeenkomst.prev"), disabled=meeting.step == 0, key="bijeenkomst_prev", width="stretch"):
        save(meeting, step=meeting.step - 1)
        st.rerun()
    last = len(meetings.AGENDA) - 1
    if cols[1].button(
        ui.t("bijeenkomst.next"), disabled=meeting.step == last, type="primary", key="bijeenkomst_next", width="stretch"
    ):
        save(meeting, step=meeting.step + 1)
        st.rerun()


def _frame(meeting: meetings.Meeting) -> None:
    frame = meeting.frame
    left, right = st.columns(2)
    with left:
        st.subheader(ui.t("bijeenkomst.frame.fixed"))
        st.text(frame.fixed or "—")
    with right:
        st.subheader(ui.t("bijeenkomst.frame.open"))
        st.text(frame.open or "—")
    st.subheader(f"{ui.t('bijeenkomst.frame.level')}: {ui.t(f'bijeenkomst.level.{frame.level}')}")
    st.text(ui.t(f"bijeenkomst.level_help.{frame.level}"))
    if frame.purposes:
        st.subheader(ui.t("bijeenkomst.frame.purposes"))
        for purpose in frame.purposes:
            st.text("• " + ui.t(f"bijeenkomst.purpose.{purpose}"))


def _situation(session: session_report.Session) -> None:
    """The area on the map component (its geometry sent once; a rerun sends about 1 KB), beside the
    headline figures, then the projects in the area."""
    left, right = st.columns([1.2, 1])
    with left:
        view = session_report.situation_view(session, ui.map_asset("buurt"), ui.data().names(), ui.lang())
        ui.area_map(view, key="bijeenkomst_map", height=560)
    with right:
        figures = session.figures
        for start in range(0, len(figures), 2):
            cols = st.columns(2)
            for col, row in zip(cols, figures.iloc[start : start + 2].itertuples(), strict=False):
                col.metric(row.heading, row.number)
                col.caption(f"{ui.t('common.year')} {row.year}")
        year_text = session_report.figures_year_text(session, ui.lang())
        st.caption(ui.t("bijeenkomst.figures_year", year=year_text) + " · " + ui.t("app.attribution"))
        catalogue = ui.catalogue()
        ui.explain_picker([catalogue[k] for k in session.figures["indicator"]], key="bk_explain_figures")
    st.subheader(ui.t("bijeenkomst.projects.title"))
    if not session.projects:
        st.text(ui.t("bijeenkomst.projects.none"))
        return
    st.table(session_report.projects_table(session, ui.lang()))


def _priorities(meeting: meetings.Meeting, session: session_report.Session) -> None:
    if not session.profiles:
        st.info(ui.t("bijeenkomst.none.profiles"))
    for result in session.profiles:
        st.subheader(ui.escape(result.name))
        if result.rationale:
            st.text(result.rationale)
        if result.problem:
            st.warning(ui.escape(result.problem))
            continue
        st.table(session_report.ranking_table(result, ui.lang()))
    for name in session.missing_profiles:
        st.caption(ui.t("bijeenkomst.missing_profile", name=ui.escape(name)))
    catalogue = ui.catalogue()
    ui.explain_picker([catalogue[k] for r in session.profiles for k in r.keys], key="bk_explain_profiles")
    if not session.votes.empty:
        st.subheader(ui.t("bijeenkomst.votes"))
        chart = charts.count_bars(session.votes, count_title=ui.t("bijeenkomst.col.votes"), lang=ui.lang())
        st.altair_chart(chart, width="stretch")
    live.join_panel(meeting, db.engine())
    live.live_input(meeting.id)


def _scenarios(session: session_report.Session) -> None:
    if not session.scenarios:
        st.info(ui.t("bijeenkomst.none.scenarios"))
    for scenario in session.scenarios:
        st.subheader(ui.escape(scenario.heading or scenario.name))
        if scenario.description:
            st.text(scenario.description)
        words, picture = st.columns([1.1, 1])
        with words:
            _scenario_words(scenario)
        if scenario.outcome is not None and scenario.map_indicator:
            with picture:
                asset = ui.map_asset("buurt")
                view = sc.difference_view(scenario.outcome, scenario.map_indicator, asset, ui.catalogue(), ui.lang())
                ui.area_map(webmap.for_projector(view), key=f"bk_diff_{scenario.name}", height=520)
    for name in session.missing_scenarios:
        st.caption(ui.t("bijeenkomst.missing_scenario", name=ui.escape(name)))


def _scenario_words(scenario: session_report.ScenarioSummary) -> None:
    """Each measure in one plain sentence, its basis (plan/decision or assumption) first; then before → after."""
    for measure in scenario.measures:
        st.markdown(f"**{ui.escape(measure.basis_text.capitalize())}** · {ui.escape(measure.sentence)}")
        if measure.note:
            st.caption(ui.escape(measure.note))
    if not scenario.measures:
        st.text(ui.t("bijeenkomst.no_measures"))
    if scenario.problem:
        st.warning(ui.escape(scenario.problem))
    if not scenario.effects.empty:
        st.table(session_report.effects_table(scenario.effects, ui.lang()))


def _agreements(meeting: meetings.Meeting, session: session_report.Session, save: Save) -> None:
    if meeting.agreements:
        st.table(session_report.agreements_table(meeting, ui.lang()))
    else:
        st.text(ui.t("bijeenkomst.no_agreements"))
    with st.form("bijeenkomst_agree", clear_on_submit=True):
        cols = st.columns([3, 1.4, 1])
        what = cols[0].text_input(ui.t("bijeenkomst.agree.what"), max_chars=1000, key="bk_what")
        who = cols[1].text_input(ui.t("bijeenkomst.agree.who"), max_chars=200, key="bk_who")
        when = cols[2].text_input(ui.t("bijeenkomst.agree.when"), max_chars=100, key="bk_when")
        if st.form_submit_button(ui.t("bijeenkomst.agree.add")):
            with ui.user_errors():
                agreed = meetings.make_agreement(what=what, who=who, when=when)
            save(meeting, agreements=[*meeting.agreements, agreed])
            st.rerun()
    # the closing step: who gave input next to who lives in the area
    for note in session.notes:
        st.caption(ui.escape(note))
    if session.representation is not None:
        ui.show_representation(session.representation, projector=True)


def present_step(meeting: meetings.Meeting, session: session_report.Session, save: Save) -> None:
    """The meeting's current agenda step, as the room sees it."""
    item = meeting.agenda_item
    if item == "kader":
        _frame(meeting)
    elif item == "situatie":
        _situation(session)
    elif item == "prioriteiten":
        _priorities(meeting, session)
    elif item == "scenarios":
        _scenarios(session)
    else:
        _agreements(meeting, session, save)


def report_button(session: session_report.Session) -> None:
    """Make the session report (PDF) on request, then offer it for download."""
    if st.button(ui.t("bijeenkomst.make_report"), key="bijeenkomst_make_report"):
        with ui.user_errors(), st.spinner(ui.t("bijeenkomst.report_busy")):
            pdf = session_report.to_pdf(session, ui.data(), ui.catalogue(), lang=ui.lang())
            st.session_state["_bijeenkomst_pdf"] = pdf
    pdf = st.session_state.get("_bijeenkomst_pdf")
    if pdf:
        st.download_button(
            ui.t("bijeenkomst.report_download"),
            pdf,
            file_name=f"verslag-{session.meeting.held_on:%Y%m%d}.pdf",
            mime="application/pdf",
            key="bijeenkomst_pdf",
        )
