"""PDF building blocks, the static map, and the profile exports (PDF text, CSV, Excel)."""

from __future__ import annotations

import io
from datetime import date

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader

from enschede_gis import export, profile, staticmap
from enschede_gis.areas import CustomArea
from enschede_gis.errors import InputError
from enschede_gis.pdf import Bar, Document

BROEKHEURNE = CustomArea(name="Broekheurne", codes=("BU01530905", "BU01530904"))
PRINTED = date(2026, 11, 29)


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def broekheurne(snap):
    return profile.find_area(profile.selectable_areas(snap, [BROEKHEURNE]), "custom:Broekheurne")


def test_document_blocks_render_plain_unicode_text():
    doc = Document("Wijkpaspoort <b>Twekkelerveld</b> **vet**", subtitle="Eigen gebied · 2023", printed=PRINTED)
    doc.heading("Kerncijfers")
    doc.table(["Indicator", "Waarde"], [["Bevolkingsdichtheid", "1.146 inwoners per km²"], ["WOZ", "€ 284.000"]])
    doc.bars([Bar("Aandeel 65+", 1.2, "23,1% (18,0%)", "more"), Bar("Onbekend", np.nan, "onbekend")])
    doc.paragraph("Een teken dat het lettertype niet kent: 中")
    doc.sources(["CBS 85618NED", "CBS 85618NED"])
    text = _text(doc.to_bytes())
    assert "Wijkpaspoort <b>Twekkelerveld</b> **vet**" in text  # no markup interpreted
    assert "Afgedrukt op zondag 29 november 2026" in text
    assert "1.146 inwoners per km²" in text and "€ 284.000" in text
    assert "23,1% (18,0%)" in text
    assert "niet kent: ?" in text
    assert text.count("CBS 85618NED") == 1
    assert "Bron: CBS, Kadaster/PDOK — CC BY 4.0" in text


def test_paragraphs_wrap_inside_the_page_and_keep_every_character():
    doc = Document("Lange tekst", printed=PRINTED)
    long_word = "https://opendata.cbs.nl/" + "x" * 300
    words = [f"woord{i}" for i in range(400)]
    doc.paragraph(" ".join(words) + "\nTweede regel " + long_word)
    lines = doc._lines(doc.plain(" ".join(words) + "\nTweede regel " + long_word), doc.width)
    assert all(doc._pdf.get_string_width(line) <= doc.width + 1e-6 for line in lines)
    assert len(lines) > 10 and "Tweede regel" in " ".join(lines)
    text = "".join(_text(doc.to_bytes()).split())  # extraction breaks lines anywhere: compare without blanks
    assert "".join(words) in text and ("Tweederegel" + long_word) in text


def test_long_tables_continue_on_the_next_page_with_the_header():
    doc = Document("Lang", printed=PRINTED, lang="en")
    doc.table(["Name", "Value"], [[f"row {i}", str(i)] for i in range(120)])
    reader = PdfReader(io.BytesIO(doc.to_bytes()))
    assert len(reader.pages) >= 2
    assert "Name" in reader.pages[1].extract_text() and "row 119" in reader.pages[-1].extract_text()
    assert "Printed on Sunday, 29 November 2026" in reader.pages[0].extract_text()


def test_static_map_is_a_png_and_refuses_unknown_buurten(snap):
    png = staticmap.area_map(snap, ["BU01530905", "BU01530904"], size_in=3, dpi=60)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(InputError, match="BU01539999"):
        staticmap.area_map(snap, ["BU01539999"])
    with pytest.raises(InputError):
        staticmap.area_map(snap, [])


def test_profile_pdf_has_name_inhabitants_sources_and_date(snap, catalogue, broekheurne):
    text = _text(export.profile_pdf(snap, catalogue, broekheurne, year=2023, printed=PRINTED))
    assert "Wijkpaspoort Broekheurne" in text
    assert "1.820 inwoners" in text  # 1525 + 295, aggregated from the two buurten
    assert "Afgedrukt op zondag 29 november 2026" in text
    assert "gegevensjaar 2023" in text and "85618NED" in text
    assert "Bron: CBS, Kadaster/PDOK — CC BY 4.0" in text
    for heading in ("Kerncijfers", "Positie ten opzichte van de stad", "Vergelijkbare buurten", "Ontwikkeling"):
        assert heading in text
    english = _text(export.profile_pdf(snap, catalogue, broekheurne, year=2023, lang="en", printed=PRINTED))
    assert "Area profile Broekheurne" in english and "1,820 inhabitants" in english


def test_profile_pdf_explains_every_figure_it_shows(snap, catalogue, broekheurne):
    shown = profile.key_figures(snap, catalogue, broekheurne, year=2023)["indicator"]
    text = " ".join(_text(export.profile_pdf(snap, catalogue, broekheurne, year=2023, printed=PRINTED)).split())
    explained = text[text.index("Uitleg bij de cijfers") :]
    for key in shown:
        ind = catalogue[key]
        assert ind.label("nl") in explained, key
        assert " ".join(ind.caveat("nl").split())[:40] in explained, key
    assert "2023: CBS Kerncijfers wijken en buurten 2023" in explained
    english = " ".join(_text(export.profile_pdf(snap, catalogue, broekheurne, year=2023, lang="en")).split())
    assert "What the figures mean" in english and catalogue["inwoners"].caveat("en")[:40] in english


def test_profile_table_as_csv_and_excel(snap, catalogue, broekheurne):
    table = export.profile_table(profile.key_figures(snap, catalogue, broekheurne, year=2023))
    assert list(table.columns[:5]) == ["Thema", "Indicator", "Sleutel", "Waarde", "Eenheid"]
    csv = export.to_csv(table).decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(csv), sep=";", decimal=",")
    row = back.set_index("Sleutel").loc["pct_gehuwd"]
    assert row["Waarde"] == pytest.approx(840 / 1820 * 100)
    assert back.set_index("Sleutel").loc["inwoners", "Enschede"] == 161235
    excel = pd.read_excel(io.BytesIO(export.to_excel(table)), sheet_name="Profiel")
    assert excel.set_index("Sleutel").loc["inwoners", "Waarde"] == 1820
    assert excel["Jaar"].eq(2023).all()
    english = export.to_csv(
        export.profile_table(profile.key_figures(snap, catalogue, broekheurne, year=2023), "en"), "en"
    )
    assert english.decode("utf-8-sig").splitlines()[0].startswith("Theme,Indicator,Key,Value,Unit")


def test_fonts_fall_back_to_matplotlibs_dejavu(monkeypatch, tmp_path):
    from enschede_gis import pdf

    monkeypatch.setattr(pdf, "FONT_DIR", tmp_path)  # no fonts here
    text = _text(Document("Gemeente Enschede — één", printed=PRINTED).to_bytes())
    assert "Gemeente Enschede — één" in text
