"""AppTests for the frame's roles: what a resident, the laptop itself and signed-in staff see, sign-in
with the slow-down after wrong passwords, sign-out, and the error boundary around every page."""

from __future__ import annotations

import logging

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import app_state
from enschede_gis import auth, settings
from tests.page_helpers import app_test

pytestmark = pytest.mark.usefixtures("fresh_caches", "page_db")

STAFF_PAGES = [path for path, _title, _icon, _slug in app_state.PAGES]


@pytest.fixture(autouse=True)
def passwords(monkeypatch):
    monkeypatch.setenv(auth.TEAM_PASSWORD_ENV, "team-wachtwoord")
    monkeypatch.setenv(auth.FACILITATOR_PASSWORD_ENV, "leider-wachtwoord")
    monkeypatch.delenv(auth.FACILITATORS_ENV, raising=False)


def _resident_sees_only_the_join_page(at: AppTest, *, here: str = "join") -> None:
    assert not at.exception, at.exception
    if here == "join":
        assert at.title[0].value == "Doe mee"
    else:  # a staff page's address: it says the page is for staff, and shows nothing of it
        assert [w.value for w in at.warning] == ["Deze pagina is alleen voor medewerkers van de gemeente."]
        assert not at.title and not at.dataframe
    assert not at.sidebar.radio and not at.sidebar.button  # no language switch, no navigation chrome
    for path in STAFF_PAGES:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(path)


def _sign_in(at: AppTest, password: str, key: str = "doe_signin") -> None:
    at.text_input(key=f"{key}_password").set_value(password)
    next(b for b in at.button if b.label == "Aanmelden").click()
    at.run()


def test_a_device_that_is_not_the_laptop_gets_only_the_join_page():
    _resident_sees_only_the_join_page(app_test(role=None).run())


def test_the_laptop_itself_is_the_area_team_unless_trust_is_off(monkeypatch):
    monkeypatch.setattr(app_state, "client_address", lambda: "127.0.0.1")
    at = app_test(role=None).run()
    assert not at.exception
    assert at.title[0].value == "Wijkbeeld Enschede"  # the start page
    assert any("U werkt als gebiedsteam." in c.value for c in at.sidebar.caption)
    at.switch_page("views/projecten.py").run()
    assert not at.exception
    with pytest.raises(ValueError):  # moderation lives on the input page: reachable, but see test_page_inbreng
        at.switch_page("views/bestaat_niet.py")
    monkeypatch.setattr(settings, "TRUST_LOCAL", False)  # behind a reverse proxy
    _resident_sees_only_the_join_page(app_test(role=None).run())


def test_sign_in_from_a_phone_then_sign_out():
    at = app_test(role=None).run()
    _sign_in(at, "team-wachtwoord")
    assert not at.exception
    assert at.session_state["_signed_in_role"] == "team"
    assert any("U werkt als gebiedsteam." in c.value for c in at.sidebar.caption)
    at.switch_page("views/gegevens.py").run()
    assert not at.exception
    next(b for b in at.sidebar.button if b.label == "Afmelden").click()
    at.run()
    assert "_signed_in_role" not in at.session_state
    _resident_sees_only_the_join_page(at, here="gegevens")  # still at /gegevens, now as a resident


def test_the_sidebar_sign_in_form_is_drawn_when_its_expander_opens(monkeypatch):
    monkeypatch.setattr(app_state, "client_address", lambda: "127.0.0.1")  # the laptop: the area team
    at = app_test(role=None).run()
    (box,) = [e for e in at.sidebar.expander if e.label == "Aanmelden als medewerker"]
    assert not box.text_input  # closed: no form on every page's first screen
    at.session_state["_sidebar_signin_open"] = True  # a click on the expander
    at.run()
    at.text_input(key="sidebar_signin_name").set_value("Anna de Vries")
    _sign_in(at, "leider-wachtwoord", key="sidebar_signin")
    assert at.session_state["_signed_in_role"] == "facilitator"
    assert any("gespreksleider (Anna de Vries)" in c.value for c in at.sidebar.caption)


def test_the_facilitator_password_gives_the_facilitator_role_with_a_name():
    at = app_test(role=None).run()
    at.text_input(key="doe_signin_name").set_value("Anna de Vries")
    _sign_in(at, "leider-wachtwoord")
    assert at.session_state["_signed_in_role"] == "facilitator"
    assert any("gespreksleider (Anna de Vries)" in c.value for c in at.sidebar.caption)


def test_wrong_passwords_are_slowed_down():
    at = app_test(role=None).run()
    for _ in range(auth.FREE_TRIES - 1):
        _sign_in(at, "raden")
        assert at.error[0].value == "Dit wachtwoord klopt niet."
    _sign_in(at, "raden")
    assert (
        at.error[0].value
        == f"Te vaak een verkeerd wachtwoord. Probeer het over {int(auth.BASE_DELAY_S)} seconden opnieuw."
    )
    _sign_in(at, "team-wachtwoord")  # refused unchecked while waiting, also in a new session
    assert "Te vaak" in at.error[0].value and "_signed_in_role" not in at.session_state
    other = app_test(role=None).run()
    _sign_in(other, "team-wachtwoord")
    assert "Te vaak" in other.error[0].value


