"""Residents' input: validation, rate limit, pins inside the gemeente, moderation, export."""

from __future__ import annotations

import csv
import io

import pytest
from pg_fixtures import *  # noqa: F403  (the db_url, db_engine and pg_url fixtures)
from sqlalchemy import select

from enschede_gis import db, inputs, meetings, roles
from enschede_gis.errors import InputError
from enschede_gis.roles import Actor, PermissionDenied, Role

STAFF = Actor(Role.TEAM)  # input from the area team's own page; residents are tested in test_inputs
FACILITATOR = roles.Actor(roles.Role.FACILITATOR, "Fenna")

CITY = "BU01530000"
CITY_PIN = (52.22028827916971, 6.893882170507437)  # a point inside buurt City
OUTSIDE_PIN = (52.37, 4.89)  # Amsterdam


@pytest.fixture(scope="module")
def where(snap):
    return inputs.places(snap, custom_keys=["custom:Oost"])


def _note(text="Meer bankjes in het park", **extra):
    return inputs.make_input(kind="note", area_code=extra.pop("area_code", CITY), text=text, **extra)


def test_text_is_trimmed_and_stripped_of_control_characters():
    draft = _note("  Zebrapad\u202e bij school\x00 \r\n graag  ")
    assert draft.text == "Zebrapad bij school \n graag"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "note", "area_code": CITY, "text": "x" * (inputs.MAX_TEXT + 1)}, "tekst"),
        ({"kind": "note", "area_code": CITY, "text": "ok"}, "minstens"),
        ({"kind": "vote", "area_code": CITY}, "prioriteit"),
        ({"kind": "complaint", "area_code": CITY, "text": "hallo daar"}, "soort"),
        ({"kind": "note", "area_code": CITY, "text": "hallo daar", "age_group": "30-40"}, "leeftijdsgroep"),
        ({"kind": "note", "area_code": CITY, "text": "hallo daar", "lat": 52.2}, "lengtegraad"),
        ({"kind": "note", "area_code": CITY, "text": "hallo daar", "name": "Jan"}, "name"),
    ],
)
def test_bad_input_gives_one_message_naming_the_field(fields, message):
    with pytest.raises(InputError, match=message):
        inputs.make_input(**fields)


def test_exactly_the_maximum_length_is_accepted():
    assert len(_note("x" * inputs.MAX_TEXT).text) == inputs.MAX_TEXT


def test_optional_profile_fields_are_coarse_and_anonymous(where):
    draft = inputs.make_input(
        kind="idea", area_code=CITY, text="Moestuin", age_group="15-25", home_buurt=CITY, tenure="huur"
    )
    assert inputs.check_place(draft, where) is draft
    assert set(inputs.InputDraft.model_fields) == {
        "kind",
        "area_code",
        "text",
        "priority",
        "lat",
        "lon",
        "age_group",
        "home_buurt",
        "tenure",
        "meeting_id",
    }
    with pytest.raises(InputError, match="woonbuurt"):
        inputs.check_place(_note(home_buurt="BU99999999"), where)
    assert inputs.check_place(_note(home_buurt=inputs.ELSEWHERE), where)


def test_pin_must_lie_inside_the_gemeente(where):
    assert where.pin(*CITY_PIN) == CITY
    with pytest.raises(InputError, match="buiten de gemeente"):
        where.pin(*OUTSIDE_PIN)
    with pytest.raises(InputError, match="buiten de gemeente"):
        inputs.check_place(_note(lat=OUTSIDE_PIN[0], lon=OUTSIDE_PIN[1]), where)


def test_unknown_area_is_refused(where):
    with pytest.raises(InputError, match="Onbekend gebied"):
        inputs.check_place(_note(area_code="BU00000000"), where)
    assert inputs.check_place(_note(area_code="custom:Oost"), where)


def test_submit_commits_and_lists_per_area(db_engine, where):
    stored = inputs.submit(db_engine, _note(), actor=STAFF, session_id="s1", where=where)
    inputs.submit(db_engine, _note("Elders iets", area_code="BU01530001"), actor=STAFF, session_id="s1", where=where)
    listed = inputs.list_inputs(db_engine, area_codes=[CITY])
    assert list(listed["id"]) == [stored.id]
    assert listed["text"].iloc[0] == "Meer bankjes in het park"
    assert listed["created_at"].iloc[0].endswith("Z")


