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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from enschede_gis import _cbs, _pdok, settings, snapshot
from enschede_gis import statistics as st
from enschede_gis.errors import DataError, InputError, SourceError, WijkbeeldError
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
    replace_damaged: bool = False,
) -> RefreshResult:
    """Fetch, check, merge and write; nothing is written unless every step succeeded."""
    gemeente = _cbs.check_gemeente(gemeente)
    year = int(year)
    _cbs.table_for(year)  # an unknown year fails before any request
    b_year = default_boundary_year(year) if boundary_year is None else int(boundary_year)
    _pdok.base_url(b_year)
    folder = Path(data_dir or settings.DATA_DIR)
    old = _existing(folder, replace_damaged=replace_damaged)
    figures = _cbs.fetch(gemeente, year, catalogue=catalogue or load_catalogue(), timeout=timeout)
    outlines = _pdok.fetch_boundaries(gemeente, b_year, timeout=timeout)
    _check_codes(figures, outlines, year=year, boundary_year=b_year)
    new = merge(old, figures, outlines, gemeente=gemeente, year=year, boundary_year=b_year)
    _write(new, folder)
    return RefreshResult(
        data_dir=folder,
        gemeente=gemeente,
        year=year,
        boundary_year=b_year,
        figures=len(figures.statistics),
        areas={level: len(frame) for level, frame in outlines.items()},
        table=figures.table,
    )


def _existing(folder: Path, *, replace_damaged: bool = False) -> snapshot.Snapshot | None:
    """The current snapshot, or None when there is none yet.

    A damaged one is an error that says how to recover, unless ``replace_damaged``: then the refresh
    starts from nothing and the new snapshot replaces the damaged folder (holding only what it fetched).
    """
    if not (folder / snapshot.MANIFEST_FILE).exists():
        return None
    try:
        return snapshot.load(folder)
    except DataError as exc:
        if replace_damaged:
            return None
        raise DataError(
            f"De bestaande gegevens in {folder} zijn beschadigd: {exc.message('nl')} Herstel: zet de ingebouwde "
            "gegevens terug met 'git checkout -- data/', of vervang de map door verse gegevens met "
            "'python -m enschede_gis.refresh --years 2020-2024 --replace-damaged' (de nieuwe map bevat dan "
            "alleen de opgehaalde jaren).",
            en=f"The existing data in {folder} are damaged: {exc.message('en')} To recover: restore the embedded "
            "data with 'git checkout -- data/', or replace the folder with fresh data using "
            "'python -m enschede_gis.refresh --years 2020-2024 --replace-damaged' (the new folder then holds "
            "only the fetched years).",
        ) from None


def _write(new: snapshot.Snapshot, folder: Path) -> None:
    try:
        snapshot.write(new, folder)
    except OSError as exc:
        raise DataError(
            f"De nieuwe gegevens konden niet worden geschreven naar {folder}: {exc.strerror or exc}.",
            en=f"The new data could not be written to {folder}: {exc.strerror or exc}.",
        ) from None


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


@dataclass(frozen=True)
class YearReport:
    """What a refresh got for one year: the table and figure count, or why it failed."""

    year: int
    table: str
    figures: int = 0
    error: str = ""  # Dutch message; empty when the year was fetched
    error_en: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    def text(self, lang: str = "nl") -> str:
        if self.ok:
            return (
                f"{self.year}: {self.figures} cijfers uit CBS {self.table}"
                if lang == "nl"
                else f"{self.year}: {self.figures} figures from CBS {self.table}"
            )
        return f"{self.year}: " + (self.error if lang == "nl" else self.error_en or self.error)


@dataclass(frozen=True)
class RangeResult:
    """What a refresh over several years wrote, per year."""

    data_dir: Path
    gemeente: str
    boundary_year: int
    reports: tuple[YearReport, ...]
    areas: dict[str, int]

    @property
    def fetched(self) -> list[int]:
        return [r.year for r in self.reports if r.ok]


