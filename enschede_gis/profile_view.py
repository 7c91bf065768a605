"""What the profile page shows, ready to render: each tab's table with its headers in the UI language.

The figures come from :mod:`enschede_gis.profile`; this module only picks, orders, labels and formats
them, so the page (``views/profiel.py``) does layout and calls, and a test can check what a user
reads without running Streamlit.
"""

from __future__ import annotations

import pandas as pd

from enschede_gis import export, formatting, i18n, profile
from enschede_gis.indicators import Catalogue

#: The profile's tabs (locale keys), in the order shown; the first is open when the page opens.
TABS = (
    "profiel.tab_figures",
    "profiel.tab_position",
    "profiel.tab_spread",
    "profiel.tab_similar",
    "profiel.tab_trends",
)


def year_label(year: profile.YearMode, lang: str = "nl") -> str:
    """A year choice as shown: "Nieuwste per cijfer" for the latest-per-figure view, else the year."""
    return i18n.t("profiel.latest", lang) if profile.is_latest(year) else str(year)


def figure_tables(table: pd.DataFrame, area_label: str, lang: str = "nl") -> list[tuple[str, pd.DataFrame]]:
    """The key figures per theme, as (theme label, table): indicator, the area's value, each
    reference area's value, year and source."""
    if table.empty:
        return []
    refs = [name for name in profile.reference_names(table) if name != area_label]
    columns = {
        "label": i18n.t("common.indicator", lang),
        "text": area_label,
        **{f"{name} (tekst)": name for name in refs},
        "year": i18n.t("common.year", lang),
        "source": i18n.t("common.source", lang),
    }
    return [
        (str(theme), part[list(columns)].rename(columns=columns))
        for theme, part in table.groupby("theme_label", sort=False)
    ]


def position_table(position: pd.DataFrame, area_label: str, lang: str = "nl") -> pd.DataFrame:
    """The area beside the city per figure: value, city value, rank ("12/70") and distance in SD."""
    return pd.DataFrame(
        {
            i18n.t("common.indicator", lang): position["label"],
            area_label: position["text"],
            i18n.t("profiel.col_city", lang): position["city_text"],
            i18n.t("profiel.col_rank", lang): [
                "" if pd.isna(r) else f"{int(r)}/{int(n)}"
                for r, n in zip(position["rank"], position["ranked"], strict=True)
            ],
            i18n.t("profiel.col_sd", lang): [formatting.sd(z, lang) for z in position["z"]],
            i18n.t("common.year", lang): position["year"].astype(str),
        }
    )


def standouts(spread: pd.DataFrame, lang: str = "nl") -> pd.DataFrame:
    """The buurten that stand out from their area (empty when none does)."""
    out = spread[spread["stands_out"].astype(bool)] if not spread.empty else spread
    return pd.DataFrame(
        {
            i18n.t("export.col_buurt", lang): out.get("name", pd.Series(dtype=str)),
            i18n.t("common.indicator", lang): out.get("label", pd.Series(dtype=str)),
            i18n.t("common.value", lang): out.get("text", pd.Series(dtype=str)),
            i18n.t("export.col_sd", lang): out.get("distance_sd", pd.Series(dtype=float)).round(1),
        }
    )


def similarity_choices(table: pd.DataFrame, catalogue: Catalogue) -> tuple[list[str], list[str]]:
    """(indicators a user may compare buurten on, those chosen by default) for this year's table."""
    options = [k for k in table.columns if k in catalogue and catalogue[k].kind in profile.COMPARABLE_KINDS]
    defaults = [k for k in profile.default_similarity(table, catalogue) if k in options]
    return options, defaults


def similar_table(found: pd.DataFrame, lang: str = "nl") -> pd.DataFrame:
    """The most similar buurten: distance, figures shared, what is alike and what differs."""
    return pd.DataFrame(
        {
            i18n.t("export.col_buurt", lang): found["name"],
            i18n.t("profiel.col_distance", lang): found["distance"].round(2),
            i18n.t("profiel.col_shared", lang): found["shared"],
            i18n.t("profiel.col_alike", lang): found["alike_text"],
            i18n.t("profiel.col_differ", lang): found["differ_text"],
        }
    )


def default_trend(options: list[str]) -> str:
    """The figure the trend tab opens on: the first of the PDF's trend figures the area has."""
    return next((k for k in export.TREND_DEFAULTS if k in options), options[0])


def trend_table(trend: pd.DataFrame, lang: str = "nl") -> pd.DataFrame:
    """Every figure (rows) per year (columns), as text; a year without the figure says so."""
    wide = trend.pivot_table(index="label", columns="year", values="text", aggfunc="first", sort=False)
    wide.columns = [str(c) for c in wide.columns]
    return wide.fillna(i18n.t("app.missing", lang))


#: The download files' types.
MIME_TYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def downloads(area_label: str, year: profile.YearMode, lang: str = "nl") -> dict[str, tuple[str, str]]:
    """The download files: kind (``pdf``, ``pdf_full``, ``csv``, ``excel``) -> (file name, mime type)."""
    slug = "".join(c if c.isalnum() else "_" for c in area_label)[:40]
    year_part = i18n.t("profiel.latest_file", lang) if profile.is_latest(year) else year
    files = {
        "pdf": f"wijkpaspoort_{slug}_{year_part}.pdf",
        "pdf_full": f"wijkpaspoort_volledig_{slug}_{year_part}.pdf",
        "csv": f"wijkpaspoort_{slug}_{year_part}.csv",
        "excel": f"wijkpaspoort_{slug}_{year_part}.xlsx",
    }
    return {kind: (name, MIME_TYPES[name.rsplit(".", 1)[1]]) for kind, name in files.items()}
