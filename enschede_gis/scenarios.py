"""Scenarios: named sets of what-if measures on areas, and their effects on every figure.

A scenario starts from the published buurt figures of one *baseline year* and applies its measures
in order. Every effect is computed from counts first:

1. **Counts.** New dwellings add ``dwellings`` households and ``dwellings x household size``
   inhabitants (demolition removes them); the age mix of the newcomers, when given, says how those
   persons divide over the age groups. Counts the measure says nothing about follow the buurt:
   person counts (e.g. men, benefit recipients) grow with the inhabitants and household counts
   (e.g. one-person households, cars) with the households, so their shares stay as they were;
   averages and shares CBS publishes without counts (income, distances) stay as they were.
2. **Shares and ratios** (catalogue rule ``ratio``) are recomputed as numerator / denominator x
   scale; **densities** as count / land area in km2; the average household size as a weighted mean.
3. **Aggregates** for wijken, the gemeente and custom areas follow from the buurt figures by the
   catalogue rules (:mod:`enschede_gis.aggregate`), for the baseline and the scenario alike, so a
   difference is the effect of the measures and nothing else.

A measure on a wijk, the gemeente or a custom area is divided over its buurten in proportion to
their households in the baseline year, in whole dwellings (largest remainder method). To put
dwellings in one buurt, choose that buurt as the area.

Baseline counts: where a year publishes only a share (2021 publishes the age groups as percentages),
the count is derived as share x denominator / scale and listed as derived; a year that publishes
neither (2023 has no age groups) leaves them unknown, and the age mix of newcomers then has no effect.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlalchemy import Engine

from enschede_gis import aggregate as agg
from enschede_gis import db, formatting, i18n, maps, roles, store
from enschede_gis import priorities as pr
from enschede_gis._validate import describe, load_json, non_empty, validated
from enschede_gis.errors import InputError
from enschede_gis.indicators import Catalogue, Indicator
from enschede_gis.text import Line, Text

SCHEMA_VERSION = 1
KIND = store.KINDS["scenarios"]

#: Scenarios shown side by side at most (more columns stop being readable in a meeting).
MAX_SIDE_BY_SIDE = 4

INHABITANTS = "inwoners"
HOUSEHOLDS = "huishoudens"
DWELLINGS = "woningvoorraad"
HOUSEHOLD_SIZE = "huishoudensgrootte"
AGE_GROUPS = ("leeftijd_0_15", "leeftijd_15_25", "leeftijd_25_45", "leeftijd_45_65", "leeftijd_65_plus")
AgeGroup = Literal["leeftijd_0_15", "leeftijd_15_25", "leeftijd_25_45", "leeftijd_45_65", "leeftijd_65_plus"]
Basis = Literal["evidence", "assumption"]

#: An age mix is entered in percentages; rounding in a form may leave it this far from 100.
AGE_MIX_TOLERANCE = 0.5
CUSTOM_PREFIX = "custom:"


# ---------------------------------------------------------------------------------------------------
# The typed measures and the scenario
# ---------------------------------------------------------------------------------------------------


class _Measure(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    area: str = Field(min_length=1)  # a buurt, wijk or gemeente code, or "custom:<name>"
    basis: Basis  # does the measure rest on evidence (a plan, a decision) or on an assumption?
    note: Text = Field(default="", max_length=2000)


class _DwellingChange(_Measure):
    dwellings: int = Field(gt=0, le=100_000)
    household_size: float = Field(gt=0, le=10)
    age_mix: dict[AgeGroup, float] | None = None  # percentages of the persons, summing to 100

    @field_validator("age_mix")
    @classmethod
    def _check_mix(cls, mix: dict[str, float] | None) -> dict[str, float] | None:
        if mix is None:
            return None
        if any(share < 0 for share in mix.values()):
            raise InputError("een aandeel is negatief", en="a share is negative")
        total = sum(mix.values())
        if abs(total - 100) > AGE_MIX_TOLERANCE:
            raise InputError(
                f"de aandelen tellen op tot {total:g}%, niet tot 100%",
                en=f"the shares add up to {total:g}%, not to 100%",
            )
        return {group: float(mix.get(group, 0.0)) for group in AGE_GROUPS}

    @property
    def persons(self) -> float:
        return self.dwellings * self.household_size


class NewDwellings(_DwellingChange):
    """New dwellings: each adds one household of ``household_size`` persons."""

    type: Literal["new_dwellings"] = "new_dwellings"


class Demolition(_DwellingChange):
    """Demolition or conversion of dwellings: the reverse of :class:`NewDwellings`."""

    type: Literal["demolition"] = "demolition"


class DirectAssumption(_Measure):
    """An assumption on one indicator: a change (``delta``) or a new value, in the indicator's unit."""

    type: Literal["direct_assumption"] = "direct_assumption"
    indicator: str = Field(min_length=1)
    delta: float | None = None
    new_value: float | None = None

    @model_validator(mode="after")
    def _one_of(self) -> DirectAssumption:
        if (self.delta is None) == (self.new_value is None):
            raise InputError(
                "geef óf een verandering (delta) óf een nieuwe waarde (new_value)",
                en="give either a change (delta) or a new value (new_value)",
            )
        for value in (self.delta, self.new_value):
            if value is not None and not math.isfinite(value):
                raise InputError("de waarde moet een eindig getal zijn", en="the value must be a finite number")
        return self


