import ast
import json
from pathlib import Path

import pytest

from enschede_gis import i18n, settings, snapshot
from enschede_gis.errors import DataError
from enschede_gis.indicators import load_catalogue

PACKAGE = Path(__file__).resolve().parents[1] / "enschede_gis"


def test_boundaries_have_standard_columns_in_rd(snap):
    assert len(snap.boundaries["buurt"]) == 70
    assert len(snap.boundaries["wijk"]) == 10
    assert len(snap.boundaries["gemeente"]) == 1
    for frame in snap.boundaries.values():
        assert list(frame.columns) == snapshot.BOUNDARY_COLUMNS
        assert frame.crs.to_epsg() == 28992
    names = dict(zip(snap.boundaries["buurt"]["code"], snap.boundaries["buurt"]["name"], strict=True))
    assert names["BU01530301"] == "Twekkelerveld"
    assert names["BU01530905"] == "Buurtschap Broekheurne"


def test_write_is_atomic_and_a_failure_leaves_the_old_snapshot(snap, tmp_path, monkeypatch):
    target = tmp_path / "data"
    snapshot.write(snap, target)
    (target / "PROVENANCE.md").write_text("kept")
    before = (target / "statistics.parquet").read_bytes()

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("pandas.DataFrame.to_parquet", boom)
    with pytest.raises(OSError):
        snapshot.write(snap, target)
    assert (target / "statistics.parquet").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".data-new")]
    monkeypatch.undo()
    snapshot.write(snap, target)
    assert (target / "PROVENANCE.md").read_text() == "kept"
    assert snapshot.load(target).statistics.shape == snap.statistics.shape


def test_missing_and_corrupt_snapshot_files_name_the_file(snap, tmp_path):
    target = tmp_path / "data"
    with pytest.raises(DataError, match="manifest.json"):
        snapshot.load(target)
    snapshot.write(snap, target)
    (target / "wijken.parquet").write_bytes(b"not parquet")
    with pytest.raises(DataError, match="wijken.parquet is beschadigd of geen GeoParquet"):
        snapshot.load(target)
    (target / "wijken.parquet").unlink()
    with pytest.raises(DataError, match="ontbreekt in de gegevensmap: wijken.parquet") as caught:
        snapshot.load(target)
    assert caught.value.message("en") == "File missing from the data folder: wijken.parquet"
    snapshot.write(snap, target)
    (target / "statistics.parquet").write_bytes(b"kapot")
    with pytest.raises(DataError, match="statistics.parquet is beschadigd of geen Parquet"):
        snapshot.load(target)


def test_provenance_and_manifest_are_kept_with_the_data():
    assert "CC BY 4.0" in (settings.DATA_DIR / "PROVENANCE.md").read_text()
    manifest = json.loads((settings.DATA_DIR / "manifest.json").read_text())
    assert manifest["attribution"] == settings.ATTRIBUTION


def test_catalogue_is_complete_and_consistent(catalogue):
    assert len(catalogue) > 40
    for ind in catalogue:
        assert ind.label_nl and ind.label_en and ind.unit_nl and ind.unit_en, ind.key
        assert ind.theme in catalogue.themes
    assert catalogue["pct_0_15"].numerator == "leeftijd_0_15"
    assert catalogue["bijstand_per_1000"].direction == "higher_worse"


def test_broken_catalogue_names_the_entry(tmp_path):
    bad = tmp_path / "c.toml"
    bad.write_text(
        '[[indicator]]\nkey = "x"\ntheme = "t"\nlabel_nl = "a"\nlabel_en = "a"\nunit_nl = ""\n'
        'unit_en = ""\nkind = "count"\naggregation = "weighted"\ndirection = "neutral"\n'
    )
    with pytest.raises(DataError, match="'x'.*weight"):
        load_catalogue(bad)


def test_dutch_number_format(catalogue):
    assert catalogue["inwoners"].format(159732) == "159.732 inwoners"
    assert catalogue["pct_0_15"].format(12.34) == "12,3%"
    assert catalogue["pct_0_15"].format(12.34, "en") == "12.3%"
    assert catalogue["inwoners"].format(float("nan")) == "onbekend"


def test_every_ui_string_has_both_languages():
    for key, entry in i18n.strings().items():
        assert entry.get("nl") and entry.get("en"), key


def test_package_never_imports_streamlit():
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "streamlit" for n in names), path


# -- new real data (issue 13): RIVM health, businesses 2022, WOZ 2024 ---------------------------------

SHARED = Path("/work/shared/data")
HEALTH_FILE = SHARED / "enschede_rivm_gezondheid_wijk_buurt_50090NED_2012_2016_2020.csv"


@pytest.mark.skipif(not HEALTH_FILE.exists(), reason="the shared source files are not on this machine")
def test_twekkelerveld_health_2020_matches_the_rivm_source_file(snap, catalogue):
    import pandas as pd

    source = pd.read_csv(HEALTH_FILE, dtype={"Leeftijd": str})
    ages = {"gezondheid": "20300", "gezondheid_65": "80200"}
    stats = snap.statistics
    checked = 0
    for ind in catalogue:
        if ind.theme not in ages:
            continue
        age, key = ind.sources.rivm.split(":")
        assert age == ages[ind.theme]
        row = source[(source["Codering_3"].str.strip() == "BU01530301") & (source["Leeftijd"] == age)]
        row = row[row["Perioden"].str.startswith("2020")].iloc[0]
        column = next(c for c in source.columns if c.rsplit("_", 1)[0] == key)
        ours = stats[(stats["code"] == "BU01530301") & (stats["year"] == 2020) & (stats["indicator"] == ind.key)]
        if pd.isna(row[column]):
            assert ours.empty or ours["value"].isna().all()
        else:
            assert ours["value"].item() == pytest.approx(float(row[column])), ind.key
            assert "50090NED" in ours["source"].item() and "modelschatting" in ours["source"].item()
            checked += 1
    assert checked >= 60  # 35 indicators for 18+ and for 65+, a few not estimated


