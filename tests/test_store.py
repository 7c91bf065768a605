"""The one store: Alembic schema (adopting the first version's database), a safe start when several
processes open a fresh database at once, the one-time import of the first version's JSON files, and
no lost update when many processes and threads save at once. On SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from pg_fixtures import *  # noqa: F403  (the db_url, db_engine and pg_url fixtures)
from pg_fixtures import drop_everything
from sqlalchemy import Boolean, Column, Float, Integer, MetaData, String, Table, Text, inspect, select

from enschede_gis import areas, db, legacy, meetings, projects, roles, settings, store, uploads
from enschede_gis import priorities as pr
from enschede_gis import scenarios as sc
from enschede_gis.errors import ConflictError, DataError

REPO = Path(__file__).resolve().parents[1]
LEGACY_STATE = Path(__file__).parent / "fixtures" / "legacy_state"
TEAM = roles.Actor(roles.Role.TEAM, "Anna")


def _head() -> str:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def _env(url: str) -> dict[str, str]:
    return {**os.environ, db.DATABASE_URL_ENV: url, "WIJKBEELD_STATE_DIR": str(settings.STATE_DIR)}


# --- The schema --------------------------------------------------------------------------------------


def test_the_migrations_make_exactly_the_tables_the_code_uses(db_engine):
    with db_engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), db.METADATA)
    assert differences == []
    assert db.schema_revision(db_engine) == _head() == "0003"


def _first_version_tables() -> MetaData:
    """The schema the first version made with ``create_all`` (copied from its db.py)."""
    meta = MetaData()
    Table(
        "inputs",
        meta,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("created_at", String(32), nullable=False),
        Column("meeting_id", String(64)),
        Column("area_code", String(120), nullable=False),
        Column("kind", String(16), nullable=False),
        Column("text", Text, nullable=False, default=""),
        Column("priority", String(200)),
        Column("lat", Float),
        Column("lon", Float),
        Column("age_group", String(16)),
        Column("home_buurt", String(16)),
        Column("tenure", String(16)),
        Column("session_id", String(64), nullable=False),
        Column("hidden", Boolean, nullable=False, default=False),
        Column("moderated_at", String(32)),
    )
    for name, extra in (("meetings", []), ("projects", [Column("start", String(10)), Column("end", String(10))])):
        Table(
            name,
            meta,
            Column("id", String(64), primary_key=True),
            Column("title", String(200), nullable=False),
            *extra,
            Column("payload", Text, nullable=False),
            Column("updated_at", String(32), nullable=False),
        )
    return meta


def test_a_first_version_database_is_adopted_without_loss(db_engine):
    drop_everything(db_engine)
    old = _first_version_tables()
    old.create_all(db_engine)
    meeting = meetings.make_meeting(title="Avond", area_code="BU01530301")
    project = projects.make_project(
        title="Riolering",
        domain="fysiek",
        responsible="Team Riool",
        area={"codes": ["BU01530301"]},
        start="2026-01-01",
        end="2026-02-01",
    )
    with db.writing(db_engine) as conn:
        conn.execute(
            old.tables["inputs"]
            .insert()
            .values(created_at=db.now(), area_code="BU01530301", kind="note", text="Oud", session_id="s", hidden=False)
        )
        conn.execute(
            old.tables["meetings"]
            .insert()
            .values(id=meeting.id, title="Avond", payload=meeting.model_dump_json(), updated_at="2026-11-01T19:00:00Z")
        )
        conn.execute(
            old.tables["projects"]
            .insert()
            .values(
                id=project.id,
                title="Riolering",
                start="2026-01-01",
                end="2026-02-01",
                payload=project.model_dump_json(),
                updated_at="2026-11-01T19:00:00Z",
            )
        )
    assert db.schema_revision(db_engine) is None
    db.upgrade(db_engine)
    assert db.schema_revision(db_engine) == _head()
    assert meetings.load(db_engine, meeting.id) == meeting
    assert projects.load_all(db_engine) == [project]
    assert store.stamps(db_engine, "meetings")[meeting.id] == store.Stamp(1, "", "2026-11-01T19:00:00Z")
    with db.reading(db_engine) as conn:
        assert conn.execute(select(db.INPUTS.c.text)).scalars().all() == ["Oud"]
    # An edit of the adopted meeting is an ordinary optimistic save.
    meetings.save(db_engine, meetings.with_changes(meeting, step=1), actor=TEAM, expected=1)
    assert meetings.meeting_version(db_engine, meeting.id) == 2
    with db.reading(db_engine) as conn:  # the first schema's updated_at is the moment of the change
        row = conn.execute(select(db.MEETINGS.c.updated_at, db.MEETINGS.c.changed_at)).one()
        assert row.updated_at == row.changed_at != "2026-11-01T19:00:00Z"


def _upload(name: str, key: str) -> uploads.Dataset:
    return uploads.Dataset(
        id=name,
        source="bron",
        year=2023,
        level="buurt",
        file_name=name + ".csv",
        uploaded="2026-12-01",
        indicators=[{"key": key, "name": name, "unit": "", "kind": "count"}],
        values={key: {"BU01530301": 1.0}},
    )


def test_uploads_stored_before_the_key_table_keep_their_names_taken(db_engine):
    from alembic import command
    from alembic.config import Config

    drop_everything(db_engine)
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS))
    with db.writing(db_engine) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
        old = _upload("oud", "lokaal_bereik")
        conn.execute(
            db.UPLOADS.insert().values(id=old.id, payload=old.model_dump_json(), version=1, changed_at=db.now())
        )
    db.upgrade(db_engine)
    with db.reading(db_engine) as conn:
        assert conn.execute(select(db.UPLOAD_INDICATORS)).all() == [("lokaal_bereik", "oud")]
    with pytest.raises(uploads.UploadError, match="bestaat al een eigen indicator met de naam 'nieuw'"):
        uploads.save_dataset(db_engine, _upload("nieuw", "lokaal_bereik"), actor=TEAM)
    uploads.delete_dataset(db_engine, "oud", actor=TEAM)  # frees the name
    assert uploads.save_dataset(db_engine, _upload("oud", "lokaal_bereik"), actor=TEAM).id == "oud"
    again = uploads.save_dataset(db_engine, _upload("oud", "lokaal_ander"), actor=TEAM)
    assert again.id == "oud_2"  # the same file again gets an id of its own
    assert [d.id for d in uploads.load_datasets(db_engine)] == ["oud", "oud_2"]


OPENER = textwrap.dedent(
    """
    import sys
    from enschede_gis import db, areas, roles
    eng = db.engine()
    name = "gebied " + sys.argv[1]
    areas.save_area(eng, areas.parse_area(name, ["BU01530301"]), {"BU01530301"}, actor=roles.Actor("team", "p"))
    print(db.schema_revision(eng))
    """
)


def test_several_processes_opening_a_fresh_database_at_once_all_work(db_url, db_engine):
    drop_everything(db_engine)
    db.dispose_all()
    children = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, str(n)], cwd=REPO, env=_env(db_url), stdout=subprocess.PIPE, text=True
        )
        for n in range(4)
    ]
    outputs = [child.communicate(timeout=180)[0].strip() for child in children]
    assert [child.returncode for child in children] == [0, 0, 0, 0]
    assert outputs == [_head()] * 4
    assert sorted(a.name for a in areas.load_areas(db.engine(db_url))) == [f"gebied {n}" for n in range(4)]


# --- The one-time import of the first version's files ----------------------------------------------------


def _expected_from_files(folder: Path) -> dict[str, list]:
    """What the first version's own readers would have listed (parsed here straight from its files)."""
    raw = {name: json.loads((folder / name).read_text()) for name in ("custom_areas.json", "uploads.json")}
    return {
        "areas": [areas.CustomArea(**a) for a in raw["custom_areas.json"]["areas"]],
        "uploads": [uploads.Dataset(**d) for d in raw["uploads.json"]["datasets"]],
        "scenarios": sorted(
            (sc.Scenario.model_validate_json(p.read_text()) for p in (folder / "scenarios").glob("*.json")),
            key=lambda s: s.name.lower(),
        ),
        "profiles": [
            pr.PriorityProfile(**p) for p in json.loads((folder / "priority_profiles.json").read_text())["profiles"]
        ],
    }


