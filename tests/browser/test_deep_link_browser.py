"""A deep link as the very first request to a fresh server opens the page in the app's own frame.

Streamlit treats a folder named ``pages/`` next to the main script as an old-style multipage app;
the first request to ``/kaart`` then showed that folder's file list and a narrow layout until ``/``
had run once. The pages live in ``views/`` so only ``st.navigation`` decides.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import start_app, stop_app, wait_for_app

pytestmark = pytest.mark.browser


def test_first_request_to_a_deep_link_gets_the_navigation_and_wide_layout(page, tmp_path):
    url, process = start_app(tmp_path / "state")
    try:
        page.goto(f"{url}/profiel?gebied=BU01530301")
        wait_for_app(page)
        page.get_by_role("heading", name="Twekkelerveld").first.wait_for(timeout=60_000)
        links = page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()
        assert "Wijkpaspoort" in " ".join(links) and "Kaart" in " ".join(links)
        assert not any(text.strip() in {"app", "kaart", "profiel"} for text in links)  # no file names
        width = page.locator('[data-testid="stMainBlockContainer"]').bounding_box()["width"]
        assert width > 1000  # layout="wide" on a 1400 px window (the centred layout is 736 px)
    finally:
        stop_app(process)