#: ``progress(done, total, year)`` is called before each year and once at the end (``year`` None).
Progress = Callable[[int, int, int | None], None]


def parse_years(text: str) -> list[int]:
    """``"2015-2025"``, ``"2019,2021"`` or ``"2024"`` as a sorted list of known KWB years."""
    found: set[int] = set()
    for part in str(text).replace(" ", "").split(","):
        if not part:
            continue
        first, sep, last = part.partition("-")
        if not (first.isdigit() and (not sep or last.isdigit())):
            raise InputError(
                f"'{_cbs.plain(text)}' is geen jaartal of reeks: schrijf bijvoorbeeld 2015-2025 of 2019,2021.",
                en=f"'{_cbs.plain(text)}' is not a year or range: write for example 2015-2025 or 2019,2021.",
            )
        start, end = int(first), int(last) if sep else int(first)
        if end < start or end - start > 50:
            raise InputError(
                f"De reeks {start}-{end} is ongeldig: het eerste jaar komt eerst.",
                en=f"The range {start}-{end} is invalid: the first year comes first.",
            )
        found.update(range(start, end + 1))
    if not found:
        raise InputError("Geef minstens één jaar op.", en="Give at least one year.")
    for year in sorted(found):
        _cbs.table_for(year)  # an unknown year fails before any request
    return sorted(found)


def run_years(
    gemeente: str,
    years: Iterable[int],
    data_dir: Path | None = None,
    *,
    boundary_year: int | None = None,
    catalogue: Catalogue | None = None,
    timeout: float | None = None,
    progress: Progress | None = None,
    replace_damaged: bool = False,
) -> RangeResult:
    """Fetch several years in one run and write one new snapshot with every year that succeeded.

    A year that fails (unreachable table, bad answer, codes that do not match the outlines) is reported
    and skipped; what the snapshot already had for that year stays. Nothing is written when no year
    succeeded or the boundaries could not be fetched.
    """
    gemeente = _cbs.check_gemeente(gemeente)
    wanted = sorted({int(y) for y in years})
    if not wanted:
        raise InputError("Geef minstens één jaar op.", en="Give at least one year.")
    tables = {year: _cbs.table_for(year) for year in wanted}
    b_year = default_boundary_year(wanted[-1]) if boundary_year is None else int(boundary_year)
    _pdok.base_url(b_year)
    folder = Path(data_dir or settings.DATA_DIR)
    old = _existing(folder, replace_damaged=replace_damaged)
    cat = catalogue or load_catalogue()
    fetched, reports = _fetch_years(gemeente, tables, catalogue=cat, timeout=timeout, progress=progress)
    if fetched:  # the outlines once, and each year's codes checked against them
        outlines = _pdok.fetch_boundaries(gemeente, b_year, timeout=timeout)
        for year, figures in list(fetched.items()):
            try:
                _check_codes(figures, outlines, year=year, boundary_year=b_year)
            except WijkbeeldError as exc:
                del fetched[year]
                reports[year] = YearReport(year, tables[year], error=exc.message("nl"), error_en=exc.message("en"))
                continue
            reports[year] = YearReport(year, figures.table, figures=len(figures.statistics))
    if progress is not None:
        progress(len(wanted), len(wanted), None)
    ordered = [reports[year] for year in wanted]
    if not fetched:
        lines = "; ".join(r.text("nl") for r in ordered)
        lines_en = "; ".join(r.text("en") for r in ordered)
        raise SourceError(
            f"Geen enkel jaar kon worden opgehaald ({lines}).", en=f"No year could be fetched ({lines_en})."
        )
    new = old
    for year, figures in fetched.items():
        new = merge(new, figures, outlines, gemeente=gemeente, year=year, boundary_year=b_year)
    _write(new, folder)
    return RangeResult(
        data_dir=folder,
        gemeente=gemeente,
        boundary_year=b_year,
        reports=tuple(ordered),
        areas={level: len(frame) for level, frame in outlines.items()},
    )