def _stored(eng) -> dict[str, list]:
    return {
        "areas": areas.load_areas(eng),
        "uploads": uploads.load_datasets(eng),
        "scenarios": sc.load_scenarios(eng)[0],
        "profiles": pr.load_profiles(eng),
    }


def test_the_first_versions_files_are_imported_once_and_kept(db_engine, isolated_state):
    shutil.copytree(LEGACY_STATE, isolated_state, dirs_exist_ok=True)
    before = {p.relative_to(isolated_state): p.read_bytes() for p in isolated_state.rglob("*.json")}
    drop_everything(db_engine)
    db.upgrade(db_engine)  # the first start of this version
    expected = _expected_from_files(isolated_state)
    assert [len(v) for v in expected.values()] == [2, 1, 2, 1]
    assert _stored(db_engine) == expected
    assert store.stamp(db_engine, "areas", "Twekkelerveld & omgeving").changed_by == legacy.IMPORTER.name
    imported = uploads.load_datasets(db_engine)[0]  # its names are taken like a saved upload's
    with pytest.raises(uploads.UploadError, match="bestaat al een eigen indicator"):
        uploads.save_dataset(db_engine, imported.model_copy(update={"id": "opnieuw"}), actor=TEAM)
    # The files are left as they were; a second start imports nothing again, even when they change.
    assert {p.relative_to(isolated_state): p.read_bytes() for p in isolated_state.rglob("*.json")} == before
    areas.delete_area(db_engine, "Twekkelerveld & omgeving", actor=TEAM)
    db.upgrade(db_engine)
    assert [a.name for a in areas.load_areas(db_engine)] == ["Gebiedsproces Broekheurne"]
    with db.reading(db_engine) as conn:
        detail = conn.execute(select(db.DONE.c.detail).where(db.DONE.c.name == legacy.JOB)).scalar_one()
    assert json.loads(detail) == {"areas": 2, "profiles": 1, "scenarios": 2, "uploads": 1}


