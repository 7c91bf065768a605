"""Doe mee: the residents' join page, phone-first (390×844), the lightest page of the app.

A resident arrives from the meeting's QR code (``/doe-mee?code=ABC234``) or types the short code.
While the facilitator has the meeting's input open, they write their remark first, may vote for
one of the meeting's priorities, may tell a few coarse facts about themselves, and may put a pin
on a small map that shows buurt names. Nothing heavy is loaded until asked for: the map and its
libraries only after "Speld op de kaart", the figures only after their button. Everything every
phone needs (the areas, where input may go, their names) is made once per server process in
``app_state``; no shapes, tables or map libraries are imported on this page's way (see
tests/test_light_path.py).
"""

from __future__ import annotations

import streamlit as st

import app_state as ui
from enschede_gis import auth, db, i18n, inputs, joinlink, meetings
from enschede_gis.errors import WijkbeeldError

PIN_KEY = "_join_pin"  # the resident's pin (inputs.PinPlace), inside the area or confirmed elsewhere
PENDING_KEY = "_join_pending_pin"  # a pin outside the meeting's area, waiting for "yes, move it"
MAP_OPEN_KEY = "_join_map_open"
FIGURES_OPEN_KEY = "_join_figures_open"
MAP_KEY = "join_map"

#: Large touch targets and readable type on a phone; only this page, only for its own widgets.
PHONE_CSS = """
<style>
.block-container {padding-top: 3.5rem; padding-left: 1rem; padding-right: 1rem; max-width: 40rem;}
.stApp p, .stApp label, .stApp li {font-size: 1.1rem;}
.stApp textarea, .stApp input {font-size: 1.1rem !important;}
.stApp [data-testid="stBaseButton-primary"], .stApp [data-testid="stBaseButton-secondary"],
.stApp [data-testid="stBaseButton-secondaryFormSubmit"], .stApp [data-testid="stBaseButton-primaryFormSubmit"]
  {min-height: 3rem; font-size: 1.1rem;}
.stApp [data-baseweb="select"] > div {min-height: 3rem;}
.stApp [data-testid="stMetricLabel"] p {font-size: 1.15rem; white-space: normal;}
.stApp [data-testid="stMetricValue"], .stApp [data-testid="stMetricValue"] * {font-size: 2.4rem; line-height: 1.2;}
</style>
"""


def _t(key: str, **values: object) -> str:
    """Text in this run's language, also when a widget formats its options after the run."""
    return i18n.t(key, lang, **values)


def _find_meeting(code: str | None) -> meetings.Meeting | None:
    if not code:
        return None
    return joinlink.find(meetings.list_meetings(db.engine()), code)


def _code_form(code: str | None) -> None:
    """No (known) code yet: ask for the one on the screen."""
    st.write(ui.t("doe.intro"))
    if code:
        st.error(ui.t("doe.unknown_code", code=ui.escape(joinlink.normalise_code(code))))
    with st.form("doe_code", border=False):
        typed = st.text_input(ui.t("doe.code"), max_chars=12, placeholder="ABC234", key="doe_code_input")
        if st.form_submit_button(ui.t("doe.join"), type="primary", width="stretch"):
            ui.set_params(code=joinlink.normalise_code(typed) or None)
            st.rerun()


def _vote_options(meeting: meetings.Meeting) -> list[str]:
    """What residents can vote for: the meeting's priority profiles, else the catalogue's themes."""
    if meeting.profiles:
        return list(meeting.profiles)
    from enschede_gis.indicators import load_catalogue

    return [theme.label(lang) for theme in load_catalogue().themes.values()]


def _form(meeting: meetings.Meeting, area, where: inputs.Places) -> None:
    pin: inputs.PinPlace | None = st.session_state.get(PIN_KEY)
    with st.form("doe_form", clear_on_submit=True, border=False):
        text = st.text_area(ui.t("doe.text"), max_chars=inputs.MAX_TEXT, height=140, key="doe_text")
        priority = st.selectbox(
            ui.t("doe.vote"),
            [None, *_vote_options(meeting)],
            format_func=lambda p: _t("doe.no_vote") if p is None else p,
            key="doe_priority",
        )
        with st.expander(ui.t("doe.about_you")):
            st.caption(ui.t("inbreng.about_you_help"))
            age, home, tenure = ui.resident_facts(where.buurten, _buurt_names(), prefix="doe", horizontal=False)
        if pin is not None:
            st.caption(ui.t("doe.pin_in", buurt=ui.escape(_buurt_names().get(pin.buurt, pin.buurt))))
        sent = st.form_submit_button(ui.t("doe.send"), type="primary", width="stretch")
    if not sent:
        return
    try:
        draft = inputs.make_input(
            kind="vote" if priority else "note",
            area_code=pin.buurt if pin is not None else area.key,
            text=text,
            priority=priority,
            lat=pin.lat if pin is not None else None,
            lon=pin.lon if pin is not None else None,
            age_group=age,
            home_buurt=home,
            tenure=tenure,
            meeting_id=meeting.id,
        )
        stored = inputs.submit(db.engine(), draft, session_id=ui.device_key(), actor=ui.actor(), where=where)
    except WijkbeeldError as exc:  # one clear message; what was typed is lost only on success
        st.error(ui.error_text(exc))
        return
    st.session_state.pop(PIN_KEY, None)
    st.session_state[MAP_OPEN_KEY] = False
    st.success(ui.t("doe.thanks", number=stored.id))


def _buurt_names() -> dict[str, str]:
    return ui.region_index().names


def _area_name(area) -> str:
    """The area as a resident reads it: its name, without codes."""
    return area.label if area.kind == "custom" else _buurt_names().get(area.key, area.label)


