"""The scenario being edited (enschede_gis.scenario_editor), on a plain dict as its state."""

from __future__ import annotations

import pytest

from enschede_gis import db, roles
from enschede_gis import scenario_editor as ed
from enschede_gis import scenarios as sc
from enschede_gis.errors import ConflictError, InputError
from enschede_gis.roles import PermissionDenied

TEAM = roles.Actor(roles.Role.TEAM, "Testteam")
RESIDENT = roles.Actor(roles.Role.RESIDENT)
TWEKKELERVELD = "BU01530301"
DEFAULT = "Nieuw scenario"


def _measure(dwellings: int = 500) -> sc.NewDwellings:
    return sc.make_measure(
        "new_dwellings", area=TWEKKELERVELD, dwellings=dwellings, household_size=2.0, basis="assumption"
    )


def _started(state: dict, saved=()) -> dict:
    ed.start(state, list(saved), default_name=DEFAULT, version_of=lambda name: sc.scenario_version(db.engine(), name))
    return state


def _widgets(state: dict, year: int = 2023) -> dict:
    """What the page's widgets put in the state in a run (year, name, description as drawn)."""
    state.setdefault("scen_year", year)
    return state


def test_a_first_visit_starts_an_empty_new_scenario():
    state = _started({})
    assert state[ed.MEASURES] == [] and state["scen_name"] == DEFAULT and state["scen_desc"] == ""
    assert state[ed.LOADED] is None and state[ed.LOADED_VERSION] is None
    assert "scen_year" not in state  # the page's year widget chooses (see choose_year)


def test_a_measure_added_empties_the_form_for_the_next_one():
    state = _started({})
    state.update(
        {"scen_note": "Raadsbesluit", "scen_basis": "evidence", "scen_use_mix": True, "scen_mix_leeftijd_0_15": 50.0}
    )
    ed.add_measure(state, _measure())
    assert len(state[ed.MEASURES]) == 1
    assert state["scen_note"] == "Raadsbesluit"  # still drawn in this run: emptied at the next run's start
    _started(state)
    assert not {"scen_note", "scen_basis", "scen_use_mix", "scen_mix_leeftijd_0_15"} & set(state)
    assert len(state[ed.MEASURES]) == 1  # the measures stay


def test_remove_counts_measures_from_one_as_shown():
    state = _started({})
    for n in (100, 200, 300):
        ed.add_measure(state, _measure(n))
    ed.remove_measure(state, 2)
    assert [m.dwellings for m in state[ed.MEASURES]] == [100, 300]


def test_choose_year_keeps_a_known_year_and_says_which_one_it_replaced():
    assert ed.choose_year({"scen_year": 2021}, [2024, 2023, 2021]) is None
    state: dict = {}
    assert ed.choose_year(state, [2024, 2023, 2021]) is None and state["scen_year"] == 2023  # nothing asked
    state = {"scen_year": 2022}
    assert ed.choose_year(state, [2024, 2023]) == 2022 and state["scen_year"] == 2023
    state = {"scen_year": 2022}
    assert ed.choose_year(state, [2024, 2021]) == 2022 and state["scen_year"] == 2024  # no 2023: the newest


def test_save_then_rename_keeps_one_scenario_and_a_stale_save_is_refused(isolated_state):
    eng = db.engine()
    state = _widgets(_started({}))
    state["scen_name"] = "Plan Noord"
    ed.add_measure(state, _measure())
    ed.save(state, eng, ed.draft(state, default_name=DEFAULT), actor=TEAM)
    assert state[ed.LOADED] == "Plan Noord" and state[ed.LOADED_VERSION] == 1
    assert state[ed.FLASH] == ("scenarios.saved", {"name": "Plan Noord"})
    _started(state, sc.load_scenarios(eng)[0])
    assert state[ed.PICK] == "Plan Noord" and ed.PICK_NEXT not in state

    # someone else saves the same scenario meanwhile: this editor's save is refused, nothing changes
    other = {ed.LOADED: "Plan Noord", ed.LOADED_VERSION: 1}
    ed.save(other, eng, sc.make_scenario(name="Plan Noord", year=2023, description="ander"), actor=TEAM)
    state["scen_name"] = "Plan Noord-West"
    with pytest.raises(ConflictError):
        ed.save(state, eng, ed.draft(state, default_name=DEFAULT), actor=TEAM)
    assert [s.name for s in sc.load_scenarios(eng)[0]] == ["Plan Noord"]
    assert state[ed.LOADED_VERSION] == 1


