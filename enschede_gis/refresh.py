"""Refresh the snapshot from the live sources: CBS figures and PDOK boundaries for one gemeente and year.

    python -m enschede_gis.refresh --gemeente GM0153 --year 2024 [--boundary-year 2024] [--data-dir DIR]

Everything is fetched and checked first; only then is a new snapshot written, atomically, with
:func:`enschede_gis.snapshot.write`. A failed or partial fetch therefore leaves the old snapshot exactly
as it was, and the command says on stderr what went wrong (exit code 1, no traceback).

The new snapshot keeps everything of the old one except this gemeente's figures for this year and
this gemeente's boundaries, which are replaced by what the sources sent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from enschede_gis import _cbs, _pdok, settings, snapshot
from enschede_gis import statistics as st
from enschede_gis.errors import DataError, SourceError, WijkbeeldError
from enschede_gis.indicators import Catalogue, load_catalogue
from enschede_gis.provenance import belongs_to

#: Figures from other publishers than the CBS key-figure tables (RIVM's health estimates): a KWB refresh
#: of the same year leaves them as they are.
OTHER_PUBLISHERS = ("RIVM",)


@dataclass(frozen=True)
class RefreshResult:
    """What a refresh wrote, for a message to the user."""

    data_dir: Path
    gemeente: str
    year: int
    boundary_year: int
    figures: int
    areas: dict[str, int]
    table: str


def default_boundary_year(year: int) -> int:
    """The PDOK year to take outlines from: the same year when PDOK serves it, else the nearest one."""
    years = settings.PDOK_OGC_YEARS
    return int(year) if int(year) in years else min(years, key=lambda y: (abs(y - int(year)), y))


def run(
    gemeente: str,
    year: int,
    data_dir: Path | None = None,
    *,
    boundary_year: int | None = None,
    catalogue: Catalogue | None = None,
    timeout: float | None = None,
) -> RefreshResult:
    """Fetch, check, merge and write; nothing is written unless every step succeeded."""
    gemeente = _cbs.check_gemeente(gemeente)
    year = int(year)
    _cbs.table_for(year)  # an unknown year fails before any request
    b_year = default_boundary_year(year) if boundary_year is None else int(boundary_year)
    _pdok.base_url(b_year)
    folder = Path(data_dir or settings.DATA_DIR)
    old = _existing(folder)
    figures = _cbs.fetch(gemeente, year, catalogue=catalogue or load_catalogue(), timeout=timeout)
    outlines = _pdok.fetch_boundaries(gemeente, b_year, timeout=timeout)
    _check_codes(figures, outlines, year=year, boundary_year=b_year)
    new = merge(old, figures, outlines, gemeente=gemeente, year=year, boundary_year=b_year)
    try:
        snapshot.write(new, folder)
    except OSError as exc:
        raise DataError(
            f"De nieuwe gegevens konden niet worden geschreven naar {folder}: {exc.strerror or exc}.",
            en=f"The new data could not be written to {folder}: {exc.strerror or exc}.",
        ) from None
    return RefreshResult(
        data_dir=folder,
        gemeente=gemeente,
        year=year,
        boundary_year=b_year,
        figures=len(figures.statistics),
        areas={level: len(frame) for level, frame in outlines.items()},
        table=figures.table,
    )


def _existing(folder: Path) -> snapshot.Snapshot | None:
    """The current snapshot, or None when there is none yet (a damaged one is an error, not replaced)."""
    if not (folder / snapshot.MANIFEST_FILE).exists():
        return None
    return snapshot.load(folder)


def _check_codes(
    figures: _cbs.CbsFigures, outlines: dict[str, gpd.GeoDataFrame], *, year: int, boundary_year: int
) -> None:
    """Figures and outlines must describe the same wijken and buurten, or the map would silently lose some."""
    for level in ("wijk", "buurt"):
        cbs_codes = set(figures.regions.loc[figures.regions["level"] == level, "code"])
        pdok_codes = set(outlines[level]["code"])
        only_cbs = ", ".join(sorted(cbs_codes - pdok_codes)[:5])
        only_pdok = ", ".join(sorted(pdok_codes - cbs_codes)[:5])
        if cbs_codes != pdok_codes:
            raise SourceError(
                f"De {level}codes van CBS {year} en PDOK {boundary_year} verschillen "
                f"(alleen CBS: {only_cbs or 'geen'}; alleen PDOK: {only_pdok or 'geen'}). "
                "Kies een grenzenjaar met dezelfde indeling (--boundary-year).",
                en=f"The {level} codes of CBS {year} and PDOK {boundary_year} differ "
                f"(only CBS: {only_cbs or 'none'}; only PDOK: {only_pdok or 'none'}). "
                "Choose a boundary year with the same division (--boundary-year).",
            )


def merge(
    old: snapshot.Snapshot | None,
    figures: _cbs.CbsFigures,
    outlines: dict[str, gpd.GeoDataFrame],
    *,
    gemeente: str,
    year: int,
    boundary_year: int,
    today: dt.date | None = None,
) -> snapshot.Snapshot:
    """The old snapshot with this gemeente's figures for ``year`` and its outlines replaced (pure)."""
    stats = _merge_statistics(old, figures.statistics, gemeente=gemeente, year=year)
    bounds = {level: _merge_outlines(old, frame, level=level, gemeente=gemeente) for level, frame in outlines.items()}
    regions = _merge_regions(old, figures.regions, bounds, gemeente=gemeente)
    manifest = _manifest(old, figures, stats, gemeente=gemeente, year=year, boundary_year=boundary_year, today=today)
    return snapshot.Snapshot(boundaries=bounds, statistics=stats, regions=regions, manifest=manifest)