Measure = Annotated[NewDwellings | Demolition | DirectAssumption, Field(discriminator="type")]


class Scenario(BaseModel):
    """A named set of measures on one baseline year."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: int = SCHEMA_VERSION
    name: Line = Field(min_length=1, max_length=80)
    description: Text = Field(default="", max_length=4000)
    year: int = Field(ge=2000, le=2100)
    measures: tuple[Measure, ...] = Field(default=(), max_length=50)

    @field_validator("schema_version")
    @classmethod
    def _check_version(cls, version: int) -> int:
        if version > SCHEMA_VERSION:
            raise InputError(
                f"het bestand is gemaakt met een nieuwere versie (schema {version}); "
                f"deze app leest schema {SCHEMA_VERSION}",
                en=f"the file was made with a newer version (schema {version}); this app reads schema {SCHEMA_VERSION}",
            )
        if version < 1:
            raise InputError(f"onbekende schemaversie {version}", en=f"unknown schema version {version}")
        return version

    _strip = field_validator("name")(non_empty)


#: Tags of the measure union: left out of field paths in messages (the type is implied).
_MEASURE_TAGS = ("new_dwellings", "demolition", "direct_assumption")

_FIELD_NAMES = {
    "schema_version": "schema_version (schemaversie)",
    "name": "naam",
    "description": "omschrijving",
    "year": "basisjaar",
    "measures": "maatregel",
    "area": "gebied",
    "basis": "onderbouwing",
    "note": "toelichting",
    "dwellings": "woningen",
    "household_size": "huishoudensgrootte",
    "age_mix": "leeftijdsverdeling",
    "indicator": "indicator",
    "delta": "verandering",
    "new_value": "nieuwe waarde",
}


def make_scenario(**fields: object) -> Scenario:
    """Validate user input into a :class:`Scenario`; a problem gives a Dutch message naming the field."""
    return validated(Scenario, fields, _FIELD_NAMES, nl="Ongeldig scenario", en="Invalid scenario", skip=_MEASURE_TAGS)


def make_measure(kind: str, **fields: object) -> NewDwellings | Demolition | DirectAssumption:
    """Validate one measure from a form; ``kind`` is its type."""
    model = {"new_dwellings": NewDwellings, "demolition": Demolition, "direct_assumption": DirectAssumption}.get(kind)
    if model is None:
        raise InputError(f"Onbekend type maatregel '{kind}'.", en=f"Unknown measure type '{kind}'.")
    return validated(model, fields, _FIELD_NAMES, nl="Ongeldige maatregel", en="Invalid measure", skip=_MEASURE_TAGS)


# ---------------------------------------------------------------------------------------------------
# JSON files
# ---------------------------------------------------------------------------------------------------


def to_json(scenario: Scenario) -> str:
    """The scenario as a JSON document (with its schema version), fit to download and load again."""
    return json.dumps(scenario.model_dump(mode="json"), indent=2, ensure_ascii=False)


def from_json(text: str | bytes, source: str = "het bestand") -> Scenario:
    """Read a scenario file; a broken or hand-edited file gives one Dutch message naming the field."""
    source_en = "The file" if source == "het bestand" else source
    raw = load_json(text, source=source, source_en=source_en)
    if not isinstance(raw, dict):
        raise InputError(
            f"{source} bevat geen scenario: verwacht een JSON-object met de velden name, year en measures.",
            en=f"{source_en} does not contain a scenario: "
            "expected a JSON object with the fields name, year and measures.",
        )
    if "schema_version" not in raw:
        raise InputError(
            f"{source}: het veld schema_version (schemaversie) ontbreekt; deze app leest schema {SCHEMA_VERSION}.",
            en=f"{source_en}: the field schema_version is missing; this app reads schema {SCHEMA_VERSION}.",
        )
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        raise InputError(
            f"{source} is geen geldig scenario: {describe(exc, _FIELD_NAMES, skip=_MEASURE_TAGS)}",
            en=f"{source_en} is not a valid scenario: {describe(exc, _FIELD_NAMES, skip=_MEASURE_TAGS, lang='en')}",
        ) from None


def file_name(name: str) -> str:
    """A file-safe, readable file name for a scenario name (for downloads)."""
    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "scenario"
    return f"{stem}.json"


def stored_key(name: str) -> str:
    """The stored key: the name in lower case, so "Plan A" and "plan a" cannot both exist."""
    return name.strip().casefold()


def load_scenarios(eng: Engine | None = None) -> tuple[list[Scenario], list[InputError]]:
    """All saved scenarios by name, and the error (in Dutch and English) of every one that could not be read."""
    scenarios, problems = [], []
    for row in store.rows(eng or db.engine(), KIND):
        try:
            scenarios.append(from_json(row.payload, source=f"Scenario '{row.key}'"))
        except InputError as exc:
            problems.append(exc)
    return sorted(scenarios, key=lambda s: s.name.lower()), problems


def save_scenario(
    eng: Engine,
    scenario: Scenario,
    *,
    actor: roles.Actor,
    replace: str | None = None,
    expected: int | None = None,
) -> int:
    """Store a scenario in one transaction; returns its new version. ``replace`` names the scenario
    being edited (it may be renamed) and ``expected`` is the version the page loaded."""
    return store.save(
        eng,
        KIND,
        stored_key(scenario.name),
        to_json(scenario),
        actor=actor,
        replace=None if replace is None else stored_key(replace),
        expected=expected,
        label=scenario.name,
        columns={"name": scenario.name},
    )


def scenario_version(eng: Engine, name: str) -> int | None:
    """The stored version of the scenario with this name (None when there is none)."""
    return store.version(eng, KIND, stored_key(name))


def delete_scenario(eng: Engine, name: str, *, actor: roles.Actor, expected: int | None = None) -> None:
    store.remove(eng, KIND, stored_key(name), actor=actor, expected=expected, label=name)


def copy_name(name: str, taken: Iterable[str]) -> str:
    """A free name for a duplicate: "X (kopie)", "X (kopie 2)", ..."""
    taken_lower = {t.lower() for t in taken}
    candidate, n = f"{name} (kopie)", 2
    while candidate.lower() in taken_lower:
        candidate, n = f"{name} (kopie {n})", n + 1
    return candidate[:80]


# ---------------------------------------------------------------------------------------------------
# Baseline
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    """The buurt figures a scenario starts from, with counts derived from shares listed in ``derived``."""

    year: int
    table: pd.DataFrame
    land_area: pd.Series
    derived: dict[str, str]


def baseline(table: pd.DataFrame, catalogue: Catalogue, *, year: int, land_area: pd.Series) -> Baseline:
    """Prepare a one-year buurt table (index: code) as the start of a scenario.

    Counts a year does not publish but whose share it does are derived (share x denominator / scale);
    shares, ratios and densities are then recomputed from the counts wherever the counts are known, so
    that baseline and scenario are computed the same way.
    """
    if INHABITANTS not in table.columns or HOUSEHOLDS not in table.columns:
        raise InputError(
            f"Het jaar {year} heeft geen aantallen inwoners en huishoudens per buurt; kies een ander basisjaar.",
            en=f"The year {year} has no numbers of inhabitants and households per buurt; choose another baseline year.",
        )
    out = table.copy()
    derived: dict[str, str] = {}
    for ind in _ratio_indicators(catalogue):
        num, den = ind.numerator, ind.denominator
        absent = num not in out or out[num].isna().all()
        if ind.key in out and den in out and absent and catalogue[num].kind == "count":  # type: ignore[index]
            out[num] = out[ind.key] * out[den] / ind.scale
            derived[num] = f"{num} = {ind.key} × {den} / {ind.scale:g}"  # type: ignore[index]
    land = land_area.reindex(out.index)
    out = _recompute(out, catalogue, land, touched=pd.Index([]))
    return Baseline(year=year, table=out, land_area=land, derived=derived)


def _ratio_indicators(catalogue: Catalogue) -> list[Indicator]:
    return [ind for ind in catalogue if ind.aggregation == "ratio" and ind.numerator and ind.denominator]


def _recompute(table: pd.DataFrame, catalogue: Catalogue, land: pd.Series, *, touched: pd.Index) -> pd.DataFrame:
    """Shares, ratios and densities from the counts. Where the counts are not known, an untouched
    buurt keeps its published value and a touched one becomes unknown (its old value no longer holds).
    """
    out = table.copy()
    is_touched = out.index.isin(touched)
    for ind in catalogue:
        if ind.aggregation == "ratio" and ind.numerator in out and ind.denominator in out:
            num, den = out[ind.numerator], out[ind.denominator]
            computed = (num / den.where(den > 0)) * ind.scale
        elif ind.aggregation == "density" and ind.numerator in out:
            computed = out[ind.numerator] / (land / agg.HA_PER_KM2)
        else:
            continue
        old = out[ind.key] if ind.key in out else pd.Series(np.nan, index=out.index)
        fallback = old.where(~is_touched)
        out[ind.key] = computed.where(computed.notna(), fallback)
    return out


def baseline_years(table_for_year: Mapping[int, pd.DataFrame]) -> list[int]:
    """Years whose buurt table holds inhabitants and households (the counts every measure needs)."""
    return sorted(
        year
        for year, table in table_for_year.items()
        if {INHABITANTS, HOUSEHOLDS} <= set(table.columns) and table[INHABITANTS].notna().any()
    )


# ---------------------------------------------------------------------------------------------------
# Areas
# ---------------------------------------------------------------------------------------------------


def resolve_areas(
    scenario: Scenario, buurten: pd.DataFrame, custom: Mapping[str, Sequence[str]]
) -> dict[str, list[str]]:
    """The buurt codes of every area the scenario's measures name.

    ``buurten``: the buurt boundaries (columns code, wijkcode, gemeentecode); ``custom``: custom area
    name -> buurt codes. An area that does not exist gives a message naming the measure.
    """
    members: dict[str, list[str]] = {}
    for i, measure in enumerate(scenario.measures, start=1):
        codes = area_members(measure.area, buurten, custom)
        if not codes:
            raise InputError(
                f"Maatregel nr. {i}: onbekend gebied '{measure.area}'.",
                en=f"Measure no. {i}: unknown area '{measure.area}'.",
            )
        members[measure.area] = codes
    return members


def area_members(area: str, buurten: pd.DataFrame, custom: Mapping[str, Sequence[str]]) -> list[str]:
    """Buurt codes of one area key (buurt, wijk, gemeente code, or ``custom:<name>``); [] if unknown."""
    if area.startswith(CUSTOM_PREFIX):
        return sorted(custom.get(area.removeprefix(CUSTOM_PREFIX), []))
    column = {"BU": "code", "WK": "wijkcode", "GM": "gemeentecode"}.get(area[:2])
    if column is None:
        return []
    return sorted(buurten.loc[buurten[column] == area, "code"].astype(str))


def changed_indicators(outcome: Outcome, catalogue: Catalogue) -> list[str]:
    """Indicators (catalogue order) that the scenario changes in at least one buurt."""
    diff = outcome.differences
    changed = diff.columns[(diff.abs() > 1e-9).any(axis=0)]
    return [ind.key for ind in catalogue if ind.key in changed]


def allocate(total: int, weights: pd.Series) -> pd.Series:
    """Divide ``total`` whole units over the index of ``weights`` in proportion (largest remainder).

    The parts sum to ``total`` exactly; ties in the remainder go to the earlier entry.
    """
    if weights.isna().any():
        unknown = ", ".join(weights.index[weights.isna()])
        raise InputError(
            f"Geen bekend aantal huishoudens in {unknown}: kies de buurten apart als gebied.",
            en=f"No known number of households in {unknown}: choose the buurten separately as areas.",
        )
    if (weights < 0).any() or weights.sum() <= 0:
        raise InputError(
            "Dit gebied heeft geen huishoudens om de maatregel over te verdelen; kies één buurt.",
            en="This area has no households to divide the measure over; choose a single buurt.",
        )
    exact = weights / weights.sum() * total
    parts = np.floor(exact).astype(int)
    left = int(total - parts.sum())
    order = np.argsort(-(exact - parts).to_numpy(), kind="stable")[:left]
    parts.iloc[order] += 1
    return parts


# ---------------------------------------------------------------------------------------------------
# Running a scenario
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """A scenario applied to its baseline.

    ``table``: the buurt figures after all measures; ``allocation``: per measure and buurt, the
    dwellings and persons added (negative: removed); ``notes``: what could not be applied and why.
    """

    scenario: Scenario
    baseline: Baseline
    table: pd.DataFrame
    allocation: pd.DataFrame
    touched: tuple[str, ...]
    notes: tuple[str, ...]

    @cached_property
    def differences(self) -> pd.DataFrame:
        """Scenario minus baseline per buurt, computed once per outcome (every effect reads it);
        use :func:`buurt_differences` for a copy of one's own."""
        before, after = self.baseline.table, self.table
        diff = after - before
        untouched = ~after.index.isin(self.touched)
        diff.loc[untouched] = diff.loc[untouched].fillna(0.0)
        return diff