def test_markup_is_stored_exactly_as_typed(db_engine):
    evil = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'
    inputs.submit(db_engine, _note(evil), actor=STAFF, session_id="s1")
    assert inputs.list_inputs(db_engine)["text"].iloc[0] == evil


def test_rate_limit_per_session(db_engine):
    for i in range(inputs.RATE_LIMIT):
        inputs.submit(db_engine, _note(f"bericht nummer {i}"), actor=STAFF, session_id="busy")
    with pytest.raises(InputError, match="Wacht even"):
        inputs.submit(db_engine, _note("nog een"), actor=STAFF, session_id="busy")
    inputs.submit(db_engine, _note("ander apparaat"), actor=STAFF, session_id="other")
    assert len(inputs.list_inputs(db_engine)) == inputs.RATE_LIMIT + 1


def test_session_maximum(db_engine, monkeypatch):
    monkeypatch.setattr(inputs, "SESSION_MAX", 2)
    monkeypatch.setattr(inputs, "RATE_LIMIT", 100)
    inputs.submit(db_engine, _note("een bericht"), actor=STAFF, session_id="s")
    inputs.submit(db_engine, _note("twee bericht"), actor=STAFF, session_id="s")
    with pytest.raises(InputError, match="maximum"):
        inputs.submit(db_engine, _note("drie bericht"), actor=STAFF, session_id="s")


def test_hide_and_restore(db_engine):
    a = inputs.submit(db_engine, _note("eerste"), actor=STAFF, session_id="s").id
    b = inputs.submit(db_engine, _note("tweede"), actor=STAFF, session_id="s").id
    with pytest.raises(PermissionDenied):  # the area team may not moderate; a facilitator may
        inputs.set_hidden(db_engine, [a], hidden=True, actor=roles.Actor(roles.Role.TEAM))
    assert inputs.set_hidden(db_engine, [a], hidden=True, actor=FACILITATOR) == 1
    with db.reading(db_engine) as conn:
        row = conn.execute(select(db.INPUTS.c.moderated_by, db.INPUTS.c.moderated_at).where(db.INPUTS.c.id == a)).one()
    assert row[0] == "Fenna" and row[1]
    assert list(inputs.list_inputs(db_engine)["id"]) == [b]
    everything = inputs.list_inputs(db_engine, include_hidden=True)
    assert everything.set_index("id")["hidden"].to_dict() == {a: True, b: False}
    assert inputs.set_hidden(db_engine, [a], hidden=False, actor=FACILITATOR) == 1
    assert list(inputs.list_inputs(db_engine)["id"]) == [a, b]


def test_votes_are_counted_without_hidden_ones(db_engine):
    for session, priority in [("a", "Groen"), ("b", "Groen"), ("c", "Verkeer")]:
        inputs.submit(
            db_engine,
            inputs.make_input(kind="vote", area_code=CITY, priority=priority),
            actor=STAFF,
            session_id=session,
        )
    counts = inputs.vote_counts(db_engine, area_codes=[CITY])
    assert counts.to_dict() == {"Groen": 2, "Verkeer": 1}


def test_export_holds_everything_and_neutralises_formulas(db_engine):
    inputs.submit(db_engine, _note('=HYPERLINK("http://x")'), actor=STAFF, session_id="s")
    hidden = inputs.submit(db_engine, _note('verborgen; met "quotes", en komma'), actor=STAFF, session_id="s").id
    inputs.set_hidden(db_engine, [hidden], hidden=True, actor=FACILITATOR)
    data = inputs.export_csv(db_engine)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["text"] for r in rows] == ['\'=HYPERLINK("http://x")', 'verborgen; met "quotes", en komma']
    assert [r["hidden"] for r in rows] == ["False", "True"]
    assert list(rows[0]) == inputs.EXPORT_COLUMNS


