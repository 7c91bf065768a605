"""A neighbourhood meeting as a saved object: its area, its frame, where the agenda stands, what
was used and what was agreed.

The :class:`Frame` says plainly what the council has fixed, what is open for residents, the level
of participation and why residents are involved. :func:`frame_warnings` tells the facilitator,
before the meeting starts, when the promised level is more than the frame allows (e.g.
"meebeslissen" while the council has already fixed the outcome).
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import Engine, select

from enschede_gis import db, i18n, roles, store
from enschede_gis._validate import describe, validated
from enschede_gis.errors import DataError, InputError
from enschede_gis.text import Line, Text

SCHEMA_VERSION = 1
KIND = store.KINDS["meetings"]

#: The participation ladder, lowest first (the order matters: see :func:`frame_warnings`).
LEVELS: tuple[str, ...] = ("informeren", "raadplegen", "adviseren", "coproduceren", "meebeslissen")
Level = Literal["informeren", "raadplegen", "adviseren", "coproduceren", "meebeslissen"]

#: Why residents are involved (one or more).
PURPOSES: tuple[str, ...] = ("draagvlak", "iedereen", "kennis")
Purpose = Literal["draagvlak", "iedereen", "kennis"]

#: How much room the council leaves, and the highest level that room allows.
ROOMS: tuple[str, ...] = ("besluit_genomen", "kaders_vast", "open")
Room = Literal["besluit_genomen", "kaders_vast", "open"]
MAX_LEVEL: dict[str, str] = {
    "besluit_genomen": "raadplegen",  # the outcome is fixed: residents can be told and asked about details
    "kaders_vast": "coproduceren",  # choices within the council's frame are open: work them out together
    "open": "meebeslissen",  # the council leaves the decision (within the law) to the residents
}

#: Default for :attr:`Meeting.input_limit`: enough for a few remarks, ideas and a vote per person.
DEVICE_LIMIT = 10

#: The agenda, in order. The closing step may show who was heard (issue 6) when that module exists.
AGENDA: tuple[str, ...] = ("kader", "situatie", "prioriteiten", "scenarios", "afspraken")


class Frame(BaseModel):
    """What is fixed, what is open, and how far residents' say reaches in this process."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    fixed: Text = Field(default="", max_length=4000)
    open: Text = Field(default="", max_length=4000)
    room: Room = "kaders_vast"
    level: Level = "raadplegen"
    purposes: tuple[Purpose, ...] = ()

    @field_validator("fixed", "open")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @field_validator("purposes")
    @classmethod
    def _unique(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(value))


class Agreement(BaseModel):
    """One point agreed at the meeting: what, who does it, and by when."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    what: Text = Field(min_length=1, max_length=1000)
    who: Line = Field(default="", max_length=200)
    when: Line = Field(default="", max_length=100)

    @field_validator("what", "who", "when")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()


class Meeting(BaseModel):
    """A neighbourhood evening: area, frame, agenda state, the profiles and scenarios it used."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: int = SCHEMA_VERSION
    id: str = Field(default_factory=lambda: uuid.uuid4().hex, min_length=1, max_length=64)
    title: Line = Field(min_length=1, max_length=200)
    area_code: Line = Field(min_length=1, max_length=120)
    held_on: date = Field(default_factory=date.today)
    year: int | None = Field(default=None, ge=2000, le=2100)
    frame: Frame = Field(default_factory=Frame)
    step: int = Field(default=0, ge=0, lt=len(AGENDA))
    started: bool = False
    profiles: tuple[str, ...] = ()
    scenarios: tuple[str, ...] = ()
    agreements: tuple[Agreement, ...] = Field(default=(), max_length=200)
    #: Residents' phones may send input only while this is on (the facilitator opens and closes it).
    input_open: bool = False
    #: How many inputs one device may send to this meeting in all.
    input_limit: int = Field(default=DEVICE_LIMIT, ge=1, le=100)

    @field_validator("title", "area_code")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise InputError("is leeg", en="is empty")
        return value

    @field_validator("schema_version")
    @classmethod
    def _version(cls, value: int) -> int:
        if value > SCHEMA_VERSION:
            raise InputError(
                f"gemaakt met een nieuwere versie (schema {value}); deze app leest {SCHEMA_VERSION}",
                en=f"made with a newer version (schema {value}); this app reads {SCHEMA_VERSION}",
            )
        return value

    @property
    def agenda_item(self) -> str:
        return AGENDA[self.step]


_FIELD_NAMES = {
    "title": "titel",
    "area_code": "gebied",
    "held_on": "datum",
    "year": "jaar",
    "agreements": "afspraken",
    "frame.fixed": "vastgesteld door de raad",
    "frame.open": "open voor bewoners",
    "frame.room": "ruimte",
    "frame.level": "participatieniveau",
    "frame.purposes": "doel",
    "what": "afspraak",
    "who": "wie",
    "when": "wanneer",
}


def make_meeting(**fields: object) -> Meeting:
    """Validate a meeting from a form; one Dutch message names every wrong field."""
    return validated(Meeting, fields, _FIELD_NAMES, nl="Ongeldige bijeenkomst", en="Invalid meeting")


def make_frame(**fields: object) -> Frame:
    names = {k.removeprefix("frame."): v for k, v in _FIELD_NAMES.items()}
    return validated(Frame, fields, names, nl="Ongeldig kader", en="Invalid frame")


