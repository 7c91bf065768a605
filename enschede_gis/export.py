"""The area profile as downloads: a PDF to take to a meeting, the profile table as CSV and Excel.

Pure functions from the snapshot (or a table) to bytes, so a page only has to hand them to
``st.download_button`` and a test can open what a user would get.
"""

from __future__ import annotations

import io
from datetime import date

import numpy as np
import pandas as pd

from enschede_gis import explain, i18n, profile, settings, staticmap
from enschede_gis.indicators import Catalogue
from enschede_gis.pdf import Bar, Document
from enschede_gis.profile import Area
from enschede_gis.snapshot import Snapshot

#: Figures shown as a trend table in the PDF (where the area has them in more than one year).
TREND_DEFAULTS = (
    "inwoners",
    "huishoudens",
    "pct_0_15",
    "pct_65_plus",
    "pct_eenpersoonshuishoudens",
    "huishoudensgrootte",
    "bevolkingsdichtheid",
)
#: Buurten that stand out, listed in the PDF at most this many.
MAX_STANDOUT_ROWS = 15


def _t(key: str, lang: str, **values: object) -> str:
    return i18n.t(f"export.{key}", lang, **values)


# -- tables ------------------------------------------------------------------------------------------


def profile_table(key_figures: pd.DataFrame, lang: str = "nl") -> pd.DataFrame:
    """The profile table for download: theme, indicator, value, unit, references, year, source.

    Values stay numeric (NaN where unknown) so a spreadsheet can compute with them.
    """
    refs = profile.reference_names(key_figures)
    columns = {
        "theme_label": _t("col_theme", lang),
        "label": _t("col_indicator", lang),
        "indicator": _t("col_key", lang),
        "value": _t("col_value", lang),
        "unit": _t("col_unit", lang),
        **{name: name for name in refs},
        "year": _t("col_year", lang),
        "source": _t("col_source", lang),
    }
    if key_figures.empty:
        return pd.DataFrame(columns=list(columns.values()))
    return key_figures[list(columns)].rename(columns=columns).reset_index(drop=True)


def to_csv(table: pd.DataFrame, lang: str = "nl") -> bytes:
    """CSV that opens right in a Dutch (``;`` and decimal comma) or English spreadsheet; UTF-8 with BOM."""
    separator, decimal = (";", ",") if lang == "nl" else (",", ".")
    return table.to_csv(index=False, sep=separator, decimal=decimal).encode("utf-8-sig")


def to_excel(table: pd.DataFrame, *, sheet: str = "Profiel") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        table.to_excel(writer, sheet_name=sheet[:31], index=False)
    return buffer.getvalue()


# -- PDF ---------------------------------------------------------------------------------------------


def profile_pdf(
    snap: Snapshot,
    catalogue: Catalogue,
    area: Area,
    *,
    year: int,
    lang: str = "nl",
    printed: date | None = None,
    gemeente: str = settings.DEFAULT_GEMEENTE,
) -> bytes:
    """The area profile as a PDF: map, key figures per theme, position bars, spread, similar buurten,
    trends, the plain-language explanation of every figure shown, sources and data years, print date
    and attribution."""
    kind = i18n.t(f"level.{area.kind}", lang)
    doc = Document(
        _t("pdf_title", lang, name=area.label),
        subtitle=_t("pdf_subtitle", lang, kind=kind, year=year, count=len(area.codes)),
        printed=printed,
        lang=lang,
    )
    doc.image(staticmap.area_map(snap, area.codes, gemeente=gemeente, size_in=5), width_mm=95)
    figures_table = profile.key_figures(snap, catalogue, area, year=year, lang=lang, gemeente=gemeente)
    _key_figures(doc, figures_table, area, lang)
    _position(doc, profile.position(snap, catalogue, area, year=year, lang=lang, gemeente=gemeente), lang)
    if len(area.codes) > 1:
        _spread(doc, profile.spread(snap, catalogue, area, year=year, lang=lang, gemeente=gemeente), lang)
    similar = profile.similar_for_area(snap, catalogue, area, year=year, lang=lang, gemeente=gemeente)
    _similar(doc, similar, lang)
    keys = [k for k in TREND_DEFAULTS if k in catalogue]
    _trends(doc, profile.trends(snap, catalogue, area, indicators=keys, lang=lang, gemeente=gemeente), lang)
    shown = [catalogue[k] for k in figures_table.get("indicator", [])]
    explain.add_to_pdf(doc, shown, snap.statistics, lang, catalogue=catalogue)
    lines = sorted({s for s in figures_table.get("source", pd.Series(dtype=str)) if s})
    doc.sources([_t("data_year", lang, year=year), *lines, settings.ATTRIBUTION])
    return doc.to_bytes()


