"""AppTests for the residents' join page: the code, a closed meeting, giving input as a resident,
the limit per device, and a pin outside the meeting's area that asks before moving the input."""

from __future__ import annotations

import re
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from enschede_gis import inputs, joinlink, meetings
from enschede_gis.roles import Actor, Role
from tests.page_helpers import map_views, run_page

TWEKKELERVELD = "BU01530301"
CITY = "BU01530000"
CITY_PIN = inputs.PinPlace(52.220288, 6.893882, CITY, False)
RESIDENT = {"_signed_in_role": None}  # an AppTest has no client address: not signed in is a resident
TEAM = Actor(Role.TEAM)


def _meeting(eng, **extra) -> meetings.Meeting:
    meeting = meetings.make_meeting(title="Buurtavond <b>Twekkelerveld</b>", area_code=TWEKKELERVELD, **extra)
    return meetings.save(eng, meeting, actor=TEAM)


def _page(**params) -> AppTest:
    return run_page("deelnemen.py", session=RESIDENT, **params)


def _send(at: AppTest, text: str, **facts) -> None:
    at.text_area(key="doe_text").set_value(text)
    for key, value in facts.items():
        at.selectbox(key=key).set_value(value)
    next(b for b in at.button if b.label == "Versturen").click()
    at.run()
    assert not at.exception, at.exception


def test_without_a_code_the_page_asks_for_it(page_db):
    meeting = _meeting(page_db, input_open=True)
    at = _page()
    assert at.text_input(key="doe_code_input")
    at.text_input(key="doe_code_input").set_value("zzz 999")
    next(b for b in at.button if b.label == "Meedoen").click()
    at.run()
    assert "geen bijeenkomst met de code ZZZ999" in at.error[0].value
    code = joinlink.short_code(meeting.id)
    at.text_input(key="doe_code_input").set_value(f"{code[:3].lower()} {code[3:]}")
    next(b for b in at.button if b.label == "Meedoen").click()
    at.run()
    assert at.query_params["code"] == code
    assert at.subheader[0].value == r"Buurtavond \<b\>Twekkelerveld\</b\>"  # escaped, shown as typed
    assert at.text_area(key="doe_text")


def test_a_closed_meeting_takes_no_input(page_db):
    meeting = _meeting(page_db)
    at = _page(code=joinlink.short_code(meeting.id))
    assert "U kunt nu nog niets insturen" in at.info[0].value
    assert not at.text_area


def test_a_resident_gives_input_to_the_open_meeting(page_db):
    meeting = _meeting(page_db, input_open=True)
    at = _page(code=joinlink.short_code(meeting.id))
    order = [type(e).__name__ for e in at.main if type(e).__name__ in ("TextArea", "Selectbox", "Expander")]
    assert order[0] == "TextArea"  # the text box first
    _send(at, "Meer licht in het park", doe_age="65+", doe_home=TWEKKELERVELD)
    assert at.success[0].value.startswith("Dank u wel!")
    stored = inputs.list_inputs(page_db, meeting_id=meeting.id)
    assert stored[["area_code", "kind", "text", "age_group", "home_buurt"]].values.tolist() == [
        [TWEKKELERVELD, "note", "Meer licht in het park", "65+", TWEKKELERVELD]
    ]


def test_a_vote_for_one_of_the_meetings_topics(page_db):
    meeting = _meeting(page_db, input_open=True, profiles=["Groen en spelen"])
    at = _page(code=joinlink.short_code(meeting.id))
    assert at.selectbox(key="doe_priority").options == ["Geen stem", "Groen en spelen"]
    _send(at, "", doe_priority="Groen en spelen")
    assert inputs.vote_counts(page_db, meeting_id=meeting.id).to_dict() == {"Groen en spelen": 1}


def test_the_device_limit_is_said_and_nothing_more_is_stored(page_db):
    meeting = _meeting(page_db, input_open=True, input_limit=1)
    at = _page(code=joinlink.short_code(meeting.id))
    _send(at, "Eerste opmerking")
    _send(at, "Tweede opmerking")
    assert "maximum" in at.error[0].value
    assert len(inputs.list_inputs(page_db, meeting_id=meeting.id)) == 1


def test_closing_the_meeting_stops_input_from_an_open_page(page_db):
    meeting = _meeting(page_db, input_open=True)
    at = _page(code=joinlink.short_code(meeting.id))
    meetings.save(page_db, meetings.close_input(meeting, actor=TEAM), actor=TEAM, expected=1)
    _send(at, "Te laat gestuurd")
    assert "U kunt nu nog niets insturen" in at.info[0].value
    assert inputs.list_inputs(page_db).empty  # the package refuses it too: see test_inputs


