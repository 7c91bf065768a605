"""Meeting mode: prepare a neighbourhood evening, then present it step by step on a projector.

Preparation: the frame (what the council fixed, what is open, level and purposes of participation,
with a warning when the level promises more than the frame allows), and the priority profiles and
scenarios to show. Presentation: large type, high contrast, one agenda step at a time, ending with
what was agreed and who does what next, and the session report as PDF.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

import app_state as ui
from enschede_gis import areas as custom_areas
from enschede_gis import charts, db, meetings, session_report, webmap
from enschede_gis import priorities as pr
from enschede_gis import scenarios as sc
from enschede_gis.errors import DataError
from views import _meeting_live as live

NEW = "__new__"
PRESENT_KEY = "bijeenkomst_present"


def _saved_names() -> tuple[list[str], list[str]]:
    """Names of the saved priority profiles and scenarios (a damaged file is said, not hidden)."""
    names: list[list[str]] = []
    for load in (pr.load_profiles, lambda: sc.load_scenarios()[0]):
        try:
            names.append([item.name for item in load()])
        except DataError as exc:
            st.warning(ui.error_text(exc))
            names.append([])
    return names[0], names[1]


def _save(meeting: meetings.Meeting, **changes: object) -> meetings.Meeting:
    with ui.user_errors():
        updated = meetings.with_changes(meeting, **changes)
        meetings.save(eng, updated, actor=ui.actor(), expected=ui.edit_version("meetings", meeting.id))
    ui.forget_edit_versions("meetings")
    return updated


def _choose_meeting(saved: list[meetings.Meeting]) -> meetings.Meeting | None:
    by_id = {m.id: m for m in saved}
    options = [NEW, *by_id]
    label = {NEW: ui.t("bijeenkomst.new")}
    label.update({m.id: f"{m.title} · {m.held_on:%d-%m-%Y}" for m in saved})
    start = ui.param("bijeenkomst")
    chosen = st.selectbox(
        ui.t("bijeenkomst.choose"),
        options,
        index=ui.choice_index(options, start, default=1 if saved else 0),
        format_func=label.get,
        key="bijeenkomst_choice",
        on_change=ui.forget_edit_versions,
        args=("meetings",),
    )
    ui.set_params(bijeenkomst=None if chosen == NEW else chosen)
    return by_id.get(chosen)


def _new_meeting_form() -> None:
    with st.form("bijeenkomst_new"):
        title = st.text_input(ui.t("bijeenkomst.title_field"), max_chars=200)
        keys = [a.key for a in options]
        area_key = st.selectbox(ui.t("bijeenkomst.area"), keys, format_func=ui.area_labeller(by_key))
        held_on = st.date_input(ui.t("bijeenkomst.date"), value=date.today(), format="DD-MM-YYYY")
        if not st.form_submit_button(ui.t("bijeenkomst.create"), type="primary"):
            return
    with ui.user_errors():
        meeting = meetings.make_meeting(title=title, area_code=area_key, held_on=held_on)
        meetings.save(eng, meeting, actor=ui.actor())
    ui.set_params(bijeenkomst=meeting.id)
    st.session_state.pop("bijeenkomst_choice", None)
    st.rerun()


def _frame_form(meeting: meetings.Meeting) -> None:
    frame = meeting.frame
    profiles, scenarios = _saved_names()
    with st.form("bijeenkomst_frame"):
        fixed = st.text_area(ui.t("bijeenkomst.frame.fixed"), frame.fixed, max_chars=4000, key="bk_fixed")
        open_ = st.text_area(ui.t("bijeenkomst.frame.open"), frame.open, max_chars=4000, key="bk_open")
        cols = st.columns(2)
        room = cols[0].selectbox(
            ui.t("bijeenkomst.frame.room"),
            meetings.ROOMS,
            index=meetings.ROOMS.index(frame.room),
            format_func=ui.labeller("bijeenkomst.room"),
            key="bk_room",
        )
        level = cols[1].selectbox(
            ui.t("bijeenkomst.frame.level"),
            meetings.LEVELS,
            index=meetings.LEVELS.index(frame.level),
            format_func=lambda lv: f"{ui.t(f'bijeenkomst.level.{lv}')} — {ui.t(f'bijeenkomst.level_help.{lv}')}",
            key="bk_level",
        )
        purposes = st.multiselect(
            ui.t("bijeenkomst.frame.purposes"),
            meetings.PURPOSES,
            default=list(frame.purposes),
            format_func=ui.labeller("bijeenkomst.purpose"),
            key="bk_purposes",
            placeholder=ui.choose(),
        )
        used_profiles = st.multiselect(
            ui.t("bijeenkomst.use_profiles"),
            sorted(set(profiles) | set(meeting.profiles)),
            default=list(meeting.profiles),
            placeholder=ui.t("bijeenkomst.none_saved") if not profiles else ui.choose(),
            key="bk_profiles",
        )
        used_scenarios = st.multiselect(
            ui.t("bijeenkomst.use_scenarios"),
            sorted(set(scenarios) | set(meeting.scenarios)),
            default=list(meeting.scenarios),
            placeholder=ui.t("bijeenkomst.none_saved") if not scenarios else ui.choose(),
            key="bk_scenarios",
        )
        if not st.form_submit_button(ui.t("bijeenkomst.save_frame"), type="primary"):
            return
    with ui.user_errors():
        new_frame = meetings.make_frame(fixed=fixed, open=open_, room=room, level=level, purposes=purposes)
    _save(meeting, frame=new_frame.model_dump(), profiles=used_profiles, scenarios=used_scenarios)
    st.success(ui.t("bijeenkomst.saved"))
    st.rerun()


def _prepare(meeting: meetings.Meeting) -> None:
    st.subheader(ui.t("bijeenkomst.prepare"))
    st.caption(ui.t("bijeenkomst.prepare_help", area=ui.escape(by_key[meeting.area_code].label)))
    _frame_form(meeting)
    warnings = meetings.frame_warnings(meeting.frame, lang)
    for warning in warnings:
        st.warning(warning)
    if not warnings:
        st.success(ui.t("bijeenkomst.frame_ok"))
    _input_link(meeting)
    read = not warnings or st.checkbox(ui.t("bijeenkomst.warnings_read"), key="bijeenkomst_warnings_read")
    if st.button(ui.t("bijeenkomst.start"), type="primary", key="bijeenkomst_start", disabled=not read):
        _save(meeting, started=True, step=0)
        st.session_state[PRESENT_KEY] = True
        st.rerun()


# ---- presentation ----------------------------------------------------------------------------------


def _agenda_bar(meeting: meetings.Meeting) -> None:
    parts = []
    for number, item in enumerate(meetings.AGENDA, start=1):
        text = f"{number}. {ui.t(f'bijeenkomst.step.{item}')}"
        parts.append(f"<b>{text}</b>" if number - 1 == meeting.step else text)
    st.markdown(f'<div class="wb-agenda">{" &nbsp;·&nbsp; ".join(parts)}</div>', unsafe_allow_html=True)


def _step_buttons(meeting: meetings.Meeting) -> None:
    cols = st.columns([1.3, 1.3, 3])
    if cols[0].button(ui.t("bijeenkomst.prev"), disabled=meeting.step == 0, key="bijeenkomst_prev", width="stretch"):
        _save(meeting, step=meeting.step - 1)
        st.rerun()
    last = len(meetings.AGENDA) - 1
    if cols[1].button(
        ui.t("bijeenkomst.next"), disabled=meeting.step == last, type="primary", key="bijeenkomst_next", width="stretch"
    ):
        _save(meeting, step=meeting.step + 1)
        st.rerun()


def _show_frame(meeting: meetings.Meeting) -> None:
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


def _show_situation(session: session_report.Session) -> None:
    left, right = st.columns([1.2, 1])
    with left:
        view = session_report.situation_view(session, ui.map_asset("buurt"), snap.names(), lang)
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
        ui.explain_picker([catalogue[k] for k in session.figures["indicator"]], key="bk_explain_figures")
    st.subheader(ui.t("bijeenkomst.projects.title"))
    if not session.projects:
        st.text(ui.t("bijeenkomst.projects.none"))
        return
    st.table(_projects_table(session))


def _projects_table(session: session_report.Session) -> pd.DataFrame:
    return pd.DataFrame(
        {
            ui.t("projecten.col.title"): [p.title for p in session.projects],
            ui.t("projecten.col.domain"): [ui.t(f"projecten.domain.{p.domain}") for p in session.projects],
            ui.t("projecten.col.period"): [f"{p.start:%d-%m-%Y} – {p.end:%d-%m-%Y}" for p in session.projects],
            ui.t("projecten.col.responsible"): [p.responsible for p in session.projects],
            ui.t("projecten.col.contact"): [p.contact for p in session.projects],
        }
    )


def _show_priorities(session: session_report.Session) -> None:
    if not session.profiles:
        st.info(ui.t("bijeenkomst.none.profiles"))
    for result in session.profiles:
        st.subheader(ui.escape(result.name))
        if result.rationale:
            st.text(result.rationale)
        if result.problem:
            st.warning(ui.escape(result.problem))
            continue
        st.table(
            pd.DataFrame(
                {
                    ui.t("bijeenkomst.col.rank"): [f"{int(r)} / {result.ranked}" for r in result.ranking["rank"]],
                    ui.t("bijeenkomst.col.buurt"): result.ranking["name"].astype(str),
                    "": [ui.t("bijeenkomst.col.in_area") if x else "" for x in result.ranking["in_area"]],
                }
            )
        )
    for name in session.missing_profiles:
        st.caption(ui.t("bijeenkomst.missing_profile", name=ui.escape(name)))
    weighted = [catalogue[k] for result in session.profiles for k in result.keys]
    ui.explain_picker(weighted, key="bk_explain_profiles")
    if not session.votes.empty:
        st.subheader(ui.t("bijeenkomst.votes"))
        chart = charts.count_bars(session.votes, count_title=ui.t("bijeenkomst.col.votes"), lang=lang)
        st.altair_chart(chart, width="stretch")


def _input_link(meeting: meetings.Meeting) -> None:
    """Where residents give input for this meeting: the join page's QR code and short code."""
    live.join_panel(meeting, eng)


