"""The one-time import of what the first version of the app saved as JSON files in the state folder.

That version kept custom areas (``custom_areas.json``), own-data uploads (``uploads.json``),
scenarios (``scenarios/*.json``) and priority profiles (``priority_profiles.json``) in files. On the
first start of this version, :func:`import_once` copies every one of them into the database, inside
the schema upgrade's locked transaction (see :func:`enschede_gis.db.upgrade`): all of it or nothing,
and a row in the ``done`` table says it happened, so a second start imports nothing again.

The files are left where they are, unchanged (a copy to go back to); this version never reads them
again. A file that cannot be read stops the import with a message naming it, and nothing is
imported: fix or move the file and start again. Nothing is guessed or dropped.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, ValidationError
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from enschede_gis import db, roles, settings, store
from enschede_gis._validate import describe
from enschede_gis.errors import DataError, InputError

#: The name of the job in the ``done`` table.
JOB = "import-json-state-v1"
#: Where the first version kept each kind, in the state folder (scenarios: one file each in a folder).
AREAS_FILE = "custom_areas.json"
UPLOADS_FILE = "uploads.json"
SCENARIOS_FOLDER = "scenarios"
PROFILES_FILE = "priority_profiles.json"
#: Who the imported rows say saved them.
IMPORTER = roles.Actor(roles.Role.TEAM, "import (eerste versie)")


def import_once(conn: Connection, folder: Path | None = None) -> dict[str, int] | None:
    """Import the JSON files in ``folder`` (default: the state folder) unless done before on this
    database; returns how many of each kind were imported, or None when it was done before."""
    if conn.execute(select(db.DONE.c.name).where(db.DONE.c.name == JOB)).first() is not None:
        return None
    folder = Path(folder or settings.STATE_DIR)
    counts = dict.fromkeys(("areas", "uploads", "scenarios", "profiles"), 0)
    found = [folder / AREAS_FILE, folder / UPLOADS_FILE, folder / PROFILES_FILE]
    if any(path.exists() for path in found) or any((folder / SCENARIOS_FOLDER).glob("*.json")):
        counts = _import(conn, folder)
    conn.execute(insert(db.DONE).values(name=JOB, done_at=db.now(), detail=json.dumps(counts, sort_keys=True)))
    return counts


def _import(conn: Connection, folder: Path) -> dict[str, int]:
    counts = {}
    for name, read, save in _steps():
        items = read(folder)
        for item in items:
            save(conn, item)
        counts[name] = len(items)
    return counts


def _steps() -> list[tuple[str, Callable[[Path], list], Callable[[Connection, BaseModel], None]]]:
    from enschede_gis import areas, priorities, scenarios, uploads

    def put(kind: store.Kind, key: Callable, label: Callable = lambda m: None, columns=lambda m: {}):
        def save(conn: Connection, model: BaseModel) -> None:
            payload = scenarios.to_json(model) if kind is scenarios.KIND else model.model_dump_json()
            store.put(
                conn,
                kind,
                key(model),
                payload,
                actor=IMPORTER,
                expected=None,
                label=label(model),
                columns=columns(model),
            )

        return save

    return [
        (
            "areas",
            lambda folder: _entries(folder / AREAS_FILE, "areas", areas.CustomArea),
            put(areas.KIND, lambda a: a.name, columns=lambda a: {"gemeente": a.gemeente}),
        ),
        (
            "uploads",
            lambda folder: _entries(folder / UPLOADS_FILE, "datasets", uploads.Dataset),
            lambda conn, dataset: uploads.write_dataset(conn, dataset, actor=IMPORTER),  # with its keys
        ),
        (
            "scenarios",
            _scenario_files,
            put(
                scenarios.KIND,
                lambda s: scenarios.stored_key(s.name),
                label=lambda s: s.name,
                columns=lambda s: {"name": s.name},
            ),
        ),
        (
            "profiles",
            lambda folder: _entries(folder / PROFILES_FILE, "profiles", priorities.PriorityProfile),
            put(priorities.KIND, lambda p: p.name),
        ),
    ]


def _entries(path: Path, field: str, model: type[BaseModel]) -> list[BaseModel]:
    """The validated entries of one of the first version's list files (none when it does not exist)."""
    raw = store.read_json(path, default={field: []})
    if not isinstance(raw, dict) or not isinstance(raw.get(field), list):
        raise _refused(path, f"het veld '{field}' ontbreekt", f"the field '{field}' is missing")
    found = []
    for number, entry in enumerate(raw[field], start=1):
        try:
            found.append(model.model_validate(entry))
        except ValidationError as exc:
            raise _refused(
                path, f"nr. {number}: {describe(exc)}", f"no. {number}: {describe(exc, lang='en')}"
            ) from None
    return found


def _scenario_files(folder: Path) -> list[BaseModel]:
    from enschede_gis import scenarios

    found = []
    for path in sorted((folder / SCENARIOS_FOLDER).glob("*.json")):
        try:
            found.append(scenarios.from_json(path.read_bytes(), source=path.name))
        except InputError as exc:
            raise _refused(path, str(exc), exc.message("en")) from None
    return found


def _refused(path: Path, detail: str, detail_en: str) -> DataError:
    return DataError(
        f"De opgeslagen gegevens van de vorige versie konden niet worden overgenomen: {path} is beschadigd "
        f"({detail}). Er is niets overgenomen; herstel of verplaats het bestand en start opnieuw.",
        en=f"The data saved by the previous version could not be taken over: {path} is damaged ({detail_en}). "
        "Nothing was taken over; repair or move the file and start again.",
    )
