"""The area profile as downloads: a PDF to take to a meeting, the profile table as CSV and Excel.

Pure functions from the snapshot (or a table) to bytes, so a page only has to hand them to
``st.download_button`` and a test can open what a user would get.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from enschede_gis import explain, i18n, profile, settings, staticmap
from enschede_gis.errors import DataError
from enschede_gis.indicators import Catalogue
from enschede_gis.pdf import Bar, Document
from enschede_gis.profile import Area
from enschede_gis.snapshot import Snapshot
from enschede_gis.text import FORMULA_STARTS, spreadsheet_safe

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


def safe_table(table: pd.DataFrame) -> pd.DataFrame:
    """The table with every text cell and header a spreadsheet would run as a formula neutralised
    (a leading apostrophe, :func:`enschede_gis.text.spreadsheet_safe`); numbers stay numbers."""
    out = table.copy()
    out.columns = [spreadsheet_safe(str(c)) for c in table.columns]
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(spreadsheet_safe)
    return out


def to_csv(table: pd.DataFrame, lang: str = "nl") -> bytes:
    """CSV that opens right in a Dutch (``;`` and decimal comma) or English spreadsheet; UTF-8 with BOM.

    Text cells and headers are neutralised (a name like ``=HYPERLINK(...)`` arrives as text)."""
    separator, decimal = (";", ",") if lang == "nl" else (",", ".")
    return safe_table(table).to_csv(index=False, sep=separator, decimal=decimal).encode("utf-8-sig")


def number_format(decimals: int | None) -> str:
    """An Excel number format showing ``decimals`` decimals with thousands grouping."""
    places = max(0, int(decimals)) if decimals is not None else 1
    return "#,##0" + ("." + "0" * places if places else "")


def to_excel(
    table: pd.DataFrame,
    *,
    sheet: str = "Profiel",
    decimals: Sequence[int | None] | None = None,
    sources: Sequence[tuple[str, str]] = (),
    sources_sheet: str = "Bronnen",
) -> bytes:
    """The table as an Excel workbook in which nothing can run.

    Text is written as text (``data_type 's'``; a text a spreadsheet would read as a formula gets
    Excel's quote prefix as well), numbers as numbers, with the number format of ``decimals[i]``
    for the numbers of row ``i``. ``sources`` (label, text) pairs become a second sheet.
    """
    import openpyxl  # heavy; only when a workbook is asked for

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet[:31]
    ws.append([None] * len(table.columns))
    for index, name in enumerate(table.columns, start=1):
        _text_cell(ws.cell(1, index), str(name))
    for row_index, record in enumerate(table.itertuples(index=False), start=2):
        places = decimals[row_index - 2] if decimals is not None else None
        for col_index, value in enumerate(record, start=1):
            cell = ws.cell(row_index, col_index)
            if isinstance(value, str):
                _text_cell(cell, value)
            elif isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
                if not np.isfinite(value):
                    continue  # unknown: an empty cell, not NaN
                cell.value = value.item() if isinstance(value, np.generic) else value
                cell.number_format = "0" if _is_year(table.columns[col_index - 1]) else number_format(places)
            elif value is not None and not pd.isna(value):
                _text_cell(cell, str(value))
    if sources:
        info = book.create_sheet(sources_sheet[:31])
        for label, text in sources:
            info.append([None, None])
            _text_cell(info.cell(info.max_row, 1), label)
            _text_cell(info.cell(info.max_row, 2), text)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _is_year(header: object) -> bool:
    return str(header) in {_t("col_year", "nl"), _t("col_year", "en")}


def _text_cell(cell, value: str) -> None:
    cell.value = value
    cell.data_type = "s"  # never "f": openpyxl would otherwise store "=..." as a formula
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def profile_csv(key_figures: pd.DataFrame, lang: str = "nl") -> bytes:
    """The profile table (:func:`profile_table`) as CSV for a spreadsheet."""
    return to_csv(profile_table(key_figures, lang), lang)


def profile_excel(key_figures: pd.DataFrame, snap: Snapshot, catalogue: Catalogue, lang: str = "nl") -> bytes:
    """The profile table as Excel: numbers with each indicator's decimals, and a sources sheet with
    the snapshot's date, the data years and every source table the figures come from."""
    table = profile_table(key_figures, lang)
    keys = key_figures["indicator"] if "indicator" in key_figures else pd.Series(dtype=str)
    decimals = [catalogue[k].decimals if k in catalogue else None for k in keys]
    return to_excel(
        table,
        sheet=_t("sheet_profile", lang),
        decimals=decimals,
        sources=sources(snap, key_figures, lang),
        sources_sheet=_t("sheet_sources", lang),
    )


def sources(snap: Snapshot, key_figures: pd.DataFrame, lang: str = "nl") -> list[tuple[str, str]]:
    """(label, text) lines saying where the figures come from and how old the snapshot is."""
    manifest = snap.manifest or {}
    lines = [
        (_t("src_snapshot", lang), str(manifest.get("created", ""))),
        (_t("src_years", lang), ", ".join(str(y) for y in manifest.get("years", []))),
        (_t("src_boundaries", lang), str(manifest.get("boundary_note", ""))),
    ]
    tables = sorted({str(s) for s in key_figures.get("source", pd.Series(dtype=str)) if isinstance(s, str) and s})
    lines += [(_t("src_table", lang), name) for name in tables]
    lines.append((_t("src_attribution", lang), i18n.t("app.attribution", lang)))
    return [(label, text) for label, text in lines if text]


# -- PDF ---------------------------------------------------------------------------------------------


def profile_pdf(
    snap: Snapshot,
    catalogue: Catalogue,
    area: Area,
    *,
    year: profile.YearMode = profile.LATEST,
    lang: str = "nl",
    printed: date | None = None,
    gemeente: str = settings.DEFAULT_GEMEENTE,
    full: bool = False,
) -> bytes:
    """The area profile as a PDF. By default the two-page handout for residents (:func:`handout_pdf`);
    with ``full`` the whole profile: map, key figures per theme, position bars, spread, similar
    buurten, trends, the plain-language explanation of every figure shown, sources and data years."""
    if not full:
        return handout_pdf(snap, catalogue, area, year=year, lang=lang, printed=printed, gemeente=gemeente)
    kind = i18n.t(f"level.{area.kind}", lang)
    figures_table = profile.key_figures(snap, catalogue, area, year=year, lang=lang, gemeente=gemeente)
    year_text = _year_text(figures_table, year, lang)
    doc = Document(
        _t("pdf_title", lang, name=area.label),
        subtitle=_t(
            "pdf_subtitle_latest" if profile.is_latest(year) else "pdf_subtitle",
            lang,
            kind=kind,
            year=year_text,
            count=len(area.codes),
        ),
        printed=printed,
        lang=lang,
    )
    doc.image(staticmap.area_map(snap, area.codes, gemeente=gemeente, size_in=5), width_mm=95)
    _members(doc, member_names(snap, area), lang)
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
    doc.sources([_t("data_year", lang, year=year_text), *lines, i18n.t("app.attribution", lang)])
    return doc.to_bytes()


def _year_text(table: pd.DataFrame, year: profile.YearMode, lang: str) -> str:
    """ "2023", or for the latest-per-figure view "nieuwste per cijfer (2020–2024)"."""
    if not profile.is_latest(year):
        return str(year)
    if table.empty:
        return i18n.t("profiel.latest", lang).lower()
    first, last = int(table["year"].min()), int(table["year"].max())
    span = str(last) if first == last else f"{first}–{last}"
    return f"{i18n.t('profiel.latest', lang).lower()} ({span})"


def _key_figures(doc: Document, table: pd.DataFrame, area: Area, lang: str) -> None:
    doc.heading(_t("key_figures", lang))
    if table.empty:
        doc.paragraph(_t("no_figures", lang))
        return
    refs = [name for name in profile.reference_names(table) if name != area.label]
    header = [_t("col_indicator", lang), area.label, *refs, _t("col_year", lang)]
    widths = [3.0, 1.8, *([1.6] * len(refs)), 0.6]
    for theme_label, part in table.groupby("theme_label", sort=False):
        doc.heading(str(theme_label), level=2)
        rows = [
            [r["label"], r["text"], *[r[f"{n} (tekst)"] for n in refs], str(int(r["year"]))] for _, r in part.iterrows()
        ]
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


# -- the two-page handout -----------------------------------------------------------------------------

#: The headline figures of the handout, in this order (those the area lacks are left out): about ten.
HANDOUT_FIGURES = (
    "inwoners",
    "huishoudens",
    "pct_0_15",
    "pct_65_plus",
    "huishoudensgrootte",
    "pct_eenpersoonshuishoudens",
    "woningvoorraad",
    "woz_waarde",
    "pct_huishoudens_laag_inkomen",
    "bijstand_per_1000",
    "bevolkingsdichtheid",
)
#: What stands out: at most this many figures, each at least this many SDs from the city value.
STANDOUT_MAX, STANDOUT_SD = 5, 1.0
#: A custom area's buurten are listed by name, at most this many (the rest counted), so page 1 holds.
MAX_MEMBER_NAMES = 40


def handout_pdf(
    snap: Snapshot,
    catalogue: Catalogue,
    area: Area,
    *,
    year: profile.YearMode = profile.LATEST,
    lang: str = "nl",
    printed: date | None = None,
    gemeente: str = settings.DEFAULT_GEMEENTE,
) -> bytes:
    """Two A4 pages to take home: page 1 the map and about ten headline figures next to the city;
    page 2 what stands out, the area's buurten (for a wijk or own area), and sources with dates.
    Names only, no codes and no internal keys. Always exactly two pages: when the figures would not
    fit on page 1 the last ones are left out (they are in the full profile)."""
    figures_table = profile.key_figures(snap, catalogue, area, year=year, lang=lang, gemeente=gemeente)
    city = snap.names().get(gemeente, gemeente)
    position = profile.position(snap, catalogue, area, year=year, lang=lang, gemeente=gemeente)
    content = _Handout(
        name=plain_name(area),
        subtitle=i18n.t("plain.handout.subtitle", lang, kind=i18n.t(f"level.{area.kind}", lang), count=len(area.codes)),
        city=city,
        map_png=staticmap.area_map(snap, area.codes, gemeente=gemeente, size_in=5),
        rows=handout_rows(figures_table, catalogue, city, lang),
        standouts=standout_lines(position, city, lang),
        members=member_names(snap, area),
        sources=[
            _t("data_year", lang, year=_year_text(figures_table, year, lang)),
            *sorted({s for s in figures_table.get("source", pd.Series(dtype=str)) if s}),
            i18n.t("app.attribution", lang),
        ],
    )
    for shown in range(len(content.rows), 3, -1):  # leave figures out until page 1 holds them
        doc = _handout(content, shown, lang, printed)
        if doc is not None:
            return doc.to_bytes()
    raise DataError("Het handout past niet op twee pagina's.", en="The handout does not fit on two pages.")


@dataclass(frozen=True)
class _Handout:
    name: str
    subtitle: str
    city: str
    map_png: bytes
    rows: list[list[str]]
    standouts: list[str]
    members: list[str]
    sources: list[str]


def _handout(content: _Handout, shown: int, lang: str, printed: date | None) -> Document | None:
    """The handout with the first ``shown`` figures, or None when it does not come out at two pages."""
    doc = Document(_t("pdf_title", lang, name=content.name), subtitle=content.subtitle, printed=printed, lang=lang)
    doc.image(content.map_png, width_mm=100, height_mm=95)
    doc.heading(i18n.t("plain.handout.figures", lang, city=content.city))
    if content.rows:
        header = [_t("col_indicator", lang), content.name, content.city, _t("col_year", lang)]
        rows = content.rows[:shown]
        doc.table(header, rows, widths=[3.2, 1.7, 1.7, 0.7], align=["L", "R", "R", "R"], size=9.5)
    else:
        doc.paragraph(_t("no_figures", lang))
    if doc.page_count != 1:
        return None
    doc.new_page()
    doc.heading(i18n.t("plain.handout.stands_out", lang, city=content.city))
    nothing = [i18n.t("plain.handout.nothing_stands_out", lang, city=content.city)]
    for line in content.standouts or nothing:
        doc.paragraph(f"• {line}", size=10)
    doc.paragraph(i18n.t("plain.handout.stands_out_how", lang, city=content.city), size=8.5, muted=True)
    _members(doc, content.members, lang)
    doc.heading(i18n.t("plain.handout.more", lang), level=2)
    doc.paragraph(i18n.t("plain.handout.more_text", lang), size=9)
    doc.sources(content.sources)
    return doc if doc.page_count == 2 else None


def plain_name(area: Area) -> str:
    """The area's name for residents: its label without a trailing "(BU01530905)"-style code."""
    return re.sub(r"\s*\((?:BU|WK|GM)\d{4,8}\)$", "", area.label)


def handout_rows(table: pd.DataFrame, catalogue: Catalogue, city: str, lang: str = "nl") -> list[list[str]]:
    """[label, area value, city value, year] for the handout's headline figures the area has; the city
    value is the plain figure (the full profile says over how many buurten it is known)."""
    if table.empty:
        return []
    by_key = table.set_index("indicator")
    rows = []
    for key in HANDOUT_FIGURES:
        if key not in by_key.index or key not in catalogue:
            continue
        row, ind = by_key.loc[key], catalogue[key]
        year = "" if pd.isna(row["year"]) else str(int(row["year"]))
        city_value = row[city] if city in row.index else None
        rows.append([str(row["label"]), ind.format(row["value"], lang), ind.format(city_value, lang), year])
    return rows


def standout_lines(position: pd.DataFrame, city: str, lang: str) -> list[str]:
    """Plain sentences for the figures furthest from the city value (at least :data:`STANDOUT_SD`
    SDs), largest first: "Aandeel 65 jaar en ouder: 31,0%, hoger dan in Enschede (17,9%)"."""
    if position.empty:
        return []
    far = position[position["z"].abs() >= STANDOUT_SD]
    far = far.reindex(far["z"].abs().sort_values(ascending=False).index).head(STANDOUT_MAX)
    return [
        i18n.t(
            "plain.handout.higher" if row["z"] > 0 else "plain.handout.lower",
            lang,
            label=row["label"],
            value=row["text"],
            city=city,
            city_value=row["city_text"],
        )
        for _, row in far.iterrows()
    ]


def member_names(snap: Snapshot, area: Area) -> list[str]:
    """The names of an area's buurten, sorted; empty for a single buurt."""
    names = snap.names()
    return sorted(names.get(code, code) for code in area.codes) if len(area.codes) > 1 else []


def _members(doc: Document, names: list[str], lang: str) -> None:
    """For an area of several buurten: which buurten, by name (a custom area is otherwise a mystery)."""
    if not names:
        return
    shown = names[:MAX_MEMBER_NAMES]
    text = ", ".join(shown)
    if len(names) > len(shown):
        text += " " + i18n.t("plain.handout.and_more", lang, count=len(names) - len(shown))
    doc.heading(i18n.t("plain.handout.members", lang, count=len(names)), level=2)
    doc.paragraph(text, size=9)
