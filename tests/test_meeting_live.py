"""AppTests for meeting mode's join panel and live input (views/_meeting_live.py, shown by the
meeting page): the QR link phones can reach, opening and closing input, and what the projector shows."""

from __future__ import annotations

import re
from datetime import date

import pytest

from enschede_gis import inputs, joinlink, meetings
from enschede_gis.roles import Actor, Role
from tests.page_helpers import TEAM, run_page

LASONDER = "BU01530001"
RESIDENT = Actor(Role.RESIDENT)


@pytest.fixture
def meeting(page_db):
    made = meetings.make_meeting(title="Buurtavond", area_code=LASONDER, held_on=date(2026, 12, 1))
    return meetings.save(page_db, made, actor=TEAM)


def _join_html(at) -> str:
    return next(h.proto.body for h in at.get("html") if "wb-join" in h.proto.body)


def test_the_qr_link_uses_the_public_address_and_the_meeting_code(page_db, meeting, monkeypatch):
    monkeypatch.setenv(joinlink.PUBLIC_URL_ENV, "https://wijkbeeld.example/")
    body = _join_html(run_page("bijeenkomst.py", bijeenkomst=meeting.id))
    code = joinlink.short_code(meeting.id)
    assert f'data-join-url="https://wijkbeeld.example/doe-mee?code={code}"' in body
    assert f'<div class="wb-code">{code}</div>' in body
    assert f'src="{joinlink.qr_data_uri(f"https://wijkbeeld.example/doe-mee?code={code}")}"' in body


def test_without_a_public_address_the_link_is_the_laptops_network_address(page_db, meeting, monkeypatch):
    monkeypatch.delenv(joinlink.PUBLIC_URL_ENV, raising=False)
    at = run_page("bijeenkomst.py", bijeenkomst=meeting.id)
    if joinlink.lan_address() is None:
        assert "Telefoons kunnen deze laptop nu niet bereiken" in at.warning[0].value
        return
    url = re.search(r'data-join-url="([^"]+)"', _join_html(at)).group(1)
    assert url.startswith(f"http://{joinlink.lan_address()}:")
    assert "127.0.0.1" not in url and "localhost" not in url


def test_staff_open_and_close_input(page_db, meeting):
    at = run_page("bijeenkomst.py", bijeenkomst=meeting.id)
    assert "De inbreng is gesloten" in at.info[-1].value
    at.button(key="live_input_switch").click().run()
    assert meetings.load(page_db, meeting.id).input_open
    assert "De inbreng staat open" in at.success[-1].value
    at.button(key="live_input_switch").click().run()
    assert not meetings.load(page_db, meeting.id).input_open


def test_the_input_step_shows_votes_and_remarks_without_hidden_ones(page_db, meeting):
    changed = meetings.with_changes(meeting, input_open=True, started=True, step=2, profiles=["Groen"])
    opened = meetings.save(page_db, changed, actor=TEAM, expected=1)
    for i, (kind, text, priority) in enumerate(
        [("vote", "", "Groen"), ("vote", "", "Groen"), ("vote", "", "Verkeer"), ("note", "Meer bankjes", None)]
    ):
        draft = inputs.make_input(kind=kind, area_code=LASONDER, text=text, priority=priority, meeting_id=opened.id)
        inputs.submit(page_db, draft, actor=RESIDENT, session_id=f"phone-{i}")
    hidden = inputs.submit(
        page_db,
        inputs.make_input(kind="note", area_code=LASONDER, text="Iets ongepasts", meeting_id=opened.id),
        actor=RESIDENT,
        session_id="phone-9",
    )
    inputs.set_hidden(page_db, [hidden.id], hidden=True, actor=Actor(Role.FACILITATOR))
    at = run_page("bijeenkomst.py", session={"bijeenkomst_present": True}, bijeenkomst=opened.id)
    assert "Inbreng tot nu toe: 4" in [s.value for s in at.subheader]
    assert [p.proto.text for p in at.get("progress")] == ["Groen — 2 stemmen", "Verkeer — 1 stem"]
    shown = [t.value for t in at.text]
    assert "Meer bankjes" in shown and "Iets ongepasts" not in shown