def _key_figures(doc: Document, table: pd.DataFrame, area: Area, lang: str) -> None:
    doc.heading(_t("key_figures", lang))
    if table.empty:
        doc.paragraph(_t("no_figures", lang))
        return
    refs = [name for name in profile.reference_names(table) if name != area.label]
    header = [_t("col_indicator", lang), area.label, *refs]
    widths = [3.2, 1.6, *([1.6] * len(refs))]
    for theme_label, part in table.groupby("theme_label", sort=False):
        doc.heading(str(theme_label), level=2)
        rows = [[r["label"], r["text"], *[r[f"{n} (tekst)"] for n in refs]] for _, r in part.iterrows()]
        doc.table(header, rows, widths=widths, align=["L", *(["R"] * (len(header) - 1))])


def _position(doc: Document, position: pd.DataFrame, lang: str) -> None:
    doc.heading(_t("position", lang))
    if position.empty:
        doc.paragraph(_t("no_figures", lang))
        return
    bars = []
    for _, row in position.iterrows():
        rank = "" if np.isnan(row["rank"]) else _t("rank", lang, rank=int(row["rank"]), ranked=int(row["ranked"]))
        text = f"{row['text']} ({row['city_text']}) {rank}".strip()
        bars.append(Bar(row["label"], float(row["z"]), text, row["signal"]))
    doc.bars(bars, caption=_t("position_caption", lang))


def _spread(doc: Document, spread: pd.DataFrame, lang: str) -> None:
    doc.heading(_t("spread", lang))
    out = spread[spread["stands_out"].astype(bool)] if not spread.empty else spread
    if out.empty:
        doc.paragraph(_t("spread_none", lang))
        return
    doc.paragraph(_t("spread_intro", lang), size=8.5, muted=True)
    out = out.reindex(out["distance_sd"].abs().sort_values(ascending=False).index).head(MAX_STANDOUT_ROWS)
    rows = [[r["name"], r["label"], r["text"], f"{r['distance_sd']:+.1f}"] for _, r in out.iterrows()]
    header = [_t("col_buurt", lang), _t("col_indicator", lang), _t("col_value", lang), _t("col_sd", lang)]
    doc.table(header, rows, widths=[2, 3, 1.3, 1], align=["L", "L", "R", "R"])


def _similar(doc: Document, similar: pd.DataFrame, lang: str) -> None:
    doc.heading(_t("similar", lang))
    if similar.empty:
        doc.paragraph(_t("similar_none", lang))
        return
    doc.paragraph(_t("similar_intro", lang), size=8.5, muted=True)
    rows = [[r["name"], f"{r['distance']:.2f}", r["alike_text"]] for _, r in similar.iterrows()]
    header = [_t("col_buurt", lang), _t("col_distance", lang), _t("col_alike", lang)]
    doc.table(header, rows, widths=[1.6, 0.8, 4.6], align=["L", "R", "L"])


def _trends(doc: Document, trends: pd.DataFrame, lang: str) -> None:
    if trends.empty:
        return
    doc.heading(_t("trends", lang))
    years = sorted(trends["year"].unique())
    wide = trends.pivot_table(index="label", columns="year", values="text", aggfunc="first", sort=False)
    unknown = i18n.t("app.missing", lang)
    rows = [
        [label, *[wide.at[label, y] if isinstance(wide.at[label, y], str) else unknown for y in years]]
        for label in wide.index
    ]
    doc.table(
        [_t("col_indicator", lang), *map(str, years)],
        rows,
        widths=[3, *([1.2] * len(years))],
        align=["L", *(["R"] * len(years))],
    )
    for note in profile.trend_notes(trends):
        doc.paragraph(i18n.t(note, lang), size=8, muted=True)
    doc.paragraph(_t("trend_boundaries", lang), size=8, muted=True)
