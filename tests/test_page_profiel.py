"""AppTests for the profile, compare, custom-areas and own-data pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from enschede_gis import areas, db, uploads
from tests.page_helpers import TEAM, counting, explanations_offered, markdown_tables, rendered, run_page

FIXTURES = Path(__file__).parent / "fixtures" / "uploads"
KNOWN = {f"BU0153090{i}" for i in range(9)}


pytestmark = pytest.mark.usefixtures("fresh_caches")


def _run(page: str, at: AppTest | None = None, **params: str) -> AppTest:
    if at is None:
        return run_page(page, **params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# -- profile --------------------------------------------------------------------------------------


def test_profile_of_a_custom_area_from_the_url():
    areas.save_area(db.engine(), areas.parse_area("Broekheurne", ["BU01530905", "BU01530904"]), KNOWN, actor=TEAM)
    at = _run("profiel.py", gebied="custom:Broekheurne")
    assert at.selectbox(key="profiel_area").value == "custom:Broekheurne"
    assert at.selectbox(key="profiel_year").value == "latest"  # each figure at its latest year
    assert at.header[0].value == "Broekheurne"
    figures = markdown_tables(at)[0]  # the key figures: Markdown tables, one per theme
    row = figures[figures["Indicator"] == "Aantal inwoners"].iloc[0]
    assert row["Broekheurne"] == "1.785 inwoners" and row["Enschede"] == "161.738 inwoners"  # 1.500 + 285
    assert row["Jaar"] == "2024" and "85984NED" in row["Bron"]
    assert "jaar" not in at.query_params
    at.selectbox(key="profiel_year").set_value(2023)  # a cross-section of one year stays available
    at = _run("profiel.py", at)
    row = markdown_tables(at)[0].set_index("Indicator").loc["Aantal inwoners"]
    assert (
        row["Broekheurne"] == "1.820 inwoners"
        and row["Enschede"] == "161.235 inwoners"
        and row["Jaar"] == "2023"
        and "85618NED" in row["Bron"]
    )
    assert at.query_params["gebied"] in ("custom:Broekheurne", ["custom:Broekheurne"])
    labels = [b.label for b in at.get("download_button")]
    assert labels == [
        "Wijkpaspoort om mee te nemen (PDF, 2 pagina's)",
        "Volledig wijkpaspoort met uitleg (PDF)",
        "Tabel als CSV",
        "Tabel als Excel",
    ]


def _open_tab(at: AppTest, label: str) -> AppTest:
    """Choose a profile tab, as a click on it does (the tabs keep their choice in session state)."""
    at.session_state["profiel_tab"] = label
    return _run("profiel.py", at)


def test_profile_of_a_wijk_shows_spread_trends_and_the_definition_note():
    at = _run("profiel.py", gebied="WK015309", jaar="2023")
    assert at.header[0].value == "Wijk 09 Landelijk gebied en kernen"
    assert [t.label for t in at.tabs] == [
        "Kerncijfers",
        "Positie in de stad",
        "Verschillen binnen het gebied",
        "Vergelijkbare buurten",
        "Ontwikkeling",
    ]
    at = _open_tab(at, "Verschillen binnen het gebied")
    standouts = [df.value for df in at.dataframe if "SD van gebied" in df.value.columns]
    assert standouts and "Buurtschap Lonneker-West" in set(standouts[0]["Buurt"])
    at = _open_tab(at, "Vergelijkbare buurten")
    similar = [df.value for df in at.dataframe if "Afstand" in df.value.columns]
    assert len(similar[0]) == 5 and not set(similar[0]["Buurt"]) & {"Dorp Lonneker", "Buurtschap Broekheurne"}
    at = _open_tab(at, "Ontwikkeling")
    assert any("herkomstland" in w.value for w in at.warning)
    at.selectbox(key="profiel_year").set_value(2021)
    at = _run("profiel.py", at)
    assert at.query_params["jaar"] in ("2021", ["2021"])
    assert any("herkomstland" in w.value for w in at.warning)  # the open tab stays open


def test_profile_in_english_and_a_buurt_has_no_spread():
    at = _run("profiel.py", gebied="BU01530905", lang="en")
    assert at.title[0].value == "Area profile"
    at = _open_tab(at, "Differences within the area")
    assert any("single neighbourhood" in i.value for i in at.info)


def test_gemeente_in_a_year_without_buurt_figures_still_renders():
    at = _run("profiel.py", gebied="GM0153", jaar="2022")
    assert at.selectbox(key="profiel_year").value == 2022
    at = _open_tab(at, "Vergelijkbare buurten")
    assert any("geen vergelijkbare buurten" in i.value.lower() for i in at.info)
    at = _open_tab(at, "Ontwikkeling")
    assert any(w.value.startswith("Herkomst") for w in at.warning)


@pytest.fixture
def deferred(monkeypatch) -> dict:
    """The download buttons' deferred files by file name: what a click on the button runs."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    found: dict[str, object] = {}
    real_add = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        found[file_name] = data_callable
        return real_add(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return found


def test_only_the_open_tab_is_computed_and_a_download_is_built_when_clicked(monkeypatch, deferred):
    from enschede_gis import export, profile, provenance

    computed = counting(monkeypatch, profile, ["position", "spread", "trends", "similar_for_area"])
    built = counting(monkeypatch, export, ["profile_pdf", "profile_csv", "profile_excel"])
    held = counting(monkeypatch, provenance, ["not_held"])
    at = _run("profiel.py", gebied="WK015309", jaar="2023")
    assert markdown_tables(at)[0]["Indicator"].iloc[0]  # the key figures are shown
    assert computed == dict.fromkeys(computed, 0)  # no closed tab was computed
    assert built == dict.fromkeys(built, 0)  # no download was built
    assert [b.proto.deferred_file_id != "" for b in at.get("download_button")] == [True] * 4

    # a click on "Tabel als Excel" runs the deferred callable: the workbook, built once, then
    excel = deferred["wijkpaspoort_Wijk_09_Landelijk_gebied_en_kernen_2023.xlsx"]()
    assert excel[:2] == b"PK" and built["profile_excel"] == 1
    csv = deferred["wijkpaspoort_Wijk_09_Landelijk_gebied_en_kernen_2023.csv"]().decode("utf-8-sig")
    assert "Aantal inwoners" in csv and built == {"profile_pdf": 0, "profile_csv": 1, "profile_excel": 1}

    at = _open_tab(at, "Positie in de stad")
    assert computed == {"position": 1, "spread": 0, "trends": 0, "similar_for_area": 0}
    assert held["not_held"] == 1  # what the snapshot lacks: found once, not on every run
    assert at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart")  # the position chart


def test_the_first_screen_of_another_session_computes_nothing_again(monkeypatch):
    from enschede_gis import profile, provenance

    computed = counting(monkeypatch, profile, ["key_figures"])
    held = counting(monkeypatch, provenance, ["not_held"])
    first = _run("profiel.py", gebied="WK015303")
    second = _run("profiel.py", gebied="WK015303")  # a new session, the same area and data
    assert computed["key_figures"] == 1 and held["not_held"] == 1
    assert markdown_tables(first)[0].equals(markdown_tables(second)[0])


def test_a_choice_in_a_closed_tab_and_the_open_tab_survive_tabs_and_language(monkeypatch):
    at = _run("profiel.py", gebied="WK015309")
    at = _open_tab(at, "Ontwikkeling")
    assert at.selectbox(key="profiel_trend").value == "inwoners"  # the first of the PDF's trend figures
    at.selectbox(key="profiel_trend").set_value("huishoudens")
    at = _run("profiel.py", at)
    at = _open_tab(at, "Kerncijfers")
    assert not [s for s in at.selectbox if s.key == "profiel_trend"]  # not drawn while its tab is closed
    at = _open_tab(at, "Ontwikkeling")
    assert at.selectbox(key="profiel_trend").value == "huishoudens"  # kept, not back to the default
    at.query_params["lang"] = "en"
    at = _run("profiel.py", at)
    assert at.session_state["profiel_tab"] == "Trends"  # the same tab, now in English
    assert at.selectbox(key="profiel_trend").value == "huishoudens"
    assert "profiel_tab" not in at.query_params  # the open tab is not put in the link


# -- compare ----------------------------------------------------------------------------------------


def test_compare_puts_areas_side_by_side(monkeypatch, deferred):
    from enschede_gis import export

    built = counting(monkeypatch, export, ["to_csv"])
    areas.save_area(db.engine(), areas.parse_area("Broekheurne", ["BU01530905", "BU01530904"]), KNOWN, actor=TEAM)
    at = _run("vergelijken.py", gebieden="custom:Broekheurne,WK015309,GM0153")
    first = at.dataframe[0].value
    assert list(first.columns) == ["Indicator", "Broekheurne", "Wijk 09 Landelijk gebied en kernen", "Enschede"]
    row = first[first["Indicator"] == "Aantal inwoners"].iloc[0]
    assert row["Broekheurne"] == "1.785 inwoners (2024)" and row["Enschede"] == "161.738 inwoners (2024)"
    shown = [label for frame in at.dataframe for label in frame.value["Indicator"]]
    assert explanations_offered(at, "vergelijken_explain") == shown  # every figure on the page, in order
    assert built["to_csv"] == 0  # the CSV is made when its button is clicked
    csv = deferred["vergelijking_nieuwste.csv"]().decode("utf-8-sig")
    assert "Broekheurne" in csv.splitlines()[0] and "1.785 inwoners (2024)" in csv
    at.multiselect(key="vergelijken_areas").set_value(["GM0153"])
    at = _run("vergelijken.py", at)
    assert any("minstens twee" in i.value for i in at.info)


# -- custom areas -----------------------------------------------------------------------------------


def test_define_edit_and_delete_a_custom_area():
    at = _run("gebieden.py")
    assert any("nog geen eigen gebieden" in i.value for i in at.info)
    at.text_input[0].set_value("Gebiedsproces <Broekheurne>")
    at.multiselect[0].set_value(["BU01530905", "BU01530904"])
    at.button[0].click()
    at = _run("gebieden.py", at)
    assert at.success[0].value == "Gebied 'Gebiedsproces \\<Broekheurne\\>' is opgeslagen."
    assert [a.name for a in areas.load_areas()] == ["Gebiedsproces <Broekheurne>"]
    assert at.dataframe[0].value.iloc[0]["Aantal buurten"] == 2

    at.selectbox(key="gebieden_choice").set_value("Gebiedsproces <Broekheurne>")
    at = _run("gebieden.py", at)
    assert at.text_input[0].value == "Gebiedsproces <Broekheurne>"
    at.text_input[0].set_value("Broekheurne")
    at.multiselect[0].set_value(["BU01530905"])
    at.button[0].click()
    at = _run("gebieden.py", at)
    assert [(a.name, a.codes) for a in areas.load_areas()] == [("Broekheurne", ("BU01530905",))]

    at.selectbox(key="gebieden_choice").set_value("Broekheurne")
    at = _run("gebieden.py", at)
    at.button(key="gebieden_delete").click()
    at = _run("gebieden.py", at)
    assert areas.load_areas() == []
    assert "verwijderd" in at.success[0].value


def test_an_invalid_area_gives_one_message_and_saves_nothing():
    at = _run("gebieden.py")
    at.text_input[0].set_value("Leeg")
    at.button[0].click()
    at.run()
    assert len(at.error) == 1 and rendered(at.error[0].value).startswith("Ongeldig gebied: buurten:")
    assert areas.load_areas() == []


# -- own data ---------------------------------------------------------------------------------------


def test_upload_good_file_then_remove_it():
    at = _run("eigen_gegevens.py")
    data = (FIXTURES / "enquete_buurten.csv").read_bytes()
    at.file_uploader[0].set_value(("enquete_buurten.csv", data, "text/csv"))
    at = _run("eigen_gegevens.py", at)
    assert "codekolom 'buurtcode'" in at.info[0].value
    at.text_input(key="eigen_source").set_value("Buurtenquête Broekheurne")
    at.selectbox(key="eigen_year").set_value(2023)
    at.selectbox(key="eigen_kind_tevredenheid").set_value("average")
    at.button[0].click()
    at = _run("eigen_gegevens.py", at)
    assert "Ingelezen: 2 indicator(en)" in at.success[0].value
    stored = uploads.load_datasets()
    assert len(stored) == 1 and stored[0].values["lokaal_tevredenheid"]["BU01530905"] == 7.4

    # the local figure now shows on the profile page, marked as own data
    profile_at = _run("profiel.py", gebied="BU01530905")
    local = [df for df in markdown_tables(profile_at) if "Bron" in df.columns]
    rows = [df[df["Indicator"] == "tevredenheid (eigen gegevens)"] for df in local]
    row = next(r for r in rows if not r.empty).iloc[0]
    assert row["Buurtschap Broekheurne (BU01530905)"] == "7,4"
    assert row["Bron"] == "Eigen gegevens — Buurtenquête Broekheurne"

    at.button(key="eigen_remove_button").click()
    at = _run("eigen_gegevens.py", at)
    assert uploads.load_datasets() == []


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("geen_getal.csv", "'veel' is geen getal"),
        ("dubbele_code.csv", "staat ook al op rij 2"),
        ("onbekende_code.csv", "onbekende code 'BU01539999'"),
    ],
)
def test_broken_uploads_are_listed_by_row_and_nothing_is_saved(name, words):
    at = _run("eigen_gegevens.py")
    at.file_uploader[0].set_value((name, (FIXTURES / name).read_bytes(), "text/csv"))
    at = _run("eigen_gegevens.py", at)
    at.text_input(key="eigen_source").set_value("Test")
    at.button[0].click()
    at = _run("eigen_gegevens.py", at)
    assert "niets opgeslagen" in at.error[0].value
    problems = at.dataframe[-1].value
    assert any(words in text for text in problems["Probleem"])
    assert list(problems.columns) == ["Rij", "Kolom", "Probleem"]
    assert uploads.load_datasets() == []


def test_a_file_that_is_not_a_table_is_refused_at_once():
    at = _run("eigen_gegevens.py", lang="en")
    at.file_uploader[0].set_value(("geen_tabel.csv", (FIXTURES / "geen_tabel.csv").read_bytes(), "text/csv"))
    at = _run("eigen_gegevens.py", at)
    assert "nothing was saved" in at.error[0].value
    assert "not a table" in at.dataframe[0].value["Problem"][0]
