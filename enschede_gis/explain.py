"""Plain-language explanations of indicators, for the screen and for PDFs.

The words live in the catalogue (``explanation_*``: what a figure measures and how CBS counts it;
``caveat_*``: one line on what it does *not* tell you). This module adds what only the data and the
rules know: the source tables and years in the statistics, and how Wijkbeeld combines buurten into a
larger area (from the indicator's aggregation rule). Everything is plain text: pages escape it for
markdown, PDFs print it as is.

Uploaded own data (``local=True``) need no catalogue text: their explanation names the uploader's
source (set by :mod:`enschede_gis.uploads`), and a fixed caveat says they are not CBS figures.

Example::

    block = explanation_block(catalogue["woz_waarde"], snap.statistics, "nl", catalogue=catalogue)
    add_to_pdf(doc, [catalogue["inwoners"], catalogue["woz_waarde"]], snap.statistics, "nl")
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from enschede_gis import i18n
from enschede_gis.indicators import Catalogue, Indicator

#: What the statistics append to the source of a figure computed from published counts
#: (see :func:`enschede_gis.statistics.derive_missing`).
DERIVED_MARK = "; afgeleid:"


@dataclass(frozen=True)
class Explanation:
    """Everything one explanation block says about an indicator, in one language."""

    key: str
    title: str  # label and unit
    what: str  # what it measures and how it is counted ("" when the catalogue has no text)
    combine: str  # how buurten are combined into a larger area
    caveat: str  # what it does not tell you
    sources: tuple[str, ...]  # "2023: CBS Kerncijfers wijken en buurten 2023 (85618NED, kwb-2023)"
    years: tuple[int, ...]
    local: bool
    lang: str = "nl"

    def parts(self) -> list[tuple[str, str]]:
        """(label, text) pairs in reading order, for a popover or a PDF section."""
        t = _texts(self.lang)
        sources = "; ".join(self.sources) if self.sources else t("uitleg.no_years")
        years = ", ".join(str(y) for y in self.years) if self.years else t("uitleg.no_years")
        parts = [
            (t("uitleg.what"), self.what or t("uitleg.none")),
            (t("uitleg.combine"), f"{self.combine} {t('uitleg.missing')}"),
            (t("uitleg.caveat"), self.caveat),
            (t("uitleg.source"), sources),
            (t("uitleg.years"), years),
        ]
        return [(label, text) for label, text in parts if text]  # e.g. a figure outside the catalogue

    def as_text(self) -> str:
        """The block as plain text: the title, then one "Label: text" line per part."""
        return "\n".join([self.title, *(f"{label}: {text}" for label, text in self.parts())])


def _texts(lang: str):
    return lambda key, **values: i18n.t(key, lang, **values)


def has_text(indicator: Indicator) -> bool:
    """Whether the catalogue explains this indicator in both languages (local data use their source)."""
    if indicator.local:
        return True
    fields = (indicator.explanation_nl, indicator.explanation_en, indicator.caveat_nl, indicator.caveat_en)
    return all(field.strip() for field in fields)


def missing_text(catalogue: Iterable[Indicator]) -> list[str]:
    """Keys of CBS indicators that lack an explanation or caveat in Dutch or English."""
    return [ind.key for ind in catalogue if not has_text(ind)]


def explanation(
    indicator: Indicator,
    stats: pd.DataFrame,
    lang: str = "nl",
    *,
    level: str | None = None,
    catalogue: Catalogue | None = None,
) -> Explanation:
    """The explanation of one indicator, with the source tables and years found in ``stats``.

    ``level`` (buurt, wijk, gemeente) limits the sources and years to that level; ``catalogue``
    lets the weighting rule name its weight ("Aantal inwoners") instead of its key.
    """
    lang = "en" if lang == "en" else "nl"
    t = _texts(lang)
    caveat = indicator.caveat(lang) or (t("uitleg.local_caveat") if indicator.local else "")
    if indicator.local and indicator.caveat(lang):
        caveat = f"{caveat} {t('uitleg.local_caveat')}"
    sources, years = _sources(indicator.key, stats, level=level, lang=lang)
    return Explanation(
        key=indicator.key,
        title=_title(indicator, lang),
        what=indicator.explanation(lang),
        combine=_rule_text(indicator, lang, catalogue),
        caveat=caveat,
        sources=sources,
        years=years,
        local=indicator.local,
        lang=lang,
    )


def explanation_block(
    indicator: Indicator,
    stats: pd.DataFrame,
    lang: str = "nl",
    *,
    level: str | None = None,
    catalogue: Catalogue | None = None,
) -> str:
    """The explanation of one indicator as plain text (title, what, how, caveat, source, years)."""
    return explanation(indicator, stats, lang, level=level, catalogue=catalogue).as_text()


def _title(indicator: Indicator, lang: str) -> str:
    unit = indicator.unit(lang)
    return f"{indicator.label(lang)} ({unit})" if unit else indicator.label(lang)


def _rule_text(indicator: Indicator, lang: str, catalogue: Catalogue | None) -> str:
    weight = indicator.weight or ""
    if catalogue is not None and weight in catalogue:
        weight = catalogue[weight].label(lang).lower()
    return i18n.t(f"uitleg.rule.{indicator.aggregation}", lang, weight=weight)


def _sources(key: str, stats: pd.DataFrame, *, level: str | None, lang: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """("year: table; table", ...) and the years that have at least one published value."""
    rows = stats[(stats["indicator"] == key) & stats["value"].notna()]
    if level is not None:
        rows = rows[rows["level"] == level]
    lines = []
    for year, group in rows.groupby("year", sort=True):
        names = dict.fromkeys(_plain_source(str(s), lang) for s in group["source"].dropna())
        lines.append(f"{int(year)}: {'; '.join(sorted(names))}")
    years = tuple(sorted(int(y) for y in rows["year"].unique()))
    return tuple(lines), years


def _plain_source(source: str, lang: str) -> str:
    """A stored source as a reader sees it: a derived figure names its table and how it was made."""
    if DERIVED_MARK not in source:
        return source
    table = source.split(DERIVED_MARK, 1)[0]
    return f"{table}, {i18n.t('uitleg.derived', lang)}"


def add_to_pdf(
    doc,
    indicators: Iterable[Indicator],
    stats: pd.DataFrame,
    lang: str = "nl",
    *,
    level: str | None = None,
    catalogue: Catalogue | None = None,
) -> None:
    """Append an "Uitleg bij de cijfers" section to an :class:`enschede_gis.pdf.Document`.

    One sub-heading per indicator (each once, in the order given), then its parts as paragraphs.
    """
    shown = list({ind.key: ind for ind in indicators}.values())
    if not shown:
        return
    doc.heading(i18n.t("uitleg.heading", lang))
    stats = stats[stats["indicator"].isin([ind.key for ind in shown])]  # once, not once per indicator
    for ind in shown:
        block = explanation(ind, stats, lang, level=level, catalogue=catalogue)
        doc.heading(block.title, level=2)
        for label, text in block.parts():
            doc.paragraph(f"{label}: {text}", size=9)
