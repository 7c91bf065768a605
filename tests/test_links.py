"""Links that cannot be followed say so, name what was asked and what is shown instead; no traceback."""

from __future__ import annotations

import pytest

from tests.page_helpers import app_test, rendered, run_page

pytestmark = pytest.mark.usefixtures("page_db")


def _notices(at) -> str:
    return " ".join(rendered(m.value) for m in [*at.info, *at.warning])


def test_an_unknown_area_in_a_profile_link_is_said(snap):
    at = run_page("profiel.py", gebied="BU99999999")
    notice = _notices(at)
    assert "De link vraagt om 'BU99999999'" in notice and "Je ziet nu: Gemeente: Enschede" in notice
    assert at.selectbox(key="profiel_area").value == "GM0153"


def test_a_year_the_profile_does_not_have_is_said():
    at = run_page("profiel.py", gebied="BU01530301", jaar="1999", lang="en")
    notice = _notices(at)
    assert "The link asks for '1999'" in notice and "Now showing: " in notice
    assert not at.exception


def test_a_map_link_to_a_year_the_figure_lacks_is_said():
    at = run_page("kaart.py", indicator="leeftijd_0_15", jaar="2023")
    assert "De link vraagt om '2023'" in _notices(at)
    assert at.selectbox(key="kaart_year").value != 2023


def test_a_map_link_to_an_unknown_area_is_said():
    at = run_page("kaart.py", gebied="BU99999999")
    assert "De link vraagt om 'BU99999999'" in _notices(at)


def test_a_gemeente_the_snapshot_does_not_hold_is_said_not_a_traceback():
    at = app_test()
    at.query_params["gemeente"] = "GM0363"
    at.run()
    at.switch_page("views/kaart.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "De link vraagt om 'GM0363'" in _notices(at) and "Je ziet nu: Enschede" in _notices(at)


def test_compare_link_with_an_unknown_area_is_said():
    at = run_page("vergelijken.py", gebieden="GM0153,BU99999999")
    assert "De link vraagt om 'BU99999999'" in _notices(at)
