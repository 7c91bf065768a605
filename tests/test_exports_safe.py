"""Every export is formula-safe: text cells and headers neutralised, numbers kept as numbers."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest

from enschede_gis import export, profile

EVIL = '=HYPERLINK("http://evil","x")'


@pytest.fixture(scope="module")
def broekheurne(snap):
    return profile.find_area(profile.selectable_areas(snap, []), "BU01530905")


@pytest.fixture
def hostile_table():
    return pd.DataFrame(
        {
            "Thema": ["Bevolking", "Eigen gegevens"],
            "Indicator": ["Inwoners", EVIL],
            "Waarde": [1820.0, -5.0],
            EVIL: [12.25, float("nan")],
            "Jaar": [2023, 2023],
            "Bron": ["CBS 85984NED", "@SUM(1+1)"],
        }
    )


def test_csv_neutralises_text_and_headers_but_not_numbers(hostile_table):
    for lang in ("nl", "en"):
        text = export.to_csv(hostile_table, lang).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";" if lang == "nl" else ","))
        cells = [cell for row in rows for cell in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")], cells
        assert "'" + EVIL in rows[0] and "'" + EVIL in rows[2] and "'@SUM(1+1)" in rows[2]
        assert rows[2][2] in ("-5,0", "-5.0")  # a negative number stays a number, not "'-5"


def test_excel_writes_text_as_text_numbers_with_formats_and_a_sources_sheet(hostile_table, snap):
    data = export.to_excel(
        hostile_table, decimals=[0, 1], sources=[("Gegevens opgehaald op", "2026-11-29"), ("Brontabel", EVIL)]
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Profiel"]
    formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    assert sheet["B3"].value == EVIL and sheet["B3"].data_type == "s" and sheet["B3"].quotePrefix
    assert sheet["D1"].value == EVIL and sheet["D1"].data_type == "s"
    assert sheet["C2"].value == 1820 and sheet["C2"].number_format == "#,##0"
    assert sheet["C3"].value == -5 and sheet["C3"].data_type == "n" and sheet["C3"].number_format == "#,##0.0"
    assert sheet["D3"].value is None  # unknown stays empty, not NaN
    assert sheet["E2"].number_format == "0"
    sources = book["Bronnen"]
    assert sources["B1"].value == "2026-11-29" and sources["B2"].data_type == "s"


def test_profile_excel_has_each_indicators_decimals_and_the_snapshot_date(snap, catalogue, broekheurne):
    figures = profile.key_figures(snap, catalogue, broekheurne, year=2023)
    book = openpyxl.load_workbook(io.BytesIO(export.profile_excel(figures, snap, catalogue, "nl")))
    sheet = book["Profiel"]
    header = [c.value for c in sheet[1]]
    key, value = header.index("Sleutel"), header.index("Waarde")
    formats = {row[key].value: row[value].number_format for row in sheet.iter_rows(min_row=2)}
    assert formats["inwoners"] == export.number_format(catalogue["inwoners"].decimals)
    assert formats["pct_gehuwd"] == export.number_format(catalogue["pct_gehuwd"].decimals)
    lines = {row[0].value: row[1].value for row in book["Bronnen"].iter_rows()}
    assert lines["Gegevens opgehaald op"] == snap.manifest["created"]
    assert any(str(v).startswith("CBS") for k, v in lines.items() if k == "Brontabel")
    english = openpyxl.load_workbook(io.BytesIO(export.profile_excel(figures, snap, catalogue, "en")))
    assert english.sheetnames == ["Profile", "Sources"]


def test_sources_credit_is_in_the_export_language(snap, catalogue, broekheurne):
    figures = profile.key_figures(snap, catalogue, broekheurne, year=2023)
    dutch = dict(export.sources(snap, figures, "nl"))
    english = dict(export.sources(snap, figures, "en"))
    assert [v for v in dutch.values() if v.startswith("Bron: CBS")]
    credits = [v for v in english.values() if "CBS, Kadaster" in v]
    assert credits and all(v.startswith("Source: CBS") for v in credits)