def run(scenario: Scenario, base: Baseline, catalogue: Catalogue, members: Mapping[str, Sequence[str]]) -> Outcome:
    """Apply the measures in order, each from counts to shares, densities and averages."""
    if scenario.year != base.year:
        raise InputError(
            f"Het scenario gaat uit van {scenario.year}, de uitgangssituatie is {base.year}.",
            en=f"The scenario starts from {scenario.year}, the baseline is {base.year}.",
        )
    table = base.table.copy()
    touched: set[str] = set()
    rows: list[dict] = []
    notes: list[str] = []
    for number, measure in enumerate(scenario.measures, start=1):
        codes = list(members.get(measure.area, []))
        if not codes:
            raise InputError(
                f"Maatregel nr. {number}: onbekend gebied '{measure.area}'.",
                en=f"Measure no. {number}: unknown area '{measure.area}'.",
            )
        unknown = [c for c in codes if c not in table.index]
        if unknown:
            raise InputError(
                f"Maatregel nr. {number}: onbekende buurtcode(s) {', '.join(unknown)} in '{measure.area}'.",
                en=f"Measure no. {number}: unknown buurt code(s) {', '.join(unknown)} in '{measure.area}'.",
            )
        if isinstance(measure, DirectAssumption):
            table = _apply_assumption(table, measure, codes, catalogue, number)
        else:
            table, allocated = _apply_dwellings(table, measure, codes, catalogue, number, notes)
            rows.extend({"measure": number, "code": c, **v} for c, v in allocated.items())
        touched.update(codes)
        table = _recompute(table, catalogue, base.land_area, touched=pd.Index(sorted(touched)))
    allocation = pd.DataFrame(rows, columns=["measure", "code", "dwellings", "persons"])
    return Outcome(
        scenario=scenario,
        baseline=base,
        table=table,
        allocation=allocation,
        touched=tuple(sorted(touched)),
        notes=tuple(dict.fromkeys(notes)),
    )


