"""Residents' input: notes, ideas and votes tied to an area, stored in the database.

Validated once on the way in (:func:`make_input`), written and committed by :func:`submit` before
the caller may confirm anything to the resident, and read back as plain DataFrames. A resident's
text is stored exactly as typed (after trimming); every place that shows it escapes it.

Moderation hides or restores an input; nothing is deleted unless an export of all input was
written first (:func:`delete_hidden`).
"""

from __future__ import annotations

import csv
import hmac
import io
import os
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

import geopandas as gpd
import pandas as pd
import shapely
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from sqlalchemy import Engine, delete, func, insert, select, text, update
from sqlalchemy.engine import Connection

from enschede_gis import db, settings
from enschede_gis._validate import validated
from enschede_gis.boundaries import for_gemeente
from enschede_gis.errors import InputError
from enschede_gis.snapshot import Snapshot
from enschede_gis.store import atomic_write_bytes, state_dir
from enschede_gis.text import clean_text, spreadsheet_safe

#: Longest note or idea (characters): a paragraph, enough for a thought, too short for a pamphlet.
MAX_TEXT = 1000
#: Shortest note or idea: "ok" is not input.
MIN_TEXT = 3
#: Longest label of what a vote is for.
MAX_PRIORITY = 200
#: Per browser session: at most this many inputs in :data:`RATE_WINDOW` ...
RATE_LIMIT = 5
RATE_WINDOW = timedelta(minutes=1)
#: ... and at most this many in all (a flood from one phone would drown the others).
SESSION_MAX = 60

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
#: Environment variable with the facilitator's password (Streamlit secrets take precedence).
PASSWORD_ENV = "WIJKBEELD_FACILITATOR_PASSWORD"
PASSWORD_SECRET = "facilitator_password"

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
    """Where input may be placed: known area codes and the buurten of the gemeente (for pins)."""

    codes: frozenset[str]
    buurten: frozenset[str]
    outlines: gpd.GeoDataFrame  # buurten of the gemeente in WGS84 (code, name, geometry)

    def pin(self, lat: float, lon: float) -> str:
        """The buurt a map pin falls in; an :class:`InputError` when it lies outside the gemeente."""
        try:
            lat, lon = float(lat), float(lon)
        except (TypeError, ValueError):
            raise InputError(
                "De speld op de kaart heeft geen geldige coördinaten.",
                en="The pin on the map has no valid coordinates.",
            ) from None
        point = shapely.Point(lon, lat)
        hits = self.outlines[self.outlines.geometry.covers(point)]
        if hits.empty:
            raise InputError(
                f"De speld ({lat:.5f}, {lon:.5f}) ligt buiten de gemeente: zet hem op een plek binnen de gemeente.",
                en=f"The pin ({lat:.5f}, {lon:.5f}) lies outside the gemeente: place it somewhere inside the gemeente.",
            )
        return str(hits["code"].iloc[0])


def places(snap: Snapshot, *, custom_keys: Iterable[str] = (), gemeente: str = settings.DEFAULT_GEMEENTE) -> Places:
    """The areas input may be tied to: the gemeente, its wijken and buurten, and custom areas."""
    buurten = for_gemeente(snap, "buurt", gemeente)
    codes = {gemeente, *for_gemeente(snap, "wijk", gemeente)["code"], *buurten["code"], *custom_keys}
    outlines = buurten[["code", "name", "geometry"]].to_crs(settings.CRS_WEB)
    return Places(frozenset(map(str, codes)), frozenset(map(str, buurten["code"])), outlines)


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


@dataclass(frozen=True)
class Stored:
    """What :func:`submit` committed."""

    id: int
    created_at: str


def submit(eng: Engine, draft: InputDraft, *, session_id: str, where: Places | None = None) -> Stored:
    """Store one input and commit it; returns only after the commit succeeded.

    Raises :class:`InputError` when the session has sent too much input recently (the rate limit is
    checked inside the same write transaction, so concurrent submits cannot slip past it).
    """
    if where is not None:
        check_place(draft, where)
    session_id = str(session_id)[:64]
    if not session_id:
        raise InputError(
            "Inbreng zonder sessie kan niet worden opgeslagen.", en="Input without a session cannot be saved."
        )
    created = db.now()
    since = (datetime.now(UTC) - RATE_WINDOW).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    table = db.INPUTS
    with db.writing(eng) as conn:
        if eng.dialect.name == "postgresql":
            # SQLite's BEGIN IMMEDIATE serialises writers; on PostgreSQL one session's submits queue
            # on a lock of their own, so two at once cannot both slip under the limit.
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:sid))"), {"sid": session_id})
        recent, total = conn.execute(
            select(
                func.count().filter(table.c.created_at >= since),
                func.count(),
            ).where(table.c.session_id == session_id)
        ).one()
        if recent >= RATE_LIMIT:
            raise InputError(
                f"U heeft de afgelopen minuut al {recent} keer iets ingestuurd. Wacht even en probeer het opnieuw.",
                en=f"You have already sent something {recent} times in the past minute. "
                "Please wait a moment and try again.",
            )
        if total >= SESSION_MAX:
            raise InputError(
                f"Vanaf dit apparaat is al {total} keer iets ingestuurd: dat is het maximum per sessie.",
                en=f"Something has already been sent {total} times from this device: that is the maximum per session.",
            )
        row = {**draft.model_dump(), "created_at": created, "session_id": session_id, "hidden": False}
        new_id = conn.execute(insert(table).values(**row).returning(table.c.id)).scalar_one()
    return Stored(id=int(new_id), created_at=created)


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


def set_hidden(eng: Engine, ids: Iterable[int], *, hidden: bool) -> int:
    """Hide or restore inputs; returns how many rows changed."""
    ids = [int(i) for i in ids]
    if not ids:
        return 0
    table = db.INPUTS
    with db.writing(eng) as conn:
        result = conn.execute(
            update(table)
            .where(table.c.id.in_(ids), table.c.hidden.is_(not hidden))
            .values(hidden=hidden, moderated_at=db.now())
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


def delete_hidden(eng: Engine, *, export_dir: Path | None = None) -> tuple[Path, int]:
    """Delete the hidden inputs, after writing an export of ALL input to ``export_dir``.

    The export is on disk (flushed and renamed into place) before anything is deleted, and only
    rows that were hidden in that export are deleted; if writing it fails, nothing is deleted.
    Returns the export's path and the number of rows deleted.
    """
    folder = export_dir or state_dir("exports")
    path = Path(folder) / f"inbreng-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%fZ')}.csv"
    table = db.INPUTS
    with db.writing(eng) as conn:
        frame = _frame(conn, _query(area_codes=None, meeting_id=None, include_hidden=True))
        atomic_write_bytes(path, _csv(frame))
        exported_hidden = [int(i) for i in frame.loc[frame["hidden"], "id"]]
        if not exported_hidden:
            return path, 0
        result = conn.execute(delete(table).where(table.c.id.in_(exported_hidden), table.c.hidden.is_(True)))
    return path, int(result.rowcount or 0)


def facilitator_password(secrets: Mapping[str, object] | None = None) -> str | None:
    """The facilitator's password: Streamlit secrets first, then the environment; None if unset."""
    value = (secrets or {}).get(PASSWORD_SECRET) or os.environ.get(PASSWORD_ENV)
    return str(value) if value else None


def check_password(given: str, expected: str | None) -> bool:
    """Constant-time comparison; no password configured means nobody can moderate."""
    if not expected or not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
