"""The indicator catalogue: what each figure is, how it aggregates, and where it comes from.

The catalogue lives in ``catalogue.toml`` next to this module so that its Dutch and English text is
data, not code. Everything that shows, aggregates or ranks a figure reads it from here.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from enschede_gis import formatting
from enschede_gis._validate import describe
from enschede_gis.errors import DataError, InputError

CATALOGUE_PATH = Path(__file__).with_name("catalogue.toml")

Kind = Literal["count", "percentage", "average", "density", "ratio", "class", "area"]
Aggregation = Literal["sum", "weighted", "ratio", "density", "none"]
Direction = Literal["neutral", "higher_worse", "higher_better"]
Language = Literal["nl", "en"]


class Sources(BaseModel):
    """Column names of this indicator in each kind of CBS/PDOK source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # Each may be one name or a list of names: CBS renamed some variables between editions
    # (e.g. the 2020 table's GemiddeldeWoningwaarde is GemiddeldeWOZWaardeVanWoningen later).
    cbs: str | tuple[str, ...] | None = None  # StatLine key without its numeric suffix
    pdok: str | tuple[str, ...] | None = None  # attribute of the PDOK wijk- en buurtkaart
    kwb: str | tuple[str, ...] | None = None  # short column name of the kwb-YYYY download file
    rivm: str | tuple[str, ...] | None = None  # RIVM 50090NED "<Leeftijd key>:<key without suffix>"


class Indicator(BaseModel):
    """One figure in the catalogue."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    theme: str
    label_nl: str
    label_en: str
    unit_nl: str
    unit_en: str
    kind: Kind
    aggregation: Aggregation
    direction: Direction
    decimals: int = 1
    weight: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    scale: float = 1.0
    sources: Sources = Field(default_factory=Sources)
    explanation_nl: str = ""
    explanation_en: str = ""
    caveat_nl: str = ""
    caveat_en: str = ""
    local: bool = False  # True for an area team's own uploaded data (not CBS)
    source_note: str = ""  # for local data: who collected it

    @model_validator(mode="after")
    def _check_rule(self) -> Indicator:
        needs = {
            "weighted": ("weight",),
            "ratio": ("numerator", "denominator"),
            "density": ("numerator",),
        }.get(self.aggregation, ())
        missing = [name for name in needs if getattr(self, name) is None]
        if missing:
            raise InputError(
                f"samenvoegregel '{self.aggregation}' heeft {', '.join(missing)} nodig",
                en=f"aggregation '{self.aggregation}' needs {', '.join(missing)}",
            )
        return self

    def label(self, lang: Language = "nl") -> str:
        return self.label_en if lang == "en" else self.label_nl

    def unit(self, lang: Language = "nl") -> str:
        return self.unit_en if lang == "en" else self.unit_nl

    def explanation(self, lang: Language = "nl") -> str:
        return self.explanation_en if lang == "en" else self.explanation_nl

    def caveat(self, lang: Language = "nl") -> str:
        return self.caveat_en if lang == "en" else self.caveat_nl

    @property
    def is_condition(self) -> bool:
        """True when higher or lower values call for attention (not a neutral composition)."""
        return self.direction != "neutral"

    def format(self, value: float | None, lang: Language = "nl", *, with_unit: bool = True) -> str:
        """Format a value for display (see :mod:`enschede_gis.formatting`): Dutch or English marks,
        money published in thousands as euros ("€ 206.000"); missing reads "onbekend" / "unknown"."""
        return formatting.indicator_value(self, value, lang, with_unit=with_unit)

    def format_change(self, delta: float | None, lang: Language = "nl") -> str:
        """A signed difference: percentage points for a share ("+8,4 procentpunt"), euros for money."""
        return formatting.indicator_change(self, delta, lang)


class Theme(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    label_nl: str
    label_en: str

    def label(self, lang: Language = "nl") -> str:
        return self.label_en if lang == "en" else self.label_nl


class Catalogue(BaseModel):
    """All indicators and themes, in catalogue order, looked up by key."""

    model_config = ConfigDict(frozen=True)

    indicators: dict[str, Indicator]
    themes: dict[str, Theme]

    def __getitem__(self, key: str) -> Indicator:
        try:
            return self.indicators[key]
        except KeyError:
            raise InputError(f"Onbekende indicator '{key}'.", en=f"Unknown indicator '{key}'.") from None

    def __contains__(self, key: object) -> bool:
        return key in self.indicators

    def __iter__(self):
        return iter(self.indicators.values())

    def __len__(self) -> int:
        return len(self.indicators)

    def theme_label(self, theme: str, lang: Language = "nl") -> str:
        """A theme's name in ``lang``; a theme the catalogue does not know (own data) by its key."""
        return self.themes[theme].label(lang) if theme in self.themes else theme

    def by_theme(self, keys: list[str] | None = None) -> dict[str, list[Indicator]]:
        """Indicators grouped by theme key, in catalogue order; optionally only the given keys."""
        grouped: dict[str, list[Indicator]] = {}
        for ind in self.indicators.values():
            if keys is None or ind.key in keys:
                grouped.setdefault(ind.theme, []).append(ind)
        return grouped

    def with_local(self, extra: list[Indicator]) -> Catalogue:
        """A new catalogue with local (uploaded) indicators added after the CBS ones."""
        merged = dict(self.indicators)
        for ind in extra:
            if ind.key in merged and not merged[ind.key].local:
                raise InputError(
                    f"De naam '{ind.key}' is al een CBS-indicator; kies een andere naam.",
                    en=f"The name '{ind.key}' is already a CBS indicator; choose another name.",
                )
            merged[ind.key] = ind
        themes = dict(self.themes)
        themes.setdefault("lokaal", Theme(key="lokaal", label_nl="Eigen gegevens", label_en="Own data"))
        return Catalogue(indicators=merged, themes=themes)

    def by_source(self, source: Literal["cbs", "pdok", "kwb", "rivm"]) -> dict[str, str]:
        """Map a source's column name (every alias) to the catalogue key."""
        lookup: dict[str, str] = {}
        for ind in self.indicators.values():
            names = getattr(ind.sources, source) or ()
            for name in (names,) if isinstance(names, str) else names:
                lookup[name] = ind.key
        return lookup


