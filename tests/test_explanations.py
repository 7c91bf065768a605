"""Plain-language explanations: every indicator has them, and the block adds sources and years."""

from __future__ import annotations

import io
import re
import tomllib

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader

from enschede_gis import explain, i18n
from enschede_gis.indicators import Catalogue, Indicator
from enschede_gis.pdf import Document

#: B1 guidance: short sentences. Longer than this reads as official language.
MAX_WORDS_PER_SENTENCE = 30


def _indicator(**fields) -> Indicator:
    base = dict(
        key="nieuw",
        theme="bevolking",
        label_nl="Nieuw cijfer",
        label_en="New figure",
        unit_nl="personen",
        unit_en="persons",
        kind="count",
        aggregation="sum",
        direction="neutral",
    )
    return Indicator(**(base | fields))


def _stats(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["code", "level", "year", "indicator", "value", "source"])


def test_every_catalogue_indicator_is_explained_in_both_languages(catalogue):
    problems = []
    for ind in catalogue:
        for field in ("explanation_nl", "explanation_en", "caveat_nl", "caveat_en"):
            text = getattr(ind, field).strip()
            if len(text) < 20:
                problems.append(f"{ind.key}.{field} is missing or too short")
        if ind.explanation_nl.strip() == ind.explanation_en.strip():
            problems.append(f"{ind.key}: Dutch and English explanation are the same text")
    assert not problems, "\n".join(problems)
    assert explain.missing_text(catalogue) == []


def test_dutch_explanations_use_short_sentences(catalogue):
    long = []
    for ind in catalogue:
        for text in (ind.explanation_nl, ind.caveat_nl):
            for sentence in re.split(r"(?<=[.!?])\s+", text):
                if len(sentence.split()) > MAX_WORDS_PER_SENTENCE:
                    long.append(f"{ind.key}: {sentence}")
    assert not long, "\n".join(long)


def test_an_indicator_added_later_without_text_is_caught(catalogue):
    bare = _indicator()
    half = _indicator(key="half", explanation_nl="Uitleg in het Nederlands.", caveat_nl="Wat het niet zegt.")
    extended = Catalogue(indicators={**catalogue.indicators, "nieuw": bare, "half": half}, themes=catalogue.themes)
    assert explain.missing_text(extended) == ["nieuw", "half"]


def test_local_uploads_are_exempt_and_say_they_are_not_cbs_figures():
    own = _indicator(
        key="meldingen",
        theme="lokaal",
        local=True,
        source_note="Gebiedsteam Oost",
        explanation_nl="Eigen gegevens — Gebiedsteam Oost (meldingen.csv, 2024); geen CBS-cijfer.",
        explanation_en="Own data — Gebiedsteam Oost (meldingen.csv, 2024); not a CBS figure.",
    )
    assert explain.has_text(own)
    stats = _stats([("BU01530000", "buurt", 2024, "meldingen", 12.0, "Lokaal: Gebiedsteam Oost")])
    block = explain.explanation(own, stats, "nl")
    assert "Gebiedsteam Oost" in block.what
    assert block.caveat == i18n.t("uitleg.local_caveat", "nl")
    assert block.sources == ("2024: Lokaal: Gebiedsteam Oost",)


def test_block_lists_source_tables_and_years_found_in_the_statistics(catalogue):
    stats = _stats(
        [
            ("BU01530000", "buurt", 2020, "pct_0_15", 17.0, "Tabel A 2020"),
            ("BU01530001", "buurt", 2020, "pct_0_15", 12.0, "Tabel A 2020"),
            ("WK015300", "wijk", 2023, "pct_0_15", 15.0, "Tabel B 2023; afgeleid: leeftijd_0_15 / inwoners"),
            ("BU01530000", "buurt", 2024, "pct_0_15", np.nan, "Tabel C 2024"),  # published as missing
            ("BU01530000", "buurt", 2024, "inwoners", 100.0, "Tabel C 2024"),
        ]
    )
    ind = catalogue["pct_0_15"]
    block = explain.explanation(ind, stats, "nl", catalogue=catalogue)
    assert block.years == (2020, 2023)  # 2024 has no value for this indicator
    assert block.sources == (
        "2020: Tabel A 2020",
        "2023: Tabel B 2023, door Wijkbeeld uitgerekend uit de gepubliceerde aantallen",
    )
    text = explain.explanation_block(ind, stats, "nl", catalogue=catalogue)
    assert text.splitlines()[0] == "Aandeel 0 tot 15 jaar (%)"
    assert ind.explanation_nl in text and ind.caveat_nl in text
    assert "Bron: 2020: Tabel A 2020; 2023: Tabel B 2023" in text
    assert "Jaren: 2020, 2023" in text
    assert "'onbekend', nooit 0" in text
    # the level limits sources and years to that level
    only_buurt = explain.explanation(ind, stats, "en", level="buurt")
    assert only_buurt.years == (2020,) and only_buurt.sources == ("2020: Tabel A 2020",)
    assert "Source: 2020: Tabel A 2020" in only_buurt.as_text()


