"""A small PDF document builder on fpdf2: title, date, headings, text, tables, bars, images, sources.

Every report (the area profile, the session report) is built from these blocks so they look alike:
A4 portrait, DejaVu Sans for full Unicode (ë, €, ², —), the print date under the title, and the
CBS/PDOK attribution with the page number in every footer.

All text is treated as plain text: nothing is parsed as markup, and characters the font cannot draw
are replaced by "?" rather than silently dropped.

Example::

    doc = Document("Wijkpaspoort Broekheurne", subtitle="Eigen gebied · 2023")
    doc.heading("Kerncijfers")
    doc.table(["Indicator", "Waarde"], [["Inwoners", "1.820"]], widths=[120, 60])
    doc.bars([Bar("Aandeel 65+", 0.8, "23,1%")])
    pdf_bytes = doc.to_bytes()
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from enschede_gis import formatting, i18n
from enschede_gis.errors import DataError

#: Debian's fonts-dejavu-core; overridable for machines that keep fonts elsewhere.
FONT_DIR = Path(os.environ.get("WIJKBEELD_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))
FONT_REGULAR = "DejaVuSans.ttf"
FONT_BOLD = "DejaVuSans-Bold.ttf"
FAMILY = "DejaVu"

#: Colours (RGB) for bars: neutral composition, more / less attention, around the average.
COLOURS = {
    "neutral": (150, 150, 150),
    "average": (190, 190, 190),
    "more": (215, 95, 45),
    "less": (45, 120, 180),
}
TEXT = (33, 33, 33)
MUTED = (110, 110, 110)
RULE = (200, 200, 200)

MARGIN_MM = 15
PAGE_WIDTH_MM = 210


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: a label, a signed value (e.g. SDs from the city), the text to show."""

    label: str
    value: float
    text: str
    colour: str = "neutral"


class _PDF(FPDF):
    """FPDF with our footer: attribution, print date and page number on every page."""

    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=7)
        self.set_text_color(*MUTED)
        self.cell(0, 5, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="R")


