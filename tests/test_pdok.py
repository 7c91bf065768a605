"""The live PDOK path (``_pdok``) on a local OGC API Features server in PDOK gokoala's shape.

The features are the embedded snapshot's real outlines served as OGC API items pages (see
tests/fixtures/live/README.md); nothing here reaches the network.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
from geopandas.testing import assert_geodataframe_equal

from enschede_gis import _pdok, boundaries, settings, snapshot
from enschede_gis.errors import InputError, SourceError
from tests.fixtures.live import fake_services as fake


@pytest.fixture
def pdok(monkeypatch):
    server = fake.Server(fake.PdokService())
    fake.point_pdok_at(monkeypatch, server)
    yield server.service
    server.close()


def one_line(exc: pytest.ExceptionInfo) -> str:
    text = str(exc.value)
    assert "\n" not in text and "Traceback" not in text
    return text


def test_recorded_gokoala_pages_have_the_shape_the_fake_serves():
    first = fake.load("pdok_gokoala/expected_foo_collection_with_limit.json")
    assert set(first) == {"type", "timeStamp", "links", "features", "numberReturned"}
    assert [link["rel"] for link in first["links"]] == ["self", "alternate", "alternate", "next"]
    assert "cursor=" in first["links"][-1]["href"] and "limit=2" in first["links"][-1]["href"]
    empty = fake.load("pdok_gokoala/expected_empty_feature_collection.json")
    assert empty["features"] == [] and "next" not in {link["rel"] for link in empty["links"]}


def test_buurten_come_back_identical_to_the_snapshot(pdok, snap):
    live = _pdok.fetch_level("GM0153", 2024, "buurt")
    assert len(live) == 70 and live.crs == settings.CRS_RD
    assert list(live.columns) == snapshot.BOUNDARY_COLUMNS
    expected = boundaries.standardise(snap.boundaries["buurt"], "buurt")
    assert_geodataframe_equal(live, expected, check_less_precise=True)


def test_all_levels_have_the_standard_columns(pdok, snap):
    found = _pdok.fetch_boundaries("GM0153", 2024)
    assert {level: len(frame) for level, frame in found.items()} == {"buurt": 70, "wijk": 10, "gemeente": 1}
    for level, frame in found.items():
        assert list(frame.columns) == snapshot.BOUNDARY_COLUMNS
        assert frame.dtypes.to_dict() == boundaries.standardise(snap.boundaries[level], level).dtypes.to_dict()
    gemeente = found["gemeente"].iloc[0]
    assert (gemeente["code"], gemeente["gemeentecode"], gemeente["name"]) == ("GM0153", "GM0153", "Enschede")
    assert found["wijk"]["wijkcode"].equals(found["wijk"]["code"])


def test_request_asks_rd_new_for_one_gemeente(pdok):
    _pdok.fetch_level("GM0153", 2024, "wijk")
    first = pdok.requests[0]
    assert first.startswith("/pdok/2024/ogc/v1/collections/wijken/items?")
    assert "gemeentecode=GM0153" in first and "limit=1000" in first
    assert "crs=http%3A%2F%2Fwww.opengis.net%2Fdef%2Fcrs%2FEPSG%2F0%2F28992" in first


def test_paging_follows_the_next_cursor(monkeypatch, snap):
    server = fake.Server(fake.PdokService(max_limit=25))  # the server caps limit=1000 at 25
    fake.point_pdok_at(monkeypatch, server)
    try:
        live = _pdok.fetch_level("GM0153", 2024, "buurt")
    finally:
        server.close()
    assert len(server.service.requests) == 3
    assert all("cursor=Dv4" in r for r in server.service.requests[1:])
    assert sorted(live["code"]) == sorted(snap.boundaries["buurt"]["code"])


def test_crs84_pages_are_turned_into_rd_new(pdok, snap, monkeypatch):
    monkeypatch.setattr(_pdok, "RD_URI", fake.CRS84_URI)  # ask for (and get) the OGC default CRS84
    live = _pdok.fetch_level("GM0153", 2024, "gemeente")
    assert "CRS84" in pdok.requests[0]
    assert live.crs == settings.CRS_RD
    expected = snap.boundaries["gemeente"].geometry.iloc[0]
    assert live.geometry.iloc[0].hausdorff_distance(expected) < 0.01  # metres, after the round trip via CRS84


def test_water_parts_are_left_out(pdok):
    pdok.extra["buurten"] = [{"water": "JA", "buurtcode": "BU01530000"}]  # a water part of the first buurt
    live = _pdok.fetch_level("GM0153", 2024, "buurt")
    assert len(live) == 70 and live["code"].is_unique


def test_timeout_is_one_clear_error(pdok):
    pdok.faults["wijken"] = "timeout"
    # generous enough that the healthy buurten request never times out on a loaded CI machine
    with pytest.raises(SourceError, match="binnen 3 seconden") as exc:
        _pdok.fetch_boundaries("GM0153", 2024, timeout=3)
    assert "collections/wijken/items" in one_line(exc)


def test_http_error_is_one_clear_error(pdok):
    pdok.faults["buurten"] = "500"
    with pytest.raises(SourceError, match="HTTP 500") as exc:
        _pdok.fetch_level("GM0153", 2024, "buurt")
    assert "wijken-en-buurten" not in one_line(exc)  # the local server's address is named, not a guess
    assert "/pdok/2024/ogc/v1/collections/buurten/items" in str(exc.value)


def test_bad_json_is_one_clear_error(pdok):
    pdok.faults["gemeenten"] = "badjson"
    with pytest.raises(SourceError, match="geen geldige JSON") as exc:
        _pdok.fetch_level("GM0153", 2024, "gemeente")
    one_line(exc)


def test_unexpected_shape_is_one_clear_error(pdok):
    pdok.faults["buurten"] = "shape"  # a body without "features"
    with pytest.raises(SourceError, match="onverwachte vorm") as exc:
        _pdok.fetch_level("GM0153", 2024, "buurt")
    one_line(exc)


def test_features_without_the_code_property_are_an_unexpected_shape(pdok, monkeypatch):
    monkeypatch.setattr(_pdok, "CODE_NAME", {**_pdok.CODE_NAME, "buurt": ("buurt_code", "buurtnaam")})
    with pytest.raises(SourceError, match="buurt_code"):
        _pdok.fetch_level("GM0153", 2024, "buurt")


def test_unknown_gemeente_names_the_code(pdok):
    with pytest.raises(InputError, match="GM9999") as exc:
        _pdok.fetch_level("GM9999", 2024, "buurt")
    one_line(exc)


def test_year_without_an_ogc_api_fails_before_any_request(pdok):
    with pytest.raises(InputError, match="2019") as exc:
        _pdok.fetch_boundaries("GM0153", 2019)
    assert "2023" in one_line(exc) and pdok.requests == []


def test_unreachable_service_is_one_clear_error(monkeypatch):
    server = fake.Server(fake.PdokService())
    fake.point_pdok_at(monkeypatch, server)
    server.close()
    with pytest.raises(SourceError, match="niet bereikbaar") as exc:
        _pdok.fetch_level("GM0153", 2024, "buurt", timeout=2)
    one_line(exc)


def test_content_crs_header_is_read():
    assert _pdok._crs("<http://www.opengis.net/def/crs/EPSG/0/28992>") == "EPSG:28992"
    assert _pdok._crs(None) == "OGC:CRS84"
    assert _pdok._crs("<http://www.opengis.net/def/crs/OGC/1.3/CRS84>") == "OGC:CRS84"
    with pytest.raises(SourceError):
        _pdok._crs("<urn:nonsense>")


def test_fetched_frame_is_a_geodataframe_in_rd(pdok):
    assert isinstance(_pdok.fetch_level("GM0153", 2025, "wijk"), gpd.GeoDataFrame)
