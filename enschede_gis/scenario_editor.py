"""The scenario being edited on the scenarios page: which one is loaded, its measures, and what
saving, duplicating, deleting or loading a file does to it.

The editor's state is a mutable mapping (on the page: Streamlit's session state, in tests: a dict),
so these decisions are tested without Streamlit. Widget values live under the widgets' own keys
(``scen_name``, ``scen_year``, ...). A change asked for after the editor's widgets were drawn (a
save, a file) is parked under ``PENDING``/``PICK_NEXT`` and applied by :func:`start` at the top of
the next run, because a widget's value cannot be changed once it is drawn in a run.

Who may save or delete is decided by :mod:`enschede_gis.scenarios` (through the store), never here.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, Sequence
from typing import Any

from sqlalchemy import Engine

from enschede_gis import roles
from enschede_gis import scenarios as sc

State = MutableMapping[str, Any]

NEW = "__new__"  # the "new scenario" choice in the scenario picker
MEASURES = "scen_measures"  # the measures of the scenario being edited (typed measures)
PICK = "scen_pick"  # the picker's widget key
LOADED = "scen_loaded"  # name of the stored scenario being edited (None: a new one)
LOADED_VERSION = "scen_loaded_version"  # its version when loaded: a save is refused when someone saved since
SAVED = "_scen_saved"  # the stored scenarios of this run, for the picker's callback
PENDING = "_scen_pending"  # (scenario or None, loaded name or None) to load at the top of the next run
PICK_NEXT = "_scen_pick_next"  # what the picker shows from the next run on
FLASH = "_scen_flash"  # (text key, values) of a success message for the next run
RESET_FORM = "_scen_reset_form"  # a measure was added: the next run starts with an empty form
UPLOAD_ID = "_scen_upload_id"  # the file last read, so a rerun does not load it again
#: A note, basis or age mix belongs to one measure, never to the next (nor to another scenario).
FORM_KEYS = ("scen_note", "scen_basis", "scen_use_mix", *(f"scen_mix_{g}" for g in sc.AGE_GROUPS))

VersionOf = Callable[[str], "int | None"]


def reset_form(state: State) -> None:
    """Empty the measure form (called before the form's widgets are drawn)."""
    for key in FORM_KEYS:
        state.pop(key, None)


def load(
    state: State, scenario: sc.Scenario | None, loaded: str | None, *, default_name: str, version: int | None
) -> None:
    """Put ``scenario`` (None: a new, empty one) into the editor; ``loaded`` is its stored name."""
    reset_form(state)
    state[MEASURES] = list(scenario.measures) if scenario else []
    state["scen_name"] = scenario.name if scenario else default_name
    state["scen_desc"] = scenario.description if scenario else ""
    if scenario is not None:
        state["scen_year"] = scenario.year
    state[LOADED] = loaded
    state[LOADED_VERSION] = version if loaded else None


def start(state: State, saved: Sequence[sc.Scenario], *, default_name: str, version_of: VersionOf) -> None:
    """At the top of each run, before any editor widget is drawn: a first visit starts a new scenario,
    a parked load is applied, and the picker is set to what the last action chose."""
    state[SAVED] = list(saved)
    if MEASURES not in state:
        load(state, None, None, default_name=default_name, version=None)
    if PENDING in state:
        scenario, loaded = state.pop(PENDING)
        load(state, scenario, loaded, default_name=default_name, version=version_of(loaded) if loaded else None)
    if PICK_NEXT in state:
        state[PICK] = state.pop(PICK_NEXT)
    if state.pop(RESET_FORM, False):
        reset_form(state)


def picked(state: State, *, default_name: str, version_of: VersionOf) -> None:
    """The picker changed (its callback, before the run): load the stored scenario picked, or a new one."""
    name = state.get(PICK)
    found = next((s for s in state.get(SAVED, []) if s.name == name), None)
    loaded = found.name if found else None
    load(state, found, loaded, default_name=default_name, version=version_of(loaded) if loaded else None)


def add_measure(state: State, measure: sc.NewDwellings | sc.Demolition | sc.DirectAssumption) -> None:
    state[MEASURES] = [*state[MEASURES], measure]
    state[RESET_FORM] = True


def remove_measure(state: State, number: int) -> None:
    """Remove measure ``number`` (counted from 1, as shown)."""
    state[MEASURES] = [m for i, m in enumerate(state[MEASURES], start=1) if i != number]


def draft(state: State, *, default_name: str) -> sc.Scenario:
    """The scenario as the editor holds it now (validated; raises :class:`InputError`)."""
    return sc.make_scenario(
        name=state.get("scen_name") or default_name,
        description=state.get("scen_desc", ""),
        year=state["scen_year"],
        measures=state[MEASURES],
    )


def choose_year(state: State, years: Sequence[int]) -> int | None:
    """Keep the editor's baseline year among ``years`` (newest first); when it was not, set the
    default (2023 where there is one, else the newest) and return the year that was asked for, so
    the page can say what replaced it (None: nothing was replaced, or nothing had been asked)."""
    asked = state.get("scen_year")
    if asked in years:
        return None
    state["scen_year"] = 2023 if 2023 in years else years[0]
    return asked


def save(state: State, eng: Engine, scenario: sc.Scenario, *, actor: roles.Actor) -> None:
    """Save the scenario being edited (refused when someone saved it since it was loaded)."""
    loaded = state.get(LOADED)
    version = sc.save_scenario(eng, scenario, actor=actor, replace=loaded, expected=state.get(LOADED_VERSION))
    state[LOADED] = scenario.name
    state[LOADED_VERSION] = version
    state[FLASH] = ("scenarios.saved", {"name": scenario.name})
    state[PICK_NEXT] = scenario.name


def duplicate(state: State, eng: Engine, scenario: sc.Scenario, *, actor: roles.Actor) -> None:
    """Save a copy under a free name ("X (kopie)") and edit the copy from the next run on."""
    copy = scenario.model_copy(update={"name": sc.copy_name(scenario.name, [s.name for s in state.get(SAVED, [])])})
    sc.save_scenario(eng, copy, actor=actor)
    state[PENDING] = (copy, copy.name)
    state[PICK_NEXT] = copy.name


def delete(state: State, eng: Engine, *, actor: roles.Actor) -> None:
    """Delete the stored scenario being edited (only the version loaded); a new one follows."""
    sc.delete_scenario(eng, state[LOADED], actor=actor, expected=state.get(LOADED_VERSION))
    state[PENDING] = (None, None)
    state[PICK_NEXT] = NEW


def is_new_file(state: State, file_id: str) -> bool:
    """True the first time a run sees this upload (a file stays in its widget over reruns)."""
    if state.get(UPLOAD_ID) == file_id:
        return False
    state[UPLOAD_ID] = file_id
    return True


def load_file(state: State, data: bytes, file_name: str) -> sc.Scenario:
    """Read a scenario file into the editor from the next run on, as a new (unsaved) scenario.
    A broken file raises :class:`InputError` and changes nothing."""
    scenario = sc.from_json(data, source=file_name)
    state[PENDING] = (scenario, None)
    state[FLASH] = ("scenarios.uploaded", {"name": scenario.name, "file": file_name})
    state[PICK_NEXT] = NEW
    return scenario
