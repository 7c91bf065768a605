"""The live CBS path (``_cbs.fetch`` through cbsodata) on recorded responses from a local server.

The server (tests/fixtures/live/fake_services.py) serves the recorded 84799NED rows for Enschede in
the real OData v3 envelope; cbsodata builds the URLs, follows ``odata.nextLink`` and decodes the JSON
itself. Nothing here reaches the network.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from enschede_gis import _cbs, settings
from enschede_gis.errors import InputError, SourceError
from tests.fixtures.live import fake_services as fake

SRC_2020 = "CBS StatLine 84799NED (Kerncijfers wijken en buurten 2020)"


@pytest.fixture
def cbs(monkeypatch):
    server = fake.Server(fake.CbsService())
    fake.point_cbsodata_at(monkeypatch, server)
    yield server.service
    server.close()


def value(stats: pd.DataFrame, code: str, indicator: str) -> float:
    rows = stats[(stats["code"] == code) & (stats["indicator"] == indicator)]
    assert len(rows) == 1, (code, indicator, len(rows))
    return float(rows["value"].iloc[0])


def one_line(exc: pytest.ExceptionInfo) -> str:
    text = str(exc.value)
    assert "\n" not in text and "Traceback" not in text
    return text


def test_fetch_returns_the_recorded_figures(cbs, catalogue):
    result = _cbs.fetch("GM0153", 2020, catalogue=catalogue)
    stats = result.statistics
    assert value(stats, "GM0153", "inwoners") == 159_640
    assert value(stats, "GM0153", "mannen") == 81_539
    assert value(stats, "GM0153", "huishoudensgrootte") == 2.0
    # Key suffixes of 2020 (Bevolkingsdichtheid_33, HuishoudensTotaal_28) resolve to catalogue keys.
    assert {"bevolkingsdichtheid", "huishoudens"} <= set(stats["indicator"])
    assert set(stats["year"]) == {2020}
    assert stats.groupby("level")["code"].nunique().to_dict() == {"buurt": 70, "gemeente": 1, "wijk": 10}
    assert result.table == "84799NED" and result.source == SRC_2020
    assert list(stats.columns) == ["code", "level", "year", "indicator", "value", "source"]


def test_fetch_asks_for_the_typed_data_set_with_the_gemeente_filter(cbs, catalogue):
    _cbs.fetch("GM0153", 2020, catalogue=catalogue)
    data_requests = [r for r in cbs.requests if "DataSet" in r]
    assert data_requests and all("TypedDataSet" in r for r in data_requests)
    assert "startswith%28WijkenEnBuurten%2C%27BU0153%27%29" in data_requests[0]
    assert "substringof" not in data_requests[0]


def test_region_codes_come_from_codering_and_names_from_the_dimension(cbs, catalogue):
    regions = _cbs.fetch("GM0153", 2020, catalogue=catalogue).regions.set_index("code")
    assert regions.loc["GM0153", "name"] == "Enschede"  # WijkenEnBuurten holds the title, not the code
    assert regions.loc["BU01530000", "name"] == "City"
    assert regions.loc["BU01530000", "wijkcode"] == "WK015300"
    assert not regions.index.str.contains(" ").any()  # "GM0153    " was stripped


def test_published_missing_stays_missing(cbs, catalogue):
    stats = _cbs.fetch("GM0153", 2020, catalogue=catalogue).statistics
    # The recorded 2020 edition had no income figures yet: None in the typed data set -> NaN, never 0,
    # and the rows stay (published as missing).
    income = stats[stats["indicator"] == "inkomen_per_inwoner"]
    assert len(income) == 81 and income["value"].isna().all()


def test_sentinels_become_missing(cbs, catalogue):
    # A modified copy of the recorded rows: CBS writes secret / not applicable as -99999999 (and
    # -99997), which must never reach the app as a number.
    cbs.rows = [dict(r) for r in cbs.rows]
    for row in cbs.rows:
        if row["Codering_3"].strip() == "BU01530000":
            row["AantalInwoners_5"] = -99999999
            row["Mannen_6"] = -99997
    stats = _cbs.fetch("GM0153", 2020, catalogue=catalogue).statistics
    assert math.isnan(value(stats, "BU01530000", "inwoners"))
    assert math.isnan(value(stats, "BU01530000", "mannen"))
    assert value(stats, "BU01530001", "inwoners") > 0


def test_figures_match_the_embedded_snapshot(cbs, catalogue, snap):
    """Golden check: the live path gives the same 2020 figures as the snapshot built from CBS files."""
    live = _cbs.fetch("GM0153", 2020, catalogue=catalogue).statistics
    embedded = snap.statistics[(snap.statistics["year"] == 2020) & (snap.statistics["source"] == SRC_2020)]
    joined = embedded.merge(live, on=["code", "indicator"], suffixes=("_snap", "_live"))
    assert len(joined) == len(embedded) > 2000
    both = joined.dropna(subset=["value_snap", "value_live"])
    assert (both["value_snap"] - both["value_live"]).abs().max() < 1e-9
    assert (joined["value_snap"].isna() == joined["value_live"].isna()).all()


def test_paging_follows_next_links(monkeypatch, catalogue):
    server = fake.Server(fake.CbsService(page_size=30))
    fake.point_cbsodata_at(monkeypatch, server)
    try:
        stats = _cbs.fetch("GM0153", 2020, catalogue=catalogue).statistics
    finally:
        server.close()
    pages = [r for r in server.service.requests if "TypedDataSet" in r]
    assert len(pages) == 3 and "/ODataFeed/OData/84799NED/TypedDataSet/?" in pages[1]
    assert stats["code"].nunique() == 81
    assert value(stats, "GM0153", "inwoners") == 159_640


def test_recorded_next_link_has_the_shape_our_server_sends():
    page = fake.load("cbs_83599NED_paging/UntypedDataSet_page1.trimmed.json")
    assert page["odata.nextLink"].startswith("https://opendata.cbs.nl/ODataFeed/OData/83599NED/UntypedDataSet/?")
    assert "$skip=10000" in page["odata.nextLink"]


def test_timeout_is_one_clear_error(cbs, catalogue):
    cbs.faults["TypedDataSet"] = "timeout"
    with pytest.raises(SourceError) as exc:
        # generous enough that the healthy metadata requests never time out on a loaded CI machine
        _cbs.fetch("GM0153", 2020, catalogue=catalogue, timeout=3)
    text = one_line(exc)
    assert "84799NED" in text and "3 seconden" in text and "TypedDataSet" in text
    assert "$" not in text  # no OData query string that Markdown would read as maths


def test_http_error_is_one_clear_error(cbs, catalogue):
    cbs.faults["root"] = "500"
    with pytest.raises(SourceError, match=r"HTTP 500") as exc:
        _cbs.fetch("GM0153", 2020, catalogue=catalogue)
    assert "84799NED" in one_line(exc)


def test_bad_json_is_one_clear_error(cbs, catalogue):
    cbs.faults["TypedDataSet"] = "badjson"
    with pytest.raises(SourceError, match="geen geldige JSON") as exc:
        _cbs.fetch("GM0153", 2020, catalogue=catalogue)
    assert "84799NED" in one_line(exc)


def test_unexpected_shape_is_one_clear_error(cbs, catalogue):
    cbs.faults["WijkenEnBuurten"] = "shape"  # a body without "value"
    with pytest.raises(SourceError, match="onverwachte vorm") as exc:
        _cbs.fetch("GM0153", 2020, catalogue=catalogue)
    one_line(exc)


def test_rows_without_a_code_column_are_an_unexpected_shape(cbs, catalogue):
    cbs.rows = [{k: v for k, v in r.items() if k != "Codering_3"} for r in cbs.rows]
    with pytest.raises(SourceError, match="Codering_3"):
        _cbs.fetch("GM0153", 2020, catalogue=catalogue)


def test_unknown_gemeente_names_the_code(cbs, catalogue):
    with pytest.raises(InputError, match="GM9999") as exc:
        _cbs.fetch("GM9999", 2020, catalogue=catalogue)
    assert "84799NED" in one_line(exc)


@pytest.mark.parametrize("code", ["Enschede", "GM153", "0153", "[x](http://e.vil)"])
def test_malformed_gemeente_code_fails_before_any_request(cbs, catalogue, code):
    with pytest.raises(InputError, match="geen geldige gemeentecode") as exc:
        _cbs.fetch(code, 2020, catalogue=catalogue)
    assert cbs.requests == []
    assert "](" not in one_line(exc)  # user input is not repeated as Markdown


def test_year_without_a_table_fails_before_any_request(cbs, catalogue):
    with pytest.raises(InputError, match="1999") as exc:
        _cbs.fetch("GM0153", 1999, catalogue=catalogue)
    assert "2024" in one_line(exc) and cbs.requests == []


def test_unreachable_service_is_one_clear_error(monkeypatch, catalogue):
    server = fake.Server(fake.CbsService())
    fake.point_cbsodata_at(monkeypatch, server)
    server.close()  # nothing listens on the port any more
    with pytest.raises(SourceError, match="niet bereikbaar") as exc:
        _cbs.fetch("GM0153", 2020, catalogue=catalogue, timeout=2)
    one_line(exc)


def test_table_for_every_configured_year():
    assert _cbs.table_for(2024) == "85984NED"
    assert set(settings.KWB_TABLES.values()) >= {"84799NED", "85984NED"}
