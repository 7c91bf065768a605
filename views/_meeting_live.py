"""Meeting mode's way to the phones: the QR code and short code for the join page, opening and
closing input, and the input as it arrives (a fragment that refreshes itself on the projector).

Not a page (not in ``app_state.PAGES``): ``views/bijeenkomst.py`` calls :func:`join_panel` and
:func:`live_input`. Links, codes and limits are decided in the package (:mod:`enschede_gis.joinlink`,
:mod:`enschede_gis.inputs`); this module only lays them out.
"""

from __future__ import annotations

import html
import os
from datetime import timedelta

import streamlit as st

import app_state as ui
from enschede_gis import db, inputs, joinlink, meetings, roles
from enschede_gis.errors import WijkbeeldError

#: How often the projector asks the database for new input: often enough to feel live, cheap
#: enough for a laptop that also serves thirty phones.
LIVE_EVERY = timedelta(seconds=2)
#: The newest remarks shown on the projector (more would not be readable from the back).
LATEST = 6

QR_CSS = """
<style>
.wb-join {display: flex; gap: 2.5rem; align-items: center; flex-wrap: wrap;}
.wb-join .wb-qr img {width: min(46vh, 520px); height: auto; display: block; image-rendering: pixelated;}
.wb-join .wb-code {font-size: 4.5rem; font-weight: 800; letter-spacing: 0.5rem; line-height: 1.1; color: #000;}
.wb-join .wb-url {font-size: 1.6rem; color: #000; word-break: break-all;}
.wb-join .wb-label {font-size: 1.6rem; color: #222;}
</style>
"""


@st.cache_resource(show_spinner=False, ttl=60)
def _lan_address() -> str | None:
    return joinlink.lan_address()


def join_base() -> str | None:
    """Where phones reach this app: ``WIJKBEELD_PUBLIC_URL``, else this laptop's network address
    and port; None when the app listens on this laptop only or there is no network."""
    public = os.environ.get(joinlink.PUBLIC_URL_ENV)
    bound = st.get_option("server.address")
    if not public and joinlink.listens_on_loopback_only(bound):
        return None  # started with --server.address 127.0.0.1: no phone can reach it
    host = joinlink.host_for_link(bound, _lan_address())
    return joinlink.public_base(public_url=public, host=host, port=st.get_option("server.port"))


def join_panel(meeting: meetings.Meeting, eng) -> None:
    """The QR code, the short code and the link for the join page, with the input switch."""
    code = joinlink.short_code(meeting.id)
    with ui.user_errors():
        base = join_base()
    if base is None:
        st.warning(ui.t("doe.no_address", code=code))
    else:
        url = joinlink.join_url(base, meeting.id, lang=ui.lang())
        link = html.escape(url, quote=True)
        alt = html.escape(ui.t("doe.qr_label"), quote=True)
        st.html(
            QR_CSS + f'<div class="wb-join" data-testid="wb-join" data-join-url="{link}">'
            f'<div class="wb-qr"><img src="{joinlink.qr_data_uri(url)}" alt="{alt}"></div>'
            f'<div><div class="wb-label">{html.escape(ui.t("doe.scan"))}</div>'
            f'<div class="wb-code">{code}</div>'
            f'<div class="wb-url">{link}</div></div></div>'
        )
    _input_switch(meeting, eng)


def _input_switch(meeting: meetings.Meeting, eng) -> None:
    """Open or close residents' input (staff only; the package checks it too)."""
    if not ui.actor().can(roles.Action.EDIT_MEETINGS):
        return
    if meeting.input_open:
        st.success(ui.t("doe.input_is_open", limit=meeting.input_limit))
        label, change = ui.t("doe.close_input"), meetings.close_input
    else:
        st.info(ui.t("doe.input_is_closed"))
        label, change = ui.t("doe.open_input"), meetings.open_input
    if st.button(label, key="live_input_switch", type="primary" if not meeting.input_open else "secondary"):
        with ui.user_errors():
            loaded = ui.edit_version("meetings", meeting.id)
            meetings.save(
                eng, change(meetings.load(eng, meeting.id), actor=ui.actor()), actor=ui.actor(), expected=loaded
            )
        ui.forget_edit_versions("meetings")
        st.rerun()


def live_input(meeting_id: str) -> None:
    """The meeting's visible input, refreshed every :data:`LIVE_EVERY` without reloading the page:
    how many, the votes so far, and the newest remarks. Hidden input is left out."""
    _live(meeting_id)


@st.fragment(run_every=LIVE_EVERY)
def _live(meeting_id: str) -> None:
    eng = db.engine()
    try:
        shown = inputs.list_inputs(eng, meeting_id=meeting_id)
    except WijkbeeldError as exc:  # the projector keeps running; the next refresh tries again
        st.caption(ui.error_text(exc))
        return
    with st.container(key="live_input"):
        st.subheader(ui.t("doe.live_count", count=len(shown)))
        votes = shown.loc[shown["kind"] == "vote", "priority"].value_counts()
        total = int(votes.sum())
        for priority, count in votes.items():
            votes_text = ui.t("doe.live_vote" if count == 1 else "doe.live_votes", count=int(count))
            label = f"{ui.escape(priority)} — {votes_text}"
            st.progress(count / total, text=label)
        remarks = shown[shown["text"].fillna("").str.len() > 0].tail(LATEST).iloc[::-1]
        for text in remarks["text"]:
            with st.container(border=True):
                st.text(text)
