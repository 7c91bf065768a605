"""AppTest for the start page: it links every page and the two worked examples."""

from __future__ import annotations

import pytest

from enschede_gis import settings
from tests.page_helpers import app_test

APP = settings.REPO_ROOT / "app.py"


pytestmark = pytest.mark.usefixtures("fresh_caches")


def test_start_is_the_default_page_and_links_the_examples():
    at = app_test(timeout=120).run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Twekkelerveld (BU01530301)" in text
    assert "Buurtschap Broekheurne (BU01530905)" in text
    assert at.title[0].value == "Wijkbeeld Enschede"


def test_start_page_in_english():
    at = app_test(timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert any("Rural area process" in m.value for m in at.markdown)