def _show_scenarios(session: session_report.Session) -> None:
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
                view = sc.difference_view(
                    scenario.outcome, scenario.map_indicator, ui.map_asset("buurt"), catalogue, lang
                )
                view = webmap.for_projector(view)
                ui.area_map(view, key=f"bk_diff_{scenario.name}", height=520)
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
        st.table(_effects_table(scenario.effects))


def _effects_table(effects: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            ui.t("bijeenkomst.col.figure"): effects["label"],
            ui.t("scenarios.col.before"): effects["before"],
            ui.t("scenarios.col.after"): effects["after"],
            ui.t("scenarios.col.difference"): effects["change"],
        }
    ).set_index(ui.t("bijeenkomst.col.figure"))


def _show_agreements(meeting: meetings.Meeting, session: session_report.Session) -> None:
    if meeting.agreements:
        st.table(
            pd.DataFrame(
                {
                    ui.t("bijeenkomst.agree.what"): [a.what for a in meeting.agreements],
                    ui.t("bijeenkomst.agree.who"): [a.who for a in meeting.agreements],
                    ui.t("bijeenkomst.agree.when"): [a.when for a in meeting.agreements],
                }
            )
        )
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
            _save(meeting, agreements=[*meeting.agreements, agreed])
            st.rerun()
    _show_representation(session)


