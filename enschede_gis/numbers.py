"""Numbers as a Dutch or an English spreadsheet writes them, read exactly or refused, never guessed.

A file writes its numbers one of two ways: with a decimal comma and thousands dots (``1.234,5``,
Dutch) or with a decimal point and thousands commas (``1,234.5``, English). Most cells show which
(``12,5`` can only be a decimal comma; ``1.234,5`` and ``1,234.5`` carry both marks), but some can be
either: ``1.234`` is 1234 with a thousands dot or 1,234 with a decimal point. Such a cell is read only
when other cells of the column (or else of the file) settle the convention; otherwise it is refused
with the reason, because reading it the wrong way is off by a factor of a thousand, silently.

:func:`convention` finds the convention of a set of cells, :func:`parse` reads one cell with it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from enschede_gis.errors import InputError

Convention = Literal["comma", "point"]
#: How each convention is stated back to the user (the example is the same number, 1234.5).
EXAMPLE = {"comma": "1.234,5", "point": "1,234.5"}

#: The largest magnitude accepted for any figure: far above any count, average or amount a buurt or
#: wijk has, far below the values (1e308, overflow to infinity) that mean a broken file.
MAX_MAGNITUDE = 1e9

_SIGN = r"[-+]?"
_EXPONENT = r"(?:[eE][-+]?\d{1,3})?"
#: A group of thousands, e.g. "1.234" or "12,345,678": ambiguous when the separator occurs once.
_GROUPED = {sep: re.compile(rf"[1-9]\d{{0,2}}(?:\{sep}\d{{3}})+") for sep in ".,"}
_PLAIN = re.compile(rf"{_SIGN}\d+{_EXPONENT}")


class NumberError(ValueError):
    """A cell that is not a number, or cannot be read without guessing; ``reason`` is a locale key part."""

    def __init__(self, reason: str, text: str) -> None:
        super().__init__(f"{reason}: {text}")
        self.reason = reason
        self.text = text


@dataclass(frozen=True)
class Evidence:
    """What the cells of a column say about the convention."""

    comma: int = 0
    point: int = 0

    @property
    def settled(self) -> Convention | None:
        if self.comma and not self.point:
            return "comma"
        if self.point and not self.comma:
            return "point"
        return None

    @property
    def mixed(self) -> bool:
        return bool(self.comma and self.point)

    def __add__(self, other: Evidence) -> Evidence:
        return Evidence(self.comma + other.comma, self.point + other.point)


def _core(text: str) -> str:
    """The cell without blanks, a trailing per cent sign and a leading sign."""
    cell = text.strip().removesuffix("%").strip()
    cell = re.sub(r"[\s\u00a0\u202f]", "", cell)
    return cell[1:] if cell[:1] in "+-" else cell


def _mantissa(cell: str) -> str:
    return re.sub(r"[eE][-+]?\d+$", "", cell)


def hint(text: str) -> Convention | None:
    """The convention one cell proves on its own, or None when it can be read either way (or has no mark)."""
    cell = _mantissa(_core(text))
    dots, commas = cell.count("."), cell.count(",")
    if not any(c.isdigit() for c in cell):
        return None
    if dots and commas:
        return "comma" if cell.rfind(",") > cell.rfind(".") else "point"
    if commas:
        if commas == 1 and _GROUPED[","].fullmatch(cell):
            return None  # "1,234": a decimal comma or a thousands comma
        return "point" if commas > 1 else "comma"
    if dots:
        if dots == 1 and _GROUPED["."].fullmatch(cell):
            return None  # "1.234": a decimal point or a thousands dot
        return "comma" if dots > 1 else "point"
    return None


def evidence(cells: Iterable[object]) -> Evidence:
    """Count the text cells that prove a decimal comma and those that prove a decimal point."""
    comma = point = 0
    for cell in cells:
        if isinstance(cell, str):
            found = hint(cell)
            comma += found == "comma"
            point += found == "point"
    return Evidence(comma, point)


def is_ambiguous(text: str) -> bool:
    """True for a cell like "1.234" or "1,234" that reads differently in the two conventions."""
    cell = _mantissa(_core(text))
    return any(cell.count(sep) == 1 and _GROUPED[sep].fullmatch(cell) for sep in ".,")


def parse(value: object, convention: Convention | None) -> float | None:
    """One cell as a finite number; empty is None.

    Numbers typed as numbers (an Excel number cell) are taken as they are. Text is read with the
    given convention; with ``convention=None`` a cell that needs one (``1.234``) raises
    :class:`NumberError` with reason ``ambiguous``. Infinite, NaN and overflowing values raise
    ``not_finite``, text that is no number ``not_a_number``.
    """
    if value is None or isinstance(value, int | float):
        return _typed(value)
    text = str(value)
    cell = _core(text)
    if not cell:
        if text.strip().removesuffix("%").strip():
            raise NumberError("not_a_number", text.strip())  # a lone "-" is no number (nor a zero)
        return None
    sign = "-" if text.strip().startswith("-") else ""
    own = hint(text)
    if own is not None and convention is not None and own != convention:
        raise NumberError("mixed", text.strip())
    use = own or convention
    if use is None and is_ambiguous(text):
        raise NumberError("ambiguous", text.strip())
    thousands, decimal = (".", ",") if use == "comma" else (",", ".")
    mantissa = _mantissa(cell)
    if thousands in mantissa and not _grouped_ok(mantissa.split(decimal)[0], thousands):
        raise NumberError("not_a_number", text.strip())
    plain = cell.replace(thousands, "").replace(decimal, ".")
    if not re.fullmatch(rf"(\d+(\.\d*)?|\.\d+){_EXPONENT}", plain):
        raise NumberError("not_a_number", text.strip())
    return _finite(float(sign + plain), text.strip())


def _typed(value: bool | int | float | None) -> float | None:
    """A cell typed as a number (an Excel number cell): taken as it is, if it is a finite number."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise NumberError("not_a_number", str(value))
    number = float(value)
    if math.isnan(number):
        return None  # an empty spreadsheet cell as pandas gives it
    return _finite(number, str(value))


