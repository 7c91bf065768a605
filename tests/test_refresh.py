"""The refresh command on recorded responses: a complete new snapshot, or the old one untouched.

Both live sources are local servers (tests/fixtures/live/fake_services.py); the snapshot is a copy of
``data/`` in a temporary folder. Nothing here reaches the network or touches ``data/``.
"""

from __future__ import annotations

import hashlib
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from enschede_gis import refresh, settings, snapshot
from tests.fixtures.live import fake_services as fake

SRC_2020 = "CBS StatLine 84799NED (Kerncijfers wijken en buurten 2020)"


@pytest.fixture
def services(monkeypatch):
    cbs, pdok = fake.Server(fake.CbsService()), fake.Server(fake.PdokService())
    fake.point_cbsodata_at(monkeypatch, cbs)
    fake.point_pdok_at(monkeypatch, pdok)
    yield cbs.service, pdok.service
    cbs.close()
    pdok.close()


@pytest.fixture
def data_dir(tmp_path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(settings.DATA_DIR, folder)
    return folder


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file in and next to the folder with its hash: 'untouched' means byte for byte."""
    return {
        str(path.relative_to(folder.parent)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.parent.rglob("*"))
        if path.is_file()
    }


def run(data_dir: Path, *args: str) -> int:
    return refresh.main(["--gemeente", "GM0153", "--year", "2020", "--data-dir", str(data_dir), *args])


def test_refresh_writes_a_complete_new_snapshot(services, data_dir, capsys):
    cbs, _ = services
    # A modified copy of the recorded rows, so the new figures can be told from the old ones.
    cbs.rows = [dict(r) for r in cbs.rows]
    for row in cbs.rows:
        if row["Codering_3"].strip() == "BU01530000":
            row["AantalInwoners_5"] = -99999999
    old = snapshot.load(data_dir)

    assert run(data_dir) == 0
    out = capsys.readouterr()
    assert "84799NED" in out.out and "70 buurt" in out.out and out.err == ""

    new = snapshot.load(data_dir)
    stats = new.statistics
    fig = stats.set_index(["code", "year", "indicator"])["value"]
    assert fig[("GM0153", 2020, "inwoners")] == 159_640
    assert math.isnan(fig[("BU01530000", 2020, "inwoners")])  # the sentinel, now missing
    y2020 = stats.loc[stats["year"] == 2020, "source"]
    rivm = y2020.str.startswith("RIVM")
    assert y2020[~rivm].str.startswith(SRC_2020).all()
    # RIVM's 2020 health estimates are another publisher's: a KWB refresh of 2020 keeps them as they were.
    before = old.statistics[old.statistics["source"].str.startswith("RIVM")].reset_index(drop=True)
    after = stats[stats["source"].str.startswith("RIVM")].sort_values(list(before.columns[:4])).reset_index(drop=True)
    pd.testing.assert_frame_equal(after, before.sort_values(list(before.columns[:4])).reset_index(drop=True))
    # Everything else is kept as it was: other years, and other gemeenten.
    for year in (2021, 2022, 2023, 2024):
        before = old.statistics[old.statistics["year"] == year].reset_index(drop=True)
        after = stats[stats["year"] == year].reset_index(drop=True)
        pd.testing.assert_frame_equal(before, after)
    assert len(new.regions) == len(old.regions) and set(new.regions["code"]) == set(old.regions["code"])
    assert {level: len(frame) for level, frame in new.boundaries.items()} == {"buurt": 70, "wijk": 10, "gemeente": 1}
    assert new.boundaries["buurt"].crs == settings.CRS_RD
    entry = new.manifest["refreshes"]["GM0153-2020"]
    assert entry["cbs_table"] == "84799NED" and entry["pdok_year"] == 2023
    assert new.manifest["boundary_year"] == 2023 and new.manifest["years"] == [2012, 2016, 2020, 2021, 2022, 2023, 2024]
    assert (data_dir / "PROVENANCE.md").read_bytes() == (settings.DATA_DIR / "PROVENANCE.md").read_bytes()
    assert not [p.name for p in data_dir.parent.iterdir() if p.name.startswith(".data-")]  # no staging left


def test_refresh_into_an_empty_folder(services, tmp_path):
    folder = tmp_path / "fresh"
    assert run(folder) == 0
    new = snapshot.load(folder)
    assert set(new.statistics["year"]) == {2020}
    assert new.manifest["gemeenten"] == ["GM0153"]
    assert set(new.regions["level"]) == {"gemeente", "wijk", "buurt"}


FAULTS = [
    ("cbs", "TypedDataSet", "timeout", "binnen"),
    ("cbs", "root", "500", "HTTP 500"),
    ("cbs", "TypedDataSet", "badjson", "geen geldige JSON"),
    ("cbs", "WijkenEnBuurten", "shape", "onverwachte vorm"),
    ("pdok", "wijken", "500", "HTTP 500"),  # buurten already fetched: a partial fetch
    ("pdok", "gemeenten", "timeout", "binnen"),
    ("pdok", "gemeenten", "badjson", "geen geldige JSON"),
    ("pdok", "buurten", "shape", "onverwachte vorm"),
]


@pytest.mark.parametrize(("service", "resource", "fault", "message"), FAULTS)
def test_failed_fetch_leaves_the_old_snapshot_untouched(
    services, data_dir, capsys, monkeypatch, service, resource, fault, message
):
    monkeypatch.setattr(settings, "HTTP_TIMEOUT_S", 2.0)  # a loaded 2-core CI runner can take 0.3 s to answer
    cbs, pdok = services
    (cbs if service == "cbs" else pdok).faults[resource] = fault
    before = fingerprint(data_dir)
    assert run(data_dir) == 1
    err = capsys.readouterr().err
    assert message in err and "ongewijzigd" in err and "Traceback" not in err
    assert fingerprint(data_dir) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--gemeente", "GM9999"], "GM9999"),
        (["--gemeente", "Enschede"], "geen geldige gemeentecode"),
        (["--year", "1999"], "1999"),
        (["--boundary-year", "2019"], "2019"),
    ],
)
def test_bad_input_leaves_the_old_snapshot_untouched(services, data_dir, capsys, args, message):
    before = fingerprint(data_dir)
    assert refresh.main(["--gemeente", "GM0153", "--year", "2020", "--data-dir", str(data_dir), *args]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert fingerprint(data_dir) == before


def test_buurt_codes_that_do_not_match_are_refused(services, data_dir, capsys):
    _, pdok = services
    pdok.extra["buurten"] = [{"buurtcode": "BU01539999", "buurtnaam": "Nieuw"}]
    before = fingerprint(data_dir)
    assert run(data_dir) == 1
    assert "BU01539999" in capsys.readouterr().err
    assert fingerprint(data_dir) == before


def test_a_failed_write_leaves_the_old_snapshot_untouched(services, data_dir, capsys, monkeypatch):
    calls = []

    def full_disk(self, path, *args, **kwargs):
        calls.append(path)
        if len(calls) == 2:  # regions: after the boundaries and statistics are written
            raise OSError(28, "No space left on device")
        return original(self, path, *args, **kwargs)

    original = pd.DataFrame.to_parquet
    monkeypatch.setattr(pd.DataFrame, "to_parquet", full_disk)
    before = fingerprint(data_dir)
    assert run(data_dir) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert fingerprint(data_dir) == before


def test_damaged_snapshot_is_not_overwritten(services, data_dir, capsys):
    (data_dir / "manifest.json").write_text("{not json", encoding="utf-8")
    before = fingerprint(data_dir)
    assert run(data_dir) == 1
    assert "manifest.json" in capsys.readouterr().err
    assert fingerprint(data_dir) == before


def test_command_line_gives_one_message_and_no_traceback(data_dir):
    before = fingerprint(data_dir)
    done = subprocess.run(
        [sys.executable, "-m", "enschede_gis.refresh", "--year", "1999", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        cwd=settings.REPO_ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "1999" in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1
    assert fingerprint(data_dir) == before


def test_default_boundary_year():
    assert refresh.default_boundary_year(2024) == 2024
    assert refresh.default_boundary_year(2020) == 2023
    assert refresh.default_boundary_year(2030) == 2025


# -- a range of years in one run (issue 13) ------------------------------------------------------------


@pytest.fixture
def three_tables(monkeypatch):
    """CBS answers for 2020, 2021 and 2022 (the recorded 84799NED bodies under each table id), PDOK 2023."""
    tables = (settings.KWB_TABLES[2020], settings.KWB_TABLES[2021], settings.KWB_TABLES[2022])
    cbs, pdok = fake.Server(fake.CbsService(tables=tables)), fake.Server(fake.PdokService())
    fake.point_cbsodata_at(monkeypatch, cbs)
    fake.point_pdok_at(monkeypatch, pdok)
    yield cbs.service
    cbs.close()
    pdok.close()


def _rows(snap: snapshot.Snapshot, year: int) -> pd.DataFrame:
    stats = snap.statistics
    return stats[stats["year"] == year].sort_values(["code", "indicator"]).reset_index(drop=True)


def test_refresh_over_a_range_keeps_what_it_has_for_a_year_that_fails(three_tables, data_dir, capsys):
    three_tables.table_faults[settings.KWB_TABLES[2022]] = "500"
    old = snapshot.load(data_dir)
    code = refresh.main(["--gemeente", "GM0153", "--years", "2020-2022", "--data-dir", str(data_dir)])
    out = capsys.readouterr()
    assert code == 0
    lines = out.out.splitlines()
    assert any(line.strip().startswith("2020:") and "84799NED" in line and "[ok]" in line for line in lines)
    assert any(line.strip().startswith("2021:") and "85039NED" in line and "[ok]" in line for line in lines)
    failed = next(line for line in lines if line.strip().startswith("2022:"))
    assert "HTTP 500" in failed and "behouden" in failed
    progress = [line for line in out.err.splitlines() if line.startswith("[")]
    assert [line.split("]")[1].split()[0] for line in progress] == ["0/3", "1/3", "2/3", "3/3"]
    new = snapshot.load(data_dir)
    pd.testing.assert_frame_equal(_rows(new, 2022), _rows(old, 2022))  # the failed year: as it was
    fetched_2021 = _rows(new, 2021)
    own = fetched_2021[fetched_2021["code"].str.startswith(("GM0153", "WK0153", "BU0153"))]
    assert own["source"].str.contains("85039NED").all()
    assert {"GM0153-2020", "GM0153-2021"} <= set(new.manifest["refreshes"])
    assert "GM0153-2022" not in new.manifest["refreshes"]


def test_refresh_over_a_range_where_every_year_fails_writes_nothing(three_tables, data_dir, capsys):
    for table in three_tables.tables:
        three_tables.table_faults[table] = "500"
    before = fingerprint(data_dir)
    code = refresh.main(["--gemeente", "GM0153", "--years", "2020,2021,2022", "--data-dir", str(data_dir)])
    err = capsys.readouterr().err
    assert code == 1 and "Geen enkel jaar" in err and "ongewijzigd" in err and "2021: " in err
    assert fingerprint(data_dir) == before


def test_parse_years():
    assert refresh.parse_years("2019-2021") == [2019, 2020, 2021]
    assert refresh.parse_years("2024, 2019,2021") == [2019, 2021, 2024]
    for bad in ("2021-2019", "twintig", "1999", ""):
        with pytest.raises(refresh.InputError):
            refresh.parse_years(bad)


def test_a_damaged_snapshot_says_how_to_recover_and_can_be_replaced(services, data_dir, capsys):
    (data_dir / "statistics.parquet").write_bytes(b"kapot")
    assert run(data_dir) == 1
    err = capsys.readouterr().err
    assert "beschadigd" in err and "git checkout -- data/" in err and "--replace-damaged" in err
    assert run(data_dir, "--replace-damaged") == 0
    new = snapshot.load(data_dir)
    assert st_years(new) == [2020] and new.manifest["refreshes"]["GM0153-2020"]["cbs_table"] == "84799NED"


def st_years(snap: snapshot.Snapshot) -> list[int]:
    return sorted(int(y) for y in snap.statistics["year"].unique())


def test_snapshot_swap_never_leaves_a_moment_without_the_folder(snap, tmp_path, monkeypatch):
    target = tmp_path / "data"
    snapshot.write(snap, target)
    renames = []
    real_replace = os.replace

    def watched(src, dst):
        renames.append((Path(src).name, Path(dst).name))
        return real_replace(src, dst)

    monkeypatch.setattr(snapshot.os, "replace", watched)
    synced = []
    monkeypatch.setattr(snapshot, "_fsync_tree", lambda folder: synced.append(sorted(p.name for p in folder.iterdir())))
    snapshot.write(snap, target)
    assert renames == []  # one atomic exchange, no rename aside
    assert "statistics.parquet" in synced[0] and "manifest.json" in synced[0]  # synced before the swap
    assert snapshot.load(target).statistics.shape == snap.statistics.shape
    assert [p.name for p in tmp_path.iterdir()] == ["data"]  # the old one removed, no staging left
    # Where the exchange is not available: rename aside, then into place.
    monkeypatch.setattr(snapshot, "_exchange", lambda a, b: False)
    snapshot.write(snap, target)
    assert [dst for _, dst in renames][-1] == "data" and [p.name for p in tmp_path.iterdir()] == ["data"]