def _apply_dwellings(
    table: pd.DataFrame,
    measure: NewDwellings | Demolition,
    codes: list[str],
    catalogue: Catalogue,
    number: int,
    notes: list[str],
) -> tuple[pd.DataFrame, dict[str, dict[str, float]]]:
    sign = 1.0 if isinstance(measure, NewDwellings) else -1.0
    parts = allocate(measure.dwellings, table.loc[codes, HOUSEHOLDS])
    out = table.copy()
    allocated = {}
    for code, dwellings in parts.items():
        if dwellings == 0:
            continue
        change = sign * dwellings
        persons = change * measure.household_size
        out.loc[code] = _one_buurt(out.loc[code], change, persons, measure, catalogue)
        _check_not_negative(out.loc[code], number, code)
        allocated[code] = {"dwellings": change, "persons": persons}
    has_ages = any(g in out and out.loc[codes, g].notna().any() for g in AGE_GROUPS)
    if measure.age_mix is not None and not has_ages:
        notes.append("age_mix_unused")
    return out, allocated


def _scaled_counts(catalogue: Catalogue, *, age_mix_given: bool) -> tuple[set[str], set[str]]:
    """The counts that follow the buurt: (grow with inhabitants, grow with households)."""
    modelled = {INHABITANTS, HOUSEHOLDS, DWELLINGS} | (set(AGE_GROUPS) if age_mix_given else set())
    per_household = {
        ind.numerator for ind in _ratio_indicators(catalogue) if ind.denominator == HOUSEHOLDS and ind.numerator
    }
    counts = {ind.key for ind in catalogue if ind.kind == "count"} - modelled
    return counts - per_household, counts & per_household


