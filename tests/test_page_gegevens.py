"""AppTest for the data-and-sources page: credit, what the snapshot holds, and the refresh form.

The refresh runs against a copy of ``data/`` in a temporary folder; a failing source is simulated by
patching the CBS fetch, a working one by the local recorded-response servers. No network.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from enschede_gis import _cbs, settings, snapshot
from enschede_gis.errors import SourceError
from tests.fixtures.live import fake_services as fake
from tests.page_helpers import rendered, run_page

pytestmark = pytest.mark.usefixtures("fresh_caches")


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(settings.DATA_DIR, folder)
    monkeypatch.setattr(settings, "DATA_DIR", folder)
    return folder


def fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _run(**params: str) -> AppTest:
    return run_page("gegevens.py", timeout=90, **params)


def _refresh(at: AppTest, code: str, year: int) -> AppTest:
    at.text_input[0].input(code)
    at.select_slider[0].set_range(year, year)
    at.button[0].click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_page_shows_credit_holdings_and_sources(data_dir):
    at = _run()
    assert at.title[0].value == "Gegevens en bronnen"
    assert any(m.value.startswith("**Bron: CBS, Kadaster/PDOK — CC BY 4.0") and "RIVM" in m.value for m in at.markdown)
    holdings = next(m.value for m in at.markdown if m.value.startswith("- **Momentopname van:**"))
    assert "- **Jaren:** 2012, 2016, 2020, 2021, 2022, 2023, 2024" in holdings
    assert "- **Gebieden:** 70 buurten, 10 wijken" in holdings
    sources = at.dataframe[0].value
    row = sources[(sources["Jaar"] == 2020) & (sources["Niveau"] == "Buurt")].iloc[0]
    assert "84799NED" in row["Bron"] and row["Gepubliceerd"] > 0
    coverage = at.dataframe[1].value
    inwoners = coverage[coverage["Indicator"] == "Aantal inwoners"].iloc[0]
    assert inwoners["Buurt"] == "2020, 2021, 2023, 2024"
    assert "85984NED" in inwoners["Brontabellen"]
    assert at.expander[0].label.startswith("Herkomst")
    assert any("Provenance of the embedded data snapshot" in m.value for m in at.expander[0].markdown)


def test_page_in_english(data_dir):
    at = _run(lang="en")
    assert at.title[0].value == "Data and sources"
    assert list(at.dataframe[1].value.columns)[:2] == ["Indicator", "Theme"]
    assert at.button[0].label == "Refresh"


def test_failed_refresh_shows_one_message_and_keeps_the_data(data_dir, monkeypatch):
    def broken(*args, **kwargs):
        raise SourceError("CBS-tabel 85984NED (https://opendata.cbs.nl/ODataFeed/odata/85984NED/) gaf HTTP 500.")

    monkeypatch.setattr(_cbs, "fetch", broken)
    before = fingerprint(data_dir)
    at = _refresh(_run(), "GM0153", 2024)
    assert [rendered(e.value) for e in at.error] == [
        "Geen enkel jaar kon worden opgehaald "
        "(2024: CBS-tabel 85984NED (https://opendata.cbs.nl/ODataFeed/odata/85984NED/) gaf HTTP 500.)."
    ]
    assert not at.success
    assert fingerprint(data_dir) == before


def test_bad_gemeente_code_is_refused_by_name(data_dir):
    before = fingerprint(data_dir)
    at = _refresh(_run(), "XX12", 2024)
    assert len(at.error) == 1 and "XX12" in at.error[0].value and "gemeentecode" in at.error[0].value
    assert fingerprint(data_dir) == before


def test_successful_refresh_writes_and_reloads(data_dir, monkeypatch):
    cbs, pdok = fake.Server(fake.CbsService()), fake.Server(fake.PdokService())
    fake.point_cbsodata_at(monkeypatch, cbs)
    fake.point_pdok_at(monkeypatch, pdok)
    try:
        at = _refresh(_run(), "GM0153", 2020)
    finally:
        cbs.close()
        pdok.close()
    assert not at.error
    assert "84799NED" in at.success[0].value and "70 buurten" in at.success[0].value
    assert at.get("progress")  # the refresh showed its progress
    new = snapshot.load(data_dir)
    assert "GM0153-2020" in new.manifest["refreshes"]
    at.run()  # the cache was cleared: the page now shows the refreshed snapshot
    assert not at.exception
    assert any(h.value == "Eerder vernieuwd" for h in at.subheader)
