"""Two app servers (two Streamlit processes) on one PostgreSQL: what one saves, the other shows at once."""

from __future__ import annotations

import re

import pytest
from pg_fixtures import drop_everything, pg_url  # noqa: F401  (pg_url is a fixture)

from enschede_gis import db, meetings, store
from tests.browser.conftest import start_app, stop_app, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


def _open(page, url: str) -> None:
    """Open the meeting page and wait until it is drawn (a busy machine may take a while the first time)."""
    page.goto(url)
    page.get_by_role("heading", name="Bijeenkomst").wait_for(timeout=120_000)
    wait_for_app(page)


def test_a_meeting_made_on_one_server_is_shown_by_the_other(pg_url, page, tmp_path):  # noqa: F811
    eng = db.engine(pg_url)
    drop_everything(eng)  # the servers find an empty database and upgrade it themselves, one at a time
    db.dispose_all()
    servers = [start_app(tmp_path / name, {db.DATABASE_URL_ENV: pg_url}) for name in ("a", "b")]
    (first, _), (second, _) = servers
    try:
        _open(page, f"{second}/bijeenkomst")  # the second server, before anything exists: a new meeting form
        assert "bijeenkomst=" not in page.url
        assert page.get_by_role("combobox", name="Bijeenkomst").input_value() == "— Nieuwe bijeenkomst —"

        _open(page, f"{first}/bijeenkomst")
        page.get_by_label("Titel").fill("Avond van server A")
        page.get_by_role("button", name="Bijeenkomst aanmaken").click()
        page.wait_for_url(re.compile(r"bijeenkomst=[0-9a-f]+"), timeout=60_000)
        made = re.search(r"bijeenkomst=([0-9a-f]+)", page.url).group(1)

        # A fresh load on the other server opens that meeting (its id comes from the shared database).
        _open(page, f"{second}/bijeenkomst")
        page.wait_for_url(re.compile(f"bijeenkomst={made}"), timeout=60_000)
        chosen = page.get_by_role("combobox", name="Bijeenkomst").input_value()
        assert chosen.startswith("Avond van server A · ")
    finally:
        for _, process in servers:
            stop_app(process)
    saved = meetings.list_meetings(db.engine(pg_url))
    assert [(m.id, m.title) for m in saved] == [(made, "Avond van server A")]
    assert store.stamp(db.engine(pg_url), "meetings", made).changed_by == "gebiedsteam"
    db.dispose_all()