def _one_buurt(
    row: pd.Series, change: float, persons: float, measure: NewDwellings | Demolition, catalogue: Catalogue
) -> pd.Series:
    """One buurt's counts after adding (or removing) ``change`` dwellings with ``persons`` persons."""
    out = row.copy()
    old_inw, old_hh = row[INHABITANTS], row[HOUSEHOLDS]
    out[INHABITANTS] = old_inw + persons
    out[HOUSEHOLDS] = old_hh + change
    if DWELLINGS in out:
        out[DWELLINGS] = row[DWELLINGS] + change
    if HOUSEHOLD_SIZE in out:
        total = row[HOUSEHOLD_SIZE] * old_hh + persons
        out[HOUSEHOLD_SIZE] = total / out[HOUSEHOLDS] if out[HOUSEHOLDS] > 0 else np.nan
    if measure.age_mix is not None:
        for group, share in measure.age_mix.items():
            if group in out:
                out[group] = row[group] + persons * share / 100.0
    per_person, per_household = _scaled_counts(catalogue, age_mix_given=measure.age_mix is not None)
    person_factor = out[INHABITANTS] / old_inw if old_inw > 0 else np.nan
    household_factor = out[HOUSEHOLDS] / old_hh if old_hh > 0 else np.nan
    for key in per_person & set(out.index):
        out[key] = row[key] * person_factor
    for key in per_household & set(out.index):
        out[key] = row[key] * household_factor
    return out


def _check_not_negative(row: pd.Series, number: int, code: str) -> None:
    for key in (INHABITANTS, HOUSEHOLDS, DWELLINGS, *AGE_GROUPS):
        if key in row and row[key] < -1e-9:
            raise InputError(
                f"Maatregel nr. {number}: in buurt {code} zou '{key}' onder 0 komen ({row[key]:.0f}); "
                "sloop hoogstens wat er is.",
                en=f"Measure no. {number}: in buurt {code}, '{key}' would drop below 0 ({row[key]:.0f}); "
                "demolish at most what there is.",
            )


def _apply_assumption(
    table: pd.DataFrame, measure: DirectAssumption, codes: list[str], catalogue: Catalogue, number: int
) -> pd.DataFrame:
    key = measure.indicator
    prefix = f"Maatregel nr. {number}"
    prefix_en = f"Measure no. {number}"
    if key not in catalogue:
        raise InputError(f"{prefix}: onbekende indicator '{key}'.", en=f"{prefix_en}: unknown indicator '{key}'.")
    ind = catalogue[key]
    if key in (INHABITANTS, HOUSEHOLDS) or ind.aggregation == "density" or ind.kind == "area":
        raise InputError(
            f"{prefix}: '{ind.label()}' volgt uit andere aantallen; "
            "gebruik een woningmaatregel of verander de telling zelf.",
            en=f"{prefix_en}: '{ind.label('en')}' follows from other counts; "
            "use a dwelling measure or change the count itself.",
        )
    if key not in table or table.loc[codes, key].isna().all():
        raise InputError(
            f"{prefix}: '{ind.label()}' heeft in het basisjaar geen cijfers voor dit gebied.",
            en=f"{prefix_en}: '{ind.label('en')}' has no figures for this area in the baseline year.",
        )
    out = table.copy()
    if ind.aggregation == "ratio" and ind.numerator in out and ind.denominator in out:
        target = _target(out.loc[codes, key], measure, ind, prefix, prefix_en)
        out.loc[codes, ind.numerator] = target / ind.scale * out.loc[codes, ind.denominator]
    elif ind.kind == "count":
        out.loc[codes, key] = _count_target(out.loc[codes, key], measure, out.loc[codes, HOUSEHOLDS], prefix, prefix_en)
    else:
        out.loc[codes, key] = _target(out.loc[codes, key], measure, ind, prefix, prefix_en)
    return out