def _show_representation(session: session_report.Session) -> None:
    """The closing step: who gave input next to who lives in the area."""
    for note in session.notes:
        st.caption(ui.escape(note))
    if session.representation is not None:
        ui.show_representation(session.representation, projector=True)


def _report_button(session: session_report.Session) -> None:
    if st.button(ui.t("bijeenkomst.make_report"), key="bijeenkomst_make_report"):
        with ui.user_errors(), st.spinner(ui.t("bijeenkomst.report_busy")):
            st.session_state["_bijeenkomst_pdf"] = session_report.to_pdf(session, snap, catalogue, lang=lang)
    pdf = st.session_state.get("_bijeenkomst_pdf")
    if pdf:
        st.download_button(
            ui.t("bijeenkomst.report_download"),
            pdf,
            file_name=f"verslag-{session.meeting.held_on:%Y%m%d}.pdf",
            mime="application/pdf",
            key="bijeenkomst_pdf",
        )


STEPS = {
    "kader": lambda meeting, _session: _show_frame(meeting),
    "situatie": lambda _meeting, session: _show_situation(session),
    "prioriteiten": lambda meeting, session: (
        _show_priorities(session),
        _input_link(meeting),
        live.live_input(meeting.id),
    ),
    "scenarios": lambda _meeting, session: _show_scenarios(session),
    "afspraken": _show_agreements,
}


def _present(meeting: meetings.Meeting) -> None:
    ui.projector_style()
    _agenda_bar(meeting)
    st.header(ui.t(f"bijeenkomst.step.{meeting.agenda_item}"))
    with ui.user_errors():
        custom = {a.name: list(a.codes) for a in custom_areas.load_areas()}
        session = session_report.gather(meeting, snap, catalogue, eng, areas=options, lang=lang, custom=custom)
    STEPS[meeting.agenda_item](meeting, session)
    st.divider()
    _step_buttons(meeting)
    cols = st.columns([2, 2, 1])  # wide enough for the projector's large button text
    with cols[0]:
        _report_button(session)
    if cols[1].button(ui.t("bijeenkomst.stop_presenting"), key="bijeenkomst_stop"):
        st.session_state[PRESENT_KEY] = False
        st.rerun()


lang = ui.lang()
with ui.user_errors():
    snap = ui.data()
    catalogue = ui.catalogue()
    options = ui.selectable_areas()
    eng = db.engine()
    saved, damaged = meetings.read_meetings(eng)
for problem in damaged:
    st.warning(problem.message(lang))
by_key = {a.key: a for a in options}

meeting = None
if not st.session_state.get(PRESENT_KEY):
    st.title(ui.t("bijeenkomst.title"))
    meeting = _choose_meeting(saved)
    if meeting is None:
        _new_meeting_form()
        st.stop()
else:
    chosen = ui.param("bijeenkomst")
    meeting = next((m for m in saved if m.id == chosen), None)
    if meeting is None:
        st.session_state[PRESENT_KEY] = False
        st.rerun()

ui.edit_version("meetings", meeting.id)  # the version this session edits from
if meeting.area_code not in by_key:
    st.error(ui.t("bijeenkomst.unknown_area", area=ui.escape(meeting.area_code)))
    st.stop()

if st.session_state.get(PRESENT_KEY):
    _present(meeting)
else:
    _prepare(meeting)
    if meeting.started and st.button(ui.t("bijeenkomst.resume"), key="bijeenkomst_resume"):
        st.session_state[PRESENT_KEY] = True
        st.rerun()
