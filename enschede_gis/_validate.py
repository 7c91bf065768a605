"""Turning validation failures into one clear message that names the field."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ValidationError


def describe(exc: ValidationError, names: Mapping[str, str] | None = None) -> str:
    """``field: problem; field: problem`` from a pydantic error, with fields renamed for the reader."""
    parts = []
    for error in exc.errors():
        loc = ".".join(str(p) for p in error["loc"]) or "?"
        field = (names or {}).get(loc, loc)
        message = str(error["msg"]).removeprefix("Value error, ")
        parts.append(f"{field}: {message}")
    return "; ".join(parts)
