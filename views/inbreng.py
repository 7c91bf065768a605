"""Residents' input: notes, ideas and votes per area (or a pin on the map), and moderation.

Every input is committed to the database before the page says it was received. A resident's text
is only ever shown as plain text (``st.text``; escaped in map tooltips and popups).
"""

from __future__ import annotations

import streamlit as st

import app_state as ui
from enschede_gis import db, i18n, inputs, meetings, representation, roles, statistics, webmap
from enschede_gis import priorities as pr
from enschede_gis.errors import DataError, WijkbeeldError

MAP_KEY = "inbreng_map"
PIN_KEY = "_inbreng_pin"


def _meeting(meeting_id: str | None) -> meetings.Meeting | None:
    """The meeting named in the URL, if it exists (an unknown id is said, and never stored)."""
    if not meeting_id:
        return None
    try:
        return meetings.load(db.engine(), meeting_id)
    except WijkbeeldError:
        st.warning(ui.t("inbreng.no_meeting"))
        return None


def _t(key: str, **values: object) -> str:
    """Text in this run's language, also when a widget formats its options after the run."""
    return i18n.t(key, lang, **values)


def _vote_options(lang: str) -> list[str]:
    """What residents can vote for: the saved priority profiles, then the catalogue's themes."""
    try:
        saved = [p.name for p in pr.load_profiles()]
    except DataError:
        saved = []
    themes = [theme.label(lang) for theme in ui.catalogue().themes.values()]
    return list(dict.fromkeys(saved + themes))


def _take_click(where: inputs.Places) -> None:
    """Turn a new map click into the resident's pin (validated inside the gemeente)."""
    click = ui.new_place(MAP_KEY)
    if click is None:
        return
    try:
        where.pin(click.lat, click.lon)
    except WijkbeeldError as exc:  # shown, and the page goes on: the resident can click again
        st.error(ui.error_text(exc))
        return
    st.session_state[PIN_KEY] = (click.lat, click.lon)


def _form(area, where: inputs.Places, meeting_id: str | None, lang: str) -> None:
    kinds = list(inputs.KINDS)
    kind = st.radio(
        ui.t("inbreng.kind_label"),
        kinds,
        format_func=ui.labeller("inbreng.kind"),
        horizontal=True,
        key="inbreng_kind",
    )
    pin = st.session_state.get(PIN_KEY)
    with st.form("inbreng_form", clear_on_submit=True):
        priority = None
        if kind == "vote":
            priority = st.selectbox(ui.t("inbreng.priority"), _vote_options(lang), key="inbreng_priority")
        text = st.text_area(
            ui.t("inbreng.text_optional") if kind == "vote" else ui.t("inbreng.text"),
            max_chars=inputs.MAX_TEXT,
            key="inbreng_text",
        )
        use_pin = False
        if pin:
            use_pin = st.checkbox(
                ui.t("inbreng.use_pin", lat=f"{pin[0]:.5f}", lon=f"{pin[1]:.5f}"), value=True, key="inbreng_use_pin"
            )
        with st.expander(ui.t("inbreng.about_you")):
            st.caption(ui.t("inbreng.about_you_help"))
            age, home, tenure = ui.resident_facts(where.buurten, ui.data().names(), prefix="inbreng")
        sent = st.form_submit_button(ui.t("inbreng.submit"), type="primary")
    if not sent:
        return
    area_code, lat, lon = area.key, None, None
    try:
        if use_pin and pin:
            lat, lon = pin
            area_code = where.pin(lat, lon)  # a pin belongs to the buurt it lies in
        draft = inputs.make_input(
            kind=kind,
            area_code=area_code,
            text=text,
            priority=priority,
            lat=lat,
            lon=lon,
            age_group=age,
            home_buurt=home,
            tenure=tenure,
            meeting_id=meeting_id,
        )
        stored = inputs.submit(db.engine(), draft, session_id=ui.device_key(), actor=ui.actor(), where=where)
    except WijkbeeldError as exc:  # one clear message; the map and the list below stay on screen
        st.error(ui.error_text(exc))
        return
    st.session_state.pop(PIN_KEY, None)
    st.success(ui.t("inbreng.saved", number=stored.id))


def _list(shown, names: dict) -> None:
    if shown.empty:
        st.info(ui.t("inbreng.none_yet"))
        return
    for row in shown.iloc[::-1].itertuples():
        with st.container(border=True):
            meta = [
                ui.t(f"inbreng.kind.{row.kind}"),
                names.get(row.area_code, row.area_code),
                row.created_at[:16].replace("T", " "),
            ]
            st.caption(ui.escape(" · ".join(meta) + (" · " + ui.t("inbreng.hidden_mark") if row.hidden else "")))
            if row.kind == "vote":
                st.text(f"{ui.t('inbreng.vote_for')}: {row.priority}")
            if row.text:
                st.text(row.text)