def test_duplicate_and_delete_park_the_next_scenario_for_the_next_run(isolated_state):
    eng = db.engine()
    state = _widgets(_started({}))
    state["scen_name"] = "Plan"
    ed.add_measure(state, _measure())
    ed.save(state, eng, ed.draft(state, default_name=DEFAULT), actor=TEAM)
    _started(state, sc.load_scenarios(eng)[0])

    ed.duplicate(state, eng, ed.draft(state, default_name=DEFAULT), actor=TEAM)
    assert [s.name for s in sc.load_scenarios(eng)[0]] == ["Plan", "Plan (kopie)"]
    _started(state, sc.load_scenarios(eng)[0])
    assert state["scen_name"] == "Plan (kopie)" and state[ed.LOADED] == "Plan (kopie)"
    assert state[ed.LOADED_VERSION] == 1 and state[ed.PICK] == "Plan (kopie)"
    assert len(state[ed.MEASURES]) == 1

    ed.delete(state, eng, actor=TEAM)
    _started(state, sc.load_scenarios(eng)[0])
    assert [s.name for s in sc.load_scenarios(eng)[0]] == ["Plan"]
    assert state[ed.PICK] == ed.NEW and state[ed.MEASURES] == [] and state[ed.LOADED] is None


def test_picking_a_stored_scenario_loads_it_with_its_version(isolated_state):
    eng = db.engine()
    stored = sc.make_scenario(name="Oud", year=2021, description="d", measures=[_measure()])
    sc.save_scenario(eng, stored, actor=TEAM)
    state = _started({"scen_note": "van de vorige maatregel"}, sc.load_scenarios(eng)[0])
    state[ed.PICK] = "Oud"
    ed.picked(state, default_name=DEFAULT, version_of=lambda name: sc.scenario_version(eng, name))
    assert (state["scen_name"], state["scen_desc"], state["scen_year"]) == ("Oud", "d", 2021)
    assert state[ed.LOADED] == "Oud" and state[ed.LOADED_VERSION] == 1 and "scen_note" not in state
    state[ed.PICK] = ed.NEW
    ed.picked(state, default_name=DEFAULT, version_of=lambda name: 99)
    assert state[ed.MEASURES] == [] and state[ed.LOADED] is None and state[ed.LOADED_VERSION] is None
    assert state["scen_year"] == 2021  # a new scenario keeps the year in use


def test_a_resident_cannot_save_duplicate_or_delete(isolated_state):
    eng = db.engine()
    state = _widgets(_started({}))
    ed.add_measure(state, _measure())
    scenario = ed.draft(state, default_name=DEFAULT)
    with pytest.raises(PermissionDenied):
        ed.save(state, eng, scenario, actor=RESIDENT)
    assert state[ed.LOADED] is None and ed.FLASH not in state
    sc.save_scenario(eng, scenario, actor=TEAM)
    state[ed.LOADED] = scenario.name
    with pytest.raises(PermissionDenied):
        ed.duplicate(state, eng, scenario, actor=RESIDENT)
    with pytest.raises(PermissionDenied):
        ed.delete(state, eng, actor=RESIDENT)
    assert [s.name for s in sc.load_scenarios(eng)[0]] == [DEFAULT] and ed.PENDING not in state


def test_a_file_is_read_once_and_a_broken_one_changes_nothing():
    state = _started({})
    assert ed.is_new_file(state, "f1") and not ed.is_new_file(state, "f1") and ed.is_new_file(state, "f2")
    with pytest.raises(InputError):
        ed.load_file(state, b"{not json", "kapot.json")
    assert ed.PENDING not in state and ed.FLASH not in state
    text = sc.to_json(sc.make_scenario(name="Uit bestand", year=2024, measures=[_measure()]))
    ed.load_file(state, text.encode(), "plan.json")
    assert state[ed.FLASH] == ("scenarios.uploaded", {"name": "Uit bestand", "file": "plan.json"})
    _started(state)
    assert state["scen_name"] == "Uit bestand" and state["scen_year"] == 2024
    assert state[ed.LOADED] is None and state[ed.PICK] == ed.NEW  # a file is a new, unsaved scenario


def test_the_draft_falls_back_to_the_default_name_and_validates():
    state = _widgets(_started({}))
    state["scen_name"] = ""
    assert ed.draft(state, default_name=DEFAULT).name == DEFAULT
    state["scen_year"] = "vorig jaar"
    with pytest.raises(InputError):
        ed.draft(state, default_name=DEFAULT)
