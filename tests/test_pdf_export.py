"""PDF building blocks, the static map, and the profile exports (PDF text, CSV, Excel)."""

from __future__ import annotations

import io
import re
from datetime import date

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader

from enschede_gis import export, profile, staticmap
from enschede_gis.areas import CustomArea
from enschede_gis.errors import InputError
from enschede_gis.pdf import Bar, Document
from tests.render import pdf_pages_to_png

BROEKHEURNE = CustomArea(name="Broekheurne", codes=("BU01530905", "BU01530904"))
#: What a resident must never see outside parentheses: a catalogue key or a buurt code.
KEY_OR_CODE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|BU\d{8}")
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
    text = _text(export.profile_pdf(snap, catalogue, broekheurne, year=2023, printed=PRINTED, full=True))
    assert "Wijkpaspoort Broekheurne" in text
    assert "1.820 inwoners" in text  # 1525 + 295, aggregated from the two buurten
    assert "Afgedrukt op zondag 29 november 2026" in text
    assert "gegevensjaar 2023" in text and "85618NED" in text
    assert "Bron: CBS, Kadaster/PDOK — CC BY 4.0" in text
    for heading in ("Kerncijfers", "Positie ten opzichte van de stad", "Vergelijkbare buurten", "Ontwikkeling"):
        assert heading in text
    assert "Dit gebied bestaat uit 2 buurten" in text  # a custom area lists its buurten
    english = _text(export.profile_pdf(snap, catalogue, broekheurne, year=2023, lang="en", printed=PRINTED, full=True))
    assert "Area profile Broekheurne" in english and "1,820 inhabitants" in english


def test_profile_pdf_explains_every_figure_it_shows(snap, catalogue, broekheurne):
    shown = profile.key_figures(snap, catalogue, broekheurne, year=2023)["indicator"]
    full = export.profile_pdf(snap, catalogue, broekheurne, year=2023, printed=PRINTED, full=True)
    text = " ".join(_text(full).split())
    explained = text[text.index("Uitleg bij de cijfers") :]
    for key in shown:
        ind = catalogue[key]
        assert ind.label("nl") in explained, key
        assert " ".join(ind.caveat("nl").split())[:40] in explained, key
    assert "2023: CBS Kerncijfers wijken en buurten 2023" in explained
    english = " ".join(_text(export.profile_pdf(snap, catalogue, broekheurne, year=2023, lang="en", full=True)).split())
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


def _outside_parentheses(text: str) -> str:
    """The text with every (...) part removed, nested ones too."""
    previous = None
    while previous != text:
        previous, text = text, re.sub(r"\([^()]*\)", "", text)
    return text


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("key", ["BU01530905", "WK015309", "custom:Oost"])
def test_the_handout_is_two_pages_with_names_not_codes(snap, catalogue, key):
    oost = CustomArea(name="Oost", codes=tuple(c for c in snap.names() if c.startswith("BU015305"))[:12])
    area = profile.find_area(profile.selectable_areas(snap, [oost]), key)
    handout = export.profile_pdf(snap, catalogue, area, printed=PRINTED)
    pdf_pages_to_png(handout, f"handout-{key.replace(':', '_')}")
    assert _pages(handout) == 2
    text = _text(handout)
    assert not KEY_OR_CODE.findall(_outside_parentheses(text))
    assert "BU0153" not in text  # not even in parentheses: the handout is for residents
    for part in ("Belangrijkste cijfers, naast heel Enschede", "Wat valt op", "Bronnen en gegevensjaren"):
        assert part in text
    assert "Afgedrukt op zondag 29 november 2026" in text and "Uitleg bij de cijfers" not in text
    if len(area.codes) > 1:
        names = snap.names()
        assert f"Dit gebied bestaat uit {len(area.codes)} buurten" in text
        assert all(names[c] in " ".join(text.split()) for c in area.codes[:3])


def test_the_handout_in_english_is_english(snap, catalogue, broekheurne):
    handout = export.profile_pdf(snap, catalogue, broekheurne, lang="en", printed=PRINTED)
    pdf_pages_to_png(handout, "handout-en")
    text = _text(handout)
    assert _pages(handout) == 2
    assert "Headline figures, next to all of Enschede" in text and "Printed on Sunday, 29 November 2026" in text
    for dutch in ("Bron:", "afgeleid", "Afgedrukt", "inwoners", "Dit gebied", "Wat valt op"):
        assert dutch not in text, dutch


def test_the_full_profile_keeps_codes_in_parentheses_only(snap, catalogue):
    area = profile.find_area(profile.selectable_areas(snap), "BU01530905")
    full = export.profile_pdf(snap, catalogue, area, printed=PRINTED, full=True)
    pdf_pages_to_png(full[:], "full-BU01530905", scale=1.0)
    assert _pages(full) > 2  # the second choice: everything, with the explanation appendix
    assert not KEY_OR_CODE.findall(_outside_parentheses(_text(full)))


def test_long_position_labels_wrap_instead_of_being_cut(snap):
    doc = Document("Positie", printed=PRINTED)
    label = "Personen met een laag inkomen (laagste 40% van de personen in particuliere huishoudens)"
    doc.bars([Bar(label, 1.4, "38,2% (Enschede 30,1%) plaats 3 van 69", "more")])
    text = " ".join(_text(doc.to_bytes()).split())
    assert label in text and "…" not in text