def test_a_damaged_file_stops_the_import_whole_and_a_repaired_one_goes_in(db_engine, isolated_state):
    shutil.copytree(LEGACY_STATE, isolated_state, dirs_exist_ok=True)
    profiles_file = isolated_state / legacy.PROFILES_FILE
    good = profiles_file.read_text()
    profiles_file.write_text(good.replace('"weight": 2.0', '"weight": "veel"'))
    drop_everything(db_engine)
    with pytest.raises(DataError, match=r"priority_profiles\.json is beschadigd .*Er is niets overgenomen") as refused:
        db.upgrade(db_engine)
    assert "Nothing was taken over" in refused.value.message("en")
    # One transaction: not even the schema is half there (areas, uploads and scenarios came first).
    assert "areas" not in inspect(db_engine).get_table_names()
    profiles_file.write_text(good)
    db.upgrade(db_engine)
    assert _stored(db_engine) == _expected_from_files(isolated_state)


# --- No lost update ----------------------------------------------------------------------------------


def _bump_shared(eng, actor: roles.Actor) -> None:
    """Read, change, save with the version read; on a conflict read again (what a user does on "reload")."""
    while True:
        version = sc.scenario_version(eng, "Gedeeld")
        current = next(s for s in sc.load_scenarios(eng)[0] if s.name == "Gedeeld")
        bumped = current.model_copy(update={"description": str(int(current.description) + 1)})
        try:
            sc.save_scenario(eng, bumped, actor=actor, replace="Gedeeld", expected=version)
            return
        except ConflictError:
            continue


def _save_one(eng, actor: roles.Actor, name: str, kind: int) -> None:
    """One save of one kind: a new area, upload, scenario or profile, or a bump of the shared scenario."""
    if kind == 0:
        areas.save_area(eng, areas.parse_area(name, ["BU01530301"]), {"BU01530301"}, actor=actor)
    elif kind == 1:
        uploads.save_dataset(eng, _upload(name, "lokaal_" + name.replace("-", "_")), actor=actor)
    elif kind == 2:
        sc.save_scenario(eng, sc.make_scenario(name=name, year=2023), actor=actor)
    elif kind == 3:
        pr.save_profile(eng, pr.make_profile(name, {"x": 1.0}, {"x": "higher_worse"}), actor=actor)
    else:
        _bump_shared(eng, actor)


