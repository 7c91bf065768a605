"""What does storing a resident's input safely cost, compared with a bare SQLite insert?

Ours: :func:`enschede_gis.inputs.submit` — validation, the rate-limit count, ``BEGIN IMMEDIATE``,
the insert and a durable commit (WAL, ``synchronous=FULL``), one transaction per input.
Baseline: the standard library's ``sqlite3`` inserting the same rows into a table of the same shape,
also in WAL mode with one commit per row and no checks, once with ``synchronous=FULL`` (the same
durability: the difference is our own overhead) and once with ``NORMAL`` (what durability costs).
Also: reading all rows back as a DataFrame (``list_inputs``) against ``pandas.read_sql_query``.
Prints inputs per second and the ratio ours / baseline (time; lower is better). Uses a temporary
folder; set DATABASE_URL to measure a PostgreSQL server instead of SQLite (no baseline then).

    .venv/bin/python bench/inputs.py [rows]
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd

from enschede_gis.roles import Actor, Role

STAFF = Actor(Role.TEAM)  # input from the area team's own page; residents are tested in test_inputs

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 500


def _ours(folder: Path) -> tuple[float, float]:
    os.environ["WIJKBEELD_STATE_DIR"] = str(folder)
    from enschede_gis import db, inputs, settings

    settings.STATE_DIR = folder
    eng = db.engine()
    drafts = [inputs.make_input(kind="note", area_code="BU01530000", text=f"bericht {i}") for i in range(ROWS)]
    start = time.perf_counter()
    for i, draft in enumerate(drafts):
        inputs.submit(eng, draft, actor=STAFF, session_id=f"s{i}")
    write = time.perf_counter() - start
    start = time.perf_counter()
    assert len(inputs.list_inputs(eng)) == ROWS
    read = time.perf_counter() - start
    db.dispose_all()
    return write, read


def _baseline(folder: Path, sync: str) -> tuple[float, float]:
    con = sqlite3.connect(folder / f"plain-{sync}.sqlite3")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute(f"PRAGMA synchronous={sync}")
    con.execute("CREATE TABLE inputs (id INTEGER PRIMARY KEY, created_at TEXT, area_code TEXT, kind TEXT, text TEXT)")
    start = time.perf_counter()
    for i in range(ROWS):
        con.execute(
            "INSERT INTO inputs (created_at, area_code, kind, text) VALUES (datetime('now'), ?, ?, ?)",
            ("BU01530000", "note", f"bericht {i}"),
        )
        con.commit()
    write = time.perf_counter() - start
    start = time.perf_counter()
    assert len(pd.read_sql_query("SELECT * FROM inputs", con)) == ROWS
    read = time.perf_counter() - start
    con.close()
    return write, read


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ours_write, ours_read = _ours(Path(tmp) / "state")
        print(f"ours:     {ROWS / ours_write:8.0f} inputs/s written, read {ROWS} rows in {ours_read * 1000:.1f} ms")
        if os.environ.get("DATABASE_URL"):
            return
        for sync in ("FULL", "NORMAL"):
            base_write, base_read = _baseline(Path(tmp), sync)
            print(
                f"baseline synchronous={sync:6}: {ROWS / base_write:8.0f} inputs/s written, "
                f"read in {base_read * 1000:.1f} ms; ours/baseline (time): write {ours_write / base_write:.1f}x, "
                f"read {ours_read / base_read:.1f}x"
            )


if __name__ == "__main__":
    main()
