"""Residents' input: notes, ideas and votes tied to an area, stored in the database.

Validated once on the way in (:func:`make_input`), written and committed by :func:`submit` before
the caller may confirm anything to the resident, and read back as plain DataFrames. A resident's
text is stored exactly as typed (after trimming); every place that shows it escapes it.

Moderation hides or restores an input; nothing is deleted unless an export of all input was
written first (:func:`delete_hidden`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import uuid
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import Engine, delete, func, insert, select, text, update
from sqlalchemy.engine import Connection

from enschede_gis import db, meetings, roles, settings
from enschede_gis._validate import validated
from enschede_gis.area_index import AreaIndex, from_snapshot
from enschede_gis.errors import InputError
from enschede_gis.store import atomic_write_bytes, state_dir
from enschede_gis.text import clean_text, spreadsheet_safe

if TYPE_CHECKING:  # loaded where used: giving input (the join page) needs no shapes or tables
    import geopandas as gpd
    import pandas as pd

    from enschede_gis.snapshot import Snapshot

#: Longest note or idea (characters): a paragraph, enough for a thought, too short for a pamphlet.
MAX_TEXT = 1000
#: Shortest note or idea: "ok" is not input.
MIN_TEXT = 3
#: Longest label of what a vote is for.
MAX_PRIORITY = 200
#: Per device (see :func:`submit`): at most this many inputs in :data:`RATE_WINDOW` ...
RATE_LIMIT = 5
RATE_WINDOW = timedelta(minutes=1)
#: ... and at most this many in all (a flood from one phone would drown the others); per meeting
#: the meeting's own ``input_limit`` applies as well.
SESSION_MAX = 60
#: A meeting takes at most this many inputs in all (a room of a hundred with a few each, and room
#: to spare); more would be a script, not a room.
MEETING_MAX = 3000

Kind = Literal["note", "idea", "vote"]
KINDS: tuple[str, ...] = ("note", "idea", "vote")
#: CBS's age bands (kerncijfers wijken en buurten), so input can be set beside the population.
AGE_GROUPS: tuple[str, ...] = ("0-15", "15-25", "25-45", "45-65", "65+")
TENURES: tuple[str, ...] = ("huur", "koop")
#: Home buurt value for someone who lives outside the gemeente.
ELSEWHERE = "elders"
#: The columns of :func:`inputs_frame` that the representativeness analysis (issue 6) reads.
PROFILE_COLUMNS = ["area_code", "age_group", "home_buurt", "tenure", "kind", "hidden"]
#: Columns of the CSV export, in order.
EXPORT_COLUMNS = [
    "id",
    "created_at",
    "meeting_id",
    "area_code",
    "kind",
    "text",
    "priority",
    "lat",
    "lon",
    "age_group",
    "home_buurt",
    "tenure",
    "hidden",
    "moderated_at",
]

_FIELD_NAMES = {
    "kind": "soort",
    "area_code": "gebied",
    "text": "tekst",
    "priority": "prioriteit",
    "lat": "breedtegraad",
    "lon": "lengtegraad",
    "age_group": "leeftijdsgroep",
    "home_buurt": "woonbuurt",
    "tenure": "huur of koop",
    "meeting_id": "bijeenkomst",
}


class InputDraft(BaseModel):
    """One input as a resident submits it, before it is stored."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Kind
    area_code: str = Field(min_length=1, max_length=120)
    text: str = Field(default="", max_length=MAX_TEXT)
    priority: str | None = Field(default=None, max_length=MAX_PRIORITY)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    age_group: Literal["0-15", "15-25", "25-45", "45-65", "65+"] | None = None
    home_buurt: str | None = Field(default=None, max_length=16)
    tenure: Literal["huur", "koop"] | None = None
    meeting_id: str | None = Field(default=None, max_length=64)

    @field_validator("text", "priority", "area_code", "home_buurt", "meeting_id", mode="before")
    @classmethod
    def _clean(cls, value: object) -> object:
        if value is None:
            return None
        return clean_text(str(value))

    @field_validator("priority", "home_buurt", "meeting_id", "age_group", "tenure", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @model_validator(mode="after")
    def _check(self) -> InputDraft:
        if self.kind == "vote":
            if not self.priority:
                raise InputError(
                    "een stem hoort bij een prioriteit: kies waarvoor u stemt",
                    en="a vote belongs to a priority: choose what you are voting for",
                )
        elif len(self.text) < MIN_TEXT:
            raise InputError(
                f"tekst: schrijf minstens {MIN_TEXT} tekens", en=f"text: write at least {MIN_TEXT} characters"
            )
        if (self.lat is None) != (self.lon is None):
            raise InputError(
                "een speld op de kaart heeft zowel een breedte- als een lengtegraad nodig",
                en="a pin on the map needs both a latitude and a longitude",
            )
        return self


def make_input(**fields: object) -> InputDraft:
    """Validate a resident's input; a problem gives one Dutch message naming the field."""
    return validated(InputDraft, fields, _FIELD_NAMES, nl="Ongeldige inbreng", en="Invalid input")


@dataclass(frozen=True)
class Places:
    """Where input may be placed: known area codes and the buurten of the gemeente (for pins).

    The buurten's outlines are needed only to check a map pin; ``load_outlines`` gives them when a pin
    is first checked, so giving input without a pin loads no shapes (the join page stays light).
    """

    codes: frozenset[str]
    buurten: frozenset[str]
    load_outlines: Callable[[], gpd.GeoDataFrame] = field(repr=False, compare=False)

    @property
    def outlines(self) -> gpd.GeoDataFrame:
        """The buurten of the gemeente in WGS84 (code, name, geometry)."""
        return self.load_outlines()

    def pin(self, lat: float, lon: float) -> str:
        """The buurt a map pin falls in; an :class:`InputError` when it lies outside the gemeente."""
        try:
            lat, lon = float(lat), float(lon)
        except (TypeError, ValueError):
            raise InputError(
                "De speld op de kaart heeft geen geldige coördinaten.",
                en="The pin on the map has no valid coordinates.",
            ) from None
        import shapely

        outlines = self.outlines
        hits = outlines[outlines.geometry.covers(shapely.Point(lon, lat))]
        if hits.empty:
            raise InputError(
                f"De speld ({lat:.5f}, {lon:.5f}) ligt buiten de gemeente: zet hem op een plek binnen de gemeente.",
                en=f"The pin ({lat:.5f}, {lon:.5f}) lies outside the gemeente: place it somewhere inside the gemeente.",
            )
        return str(hits["code"].iloc[0])


@dataclass(frozen=True)
class PinPlace:
    """Where a resident's pin landed: its buurt, and whether that lies in the area being discussed."""

    lat: float
    lon: float
    buurt: str
    inside: bool


def place_pin(where: Places, lat: float, lon: float, area_codes: Collection[str]) -> PinPlace:
    """The buurt of a pin and whether it is one of ``area_codes`` (the meeting's area). A pin in
    another buurt of the gemeente is allowed, but the page asks before the input moves there; a
    pin outside the gemeente is an :class:`InputError`."""
    buurt = where.pin(lat, lon)
    return PinPlace(round(float(lat), 6), round(float(lon), 6), buurt, buurt in set(area_codes))


def places(snap: Snapshot, *, custom_keys: Iterable[str] = (), gemeente: str = settings.DEFAULT_GEMEENTE) -> Places:
    """The areas input may be tied to: the gemeente, its wijken and buurten, and custom areas."""
    found = pin_outlines(snap, gemeente)
    return places_in(from_snapshot(snap), custom_keys=custom_keys, gemeente=gemeente, load_outlines=lambda: found)


def places_in(
    index: AreaIndex,
    *,
    custom_keys: Iterable[str] = (),
    gemeente: str = settings.DEFAULT_GEMEENTE,
    load_outlines: Callable[[], gpd.GeoDataFrame],
) -> Places:
    """:func:`places` from the light :class:`AreaIndex`; the outlines come from ``load_outlines``
    (e.g. :func:`pin_outlines` of the loaded snapshot) when a pin is first checked."""
    buurten = [r.code for r in index.in_gemeente("buurt", gemeente)]
    codes = {gemeente, *(r.code for r in index.in_gemeente("wijk", gemeente)), *buurten, *custom_keys}
    return Places(frozenset(map(str, codes)), frozenset(buurten), load_outlines)


def pin_outlines(snap: Snapshot, gemeente: str = settings.DEFAULT_GEMEENTE) -> gpd.GeoDataFrame:
    """The buurten of the gemeente in WGS84 (code, name, geometry): where a pin can land."""
    from enschede_gis.boundaries import for_gemeente

    return for_gemeente(snap, "buurt", gemeente)[["code", "name", "geometry"]].to_crs(settings.CRS_WEB)


def check_place(draft: InputDraft, where: Places) -> InputDraft:
    """Check the area and the optional home buurt and pin against the gemeente."""
    if draft.area_code not in where.codes:
        raise InputError(
            f"Onbekend gebied '{draft.area_code}': kies een buurt, wijk of eigen gebied.",
            en=f"Unknown area '{draft.area_code}': choose a buurt, wijk or custom area.",
        )
    if draft.home_buurt is not None and draft.home_buurt not in where.buurten and draft.home_buurt != ELSEWHERE:
        raise InputError(
            f"Onbekende woonbuurt '{draft.home_buurt}': kies een buurt uit de lijst.",
            en=f"Unknown home buurt '{draft.home_buurt}': choose a buurt from the list.",
        )
    if draft.lat is not None and draft.lon is not None:
        where.pin(draft.lat, draft.lon)
    return draft


#: The cookie that keeps a phone's device key across reloads (see :func:`device_key`).
DEVICE_COOKIE = "wijkbeeld_device"
_DEVICE_KEY = re.compile(r"^[a-z]-[0-9a-f]{16,40}$")


def device_key(
    *,
    cookie: str | None,
    address: str | None,
    user_agent: str | None,
    address_identifies: bool,
    new: Callable[[], str] = lambda: uuid.uuid4().hex,
) -> str:
    """The key :func:`submit` counts a device's input under; the page keeps it in a cookie.

    - a well-formed key from the cookie is used as it is (a reload keeps it, and so does a phone
      that moves from the wifi to mobile data);
    - without one, when the client address tells devices apart (the laptop serves the room
      itself, so each phone has its own address on the wifi), a hash of address and browser: a
      reload with cookies blocked still lands on the same key;
    - otherwise (behind a reverse proxy every phone has the proxy's address) a new random key.

    The key identifies a device, not a person: the address is hashed and not stored.
    """
    if isinstance(cookie, str) and _DEVICE_KEY.match(cookie):
        return cookie
    if address_identifies and isinstance(address, str) and address:
        browser = user_agent if isinstance(user_agent, str) else ""
        digest = hashlib.sha256(f"{address}|{browser}".encode()).hexdigest()[:32]
        return f"a-{digest}"
    return f"r-{new()[:32]}"


@dataclass(frozen=True)
class Stored:
    """What :func:`submit` committed."""

    id: int
    created_at: str


def submit(
    eng: Engine,
    draft: InputDraft,
    *,
    session_id: str,
    actor: roles.Actor,
    where: Places | None = None,
) -> Stored:
    """Store one input and commit it; returns only after the commit succeeded.

    ``session_id`` identifies the device (a cookie that survives a reload; see the join page), not
    the person. Refused with an :class:`InputError` when:

    - a resident sends input that is not for a meeting (residents only give input to the meeting
      they joined), or the meeting does not exist, or its input is not open;
    - the device has sent :data:`RATE_LIMIT` inputs in the past :data:`RATE_WINDOW`, or
      :data:`SESSION_MAX` in all, or the meeting's ``input_limit`` to this meeting;
    - the meeting already holds :data:`MEETING_MAX` inputs.

    Every check runs inside the same write transaction as the insert, so concurrent submits
    cannot slip past a limit.
    """
    roles.require(actor, roles.Action.GIVE_INPUT)
    if actor.role is roles.Role.RESIDENT and not draft.meeting_id:
        raise InputError(
            "Inbreng van bewoners hoort bij een bijeenkomst: open de link of de code van de bijeenkomst.",
            en="Residents' input belongs to a meeting: open the meeting's link or code.",
        )
    if where is not None:
        check_place(draft, where)
    session_id = str(session_id)[:64]
    if not session_id:
        raise InputError(
            "Inbreng zonder sessie kan niet worden opgeslagen.", en="Input without a session cannot be saved."
        )
    created = db.now()
    with db.writing(eng) as conn:
        if eng.dialect.name == "postgresql":
            # SQLite's BEGIN IMMEDIATE serialises writers; on PostgreSQL the submits of one meeting
            # (or one device outside a meeting) queue on a lock of their own, so two at once cannot
            # both slip under a limit.
            lock = draft.meeting_id or session_id
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": lock})
        limit = _meeting_limit(conn, draft.meeting_id)
        _check_limits(conn, session_id, draft.meeting_id, limit)
        row = {**draft.model_dump(), "created_at": created, "session_id": session_id, "hidden": False}
        new_id = conn.execute(insert(db.INPUTS).values(**row).returning(db.INPUTS.c.id)).scalar_one()
    return Stored(id=int(new_id), created_at=created)


def _meeting_limit(conn: Connection, meeting_id: str | None) -> int | None:
    """Inputs one device may send to this meeting; raises when the meeting is missing or closed."""
    if not meeting_id:
        return None
    meeting = meetings.read_in(conn, meeting_id)
    if meeting is None:
        raise InputError(
            "Deze bijeenkomst bestaat niet (meer): vraag de gespreksleider om de juiste code.",
            en="This meeting does not exist (any more): ask the facilitator for the right code.",
        )
    if not meeting.input_open:
        raise InputError(
            "De inbreng voor deze bijeenkomst is nu gesloten. De gespreksleider zegt wanneer u iets kunt insturen.",
            en="Input for this meeting is closed right now. The facilitator will say when you can send something.",
        )
    return meeting.input_limit


def _check_limits(conn: Connection, session_id: str, meeting_id: str | None, per_meeting: int | None) -> None:
    table = db.INPUTS
    since = (datetime.now(UTC) - RATE_WINDOW).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    recent, total, here = conn.execute(
        select(
            func.count().filter(table.c.created_at >= since),
            func.count(),
            func.count().filter(table.c.meeting_id == (meeting_id or "")),
        ).where(table.c.session_id == session_id)
    ).one()
    if recent >= RATE_LIMIT:
        raise InputError(
            f"U heeft de afgelopen minuut al {recent} keer iets ingestuurd. Wacht even en probeer het opnieuw.",
            en=f"You have already sent something {recent} times in the past minute. "
            "Please wait a moment and try again.",
        )
    if per_meeting is not None and here >= per_meeting:
        raise InputError(
            f"Vanaf dit apparaat is al {here} keer iets ingestuurd voor deze bijeenkomst: dat is het maximum.",
            en=f"Something has already been sent {here} times from this device for this meeting: that is the maximum.",
        )
    if total >= SESSION_MAX:
        raise InputError(
            f"Vanaf dit apparaat is al {total} keer iets ingestuurd: dat is het maximum per apparaat.",
            en=f"Something has already been sent {total} times from this device: that is the maximum per device.",
        )
    if meeting_id:
        count = conn.execute(select(func.count()).where(table.c.meeting_id == meeting_id)).scalar_one()
        if count >= MEETING_MAX:
            raise InputError(
                f"Deze bijeenkomst heeft al {count} reacties: meer kan er niet bij.",
                en=f"This meeting already has {count} responses: no more can be added.",
            )


def _query(*, area_codes: Collection[str] | None, meeting_id: str | None, include_hidden: bool):
    table = db.INPUTS
    query = select(*(table.c[name] for name in EXPORT_COLUMNS)).order_by(table.c.id)
    if area_codes is not None:
        query = query.where(table.c.area_code.in_(list(area_codes)))
    if meeting_id is not None:
        query = query.where(table.c.meeting_id == meeting_id)
    if not include_hidden:
        query = query.where(table.c.hidden.is_(False))
    return query


def list_inputs(
    eng: Engine,
    *,
    area_codes: Collection[str] | None = None,
    meeting_id: str | None = None,
    include_hidden: bool = False,
) -> pd.DataFrame:
    """Stored input, oldest first, as a DataFrame with :data:`EXPORT_COLUMNS`."""
    with db.reading(eng) as conn:
        return _frame(conn, _query(area_codes=area_codes, meeting_id=meeting_id, include_hidden=include_hidden))


def _frame(conn: Connection, query) -> pd.DataFrame:
    import pandas as pd

    rows = conn.execute(query).all()
    frame = pd.DataFrame.from_records([tuple(r) for r in rows], columns=EXPORT_COLUMNS)
    frame["hidden"] = frame["hidden"].astype(bool)
    frame["id"] = frame["id"].astype("int64")
    for col in ("lat", "lon"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    return frame


def inputs_frame(
    eng: Engine, *, meeting_id: str | None = None, area_codes: Collection[str] | None = None
) -> pd.DataFrame:
    """The input of a meeting and/or area for the representativeness analysis (hidden rows included,
    flagged): columns :data:`PROFILE_COLUMNS`, missing optional facts as ``<NA>``."""
    frame = list_inputs(eng, area_codes=area_codes, meeting_id=meeting_id, include_hidden=True)
    return frame[PROFILE_COLUMNS].reset_index(drop=True)


def vote_counts(eng: Engine, *, area_codes: Collection[str] | None = None, meeting_id: str | None = None) -> pd.Series:
    """Visible votes per priority, most votes first."""
    frame = list_inputs(eng, area_codes=area_codes, meeting_id=meeting_id)
    votes = frame[frame["kind"] == "vote"]
    counts = votes["priority"].value_counts()
    counts.name = "stemmen"
    return counts


def set_hidden(eng: Engine, ids: Iterable[int], *, hidden: bool, actor: roles.Actor) -> int:
    """Hide or restore inputs (facilitators only); returns how many rows changed. Records who and when."""
    roles.require(actor, roles.Action.MODERATE)
    ids = [int(i) for i in ids]
    if not ids:
        return 0
    table = db.INPUTS
    with db.writing(eng) as conn:
        result = conn.execute(
            update(table)
            .where(table.c.id.in_(ids), table.c.hidden.is_(not hidden))
            .values(hidden=hidden, moderated_at=db.now(), moderated_by=actor.name[:120])
        )
    return int(result.rowcount or 0)


def export_csv(eng: Engine) -> bytes:
    """All input, hidden included, as CSV (UTF-8 with BOM so Excel reads the accents)."""
    with db.reading(eng) as conn:
        return _csv(_frame(conn, _query(area_codes=None, meeting_id=None, include_hidden=True)))


def _csv(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for record in frame.astype(object).where(frame.notna(), None).itertuples(index=False):
        writer.writerow(["" if v is None else spreadsheet_safe(v) for v in record])
    return buffer.getvalue().encode("utf-8-sig")


EXPORT_PREFIX = "inbreng-"
EXPORT_STAMP = "%Y%m%dT%H%M%S%fZ"


def prune_exports(folder: Path | None = None, *, days: int | None = None, now: datetime | None = None) -> list[Path]:
    """Delete moderation exports older than ``days`` (default ``settings.EXPORT_RETENTION_DAYS``);
    their age is read from the time in their name. Returns the files deleted. Runs on every clean-up."""
    folder = Path(folder or state_dir("exports"))
    keep = timedelta(days=settings.EXPORT_RETENTION_DAYS if days is None else days)
    moment = now or datetime.now(UTC)
    deleted = []
    for path in sorted(folder.glob(f"{EXPORT_PREFIX}*.csv")):
        try:
            made = datetime.strptime(path.stem.removeprefix(EXPORT_PREFIX), EXPORT_STAMP).replace(tzinfo=UTC)
        except ValueError:
            continue  # not an export this module wrote: leave it alone
        if moment - made > keep:
            path.unlink(missing_ok=True)
            deleted.append(path)
    return deleted


def delete_hidden(eng: Engine, *, actor: roles.Actor, export_dir: Path | None = None) -> tuple[Path, int]:
    """Delete the hidden inputs (facilitators only), after writing an export of ALL input to ``export_dir``.

    The export is on disk (flushed and renamed into place) before anything is deleted, and only
    rows that were hidden in that export are deleted; if writing it fails, nothing is deleted.
    Returns the export's path and the number of rows deleted.
    """
    roles.require(actor, roles.Action.MODERATE)
    folder = export_dir or state_dir("exports")
    path = Path(folder) / f"{EXPORT_PREFIX}{datetime.now(UTC).strftime(EXPORT_STAMP)}.csv"
    prune_exports(folder)
    table = db.INPUTS
    with db.writing(eng) as conn:
        frame = _frame(conn, _query(area_codes=None, meeting_id=None, include_hidden=True))
        atomic_write_bytes(path, _csv(frame))
        exported_hidden = [int(i) for i in frame.loc[frame["hidden"], "id"]]
        if not exported_hidden:
            return path, 0
        result = conn.execute(delete(table).where(table.c.id.in_(exported_hidden), table.c.hidden.is_(True)))
    return path, int(result.rowcount or 0)


def map_view(
    asset,
    shown: pd.DataFrame,
    *,
    focus: Collection[str],
    area_name: str,
    pin: tuple[float, float] | None = None,
    lang: str = "nl",
) -> dict:
    """The input page's map (:mod:`enschede_gis.webmap`) over the buurt geometry ``asset``: the
    chosen area (``focus``, buurt codes) filled and outlined, every shown input with a pin as a point
    whose tooltip gives its kind, text and vote (as text, cut short), the resident's new ``pin``,
    and a click that answers a place (pick mode)."""
    from enschede_gis import i18n, webmap

    pins = shown.dropna(subset=["lat", "lon"])
    points = [
        webmap.MapPoint(
            float(row.lat),
            float(row.lon),
            tuple(
                line
                for line in (
                    i18n.t(f"inbreng.kind.{row.kind}", lang),
                    row.text or "",
                    f"{i18n.t('inbreng.vote_for', lang)}: {row.priority}" if row.kind == "vote" else "",
                )
                if line
            ),
        )
        for row in pins.itertuples()
    ]
    view = webmap.plain_view(
        asset, lang=lang, focus=focus, focus_label=area_name, title=i18n.t("inbreng.map.title", lang)
    )
    if points:
        label = i18n.t("inbreng.map.points", lang)
        view["legend"]["rows"].append([label, webmap.POINT_COLOUR, len(points), False])
    pin_label = i18n.t("inbreng.your_pin", lang)
    return webmap.with_marks(view, focus=view["focus"], points=points, pin=pin, pin_label=pin_label, pick=True)
