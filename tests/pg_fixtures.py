"""A throwaway PostgreSQL server for the test session, and an engine fixture for SQLite AND PostgreSQL.

Import the fixtures into a test module (``from pg_fixtures import db_engine, pg_url``) and every
test that takes ``db_engine`` runs twice: on a SQLite file and on a real PostgreSQL server. The
server is started once per test session (``initdb`` in a temporary folder, as the ``postgres``
user when we run as root, on a random port on 127.0.0.1) and stopped at exit.

When PostgreSQL cannot be started the postgres tests FAIL with a message saying why: CI must not
pass by quietly skipping half the suite.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import MetaData

from enschede_gis import db

_SERVER: dict[str, object] = {}


class PostgresUnavailable(RuntimeError):
    pass


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise PostgresUnavailable(
        "PostgreSQL is not installed (no initdb). Run ./dev test, which installs Debian's postgresql, "
        "or: apt-get install postgresql"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the ``postgres`` user then."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _run(args: list[str]) -> None:
    result = subprocess.run(_as_server_user(args), capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise PostgresUnavailable(f"{' '.join(args[:1])} failed: {result.stderr.strip() or result.stdout.strip()}")


def start_server() -> str:
    """Start (once per process) a throwaway server; returns a SQLAlchemy URL for its database."""
    if "url" in _SERVER:
        return str(_SERVER["url"])
    if "error" in _SERVER:
        raise PostgresUnavailable(str(_SERVER["error"]))
    try:
        bindir = _bin_dir()
        folder = Path(tempfile.mkdtemp(prefix="wijkbeeld-pg-"))
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
        data = folder / "data"
        port = _free_port()
        _run([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"])
        options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        _run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-o", options, "-w", "start"])
    except (PostgresUnavailable, OSError, subprocess.SubprocessError, LookupError) as exc:
        _SERVER["error"] = f"PostgreSQL could not be started for the tests: {exc}"
        raise PostgresUnavailable(str(_SERVER["error"])) from None
    _SERVER.update(url=f"postgresql+psycopg2://postgres@127.0.0.1:{port}/postgres", folder=folder, bindir=bindir)
    atexit.register(stop_server)
    return str(_SERVER["url"])


def stop_server() -> None:
    if "url" not in _SERVER:
        return
    folder, bindir = Path(str(_SERVER["folder"])), Path(str(_SERVER["bindir"]))
    db.dispose_all()
    subprocess.run(
        _as_server_user([str(bindir / "pg_ctl"), "-D", str(folder / "data"), "-m", "immediate", "-w", "stop"]),
        capture_output=True,
        timeout=60,
    )
    shutil.rmtree(folder, ignore_errors=True)
    _SERVER.clear()


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The URL of the session's PostgreSQL server (fails the test when it cannot be started)."""
    try:
        return start_server()
    except PostgresUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)


def drop_everything(eng) -> None:
    """Drop every table, Alembic's revision table included: the database is as new."""
    found = MetaData()
    found.reflect(eng)
    found.drop_all(eng)


def _fresh(url: str):
    eng = db.engine(url)
    drop_everything(eng)
    db.upgrade(eng)  # the schema as the app makes it: by its migrations
    return eng


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, isolated_state, monkeypatch) -> str:
    """A database URL with an empty schema, once on SQLite (in the test's state folder), once on
    PostgreSQL; ``DATABASE_URL`` is set to it so the package's default engine is this one."""
    if request.param == "sqlite":
        url = f"sqlite:///{isolated_state / 'test.sqlite3'}"
        isolated_state.mkdir(parents=True, exist_ok=True)
    else:
        url = request.getfixturevalue("pg_url")
    _fresh(url)
    monkeypatch.setenv(db.DATABASE_URL_ENV, url)
    yield url
    db.dispose_all()


@pytest.fixture
def db_engine(db_url):
    """The engine for :func:`db_url`."""
    return db.engine(db_url)


__all__ = ["db_engine", "db_url", "drop_everything", "pg_url"]
