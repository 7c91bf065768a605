"""The snapshot's areas by code and name, without their shapes: what a page needs to offer areas.

Which buurten, wijken and custom areas a user can pick, and what they are called, needs no shape and
no figure. :func:`load` reads only the name and code columns of the snapshot's files (pyarrow: no
geopandas, pandas or shapely), so the residents' join page, which thirty phones open at the same
moment, stays light; :func:`from_snapshot` gives the same index from a loaded snapshot, and
:func:`selectable_areas` is the one rule every page and the profile use to list the areas.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from enschede_gis import settings, snapshot
from enschede_gis.errors import InputError

if TYPE_CHECKING:
    from enschede_gis.areas import CustomArea

AreaKind = Literal["gemeente", "wijk", "buurt", "custom"]
#: The boundary files of the two levels a page lists, and the columns read from them.
LEVEL_FILES = {level: snapshot.BOUNDARY_FILES[level] for level in ("buurt", "wijk")}
COLUMNS = ("code", "name", "wijkcode", "gemeentecode")


@dataclass(frozen=True)
class Area:
    """Anything a profile can be made for: its key (code or ``custom:<name>``), label and buurten."""

    key: str
    label: str
    kind: AreaKind
    codes: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "kind": self.kind, "codes": list(self.codes)}


@dataclass(frozen=True)
class Region:
    """One buurt or wijk of the snapshot: code, name and the wijk and gemeente it lies in."""

    code: str
    name: str
    wijkcode: str | None
    gemeentecode: str | None


@dataclass(frozen=True)
class AreaIndex:
    """The buurten and wijken of the snapshot (sorted by code), the name of every region with figures
    (``regions.parquet``: also the other gemeenten used for comparison), and the manifest."""

    levels: Mapping[str, tuple[Region, ...]]
    names: Mapping[str, str]
    manifest: Mapping[str, object] = field(default_factory=dict)

    def in_gemeente(self, level: str, gemeente: str = settings.DEFAULT_GEMEENTE) -> tuple[Region, ...]:
        """The buurten or wijken of one gemeente, sorted by code (as :func:`boundaries.for_gemeente`)."""
        if level not in self.levels:
            raise InputError(
                f"Onbekend niveau '{level}': kies buurt of wijk.", en=f"Unknown level '{level}': choose buurt or wijk."
            )
        found = tuple(r for r in self.levels[level] if r.gemeentecode == gemeente)
        if not found:
            raise unknown_gemeente(gemeente, (r.gemeentecode for r in self.levels[level]))
        return found


def unknown_gemeente(gemeente: str, known: Iterable[object]) -> InputError:
    """The error for a gemeente the data do not hold, naming the ones they do."""
    listed = ", ".join(sorted({str(code) for code in known if code}))
    return InputError(
        f"Gemeente '{gemeente}' staat niet in de gegevens (wel: {listed}).",
        en=f"Gemeente '{gemeente}' is not in the data (available: {listed}).",
    )


def _regions(records: Iterable[Mapping[str, object]]) -> tuple[Region, ...]:
    rows = [
        Region(str(r["code"]), str(r["name"]), _text(r.get("wijkcode")), _text(r.get("gemeentecode"))) for r in records
    ]
    return tuple(sorted(rows, key=lambda r: r.code))


def _text(value: object) -> str | None:
    return None if value is None or value != value else str(value)  # value != value: a missing float (NaN)


def load(data_dir: Path | str | None = None) -> AreaIndex:
    """Read the index from a snapshot folder; a missing or damaged file gives a :class:`DataError`."""
    folder = Path(data_dir or settings.DATA_DIR)
    manifest = snapshot.read_manifest(folder)
    levels = {level: _regions(_read(folder / name, COLUMNS)) for level, name in LEVEL_FILES.items()}
    names = {str(r["code"]): str(r["name"]) for r in _read(folder / snapshot.REGIONS_FILE, ("code", "name"))}
    return AreaIndex(levels=levels, names=names, manifest=manifest)


def _read(path: Path, columns: Sequence[str]) -> list[dict]:
    """These columns of a Parquet file as rows (not ``read_table``: its dataset layer imports pandas)."""
    import pyarrow.parquet as pq

    def rows(source: Path) -> list[dict]:
        with pq.ParquetFile(source) as parquet:
            return parquet.read(columns=list(columns)).to_pylist()

    return snapshot.read_parquet(path, rows, "Parquet")


def from_snapshot(snap: snapshot.Snapshot) -> AreaIndex:
    """The same index from a loaded snapshot (its boundary frames and regions table)."""
    levels = {
        level: _regions(snap.boundaries[level][list(COLUMNS)].to_dict("records"))
        for level in LEVEL_FILES
        if level in snap.boundaries
    }
    return AreaIndex(levels=levels, names=snap.names(), manifest=snap.manifest)


def selectable_areas(
    index: AreaIndex,
    custom_areas: Iterable[CustomArea] = (),
    *,
    gemeente: str = settings.DEFAULT_GEMEENTE,
) -> list[Area]:
    """Every area a user can pick: the gemeente, its wijken, its buurten, then the custom areas.

    Custom areas of another gemeente, or naming buurten that are not in this one, are left out.
    """
    buurten = index.in_gemeente("buurt", gemeente)
    wijken = index.in_gemeente("wijk", gemeente)
    found = [Area(gemeente, index.names.get(gemeente, gemeente), "gemeente", tuple(b.code for b in buurten))]
    for wijk in wijken:
        members = tuple(b.code for b in buurten if b.wijkcode == wijk.code)
        if members:
            found.append(Area(wijk.code, wijk.name, "wijk", members))
    found.extend(Area(b.code, f"{b.name} ({b.code})", "buurt", (b.code,)) for b in buurten)
    known = {b.code for b in buurten}
    for custom in custom_areas:
        if custom.gemeente == gemeente and set(custom.codes) <= known:
            found.append(Area(custom.key, custom.name, "custom", tuple(custom.codes)))
    return found