def _who_gave_input(eng, area, related: list[str]) -> None:
    """Who gave input for this area next to who lives there (CBS, the newest year with ages)."""
    year = max(statistics.years(snap.statistics))
    try:
        frame = inputs.inputs_frame(eng, area_codes=related)
        result = representation.for_area(frame, snap, ui.catalogue(), area, year=year, lang=lang)
    except WijkbeeldError as exc:  # the comparison is an extra: the page goes on without it
        st.caption(ui.error_text(exc))
        return
    ui.show_representation(result, heading=False)


def _mod_label(row) -> str:
    mark = f"[{ui.t('inbreng.hidden_mark')}] " if row.hidden else ""
    return f"#{row.id} · {mark}{webmap.short_text(row.text or row.priority or '')}"


def _moderation(eng, area_codes) -> None:
    """Hiding, restoring, exporting and deleting input: the facilitator only (the package checks too)."""
    if not ui.actor().can(roles.Action.MODERATE):
        st.info(ui.t("inbreng.mod.facilitator_only"))
        ui.sign_in_form(key="inbreng_signin")
        return
    everything = inputs.list_inputs(eng, area_codes=area_codes, include_hidden=True)
    labels = {int(r.id): _mod_label(r) for r in everything.itertuples()}
    chosen = st.multiselect(
        ui.t("inbreng.mod.choose"), list(labels), format_func=labels.get, key="inbreng_mod_ids", placeholder=ui.choose()
    )
    cols = st.columns(3)
    if cols[0].button(ui.t("inbreng.mod.hide"), key="inbreng_hide", disabled=not chosen):
        with ui.user_errors():
            count = inputs.set_hidden(eng, chosen, hidden=True, actor=ui.actor())
        st.success(ui.t("inbreng.mod.hidden", count=count))
    if cols[1].button(ui.t("inbreng.mod.restore"), key="inbreng_restore", disabled=not chosen):
        with ui.user_errors():
            count = inputs.set_hidden(eng, chosen, hidden=False, actor=ui.actor())
        st.success(ui.t("inbreng.mod.restored", count=count))
    cols[2].download_button(
        ui.t("inbreng.mod.export"),
        inputs.export_csv(eng),
        file_name="inbreng.csv",
        mime="text/csv",
        key="inbreng_export",
    )
    st.divider()
    st.caption(ui.t("inbreng.mod.delete_help"))
    if st.button(ui.t("inbreng.mod.delete"), key="inbreng_delete"):
        with ui.user_errors():
            path, count = inputs.delete_hidden(eng, actor=ui.actor())
        st.success(ui.t("inbreng.mod.deleted", count=count, path=path.name))


lang = ui.lang()
with ui.user_errors():
    snap = ui.data()
    options = ui.selectable_areas()
    eng = db.engine()
by_key = {a.key: a for a in options}
names = {a.key: a.label for a in options}
where = ui.join_places(tuple(a.key for a in options if a.kind == "custom"))

st.title(ui.t("inbreng.title"))
st.caption(ui.t("inbreng.intro", max=inputs.MAX_TEXT))
meeting = _meeting(ui.param("bijeenkomst"))
meeting_id = meeting.id if meeting else None
if meeting is not None:
    st.info(ui.t("inbreng.for_meeting", title=ui.escape(meeting.title), date=f"{meeting.held_on:%d-%m-%Y}"))

keys = list(by_key)
start = ui.param("gebied")
area_key = st.selectbox(
    ui.t("inbreng.area"),
    keys,
    index=ui.choice_index(keys, start),
    format_func=ui.area_labeller(by_key),
    key="inbreng_area",
)
area = by_key[area_key]
ui.set_params(gebied=area_key)
related = sorted({area.key, *area.codes})

_take_click(where)
left, right = st.columns([1.3, 1])
with left:
    st.subheader(ui.t("inbreng.new"))
    _form(area, where, meeting_id, lang)
with right:
    st.caption(ui.t("inbreng.map_help"))
    shown = inputs.list_inputs(eng, area_codes=related)
    pin = st.session_state.get(PIN_KEY)
    view = inputs.map_view(ui.map_asset("buurt"), shown, focus=area.codes, area_name=area.label, pin=pin, lang=lang)
    ui.area_map(view, key=MAP_KEY, height=440)

st.subheader(ui.t("inbreng.listed", area=ui.escape(area.label), count=len(shown)))
votes = inputs.vote_counts(eng, area_codes=related)
if not votes.empty:
    st.caption(ui.t("inbreng.votes"))
    st.bar_chart(votes, horizontal=True)
_list(shown, names)

with st.expander(ui.t("uitleg.repr.title", area=ui.escape(area.label))):
    _who_gave_input(eng, area, related)
with st.expander(ui.t("inbreng.mod.title")):
    _moderation(eng, related)
st.caption(ui.t("inbreng.stored_in", where=ui.escape(db.describe(eng))))
