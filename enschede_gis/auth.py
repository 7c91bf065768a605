"""Staff sign-in: which method is configured, checking a password, and slowing down guessing.

Three ways a session gets a staff role (the page adapter does the Streamlit part):

- **OIDC** (the gemeente's identity provider through Streamlit's ``st.login``) when an ``[auth]``
  section is in the secrets. Everyone the provider lets in is area team; the addresses listed in
  ``facilitators`` (secrets) or ``WIJKBEELD_FACILITATORS`` (comma-separated) are facilitators.
- **A password** from the secrets (``team_password``, ``facilitator_password``) or the environment
  (``WIJKBEELD_TEAM_PASSWORD``, ``WIJKBEELD_FACILITATOR_PASSWORD``) when there is no OIDC.
- **Nothing configured**: no one can sign in; only the laptop itself (see :mod:`roles`) has staff
  rights, every other device gets the residents' join page.

Wrong passwords are slowed down per client address by :class:`Throttle`, kept in the server's
memory (one per process), with a clock that tests can replace.

A password sign-in survives a reload of the page: the browser keeps a signed, expiring token
(:func:`issue_token`, a cookie the page sets) and a new session adopts it after :func:`read_token`
has checked it. Tokens are signed with a key bound to a server secret (``session_secret`` in the
secrets or ``WIJKBEELD_SESSION_SECRET``, else a random one kept in the state folder) and to the
current passwords, so changing a password ends every sign-in made with the old one. (OIDC keeps its
own sign-in: Streamlit's login cookie.)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets as random_secrets
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from enschede_gis.roles import Role

TEAM_PASSWORD_ENV = "WIJKBEELD_TEAM_PASSWORD"
TEAM_PASSWORD_SECRET = "team_password"
FACILITATOR_PASSWORD_ENV = "WIJKBEELD_FACILITATOR_PASSWORD"
FACILITATOR_PASSWORD_SECRET = "facilitator_password"
FACILITATORS_ENV = "WIJKBEELD_FACILITATORS"
FACILITATORS_SECRET = "facilitators"
SESSION_SECRET_ENV = "WIJKBEELD_SESSION_SECRET"
SESSION_SECRET_SECRET = "session_secret"

#: The cookie that keeps a password sign-in across reloads, and how long a sign-in lasts (a meeting day).
SIGNIN_COOKIE = "wijkbeeld_signin"
SIGNIN_TTL_S = 12 * 3600
#: The server's own signing secret when none is configured (in the state folder, readable by its owner only).
LOCAL_SECRET_FILE = "signin.key"

#: Wrong passwords allowed from one address before it has to wait ...
FREE_TRIES = 3
#: ... first this many seconds, doubling with every further wrong password, up to :data:`MAX_DELAY_S`.
BASE_DELAY_S = 5.0
MAX_DELAY_S = 300.0
#: A wrong password is forgotten after this long without another one.
FORGET_AFTER_S = 3600.0

Method = Literal["oidc", "password", "none"]


def _secret(secrets: Mapping[str, object] | None, name: str, env: str) -> str | None:
    value = (secrets or {}).get(name) or os.environ.get(env)
    return str(value) if value else None


def passwords(secrets: Mapping[str, object] | None = None) -> dict[Role, str]:
    """The configured staff passwords by role (secrets first, then the environment)."""
    found = {
        Role.FACILITATOR: _secret(secrets, FACILITATOR_PASSWORD_SECRET, FACILITATOR_PASSWORD_ENV),
        Role.TEAM: _secret(secrets, TEAM_PASSWORD_SECRET, TEAM_PASSWORD_ENV),
    }
    return {role: value for role, value in found.items() if value}


def oidc_configured(secrets: Mapping[str, object] | None) -> bool:
    """True when the secrets hold an ``[auth]`` section for Streamlit's built-in OIDC login."""
    section = (secrets or {}).get("auth")
    return isinstance(section, Mapping) and bool(section.get("redirect_uri")) and bool(section.get("cookie_secret"))


def method(secrets: Mapping[str, object] | None = None) -> Method:
    """How staff sign in here: OIDC wins over passwords; ``none`` when neither is set up."""
    if oidc_configured(secrets):
        return "oidc"
    return "password" if passwords(secrets) else "none"


def check_password(given: str, secrets: Mapping[str, object] | None = None) -> Role | None:
    """The role whose password this is, or None. Compared in constant time; facilitator first
    (when both passwords are the same, the higher role wins)."""
    if not given:
        return None
    typed = given.encode("utf-8")
    for role, expected in passwords(secrets).items():
        if hmac.compare_digest(typed, expected.encode("utf-8")):
            return role
    return None


def facilitators(secrets: Mapping[str, object] | None = None) -> frozenset[str]:
    """E-mail addresses that get the facilitator role after an OIDC sign-in (lower case)."""
    listed: Iterable[object] | str = (secrets or {}).get(FACILITATORS_SECRET) or os.environ.get(FACILITATORS_ENV, "")
    if isinstance(listed, str):
        listed = listed.split(",")
    return frozenset(str(item).strip().lower() for item in listed if str(item).strip())


