"""Build the embedded snapshot in ``data/`` from the files in ``../shared/data/``.

Run once by a developer (``python scripts/build_snapshot.py``); the result is committed. Every figure
is copied from a CBS/PDOK file as published; the only things computed are ratios from published counts
(marked "afgeleid" in the source column) and the dissolved wijk outlines described in PROVENANCE.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import geopandas as gpd
import pandas as pd

from enschede_gis import settings, snapshot
from enschede_gis import statistics as st
from enschede_gis.indicators import load_catalogue

SHARED = settings.REPO_ROOT.parent / "shared" / "data"

SRC_2020 = "CBS StatLine 84799NED (Kerncijfers wijken en buurten 2020)"
SRC_2021 = "CBS/PDOK Wijk- en buurtkaart 2021 (Kerncijfers 85039NED)"
SRC_2022 = "CBS/PDOK Wijk- en buurtkaart 2022 (gemeenten)"
SRC_2023_NL = "CBS/PDOK Wijk- en buurtkaart 2023 (gemeenten)"
SRC_2023 = "CBS Kerncijfers wijken en buurten 2023 (85618NED, kwb-2023)"
SRC_2024 = "CBS StatLine 85984NED (Kerncijfers wijken en buurten 2024)"
SRC_2024_KWB = "CBS Kerncijfers wijken en buurten 2024 (kwb-2024)"
SRC_2022_BEDRIJVEN = "CBS StatLine 85318NED (Kerncijfers wijken en buurten 2022, bedrijfsvestigingen)"
SRC_RIVM = "RIVM/GGD'en/CBS Gezondheid per wijk en buurt {year} (50090NED, modelschatting)"

HEALTH_FILE = "enschede_rivm_gezondheid_wijk_buurt_50090NED_2012_2016_2020.csv"
#: The source's names for the 85318NED business columns -> the CBS keys (suffix stripped).
BUSINESS_COLUMNS = {
    "total": "BedrijfsvestigingenTotaal",
    "A": "ALandbouwBosbouwEnVisserij",
    "B-F": "BFNijverheidEnEnergie",
    "G+I": "GIHandelEnHoreca",
    "H+J": "HJVervoerInformatieEnCommunicatie",
    "K-L": "KLFinancieleDienstenOnroerendGoed",
    "M-N": "MNZakelijkeDienstverlening",
    "O-Q": "OQOverheidOnderwijsEnZorg",
    "R-U": "RUCultuurRecreatieOverigeDiensten",
}
#: The authors' names of the three KWB 2024 buurt columns (PROVENANCE section 18) -> kwb short names.
KWB_2024_COLUMNS = {"avg_house_value_woz": "g_wozbag", "avg_household_size": "g_hhgro", "urbanization": "ste_mvs"}


#: Appended to the copy of PROVENANCE.md in data/: how the snapshot was made from the files above.
BUILD_NOTE = """
---

## How `data/` was built from these files (`scripts/build_snapshot.py`)

* Every figure is one row of `statistics.parquet` (`code, level, year, indicator, value, source`), copied
  from the files of sections 1, 2, 4, 5, 8, 9, 10, 15, 16, 17 and 18. When two files give the same
  figure for the same region and year, the more specific file wins (the order in the script).
