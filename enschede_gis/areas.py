"""Custom areas: a named group of buurten that an area team defines once and reuses everywhere.

Stored in the database, one row per area (see :mod:`enschede_gis.store`). Their figures always come
from the aggregation rules (see :mod:`enschede_gis.aggregate`), never from averaging percentages.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import Engine

from enschede_gis import db, roles, settings, store
from enschede_gis._validate import non_empty, validated
from enschede_gis.errors import InputError
from enschede_gis.text import Line, Text

KIND = store.KINDS["areas"]
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


def load_areas(eng: Engine | None = None) -> list[CustomArea]:
    """Every stored custom area, by name."""
    return store.models(eng or db.engine(), KIND, CustomArea)


def save_area(
    eng: Engine,
    area: CustomArea,
    known_buurten: set[str],
    *,
    actor: roles.Actor,
    replace: str | None = None,
    expected: int | None = None,
) -> int:
    """Add (``replace=None``) or update a custom area in one transaction; returns its new version.

    ``replace`` names the area being edited (it may be renamed) and ``expected`` is the version the
    page loaded: when someone else saved it since, the save is refused (:class:`ConflictError`).
    Who may save is checked once, by :func:`enschede_gis.store.put` (the kind's action, EDIT_AREAS).
    """
    unknown = [c for c in area.codes if c not in known_buurten]
    if unknown:
        raise InputError(
            f"Onbekende buurtcode(s): {', '.join(unknown)}", en=f"Unknown buurt code(s): {', '.join(unknown)}"
        )
    return store.save(
        eng,
        KIND,
        area.name,
        area.model_dump_json(),
        actor=actor,
        replace=replace,
        expected=expected,
        columns={"gemeente": area.gemeente},
    )


def delete_area(eng: Engine, name: str, *, actor: roles.Actor, expected: int | None = None) -> None:
    """Delete a custom area (only the version the page loaded, when ``expected`` is given)."""
    store.remove(eng, KIND, name, actor=actor, expected=expected)


def parse_area(name: str, codes: list[str], description: str = "") -> CustomArea:
    """Validate user input into a :class:`CustomArea`, with a Dutch message naming the field."""
    fields = {"name": name, "codes": tuple(codes), "description": description}
    names = {"name": "naam", "codes": "buurten", "description": "omschrijving"}
    return validated(CustomArea, fields, names, nl="Ongeldig gebied", en="Invalid area")
