"""Residents joining from their phones, in a real browser: a phone-sized browser opens the link the
projector puts in its QR code, gives input, and reaches nothing else (also by typing addresses); a
reload does not reset the limit per device; the projector shows the input without a reload; the
facilitator's password sign-in survives a reload of the projector's page, and sign-out ends it.

The server runs with ``WIJKBEELD_TRUST_LOCAL=0``, so this machine's own browser counts as any other
device: the phone is a resident, and the projector signs in as facilitator with a password.
"""

from __future__ import annotations

from datetime import date

import pytest

from enschede_gis import db, meetings, roles
from tests.browser.conftest import _offline_only, free_port, start_app, stop_app, wait_for_app

pytestmark = pytest.mark.browser

TWEKKELERVELD = "BU01530301"
PASSWORD = "leider-in-de-zaal"
#: Staff pages a resident types into the address bar (projects, areas, refresh, moderation, ...).
TYPED = ["projecten", "gebieden", "gegevens", "inbreng", "bijeenkomst", "eigen-gegevens"]


@pytest.fixture
def server(isolated_state, monkeypatch):
    monkeypatch.delenv(db.DATABASE_URL_ENV, raising=False)
    meeting = meetings.make_meeting(
        title="Buurtavond Twekkelerveld",
        area_code=TWEKKELERVELD,
        held_on=date(2026, 12, 1),
        started=True,
        step=2,  # the priorities step: where residents give input
        input_open=True,
        input_limit=2,
        profiles=["Groen en spelen"],
    )
    meetings.save(db.engine(), meeting, actor=roles.Actor(roles.Role.TEAM))
    db.dispose_all()
    port = free_port()
    env = {
        db.DATABASE_URL_ENV: "",
        "WIJKBEELD_TRUST_LOCAL": "0",
        "WIJKBEELD_FACILITATOR_PASSWORD": PASSWORD,
        # phones open this; "localhost" is another origin than the projector's 127.0.0.1 (own cookies)
        "WIJKBEELD_PUBLIC_URL": f"http://localhost:{port}",
    }
    url, process = start_app(isolated_state, env, port=port)
    yield url, meeting
    stop_app(process)
    db.dispose_all()


def _context(browser, **options):
    context = browser.new_context(**options)
    context.route("**/*", _offline_only)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    return context, tab


def _projector(browser, url: str):
    """The facilitator's laptop on the projector: signs in, opens the meeting, resumes presenting."""
    context, tab = _context(browser, viewport={"width": 1920, "height": 1080})
    tab.goto(url)
    wait_for_app(tab)
    tab.get_by_text("Aanmelden als medewerker").click()
    tab.get_by_label("Wachtwoord").fill(PASSWORD)
    tab.get_by_role("button", name="Aanmelden").click()
    tab.get_by_text("U werkt als gespreksleider").wait_for()
    # the sidebar's link: the start page links "Bijeenkomst" too
    tab.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Bijeenkomst").click()
    tab.get_by_role("button", name="Verder presenteren").click()
    tab.get_by_text("Inbreng tot nu toe: 0").wait_for()  # presenting, at the input step
    tab.locator("div.wb-join[data-join-url] img").wait_for()
    wait_for_app(tab)
    return context, tab


def _send(phone, text: str) -> None:
    phone.get_by_label("Wat wilt u zeggen?").fill(text)
    phone.get_by_role("button", name="Versturen").click()
    wait_for_app(phone)


def test_a_phone_joins_by_the_qr_link_gives_input_and_reaches_nothing_else(browser, server, tmp_path):
    """Screenshots (projector 1920×1080 at the input step, phone 390×844) land in ``tmp_path``."""
    url, _meeting = server
    projector_context, projector = _projector(browser, url)
    join_url = projector.locator("div.wb-join").get_attribute("data-join-url")
    assert join_url.startswith(f"http://localhost:{url.rsplit(':', 1)[1]}/doe-mee?code=")
    projector.screenshot(path=str(tmp_path / "meeting-qr-1920x1080.png"))

    phone_context, phone = _context(
        browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    try:
        phone.goto(join_url)
        wait_for_app(phone)
        phone.get_by_text("Buurtavond Twekkelerveld").wait_for()
        phone.get_by_label("Wat wilt u zeggen?").wait_for()
        wait_for_app(phone)
        assert not phone.locator('[data-testid="stSidebar"]').is_visible()
        assert phone.locator('[data-testid="stSidebarNav"]').count() == 0
        phone.screenshot(path=str(tmp_path / "join-390x844.png"), full_page=True)

        # while typing, the field's hint is Dutch: not Streamlit's "Press Ctrl+Enter to submit form"
        phone.get_by_label("Wat wilt u zeggen?").fill("Een zebrapad")
        hints = phone.locator('[data-testid="InputInstructions"]').evaluate_all(
            "els => els.map(e => getComputedStyle(e, '::before').content + ' ' + e.innerText)"
        )
        assert hints and not any("Press" in hint or "Enter to" in hint for hint in hints), hints
        _send(phone, "Een zebrapad bij de school")
        phone.get_by_text("Dank u wel!").wait_for()
        # the projector shows it without a reload (its live fragment asks every two seconds)
        projector.get_by_text("Een zebrapad bij de school").wait_for(timeout=30_000)
        projector.get_by_text("Inbreng tot nu toe: 1").wait_for()

        phone.reload()  # a reload keeps the device: its cookie carries the key
        wait_for_app(phone)
        _send(phone, "Meer bankjes op het plein")
        phone.get_by_text("Dank u wel!").wait_for()
        _send(phone, "Nog een derde opmerking")
        phone.get_by_text("dat is het maximum").wait_for()
        projector.get_by_text("Inbreng tot nu toe: 2").wait_for(timeout=30_000)
        assert projector.get_by_text("Nog een derde opmerking").count() == 0

        base = join_url.split("/doe-mee")[0]
        for slug in TYPED:
            phone.goto(f"{base}/{slug}")
            wait_for_app(phone)
            phone.get_by_text("Deze pagina is alleen voor medewerkers van de gemeente.").wait_for()
            assert phone.locator("h1").count() == 0, slug  # no page title, nothing of the page itself
            assert phone.locator('[data-testid="stSidebarNav"]').count() == 0, slug
        phone.get_by_role("link", name="Naar de pagina om mee te doen").click()
        phone.get_by_role("heading", name="Doe mee").wait_for()

        projector.reload()  # the password sign-in survives a reload (a signed cookie), until sign-out
        wait_for_app(projector)
        projector.get_by_text("U werkt als gespreksleider").wait_for()
        projector.get_by_role("button", name="Afmelden").click()
        staff_only = projector.get_by_text("Deze pagina is alleen voor medewerkers van de gemeente.")
        staff_only.wait_for()  # still at /bijeenkomst, now as a resident
        wait_for_app(projector)
        projector.reload()
        wait_for_app(projector)
        staff_only.wait_for()
        assert projector.get_by_text("U werkt als").count() == 0
    finally:
        phone_context.close()
        projector_context.close()