@lru_cache(maxsize=4)
def load_catalogue(path: Path = CATALOGUE_PATH) -> Catalogue:
    """Read and validate the catalogue; a broken file names the entry and field at fault."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(
            f"De indicatorcatalogus ontbreekt: {path}", en=f"The indicator catalogue is missing: {path}"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError(
            f"De indicatorcatalogus {path.name} is geen geldige TOML: {exc}",
            en=f"The indicator catalogue {path.name} is not valid TOML: {exc}",
        ) from None
    indicators: dict[str, Indicator] = {}
    for i, entry in enumerate(raw.get("indicator", [])):
        try:
            ind = Indicator(**entry)
        except ValidationError as exc:
            name = entry.get("key", f"#{i + 1}")
            raise DataError(
                f"Indicator '{name}' in {path.name} is ongeldig: {describe(exc)}",
                en=f"Indicator '{name}' in {path.name} is invalid: {describe(exc, lang='en')}",
            ) from None
        if ind.key in indicators:
            raise DataError(
                f"Indicator '{ind.key}' staat twee keer in {path.name}.",
                en=f"Indicator '{ind.key}' appears twice in {path.name}.",
            )
        indicators[ind.key] = ind
    themes = {t["key"]: Theme(**t) for t in raw.get("theme", [])}
    _check_references(indicators, themes, path.name)
    return Catalogue(indicators=indicators, themes=themes)


def _check_references(indicators: dict[str, Indicator], themes: dict[str, Theme], name: str) -> None:
    problems: list[tuple[str, str]] = []  # (Dutch, English)
    for ind in indicators.values():
        if ind.theme not in themes:
            problems.append((f"{ind.key}: onbekend thema '{ind.theme}'", f"{ind.key}: unknown theme '{ind.theme}'"))
        for ref in (ind.weight, ind.numerator, ind.denominator):
            if ref is not None and ref not in indicators:
                problems.append(
                    (
                        f"{ind.key}: verwijst naar onbekende indicator '{ref}'",
                        f"{ind.key}: refers to unknown indicator '{ref}'",
                    )
                )
    if problems:
        raise DataError(
            f"Fouten in {name}: " + "; ".join(nl for nl, _ in problems),
            en=f"Errors in {name}: " + "; ".join(en for _, en in problems),
        )