* **Section 16 (RIVM health, 50090NED):** the 18+ (`Leeftijd` 20300) and 65+ (80200) rows of 2012, 2016
  and 2020, for NL01 (level `land`), GM0153, the 10 wijken and 70 buurten; 35 indicators each (catalogue
  themes `gezondheid` and `gezondheid_65`). The 18-64 rows are not used. These are **model estimates**:
  their source reads "modelschatting", their labels "schatting", and they are never aggregated to custom
  areas (RIVM's published wijk and gemeente values are used).
* **Section 17 (businesses 2022, 85318NED):** the source's columns `total, A, B-F, ...` are matched to the
  CBS keys (`BedrijfsvestigingenTotaal`, `ALandbouwBosbouwEnVisserij`, ...); wijk and gemeente totals are
  sums of the buurten (missing when a buurt's value is suppressed).
* **Section 18 (KWB 2024 per buurt):** `avg_house_value_woz`, `avg_household_size`, `urbanization` are read
  as the kwb columns `g_wozbag`, `g_hhgro`, `ste_mvs`; `pc4` is not used.
* Ratios (shares, per-1 000 figures) that a file leaves out but whose counts it publishes are computed
  and marked "afgeleid" in `source`. Nothing else is computed.
"""


def build(shared: Path) -> snapshot.Snapshot:
    cat = load_catalogue()
    parts = []

    def add(frame: pd.DataFrame, *, code: str, year: int, source: str, kind: str) -> None:
        cols = st.source_columns(cat, frame.columns, kind)
        parts.append(st.to_long(frame, code_column=code, year=year, source=source, columns=cols))

    # Most specific first: when two files give the same figure, the first one is kept.
    add(
        _csv(shared, "enschede_kwb_2020_84799NED_gemeente_wijken_buurten.csv"),
        code="WijkenEnBuurten",
        year=2020,
        source=SRC_2020,
        kind="cbs",
    )
    add(_csv(shared, "enschede_buurten_2021_attributes.csv"), code="buurtcode", year=2021, source=SRC_2021, kind="pdok")
    gem2021 = gpd.read_file(shared / "enschede_gemeente_2021_rd.geojson")
    add(pd.DataFrame(gem2021.drop(columns="geometry")), code="gemeentecode", year=2021, source=SRC_2021, kind="pdok")
    add(
        _csv(shared, "twente_gemeenten_2021_attributes.csv"),
        code="gemeentecode",
        year=2021,
        source=SRC_2021,
        kind="pdok",
    )
    add(
        _csv(shared, "enschede_kwb_2023_gemeente_wijken_buurten.csv"),
        code="gwb_code_10",
        year=2023,
        source=SRC_2023,
        kind="kwb",
    )
    nl = _csv(shared, "nl_gemeenten_2022_2023_attributes.csv")
    for year, src in ((2022, SRC_2022), (2023, SRC_2023_NL)):
        add(nl[nl["jaar"] == year], code="gemeentecode", year=year, source=src, kind="pdok")
    add(
        _csv(shared, "enschede_kwb_2024_85984NED_gemeente_wijken_subset.csv"),
        code="WijkenEnBuurten",
        year=2024,
        source=SRC_2024,
        kind="cbs",
    )
    add(
        _csv(shared, "enschede_buurten_kwb_2024_85984NED_partial.csv"),
        code="WijkenEnBuurten",
        year=2024,
        source=SRC_2024,
        kind="cbs",
    )

    add(
        _csv(shared, "enschede_buurten_kwb2024_woz_hhgrootte_stedelijkheid.csv").rename(columns=KWB_2024_COLUMNS),
        code="buurtcode",
        year=2024,
        source=SRC_2024_KWB,
        kind="kwb",
    )
    add(
        _csv(shared, "enschede_buurten_kwb2022_85318NED_bedrijfsvestigingen.csv").rename(columns=BUSINESS_COLUMNS),
        code="buurtcode",
        year=2022,
        source=SRC_2022_BEDRIJVEN,
        kind="cbs",
    )
    parts.extend(health(shared / HEALTH_FILE, cat))

    long = pd.concat(parts, ignore_index=True).drop_duplicates(["code", "year", "indicator"], keep="first")
    long = st.derive_missing(long, cat).sort_values(["year", "level", "code", "indicator"], ignore_index=True)
    for col in ("code", "level", "indicator", "source"):
        long[col] = long[col].astype("string")

    boundaries = _boundaries(shared)
    regions = _regions(boundaries, nl)
    manifest = {
        "created": dt.date.today().isoformat(),
        "gemeenten": ["GM0153"],
        "boundary_year": 2021,
        "boundary_note": "Buurtgrenzen 2021 (PDOK, volledige resolutie); de 70 Enschedese buurtcodes "
        "en -namen zijn 2017-2024 gelijk gebleven, dus deze geometrie geldt voor alle jaren.",
        "years": sorted(int(y) for y in long["year"].unique()),
        "attribution": settings.ATTRIBUTION,
        "source": "../shared/data (zie PROVENANCE.md)",
    }
    return snapshot.Snapshot(boundaries=boundaries, statistics=long, regions=regions, manifest=manifest)


def health(path: Path, cat) -> list[pd.DataFrame]:
    """RIVM 50090NED rows (NL, gemeente, wijken, buurten) in long form, one part per year and age group.

    The columns are matched as ``<Leeftijd key>:<StatLine key without suffix>`` to ``sources.rivm``.
    """
    frame = pd.read_csv(path, dtype={"Leeftijd": str, "Perioden": str})
    lookup = cat.by_source("rivm")
    parts = []
    for (age, period), rows in frame.groupby(["Leeftijd", "Perioden"]):
        columns = {
            col: lookup[f"{age}:{st.strip_key_suffix(col)}"]
            for col in rows.columns
            if f"{age}:{st.strip_key_suffix(col)}" in lookup
        }
        year = int(str(period)[:4])
        source = SRC_RIVM.format(year=year)
        parts.append(st.to_long(rows, code_column="Codering_3", year=year, source=source, columns=columns))
    return parts


def _csv(shared: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(shared / name, dtype={"gemeentecode": str, "jaar": "Int64"}, keep_default_na=True)


def _boundaries(shared: Path) -> dict[str, gpd.GeoDataFrame]:
    buurten = gpd.read_file(shared / "enschede_buurten_2021_rd.geojson").to_crs(settings.CRS_RD)
    buurten = buurten.rename(columns={"buurtcode": "code", "buurtnaam": "name"})
    buurten["level"] = "buurt"
    wijken = gpd.read_file(shared / "enschede_wijken_2021_rd_dissolved.geojson").to_crs(settings.CRS_RD)
    wijken = wijken.rename(columns={"wijkcode": "code", "wijknaam_cbs_2023": "name"})
    wijken["wijkcode"] = wijken["code"]
    wijken["level"] = "wijk"
    gemeente = gpd.read_file(shared / "enschede_gemeente_2021_rd.geojson").to_crs(settings.CRS_RD)
    gemeente = gemeente.rename(columns={"gemeentecode": "code", "gemeentenaam": "name"})
    gemeente["gemeentecode"] = gemeente["code"]
    gemeente["wijkcode"] = None
    gemeente["level"] = "gemeente"
    out = {}
    for level, frame in (("buurt", buurten), ("wijk", wijken), ("gemeente", gemeente)):
        frame = frame[snapshot.BOUNDARY_COLUMNS].sort_values("code", ignore_index=True)
        for col in ("code", "name", "level", "wijkcode", "gemeentecode"):
            frame[col] = frame[col].astype("string")
        out[level] = gpd.GeoDataFrame(frame, geometry="geometry", crs=settings.CRS_RD)
    return out


def _regions(boundaries: dict[str, gpd.GeoDataFrame], nl: pd.DataFrame) -> pd.DataFrame:
    own = pd.concat([pd.DataFrame(b.drop(columns="geometry")) for b in boundaries.values()], ignore_index=True)
    others = (
        nl.sort_values("jaar")
        .drop_duplicates("gemeentecode", keep="last")[["gemeentecode", "gemeentenaam"]]
        .rename(columns={"gemeentecode": "code", "gemeentenaam": "name"})
    )
    others = others[~others["code"].isin(own["code"])]
    others = others.assign(level="gemeente", wijkcode=None, gemeentecode=others["code"])
    land = pd.DataFrame(
        [{"code": "NL01", "name": "Nederland", "level": "land", "wijkcode": None, "gemeentecode": None}]
    )
    regions = pd.concat([own, others, land], ignore_index=True)
    for col in regions.columns:
        regions[col] = regions[col].astype("string")
    return regions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--out", type=Path, default=settings.DATA_DIR)
    args = parser.parse_args()
    snap = build(args.shared)
    snapshot.write(snap, args.out)
    text = (args.shared / "PROVENANCE.md").read_text(encoding="utf-8")
    (args.out / "PROVENANCE.md").write_text(text.rstrip() + "\n" + BUILD_NOTE, encoding="utf-8")
    print(f"snapshot written to {args.out}: {len(snap.statistics)} figures, years {snap.manifest['years']}")


if __name__ == "__main__":
    main()