def _pin_map(area, where: inputs.Places) -> None:
    """A small map of the area's buurten with their names; a tap places the pin. Loaded on request
    (the map component's geometry file comes once, and a phone keeps it)."""
    from enschede_gis import webmap

    click = ui.new_place(MAP_KEY)
    if click is not None:
        try:
            placed = inputs.place_pin(where, click.lat, click.lon, area.codes)
        except WijkbeeldError as exc:  # shown; the resident can tap again
            st.error(ui.error_text(exc))
        else:
            st.session_state.pop(PENDING_KEY, None)
            st.session_state[PIN_KEY if placed.inside else PENDING_KEY] = placed
            st.rerun()  # the form above names the pin's buurt
    pin = st.session_state.get(PIN_KEY) or st.session_state.get(PENDING_KEY)
    view = webmap.plain_view(
        ui.map_asset("buurt"),
        lang=lang,
        focus=area.codes,
        focus_label=_area_name(area),
        title=ui.t("bijeenkomst.map.title"),
    )
    view = webmap.with_marks(
        view,
        focus=view["focus"],
        pin=(pin.lat, pin.lon) if pin else None,
        pin_label=ui.t("inbreng.your_pin"),
        pick=True,
    )
    ui.area_map(view, key=MAP_KEY, height=360)


def _pending_question(area) -> None:
    """A pin outside the meeting's area: ask before the input moves to that buurt."""
    pending: inputs.PinPlace | None = st.session_state.get(PENDING_KEY)
    if pending is None:
        return
    buurt = ui.escape(_buurt_names().get(pending.buurt, pending.buurt))
    st.warning(ui.t("doe.pin_outside", buurt=buurt, area=ui.escape(_area_name(area))))
    yes, no = st.columns(2)
    if yes.button(ui.t("doe.pin_move", buurt=buurt), type="primary", key="doe_pin_move", width="stretch"):
        st.session_state[PIN_KEY] = st.session_state.pop(PENDING_KEY)
        st.rerun()
    if no.button(ui.t("doe.pin_cancel"), key="doe_pin_cancel", width="stretch"):
        st.session_state.pop(PENDING_KEY, None)
        st.rerun()


def _pin_section(area, where: inputs.Places) -> None:
    has_pin = st.session_state.get(PIN_KEY) is not None
    if has_pin and st.button(ui.t("doe.pin_remove"), key="doe_pin_remove", width="stretch"):
        st.session_state.pop(PIN_KEY, None)
        st.rerun()
    if not st.session_state.get(MAP_OPEN_KEY):
        if st.button(ui.t("doe.pin_open"), icon=":material/location_on:", key="doe_pin_open", width="stretch"):
            st.session_state[MAP_OPEN_KEY] = True
            st.rerun()
        return
    st.caption(ui.t("doe.pin_help"))
    _pending_question(area)
    _pin_map(area, where)


def _figures_section(meeting: meetings.Meeting, area) -> None:
    """The meeting's public figures (meeting mode's "De situatie"), computed only when asked for."""
    if not st.session_state.get(FIGURES_OPEN_KEY):
        label = ui.t("doe.figures_open", area=ui.escape(_area_name(area)))
        if st.button(label, icon=":material/bar_chart:", key="doe_figures", width="stretch"):
            st.session_state[FIGURES_OPEN_KEY] = True
            st.rerun()
        return
    if st.button(ui.t("doe.figures_hide"), key="doe_figures_hide", width="stretch"):
        st.session_state[FIGURES_OPEN_KEY] = False
        st.rerun()
    with ui.user_errors():
        figures = ui.public_figures(meeting, area)
    for figure in figures:
        st.metric(ui.escape(figure.heading), figure.number)
        if figure.reference:
            values = {"year": figure.year, "reference": ui.escape(figure.reference), "value": figure.reference_text}
            st.caption(ui.t("doe.figure_year", **values))
        else:
            st.caption(f"{ui.t('common.year')} {figure.year}")
    st.caption(ui.t("app.attribution"))


def _footer() -> None:
    """The other language, and staff sign-in where it is set up (staff use the same link)."""
    st.divider()
    other = "en" if lang == "nl" else "nl"
    if st.button(ui.t("doe.other_language"), key="doe_lang", type="tertiary"):
        ui.set_params(lang=None if other == i18n.DEFAULT_LANGUAGE else other)
        st.rerun()
    if not ui.is_staff() and auth.method(ui.secrets()) != "none":
        with st.expander(ui.t("auth.sign_in_as_staff")):
            ui.sign_in_form(key="doe_signin")


lang = ui.lang()
st.html(PHONE_CSS)
st.title(ui.t("doe.title"))
code = ui.param(joinlink.CODE_PARAM)
with ui.user_errors():
    meeting = _find_meeting(code)
if meeting is None:
    _code_form(code)
    _footer()
    st.stop()

with ui.user_errors():
    area = ui.join_areas().get(meeting.area_code)
if area is None:
    st.error(ui.t("bijeenkomst.unknown_area", area=ui.escape(meeting.area_code)))
    st.stop()
st.subheader(ui.escape(meeting.title))
st.caption(ui.t("doe.about", area=ui.escape(_area_name(area)), date=f"{meeting.held_on:%d-%m-%Y}"))
ui.device_key()  # sets the device cookie on a first visit, so a reload keeps the limits
_figures_section(meeting, area)
if not meeting.input_open:
    st.info(ui.t("doe.closed"))
    if st.button(ui.t("doe.look_again"), key="doe_again", width="stretch"):
        st.rerun()
    _footer()
    st.stop()

with ui.user_errors():
    where = ui.join_places((area.key,) if area.kind == "custom" else ())
_form(meeting, area, where)
_pin_section(area, where)
_footer()