@pytest.mark.parametrize("answer", ["Ja, over City", "Nee, speld weghalen"])
def test_a_pin_outside_the_area_asks_before_moving_the_input(page_db, answer):
    meeting = _meeting(page_db, input_open=True)
    at = run_page(
        "deelnemen.py",
        session={**RESIDENT, "_join_map_open": True, "_join_pending_pin": CITY_PIN},
        code=joinlink.short_code(meeting.id),
    )
    assert at.warning[0].value == "Deze plek ligt in City, buiten Twekkelerveld. Gaat uw inbreng over City?"
    next(b for b in at.button if b.label == answer).click()
    at.run()
    _send(at, "Over de plek op de kaart")
    stored = inputs.list_inputs(page_db, meeting_id=meeting.id).iloc[0]
    if answer.startswith("Ja"):
        assert (stored["area_code"], round(stored["lat"], 4)) == (CITY, 52.2203)
    else:
        assert stored["area_code"] == TWEKKELERVELD and stored[["lat", "lon"]].isna().all()


def test_the_page_in_english(page_db):
    meeting = _meeting(page_db, input_open=True, held_on=date(2026, 12, 1))
    at = _page(code=joinlink.short_code(meeting.id), lang="en")
    assert at.title[0].value == "Take part"
    assert at.caption[0].value == "About Twekkelerveld · 01-12-2026"


def _rendered_text(at: AppTest) -> str:
    parts = [e.label for e in at.metric] + [e.value for e in at.metric]
    parts += [e.value for kind in (at.caption, at.markdown, at.subheader, at.title, at.info) for e in kind]
    parts += [b.label for b in at.button]
    return "\n".join(str(p) for p in parts)


def test_a_joined_resident_sees_the_meetings_public_figures_when_asked(page_db):
    meeting = _meeting(page_db)  # also while the input is closed
    at = _page(code=joinlink.short_code(meeting.id))
    assert not at.metric  # nothing computed until asked for
    next(b for b in at.button if b.label == "Cijfers over Twekkelerveld").click()
    at.run()
    assert not at.exception, at.exception
    shown = {m.label.replace("\\", ""): m.value for m in at.metric}  # labels are markdown-escaped
    assert shown["Aantal inwoners"] == "4.210"
    assert shown["Huishoudens met een laag inkomen (laagste 40% van NL)"] == "70,2%"
    captions = [c.value for c in at.caption]
    assert "In 2024 · Enschede: 161.738 inwoners" in captions  # the area's latest year, beside Enschede
    assert "In 2023 · Enschede: 52,3%" in captions  # each figure at its own latest year
    text = _rendered_text(at)
    assert not re.search(r"BU\d{8}", text)
    assert not re.search(r"\b[a-z]+_[a-z0-9_]+\b", text)
    next(b for b in at.button if b.label == "Cijfers verbergen").click()
    at.run()
    assert not at.metric


def test_no_figures_without_a_meeting(page_db):
    at = _page(code="ZZZ999")
    assert not at.metric
    assert not any(b.label.startswith("Cijfers") for b in at.button)


def test_a_tap_on_the_map_puts_the_pin_in_the_area_and_outside_the_gemeente_is_refused(page_db):
    meeting = _meeting(page_db, input_open=True)
    at = run_page("deelnemen.py", session={**RESIDENT, "_join_map_open": True}, code=joinlink.short_code(meeting.id))
    [view] = map_views(at)
    assert view["pick"] is True and view["pin"] is None and view["focus"] == [TWEKKELERVELD]
    assert view["legend"]["rows"][0][0] == "Twekkelerveld"  # the area by name, no code
    at.session_state["join_map"] = {"lat": 52.52, "lon": 13.40, "id": "berlijn"}
    at.run()
    assert "buiten de gemeente" in at.error[0].value and map_views(at)[0]["pin"] is None
    at.session_state["join_map"] = {"lat": 52.2305, "lon": 6.8605, "id": "tw"}
    at.run()
    assert not at.error and map_views(at)[0]["pin"] == [52.2305, 6.8605, "Uw speld"]
    assert any("Twekkelerveld" in c.value for c in at.caption)  # the form names the pin's buurt
    _send(at, "Hier mist een bankje")
    stored = inputs.list_inputs(page_db, meeting_id=meeting.id).iloc[0]
    assert (stored["area_code"], stored["lat"], stored["lon"]) == (TWEKKELERVELD, 52.2305, 6.8605)
