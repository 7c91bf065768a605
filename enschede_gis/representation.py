"""Who gave input, next to who lives in the area: representativeness of residents' input.

Residents may add coarse, anonymous facts to their input (age group, home buurt, rent or own; see
:mod:`enschede_gis.inputs`). This module sets the distribution of those facts beside the CBS
composition of the area's population and flags groups that are clearly under- or over-represented.

How input counts (the documented rules):

- **One input counts once.** Input is anonymous, so a resident who gives three notes counts three
  times; the table compares *contributions*, not people. Rows with the same ``id`` count once.
- **Hidden (moderated) input does not count**: the facilitator hid it, so it is not part of what the
  meeting heard. How many were hidden is reported next to the table.
- **Optional facts left empty** count in a "not given" row of that question and are left out of the
  shares, which are shares *of the inputs that answered the question*, comparable with the CBS shares.
- **Home buurt**: buurten of the area are compared with their share of the area's inhabitants; an
  area of more than :data:`MAX_PLACE_ROWS` buurten is compared per wijk. A home outside the area (or
  "elders") is its own row, without a population share.
- **Rent or own**: the snapshot has no tenure figures, so the population side reads "not available in
  the CBS data"; the input side is shown, without a flag.

Small numbers (statistical disclosure control):

- A group with fewer than :data:`MIN_SHOWN` inputs (0 included) is shown as "< 5", and its share only
  as an upper bound ("< 20 %"), never as an exact count or percentage.
- When only one of the rows hidden that way holds anyone, the next smallest row is hidden too
  ("≥ 5", share not shown), so the small count cannot be worked out by subtracting from the total.

Flags (under / over) compare the share of input with the share of inhabitants:

- under-represented when the input share is at least :data:`MIN_GAP` percentage points lower *and*
  less than the population share divided by :data:`FACTOR`;
- over-represented when it is at least :data:`MIN_GAP` points higher *and* more than the population
  share times :data:`FACTOR`;
- no flags at all when fewer than :data:`MIN_FOR_FLAGS` inputs answered the question: a handful of
  answers says nothing about a group.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from enschede_gis import i18n, settings
from enschede_gis.errors import InputError

#: Groups with fewer inputs than this are shown as "< 5" (issue 6; the usual threshold for counts
#: about people in small groups).
MIN_SHOWN = 5
#: A flag needs the input share to differ from the population share by this many percentage points ...
MIN_GAP = 5.0
#: ... and by this factor (1.5: two thirds or less, one and a half times or more).
FACTOR = 1.5
#: No flags when fewer inputs than this answered the question.
MIN_FOR_FLAGS = 10
#: An area with more buurten than this is compared per wijk (70 rows of "< 5" help no one).
MAX_PLACE_ROWS = 12

#: CBS age bands as stored with input (:data:`enschede_gis.inputs.AGE_GROUPS`) -> catalogue share.
AGE_SHARES: dict[str, str] = {
    "0-15": "pct_0_15",
    "15-25": "pct_15_25",
    "25-45": "pct_25_45",
    "45-65": "pct_45_65",
    "65+": "pct_65_plus",
}
TENURES: tuple[str, ...] = ("huur", "koop")
#: Home buurt value for someone who lives outside the gemeente (as :data:`enschede_gis.inputs.ELSEWHERE`).
ELSEWHERE = "elders"
REQUIRED_COLUMNS = ("area_code", "age_group", "home_buurt", "tenure", "kind", "hidden")
NOT_GIVEN = "not_given"
OUTSIDE = "outside"
DIMENSIONS = ("age", "home", "tenure")
TABLE_COLUMNS = [
    "dimension",
    "group",
    "label",
    "population_share",
    "population_text",
    "input_count",
    "input_text",
    "input_share",
    "input_share_text",
    "flag",
    "flag_text",
]


@dataclass(frozen=True)
class Composition:
    """The CBS composition of an area's population: shares in per cent (NaN = unknown)."""

    area_label: str
    year: int
    age: Mapping[str, float]  # age band ("0-15", ...) -> % of inhabitants
    places: Mapping[str, float]  # buurt or wijk code -> % of the area's inhabitants
    place_names: Mapping[str, str] = field(default_factory=dict)
    place_of: Mapping[str, str] = field(default_factory=dict)  # home buurt code -> place code (buurt or wijk)
    source: str = ""


