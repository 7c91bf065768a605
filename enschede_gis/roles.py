"""Who may do what: three roles, the actions each allows, and the checks the package makes itself.

- **resident**: gives input for the meeting they joined and sees that meeting's public figures;
- **team**: everything else (custom areas, uploads, scenarios, priority profiles, projects, meetings,
  the data refresh, every page);
- **facilitator**: team plus moderation of residents' input.

Every function in the package that changes shared state takes an :class:`Actor` and calls
:func:`require` before it writes, so a page that forgets to hide a button still cannot let a
resident delete a project. The actor's ``name`` is what the audit columns record ("who did what").

Which role a *request* gets is decided by :func:`role_for_request`: a pure function of where the
request comes from and who signed in, so it is tested without Streamlit.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from enum import StrEnum

from enschede_gis.errors import WijkbeeldError


class Role(StrEnum):
    RESIDENT = "resident"
    TEAM = "team"
    FACILITATOR = "facilitator"


class Action(StrEnum):
    """Everything the package guards. Reading the public figures needs no action."""

    GIVE_INPUT = "input.give"
    VIEW_MEETING_PUBLIC = "meeting.view_public"
    VIEW_ALL = "pages.view_all"  # every page, every area's input list
    EDIT_AREAS = "areas.edit"
    EDIT_UPLOADS = "uploads.edit"
    EDIT_SCENARIOS = "scenarios.edit"
    EDIT_PROFILES = "profiles.edit"
    EDIT_PROJECTS = "projects.edit"
    EDIT_MEETINGS = "meetings.edit"
    RUN_REFRESH = "refresh.run"
    MODERATE = "input.moderate"
    EXPORT_INPUT = "input.export"


_RESIDENT = frozenset({Action.GIVE_INPUT, Action.VIEW_MEETING_PUBLIC})
_TEAM = frozenset(Action) - {Action.MODERATE, Action.EXPORT_INPUT}
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.RESIDENT: _RESIDENT,
    Role.TEAM: _TEAM,
    Role.FACILITATOR: frozenset(Action),
}

_ROLE_NAMES = {
    Role.RESIDENT: ("bewoner", "resident"),
    Role.TEAM: ("gebiedsteam", "area team"),
    Role.FACILITATOR: ("gespreksleider", "facilitator"),
}


class PermissionDenied(WijkbeeldError, PermissionError):
    """The actor's role does not allow this action."""


@dataclass(frozen=True)
class Actor:
    """Who is acting: a role and a name for the audit trail (a staff member's name, or the role)."""

    role: Role
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", Role(self.role))
        if not self.name:
            object.__setattr__(self, "name", role_name(self.role, "nl"))

    def can(self, action: Action) -> bool:
        return can(self.role, action)


def role_name(role: Role, lang: str = "nl") -> str:
    """The role as a user reads it ("gebiedsteam")."""
    dutch, english = _ROLE_NAMES[Role(role)]
    return english if lang == "en" else dutch


def can(role: Role, action: Action) -> bool:
    return Action(action) in PERMISSIONS[Role(role)]


def require(actor: Actor | None, action: Action) -> Actor:
    """Raise :class:`PermissionDenied` unless ``actor`` may do ``action``; returns the actor.

    ``None`` (no actor given) is refused too: a write without someone responsible is a bug.
    """
    if actor is None or not can(actor.role, action):
        who = role_name(actor.role) if actor else "onbekend"
        who_en = role_name(actor.role, "en") if actor else "unknown"
        raise PermissionDenied(
            f"Dit mag een {who} niet doen. Meld u aan als medewerker van de gemeente.",
            en=f"A {who_en} may not do this. Sign in as a member of staff.",
        )
    return actor


# --- Which role a request gets ----------------------------------------------------------------------


def is_local_address(address: str | None) -> bool:
    """True for a loopback address (the laptop itself): 127.0.0.0/8, ::1 or ::ffff:127.0.0.1."""
    if not address:
        return False
    try:
        parsed = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    # A server listening on "::" (Streamlit's default) sees an IPv4 browser as ::ffff:127.0.0.1,
    # which Python 3.11 does not call loopback.
    mapped = getattr(parsed, "ipv4_mapped", None)
    return (mapped or parsed).is_loopback


def role_for_request(
    *,
    remote_address: str | None,
    trust_local: bool,
    signed_in_role: Role | None,
) -> Role:
    """The role of one browser session.

    Staff who signed in keep the role they signed in with. Without sign-in, a request from the
    laptop itself is the area team (``./dev run`` needs no set-up) when ``trust_local`` is on; any
    other request is a resident. Behind a reverse proxy every request looks local, so a server turns
    ``trust_local`` off (``WIJKBEELD_TRUST_LOCAL=0``).
    """
    if signed_in_role is not None:
        return Role(signed_in_role)
    if trust_local and is_local_address(remote_address):
        return Role.TEAM
    return Role.RESIDENT
