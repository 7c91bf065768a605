"""The store: every kind of thing users make, in the one database, with the same small set of verbs.

Custom areas, own-data uploads, scenarios, priority profiles, meetings and projects are each a
row in a table of their own (see :mod:`enschede_gis.db`): a key, the validated object as JSON in
``payload``, and three columns every kind shares:

- ``version``: 1 when created, +1 on every save. A save names the version it loaded
  (``expected``); when the stored version is another, someone else saved in between and the save is
  refused with a :class:`~enschede_gis.errors.ConflictError` naming who and when ("Gewijzigd door
  Anna om 20:14; laad opnieuw"), never a silent overwrite. ``expected=None`` means "new": a row with
  that key must not exist yet.
- ``changed_by`` and ``changed_at``: who (the actor's name or role) and when (UTC), for the audit.

The verbs (:func:`rows`, :func:`stamp`, :func:`put`, :func:`drop`) are what the modules of each kind
(:mod:`enschede_gis.areas`, :mod:`enschede_gis.uploads`, ...) build their ``load``/``save``/``delete``
on; :func:`put` and :func:`drop` check the actor's role themselves, inside the write transaction.

The small file helpers at the end (state folder, atomic writes) are for files that are not shared
state: exports written before a deletion, and reading the first version's JSON files once.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError
from sqlalchemy import Engine, Table, delete, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from enschede_gis import db, roles, settings
from enschede_gis._validate import describe
from enschede_gis.errors import ConflictError, DataError, InputError

#: Times in messages are the wall-clock time of the people in the room.
LOCAL_TIME = ZoneInfo("Europe/Amsterdam")
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Kind:
    """One kind of saved thing: its table, key column, the action that may change it, and its words."""

    name: str
    table: Table
    key: str
    action: roles.Action
    noun_nl: str  # "het gebied"
    noun_en: str  # "the area"
    order: tuple[str, ...] = ()  # columns to list by (default: the key)

    @property
    def key_column(self):
        return self.table.c[self.key]


KINDS: dict[str, Kind] = {
    "areas": Kind("areas", db.AREAS, "name", roles.Action.EDIT_AREAS, "het gebied", "the area"),
    "uploads": Kind("uploads", db.UPLOADS, "id", roles.Action.EDIT_UPLOADS, "de upload", "the upload", ("changed_at",)),
    "scenarios": Kind("scenarios", db.SCENARIOS, "key", roles.Action.EDIT_SCENARIOS, "het scenario", "the scenario"),
    "profiles": Kind("profiles", db.PROFILES, "name", roles.Action.EDIT_PROFILES, "het profiel", "the profile"),
    "meetings": Kind(
        "meetings", db.MEETINGS, "id", roles.Action.EDIT_MEETINGS, "de bijeenkomst", "the meeting", ("changed_at",)
    ),
    "projects": Kind(
        "projects", db.PROJECTS, "id", roles.Action.EDIT_PROJECTS, "het project", "the project", ("start", "title")
    ),
}


@dataclass(frozen=True)
class Stamp:
    """A stored row's version and who saved it last, when (UTC, ISO 8601)."""

    version: int
    changed_by: str
    changed_at: str

    def local_time(self, *, today: datetime | None = None) -> str:
        """When, as the room reads it: "20:14" today, "29-11-2026 20:14" on another day."""
        try:
            moment = datetime.strptime(self.changed_at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
        except ValueError:
            return self.changed_at or "?"
        local = moment.astimezone(LOCAL_TIME)
        now = (today or datetime.now(UTC)).astimezone(LOCAL_TIME)
        return f"{local:%H:%M}" if local.date() == now.date() else f"{local:%d-%m-%Y %H:%M}"


@dataclass(frozen=True)
class Row:
    """One stored thing: its key, its JSON payload, and its stamp."""

    key: str
    payload: str
    stamp: Stamp


def _stamp_columns(table: Table) -> tuple:
    return table.c.version, table.c.changed_by, table.c.changed_at


def rows(eng: Engine | Connection, kind: Kind) -> list[Row]:
    """Every stored thing of this kind, in the kind's order."""
    table = kind.table
    order = [table.c[c] for c in kind.order] or [kind.key_column]
    query = select(kind.key_column, table.c.payload, *_stamp_columns(table)).order_by(*order, kind.key_column)
    found = _run(eng, lambda conn: conn.execute(query).all())
    return [Row(str(key), payload, Stamp(int(v), by or "", at or "")) for key, payload, v, by, at in found]


def stamp(eng: Engine | Connection, kind: Kind | str, key: str) -> Stamp | None:
    """The stamp of one stored thing, or None when there is none with this key."""
    kind = KINDS[kind] if isinstance(kind, str) else kind
    query = select(*_stamp_columns(kind.table)).where(kind.key_column == key)
    found = _run(eng, lambda conn: conn.execute(query).first())
    return None if found is None else Stamp(int(found[0]), found[1] or "", found[2] or "")


def version(eng: Engine | Connection, kind: Kind | str, key: str) -> int | None:
    """The stored version of one thing (None when there is none with this key)."""
    found = stamp(eng, kind, key)
    return None if found is None else found.version


def stamps(eng: Engine | Connection, kind: Kind | str) -> dict[str, Stamp]:
    """Every stored thing's stamp by key (e.g. for a register that shows who changed what)."""
    kind = KINDS[kind] if isinstance(kind, str) else kind
    query = select(kind.key_column, *_stamp_columns(kind.table))
    found = _run(eng, lambda conn: conn.execute(query).all())
    return {str(key): Stamp(int(v), by or "", at or "") for key, v, by, at in found}


def _run(eng: Engine | Connection, work):
    if isinstance(eng, Connection):
        return work(eng)
    with db.reading(eng) as conn:
        return work(conn)


def put(
    conn: Connection,
    kind: Kind,
    key: str,
    payload: str,
    *,
    actor: roles.Actor,
    expected: int | None,
    label: str | None = None,
    old_key: str | None = None,
    columns: dict[str, Any] | None = None,
) -> int:
    """Insert (``expected=None``) or update (``expected`` = the version loaded) one thing; returns its
    new version. ``old_key`` is the key it had when loaded (it may be renamed). Runs in the caller's
    write transaction (:func:`enschede_gis.db.writing`), so checks and write are one unit.
    """
    roles.require(actor, kind.action)
    label = label or key
    table = kind.table
    values = {
        kind.key: key,
        "payload": payload,
        "changed_by": actor.name[:120],
        "changed_at": db.now(),
        **(columns or {}),
    }
    if "updated_at" in table.c:  # the first schema's column, kept: the same moment as changed_at
        values["updated_at"] = values["changed_at"]
    source = key if old_key is None else old_key
    if (expected is None or key != source) and exists(conn, kind, key):
        raise already_exists(kind, label)
    try:
        if expected is None:
            conn.execute(insert(table).values(**values, version=1))
            return 1
        result = conn.execute(
            update(table)
            .where(kind.key_column == source, table.c.version == int(expected))
            .values(**values, version=table.c.version + 1)
        )
    except IntegrityError:  # PostgreSQL: another server inserted the same key a moment earlier
        raise already_exists(kind, label) from None
    if result.rowcount != 1:
        raise conflict(kind, label, stamp(conn, kind, source))
    return int(expected) + 1


def check_expected(replace: str | None, expected: int | None) -> None:
    """An edit must say which version it loaded; a save without it would overwrite blindly."""
    if replace is not None and expected is None:
        raise TypeError("editing a stored thing needs expected=<the version loaded>")


def save(
    eng: Engine,
    kind: Kind,
    key: str,
    payload: str,
    *,
    actor: roles.Actor,
    replace: str | None = None,
    expected: int | None = None,
    label: str | None = None,
    columns: dict[str, Any] | None = None,
) -> int:
    """Add (``replace=None``) or update a named thing in its own write transaction; returns its new
    version. ``replace`` is the key it was loaded under (it may be renamed to ``key``) and ``expected``
    the version loaded then; a new thing ignores ``expected`` and needs a free key (:func:`put`)."""
    check_expected(replace, expected)
    with db.writing(eng) as conn:
        return put(
            conn,
            kind,
            key,
            payload,
            actor=actor,
            expected=None if replace is None else expected,
            label=label,
            old_key=replace,
            columns=columns,
        )


def drop(
    conn: Connection, kind: Kind, key: str, *, actor: roles.Actor, expected: int | None = None, label=None
) -> None:
    """Delete one thing (only the version loaded when ``expected`` is given)."""
    roles.require(actor, kind.action)
    query = delete(kind.table).where(kind.key_column == key)
    if expected is not None:
        query = query.where(kind.table.c.version == int(expected))
    if conn.execute(query).rowcount == 1:
        return
    current = stamp(conn, kind, key)
    if current is None:
        raise missing(kind, label or key)
    raise conflict(kind, label or key, current)


def remove(eng: Engine, kind: Kind, key: str, *, actor: roles.Actor, expected: int | None = None, label=None) -> None:
    """:func:`drop` in its own write transaction."""
    with db.writing(eng) as conn:
        drop(conn, kind, key, actor=actor, expected=expected, label=label)


def exists(conn: Connection, kind: Kind, key: str) -> bool:
    """Whether a thing of this kind is stored under ``key`` (one indexed look-up)."""
    return conn.execute(select(kind.key_column).where(kind.key_column == key)).first() is not None


def conflict(kind: Kind, label: str, current: Stamp | None) -> ConflictError:
    """The refusal of a save that would overwrite someone else's change (or a deleted thing)."""
    noun_nl, noun_en = kind.noun_nl.capitalize(), kind.noun_en.capitalize()
    if current is None:
        return ConflictError(
            f"{noun_nl} '{label}' is intussen verwijderd door iemand anders; laad opnieuw. "
            "Uw wijziging is niet opgeslagen.",
            en=f"{noun_en} '{label}' was deleted by someone else in the meantime; reload. Your change was not saved.",
        )
    who, when = current.changed_by or "iemand anders", current.local_time()
    who_en = current.changed_by or "someone else"
    return ConflictError(
        f"Gewijzigd door {who} om {when}; laad opnieuw. ({noun_nl} '{label}' is intussen door iemand anders "
        "opgeslagen; uw wijziging is niet bewaard.)",
        en=f"Changed by {who_en} at {when}; reload. ({noun_en} '{label}' was saved by someone else in the meantime; "
        "your change was not kept.)",
    )


def already_exists(kind: Kind, label: str) -> InputError:
    noun_nl, noun_en = kind.noun_nl.split(" ", 1)[1], kind.noun_en.split(" ", 1)[1]
    return InputError(
        f"Er bestaat al een {noun_nl} met de naam '{label}'; kies een andere naam.",
        en=f"A {noun_en} named '{label}' already exists; choose another name.",
    )


def missing(kind: Kind, label: str) -> InputError:
    noun_nl, noun_en = kind.noun_nl.split(" ", 1)[1], kind.noun_en.split(" ", 1)[1]
    return InputError(f"Er is geen {noun_nl} '{label}'.", en=f"There is no {noun_en} '{label}'.")


def models(eng: Engine | Connection, kind: Kind, model: type[M], names: dict[str, str] | None = None) -> list[M]:
    """Every stored thing of this kind as its validated model; a row that no longer validates (e.g.
    edited by hand in the database) gives one :class:`DataError` naming it and the field."""
    found = []
    for row in rows(eng, kind):
        try:
            found.append(model.model_validate_json(row.payload))
        except ValidationError as exc:
            noun_nl, noun_en = (noun.split(" ", 1)[1].capitalize() for noun in (kind.noun_nl, kind.noun_en))
            raise DataError(
                f"{noun_nl} '{row.key}' in de database is beschadigd: {describe(exc, names)}",
                en=f"{noun_en} '{row.key}' in the database is damaged: {describe(exc, names, lang='en')}",
            ) from None
    return found


def version_token(eng: Engine, kind: Kind | str) -> str:
    """A token that changes whenever anything of this kind is saved or deleted (for cache keys)."""
    from sqlalchemy import func

    kind = KINDS[kind] if isinstance(kind, str) else kind
    table = kind.table
    query = select(func.count(), func.coalesce(func.sum(table.c.version), 0), func.max(table.c.changed_at))
    count, total, last = _run(eng, lambda conn: conn.execute(query).one())
    return f"{count}-{total}-{last or ''}"


# --- Files that are not shared state ----------------------------------------------------------------


def state_dir(*parts: str) -> Path:
    """A folder under the state directory, created on first use (never at import time)."""
    folder = Path(settings.STATE_DIR, *parts)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename it over ``path``:
    a crash or a full disk never leaves a half-written file behind."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json(path: Path, default: Any = None) -> Any:
    """Read a JSON file; a missing file gives ``default``, a damaged one a :class:`DataError`."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default
    except (OSError, ValueError) as exc:
        raise DataError(
            f"Bestand {Path(path).name} is beschadigd en kan niet worden gelezen: {exc}",
            en=f"File {Path(path).name} is damaged and cannot be read: {exc}",
        ) from None
