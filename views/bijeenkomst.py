"""Meeting mode: prepare a neighbourhood evening, then present it step by step on a projector.

Preparation: the frame (what the council fixed, what is open, level and purposes of participation,
with a warning when the level promises more than the frame allows), and the priority profiles and
scenarios to show. Presentation: large type, high contrast, one agenda step at a time, ending with
what was agreed and who does what next, and the session report as PDF.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

import app_state as ui
from enschede_gis import areas as custom_areas
from enschede_gis import db, meetings, session_report
from enschede_gis import priorities as pr
from enschede_gis import scenarios as sc
from enschede_gis.errors import DataError
from views import _meeting_live as live
from views import _meeting_steps as steps

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


def _input_link(meeting: meetings.Meeting) -> None:
    """Where residents give input for this meeting: the join page's QR code and short code."""
    live.join_panel(meeting, eng)


# ---- presentation (the steps themselves: views/_meeting_steps.py) ---------------------------------


def _present(meeting: meetings.Meeting) -> None:
    ui.projector_style()
    steps.agenda_bar(meeting)
    st.header(ui.t(f"bijeenkomst.step.{meeting.agenda_item}"))
    with ui.user_errors():
        custom = {a.name: list(a.codes) for a in custom_areas.load_areas()}
        session = session_report.gather(meeting, snap, catalogue, eng, areas=options, lang=lang, custom=custom)
    steps.present_step(meeting, session, _save)
    st.divider()
    steps.step_buttons(meeting, _save)
    cols = st.columns([2, 2, 1])  # wide enough for the projector's large button text
    with cols[0]:
        steps.report_button(session)
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
