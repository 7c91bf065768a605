"""The one database for everything users make: custom areas, own-data uploads, scenarios, priority
profiles, meetings, the project register and residents' input.

A SQLite file in the state directory by default (WAL mode, so readers never block the writer and
a committed row survives a crash of the app); PostgreSQL when ``DATABASE_URL`` is set. Both get the
same schema, and the same tests run on both.

The schema is versioned with Alembic: the scripts ship in ``enschede_gis/migrations/`` and
:func:`upgrade` runs them from code (no ``alembic.ini``) when the app opens the database. The
upgrade holds a lock for its whole transaction (PostgreSQL: an advisory lock; SQLite: ``BEGIN
IMMEDIATE``), so two servers or processes starting at once take turns: the first upgrades, the
others find the schema current. A database made by the first version of the app (tables from
``create_all``, no ``alembic_version``) is adopted: the first migration creates only what is
missing, the second adds the new tables and columns, and every row is kept. In the same transaction
the state saved by that first version as JSON files is imported once (see :mod:`enschede_gis.legacy`).

Writes go through :func:`writing`: on SQLite it opens the transaction with ``BEGIN IMMEDIATE``, so
a transaction that reads and then writes (the rate limit, an optimistic version check) takes the
write lock up front and waits for other writers (``busy_timeout``) instead of failing half-way with
"database is locked".
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

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
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from enschede_gis import settings
from enschede_gis.errors import DataError

#: The SQLite file in the state directory (when no ``DATABASE_URL`` is set).
SQLITE_FILE = "wijkbeeld.sqlite3"
#: How long a SQLite writer waits for another writer before giving up (seconds). Generous: an
#: evening with thirty phones submitting at once must queue, never fail.
SQLITE_BUSY_TIMEOUT_S = 30.0
#: The environment variable naming a server database, e.g. ``postgresql://user@host/db``.
DATABASE_URL_ENV = "DATABASE_URL"
#: The Alembic scripts, shipped inside the package.
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: PostgreSQL advisory lock key held while one server upgrades the schema (any fixed 64-bit number).
SCHEMA_LOCK_KEY = 0x57696A6B62656C64  # "Wijkbeld"

METADATA = MetaData()


def _audit() -> list[Column]:
    """Optimistic concurrency and who-did-what, the same on every table of things users edit."""
    return [
        Column("version", Integer, nullable=False, server_default="1"),  # +1 on every save
        Column("changed_by", String(120), nullable=False, server_default=""),  # actor name or role
        Column("changed_at", String(32), nullable=False, server_default=""),  # ISO 8601, UTC
    ]


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
    Column("moderated_by", String(120), nullable=True),
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
    Column("updated_at", String(32), nullable=False),  # kept from the first schema; = changed_at
    *_audit(),
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
    Column("updated_at", String(32), nullable=False),  # kept from the first schema; = changed_at
    *_audit(),
)

#: Custom areas (see :mod:`enschede_gis.areas`); the name is the key users see and link to.
AREAS = Table(
    "areas",
    METADATA,
    Column("name", String(80), primary_key=True),
    Column("gemeente", String(16), nullable=False),
    Column("payload", Text, nullable=False),
    *_audit(),
)

#: Own-data uploads (see :mod:`enschede_gis.uploads`), one validated dataset per row.
UPLOADS = Table(
    "uploads",
    METADATA,
    Column("id", String(200), primary_key=True),
    Column("payload", Text, nullable=False),
    *_audit(),
)

#: Which upload holds each local indicator key (see :mod:`enschede_gis.uploads`): the key is unique,
#: so a save checks a name with one indexed look-up instead of reading every stored upload.
UPLOAD_INDICATORS = Table(
    "upload_indicators",
    METADATA,
    Column("key", Text, primary_key=True),
    Column("upload_id", String(200), nullable=False),
    Index("ix_upload_indicators_upload", "upload_id"),
)

#: Scenarios (see :mod:`enschede_gis.scenarios`); the key is the name in lower case, so "Plan A"
#: and "plan a" cannot both exist.
SCENARIOS = Table(
    "scenarios",
    METADATA,
    Column("key", String(120), primary_key=True),
    Column("name", String(80), nullable=False),
    Column("payload", Text, nullable=False),
    *_audit(),
)

#: Priority profiles (see :mod:`enschede_gis.priorities`).
PROFILES = Table(
    "profiles",
    METADATA,
    Column("name", String(60), primary_key=True),
    Column("payload", Text, nullable=False),
    *_audit(),
)

#: One-time jobs done on this database (the import of the first version's JSON files).
DONE = Table(
    "done",
    METADATA,
    Column("name", String(64), primary_key=True),
    Column("done_at", String(32), nullable=False),
    Column("detail", Text, nullable=False, server_default=""),
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
    folder = Path(settings.STATE_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / SQLITE_FILE}"


def normalise_url(url: str) -> str:
    """Accept the ``postgres://`` spelling that hosting platforms hand out."""
    if url.startswith("postgres://"):
        return "postgresql+psycopg2://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        return "postgresql+psycopg2://" + url.removeprefix("postgresql://")
    return url


def engine(url: str | None = None) -> Engine:
    """The (cached) engine for ``url`` (default: :func:`default_url`), its schema upgraded."""
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
        upgrade(eng)
    except SQLAlchemyError as exc:
        raise DataError(
            f"De database kon niet worden geopend ({_safe(url)}): {exc.__class__.__name__}: {_first_line(exc)}",
            en=f"The database could not be opened ({_safe(url)}): {exc.__class__.__name__}: {_first_line(exc)}",
        ) from None
    return eng


def _first_line(exc: Exception) -> str:
    return str(getattr(exc, "orig", None) or exc).splitlines()[0][:200]


def upgrade(eng: Engine, *, import_state: bool = True) -> None:
    """Bring the schema to the newest version, then import the first version's JSON files once.

    One transaction under a lock that other servers and processes wait for, so a crash leaves the
    database as it was and two servers starting at once never both upgrade or both import.
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with writing(eng) as conn:
        if eng.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        if import_state:
            from enschede_gis import legacy

            legacy.import_once(conn)


def schema_revision(eng: Engine) -> str | None:
    """The Alembic revision the database is at (None before the first upgrade)."""
    from alembic.runtime.migration import MigrationContext

    with reading(eng) as conn:
        return MigrationContext.configure(conn).get_current_revision()


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
        # The busy timeout first: switching a fresh file to WAL needs a lock another process may hold.
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_S * 1000)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # a confirmed save is on disk, not in a cache
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
