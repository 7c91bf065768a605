"""The refresh command on recorded responses: a complete new snapshot, or the old one untouched.

Both live sources are local servers (tests/fixtures/live/fake_services.py); the snapshot is a copy of
``data/`` in a temporary folder. Nothing here reaches the network or touches ``data/``.
"""

from __future__ import annotations

import hashlib
import math
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
