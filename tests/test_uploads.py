"""Own data uploads: good files import whole, each broken file is refused with its own message."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from enschede_gis import db, figures, profile, roles, uploads
from enschede_gis.errors import DataError, InputError
from enschede_gis.roles import PermissionDenied
from enschede_gis.uploads import ColumnSpec, UploadError

FIXTURES = Path(__file__).parent / "fixtures" / "uploads"
TEAM = roles.Actor(roles.Role.TEAM, "Anna")


@pytest.fixture(scope="module")
def known(snap):
    codes = snap.boundaries["buurt"]["code"].tolist() + snap.boundaries["wijk"]["code"].tolist()
    return {c for c in codes if c[2:6] == "0153"}


def _load(name: str) -> pd.DataFrame:
    return uploads.read_table(name, (FIXTURES / name).read_bytes())


def _import(name: str, known, specs=None, **kwargs) -> uploads.Dataset:
    frame = _load(name)
    layout = uploads.inspect(frame)
    specs = specs or [ColumnSpec(column=c, name=c) for c in layout.value_columns]
    return uploads.validate(
        frame,
        layout,
        specs,
        known_codes=known,
        source=kwargs.pop("source", "Buurtenquête 2023"),
        year=2023,
        file_name=name,
        **kwargs,
    )


def _problem(name: str, known, specs=None) -> uploads.Problem:
    with pytest.raises(UploadError) as caught:
        _import(name, known, specs)
    assert len(caught.value.problems) == 1, caught.value.messages()
    return caught.value.problems[0]


def test_good_csv_with_dutch_decimals_imports_whole(known):
    specs = [
        ColumnSpec(column="tevredenheid", name="Tevredenheid", unit="rapportcijfer", kind="average"),
        ColumnSpec(column="deelnemers", name="Deelnemers enquête", unit="personen", kind="count"),
    ]
    dataset = _import("enquete_buurten.csv", known, specs)
    assert dataset.level == "buurt"
    assert dataset.values["lokaal_tevredenheid"] == {
        "BU01530905": 7.4,
        "BU01530904": 6.9,
        "BU01530903": 8.1,
        "BU01530902": 7.0,
    }
    assert dataset.values["lokaal_deelnemers_enquete"]["BU01530903"] is None  # empty cell: missing, not 0


def test_good_wijk_file_and_excel_file(known):
    dataset = _import("partner_wijken.csv", known)
    assert dataset.level == "wijk" and dataset.values["lokaal_jongerenwerk_bereik"]["WK015308"] == 340
    buffer = io.BytesIO()
    pd.DataFrame({"Buurtcode": ["BU01530905", "BU01530906"], "Bankjes": [3, 5]}).to_excel(buffer, index=False)
    frame = uploads.read_table("bankjes.xlsx", buffer.getvalue())
    layout = uploads.inspect(frame)
    assert layout.code_column == "Buurtcode"
    dataset = uploads.validate(
        frame,
        layout,
        [ColumnSpec(column="Bankjes", name="Bankjes")],
        known_codes=known,
        source="Gemeente",
        year=2023,
        file_name="bankjes.xlsx",
    )
    assert dataset.values["lokaal_bankjes"] == {"BU01530905": 3.0, "BU01530906": 5.0}


@pytest.mark.parametrize(
    ("name", "code", "words"),
    [
        ("leeg.csv", "empty", "leeg"),
        ("alleen_kop.csv", "no_rows", "geen rijen met gegevens"),
        ("geen_tabel.csv", "not_a_table", "geen tabel"),
        ("plaatje.csv", "not_a_table", "geen tabel"),
        ("kapot.xlsx", "renamed_text", "is een tekstbestand"),
        ("geen_codekolom.csv", "no_code_column", "geen kolom met buurtcodes of wijkcodes"),
    ],
)
def test_files_that_are_no_usable_table(name, code, words):
    with pytest.raises(UploadError) as caught:
        uploads.inspect(_load(name))
    assert caught.value.problems[0].code == code
    assert words in str(caught.value)
    assert "niets opgeslagen" in str(caught.value)


@pytest.mark.parametrize(
    ("name", "code", "row", "column", "words"),
    [
        ("onbekende_code.csv", "unknown_code", 3, "buurtcode", "onbekende code 'BU01539999'"),
        ("dubbele_code.csv", "duplicate_code", 4, "buurtcode", "staat ook al op rij 2"),
        ("geen_getal.csv", "not_a_number", 3, "score", "'veel' is geen getal"),
        ("gemengd_niveau.csv", "mixed_level", 3, "code", "'WK015309' hoort bij een ander niveau"),
    ],
)
def test_broken_cells_are_reported_by_row_and_column(known, name, code, row, column, words):
    problem = _problem(name, known)
    assert (problem.code, problem.row, problem.column) == (code, row, column)
    message = problem.message("nl")
    assert message.startswith(f"Rij {row}, kolom '{column}': ") and words in message
    assert problem.message("en").startswith(f"Row {row}, column '{column}': ")


def test_percentage_outside_0_100(known):
    spec = [ColumnSpec(column="aandeel_tevreden", name="Aandeel tevreden", kind="percentage")]
    problem = _problem("percentage_buiten_bereik.csv", known, spec)
    assert (problem.code, problem.row) == ("percentage_range", 3)
    assert "120 is geen percentage tussen 0 en 100" in problem.message()


def test_dutch_numbers_parse():
    assert uploads.parse_number("12,5") == 12.5
    assert uploads.parse_number("1.234,5") == 1234.5
    assert uploads.parse_number("12.5") == 12.5
    assert uploads.parse_number(" 45 % ") == 45.0
    assert uploads.parse_number("") is None and uploads.parse_number(None) is None
    for bad in ("veel", "1,2,3", "12a"):
        with pytest.raises(ValueError):
            uploads.parse_number(bad)


def test_all_problems_are_listed_and_nothing_is_saved(known, isolated_state):
    frame = pd.DataFrame({"buurtcode": ["BU01530905", "XX", "BU01530905"], "score": ["7", "8", "x"]}, dtype=object)
    with pytest.raises(UploadError) as caught:
        uploads.validate(
            frame,
            uploads.inspect(frame),
            [ColumnSpec(column="score", name="Score")],
            known_codes=known,
            source="X",
            year=2023,
            file_name="x.csv",
        )
    assert [p.code for p in caught.value.problems] == ["unknown_code", "duplicate_code", "not_a_number"]
    assert uploads.load_datasets() == []


def test_missing_source_and_taken_name_are_refused(known):
    with pytest.raises(UploadError, match="bron"):
        _import("partner_wijken.csv", known, source="  ")
    first = _import("partner_wijken.csv", known)
    uploads.save_dataset(db.engine(), first, actor=TEAM)
    with pytest.raises(UploadError, match="bestaat al een eigen indicator"):
        _import("partner_wijken.csv", known, existing=uploads.load_datasets())
    # Checked again inside the save's transaction: a second upload made from a stale list is refused too.
    with pytest.raises(UploadError, match="bestaat al een eigen indicator"):
        uploads.save_dataset(db.engine(), first, actor=TEAM)


def test_datasets_persist_and_can_be_removed(known):
    eng = db.engine()
    dataset = _import("enquete_buurten.csv", known, [ColumnSpec(column="tevredenheid", name="T", kind="average")])
    with pytest.raises(PermissionDenied):
        uploads.save_dataset(eng, dataset, actor=roles.Actor(roles.Role.RESIDENT))
    assert uploads.save_dataset(eng, dataset, actor=TEAM) == dataset
    db.dispose_all()  # a fresh engine: what is stored survives a restart
    assert uploads.load_datasets() == [dataset]
    before = uploads.version()
    uploads.delete_dataset(db.engine(), dataset.id, actor=TEAM)
    assert uploads.load_datasets() == [] and uploads.version() != before
    with pytest.raises(InputError):
        uploads.delete_dataset(db.engine(), dataset.id, actor=TEAM)
    with db.writing(db.engine()) as conn:
        conn.execute(db.UPLOADS.insert().values(id="x", payload='{"id": 1}', version=1))
    with pytest.raises(DataError, match="beschadigd"):
        uploads.load_datasets()


def test_local_figures_join_the_catalogue_and_the_statistics(snap, catalogue, known):
    specs = [
        ColumnSpec(column="tevredenheid", name="Tevredenheid", unit="cijfer", kind="average"),
        ColumnSpec(column="deelnemers", name="Deelnemers", kind="count"),
    ]
    dataset = _import("enquete_buurten.csv", known, specs)
    merged = catalogue.with_local(uploads.local_indicators([dataset]))
    ind = merged["lokaal_tevredenheid"]
    assert ind.local and ind.theme == "lokaal" and ind.source_note == "Buurtenquête 2023"
    assert "eigen gegevens" in ind.label("nl") and merged.themes["lokaal"].label("nl") == "Eigen gegevens"
    local_snap = uploads.with_local(snap, [dataset])
    assert len(snap.statistics) + 8 == len(local_snap.statistics)
    table = figures.buurt_table(local_snap, year=2023)
    assert table.loc["BU01530905", "lokaal_tevredenheid"] == 7.4
    rows = local_snap.statistics[local_snap.statistics["indicator"] == "lokaal_deelnemers"]
    assert set(rows["source"]) == {"Lokaal: Buurtenquête 2023"}
    area = profile.Area("custom:X", "X", "custom", ("BU01530905", "BU01530904"))
    values = profile.area_values(local_snap, merged, area, year=2023)
    assert values["lokaal_deelnemers"] == 31 + 18  # counts add up
    assert np.isnan(values.get("lokaal_tevredenheid", np.nan))  # a survey average is never averaged
    figures_table = profile.key_figures(local_snap, merged, area, year=2023)
    local_row = figures_table.set_index("indicator").loc["lokaal_deelnemers"]
    assert local_row["source"] == "Eigen gegevens — Buurtenquête 2023" and local_row["local"]


def test_a_blank_header_gets_its_column_number(known):
    frame = uploads.read_table("x.csv", b"buurtcode;;score\nBU01530905;3;4\n")
    assert list(frame.columns) == ["buurtcode", "kolom 2", "score"]
    assert uploads.inspect(frame).value_columns == ("kolom 2", "score")
