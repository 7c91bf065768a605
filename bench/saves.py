"""What does a durable, checked save of each kind of thing users make cost, against a bare SQLite insert?

Ours: one save of a custom area, an own-data upload, a scenario and a priority profile, each through
its package function (role check, validation, the optimistic version check or the "already exists"
check, ``BEGIN IMMEDIATE``, the write and a durable commit: WAL, ``synchronous=FULL``); then, for
areas, scenarios and profiles, an edit of a stored one (the version check on the row).
Baseline: the standard library's ``sqlite3`` inserting the same JSON payload into a table of the same
shape (key, payload) in WAL mode with ``synchronous=FULL`` and one commit per row, no checks.
Prints saves per second and the ratio ours / baseline (time; lower is better). Uses a temporary
folder; set DATABASE_URL to measure a PostgreSQL server instead (the baseline stays SQLite).

    .venv/bin/python bench/saves.py [saves per kind]
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 200
KNOWN = {"BU01530301", "BU01530905"}


def _makers():
    from enschede_gis import areas, uploads
    from enschede_gis import priorities as pr
    from enschede_gis import scenarios as sc

    def upload(i: int):
        key = f"lokaal_bench_{i}"
        return uploads.Dataset(
            id=f"bench-{i}",
            source="bron",
            year=2023,
            level="buurt",
            file_name=f"bench-{i}.csv",
            uploaded="2026-12-01",
            indicators=[{"key": key, "name": f"bench {i}", "unit": "", "kind": "count"}],
            values={key: {"BU01530301": float(i), "BU01530905": 2.0}},
        )

    return {
        "areas": (lambda i: areas.parse_area(f"Gebied {i}", ["BU01530301", "BU01530905"], "Bench")),
        "uploads": upload,
        "scenarios": (
            lambda i: sc.make_scenario(
                name=f"Plan {i}",
                year=2023,
                measures=[
                    {
                        "type": "new_dwellings",
                        "area": "BU01530301",
                        "basis": "evidence",
                        "dwellings": 40 + i,
                        "household_size": 2.1,
                    }
                ],
            )
        ),
        "profiles": (lambda i: pr.make_profile(f"Profiel {i}", {"inwoners": 1.0}, {"inwoners": "higher_worse"})),
    }


def _savers(eng, actor):
    from enschede_gis import areas, uploads
    from enschede_gis import priorities as pr
    from enschede_gis import scenarios as sc

    return {
        "areas": lambda item, **edit: areas.save_area(eng, item, KNOWN, actor=actor, **edit),
        "uploads": lambda item, **edit: uploads.save_dataset(eng, item, actor=actor),
        "scenarios": lambda item, **edit: sc.save_scenario(eng, item, actor=actor, **edit),
        "profiles": lambda item, **edit: pr.save_profile(eng, item, actor=actor, **edit),
    }


def _ours(folder: Path) -> dict[str, tuple[float, float | None, str]]:
    os.environ["WIJKBEELD_STATE_DIR"] = str(folder)
    from enschede_gis import db, roles, settings

    settings.STATE_DIR = folder
    eng = db.engine()
    actor = roles.Actor(roles.Role.TEAM, "bench")
    makers, savers = _makers(), _savers(eng, actor)
    timings = {}
    for kind, make in makers.items():
        items = [make(i) for i in range(COUNT)]
        start = time.perf_counter()
        for item in items:
            savers[kind](item)
        create = time.perf_counter() - start
        edit = None
        if kind != "uploads":  # uploads are added and removed, never edited
            start = time.perf_counter()
            for item in items:
                savers[kind](item, replace=item.name, expected=1)
            edit = time.perf_counter() - start
        timings[kind] = (create, edit, items[0].model_dump_json())
    db.dispose_all()
    return timings


def _baseline(folder: Path, kind: str, payload: str) -> float:
    con = sqlite3.connect(folder / f"plain-{kind}.sqlite3")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE things (key TEXT PRIMARY KEY, payload TEXT)")
    start = time.perf_counter()
    for i in range(COUNT):
        con.execute("INSERT INTO things (key, payload) VALUES (?, ?)", (f"{kind} {i}", payload))
        con.commit()
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ours = _ours(Path(tmp) / "state")
        where = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
        print(f"{COUNT} saves per kind, ours on {where}, baseline: plain sqlite3 insert, WAL, synchronous=FULL")
        for kind, (create, edit, payload) in ours.items():
            base = _baseline(Path(tmp), kind, payload)
            line = f"{kind:10} new: {COUNT / create:7.0f}/s (x{create / base:4.1f} baseline {COUNT / base:6.0f}/s)"
            if edit is not None:
                line += f"   edit: {COUNT / edit:7.0f}/s (x{edit / base:4.1f})"
            print(line)


if __name__ == "__main__":
    main()