def _grouped_ok(whole: str, thousands: str) -> bool:
    """ "1.234.567" has proper thousands groups; "12.34" does not (it is no number in this convention)."""
    return bool(_GROUPED[thousands].fullmatch(whole))


def _finite(number: float, text: str) -> float:
    if not math.isfinite(number):
        raise NumberError("not_finite", text)
    if abs(number) > MAX_MAGNITUDE:
        raise NumberError("too_large", text)
    return number


def show(number: float, convention: Convention = "comma") -> str:
    """A number written back in the convention it was read in (no thousands marks, a whole number in
    full: 20000000, not 2e+07)."""
    text = str(int(number)) if float(number).is_integer() else f"{number:.10g}"
    return text.replace(".", ",") if convention == "comma" else text


def as_typed(number: float, lang: str = "nl") -> str:
    """A number as a user would type it in the UI's language: decimal comma in Dutch, point in
    English, no thousands marks (so that :func:`read_typed` reads it back without doubt): 2,5 / 1500."""
    text = show(number, "comma" if lang == "nl" else "point")
    return text + "0" if is_ambiguous(text) else text  # 12.345 as "12,3450": never read as 12345


def read_typed(
    text: object,
    *,
    label: str,
    minimum: float | None = None,
    maximum: float | None = None,
    whole: bool = False,
) -> float:
    """The number a user typed into the field ``label`` (a form field, not a file): "2,5" and "2.5" are
    both 2.5, "1.234,5" and "1,234.5" both 1234.5. A text that reads two ways ("1.500": 1500 or 1.5)
    is refused, naming both readings; so are text that is no number, a fraction where ``whole`` numbers
    are asked, and a number outside ``minimum``..``maximum``. Refusals are :class:`InputError` in
    Dutch and English, starting with ``label``."""
    typed = " ".join(str(text or "").split())
    if not typed:
        raise InputError(f"{label}: vul een getal in.", en=f"{label}: enter a number.")
    try:
        number = parse(typed, None)
    except NumberError as exc:
        if exc.reason == "ambiguous":
            small, big = sorted((parse(typed, "comma"), parse(typed, "point")), key=abs)
            nl_big, nl_small, en_big, en_small = (
                as_typed(big),
                as_typed(small),
                as_typed(big, "en"),
                as_typed(small, "en"),
            )
            raise InputError(
                f"{label}: '{typed}' kan {nl_big} of {nl_small} betekenen. Schrijf {nl_big} of {nl_small}.",
                en=f"{label}: '{typed}' could mean {en_big} or {en_small}. Write {en_big} or {en_small}.",
            ) from None
        if exc.reason == "too_large":
            raise InputError(f"{label}: '{typed}' is te groot.", en=f"{label}: '{typed}' is too large.") from None
        raise InputError(f"{label}: '{typed}' is geen getal.", en=f"{label}: '{typed}' is not a number.") from None
    if number is None:
        raise InputError(f"{label}: vul een getal in.", en=f"{label}: enter a number.")
    if whole and not number.is_integer():
        raise InputError(
            f"{label}: vul een heel getal in, geen {as_typed(number)}.",
            en=f"{label}: enter a whole number, not {as_typed(number, 'en')}.",
        )
    low = -math.inf if minimum is None else minimum
    high = math.inf if maximum is None else maximum
    if not low <= number <= high:
        nl_range = _range(minimum, maximum, "nl")
        en_range = _range(minimum, maximum, "en")
        raise InputError(
            f"{label}: {as_typed(number)} kan niet; {nl_range}.",
            en=f"{label}: {as_typed(number, 'en')} is not allowed; {en_range}.",
        )
    return number


def _range(minimum: float | None, maximum: float | None, lang: str) -> str:
    low = None if minimum is None else as_typed(minimum, lang)
    high = None if maximum is None else as_typed(maximum, lang)
    if lang == "nl":
        if low is not None and high is not None:
            return f"kies een getal van {low} tot en met {high}"
        return f"kies {low} of meer" if low is not None else f"kies {high} of minder"
    if low is not None and high is not None:
        return f"choose a number from {low} to {high}"
    return f"choose {low} or more" if low is not None else f"choose {high} or less"


__all__ = [
    "EXAMPLE",
    "MAX_MAGNITUDE",
    "Convention",
    "Evidence",
    "NumberError",
    "as_typed",
    "evidence",
    "hint",
    "parse",
    "read_typed",
    "show",
]