def _merge_statistics(old: snapshot.Snapshot | None, new: pd.DataFrame, *, gemeente: str, year: int) -> pd.DataFrame:
    if old is None:
        kept = st.empty()
    else:
        base = old.statistics
        other_publisher = base["source"].astype("string").str.startswith(OTHER_PUBLISHERS).fillna(False)
        kept = base[~((base["year"] == year) & belongs_to(base["code"], gemeente) & ~other_publisher)]
    merged = pd.concat([kept[st.COLUMNS], new[st.COLUMNS]], ignore_index=True)
    merged = merged.sort_values(["year", "level", "code", "indicator"], ignore_index=True)
    for col in ("code", "level", "indicator", "source"):
        merged[col] = merged[col].astype("string")
    merged["year"] = merged["year"].astype("int64")
    merged["value"] = merged["value"].astype("float64")
    return merged


def _merge_outlines(
    old: snapshot.Snapshot | None, new: gpd.GeoDataFrame, *, level: str, gemeente: str
) -> gpd.GeoDataFrame:
    frames = [new[snapshot.BOUNDARY_COLUMNS]]
    if old is not None and level in old.boundaries:
        previous = old.boundaries[level].to_crs(settings.CRS_RD)
        frames.insert(0, previous.loc[previous["gemeentecode"] != gemeente, snapshot.BOUNDARY_COLUMNS])
    merged = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=settings.CRS_RD)
    for col in ("code", "name", "level", "wijkcode", "gemeentecode"):
        merged[col] = merged[col].astype("string")
    return merged.sort_values("code", ignore_index=True)


def _merge_regions(
    old: snapshot.Snapshot | None,
    cbs_regions: pd.DataFrame,
    bounds: dict[str, gpd.GeoDataFrame],
    *,
    gemeente: str,
) -> pd.DataFrame:
    """Regions of this gemeente from the new outlines (PDOK names), plus CBS-only codes; others kept."""
    columns = ["code", "name", "level", "wijkcode", "gemeentecode"]
    drawn = pd.concat(
        [pd.DataFrame(frame.loc[frame["gemeentecode"] == gemeente, columns]) for frame in bounds.values()],
        ignore_index=True,
    )
    extra = cbs_regions.loc[~cbs_regions["code"].isin(drawn["code"]), columns]
    parts = [drawn, extra]
    if old is not None:
        previous = old.regions
        parts.insert(0, previous.loc[~belongs_to(previous["code"], gemeente), columns])
    regions = pd.concat(parts, ignore_index=True).drop_duplicates("code", keep="last")
    return regions.astype("string").reset_index(drop=True)


def _manifest(
    old: snapshot.Snapshot | None,
    figures: _cbs.CbsFigures,
    stats: pd.DataFrame,
    *,
    gemeente: str,
    year: int,
    boundary_year: int,
    today: dt.date | None,
) -> dict:
    date = (today or dt.date.today()).isoformat()
    manifest = dict(old.manifest) if old is not None else {}
    refreshes = dict(manifest.get("refreshes", {}))
    refreshes[f"{gemeente}-{year}"] = {
        "gemeente": gemeente,
        "year": year,
        "date": date,
        "cbs_table": figures.table,
        "cbs_url": figures.url,
        "cbs_source": figures.source,
        "pdok_year": boundary_year,
        "pdok_urls": [_pdok.items_url(boundary_year, level) for level in ("gemeente", "wijk", "buurt")],
    }
    manifest.update(
        {
            "created": date,
            "attribution": settings.ATTRIBUTION,
            "gemeenten": sorted(set(manifest.get("gemeenten", [])) | {gemeente}),
            "years": sorted(int(y) for y in stats["year"].unique()),
            "boundary_year": boundary_year,
            "boundary_note": (
                f"Grenzen van {gemeente} uit de CBS wijk- en buurtkaart {boundary_year} (PDOK OGC API), "
                f"opgehaald op {date}."
            ),
            "refreshes": refreshes,
        }
    )
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m enschede_gis.refresh",
        description="Haal CBS-kerncijfers en PDOK-grenzen op en schrijf een nieuwe gegevensmomentopname.",
    )
    parser.add_argument("--gemeente", default=settings.DEFAULT_GEMEENTE, help="CBS-gemeentecode, bijv. GM0153")
    parser.add_argument("--year", type=int, required=True, help="jaar van de Kerncijfers wijken en buurten")
    parser.add_argument(
        "--boundary-year", type=int, default=None, help="jaar van de PDOK-grenzen (standaard: het dichtstbijzijnde)"
    )
    parser.add_argument("--data-dir", type=Path, default=None, help="gegevensmap (standaard: data/)")
    args = parser.parse_args(argv)
    try:
        result = run(args.gemeente, args.year, args.data_dir, boundary_year=args.boundary_year)
    except WijkbeeldError as exc:
        print(f"Vernieuwen mislukt; de bestaande gegevens zijn ongewijzigd. {exc}", file=sys.stderr)
        return 1
    areas = ", ".join(f"{n} {level}" for level, n in result.areas.items())
    print(
        f"Nieuwe gegevens geschreven naar {result.data_dir}: {result.figures} cijfers uit CBS {result.table} "
        f"({result.year}) en grenzen {result.boundary_year} ({areas}) voor {result.gemeente}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