def _target(current: pd.Series, measure: DirectAssumption, ind: Indicator, prefix: str, prefix_en: str) -> pd.Series:
    """Per buurt: the value plus the change, or the new value; a share must stay within 0-100%."""
    target = current + measure.delta if measure.delta is not None else current * 0 + measure.new_value
    upper = 100.0 if ind.kind == "percentage" else np.inf
    bad = target[(target < 0) | (target > upper)]
    if not bad.empty:
        raise InputError(
            f"{prefix}: '{ind.label()}' zou in {', '.join(bad.index)} buiten het mogelijke bereik komen "
            f"({ind.format(float(bad.iloc[0]))}).",
            en=f"{prefix_en}: '{ind.label('en')}' would fall outside the possible range in {', '.join(bad.index)} "
            f"({ind.format(float(bad.iloc[0]), 'en')}).",
        )
    return target


def _count_target(
    current: pd.Series, measure: DirectAssumption, households: pd.Series, prefix: str, prefix_en: str
) -> pd.Series:
    """A count for the whole area: a change divided by households, or a new total in proportion."""
    if measure.delta is not None:
        weights = households / households.sum() if households.notna().all() and households.sum() > 0 else None
        if weights is None:
            raise InputError(
                f"{prefix}: het gebied heeft geen bekend aantal huishoudens om de verandering over te verdelen.",
                en=f"{prefix_en}: the area has no known number of households to divide the change over.",
            )
        target = current + measure.delta * weights
    else:
        total = current.sum(min_count=len(current))
        if not total > 0:
            raise InputError(
                f"{prefix}: het huidige totaal is onbekend of 0; geef een verandering in plaats van een nieuwe waarde.",
                en=f"{prefix_en}: the current total is unknown or 0; give a change instead of a new value.",
            )
        target = current * (measure.new_value / total)
    if (target < 0).any():
        raise InputError(f"{prefix}: de telling zou onder 0 komen.", en=f"{prefix_en}: the count would drop below 0.")
    return target


# ---------------------------------------------------------------------------------------------------
# Effects
# ---------------------------------------------------------------------------------------------------


def buurt_differences(outcome: Outcome) -> pd.DataFrame:
    """Scenario minus baseline per buurt; an untouched buurt differs by exactly 0 even where unknown."""
    return outcome.differences.copy()


