"""AppTest for the frame (app.py): it loads the data, shows the attribution and switches language."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from enschede_gis import settings, snapshot
from tests.page_helpers import app_test, rendered

APP = settings.REPO_ROOT / "app.py"


pytestmark = pytest.mark.usefixtures("fresh_caches")


def _sidebar_text(at: AppTest) -> str:
    return " ".join(c.value for c in at.sidebar.caption)


def test_frame_runs_and_credits_cbs():
    at = app_test(timeout=120).run()
    assert not at.exception
    assert settings.ATTRIBUTION in _sidebar_text(at)
    manifest = snapshot.read_manifest(settings.DATA_DIR)  # what the snapshot holds, named under the credit
    note = f"ingebouwde momentopname van {manifest['created']}; buurtgrenzen {manifest['boundary_year']}."
    assert note in _sidebar_text(at)


def test_language_comes_from_the_url():
    at = app_test(timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert "Source: CBS, Kadaster/PDOK" in _sidebar_text(at)
    assert at.sidebar.radio(key="_lang").value == "en"


def test_a_broken_snapshot_gives_one_clear_message(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "DATA_DIR", tmp_path / "leeg")
    at = app_test(timeout=60).run()
    assert not at.exception
    assert len(at.error) == 1
    assert "manifest.json ontbreekt" in rendered(at.error[0].value)


def test_markdown_table_shows_every_cell_as_typed_on_one_row():
    import pandas as pd

    import app_state

    typed = "Tevredenheid | **vet** <script>x</script>\nregel twee"
    frame = pd.DataFrame({"Indicator": [typed, "Mannen"], "Jaar": [2024, 2021]})
    lines = app_state.markdown_table(frame).splitlines()
    assert len(lines) == 4  # header, rule, two rows: a line break in a cell does not start a row
    assert "<script>" not in lines[2] and "\\|" in lines[2] and "\\*\\*vet" in lines[2]
    cells = [c.strip() for c in re.split(r"(?<!\\)\|", lines[2])[1:-1]]
    assert [rendered(c) for c in cells] == [" ".join(typed.split()), "2024"]  # shown as typed


def test_no_page_takes_a_number_through_streamlits_number_input():
    """In chromium, st.number_input turns a typed "2,5" into 25 and "1.500" into 1.5 without a word, and
    shows "2.00" in the Dutch UI: numbers are typed into ui.number_field (read by numbers.read_typed)."""
    sources = [settings.REPO_ROOT / "app.py", settings.REPO_ROOT / "app_state.py"]
    sources += sorted((settings.REPO_ROOT / "views").glob("*.py"))
    found = [path.name for path in sources if re.search(r"\bnumber_input\(", path.read_text(encoding="utf-8"))]
    assert not found, found
