"""One cleaner for all free text a user types or uploads: names, titles, notes, sources.

Text is stored as it will be shown and exported, so it is cleaned once, where it comes in (in the
pydantic validators of each module): Unicode NFC (the same letters compare equal), no control
characters (NUL breaks PostgreSQL), no direction overrides (U+202E makes ``gpj.exe`` look like
``exe.jpg``), no zero-width characters (invisible differences between two names), no BOM, and trimmed.
Notes keep their line breaks and tabs; one-line fields (names, titles) turn them into spaces.
Length limits stay with each field (``Field(max_length=...)``), checked after cleaning.

Exports are neutralised separately (:func:`spreadsheet_safe`), because a name may well start with
"-" or "=" and is kept as typed; only a spreadsheet must not run it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import BeforeValidator

#: C0 and C1 controls except tab and newline, DEL, zero-width and direction marks, word joiners,
#: bidi isolates, the BOM, line/paragraph separators.
_UNWANTED = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_LINE_BREAKS = re.compile(r"\s*[\n\t]+\s*")
#: First characters a spreadsheet reads as the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value: object) -> str:
    """Trimmed text in NFC without control, direction or zero-width characters (kept: newlines, tabs)."""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    return _UNWANTED.sub("", text).strip()


def clean_line(value: object) -> str:
    """:func:`clean_text` on one line: line breaks and tabs become one space."""
    return _LINE_BREAKS.sub(" ", clean_text(value))


def _line(value: object) -> object:
    return clean_line(value) if isinstance(value, str) else value


def _text(value: object) -> object:
    return clean_text(value) if isinstance(value, str) else value


#: Field types for pydantic models: ``name: Line = Field(min_length=1, max_length=80)``.
Line = Annotated[str, BeforeValidator(_line)]
Text = Annotated[str, BeforeValidator(_text)]


def spreadsheet_safe(value: object) -> object:
    """Text a spreadsheet would run as a formula, with a leading apostrophe; anything else unchanged.

    Only text is touched: a negative number stays a number (-5, not "'-5").
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
