"""Residents' input in a real browser: markup shows as text and runs nothing (list, map tooltip),
and input sent through the page survives the app being killed and restarted."""

from __future__ import annotations

import re
import signal

import pytest

from enschede_gis import db, inputs, roles
from enschede_gis.roles import Actor, Role
from tests.browser.conftest import start_app, stop_app, wait_for_app

STAFF = Actor(Role.TEAM)  # input from the area team's own page; residents are tested in test_inputs

pytestmark = pytest.mark.browser

CITY = "BU01530000"
CITY_PIN = (52.22028827916971, 6.893882170507437)
EVIL = '<script>window.pwned=1;alert(1)</script><img src=x onerror="window.pwned=2;alert(2)">'


@pytest.fixture
def app(isolated_state, monkeypatch):
    """A live app on this test's own state folder (its SQLite database), killed afterwards."""
    monkeypatch.delenv(db.DATABASE_URL_ENV, raising=False)
    started = []

    def launch():
        url, process = start_app(isolated_state, {db.DATABASE_URL_ENV: ""})
        started.append(process)
        return url, process

    yield launch
    for process in started:
        if process.poll() is None:
            stop_app(process)
        if process.stderr:
            process.stderr.close()
    db.dispose_all()


def _watch_dialogs(page) -> list[str]:
    seen: list[str] = []

    def on_dialog(dialog):
        seen.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return seen


def _map_frame(page):
    page.wait_for_selector("iframe[title='app_state.wijkbeeld_map']", timeout=60_000)
    frame = page.frame_locator("iframe[title='app_state.wijkbeeld_map']")
    frame.locator("body[data-ready]").wait_for(timeout=60_000)
    return frame


def _pwned(frames) -> list:
    return [f.evaluate("() => window.pwned === undefined ? null : window.pwned") for f in frames]


def test_markup_in_a_note_is_shown_as_text_and_runs_nothing(app, page):
    inputs.submit(
        db.engine(),
        inputs.make_input(kind="note", area_code=CITY, text=EVIL, lat=CITY_PIN[0], lon=CITY_PIN[1]),
        actor=STAFF,
        session_id="browser-test",
    )
    db.dispose_all()
    url, _ = app()
    dialogs = _watch_dialogs(page)
    page.goto(f"{url}/inbreng?gebied={CITY}")
    wait_for_app(page)

    # the list: the text appears literally
    listed = page.locator('[data-testid="stText"]', has_text="<script>window.pwned=1")
    listed.first.wait_for()
    assert EVIL in listed.first.inner_text()

    # the map: the pin's tooltip shows the text literally (set as text by the map component)
    frame = _map_frame(page)
    marker = frame.locator("path.wb-point").last
    marker.wait_for()
    marker.hover()
    tooltip = frame.locator(".leaflet-tooltip").last
    tooltip.wait_for()
    assert "<script>window.pwned=1" in tooltip.inner_text()
    assert frame.locator(".leaflet-tooltip img, .leaflet-tooltip script").count() == 0

    page.wait_for_timeout(1000)
    assert dialogs == []
    assert _pwned(page.frames) == [None] * len(page.frames)


def test_input_sent_through_the_page_survives_a_killed_app(app, page):
    url, process = app()
    page.goto(f"{url}/inbreng?gebied={CITY}")
    wait_for_app(page)
    note = "Het fietspad langs de Oldenzaalsestraat is te smal"
    page.get_by_label("Uw tekst").fill(note)
    page.get_by_role("button", name="Versturen").click()
    page.get_by_text(re.compile(r"Uw inbreng is opgeslagen \(nummer \d+\)")).wait_for()

    process.send_signal(signal.SIGKILL)  # no clean shutdown
    process.wait(timeout=30)
    url, _ = app()
    page.goto(f"{url}/inbreng?gebied={CITY}")
    wait_for_app(page)
    page.locator('[data-testid="stText"]', has_text=note).first.wait_for()


def test_meeting_mode_is_readable_on_a_1080p_projector(app, browser):
    """Presenting: no sidebar, body text of at least 28 px, black on white; residents' markup in an
    agreement stays text there too."""
    from datetime import date

    from enschede_gis import meetings

    meeting = meetings.make_meeting(
        title="Buurtavond",
        area_code=CITY,
        held_on=date(2026, 11, 30),
        frame={"fixed": "Het plein wordt heringericht.", "open": EVIL, "purposes": ["kennis"]},
        started=True,
    )
    meetings.save(db.engine(), meeting, actor=roles.Actor(roles.Role.TEAM))
    db.dispose_all()
    url, _ = app()
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        tab = context.new_page()
        dialogs = _watch_dialogs(tab)
        tab.goto(f"{url}/bijeenkomst?bijeenkomst={meeting.id}")
        tab.get_by_role("button", name="Verder presenteren").click()
        text = tab.locator('[data-testid="stText"]', has_text="Het plein wordt heringericht.").first
        text.wait_for(timeout=60_000)
        style = text.evaluate("e => { const s = getComputedStyle(e); return [parseFloat(s.fontSize), s.color]; }")
        assert style[0] >= 28 and style[1] == "rgb(0, 0, 0)"
        assert tab.locator('[data-testid="stSidebar"]').is_hidden()
        assert EVIL in tab.locator('[data-testid="stText"]', has_text="<script>").first.inner_text()
        tab.wait_for_timeout(500)
        assert dialogs == [] and _pwned(tab.frames) == [None] * len(tab.frames)
    finally:
        context.close()
