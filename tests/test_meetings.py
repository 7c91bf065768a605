"""Meetings: the frame and its over-ambition warning, validation, saving and reloading."""

from __future__ import annotations

from datetime import date

import pytest
from pg_fixtures import *  # noqa: F403  (the db_url, db_engine and pg_url fixtures)

from enschede_gis import i18n, meetings, roles
from enschede_gis.errors import ConflictError, InputError
from enschede_gis.roles import PermissionDenied

TEAM = roles.Actor(roles.Role.TEAM, "Anna")

SOUND = {
    "fixed": "Er komen 40 woningen op het oude schoolterrein.",
    "open": "De inrichting van het groen en de speelplek.",
    "room": "kaders_vast",
    "level": "coproduceren",
    "purposes": ("kennis", "iedereen"),
}


def test_a_sound_frame_gives_no_warning():
    assert meetings.frame_warnings(meetings.make_frame(**SOUND)) == []


def test_meebeslissen_while_the_council_fixed_the_outcome_is_flagged():
    frame = meetings.make_frame(**{**SOUND, "room": "besluit_genomen", "level": "meebeslissen"})
    warnings = meetings.frame_warnings(frame)
    assert len(warnings) == 1
    assert "Meebeslissen" in warnings[0] and "hoogstens 'Raadplegen'" in warnings[0]
    english = meetings.frame_warnings(frame, "en")
    assert "Co-deciding" in english[0] and "at most 'Consulting'" in english[0]


@pytest.mark.parametrize(
    ("room", "level", "flagged"),
    [
        ("besluit_genomen", "informeren", False),
        ("besluit_genomen", "raadplegen", False),
        ("besluit_genomen", "adviseren", True),
        ("kaders_vast", "coproduceren", False),
        ("kaders_vast", "meebeslissen", True),
        ("open", "meebeslissen", False),
    ],
)
def test_the_level_is_checked_against_the_room(room, level, flagged):
    frame = meetings.make_frame(**{**SOUND, "room": room, "level": level})
    warns = meetings.frame_warnings(frame)
    assert any("hoger dan het kader" in w for w in warns) is flagged


def test_missing_parts_of_the_frame_are_named():
    warns = meetings.frame_warnings(meetings.make_frame(level="adviseren"))
    text = " ".join(warns)
    assert "open voor bewoners" in text and "vastgesteld door de raad" in text and "doel" in text


def test_every_frame_text_exists_in_both_languages():
    keys = [f"bijeenkomst.level.{x}" for x in meetings.LEVELS]
    keys += [f"bijeenkomst.level_help.{x}" for x in meetings.LEVELS]
    keys += [f"bijeenkomst.room.{x}" for x in meetings.ROOMS]
    keys += [f"bijeenkomst.purpose.{x}" for x in meetings.PURPOSES]
    for key in keys:
        entry = i18n.strings()[key]
        assert entry["nl"] and entry["en"], key


def test_bad_meeting_names_the_field():
    with pytest.raises(InputError, match="titel"):
        meetings.make_meeting(title="  ", area_code="BU01530000")
    with pytest.raises(InputError, match="participatieniveau"):
        meetings.make_meeting(title="Avond", area_code="BU01530000", frame={"level": "alles"})


def test_save_reload_and_update(db_engine):
    meeting = meetings.make_meeting(
        title="Buurtavond Lasonder",
        area_code="BU01530001",
        held_on=date(2026, 11, 30),
        frame=SOUND,
        profiles=("Standaard",),
    )
    meetings.save(db_engine, meeting, actor=TEAM)
    assert meetings.load(db_engine, meeting.id) == meeting
    assert meetings.meeting_version(db_engine, meeting.id) == 1
    agreed = meetings.make_agreement(what="Speelplek ontwerpen", who="Wijkteam Oost", when="maart")
    moved = meetings.with_changes(meeting, step=4, started=True, agreements=(agreed,))
    meetings.save(db_engine, moved, actor=TEAM, expected=1)
    with pytest.raises(ConflictError, match="Gewijzigd door Anna"):  # a second screen still on version 1
        meetings.save(db_engine, meetings.with_changes(meeting, step=1), actor=TEAM, expected=1)
    with pytest.raises(PermissionDenied):
        meetings.save(db_engine, meeting, actor=roles.Actor(roles.Role.RESIDENT), expected=2)
    reloaded = meetings.load(db_engine, meeting.id)
    assert reloaded.agenda_item == "afspraken"
    assert reloaded.agreements[0].who == "Wijkteam Oost"
    assert [m.id for m in meetings.list_meetings(db_engine)] == [meeting.id]
    meetings.remove(db_engine, meeting.id, actor=TEAM)
    with pytest.raises(InputError):
        meetings.load(db_engine, meeting.id)


def test_meeting_round_trips_through_json():
    meeting = meetings.make_meeting(title="Avond", area_code="WK015300", frame=SOUND)
    assert meetings.Meeting.model_validate_json(meeting.model_dump_json()) == meeting


def test_one_damaged_meeting_is_skipped_and_said_in_one_language(db_engine):
    from sqlalchemy import update

    from enschede_gis import db

    good = meetings.save(db_engine, meetings.make_meeting(title="Goed", area_code="WK015300", frame=SOUND), actor=TEAM)
    bad = meetings.save(db_engine, meetings.make_meeting(title="Kapot", area_code="WK015300", frame=SOUND), actor=TEAM)
    with db.writing(db_engine) as conn:
        conn.execute(update(db.MEETINGS).where(db.MEETINGS.c.id == bad.id).values(payload='{"title": 5}'))
    found, damaged = meetings.read_meetings(db_engine)
    assert [m.id for m in found] == [good.id] and len(damaged) == 1
    dutch, english = damaged[0].message("nl"), damaged[0].message("en")
    assert bad.id in dutch and "beschadigd" in dutch and "moet tekst zijn" in dutch
    assert "damaged" in english and "beschadigd" not in english and "tekst" not in english