def test_delete_only_after_an_export(db_engine, tmp_path):
    keep = inputs.submit(db_engine, _note("blijft staan"), actor=STAFF, session_id="s").id
    gone = inputs.submit(db_engine, _note("wordt verwijderd"), actor=STAFF, session_id="s").id
    inputs.set_hidden(db_engine, [gone], hidden=True, actor=FACILITATOR)
    with pytest.raises(PermissionDenied):
        inputs.delete_hidden(db_engine, actor=roles.Actor(roles.Role.TEAM), export_dir=tmp_path)
    path, deleted = inputs.delete_hidden(db_engine, actor=FACILITATOR, export_dir=tmp_path)
    assert deleted == 1
    exported = path.read_text(encoding="utf-8-sig")
    assert "wordt verwijderd" in exported and "blijft staan" in exported
    assert list(inputs.list_inputs(db_engine, include_hidden=True)["id"]) == [keep]


def test_failed_export_deletes_nothing(db_engine, tmp_path, monkeypatch):
    gone = inputs.submit(db_engine, _note("wordt verwijderd"), actor=STAFF, session_id="s").id
    inputs.set_hidden(db_engine, [gone], hidden=True, actor=FACILITATOR)

    def broken(*_args, **_kwargs):
        raise OSError("schijf vol")

    monkeypatch.setattr(inputs, "atomic_write_bytes", broken)
    with pytest.raises(OSError):
        inputs.delete_hidden(db_engine, actor=FACILITATOR, export_dir=tmp_path)
    assert len(inputs.list_inputs(db_engine, include_hidden=True)) == 1


def _open_meeting(eng, title="Avond", **extra):
    meeting = meetings.make_meeting(title=title, area_code=CITY, input_open=True, **extra)
    return meetings.save(eng, meeting, actor=STAFF).id


def test_inputs_frame_for_representativeness(db_engine):
    m1, m2 = _open_meeting(db_engine), _open_meeting(db_engine, "Andere avond")
    inputs.submit(
        db_engine,
        _note("met profiel", age_group="65+", home_buurt=CITY, tenure="koop", meeting_id=m1),
        actor=STAFF,
        session_id="s",
    )
    inputs.submit(db_engine, _note("zonder profiel", meeting_id=m1), actor=STAFF, session_id="s")
    inputs.submit(db_engine, _note("andere bijeenkomst", meeting_id=m2), actor=STAFF, session_id="s")
    frame = inputs.inputs_frame(db_engine, meeting_id=m1)
    assert list(frame.columns) == ["area_code", "age_group", "home_buurt", "tenure", "kind", "hidden"]
    assert len(frame) == 2
    assert frame.iloc[0].to_dict() == {
        "area_code": CITY,
        "age_group": "65+",
        "home_buurt": CITY,
        "tenure": "koop",
        "kind": "note",
        "hidden": False,
    }
    assert frame.iloc[1][["age_group", "home_buurt", "tenure"]].isna().all()


