"""Roles: what each may do, and which role a request gets."""

import pytest

from enschede_gis.roles import Action, Actor, PermissionDenied, Role, can, require, role_for_request


def test_resident_may_only_give_input_and_see_the_public_meeting():
    allowed = {a for a in Action if can(Role.RESIDENT, a)}
    assert allowed == {Action.GIVE_INPUT, Action.VIEW_MEETING_PUBLIC}


def test_team_may_edit_but_not_moderate_and_facilitator_may_do_all():
    assert can(Role.TEAM, Action.EDIT_PROJECTS) and can(Role.TEAM, Action.RUN_REFRESH)
    assert not can(Role.TEAM, Action.MODERATE)
    assert all(can(Role.FACILITATOR, a) for a in Action)


def test_require_refuses_a_resident_in_both_languages():
    with pytest.raises(PermissionDenied) as caught:
        require(Actor(Role.RESIDENT), Action.EDIT_PROJECTS)
    assert "bewoner" in str(caught.value)
    assert "resident" in caught.value.message("en")


def test_require_refuses_no_actor_and_returns_an_allowed_one():
    with pytest.raises(PermissionDenied):
        require(None, Action.EDIT_AREAS)
    team = Actor(Role.TEAM, "Anna")
    assert require(team, Action.EDIT_AREAS) is team
    assert Actor("facilitator").name == "gespreksleider"


@pytest.mark.parametrize(
    ("address", "trust", "signed", "expected"),
    [
        ("127.0.0.1", True, None, Role.TEAM),
        ("::1", True, None, Role.TEAM),
        ("::ffff:127.0.0.1", True, None, Role.TEAM),  # an IPv4 browser on a server listening on "::"
        ("::ffff:192.168.1.20", True, None, Role.RESIDENT),
        ("127.0.0.1", False, None, Role.RESIDENT),  # behind a proxy: trust switched off
        ("192.168.1.20", True, None, Role.RESIDENT),  # a phone on the wifi
        (None, True, None, Role.RESIDENT),
        ("not an address", True, None, Role.RESIDENT),
        ("192.168.1.20", True, Role.FACILITATOR, Role.FACILITATOR),  # staff signed in from elsewhere
    ],
)
def test_role_for_request(address, trust, signed, expected):
    assert role_for_request(remote_address=address, trust_local=trust, signed_in_role=signed) is expected