def role_for_user(email: str | None, facilitator_emails: frozenset[str]) -> Role:
    """The role of someone the gemeente's identity provider signed in."""
    return Role.FACILITATOR if email and email.strip().lower() in facilitator_emails else Role.TEAM


@dataclass
class _Record:
    failures: int = 0
    last: float = 0.0


class Throttle:
    """Slows down password guessing per client address.

    After :data:`FREE_TRIES` wrong passwords an address must wait :data:`BASE_DELAY_S` seconds
    before the next try, doubling with every further wrong one (capped at :data:`MAX_DELAY_S`).
    A try during the wait is refused without checking the password. A right password clears the
    address. Thread-safe: one instance serves every session of a server process.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        free_tries: int = FREE_TRIES,
        base_delay: float = BASE_DELAY_S,
        max_delay: float = MAX_DELAY_S,
        forget_after: float = FORGET_AFTER_S,
    ) -> None:
        self._clock = clock
        self._free = free_tries
        self._base = base_delay
        self._max = max_delay
        self._forget = forget_after
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    def wait(self, address: str) -> float:
        """Seconds this address must still wait before it may try a password (0 when it may now)."""
        with self._lock:
            return self._wait(address, self._clock())

    def _wait(self, address: str, now: float) -> float:
        record = self._records.get(address)
        if record is None:
            return 0.0
        if now - record.last > self._forget:
            del self._records[address]
            return 0.0
        if record.failures < self._free:
            return 0.0
        delay = min(self._max, self._base * 2 ** (record.failures - self._free))
        return max(0.0, record.last + delay - now)

    def failed(self, address: str) -> None:
        """Count a wrong password from this address."""
        with self._lock:
            record = self._records.setdefault(address, _Record())
            record.failures += 1
            record.last = self._clock()

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._records.pop(address, None)


@dataclass(frozen=True)
class Attempt:
    """The outcome of one sign-in try: the role signed in (or None), and the seconds to wait when
    the try was refused because of earlier wrong passwords."""

    role: Role | None
    wait_s: float = 0.0


def attempt(throttle: Throttle, address: str, given: str, secrets: Mapping[str, object] | None = None) -> Attempt:
    """Try a password from ``address``: refused unchecked while the address must wait."""
    waiting = throttle.wait(address)
    if waiting > 0:
        return Attempt(None, waiting)
    role = check_password(given, secrets)
    if role is None:
        throttle.failed(address)
        return Attempt(None, throttle.wait(address))
    throttle.succeeded(address)
    return Attempt(role)


# -- Sign-in that survives a reload ---------------------------------------------------------------


def local_secret(state_dir: Path) -> bytes:
    """This installation's random signing secret, made once in ``state_dir`` (mode 0600). Servers
    sharing a database but not a state folder need ``WIJKBEELD_SESSION_SECRET`` instead, or a
    sign-in made on one is not known on the other (it then asks for the password again)."""
    path = Path(state_dir) / LOCAL_SECRET_FILE
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (FileNotFoundError, ValueError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    made = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    descriptor = os.open(made, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(random_secrets.token_hex(32))
    try:
        os.link(made, path)  # the first of two servers starting at once wins; the other reads its secret
    except FileExistsError:
        pass
    finally:
        made.unlink()
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def signing_key(secrets: Mapping[str, object] | None, fallback: Callable[[], bytes]) -> bytes | None:
    """The key that signs sign-in tokens: the configured session secret (else ``fallback()``, e.g.
    :func:`local_secret`) bound to the current passwords. None when no password is configured."""
    configured = passwords(secrets)
    if not configured:
        return None
    secret = _secret(secrets, SESSION_SECRET_SECRET, SESSION_SECRET_ENV)
    base = secret.encode("utf-8") if secret else fallback()
    material = "\0".join(f"{role.value}={value}" for role, value in sorted(configured.items()))
    return hmac.new(base, material.encode("utf-8"), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue_token(role: Role, name: str, key: bytes, *, now: float, ttl_s: float = SIGNIN_TTL_S) -> str:
    """A token for this sign-in, valid until ``now + ttl_s``: ``payload.signature`` in URL-safe
    base64 (letters, digits, ``-``, ``_`` and one dot: safe in a cookie and a script string)."""
    payload = _b64(json.dumps({"role": role.value, "name": name, "until": int(now + ttl_s)}).encode("utf-8"))
    signature = _b64(hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest())
    return f"{payload}.{signature}"


def read_token(token: str | None, key: bytes | None, *, now: float) -> tuple[Role, str] | None:
    """The role and name of a token this server signed and that has not expired; None for anything
    else (no key, altered, expired, signed with an older password or secret, or not a token)."""
    if not token or key is None or token.count(".") != 1:
        return None
    payload, signature = token.split(".")
    expected = _b64(hmac.new(key, payload.encode("ascii", "replace"), hashlib.sha256).digest())
    if not hmac.compare_digest(signature.encode("ascii", "replace"), expected.encode("ascii")):
        return None
    try:
        data = json.loads(_unb64(payload))
        role, name, until = Role(data["role"]), str(data["name"]), float(data["until"])
    except (ValueError, KeyError, TypeError):
        return None
    if role is Role.RESIDENT or now >= until:
        return None
    return role, name
