"""The silent state bugs of issue 12, each reproduced as a user meets it (each failed before its fix)."""

from __future__ import annotations

import pytest

from tests.page_helpers import run_page


@pytest.fixture
def prio(fresh_caches):
    return run_page("prioriteiten.py")


def test_an_indicator_added_back_after_clear_all_counts_again(prio):
    first = prio.multiselect(key="prio_indicators").value[0]
    prio.select_slider(key=f"prio_w_{first}").set_value(0.0).run()  # once switched off ...
    prio.multiselect(key="prio_indicators").set_value([]).run()  # ... then "clear all" ...
    prio.multiselect(key="prio_indicators").set_value([first]).run()  # ... and added back
    assert not prio.exception
    assert prio.select_slider(key=f"prio_w_{first}").value == 1.0
    profile = prio.session_state["prio_current_profile"]
    assert [w.indicator for w in profile.active] == [first]


def _rank_line(at) -> str:
    return next(c.value for c in at.caption if c.value.startswith(("Rang ", "Rank ")))


def test_the_breakdown_picker_shows_the_current_rank_after_weights_change(prio):
    prio.session_state["prio_tab"] = "Opbouw van een score"  # the breakdown tab open
    prio.run()
    code = prio.selectbox(key="prio_breakdown").value
    for slider in prio.select_slider:
        if slider.key and slider.key.startswith("prio_w_") and slider.key != "prio_w_bijstand_per_1000":
            slider.set_value(0.0)
    prio.run()
    assert not prio.exception
    box = prio.selectbox(key="prio_breakdown")
    assert box.value == code
    # the option labels carry no rank that can go stale in the browser; the rank is said beside them
    assert not any(label.split(".")[0].isdigit() for label in box.options)
    said = _rank_line(prio)
    prio.session_state["prio_tab"] = "Rangorde en kaart"
    prio.run()
    ranking = prio.dataframe[0].value
    assert said == f"Rang {int(ranking.loc[code, 'Rang'])} van {len(ranking)}"


@pytest.fixture
def scen(fresh_caches, isolated_state):
    return run_page("scenarios.py")


def _submit(at) -> None:
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:scen_add")).click().run()
    assert not at.exception, at.exception


def test_the_measure_form_starts_empty_for_the_next_measure_and_a_new_scenario(scen):
    scen.radio(key="scen_kind").set_value("new_dwellings").run()
    scen.checkbox(key="scen_use_mix").check().run()
    scen.selectbox(key="scen_area").set_value("BU01530301")
    scen.radio(key="scen_basis").set_value("evidence")
    scen.text_input(key="scen_note").input("Raadsbesluit 12 maart")
    _submit(scen)
    added = scen.session_state["scen_measures"]
    assert len(added) == 1 and added[0].note == "Raadsbesluit 12 maart" and added[0].age_mix is not None
    # the next measure: no note, no age mix and no basis carried over from the one before
    assert scen.text_input(key="scen_note").value == ""
    assert scen.checkbox(key="scen_use_mix").value is False
    assert scen.radio(key="scen_basis").value == "assumption"
    scen.radio(key="scen_kind").set_value("demolition").run()
    _submit(scen)
    assert scen.session_state["scen_measures"][1].note == ""
    assert scen.session_state["scen_measures"][1].age_mix is None
    # a new scenario: the form is empty as well
    scen.button(key="scen_save").click().run()
    assert scen.selectbox(key="scen_pick").value != "__new__"
    scen.text_input(key="scen_note").input("iets anders").run()
    scen.selectbox(key="scen_pick").set_value("__new__").run()
    assert not scen.exception
    assert scen.text_input(key="scen_note").value == ""
