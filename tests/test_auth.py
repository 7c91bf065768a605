"""Staff sign-in: which method applies, which role a password gives, and slowing down guessing."""

from __future__ import annotations

import pytest

from enschede_gis import auth
from enschede_gis.roles import Role

OIDC = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32}}


@pytest.fixture(autouse=True)
def no_passwords_in_the_environment(monkeypatch):
    for name in (auth.TEAM_PASSWORD_ENV, auth.FACILITATOR_PASSWORD_ENV, auth.FACILITATORS_ENV, auth.SESSION_SECRET_ENV):
        monkeypatch.delenv(name, raising=False)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_nothing_configured_means_no_one_signs_in():
    assert auth.method({}) == "none"
    assert auth.check_password("anything", {}) is None
    assert auth.check_password("", {}) is None


def test_passwords_from_secrets_and_environment(monkeypatch):
    monkeypatch.setenv(auth.TEAM_PASSWORD_ENV, "team-uit-env")
    secrets = {"facilitator_password": "leider"}
    assert auth.method(secrets) == "password"
    assert auth.check_password("team-uit-env", secrets) is Role.TEAM
    assert auth.check_password("leider", secrets) is Role.FACILITATOR
    assert auth.check_password("Leider", secrets) is None
    assert auth.check_password("leider ", secrets) is None
    # secrets win over the environment
    assert auth.check_password("team-uit-secrets", {"team_password": "team-uit-secrets"}) is Role.TEAM
    assert auth.check_password("team-uit-env", {"team_password": "team-uit-secrets"}) is None


def test_the_same_password_for_both_gives_the_higher_role():
    assert auth.check_password("zelfde", {"team_password": "zelfde", "facilitator_password": "zelfde"}) is (
        Role.FACILITATOR
    )


def test_oidc_wins_when_an_auth_section_is_complete():
    assert auth.method({**OIDC, "team_password": "x"}) == "oidc"
    assert auth.method({"auth": {"redirect_uri": "http://x"}}) == "none"  # no cookie secret: not usable


def test_oidc_users_are_team_unless_listed_as_facilitator(monkeypatch):
    listed = auth.facilitators({"facilitators": ["Anna@Enschede.nl "]})
    assert auth.role_for_user("anna@enschede.nl", listed) is Role.FACILITATOR
    assert auth.role_for_user("piet@enschede.nl", listed) is Role.TEAM
    assert auth.role_for_user(None, listed) is Role.TEAM
    monkeypatch.setenv(auth.FACILITATORS_ENV, "a@x.nl, b@x.nl")
    assert auth.facilitators({}) == {"a@x.nl", "b@x.nl"}


def test_wrong_passwords_are_slowed_down_per_address():
    clock = Clock()
    throttle = auth.Throttle(clock=clock, free_tries=3, base_delay=5, max_delay=60)
    secrets = {"team_password": "goed"}
    for _ in range(2):
        assert auth.attempt(throttle, "10.0.0.5", "fout", secrets) == auth.Attempt(None, 0.0)
    third = auth.attempt(throttle, "10.0.0.5", "fout", secrets)
    assert third.role is None and third.wait_s == 5
    # while waiting even the right password is refused unchecked
    assert auth.attempt(throttle, "10.0.0.5", "goed", secrets) == auth.Attempt(None, 5)
    assert auth.attempt(throttle, "10.0.0.9", "goed", secrets).role is Role.TEAM  # another address is not held up
    clock.now += 5
    fourth = auth.attempt(throttle, "10.0.0.5", "fout", secrets)
    assert fourth.wait_s == 10  # doubles
    clock.now += 10
    assert auth.attempt(throttle, "10.0.0.5", "goed", secrets).role is Role.TEAM
    assert throttle.wait("10.0.0.5") == 0  # a right password clears the address


def test_the_wait_is_capped_and_forgotten_after_an_hour():
    clock = Clock()
    throttle = auth.Throttle(clock=clock, free_tries=1, base_delay=5, max_delay=60, forget_after=3600)
    for _ in range(10):
        throttle.failed("x")
    assert throttle.wait("x") == 60
    clock.now += 3601
    assert throttle.wait("x") == 0


PASSWORDS = {"team_password": "team-wachtwoord", "facilitator_password": "leider-wachtwoord"}


def _key(secrets=PASSWORDS, fallback=b"server-secret") -> bytes | None:
    return auth.signing_key(secrets, lambda: fallback)


def test_a_sign_in_token_gives_back_its_role_and_name_until_it_expires():
    token = auth.issue_token(Role.FACILITATOR, "Anna de Vries", _key(), now=1000.0)
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
    assert auth.read_token(token, _key(), now=1000.0 + auth.SIGNIN_TTL_S - 1) == (Role.FACILITATOR, "Anna de Vries")
    assert auth.read_token(token, _key(), now=1000.0 + auth.SIGNIN_TTL_S) is None  # expired


def test_a_token_is_refused_when_altered_or_signed_with_another_secret_or_password():
    token = auth.issue_token(Role.TEAM, "Bram", _key(), now=1000.0)
    payload, signature = token.split(".")
    forged = auth._b64(b'{"role": "facilitator", "name": "Bram", "until": 99999999999}')
    for bad in (f"{forged}.{signature}", f"{payload}.{signature[:-2]}xx", payload, "", "a.b.c", "é.é"):
        assert auth.read_token(bad, _key(), now=1000.0) is None, bad
    assert auth.read_token(token, _key(fallback=b"another server"), now=1000.0) is None
    changed = {**PASSWORDS, "team_password": "nieuw-wachtwoord"}
    assert auth.read_token(token, _key(changed), now=1000.0) is None  # a new password ends old sign-ins
    configured = {**PASSWORDS, "session_secret": "gedeeld geheim"}  # the configured secret wins over the fallback
    assert _key(configured, b"one") == _key(configured, b"two") != _key(PASSWORDS, b"one")
    assert _key({}, b"one") is None  # no password, no sign-in to keep
    assert auth.read_token(token, None, now=1000.0) is None


def test_the_local_secret_is_made_once_and_readable_by_its_owner_only(tmp_path):
    first = auth.local_secret(tmp_path / "state")
    assert len(first) == 32
    assert auth.local_secret(tmp_path / "state") == first
    assert (tmp_path / "state" / auth.LOCAL_SECRET_FILE).stat().st_mode & 0o777 == 0o600
    assert auth.local_secret(tmp_path / "other") != first
