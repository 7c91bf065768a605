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