class Document:
    """A report being built, block by block; :meth:`to_bytes` gives the finished PDF."""

    def __init__(
        self,
        title: str,
        *,
        subtitle: str = "",
        printed: date | None = None,
        lang: str = "nl",
        attribution: str | None = None,
    ) -> None:
        self.lang = lang
        self.printed = printed or date.today()
        self._pdf = _PDF(orientation="P", unit="mm", format="A4")
        self._load_fonts()
        self._pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
        self._pdf.set_auto_page_break(auto=True, margin=18)
        self._pdf.set_title(self.plain(title))
        self._pdf.set_creator("Wijkbeeld Enschede")
        credit = attribution or i18n.t("app.attribution", lang)  # "Bron:" / "Source:" in the PDF's language
        self._pdf.footer_text = self.plain(f"{credit} · {self.printed_text()}")
        self._pdf.add_page()
        self._title(title, subtitle)

    # -- setup -------------------------------------------------------------------------------------

    def _load_fonts(self) -> None:
        regular, bold = _font_files()
        self._pdf.add_font(FAMILY, "", str(regular))
        self._pdf.add_font(FAMILY, "B", str(bold))
        self._pdf.set_font(FAMILY, size=10)
        self._glyphs = set(self._pdf.current_font.cmap)
        self._widths: dict[tuple, dict[str, float]] = {}  # font -> word -> width in mm (see _lines)

    def plain(self, text: object) -> str:
        """Text as the PDF will show it: control characters dropped, undrawable characters as "?", and
        "€ 206.000" kept on one line (a no-break space after the euro sign)."""
        out = []
        for char in str(text).replace("€ ", "€\u00a0"):
            if char in "\n\t":
                out.append(" " if char == "\t" else char)
            elif ord(char) < 32:
                continue
            else:
                out.append(char if ord(char) in self._glyphs else "?")
        return "".join(out)

    def printed_text(self) -> str:
        return i18n.t("pdf.printed", self.lang, date=formatting.long_date(self.printed, self.lang))

    @property
    def width(self) -> float:
        """Usable width of the page in mm."""
        return PAGE_WIDTH_MM - 2 * MARGIN_MM

    # -- blocks ------------------------------------------------------------------------------------

    def _title(self, title: str, subtitle: str) -> None:
        pdf = self._pdf
        pdf.set_text_color(*TEXT)
        pdf.set_font(FAMILY, "B", 18)
        pdf.multi_cell(0, 9, self.plain(title), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FAMILY, size=10)
        pdf.set_text_color(*MUTED)
        if subtitle:
            pdf.multi_cell(0, 5, self.plain(subtitle), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.multi_cell(0, 5, self.plain(self.printed_text()), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*TEXT)
        pdf.ln(3)

    def heading(self, text: str, *, level: int = 1) -> None:
        pdf = self._pdf
        size = {1: 13, 2: 11}.get(level, 10)
        if pdf.get_y() > pdf.h - 45:  # keep a heading with what follows it
            pdf.add_page()
        pdf.ln(2 if level > 1 else 4)
        pdf.set_font(FAMILY, "B", size)
        pdf.set_text_color(*TEXT)
        pdf.multi_cell(0, size * 0.5, self.plain(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if level == 1:
            pdf.set_draw_color(*RULE)
            pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.l_margin + self.width, pdf.get_y() + 0.5)
            pdf.ln(2)
        pdf.set_font(FAMILY, size=10)

    def paragraph(self, text: str, *, size: float = 10, muted: bool = False) -> None:
        pdf = self._pdf
        pdf.set_font(FAMILY, size=size)
        pdf.set_text_color(*(MUTED if muted else TEXT))
        for line in self._lines(self.plain(text), self.width):
            pdf.cell(0, size * 0.5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*TEXT)
        pdf.ln(1)

    def _lines(self, text: str, width: float) -> list[str]:
        """``text`` broken into lines no wider than ``width`` mm in the current font, at spaces (a word
        wider than a line is cut). fpdf's multi_cell measures every growing line again for each
        character it adds; measuring each word once makes long explanation sections several times faster.
        """
        pdf = self._pdf
        widths = self._widths.setdefault((pdf.font_family, pdf.font_style, pdf.font_size_pt), {})

        def measure(word: str) -> float:
            if word not in widths:
                widths[word] = pdf.get_string_width(word)
            return widths[word]

        space = measure(" ")
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line, used = [], 0.0
            for word in paragraph.split(" "):
                size = measure(word)
                while size > width and word:  # longer than a line: cut it where it fills one
                    if line:
                        lines.append(" ".join(line))
                        line, used = [], 0.0
                    cut = _fitting(word, width, measure)
                    lines.append(word[:cut])
                    word, size = word[cut:], measure(word[cut:])
                if line and used + space + size > width:
                    lines.append(" ".join(line))
                    line, used = [], 0.0
                used += (space if line else 0.0) + size
                line.append(word)
            lines.append(" ".join(line))
        return lines

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[object]],
        *,
        widths: Sequence[float] | None = None,
        align: Sequence[str] | None = None,
        size: float = 8.5,
    ) -> None:
        """A table with a bold header row (repeated on a new page); cells wrap inside their column.

        ``widths`` are relative (they are scaled to the page width); ``align`` per column: L, R or C.
        """
        if not rows:
            return
        pdf = self._pdf
        pdf.set_font(FAMILY, size=size)
        pdf.set_fill_color(255, 255, 255)
        widths = list(widths or [1] * len(header))
        aligns = list(align or ["L"] * len(header))
        with pdf.table(
            col_widths=widths,
            width=self.width,
            text_align=tuple(aligns),
            line_height=size * 0.5,
            first_row_as_headings=True,
            headings_style=_heading_style(),
            borders_layout="HORIZONTAL_LINES",
            padding=1,
        ) as table:
            head = table.row()
            for cell in header:
                head.cell(self.plain(cell))
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(self.plain(value))
        pdf.set_font(FAMILY, size=10)
        pdf.ln(2)

    def bars(self, bars: Sequence[Bar], *, limit: float = 3.0, caption: str = "", size: float = 8) -> None:
        """Horizontal bars around a centre line, clipped at ``limit`` either way (e.g. ±3 SD).

        Each row: label on the left, the bar in the middle, the value text on the right; a long label
        or value wraps onto more lines (never cut off). A value of NaN draws no bar.
        """
        pdf = self._pdf
        label_w, bar_w = self.width * 0.40, self.width * 0.22
        text_w = self.width - label_w - bar_w
        line_h = size * 0.45
        pdf.set_font(FAMILY, size=size)
        for bar in bars:
            labels = self._lines(self.plain(bar.label).replace("\n", " "), label_w - 1.5)
            texts = self._lines(self.plain(bar.text).replace("\n", " "), text_w - 1.5)
            row_h = max(5.0, line_h * max(len(labels), len(texts)) + 1.2)
            if pdf.get_y() + row_h > pdf.h - 20:
                pdf.add_page()
            x, y = pdf.l_margin, pdf.get_y()
            for i, line in enumerate(labels):
                pdf.set_xy(x, y + 0.6 + i * line_h)
                pdf.cell(label_w, line_h, line)
            centre = x + label_w + bar_w / 2
            pdf.set_draw_color(*RULE)
            pdf.line(centre, y + 0.5, centre, y + row_h - 0.5)
            if not math.isnan(bar.value):
                length = max(-1.0, min(1.0, bar.value / limit)) * (bar_w / 2 - 1)
                pdf.set_fill_color(*COLOURS.get(bar.colour, COLOURS["neutral"]))
                left = centre + min(0.0, length)
                pdf.rect(left, y + row_h / 2 - 1.3, max(abs(length), 0.4), 2.6, style="F")
            for i, line in enumerate(texts):
                pdf.set_xy(x + label_w + bar_w + 1.5, y + 0.6 + i * line_h)
                pdf.cell(text_w - 1.5, line_h, line)
            pdf.set_xy(x, y + row_h)
        pdf.set_fill_color(255, 255, 255)  # fpdf2 keeps the fill colour: don't let it colour a later table
        if caption:
            self.paragraph(caption, size=7.5, muted=True)
        pdf.set_font(FAMILY, size=10)

    def image(self, png: bytes, *, width_mm: float | None = None, height_mm: float | None = None) -> None:
        """A PNG image, centred, at most ``width_mm`` wide (default: the page width) and at most
        ``height_mm`` high (its shape kept)."""
        pdf = self._pdf
        width = min(width_mm or self.width, self.width)
        if height_mm is not None:
            from PIL import Image  # ships with matplotlib

            with Image.open(io.BytesIO(png)) as picture:
                aspect = picture.width / picture.height
            width = min(width, height_mm * aspect)
        x = pdf.l_margin + (self.width - width) / 2
        pdf.image(io.BytesIO(png), x=x, w=width)
        pdf.ln(2)

    def sources(self, lines: Sequence[str], *, title: str | None = None) -> None:
        """The sources and data years, as a small list at the end."""
        self.heading(title or i18n.t("pdf.sources", self.lang), level=2)
        for line in dict.fromkeys(lines):
            self.paragraph(f"• {line}", size=8, muted=True)

    def new_page(self) -> None:
        self._pdf.add_page()

    @property
    def page_count(self) -> int:
        return self._pdf.page_no()

    @property
    def space_left(self) -> float:
        """Millimetres left above the footer on the current page."""
        return self._pdf.h - 20 - self._pdf.get_y()

    def to_bytes(self) -> bytes:
        return bytes(self._pdf.output())


def _font_files() -> tuple[Path, Path]:
    """DejaVu Sans regular and bold: Debian's copy, else the one matplotlib ships with itself."""
    import matplotlib

    for folder in (FONT_DIR, Path(matplotlib.get_data_path()) / "fonts" / "ttf"):
        regular, bold = folder / FONT_REGULAR, folder / FONT_BOLD
        if regular.exists() and bold.exists():
            return regular, bold
    raise DataError(
        f"Lettertype voor de PDF ontbreekt: {FONT_DIR / FONT_REGULAR} (installeer fonts-dejavu-core).",
        en=f"Font for the PDF is missing: {FONT_DIR / FONT_REGULAR} (install fonts-dejavu-core).",
    )


def _heading_style():
    from fpdf.fonts import FontFace

    return FontFace(family=FAMILY, emphasis="BOLD", fill_color=(240, 240, 240))


def _fitting(word: str, width: float, measure) -> int:
    """How many leading characters of ``word`` fit in ``width`` (at least one)."""
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(word[:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return low