def test_no_sign_in_configured_means_no_staff_form_for_residents(monkeypatch):
    monkeypatch.delenv(auth.TEAM_PASSWORD_ENV)
    monkeypatch.delenv(auth.FACILITATOR_PASSWORD_ENV)
    at = app_test(role=None).run()
    assert not at.exception
    assert not [e for e in at.expander if e.label == "Aanmelden als medewerker"]


def _boom() -> None:
    raise RuntimeError("geheime details uit de code")


def _stops() -> None:
    st.write("voor de stop")
    st.stop()
    st.write("na de stop")


def _reruns_once() -> None:
    st.session_state["runs"] = st.session_state.get("runs", 0) + 1
    if st.session_state["runs"] == 1:
        st.rerun()
    st.write(f"runs: {st.session_state['runs']}")


def test_an_unexpected_error_shows_a_reference_and_logs_the_traceback(monkeypatch, caplog):
    monkeypatch.setattr(app_state, "pages", lambda: [st.Page(_boom, title="Boem", url_path="boem", default=True)])
    with caplog.at_level(logging.ERROR, logger="wijkbeeld"):
        at = app_test().run()
    assert not at.exception  # no traceback on screen
    message = at.error[0].value
    assert message.startswith("Er ging iets mis op deze pagina.") and "geheime details" not in message
    reference = message.rstrip(".").rsplit(" ", 1)[-1]
    record = next(r for r in caplog.records if reference in r.getMessage())
    assert "geheime details uit de code" in caplog.text and record.exc_info is not None


@pytest.mark.parametrize(("page", "shown"), [(_stops, ["voor de stop"]), (_reruns_once, ["runs: 2"])])
def test_stop_and_rerun_pass_through_the_boundary(monkeypatch, page, shown):
    monkeypatch.setattr(app_state, "pages", lambda: [st.Page(page, title="P", url_path="p", default=True)])
    at = app_test().run()
    assert not at.exception and not at.error
    assert [m.value for m in at.markdown] == shown


def _cookie_script(at: AppTest) -> str | None:
    """The value the page's script stores in the sign-in cookie ("" = removed; None = no script)."""
    import re

    for element in at.get("html"):
        found = re.search(rf"{auth.SIGNIN_COOKIE}=([A-Za-z0-9_.-]*);path=/;max-age=(\d+)", element.proto.body)
        if found:
            return found.group(1) if found.group(2) != "0" else ""
    return None


def test_a_password_sign_in_survives_a_reload_until_sign_out(monkeypatch):
    browser: dict[str, str] = {}  # the cookies this phone's browser keeps
    monkeypatch.setattr(app_state, "cookie", browser.get)
    at = app_test(role=None).run()
    at.text_input(key="doe_signin_name").set_value("Anna de Vries")
    _sign_in(at, "leider-wachtwoord")
    token = _cookie_script(at)
    assert token and at.session_state["_signed_in_role"] == "facilitator"
    browser[auth.SIGNIN_COOKIE] = token

    reloaded = app_test(role=None).run()  # a new session, as after a reload: no password typed
    assert not reloaded.exception
    assert any("gespreksleider (Anna de Vries)" in c.value for c in reloaded.sidebar.caption)
    next(b for b in reloaded.sidebar.button if b.label == "Afmelden").click()
    reloaded.run()
    assert _cookie_script(reloaded) == ""  # the browser forgets it
    assert "_signed_in_role" not in reloaded.session_state  # not adopted again from this session's cookie
    del browser[auth.SIGNIN_COOKIE]
    _resident_sees_only_the_join_page(app_test(role=None).run())


def test_a_kept_sign_in_ends_with_a_new_password_or_a_forged_token(monkeypatch):
    browser: dict[str, str] = {}
    monkeypatch.setattr(app_state, "cookie", browser.get)
    at = app_test(role=None).run()
    _sign_in(at, "team-wachtwoord")
    token = _cookie_script(at)
    signature = token.split(".")[1]
    forged = auth._b64(b'{"role": "facilitator", "name": "", "until": 99999999999}')
    browser[auth.SIGNIN_COOKIE] = f"{forged}.{signature}"
    forged_session = app_test(role=None).run()
    _resident_sees_only_the_join_page(forged_session)
    assert _cookie_script(forged_session) == ""
    browser[auth.SIGNIN_COOKIE] = token
    monkeypatch.setenv(auth.TEAM_PASSWORD_ENV, "nieuw-wachtwoord")
    _resident_sees_only_the_join_page(app_test(role=None).run())
