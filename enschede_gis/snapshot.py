"""Reading and writing the embedded snapshot (``data/``).

A snapshot is a folder with:

- ``buurten.parquet``, ``wijken.parquet``, ``gemeenten.parquet``: GeoParquet boundaries in RD New with
  the standard columns ``code, name, level, wijkcode, gemeentecode, geometry``;
- ``statistics.parquet``: the long table of :mod:`enschede_gis.statistics`;
- ``regions.parquet``: code, name, level, wijkcode, gemeentecode of every region with figures
  (including the other gemeenten used for comparison);
- ``manifest.json``: what is in it, when it was made, from which sources.

Writing is atomic: everything goes to a temporary sibling folder, is synced to disk, and only then
takes the old one's place (in one atomic exchange on Linux, so ``data/`` never disappears, not even for
a moment); a failed refresh leaves the old snapshot as it was.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from enschede_gis import settings
from enschede_gis.errors import DataError

if TYPE_CHECKING:  # imported where a snapshot is read: the light area index shares this module
    import geopandas as gpd
    import pandas as pd

BOUNDARY_FILES = {"buurt": "buurten.parquet", "wijk": "wijken.parquet", "gemeente": "gemeenten.parquet"}
STATS_FILE = "statistics.parquet"
REGIONS_FILE = "regions.parquet"
MANIFEST_FILE = "manifest.json"
BOUNDARY_COLUMNS = ["code", "name", "level", "wijkcode", "gemeentecode", "geometry"]
KEEP_FILES = ("PROVENANCE.md",)  # carried over from the old snapshot on refresh


@dataclass(frozen=True)
class Snapshot:
    """Everything the app shows, loaded from one folder."""

    boundaries: dict[str, gpd.GeoDataFrame]
    statistics: pd.DataFrame
    regions: pd.DataFrame
    manifest: dict = field(default_factory=dict)

    def names(self) -> dict[str, str]:
        return dict(zip(self.regions["code"], self.regions["name"], strict=False))


def load(data_dir: Path | None = None) -> Snapshot:
    """Load a snapshot; a missing or damaged file gives a :class:`DataError` naming it."""
    folder = Path(data_dir or settings.DATA_DIR)
    manifest = read_manifest(folder)
    boundaries = {level: _read_geo(folder / name) for level, name in BOUNDARY_FILES.items()}
    statistics = _read_table(folder / STATS_FILE)
    regions = _read_table(folder / REGIONS_FILE)
    missing = {"code", "year", "indicator", "value"} - set(statistics.columns)
    if missing:
        raise DataError(
            f"{STATS_FILE} mist de kolommen {sorted(missing)}.", en=f"{STATS_FILE} lacks the columns {sorted(missing)}."
        )
    return Snapshot(boundaries=boundaries, statistics=statistics, regions=regions, manifest=manifest)


def read_manifest(folder: Path) -> dict:
    """The snapshot's ``manifest.json``; a folder without one is no snapshot (a :class:`DataError`)."""
    manifest_path = folder / MANIFEST_FILE
    if not manifest_path.exists():
        raise DataError(
            f"Er is geen gegevensmomentopname in {folder}: {MANIFEST_FILE} ontbreekt.",
            en=f"There is no data snapshot in {folder}: {MANIFEST_FILE} is missing.",
        )
    try:
        return json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{manifest_path} is beschadigd: {exc}", en=f"{manifest_path} is damaged: {exc}") from None


def _read_geo(path: Path) -> gpd.GeoDataFrame:
    import geopandas as gpd

    frame = read_parquet(path, gpd.read_parquet, "GeoParquet")
    missing = set(BOUNDARY_COLUMNS) - set(frame.columns)
    if missing:
        raise DataError(
            f"{path.name} mist de kolommen {sorted(missing)}.", en=f"{path.name} lacks the columns {sorted(missing)}."
        )
    return frame


def _read_table(path: Path) -> pd.DataFrame:
    import pandas as pd

    return read_parquet(path, pd.read_parquet, "Parquet")


def read_parquet(path: Path, reader, kind: str):
    """``reader(path)``; a missing or damaged file becomes one DataError naming the file."""
    try:
        return reader(path)
    except FileNotFoundError:
        raise DataError(
            f"Bestand ontbreekt in de gegevensmap: {path.name}", en=f"File missing from the data folder: {path.name}"
        ) from None
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise DataError(
            f"Bestand {path.name} is beschadigd of geen {kind} ({type(exc).__name__}).",
            en=f"File {path.name} is damaged or not {kind} ({type(exc).__name__}).",
        ) from None


def write(snapshot: Snapshot, data_dir: Path) -> Path:
    """Write a snapshot atomically to ``data_dir`` and return it.

    Files named in :data:`KEEP_FILES` that exist in the old folder are kept in the new one.
    """
    target = Path(data_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    try:
        for level, name in BOUNDARY_FILES.items():
            frame = snapshot.boundaries[level]
            frame[BOUNDARY_COLUMNS].to_parquet(staging / name, index=False)
        snapshot.statistics.to_parquet(staging / STATS_FILE, index=False)
        snapshot.regions.to_parquet(staging / REGIONS_FILE, index=False)
        (staging / MANIFEST_FILE).write_text(
            json.dumps(snapshot.manifest, indent=2, ensure_ascii=False, sort_keys=True), encoding="utf-8"
        )
        for keep in KEEP_FILES:
            if (target / keep).exists():
                shutil.copy2(target / keep, staging / keep)
                (staging / keep).chmod(0o644)
        _fsync_tree(staging)
        _swap(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _swap(staging: Path, target: Path) -> None:
    """Replace ``target`` by the complete, synced ``staging`` so that ``target`` always exists.

    On Linux the two folders are exchanged in one atomic step (``renameat2`` with ``RENAME_EXCHANGE``):
    a reader sees the old snapshot or the new one, never none. Only after that is the old one (now at
    the staging path) removed. Where the exchange is not available, the old folder is renamed aside
    and the new one into place right after it; if that second rename fails the old one is put back.
    """
    staging.chmod(0o755)  # mkdtemp makes it private; data/ is read by the app's user too
    if not target.exists():
        os.replace(staging, target)
        _fsync_dir(target.parent)
        return
    if _exchange(staging, target):
        _fsync_dir(target.parent)
        shutil.rmtree(staging, ignore_errors=True)
        return
    # A unique name, so two refreshes finishing at once cannot remove each other's backup.
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
    os.rmdir(old)
    os.replace(target, old)
    try:
        os.replace(staging, target)
    except BaseException:
        os.replace(old, target)
        raise
    _fsync_dir(target.parent)
    shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if result == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(error, os.strerror(error), str(second))


def _fsync_tree(folder: Path) -> None:
    """Flush every file of the new snapshot and the folder itself to disk before it is swapped in."""
    for path in folder.iterdir():
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # e.g. a platform that cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
