"""What the snapshot holds and where every figure came from: the facts behind the data-and-sources page.

Pure functions over the loaded :class:`~enschede_gis.snapshot.Snapshot`; the page only renders them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from enschede_gis import i18n
from enschede_gis.indicators import Catalogue, Language
from enschede_gis.snapshot import Snapshot
from enschede_gis.statistics import LEVELS

PROVENANCE_FILE = "PROVENANCE.md"
_DERIVED = "; afgeleid:"


def belongs_to(codes: pd.Series, gemeente: str) -> pd.Series:
    """True for the gemeente's own code and its wijk and buurt codes (``GM0153``, ``WK0153..``, ``BU0153..``)."""
    number = gemeente[2:]
    codes = codes.astype("string").str.strip()
    mask = codes.eq(gemeente) | codes.str.startswith(f"WK{number}") | codes.str.startswith(f"BU{number}")
    return mask.fillna(False).astype(bool)


def base_source(source: str) -> str:
    """The table a figure came from, without the note that it was derived from two of its counts."""
    return str(source).split(_DERIVED, 1)[0].strip()


def summary(snap: Snapshot, gemeente: str) -> dict:
    """Created date, years, areas per level and the refreshes recorded in the manifest."""
    manifest = snap.manifest
    areas = {level: int((frame["gemeentecode"] == gemeente).sum()) for level, frame in snap.boundaries.items()}
    refreshes = sorted(manifest.get("refreshes", {}).values(), key=lambda r: (r.get("date", ""), r.get("year", 0)))
    return {
        "created": manifest.get("created"),
        "years": list(manifest.get("years", [])),
        "areas": {level: areas.get(level, 0) for level in LEVELS},
        "boundary_year": manifest.get("boundary_year"),
        "boundary_note": manifest.get("boundary_note", ""),
        "gemeenten": list(manifest.get("gemeenten", [])),
        "refreshes": refreshes,
    }


def sources_by_year(stats: pd.DataFrame, gemeente: str) -> pd.DataFrame:
    """One row per (year, level, source table) of this gemeente's figures, with how many are published."""
    rows = stats[belongs_to(stats["code"], gemeente)].assign(source=lambda f: f["source"].map(base_source))
    if rows.empty:
        return pd.DataFrame(columns=["year", "level", "source", "figures", "missing"])
    grouped = rows.groupby(["year", "level", "source"], sort=True)["value"]
    table = pd.DataFrame({"figures": grouped.apply(lambda v: int(v.notna().sum()))})
    table["missing"] = grouped.apply(lambda v: int(v.isna().sum()))
    table = table.reset_index()
    table["level"] = pd.Categorical(table["level"], categories=list(LEVELS), ordered=True)
    return table.sort_values(["year", "level"], ignore_index=True).astype({"level": "string"})


def coverage(stats: pd.DataFrame, catalogue: Catalogue, gemeente: str, lang: Language = "nl") -> pd.DataFrame:
    """Per catalogue indicator: the years with at least one published value per level, and the tables.

    Indicators without any value for this gemeente are listed too (with no years), so a reader sees
    what the catalogue knows but the snapshot lacks.
    """
    rows = stats[belongs_to(stats["code"], gemeente) & stats["value"].notna()]
    years = rows.groupby(["indicator", "level"])["year"].agg(lambda y: sorted({int(v) for v in y}))
    ordered = rows.assign(source=rows["source"].map(base_source)).sort_values("year")
    tables = ordered.groupby("indicator")["source"].agg(lambda s: list(dict.fromkeys(s)))  # by first year
    out = []
    for ind in catalogue:
        entry = {
            "indicator": ind.key,
            "label": ind.label(lang),
            "theme": catalogue.theme_label(ind.theme, lang),
        }
        for level in LEVELS:
            found = years.get((ind.key, level), [])
            entry[level] = ", ".join(str(y) for y in found)
        entry["sources"] = "; ".join(tables.get(ind.key, [])) or i18n.t("gegevens.after_refresh", lang)
        out.append(entry)
    return pd.DataFrame(out, columns=["indicator", "label", "theme", *LEVELS, "sources"])


def not_held(stats: pd.DataFrame, catalogue: Catalogue, lang: Language = "nl") -> dict[str, list[str]]:
    """Catalogue figures the snapshot holds no value for, by theme label: "available after a refresh".

    Offline they cannot be shown, but they are listed rather than hidden, so a user knows they exist.
    """
    held = set(stats.loc[stats["value"].notna(), "indicator"].astype(str))
    grouped: dict[str, list[str]] = {}
    for ind in catalogue:
        fetched_by_refresh = ind.sources.cbs is not None  # RIVM's estimates do not come with a KWB refresh
        if ind.key not in held and not ind.local and fetched_by_refresh:
            theme = catalogue.theme_label(ind.theme, lang)
            grouped.setdefault(theme, []).append(ind.label(lang))
    return grouped


def provenance_text(data_dir: Path) -> str | None:
    """The snapshot's PROVENANCE.md, or None when the folder has none."""
    path = Path(data_dir) / PROVENANCE_FILE
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