def _saver(url: str, prefix: str, count: int, acknowledged: Path) -> None:
    """A process of its own: each save it finishes is acknowledged (written to a file) after it returns."""
    db._ENGINES.clear()  # forked: never touch the parent's engines
    eng = db.engine(url)
    actor = roles.Actor(roles.Role.TEAM, prefix)
    with acknowledged.open("a", encoding="utf-8") as out:
        for i in range(count):
            _save_one(eng, actor, f"{prefix}-{i}", i % 5)
            out.write(f"{i % 5} {prefix}-{i}\n")
            out.flush()


def _seed_shared(eng) -> None:
    sc.save_scenario(eng, sc.make_scenario(name="Gedeeld", year=2023, description="0"), actor=TEAM)


def _check_acknowledged_equals_stored(eng, acknowledged: list[tuple[int, str]]) -> None:
    by_kind: dict[int, set[str]] = {k: set() for k in range(5)}
    for kind, name in acknowledged:
        by_kind[kind].add(name)
    stored_scenarios = {s.name for s in sc.load_scenarios(eng)[0]} - {"Gedeeld"}
    assert {a.name for a in areas.load_areas(eng)} == by_kind[0]
    assert {d.id for d in uploads.load_datasets(eng)} == by_kind[1]
    assert stored_scenarios == by_kind[2]
    assert {p.name for p in pr.load_profiles(eng)} == by_kind[3]
    shared = next(s for s in sc.load_scenarios(eng)[0] if s.name == "Gedeeld")
    assert int(shared.description) == len(by_kind[4])  # every acknowledged increment is in the sum
    assert sc.scenario_version(eng, "Gedeeld") == 1 + len(by_kind[4])


def test_many_processes_saving_at_once_lose_nothing(db_url, db_engine, tmp_path):
    _seed_shared(db_engine)
    db.dispose_all()  # no open connection crosses the fork
    processes, per_process = 4, 30
    context = multiprocessing.get_context("fork")  # the children start without importing everything again
    children = [
        context.Process(target=_saver, args=(db_url, f"p{n}", per_process, tmp_path / f"p{n}.txt"))
        for n in range(processes)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=300)
    assert [child.exitcode for child in children] == [0] * processes
    lines = [line for n in range(processes) for line in (tmp_path / f"p{n}.txt").read_text().splitlines()]
    acknowledged = [(int(kind), name) for kind, name in (line.split() for line in lines)]
    assert len(acknowledged) == processes * per_process
    _check_acknowledged_equals_stored(db.engine(db_url), acknowledged)


def test_many_threads_saving_at_once_lose_nothing(db_engine):
    _seed_shared(db_engine)
    acknowledged, errors, lock = [], [], threading.Lock()

    def work(prefix: str) -> None:
        actor = roles.Actor(roles.Role.TEAM, prefix)
        try:
            for i in range(10):
                _save_one(db_engine, actor, f"{prefix}-{i}", i % 5)
                with lock:
                    acknowledged.append((i % 5, f"{prefix}-{i}"))
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"t{n}",)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(acknowledged) == 60
    _check_acknowledged_equals_stored(db_engine, acknowledged)


def test_the_cache_token_changes_with_every_save_and_delete(db_engine):
    """Servers key their caches of uploaded figures on this token, so one sees another's upload at once."""
    seen = [uploads.version(db_engine)]
    dataset = uploads.Dataset(
        id="d",
        source="bron",
        year=2023,
        level="buurt",
        file_name="d.csv",
        uploaded="2026-12-01",
        indicators=[{"key": "lokaal_d", "name": "d", "unit": "", "kind": "count"}],
        values={"lokaal_d": {"BU01530301": 1.0}},
    )
    uploads.save_dataset(db_engine, dataset, actor=TEAM)
    seen.append(uploads.version(db_engine))
    uploads.delete_dataset(db_engine, "d", actor=TEAM)
    seen.append(uploads.version(db_engine))
    assert seen[0] != seen[1] != seen[2]  # (back to empty is the empty token again: same content)
