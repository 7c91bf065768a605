"""The database: SQLite (WAL) by default, PostgreSQL via DATABASE_URL; durable and safe under load.

Every test taking ``db_engine``/``db_url`` runs on SQLite and on a real PostgreSQL server.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from pg_fixtures import *  # noqa: F403  (the db_url, db_engine and pg_url fixtures)
from sqlalchemy import func, inspect, select

from enschede_gis import db, inputs, settings
from enschede_gis.roles import Actor, Role

STAFF = Actor(Role.TEAM)  # input from the area team's own page; residents are tested in test_inputs

REPO = Path(__file__).resolve().parents[1]

WRITER = textwrap.dedent(
    """
    import sys, time
    from enschede_gis import db, inputs
    from enschede_gis.roles import Actor, Role
    STAFF = Actor(Role.TEAM)
    eng = db.engine()
    prefix, count = sys.argv[1], int(sys.argv[2])
    for i in range(count):
        draft = inputs.make_input(kind="note", area_code="BU01530000", text=f"{prefix} bericht {i}")
        stored = inputs.submit(eng, draft, actor=STAFF, session_id=f"{prefix}-{i}")
        print(stored.id, flush=True)
    print("done", flush=True)
    if len(sys.argv) > 3:
        time.sleep(600)  # wait to be killed
    """
)


def _child(url: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, db.DATABASE_URL_ENV: url, "WIJKBEELD_STATE_DIR": str(settings.STATE_DIR)}
    return subprocess.Popen([sys.executable, "-c", WRITER, *args], cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)


def _count(eng) -> int:
    with db.reading(eng) as conn:
        return conn.execute(select(func.count()).select_from(db.INPUTS)).scalar_one()


def test_default_is_a_wal_sqlite_file_in_the_state_dir(isolated_state, monkeypatch):
    monkeypatch.delenv(db.DATABASE_URL_ENV, raising=False)
    eng = db.engine()
    try:
        assert eng.dialect.name == "sqlite"
        assert Path(eng.url.database) == isolated_state / db.SQLITE_FILE
        assert db.journal_mode(eng) == "wal"
        assert {"inputs", "meetings", "projects"} <= set(inspect(eng).get_table_names())
    finally:
        db.dispose_all()


def test_database_url_is_normalised():
    assert db.normalise_url("postgres://u:p@h/d") == "postgresql+psycopg2://u:p@h/d"
    assert db.normalise_url("postgresql://u@h/d") == "postgresql+psycopg2://u@h/d"
    assert db.normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_the_same_schema_on_both_engines(db_engine):
    tables = set(inspect(db_engine).get_table_names())
    assert {"inputs", "meetings", "projects"} <= tables
    columns = {c["name"] for c in inspect(db_engine).get_columns("inputs")}
    assert set(inputs.EXPORT_COLUMNS) <= columns


def test_database_url_selects_the_engine(db_url):
    assert db.engine().url.render_as_string(hide_password=False) == db.normalise_url(db_url)


def test_input_survives_a_killed_process(db_url):
    """A separate process commits input and is killed with SIGKILL; a new process still reads it."""
    child = _child(db_url, "durable", "3", "then-wait")
    lines = []
    for line in child.stdout:
        lines.append(line.strip())
        if line.strip() == "done":
            break
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    ids = [int(x) for x in lines[:-1]]
    assert len(ids) == 3
    db.dispose_all()  # nothing cached in this process either
    reader = subprocess.run(
        [sys.executable, "-c", "from enschede_gis import db, inputs; print(inputs.list_inputs(db.engine()).to_json())"],
        cwd=REPO,
        env={**os.environ, db.DATABASE_URL_ENV: db_url},
        capture_output=True,
        text=True,
        check=True,
    )
    for i in range(3):
        assert f"durable bericht {i}" in reader.stdout


def test_many_threads_lose_no_row(db_engine):
    threads, per_thread, errors = 8, 15, []

    def work(n: int) -> None:
        try:
            for i in range(per_thread):
                draft = inputs.make_input(kind="idea", area_code="BU01530000", text=f"thread {n} idee {i}")
                inputs.submit(db_engine, draft, actor=STAFF, session_id=f"t{n}-{i}")
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    assert _count(db_engine) == threads * per_thread
    texts = set(inputs.list_inputs(db_engine)["text"])
    assert len(texts) == threads * per_thread


def test_many_processes_lose_no_row(db_url, db_engine):
    processes, per_process = 4, 20
    children = [_child(db_url, f"p{n}", str(per_process)) for n in range(processes)]
    outputs = [c.communicate(timeout=240)[0] for c in children]
    assert [c.returncode for c in children] == [0] * processes, outputs
    assert _count(db_engine) == processes * per_process
    ids = [int(x) for out in outputs for x in out.split() if x != "done"]
    assert len(set(ids)) == processes * per_process


@pytest.mark.postgres
def test_postgres_server_is_real(pg_url):
    eng = db.engine(pg_url)
    assert eng.dialect.name == "postgresql"
    with db.reading(eng) as conn:
        assert "PostgreSQL" in conn.exec_driver_sql("select version()").scalar_one()