def _fetch_years(
    gemeente: str, tables: dict[int, str], *, catalogue: Catalogue, timeout: float | None, progress: Progress | None
) -> tuple[dict[int, _cbs.CbsFigures], dict[int, YearReport]]:
    """Each year's CBS figures; a year that fails gets a report with the reason instead."""
    fetched: dict[int, _cbs.CbsFigures] = {}
    reports: dict[int, YearReport] = {}
    for done, year in enumerate(tables):
        if progress is not None:
            progress(done, len(tables), year)
        try:
            fetched[year] = _cbs.fetch(gemeente, year, catalogue=catalogue, timeout=timeout)
        except WijkbeeldError as exc:
            reports[year] = YearReport(year, tables[year], error=exc.message("nl"), error_en=exc.message("en"))
    return fetched, reports


def text_bar(done: int, total: int, width: int = 20) -> str:
    """``[#######.............] 7/20`` for a terminal."""
    filled = round(width * done / total) if total else width
    return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m enschede_gis.refresh",
        description="Haal CBS-kerncijfers en PDOK-grenzen op en schrijf een nieuwe gegevensmomentopname.",
    )
    parser.add_argument("--gemeente", default=settings.DEFAULT_GEMEENTE, help="CBS-gemeentecode, bijv. GM0153")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--year", type=int, help="jaar van de Kerncijfers wijken en buurten")
    which.add_argument("--years", help="meerdere jaren in één keer, bijv. 2015-2025 of 2019,2021")
    parser.add_argument(
        "--replace-damaged",
        action="store_true",
        help="vervang een beschadigde gegevensmap door een nieuwe met alleen de opgehaalde jaren",
    )
    parser.add_argument(
        "--boundary-year", type=int, default=None, help="jaar van de PDOK-grenzen (standaard: het dichtstbijzijnde)"
    )
    parser.add_argument("--data-dir", type=Path, default=None, help="gegevensmap (standaard: data/)")
    args = parser.parse_args(argv)
    if args.years is not None:
        return _main_years(args)
    try:
        result = run(
            args.gemeente,
            args.year,
            args.data_dir,
            boundary_year=args.boundary_year,
            replace_damaged=args.replace_damaged,
        )
    except WijkbeeldError as exc:
        print(f"Vernieuwen mislukt; de bestaande gegevens zijn ongewijzigd. {exc}", file=sys.stderr)
        return 1
    areas = ", ".join(f"{n} {level}" for level, n in result.areas.items())
    print(
        f"Nieuwe gegevens geschreven naar {result.data_dir}: {result.figures} cijfers uit CBS {result.table} "
        f"({result.year}) en grenzen {result.boundary_year} ({areas}) voor {result.gemeente}."
    )
    return 0


def _main_years(args: argparse.Namespace) -> int:
    def progress(done: int, total: int, year: int | None) -> None:
        step = f"{year} ophalen…" if year is not None else "klaar"
        print(f"{text_bar(done, total)} {step}", file=sys.stderr, flush=True)

    try:
        years = parse_years(args.years)
        result = run_years(
            args.gemeente,
            years,
            args.data_dir,
            boundary_year=args.boundary_year,
            progress=progress,
            replace_damaged=args.replace_damaged,
        )
    except WijkbeeldError as exc:
        print(f"Vernieuwen mislukt; de bestaande gegevens zijn ongewijzigd. {exc}", file=sys.stderr)
        return 1
    areas = ", ".join(f"{n} {level}" for level, n in result.areas.items())
    where = f"{result.data_dir} voor {result.gemeente}, grenzen {result.boundary_year} ({areas})"
    print(f"Nieuwe gegevens geschreven naar {where}:")
    for report in result.reports:
        mark = "ok" if report.ok else "mislukt, bestaande gegevens van dit jaar behouden"
        print(f"  {report.text('nl')} [{mark}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