@dataclass(frozen=True)
class Representation:
    """The comparison for one area: the (already protected) table and what to say around it."""

    area_label: str
    year: int
    table: pd.DataFrame  # TABLE_COLUMNS; no exact counts below MIN_SHOWN
    total_text: str  # visible inputs counted ("< 5" when few)
    hidden_text: str  # hidden inputs left out
    source: str
    lang: str = "nl"

    def to_dict(self) -> dict:
        """A JSON-ready copy (missing numbers as None), e.g. to store with a meeting."""
        records = self.table.astype(object).where(self.table.notna(), None).to_dict(orient="records")
        return {
            "area_label": self.area_label,
            "year": self.year,
            "total": self.total_text,
            "hidden": self.hidden_text,
            "source": self.source,
            "lang": self.lang,
            "rows": records,
        }


# --------------------------------------------------------------------------------------------------
# The population side


def population_composition(
    snap,
    catalogue,
    area,
    *,
    year: int,
    gemeente: str = settings.DEFAULT_GEMEENTE,
) -> Composition:
    """Age shares and the spread over buurten (or wijken) of an area's inhabitants, from the snapshot.

    Age shares come from :func:`enschede_gis.profile.area_values`: published for a buurt, wijk or the
    gemeente, and for an area of several buurten recomputed from summed counts (the catalogue's ratio
    rule), i.e. weighted by population. The spread over buurten uses each buurt's inhabitants. When
    ``year`` lacks either, the nearest year that has both is used (and reported as the year).
    """
    from enschede_gis.boundaries import for_gemeente

    codes = list(area.codes)
    use_year, values, inhabitants = _nearest_year(snap, catalogue, area, year=year, gemeente=gemeente)
    age = {band: _pct(values.get(key)) for band, key in AGE_SHARES.items()}
    buurten = for_gemeente(snap, "buurt", gemeente).set_index("code")
    by_wijk = len(codes) > MAX_PLACE_ROWS
    place_of = {code: (str(buurten.at[code, "wijkcode"]) if by_wijk else code) for code in codes}
    places = _place_shares(inhabitants, place_of)
    names = snap.names()
    return Composition(
        area_label=area.label,
        year=use_year,
        age=age,
        places=places,
        place_names={code: str(names.get(code, code)) for code in places},
        place_of=place_of,
        source=_age_sources(snap.statistics, use_year),
    )


def _nearest_year(snap, catalogue, area, *, year: int, gemeente: str) -> tuple[int, pd.Series, pd.Series | None]:
    """The year nearest to ``year`` (the later one on a tie) with age shares for the area and
    inhabitants for each of its buurten; the requested year itself when none has both."""
    from enschede_gis import figures, profile

    known = profile.area_years(snap, area)
    order = sorted(dict.fromkeys([int(year), *known]), key=lambda y: (abs(y - int(year)), -y))
    fallback = None
    for candidate in order:
        try:
            values = profile.area_values(snap, catalogue, area, year=candidate, gemeente=gemeente)
            people = figures.buurt_table(snap, year=candidate, gemeente=gemeente).get("inwoners")
        except InputError:
            continue
        has_age = any(np.isfinite(_pct(values.get(key))) for key in AGE_SHARES.values())
        has_people = people is not None and people.reindex(list(area.codes)).notna().all()
        if has_age and has_people:
            return candidate, values, people
        if fallback is None and candidate == int(year):
            fallback = (candidate, values, people)
    if fallback is None:
        raise InputError(
            f"Geen CBS-gegevens over de bevolking van {area.label}.",
            en=f"No CBS data on the population of {area.label}.",
        )
    return fallback


def _age_sources(stats: pd.DataFrame, year: int) -> str:
    """The CBS tables behind the age shares and inhabitants of one year (without how Wijkbeeld
    derived a share)."""
    wanted = [*AGE_SHARES.values(), "inwoners"]
    rows = stats[(stats["year"] == year) & stats["indicator"].isin(wanted) & stats["value"].notna()]
    tables = {str(source).split("; afgeleid:", 1)[0] for source in rows["source"].dropna()}
    return "; ".join(sorted(tables))