def test_rate_limit_holds_under_concurrent_submits(db_engine):
    import threading

    outcomes: list[str] = []

    def send(i: int) -> None:
        try:
            inputs.submit(db_engine, _note(f"tegelijk {i}"), actor=STAFF, session_id="burst")
            outcomes.append("ok")
        except InputError:
            outcomes.append("refused")

    workers = [threading.Thread(target=send, args=(i,)) for i in range(12)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert outcomes.count("ok") == inputs.RATE_LIMIT
    assert outcomes.count("refused") == 12 - inputs.RATE_LIMIT
    assert len(inputs.list_inputs(db_engine)) == inputs.RATE_LIMIT


RESIDENT = Actor(Role.RESIDENT)


def test_a_resident_gives_input_only_to_an_open_meeting(db_engine):
    with pytest.raises(InputError, match="hoort bij een bijeenkomst"):
        inputs.submit(db_engine, _note(), actor=RESIDENT, session_id="phone")
    with pytest.raises(InputError, match="bestaat niet"):
        inputs.submit(db_engine, _note(meeting_id="verzonnen"), actor=RESIDENT, session_id="phone")
    closed = meetings.save(db_engine, meetings.make_meeting(title="Avond", area_code=CITY), actor=STAFF)
    with pytest.raises(InputError, match="gesloten"):
        inputs.submit(db_engine, _note(meeting_id=closed.id), actor=RESIDENT, session_id="phone")
    assert inputs.list_inputs(db_engine).empty
    opened = meetings.save(db_engine, meetings.open_input(closed, actor=STAFF), actor=STAFF, expected=1)
    inputs.submit(db_engine, _note(meeting_id=opened.id), actor=RESIDENT, session_id="phone")
    meetings.save(db_engine, meetings.close_input(opened, actor=STAFF), actor=STAFF, expected=2)
    with pytest.raises(InputError, match="gesloten"):
        inputs.submit(db_engine, _note("na het sluiten", meeting_id=opened.id), actor=RESIDENT, session_id="phone")
    assert inputs.list_inputs(db_engine)["text"].tolist() == ["Meer bankjes in het park"]


def test_a_resident_cannot_open_or_close_a_meeting(db_engine):
    meeting = meetings.make_meeting(title="Avond", area_code=CITY)
    with pytest.raises(PermissionDenied):
        meetings.open_input(meeting, actor=RESIDENT)
    with pytest.raises(PermissionDenied):
        meetings.close_input(meeting, actor=RESIDENT)


def test_limit_per_device_and_meeting(db_engine, monkeypatch):
    monkeypatch.setattr(inputs, "RATE_LIMIT", 100)
    first = _open_meeting(db_engine, input_limit=2)
    second = _open_meeting(db_engine, "Tweede avond", input_limit=2)
    for i in range(2):
        inputs.submit(db_engine, _note(f"bericht {i}", meeting_id=first), actor=RESIDENT, session_id="phone")
    with pytest.raises(InputError, match="voor deze bijeenkomst"):
        inputs.submit(db_engine, _note("nog een", meeting_id=first), actor=RESIDENT, session_id="phone")
    # another device, and the same device at another meeting, are not held up
    inputs.submit(db_engine, _note("ander apparaat", meeting_id=first), actor=RESIDENT, session_id="other")
    inputs.submit(db_engine, _note("andere avond", meeting_id=second), actor=RESIDENT, session_id="phone")
    assert len(inputs.list_inputs(db_engine, meeting_id=first)) == 3


def test_a_meeting_takes_at_most_its_maximum(db_engine, monkeypatch):
    monkeypatch.setattr(inputs, "MEETING_MAX", 3)
    meeting = _open_meeting(db_engine)
    for device in "abc":
        inputs.submit(db_engine, _note(meeting_id=meeting), actor=RESIDENT, session_id=device)
    with pytest.raises(InputError, match="meer kan er niet bij"):
        inputs.submit(db_engine, _note(meeting_id=meeting), actor=RESIDENT, session_id="d")


def test_device_key_survives_a_reload():
    """The cookie keeps the key; without a cookie the address (where it tells devices apart) does."""
    fresh = iter(["1" * 32, "2" * 32])
    first = inputs.device_key(cookie=None, address=None, user_agent="x", address_identifies=True, new=fresh.__next__)
    assert first == "r-" + "1" * 32
    assert inputs.device_key(cookie=first, address=None, user_agent="x", address_identifies=True) == first
    by_address = inputs.device_key(cookie=None, address="192.168.1.40", user_agent="Safari", address_identifies=True)
    again = inputs.device_key(cookie=None, address="192.168.1.40", user_agent="Safari", address_identifies=True)
    other = inputs.device_key(cookie=None, address="192.168.1.41", user_agent="Safari", address_identifies=True)
    assert by_address == again != other and "192.168" not in by_address
    # behind a proxy the address says nothing: a new key rather than one shared by the whole room
    proxied = inputs.device_key(
        cookie=None, address="10.0.0.1", user_agent="Safari", address_identifies=False, new=fresh.__next__
    )
    assert proxied == "r-" + "2" * 32
    # a cookie that is not a key of ours is not trusted
    assert inputs.device_key(
        cookie="'; drop", address="192.168.1.40", user_agent="Safari", address_identifies=True
    ) == (by_address)


def test_a_pin_says_whether_it_lies_in_the_meetings_area(where):
    inside = inputs.place_pin(where, *CITY_PIN, area_codes=[CITY, "BU01530001"])
    assert (inside.buurt, inside.inside) == (CITY, True)
    elsewhere = inputs.place_pin(where, *CITY_PIN, area_codes=["BU01530301"])
    assert (elsewhere.buurt, elsewhere.inside) == (CITY, False)
    with pytest.raises(InputError, match="buiten de gemeente"):
        inputs.place_pin(where, *OUTSIDE_PIN, area_codes=[CITY])
