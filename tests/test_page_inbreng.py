"""AppTests for the residents' input page: submit, list as plain text, validation, moderation."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from enschede_gis import auth, db, inputs, meetings
from enschede_gis.roles import Actor, Role
from tests.page_helpers import TEAM, map_views, run_page

STAFF = Actor(Role.TEAM)  # input from the area team's own page; residents are tested in test_inputs

CITY = "BU01530000"
EVIL = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'


@pytest.fixture(autouse=True)
def _no_password(monkeypatch):
    monkeypatch.delenv(auth.FACILITATOR_PASSWORD_ENV, raising=False)
    monkeypatch.delenv(auth.TEAM_PASSWORD_ENV, raising=False)


@pytest.fixture
def app(page_db) -> AppTest:
    return run_page("inbreng.py", gebied=CITY)


def _send(at: AppTest, text: str) -> None:
    at.text_area(key="inbreng_text").set_value(text)
    at.button[0].click()  # the form's submit button comes first on the page
    at.run()
    assert not at.exception, at.exception


def test_page_starts_empty(app):
    assert any("Nog geen inbreng" in i.value for i in app.info)
    assert app.selectbox(key="inbreng_area").value == CITY


def test_a_note_is_saved_then_confirmed_and_listed_as_plain_text(app):
    _send(app, EVIL)
    assert any("opgeslagen (nummer 1)" in s.value for s in app.success)
    stored = inputs.list_inputs(db.engine())
    assert stored["text"].tolist() == [EVIL]
    assert stored["area_code"].tolist() == [CITY]
    assert EVIL in [t.value for t in app.text]  # st.text: shown as text, never as markup
    assert all(EVIL not in m.value for m in app.markdown)


def test_too_short_text_gives_one_message_and_saves_nothing(app):
    _send(app, "ok")
    assert app.error and "minstens" in app.error[0].value
    assert inputs.list_inputs(db.engine()).empty
    assert any("Nog geen inbreng" in i.value for i in app.info)  # the rest of the page is still there


def test_profile_fields_are_stored(app):
    app.selectbox(key="inbreng_age").set_value("15-25")
    app.selectbox(key="inbreng_home").set_value(CITY)
    app.radio(key="inbreng_tenure").set_value("huur")
    _send(app, "Meer plekken voor jongeren")
    frame = inputs.inputs_frame(db.engine())
    assert frame.iloc[0][["age_group", "home_buurt", "tenure"]].tolist() == ["15-25", CITY, "huur"]


def test_who_gave_input_is_compared_with_who_lives_in_the_area(app):
    eng = db.engine()
    for i in range(11):
        draft = inputs.make_input(kind="note", area_code=CITY, text=f"Bericht {i}", age_group="65+")
        inputs.submit(eng, draft, actor=STAFF, session_id=f"s{i}")
    inputs.submit(
        eng, inputs.make_input(kind="note", area_code="BU01530001", text="Elders"), actor=STAFF, session_id="x"
    )
    app.run()
    assert not app.exception
    table = app.dataframe[-1].value.set_index("Groep")
    assert table.loc["65 jaar en ouder", "Inbreng (aantal)"] == "11"  # only this buurt's input
    assert table.loc["15–25 jaar", "Inbreng (aantal)"] == "< 5"
    assert any(t.value.startswith("65 jaar en ouder") and "oververtegenwoordigd" in t.value for t in app.text)
    assert any("Geteld zijn 11 zichtbare bijdragen" in c.value for c in app.caption)


def test_a_vote(app):
    app.radio(key="inbreng_kind").set_value("vote")
    app.run()
    option = app.selectbox(key="inbreng_priority").options[0]
    _send(app, "")
    assert inputs.vote_counts(db.engine()).to_dict() == {option: 1}


def _sign_in(at: AppTest, password: str) -> None:
    at.text_input(key="inbreng_signin_password").set_value(password)
    next(b for b in at.button if b.label == "Aanmelden").click()
    at.run()


def test_moderation_is_for_the_facilitator(app, monkeypatch):
    _send(app, "Dit is een bericht")
    monkeypatch.setenv(auth.FACILITATOR_PASSWORD_ENV, "geheim")
    monkeypatch.setenv(auth.TEAM_PASSWORD_ENV, "team")
    app.run()
    assert any("Alleen de gespreksleider" in i.value for i in app.info)  # the team may not moderate
    _sign_in(app, "fout")
    assert any("klopt niet" in e.value for e in app.error)
    _sign_in(app, "team")  # signing in as team gives no moderation either
    assert any("Alleen de gespreksleider" in i.value for i in app.info)
    _sign_in(app, "geheim")
    app.multiselect(key="inbreng_mod_ids").set_value([1])
    app.run()
    app.button(key="inbreng_hide").click()
    app.run()
    assert not app.exception
    assert inputs.list_inputs(db.engine()).empty
    assert inputs.list_inputs(db.engine(), include_hidden=True)["hidden"].tolist() == [True]


def test_input_given_for_a_meeting_carries_its_id(page_db):
    new = meetings.make_meeting(title="Avond", area_code=CITY, held_on=date(2026, 12, 1), input_open=True)
    meeting = meetings.save(page_db, new, actor=TEAM)
    at = run_page("inbreng.py", bijeenkomst=meeting.id, gebied=CITY)
    assert any("bijeenkomst 'Avond' van 01-12-2026" in i.value for i in at.info)
    _send(at, "Idee voor de avond")
    assert inputs.inputs_frame(page_db, meeting_id=meeting.id)["area_code"].tolist() == [CITY]


def test_an_unknown_meeting_id_is_not_stored(page_db):
    at = run_page("inbreng.py", bijeenkomst="verzonnen", gebied=CITY)
    assert any("niet gevonden" in w.value for w in at.warning)
    _send(at, "Zomaar een idee")
    assert inputs.list_inputs(page_db)["meeting_id"].isna().all()


def test_english(page_db):
    at = run_page("inbreng.py", lang="en")
    assert at.title[0].value == "Residents' input"
    _send(at, "ok")  # too short: the package's message comes in English too
    assert at.error and "write at least" in at.error[0].value and "minstens" not in at.error[0].value
    assert inputs.list_inputs(page_db).empty


def test_a_click_on_the_map_places_the_pin_and_the_input_lands_in_that_buurt(app):
    twekkelerveld = (52.2305, 6.8605)  # inside Twekkelerveld, while the page is about City
    app.session_state["inbreng_map"] = {"lat": 48.85, "lon": 2.35, "id": "paris"}
    app.run()
    assert "buiten de gemeente" in app.error[0].value and map_views(app)[0]["pin"] is None
    app.session_state["inbreng_map"] = {"lat": twekkelerveld[0], "lon": twekkelerveld[1], "id": "tw"}
    app.run()
    assert not app.error
    view = map_views(app)[0]
    assert view["pin"] == [*twekkelerveld, "Uw speld"] and view["pick"] is True and view["focus"] == [CITY]
    _send(app, EVIL)
    stored = inputs.list_inputs(db.engine()).iloc[0]
    assert (stored["area_code"], stored["lat"], stored["lon"]) == ("BU01530301", *twekkelerveld)
    app.selectbox(key="inbreng_area").set_value("BU01530301").run()
    [point] = map_views(app)[0]["points"]
    assert point[:2] == list(twekkelerveld) and point[3] == ["Opmerking", EVIL]  # as text; the browser sets textContent
    assert map_views(app)[0]["pin"] is None  # the pin went with the input