def before_after(
    outcome: Outcome,
    catalogue: Catalogue,
    groups: Mapping[str, Sequence[str]],
    indicators: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Before, after and difference for areas made of buurten (a buurt, wijk, gemeente or custom area).

    Returns a long table: ``area, indicator, before, after, difference``. Aggregates follow the
    catalogue rules; a count's difference is the sum of its buurten's differences, so it is known
    even when a total is not (a buurt CBS did not publish that is untouched by the measures adds 0).
    """
    land = outcome.baseline.land_area
    groups = {name: list(codes) for name, codes in groups.items()}
    before = agg.aggregate(outcome.baseline.table, groups, catalogue, land_area=land, indicators=indicators)
    after = agg.aggregate(outcome.table, groups, catalogue, land_area=land, indicators=indicators)
    diff = after - before
    buurt_diff = outcome.differences
    for ind in catalogue:
        if ind.aggregation == "sum" and ind.key in diff.columns and ind.key in buurt_diff:
            diff[ind.key] = [buurt_diff.loc[groups[name], ind.key].sum(min_count=1) for name in diff.index]
    frames = {"before": before, "after": after, "difference": diff}
    long = pd.concat({name: frame.stack() for name, frame in frames.items()}, axis=1)
    long.index.names = ["area", "indicator"]
    return long.reset_index()


def rerank(
    outcome: Outcome,
    profile: pr.PriorityProfile,
    catalogue: Catalogue,
    groups: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """The priority index before and after the scenario, per buurt (or per group of buurten).

    Returns index code, columns ``rank_before, rank_after, score_before, score_after, rank_change``
    (positive: the area rose towards rank 1). Areas the profile leaves out have no rank.
    """
    before, after = outcome.baseline.table, outcome.table
    if groups is not None:
        land = outcome.baseline.land_area
        keys = [w.indicator for w in profile.active]
        before = agg.aggregate(before, groups, catalogue, land_area=land)
        after = agg.aggregate(after, groups, catalogue, land_area=land)
        missing = [k for k in keys if k not in before.columns]
        if missing:
            raise InputError(
                f"Deze indicatoren kunnen niet per gebied worden opgeteld: {', '.join(missing)}.",
                en=f"These indicators cannot be added up per area: {', '.join(missing)}.",
            )
    first = pr.rank_areas(before, profile, catalogue).table
    second = pr.rank_areas(after, profile, catalogue).table
    table = pd.DataFrame(
        {
            "rank_before": first["rank"],
            "rank_after": second["rank"],
            "score_before": first["score"],
            "score_after": second["score"],
        }
    )
    table["rank_change"] = table["rank_before"] - table["rank_after"]
    return table.sort_values(["rank_after", "rank_before"])


def side_by_side(
    outcomes: Sequence[Outcome],
    catalogue: Catalogue,
    area: str,
    codes: Sequence[str],
    indicators: Sequence[str],
) -> pd.DataFrame:
    """One area's figures in the baseline and in up to four scenarios: index indicator, one column each."""
    if not outcomes:
        raise InputError("Kies minstens één scenario.", en="Choose at least one scenario.")
    if len(outcomes) > MAX_SIDE_BY_SIDE:
        raise InputError(
            f"Vergelijk hoogstens {MAX_SIDE_BY_SIDE} scenario's tegelijk.",
            en=f"Compare at most {MAX_SIDE_BY_SIDE} scenarios at a time.",
        )
    years = {o.baseline.year for o in outcomes}
    if len(years) > 1:
        raise InputError(
            f"Deze scenario's gaan uit van verschillende jaren ({', '.join(map(str, sorted(years)))}); "
            "vergelijk scenario's met hetzelfde basisjaar.",
            en=f"These scenarios start from different years ({', '.join(map(str, sorted(years)))}); "
            "compare scenarios with the same baseline year.",
        )
    columns = {}
    for outcome in outcomes:
        long = before_after(outcome, catalogue, {area: codes}, indicators)
        values = long.set_index("indicator")
        columns.setdefault("baseline", values["before"])
        columns[outcome.scenario.name] = values["after"]
    return pd.DataFrame(columns).reindex([k for k in indicators if k in columns["baseline"].index])


# ---------------------------------------------------------------------------------------------------
# The formula of each measure, as text
# ---------------------------------------------------------------------------------------------------


def formula(
    measure: NewDwellings | Demolition | DirectAssumption, catalogue: Catalogue, lang: str, area_label: str
) -> str:
    """How the measure changes the figures, in words and numbers, in the UI language."""
    basis = i18n.t(f"scenarios.basis.{measure.basis}", lang)
    if isinstance(measure, DirectAssumption):
        ind = catalogue.indicators.get(measure.indicator)
        label = ind.label(lang) if ind else measure.indicator  # type: ignore[arg-type]
        if measure.delta is not None:
            change = f"{measure.delta:+g}"
            text = i18n.t("scenarios.formula.delta", lang, indicator=label, change=change, area=area_label)
        else:
            text = i18n.t(
                "scenarios.formula.new_value", lang, indicator=label, value=f"{measure.new_value:g}", area=area_label
            )
        if ind is not None and ind.aggregation == "ratio":
            text += " " + i18n.t(
                "scenarios.formula.via_count",
                lang,
                numerator=ind.numerator,
                denominator=ind.denominator,
                scale=f"{ind.scale:g}",
            )
        return f"{text} [{basis}]"
    key = "scenarios.formula.new_dwellings" if isinstance(measure, NewDwellings) else "scenarios.formula.demolition"
    text = i18n.t(
        key,
        lang,
        dwellings=measure.dwellings,
        size=f"{measure.household_size:g}",
        persons=f"{measure.persons:g}",
        area=area_label,
    )
    if measure.age_mix is not None:
        mix = ", ".join(
            f"{group.removeprefix('leeftijd_').replace('_plus', '+').replace('_', '–')}: {share:g}%"
            for group, share in measure.age_mix.items()
        )
        text += " " + i18n.t("scenarios.formula.age_mix", lang, mix=mix)
    else:
        text += " " + i18n.t("scenarios.formula.age_like_buurt", lang)
    text += " " + i18n.t("scenarios.formula.rest", lang)
    return f"{text} [{basis}]"


def difference_view(outcome: Outcome, key: str, asset, catalogue: Catalogue, lang: str = "nl") -> dict:
    """The browser map's view of scenario minus baseline for one indicator (see
    :func:`enschede_gis.webmap.view_args`), over the buurt geometry ``asset`` (with wijk names).

    Only the buurten the measures touch are coloured (diverging around "no change"); the other
    buurten are drawn plain, named, so the change is seen in its place in the city. The tooltip of
    every buurt gives the value before and after.
    """
    from enschede_gis import webmap

    ind = catalogue[key]
    label = f"{i18n.t('scenarios.diff_label', lang)}: {ind.label(lang)}"  # type: ignore[arg-type]
    shown = ind.model_copy(update={f"label_{lang}": label})
    before = outcome.baseline.table[key].map(lambda v: ind.format(v, lang))  # type: ignore[arg-type]
    after = outcome.table[key].map(lambda v: ind.format(v, lang))  # type: ignore[arg-type]
    differences = outcome.differences[key]
    return webmap.view_args(
        asset,
        differences[differences.index.isin(outcome.touched)],
        indicator=shown,
        year=outcome.baseline.year,
        source="CBS",
        lang=lang,
        reference=maps.Reference(i18n.t("scenarios.no_change", lang), 0.0),
        scheme="PuOr",
        extra_tooltip={
            i18n.t("scenarios.col.before", lang): before.to_dict(),
            i18n.t("scenarios.col.after", lang): after.to_dict(),
        },
        missing_label=i18n.t("scenarios.untouched", lang),
    )


# ---------------------------------------------------------------------------------------------------
# Plain words: a scenario told to residents, without codes or internal keys
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureText:
    """One measure as residents read it: a plain sentence, and whether it rests on a plan or decision
    (``evidence``) or on an assumption."""

    sentence: str
    basis: str
    basis_text: str
    note: str = ""

    def line(self) -> str:
        """The sentence with its basis marked, e.g. "500 nieuwe woningen in Twekkelerveld; aanname: 2 personen
        per woning (onderbouwd met een plan of besluit)"."""
        text = f"{self.sentence} ({self.basis_text})"
        return f"{text} — {self.note}" if self.note else text


def area_name(area: str, names: Mapping[str, str]) -> str:
    """The name of a measure's area: a custom area by its own name, a buurt/wijk/gemeente by its name;
    a code without a known name stays a code (never an empty string)."""
    if area.startswith(CUSTOM_PREFIX):
        return area.removeprefix(CUSTOM_PREFIX)
    return names.get(area, area)


def measure_text(
    measure: NewDwellings | Demolition | DirectAssumption,
    catalogue: Catalogue,
    names: Mapping[str, str],
    lang: str = "nl",
) -> MeasureText:
    """One measure in plain words, e.g. "500 nieuwe woningen in Twekkelerveld; aanname: 2 personen per
    woning; leeftijden als nu in het gebied". ``names``: area code -> name (:meth:`Snapshot.names`)."""
    where = area_name(measure.area, names)
    if isinstance(measure, DirectAssumption):
        ind = catalogue.indicators.get(measure.indicator)
        label = ind.label(lang) if ind else measure.indicator  # type: ignore[arg-type]
        if measure.delta is not None:
            value = ind.format_change(measure.delta, lang) if ind else f"{measure.delta:+g}"  # type: ignore[arg-type]
            sentence = i18n.t("plain.measure.delta", lang, indicator=label, area=where, change=value)
        else:
            value = ind.format(measure.new_value, lang) if ind else f"{measure.new_value:g}"  # type: ignore[arg-type]
            sentence = i18n.t("plain.measure.new_value", lang, indicator=label, area=where, value=value)
    else:
        kind = "new_dwellings" if isinstance(measure, NewDwellings) else "demolition"
        size = _typed_number(measure.household_size, lang)
        sentence = i18n.t(
            f"plain.measure.{kind}", lang, dwellings=_typed_number(measure.dwellings, lang), area=where, size=size
        )
        if measure.age_mix is not None:
            mix = ", ".join(
                f"{i18n.t('uitleg.repr.age.' + group.removeprefix('leeftijd_'), lang)} {_typed_number(share, lang)}%"
                for group, share in measure.age_mix.items()
                if share
            )
            sentence += "; " + i18n.t(f"plain.measure.ages.{kind}", lang, mix=mix)
        else:
            sentence += "; " + i18n.t("plain.measure.ages_as_now", lang)
    return MeasureText(sentence, measure.basis, i18n.t(f"bijeenkomst.basis.{measure.basis}", lang), measure.note)


def _typed_number(value: float, lang: str) -> str:
    """A measure's number as typed (2, 2,5, 500), in the language's marks."""
    decimals = 0 if float(value).is_integer() else len(f"{value:g}".partition(".")[2])
    return formatting.number(value, lang, decimals=decimals)


def heading(scenario: Scenario, lang: str = "nl") -> str:
    """The scenario's name with its baseline year, once: "Twekkelerveld +500 (2023)" stays as it is."""
    if str(scenario.year) in scenario.name:
        return scenario.name
    return i18n.t("plain.scenario_heading", lang, name=scenario.name, year=scenario.year)


#: The headline figures a meeting sees before → after a scenario (those the scenario changes).
HEADLINE_FIGURES = ("inwoners", "huishoudens", "woningvoorraad", "pct_0_15", "pct_65_plus", "huishoudensgrootte")


def headline_effects(
    outcome: Outcome, catalogue: Catalogue, codes: Sequence[str], lang: str = "nl", *, limit: int = 4
) -> pd.DataFrame:
    """Before → after for a few headline figures of an area (its buurt ``codes``), as text.

    Columns ``indicator, label, before, after, change``; only figures the scenario changes there,
    in :data:`HEADLINE_FIGURES` order; the unit in the label ("Gemiddelde huishoudensgrootte
    (personen)"), a share's change in percentage points.
    """
    keys = [k for k in HEADLINE_FIGURES if k in catalogue and k in outcome.table.columns]
    columns = ["indicator", "label", "before", "after", "change"]
    if not keys or not codes:
        return pd.DataFrame(columns=columns)
    long = before_after(outcome, catalogue, {"area": list(codes)}, keys).set_index("indicator")
    rows = []
    for key in keys:
        if key not in long.index:
            continue
        row = long.loc[key]
        if pd.isna(row["difference"]) or abs(row["difference"]) < 10 ** -(catalogue[key].decimals + 1):
            continue
        ind = catalogue[key]
        rows.append(
            [
                key,
                formatting.tile_label(ind, lang),  # the unit once, in the label: values stay on one line
                formatting.tile_value(ind, row["before"], lang),
                formatting.tile_value(ind, row["after"], lang),
                formatting.tile_change(ind, row["difference"], lang),
            ]
        )
    return pd.DataFrame(rows[:limit], columns=columns)