def test_health_figures_are_labelled_as_estimates_and_never_aggregated(snap, catalogue):
    from enschede_gis import profile

    health = [ind for ind in catalogue if ind.theme in ("gezondheid", "gezondheid_65")]
    assert len(health) == 70
    for ind in health:
        assert ind.aggregation == "none" and ind.kind == "percentage"
        assert "schatting" in ind.label_nl and "estimate" in ind.label_en
        assert "modelschatting" in ind.explanation_nl and "model estimate" in ind.explanation_en
        assert "modelschatting" in catalogue.themes[ind.theme].label_nl
    custom = profile.Area("custom:Test", "Test", "custom", ("BU01530301", "BU01530300"))
    values = profile.area_values(snap, catalogue, custom, year=2020)
    assert values.reindex([i.key for i in health]).isna().all()  # no aggregated estimate for a custom area
    table = profile.key_figures(snap, catalogue, custom).set_index("indicator")
    assert (table.loc["gez_eenzaam", "text"], table.loc["gez_eenzaam", "coverage"]) == ("onbekend", "")
    # RIVM's own wijk value is used for a wijk (published, not computed), next to Enschede and NL of 2020.
    wijk = profile.key_figures(snap, catalogue, profile.find_area(profile.selectable_areas(snap), "WK015303"))
    row = wijk.set_index("indicator").loc["gez_moeite_rondkomen"]
    assert row["year"] == 2020 and "50090NED" in row["source"] and "berekend" not in row["source"]
    assert row["Enschede"] == pytest.approx(17.2) and row["Nederland"] == pytest.approx(13.9)


def test_businesses_2022_and_woz_2024_per_buurt(snap):
    stats = snap.statistics

    def value(code, year, key):
        rows = stats[(stats["code"] == code) & (stats["year"] == year) & (stats["indicator"] == key)]
        return rows["value"].item()

    b2022 = stats[(stats["year"] == 2022) & (stats["level"] == "buurt") & (stats["indicator"] == "bedrijfsvestigingen")]
    assert len(b2022) == 70 and b2022["value"].sum() == 16165  # PROVENANCE section 17
    assert value("BU01530000", 2022, "bedrijven_handel_horeca") == 410
    woz = stats[(stats["year"] == 2024) & (stats["level"] == "buurt") & (stats["indicator"] == "woz_waarde")]
    assert woz["value"].notna().sum() == 67
    assert value("BU01530200", 2024, "woz_waarde") == 342  # the outlier named in PROVENANCE section 18


def test_the_catalogue_knows_every_kwb_2024_variable(catalogue):
    import pandas as pd

    from enschede_gis import statistics as st

    variables = SHARED / "cbs_85984NED_kwb2024_variables.csv"
    if not variables.exists():
        pytest.skip("the shared source files are not on this machine")
    topics = pd.read_csv(variables).query("Type == 'Topic'")["Key"]
    codes = {"Gemeentenaam_1", "SoortRegio_2", "Codering_3", "IndelingswijzigingGemeenteWijkBuurt_4"}
    codes |= {"MeestVoorkomendePostcode_125", "Dekkingspercentage_126"}  # region codes, not figures
    figures = [key for key in topics if key not in codes]
    matched = st.source_columns(catalogue, figures, "cbs")
    assert sorted(set(figures) - set(matched)) == []
    assert len(set(matched.values())) == len(figures)  # electricity and gas per dwelling type kept apart
    assert matched["Appartement_54"] != matched["Appartement_62"]
    # Honest rules: counts sum; dwelling shares weighted by the dwelling stock; the rest is not aggregated.
    assert catalogue[matched["Motorfietsen_116"]].aggregation == "sum"
    assert catalogue[matched["Koopwoningen_47"]].weight == "woningvoorraad"
    assert catalogue[matched["MediaanVermogenVanParticuliereHuish_93"]].aggregation == "none"
    assert catalogue[matched["GeboorteRelatief_26"]].numerator == matched["GeboorteTotaal_25"]


def test_figures_the_snapshot_lacks_are_listed_as_available_after_a_refresh(snap, catalogue):
    from enschede_gis import provenance

    missing = provenance.not_held(snap.statistics, catalogue)
    labels = {label for group in missing.values() for label in group}
    assert "Koopwoningen" in labels and "Gemiddelde elektriciteitslevering, appartement" in labels
    assert "Aantal inwoners" not in labels
    table = provenance.coverage(snap.statistics, catalogue, "GM0153").set_index("indicator")
    assert table.at["kwb_koopwoningen", "sources"] == "beschikbaar na verversen"


def test_theme_label_names_a_theme_in_the_language_and_an_unknown_one_by_its_key():
    catalogue = load_catalogue()
    assert catalogue.theme_label("bevolking") == "Bevolking"
    assert catalogue.theme_label("bedrijvigheid", "en") == "Businesses"
    assert catalogue.theme_label("eigen-thema") == "eigen-thema"
