"""Uploaded tables (CSV or Excel) read as cells, with every limit checked before the work is done.

Both doors that take a spreadsheet (own data in :mod:`enschede_gis.uploads`, the projects import in
:mod:`enschede_gis.projects`) read through :func:`read`: the bytes' size, an Excel file's unpacked size
(the sum of its zip members' sizes, so a small "zip bomb" is refused before it is unpacked), and the
number of rows and columns (counted while reading, so a million-row sheet stops at the limit) are all
checked before a table is built. Text is decoded from UTF-8 (with or without BOM), UTF-16 with BOM
(Excel's "Unicode text") or Windows-1252. What a file *is* comes from its content, not its name: a CSV
renamed to ``.xlsx`` (or the other way round) is refused with a message that says so.

Excel cells keep their type (a number cell stays a number, a date cell a date); CSV cells are text.
Empty cells are ``None``. A failure raises :class:`TableError` with a code from ``eigen.problem.*``.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from enschede_gis import i18n
from enschede_gis.errors import InputError


@dataclass(frozen=True)
class Limits:
    """What one door accepts; each limit exists so one upload cannot stall every session."""

    #: The upload's own size.
    max_bytes: int = 5_000_000
    #: An Excel file's members unpacked: a 77 KB .xlsx can unpack to hundreds of MB of XML.
    max_unpacked: int = 10_000_000
    #: Data rows (the header not counted): every buurt of the Netherlands fits with room to spare.
    max_rows: int = 20_000
    max_columns: int = 200


DEFAULT_LIMITS = Limits()
_EXCEL_NAMES = (".xlsx", ".xlsm")
_TEXT_NAMES = (".csv", ".txt", ".tsv")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format


class TableError(InputError):
    """A file that cannot be read as a table; ``code`` is its ``eigen.problem.*`` key, ``row`` where."""

    def __init__(self, code: str, *, row: int | None = None, **values: object) -> None:
        self.code, self.row, self.values = code, row, values
        super().__init__(self._text("nl"), en=self._text("en"))

    def _text(self, lang: str) -> str:
        values = {k: v for k, v in self.values.items() if k != "column"}
        text = i18n.t(f"eigen.problem.{self.code}", lang, **values)
        where = []
        if self.row is not None:
            where.append(i18n.t("eigen.where_row", lang, row=self.row))
        if "column" in self.values:
            where.append(i18n.t("eigen.where_column", lang, column=self.values["column"]))
        return f"{', '.join(where)}: {text}" if where else text


def read(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> pd.DataFrame:
    """The file as a table of cells, header from the first row; rows that are wholly empty left out."""
    if not data or not data.strip():
        raise TableError("empty")
    if len(data) > limits.max_bytes:
        raise TableError("too_big", limit=_mb(limits.max_bytes))
    lower = name.lower()
    if data[:4] == _OLE_MAGIC:
        raise TableError("old_excel")
    if data[:4] == _ZIP_MAGIC:
        if lower.endswith(_TEXT_NAMES):
            raise TableError("renamed_excel", name=name)
        frame = _read_excel(data, limits)
    else:
        if lower.endswith(_EXCEL_NAMES):
            raise TableError("renamed_text", name=name)
        frame = _read_csv(data, limits)
    frame = frame.dropna(how="all")
    if frame.empty:
        raise TableError("no_rows")
    return frame.reset_index(drop=True)


def _mb(size: int) -> str:
    return f"{size / 1_000_000:g}"


# -- Excel --------------------------------------------------------------------------------------------


def _read_excel(data: bytes, limits: Limits) -> pd.DataFrame:
    import openpyxl  # heavy; only for Excel files

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TableError("not_a_table", detail="zip") from None
    if unpacked > limits.max_unpacked:
        raise TableError("too_big_unpacked", limit=_mb(limits.max_unpacked))
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, TypeError) as exc:
        raise TableError("not_a_table", detail=type(exc).__name__) from None
    try:
        rows = _sheet_rows(book.worksheets[0], limits) if book.worksheets else []
    except TableError:
        raise
    except (ValueError, KeyError, TypeError, zipfile.BadZipFile) as exc:
        raise TableError("not_a_table", detail=type(exc).__name__) from None
    finally:
        book.close()
    if not rows:
        raise TableError("not_a_table", detail="no header")
    width = max(len(r) for r in rows)
    header = [("" if c is None else str(c)) for c in rows[0]] + [""] * (width - len(rows[0]))
    body = [list(r) + [None] * (width - len(r)) for r in rows[1:]]
    return _frame(header, body)


def _sheet_rows(sheet, limits: Limits) -> list[tuple]:
    """The sheet's rows as value tuples, trailing empty cells cut, stopping at the limits."""
    rows: list[tuple] = []
    # Empty (formatted) rows count too, more loosely: reading them is work as well.
    for seen, values in enumerate(sheet.iter_rows(values_only=True)):
        if seen > 5 * limits.max_rows:
            raise TableError("too_many_rows", limit=limits.max_rows)
        cells = list(values)
        while cells and (cells[-1] is None or (isinstance(cells[-1], str) and not cells[-1].strip())):
            cells.pop()
        if len(cells) > limits.max_columns:
            raise TableError("too_many_columns", found=len(cells), limit=limits.max_columns)
        if not cells:
            continue
        rows.append(tuple(_excel_cell(c) for c in cells))
        if len(rows) > limits.max_rows + 1:
            raise TableError("too_many_rows", limit=limits.max_rows)
    return rows


def _excel_cell(value: object) -> object:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, datetime) or value is None or isinstance(value, int | float):
        return value
    return str(value)


# -- text (CSV) ---------------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """Text from UTF-16 with BOM, UTF-8 (with or without BOM) or Windows-1252, in that order."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise TableError("not_a_table", detail="UTF-16") from None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError("not_a_table", detail="encoding")


def _read_csv(data: bytes, limits: Limits) -> pd.DataFrame:
    text = decode(data)
    if "\x00" in text:
        raise TableError("not_a_table", detail="binary")
    first = next((line for line in text.splitlines() if line.strip()), "")
    separator = max((";", "\t", ","), key=first.count)
    if first.count(separator) == 0:
        raise TableError("not_a_table", detail="one column")
    rows = []
    try:
        for row in csv.reader(io.StringIO(text), delimiter=separator):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > limits.max_columns:
                raise TableError("too_many_columns", found=len(row), limit=limits.max_columns)
            rows.append(row)
            if len(rows) > limits.max_rows + 1:
                raise TableError("too_many_rows", limit=limits.max_rows)
    except csv.Error as exc:
        raise TableError("not_a_table", detail=str(exc)) from None
    header, body = rows[0], rows[1:]
    width = len(header)
    for number, row in enumerate(body, start=2):
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            raise TableError("ragged", row=number, found=len(row), expected=width)
    cells = [[(cell.strip() or None) for cell in (row + [""] * width)[:width]] for row in body]
    return _frame(header, cells)


def _frame(header: list[str], body: list[list]) -> pd.DataFrame:
    names = [str(c).strip() for c in header]
    blank = [i + 1 for i, n in enumerate(names) if not n]
    if blank and len(blank) == len(names):
        raise TableError("not_a_table", detail="no header")
    # A blank header gets a name the user can recognise: its column number as a spreadsheet shows it.
    names = [n if i + 1 not in blank else f"kolom {i + 1}" for i, n in enumerate(names)]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise TableError("duplicate_header", column=twice[0])
    return pd.DataFrame(body, columns=names, dtype=object)