def test_rule_text_follows_the_aggregation_rule(catalogue):
    stats = _stats([])
    weighted = explain.explanation(catalogue["inkomen_per_inwoner"], stats, "nl", catalogue=catalogue)
    assert "gewogen naar aantal inwoners" in weighted.combine
    assert "telt Wijkbeeld de aantallen van de buurten op" in explain.explanation(catalogue["inwoners"], stats).combine
    assert "'onbekend'" in explain.explanation(catalogue["woz_waarde"], stats).combine  # rule none
    english = explain.explanation(catalogue["bevolkingsdichtheid"], stats, "en")
    assert "land area" in english.combine
    assert "no figures in this app's data" in english.as_text()


def test_a_figure_without_caveat_has_no_empty_line():
    score = _indicator(key="score", explanation_nl="Een score van 0 tot 1.", aggregation="none", kind="average")
    labels = [label for label, _ in explain.explanation(score, _stats([]), "nl").parts()]
    assert labels == ["Wat het is", "Voor een groter gebied", "Bron", "Jaren"]


def test_real_snapshot_block_names_the_cbs_tables(snap, catalogue):
    text = explain.explanation_block(catalogue["woz_waarde"], snap.statistics, "nl", level="buurt")
    assert "85618NED" in text and "2023" in text
    assert "WOZ-waarde" in text


def test_add_to_pdf_writes_each_indicator_once(snap, catalogue):
    doc = Document("Test")
    chosen = [catalogue["inwoners"], catalogue["woz_waarde"], catalogue["inwoners"]]
    explain.add_to_pdf(doc, chosen, snap.statistics, "nl", catalogue=catalogue)
    reader = PdfReader(io.BytesIO(doc.to_bytes()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Uitleg bij de cijfers" in text
    assert text.count("Aantal inwoners (inwoners)") == 1
    assert "Gemiddelde WOZ-waarde van woningen" in text
    assert "Wat het niet zegt:" in text and "Geen verkoopprijs" in text


def test_add_to_pdf_without_indicators_adds_nothing(snap):
    doc = Document("Leeg")
    explain.add_to_pdf(doc, [], snap.statistics, "nl")
    reader = PdfReader(io.BytesIO(doc.to_bytes()))
    assert "Uitleg" not in reader.pages[0].extract_text()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_uitleg_strings_exist_in_both_languages(lang):
    raw = tomllib.loads((i18n.LOCALE_DIR / "uitleg.toml").read_text(encoding="utf-8"))
    keys = [k for k in i18n.strings() if k.startswith("uitleg.")]
    assert "uitleg" in raw and keys
    assert all(i18n.strings()[k].get(lang) for k in keys)


def _explain_page(key: str, level: str | None) -> None:
    import app_state as ui

    ui.explain_button(ui.catalogue()[key], level=level, key="test_button")


@pytest.mark.parametrize(
    ("lang", "label", "part"), [("nl", "Uitleg", "Wat het niet zegt"), ("en", "Explanation", "Source")]
)
def test_explain_button_shows_the_block_in_a_popover(lang, label, part):
    from streamlit.testing.v1 import AppTest

    _clear_caches()
    at = AppTest.from_function(_explain_page, kwargs={"key": "woz_waarde", "level": "buurt"})
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    popovers = at.get("popover")
    assert [p.proto.popover.label for p in popovers] == [label]
    assert not popovers[0].children  # closed: nothing drawn inside
    at.session_state["test_button_open"] = True  # a click opens it
    popovers = at.run().get("popover")
    texts = [child.value for child in popovers[0].children.values()]
    assert texts[0].startswith("**")
    assert any(part in text for text in texts)
    assert any("85618NED" in text for text in texts)


def _picker_page() -> None:
    import app_state as ui

    cat = ui.catalogue()
    ui.explain_picker([cat["inwoners"], cat["woz_waarde"], cat["inwoners"]], key="test")


def test_explain_picker_shows_the_chosen_figure():
    from streamlit.testing.v1 import AppTest

    _clear_caches()
    at = AppTest.from_function(_picker_page)
    at.run()
    assert not at.exception
    at.session_state["test_open"] = True  # open the popover, as a click does
    at.run()
    choice = at.selectbox(key="test_choice")
    assert choice.options == ["Aantal inwoners", "Gemiddelde WOZ-waarde van woningen"]
    choice.select_index(1).run()
    texts = [m.value for m in at.markdown]
    assert texts[0] == "**Gemiddelde WOZ\\-waarde van woningen \\(x € 1\\.000\\)**"
    assert any("Geen verkoopprijs" in text for text in texts)


def _clear_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
