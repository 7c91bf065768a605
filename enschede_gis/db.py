"""The database for what residents and officials enter: input, meetings, the project register.

A SQLite file in the state directory by default (WAL mode, so readers never block the writer and
a committed row survives a crash of the app); PostgreSQL when ``DATABASE_URL`` is set. Both get the
same schema from :data:`METADATA` through SQLAlchemy, and the same tests run on both.

Writes go through :func:`writing`: on SQLite it opens the transaction with ``BEGIN IMMEDIATE``, so
a transaction that reads and then writes (the rate limit, an upsert) takes the write lock up front
and waits for other writers (``busy_timeout``) instead of failing half-way with "database is locked".
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from enschede_gis.errors import DataError
from enschede_gis.store import state_dir

#: The SQLite file in the state directory (when no ``DATABASE_URL`` is set).
SQLITE_FILE = "wijkbeeld.sqlite3"
#: How long a SQLite writer waits for another writer before giving up (seconds). Generous: an
#: evening with thirty phones submitting at once must queue, never fail.
SQLITE_BUSY_TIMEOUT_S = 30.0
#: The environment variable naming a server database, e.g. ``postgresql://user@host/db``.
DATABASE_URL_ENV = "DATABASE_URL"

METADATA = MetaData()

#: Residents' notes, ideas and votes. Only coarse, optional, anonymous facts about the person.
INPUTS = Table(
    "inputs",
    METADATA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", String(32), nullable=False),  # ISO 8601, UTC ("2026-11-29T04:10:00Z")
    Column("meeting_id", String(64), nullable=True),
    Column("area_code", String(120), nullable=False),
    Column("kind", String(16), nullable=False),  # note / idea / vote
    Column("text", Text, nullable=False, default=""),
    Column("priority", String(200), nullable=True),  # what a vote is for
    Column("lat", Float, nullable=True),
    Column("lon", Float, nullable=True),
    Column("age_group", String(16), nullable=True),
    Column("home_buurt", String(16), nullable=True),
    Column("tenure", String(16), nullable=True),
    Column("session_id", String(64), nullable=False),  # random per browser session, for the rate limit
    Column("hidden", Boolean, nullable=False, default=False),
    Column("moderated_at", String(32), nullable=True),
    Index("ix_inputs_area", "area_code"),
    Index("ix_inputs_meeting", "meeting_id"),
    Index("ix_inputs_session_time", "session_id", "created_at"),
)

#: Meetings, stored whole as validated JSON (see :mod:`enschede_gis.meetings`).
MEETINGS = Table(
    "meetings",
    METADATA,
    Column("id", String(64), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("payload", Text, nullable=False),
    Column("updated_at", String(32), nullable=False),
)

#: The coordination register of planned works (see :mod:`enschede_gis.projects`).
PROJECTS = Table(
    "projects",
    METADATA,
    Column("id", String(64), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("start", String(10), nullable=False),
    Column("end", String(10), nullable=False),
    Column("payload", Text, nullable=False),
    Column("updated_at", String(32), nullable=False),
)

_ENGINES: dict[str, Engine] = {}
_LOCK = threading.Lock()


def now() -> str:
    """The current time as the ISO 8601 UTC text stored in the database."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def default_url() -> str:
    """``DATABASE_URL`` when set, else the SQLite file in the state directory."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    if url:
        return normalise_url(url)
    return f"sqlite:///{state_dir() / SQLITE_FILE}"


def normalise_url(url: str) -> str:
    """Accept the ``postgres://`` spelling that hosting platforms hand out."""
    if url.startswith("postgres://"):
        return "postgresql+psycopg2://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        return "postgresql+psycopg2://" + url.removeprefix("postgresql://")
    return url


def engine(url: str | None = None) -> Engine:
    """The (cached) engine for ``url`` (default: :func:`default_url`), with the schema created."""
    url = normalise_url(url) if url else default_url()
    with _LOCK:
        found = _ENGINES.get(url)
        if found is None:
            found = _make_engine(url)
            _ENGINES[url] = found
        return found


def dispose_all() -> None:
    """Close every cached engine (tests; a process that forks)."""
    with _LOCK:
        for eng in _ENGINES.values():
            eng.dispose()
        _ENGINES.clear()


def _make_engine(url: str) -> Engine:
    try:
        if url.startswith("sqlite"):
            eng = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False})
            _sqlite_events(eng)
        else:
            eng = create_engine(url, pool_pre_ping=True)
        METADATA.create_all(eng)
    except SQLAlchemyError as exc:
        raise DataError(
            f"De database kon niet worden geopend ({_safe(url)}): {exc.__class__.__name__}",
            en=f"The database could not be opened ({_safe(url)}): {exc.__class__.__name__}",
        ) from None
    return eng


def _safe(url: str) -> str:
    """The URL without its password, fit for a message."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _sqlite_events(eng: Engine) -> None:
    @event.listens_for(eng, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN itself (pysqlite's own is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # a confirmed input is on disk, not in a cache
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(eng, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("wijkbeeld_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def writing(eng: Engine) -> Iterator[Connection]:
    """A write transaction, committed when the block ends without an error (rolled back otherwise)."""
    with eng.connect() as conn:
        conn.execution_options(wijkbeeld_write=True)
        with conn.begin():
            yield conn


@contextmanager
def reading(eng: Engine) -> Iterator[Connection]:
    """A read-only transaction."""
    with eng.connect() as conn, conn.begin():
        yield conn


def journal_mode(eng: Engine) -> str | None:
    """SQLite's journal mode (``wal``), or None for a server database."""
    if eng.dialect.name != "sqlite":
        return None
    with reading(eng) as conn:
        return str(conn.exec_driver_sql("PRAGMA journal_mode").scalar()).lower()


def describe(eng: Engine) -> str:
    """Where the data lives, for the page footer (no password)."""
    if eng.dialect.name == "sqlite":
        return f"SQLite ({eng.url.database})"
    return f"{eng.dialect.name} ({eng.url.render_as_string(hide_password=True)})"