def _pct(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return number if np.isfinite(number) else math.nan


def _place_shares(inhabitants: pd.Series | None, place_of: Mapping[str, str]) -> dict[str, float]:
    """Share (%) of the area's inhabitants per place; all NaN when any buurt lacks a count."""
    places = list(dict.fromkeys(place_of.values()))
    if inhabitants is None:
        return dict.fromkeys(places, math.nan)
    counts = inhabitants.reindex(list(place_of)).astype(float)
    if counts.isna().any() or counts.sum() <= 0:
        return dict.fromkeys(places, math.nan)
    grouped = counts.groupby(pd.Series(place_of)).sum()
    return {place: float(grouped[place] / counts.sum() * 100) for place in places}


# --------------------------------------------------------------------------------------------------
# The comparison


def check_inputs(inputs: pd.DataFrame) -> pd.DataFrame:
    """The input frame with its columns checked; an unknown age group or tenure is an InputError.

    An optional ``id`` column is used to count an input that appears twice (e.g. found both by its
    area and by its meeting) only once; without it every row counts.
    """
    missing = [col for col in REQUIRED_COLUMNS if col not in inputs.columns]
    if missing:
        raise InputError(
            f"De inbreng mist de kolom(men): {', '.join(missing)}.",
            en=f"The input is missing the column(s): {', '.join(missing)}.",
        )
    if "id" in inputs.columns:  # the same input fetched twice (by area and by meeting) counts once
        inputs = inputs[~(inputs["id"].notna() & inputs["id"].duplicated())]
    frame = inputs.loc[:, list(REQUIRED_COLUMNS)].copy()
    for col in ("age_group", "home_buurt", "tenure"):
        frame[col] = frame[col].astype("object").where(frame[col].notna(), None)
        frame[col] = frame[col].map(lambda v: None if v is None or str(v).strip() == "" else str(v).strip())
    problems, problems_en = [], []
    bad_age = sorted(set(frame["age_group"].dropna()) - set(AGE_SHARES))
    if bad_age:
        problems.append(f"onbekende leeftijdsgroep {', '.join(bad_age)} (kies uit {', '.join(AGE_SHARES)})")
        problems_en.append(f"unknown age group {', '.join(bad_age)} (choose from {', '.join(AGE_SHARES)})")
    bad_tenure = sorted(set(frame["tenure"].dropna()) - set(TENURES))
    if bad_tenure:
        problems.append(f"onbekende waarde voor huur of koop: {', '.join(bad_tenure)} (kies huur of koop)")
        problems_en.append(f"unknown value for rent or own: {', '.join(bad_tenure)} (choose huur or koop)")
    if problems:
        raise InputError(
            "De inbreng is ongeldig: " + "; ".join(problems) + ".",
            en="The input is invalid: " + "; ".join(problems_en) + ".",
        )
    frame["hidden"] = frame["hidden"].fillna(False).astype(bool)
    return frame


def representation_table(
    inputs: pd.DataFrame,
    composition: Composition,
    *,
    lang: str = "nl",
    kinds: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Input distribution next to the population composition, protected and flagged.

    ``inputs`` has the columns :data:`REQUIRED_COLUMNS` (as :func:`enschede_gis.inputs.inputs_frame`);
    ``kinds`` limits which kinds of input count (all by default). Returns one row per group with
    :data:`TABLE_COLUMNS`; ``input_count`` and ``input_share`` are missing wherever they would reveal
    fewer than :data:`MIN_SHOWN` inputs. See the module docstring for the rules.
    """
    return _table(check_inputs(inputs), composition, lang=lang, kinds=kinds)


def _table(checked: pd.DataFrame, composition: Composition, *, lang: str, kinds: Iterable[str] | None) -> pd.DataFrame:
    frame = _visible(checked, kinds)
    home = frame["home_buurt"].map(lambda code: _home_group(code, composition.place_of))
    parts = [
        _dimension("age", frame["age_group"], composition.age, _age_labels(lang), lang),
        _dimension("home", home, composition.places, composition.place_names, lang),
        _dimension("tenure", frame["tenure"], dict.fromkeys(TENURES, math.nan), _tenure_labels(lang), lang),
    ]
    return pd.concat(parts, ignore_index=True)[TABLE_COLUMNS]


def _visible(frame: pd.DataFrame, kinds: Iterable[str] | None) -> pd.DataFrame:
    frame = frame[~frame["hidden"]]
    if kinds is not None:
        frame = frame[frame["kind"].isin(list(kinds))]
    return frame


def _home_group(code: object, place_of: Mapping[str, str]) -> str | None:
    if code is None or pd.isna(code):  # not given (None or NaN, as pandas keeps it)
        return None
    return place_of.get(str(code), OUTSIDE)


def _dimension(
    name: str,
    answers: pd.Series,
    population: Mapping[str, float],
    labels: Mapping[str, str],
    lang: str,
) -> pd.DataFrame:
    """One question: a row per group, then "outside" (if used) and "not given"."""
    groups = list(population)
    counts = answers.value_counts(dropna=False)
    not_given = int(answers.isna().sum())
    extra = [OUTSIDE] if name == "home" and counts.get(OUTSIDE, 0) > 0 else []
    rows = groups + extra + [NOT_GIVEN]
    count = {g: int(counts.get(g, 0)) for g in groups + extra} | {NOT_GIVEN: not_given}
    answered = sum(count[g] for g in groups + extra)
    hidden = _suppressed(count)
    shares = {g: (count[g] / answered * 100 if answered else math.nan) for g in groups + extra}
    names = {NOT_GIVEN: i18n.t("uitleg.repr.not_given", lang), OUTSIDE: i18n.t("uitleg.repr.outside", lang)}
    names |= dict(labels)
    flags = [_flag(shares.get(g, math.nan), population.get(g, math.nan), answered) for g in rows]
    return pd.DataFrame(
        {
            "dimension": name,
            "group": rows,
            "label": [names.get(g, g) for g in rows],
            "population_share": [population.get(g, math.nan) for g in rows],
            "population_text": [_population_text(g, population, lang) for g in rows],
            "input_count": pd.array([None if g in hidden else count[g] for g in rows], dtype="Int64"),
            "input_text": [_count_text(count[g], g in hidden) for g in rows],
            "input_share": [math.nan if g in hidden else shares.get(g, math.nan) for g in rows],
            "input_share_text": [_share_text(g, count[g], shares, hidden, answered, lang) for g in rows],
            "flag": flags,
            "flag_text": [i18n.t(f"uitleg.repr.flag.{f}", lang) if f else "" for f in flags],
        }
    )


def _suppressed(count: Mapping[str, int]) -> set[str]:
    """Rows hidden as small (< MIN_SHOWN), plus a partner when only one of them is not zero.

    With the total known, the hidden rows add up to a known number. If just one of them holds
    anyone, that number is its exact count (the flags even say which row it is), so the next
    smallest visible row is hidden too. Hidden zeros alone reveal nothing about anyone.
    """
    small = {g for g, n in count.items() if n < MIN_SHOWN}
    if sum(1 for g in small if count[g] > 0) == 1:
        others = sorted((n, g) for g, n in count.items() if g not in small)
        if others:
            small.add(others[0][1])
    return small


def _count_text(n: int, hidden: bool) -> str:
    if not hidden:
        return str(n)
    return f"< {MIN_SHOWN}" if n < MIN_SHOWN else f"≥ {MIN_SHOWN}"


def _share_text(group: str, n: int, shares: Mapping[str, float], hidden: set[str], answered: int, lang: str) -> str:
    """The share as text; a small group only as an upper bound, a partner-hidden group not at all."""
    if group not in shares or not answered:
        return "–"
    if group not in hidden:
        return _percent(shares[group], lang)
    if n >= MIN_SHOWN or answered <= MIN_SHOWN:
        return "–"
    return f"< {_percent(math.ceil(MIN_SHOWN / answered * 100), lang)}"


def _population_text(group: str, population: Mapping[str, float], lang: str) -> str:
    if group in (NOT_GIVEN, OUTSIDE):
        return "–"
    value = population.get(group, math.nan)
    if np.isnan(value):
        return i18n.t("uitleg.repr.not_available" if group in TENURES else "uitleg.repr.unknown", lang)
    return _percent(value, lang)


def _percent(value: float, lang: str) -> str:
    """Whole per cents: finer than that suggests a precision a few dozen inputs do not have."""
    return f"{value:.0f} %"


def _flag(input_share: float, population_share: float, answered: int) -> str:
    if answered < MIN_FOR_FLAGS or np.isnan(input_share) or np.isnan(population_share):
        return ""
    gap = input_share - population_share
    if gap <= -MIN_GAP and input_share < population_share / FACTOR:
        return "under"
    if gap >= MIN_GAP and input_share > population_share * FACTOR:
        return "over"
    return ""


def _age_labels(lang: str) -> dict[str, str]:
    return {
        band: i18n.t(f"uitleg.repr.age.{band.replace('+', '_plus').replace('-', '_')}", lang) for band in AGE_SHARES
    }


def _tenure_labels(lang: str) -> dict[str, str]:
    return {tenure: i18n.t(f"uitleg.repr.tenure.{tenure}", lang) for tenure in TENURES}


# --------------------------------------------------------------------------------------------------
# Putting it together, and showing it


def compare(
    inputs: pd.DataFrame,
    composition: Composition,
    *,
    lang: str = "nl",
    kinds: Iterable[str] | None = None,
) -> Representation:
    """The full comparison: the protected table, how many inputs counted and how many were hidden."""
    frame = check_inputs(inputs)
    table = _table(frame, composition, lang=lang, kinds=kinds)
    visible = len(_visible(frame, kinds))
    hidden = int(frame["hidden"].sum())
    return Representation(
        area_label=composition.area_label,
        year=composition.year,
        table=table,
        total_text=_count_text(visible, visible < MIN_SHOWN),
        hidden_text=_count_text(hidden, 0 < hidden < MIN_SHOWN),
        source=composition.source,
        lang=lang,
    )


def for_area(
    inputs: pd.DataFrame,
    snap,
    catalogue,
    area,
    *,
    year: int,
    lang: str = "nl",
    gemeente: str = settings.DEFAULT_GEMEENTE,
) -> Representation:
    """The comparison for an area (buurt, wijk, gemeente or custom area: anything with ``label`` and
    buurt ``codes``) and the input given for it, against the CBS composition of ``year``."""
    composition = population_composition(snap, catalogue, area, year=year, gemeente=gemeente)
    return compare(inputs, composition, lang=lang)


def summary_lines(result: Representation) -> list[str]:
    """One sentence per flagged group: "15–25 jaar: 14 % van de inwoners, < 10 % van de inbreng (...)"."""
    lines = []
    for row in result.table[result.table["flag"] != ""].itertuples():
        lines.append(
            i18n.t(
                "uitleg.repr.line",
                result.lang,
                group=row.label,
                population=row.population_text,
                share=row.input_share_text if row.input_share_text != "–" else row.input_text,
                flag=row.flag_text,
            )
        )
    return lines


def display_table(result: Representation) -> pd.DataFrame:
    """The table as text columns with headings in the UI language, for st.dataframe and PDFs."""
    t = _texts(result.lang)
    table = result.table
    return pd.DataFrame(
        {
            t("uitleg.repr.col.question"): [t(f"uitleg.repr.dim.{d}") for d in table["dimension"]],
            t("uitleg.repr.col.group"): table["label"],
            t("uitleg.repr.col.population"): table["population_text"],
            t("uitleg.repr.col.inputs"): table["input_text"],
            t("uitleg.repr.col.share"): table["input_share_text"],
            t("uitleg.repr.col.flag"): table["flag_text"],
        }
    )


def notes(result: Representation) -> list[str]:
    """The rules in one short paragraph each, for under the table."""
    t = _texts(result.lang)
    return [
        t("uitleg.repr.note.counted", total=result.total_text, hidden=result.hidden_text),
        t("uitleg.repr.note.small", min=MIN_SHOWN),
        t("uitleg.repr.note.flags", gap=f"{MIN_GAP:.0f}", factor=f"{FACTOR:g}".replace(".", ","), min=MIN_FOR_FLAGS),
        t("uitleg.repr.note.source", year=result.year, source=result.source or "CBS"),
    ]


def _texts(lang: str):
    return lambda key, **values: i18n.t(key, lang, **values)


def add_to_pdf(doc, result: Representation, lang: str | None = None) -> None:
    """Append the comparison to an :class:`enschede_gis.pdf.Document` (the session report calls it)."""
    lang = lang or result.lang
    t = _texts(lang)
    doc.heading(t("uitleg.repr.title", area=result.area_label))
    for line in summary_lines(result) or [t("uitleg.repr.no_flags")]:
        doc.paragraph(line)
    shown = display_table(result)
    doc.table(list(shown.columns), shown.astype(str).values.tolist(), widths=[1.2, 2.4, 1.8, 1, 1, 2.4])
    for note in notes(result):
        doc.paragraph(note, size=8, muted=True)
