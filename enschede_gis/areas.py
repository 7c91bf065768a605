"""Custom areas: a named group of buurten that an area team defines once and reuses everywhere.

Stored as one JSON file in the state directory. Their figures always come from the aggregation
rules (see :mod:`enschede_gis.aggregate`), never from averaging percentages.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from enschede_gis import settings
from enschede_gis._validate import non_empty, validated
from enschede_gis.errors import DataError, InputError
from enschede_gis.store import atomic_write_json, read_json, state_dir
from enschede_gis.text import Line, Text

FILE_NAME = "custom_areas.json"
SCHEMA_VERSION = 1
_BUURT = re.compile(r"^BU\d{8}$")


class CustomArea(BaseModel):
    """A named group of buurten within one gemeente."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Line = Field(min_length=1, max_length=80)
    codes: tuple[str, ...] = Field(min_length=1)
    description: Text = Field(default="", max_length=1000)
    gemeente: str = settings.DEFAULT_GEMEENTE

    _strip_name = field_validator("name")(non_empty)

    @field_validator("codes")
    @classmethod
    def _check_codes(cls, codes: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(dict.fromkeys(c.strip().upper() for c in codes))
        bad = [c for c in cleaned if not _BUURT.match(c)]
        if bad:
            raise InputError(f"geen buurtcode: {', '.join(bad)}", en=f"not a buurt code: {', '.join(bad)}")
        return cleaned

    @property
    def key(self) -> str:
        """Stable identifier for URLs and selections."""
        return "custom:" + self.name


def _path(folder: Path | None) -> Path:
    return (folder or state_dir()) / FILE_NAME


def load_areas(folder: Path | None = None) -> list[CustomArea]:
    raw = read_json(_path(folder), default={"version": SCHEMA_VERSION, "areas": []})
    try:
        return [CustomArea(**entry) for entry in raw.get("areas", [])]
    except (ValidationError, TypeError, AttributeError) as exc:
        raise DataError(
            f"Het bestand met eigen gebieden is beschadigd: {exc}", en=f"The file with custom areas is damaged: {exc}"
        ) from None


def save_area(
    area: CustomArea, known_buurten: set[str], folder: Path | None = None, *, replace: str | None = None
) -> None:
    """Add or update a custom area. ``replace`` names the area being edited (it may be renamed)."""
    unknown = [c for c in area.codes if c not in known_buurten]
    if unknown:
        raise InputError(
            f"Onbekende buurtcode(s): {', '.join(unknown)}", en=f"Unknown buurt code(s): {', '.join(unknown)}"
        )
    areas = [a for a in load_areas(folder) if replace is None or a.name != replace]
    if any(a.name == area.name for a in areas):
        raise InputError(
            f"Er bestaat al een gebied met de naam '{area.name}'.",
            en=f"An area named '{area.name}' already exists.",
        )
    areas.append(area)
    _write(areas, folder)


def delete_area(name: str, folder: Path | None = None) -> None:
    areas = load_areas(folder)
    kept = [a for a in areas if a.name != name]
    if len(kept) == len(areas):
        raise InputError(f"Er is geen gebied met de naam '{name}'.", en=f"There is no area named '{name}'.")
    _write(kept, folder)


def _write(areas: list[CustomArea], folder: Path | None) -> None:
    payload = {
        "version": SCHEMA_VERSION,
        "areas": [a.model_dump(mode="json") for a in sorted(areas, key=lambda a: a.name.lower())],
    }
    atomic_write_json(_path(folder), payload)


def parse_area(name: str, codes: list[str], description: str = "") -> CustomArea:
    """Validate user input into a :class:`CustomArea`, with a Dutch message naming the field."""
    fields = {"name": name, "codes": tuple(codes), "description": description}
    names = {"name": "naam", "codes": "buurten", "description": "omschrijving"}
    return validated(CustomArea, fields, names, nl="Ongeldig gebied", en="Invalid area")