def make_agreement(**fields: object) -> Agreement:
    return validated(Agreement, fields, _FIELD_NAMES, nl="Ongeldige afspraak", en="Invalid agreement")


def level_rank(level: str) -> int:
    return LEVELS.index(level)


def frame_warnings(frame: Frame, lang: str = "nl") -> list[str]:
    """What the facilitator should fix or say before starting: an empty list when the frame is sound."""
    out = []
    allowed = MAX_LEVEL[frame.room]
    if level_rank(frame.level) > level_rank(allowed):
        out.append(
            i18n.t(
                "bijeenkomst.warn.level",
                lang,
                level=i18n.t(f"bijeenkomst.level.{frame.level}", lang),
                room=i18n.t(f"bijeenkomst.room.{frame.room}", lang),
                allowed=i18n.t(f"bijeenkomst.level.{allowed}", lang),
            )
        )
    if frame.level != "informeren" and not frame.open:
        out.append(
            i18n.t("bijeenkomst.warn.nothing_open", lang, level=i18n.t(f"bijeenkomst.level.{frame.level}", lang))
        )
    if not frame.fixed:
        out.append(i18n.t("bijeenkomst.warn.nothing_fixed", lang))
    if not frame.purposes:
        out.append(i18n.t("bijeenkomst.warn.no_purpose", lang))
    elif frame.level == "informeren" and set(frame.purposes) & {"draagvlak", "kennis"}:
        out.append(i18n.t("bijeenkomst.warn.inform_only", lang))
    return out


def with_changes(meeting: Meeting, **changes: object) -> Meeting:
    """A validated copy with ``changes`` applied (models are frozen)."""
    return make_meeting(**{**meeting.model_dump(), **changes})


def open_input(meeting: Meeting, *, actor: roles.Actor) -> Meeting:
    """A copy of the meeting that accepts residents' input (staff only; the caller saves it)."""
    roles.require(actor, roles.Action.EDIT_MEETINGS)
    return with_changes(meeting, input_open=True)


def close_input(meeting: Meeting, *, actor: roles.Actor) -> Meeting:
    """A copy of the meeting that refuses new input (staff only; the caller saves it)."""
    roles.require(actor, roles.Action.EDIT_MEETINGS)
    return with_changes(meeting, input_open=False)


# --------------------------------------------------------------------------------------------------
# Storage: one row per meeting, the validated JSON in ``payload``.


def save(eng: Engine, meeting: Meeting, *, actor: roles.Actor, expected: int | None = None) -> Meeting:
    """Store a meeting in one transaction: new (``expected=None``) or the version the page loaded
    (``expected``); a meeting someone else saved since is refused (:class:`ConflictError`)."""
    with db.writing(eng) as conn:
        store.put(
            conn,
            KIND,
            meeting.id,
            meeting.model_dump_json(),
            actor=actor,
            expected=expected,
            label=meeting.title,
            columns={"title": meeting.title},
        )
    return meeting


def _parse(payload: str, meeting_id: str) -> Meeting:
    try:
        return Meeting.model_validate(json.loads(payload))
    except ValidationError as exc:
        detail, detail_en = describe(exc), describe(exc, lang="en")
    except ValueError:
        detail, detail_en = "geen geldige JSON", "not valid JSON"
    raise DataError(
        f"Bijeenkomst {meeting_id} is beschadigd en kan niet worden gelezen ({detail}).",
        en=f"Meeting {meeting_id} is damaged and cannot be read ({detail_en}).",
    )


def load(eng: Engine, meeting_id: str) -> Meeting:
    table = db.MEETINGS
    with db.reading(eng) as conn:
        payload = conn.execute(select(table.c.payload).where(table.c.id == meeting_id)).scalar_one_or_none()
    if payload is None:
        raise InputError(
            f"Er is geen bijeenkomst met nummer '{meeting_id}'.", en=f"There is no meeting with ID '{meeting_id}'."
        )
    return _parse(payload, meeting_id)


def read_in(conn, meeting_id: str) -> Meeting | None:
    """The meeting as stored, read on the caller's connection (inside its transaction); None if absent."""
    table = db.MEETINGS
    payload = conn.execute(select(table.c.payload).where(table.c.id == meeting_id)).scalar_one_or_none()
    return None if payload is None else _parse(payload, meeting_id)


def list_meetings(eng: Engine) -> list[Meeting]:
    """All meetings that can be read, most recently changed first (see :func:`read_meetings`)."""
    return read_meetings(eng)[0]


def read_meetings(eng: Engine) -> tuple[list[Meeting], list[DataError]]:
    """All meetings, most recently changed first, and one error per damaged meeting: one damaged
    row is skipped and said, it does not hide every other meeting."""
    table = db.MEETINGS
    with db.reading(eng) as conn:
        rows = conn.execute(select(table.c.id, table.c.payload).order_by(table.c.updated_at.desc())).all()
    found, damaged = [], []
    for mid, payload in rows:
        try:
            found.append(_parse(payload, mid))
        except DataError as exc:
            damaged.append(exc)
    return found, damaged


def meeting_version(eng: Engine, meeting_id: str) -> int | None:
    """The stored version of a meeting (None when there is none)."""
    return store.version(eng, KIND, meeting_id)


def remove(eng: Engine, meeting_id: str, *, actor: roles.Actor, expected: int | None = None) -> None:
    store.remove(eng, KIND, meeting_id, actor=actor, expected=expected)
