"""Boundaries of gemeente, wijken and buurten as GeoDataFrames in RD New (EPSG:28992).

Whatever the source (the embedded snapshot or PDOK's OGC API, see :mod:`enschede_gis._pdok`), a
boundary frame has the standard columns ``code, name, level, wijkcode, gemeentecode, geometry``.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from enschede_gis import settings
from enschede_gis.area_index import unknown_gemeente
from enschede_gis.errors import InputError
from enschede_gis.snapshot import BOUNDARY_COLUMNS, Snapshot

LEVEL_LABELS = {
    "nl": {"buurt": "Buurten", "wijk": "Wijken", "gemeente": "Gemeente"},
    "en": {"buurt": "Neighbourhoods (buurten)", "wijk": "Districts (wijken)", "gemeente": "Municipality"},
}


def for_gemeente(snap: Snapshot, level: str, gemeente: str = settings.DEFAULT_GEMEENTE) -> gpd.GeoDataFrame:
    """The boundaries of one level within one gemeente, sorted by code."""
    if level not in snap.boundaries:
        raise InputError(
            f"Onbekend niveau '{level}': kies buurt, wijk of gemeente.",
            en=f"Unknown level '{level}': choose buurt, wijk or gemeente.",
        )
    frame = snap.boundaries[level]
    selected = frame[frame["gemeentecode"] == gemeente]
    if selected.empty:
        raise unknown_gemeente(gemeente, frame["gemeentecode"].dropna().unique())
    return selected.sort_values("code").reset_index(drop=True)


def standardise(frame: gpd.GeoDataFrame, level: str) -> gpd.GeoDataFrame:
    """Bring a boundary frame to the standard columns and RD New (copying, never mutating)."""
    out = frame.copy()
    if out.crs is None:
        raise InputError(
            "Grenzen zonder coördinatenstelsel kunnen niet worden gebruikt.",
            en="Boundaries without a coordinate reference system cannot be used.",
        )
    out = out.to_crs(settings.CRS_RD)
    out["level"] = level
    if level == "wijk" and "wijkcode" not in out:
        out["wijkcode"] = out["code"]
    if level == "gemeente":
        out["gemeentecode"] = out["code"]
        out["wijkcode"] = None
    missing = set(BOUNDARY_COLUMNS) - set(out.columns)
    if missing:
        raise InputError(
            f"Grenzen missen de kolommen {sorted(missing)}.",
            en=f"Boundaries are missing the columns {sorted(missing)}.",
        )
    for col in ("code", "name", "level", "wijkcode", "gemeentecode"):
        out[col] = out[col].astype("string")
    return out[BOUNDARY_COLUMNS].sort_values("code").reset_index(drop=True)


def for_web(
    frame: gpd.GeoDataFrame,
    *,
    tolerance_m: float = settings.SIMPLIFY_TOLERANCE_M,
    decimals: int = settings.COORD_DECIMALS,
    coverage: bool = True,
) -> gpd.GeoDataFrame:
    """Geometry fit to send to a browser: simplified in RD New without gaps, then WGS84, rounded.

    ``simplify_coverage`` simplifies shared borders once, so neighbouring buurten still meet exactly
    (a per-polygon ``simplify`` opens slivers between them). Areas that may overlap (custom areas)
    are no coverage: pass ``coverage=False`` to simplify each on its own.
    """
    rd = frame.to_crs(settings.CRS_RD)
    if tolerance_m <= 0:
        simplified = rd.geometry
    elif coverage:
        simplified = rd.geometry.simplify_coverage(tolerance_m)
    else:
        simplified = rd.geometry.simplify(tolerance_m, preserve_topology=True)
    web = gpd.GeoDataFrame(rd.drop(columns="geometry"), geometry=simplified.values, crs=settings.CRS_RD)
    web = web.to_crs(settings.CRS_WEB)
    factor = 10.0**decimals
    web["geometry"] = shapely.transform(web.geometry.values, lambda xy: np.round(xy * factor) / factor)
    return web


def custom_outlines(snap: Snapshot, groups: dict[str, list[str]], names: dict[str, str]) -> gpd.GeoDataFrame:
    """Outlines of custom areas: the union of their buurten, with ``code`` = the area's key.

    ``groups`` maps an area key to its buurt codes, ``names`` an area key to its name. Custom areas
    may overlap, so the result is not a coverage (see :func:`for_web`).
    """
    buurten = snap.boundaries["buurt"].set_index("code")
    unknown = sorted({c for codes in groups.values() for c in codes} - set(buurten.index))
    if unknown:
        raise InputError(
            f"Onbekende buurtcode(s): {', '.join(unknown)}", en=f"Unknown buurt code(s): {', '.join(unknown)}"
        )
    rows = [
        {
            "code": key,
            "name": names.get(key, key),
            "level": "custom",
            "wijkcode": None,
            "gemeentecode": str(buurten.loc[codes[0], "gemeentecode"]),
            "geometry": shapely.union_all(buurten.loc[codes, "geometry"].values),
        }
        for key, codes in groups.items()
        if codes
    ]
    frame = gpd.GeoDataFrame(rows, columns=BOUNDARY_COLUMNS, geometry="geometry", crs=settings.CRS_RD)
    for col in ("code", "name", "level", "wijkcode", "gemeentecode"):
        frame[col] = frame[col].astype("string")
    return frame


def buurten_of(snap: Snapshot, area_code: str) -> list[str]:
    """Buurt codes inside a wijk or gemeente code (or the buurt itself)."""
    buurten = snap.boundaries["buurt"]
    if area_code.startswith("BU"):
        found = buurten[buurten["code"] == area_code]
    elif area_code.startswith("WK"):
        found = buurten[buurten["wijkcode"] == area_code]
    elif area_code.startswith("GM"):
        found = buurten[buurten["gemeentecode"] == area_code]
    else:
        found = buurten.iloc[0:0]
    if found.empty:
        raise InputError(f"Onbekende gebiedscode '{area_code}'.", en=f"Unknown area code '{area_code}'.")
    return list(found["code"])
