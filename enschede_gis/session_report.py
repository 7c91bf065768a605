"""What a meeting covered, gathered once (:func:`gather`) and shown two ways: step by step in meeting
mode, and as the one-click session report PDF (:func:`to_pdf`).

The report holds the frame, a static map of the area, the profile figures used (with year and
source), the priority profiles and how the area's buurten rank, the scenarios with their
assumptions, the projects touching the area and who is responsible, the residents' input (visible
items only, as plain text), what was agreed, the data sources and years, and the date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from enschede_gis import explain, formatting, i18n, inputs, meetings, settings
from enschede_gis import priorities as pr
from enschede_gis import profile as prof
from enschede_gis import projects as proj
from enschede_gis import representation as rep
from enschede_gis import scenarios as sc
from enschede_gis.boundaries import for_gemeente
from enschede_gis.errors import DataError, InputError, WijkbeeldError
from enschede_gis.figures import buurt_table
from enschede_gis.indicators import Catalogue
from enschede_gis.snapshot import Snapshot

#: The figures that describe "the situation" of an area at a meeting, in this order (those the
#: catalogue lacks are skipped). Few on purpose: a projector shows six numbers, not sixty.
SITUATION_FIGURES: tuple[str, ...] = (
    "inwoners",
    "huishoudens",
    "pct_0_15",
    "pct_65_plus",
    "huishoudensgrootte",
    "woningvoorraad",
    "woz_waarde",
    "pct_huishoudens_laag_inkomen",
    "bijstand_per_1000",
)
#: Room (mm) the situation heading and its map need on a page.
SITUATION_MM = 130
#: How many top-ranked buurten of the gemeente to show next to the area's own buurten.
TOP_RANKED = 5


def _t(key: str, lang: str, **values: object) -> str:
    return i18n.t(key, lang, **values)


@dataclass(frozen=True)
class ProfileResult:
    """One priority profile applied to the buurten: its weights and where the area's buurten rank."""

    name: str
    rationale: str
    weights: tuple[tuple[str, float, str], ...]  # (indicator label, share of the weight, direction)
    ranking: pd.DataFrame  # code, name, rank, score, in_area (the top of the gemeente + the area's buurten)
    ranked: int  # how many buurten were ranked
    problem: str = ""  # why the profile could not be applied (empty when it could)
    keys: tuple[str, ...] = ()  # the weighted indicators, for the explanations


@dataclass(frozen=True)
class ScenarioSummary:
    """A scenario as a meeting sees it: plain sentences per measure and its effect on the area."""

    name: str
    description: str
    year: int
    assumptions: tuple[str, ...]  # one plain line per measure, its basis marked (no codes, no keys)
    heading: str = ""  # the name with the baseline year, said once
    measures: tuple[sc.MeasureText, ...] = ()
    effects: pd.DataFrame = field(default_factory=pd.DataFrame)  # label, before, after, change (text)
    outcome: sc.Outcome | None = None  # for the difference map
    map_indicator: str = ""  # the headline figure the difference map shows
    problem: str = ""  # why the effect could not be computed (the measures are still shown)


@dataclass(frozen=True)
class Session:
    """Everything about a meeting the page and the PDF show."""

    meeting: meetings.Meeting
    area: prof.Area
    year: int
    figures: pd.DataFrame  # label, text, year, source
    projects: tuple[proj.Project, ...]
    profiles: tuple[ProfileResult, ...]
    missing_profiles: tuple[str, ...]
    scenarios: tuple[ScenarioSummary, ...]
    missing_scenarios: tuple[str, ...]
    inputs: pd.DataFrame  # visible input of the meeting and the area
    votes: pd.Series
    sources: tuple[str, ...]
    warnings: tuple[str, ...]
    representation: rep.Representation | None = None
    explained: tuple[str, ...] = ()  # indicator keys the report explains: the figures and profile weights
    notes: tuple[str, ...] = field(default=())


def gather(
    meeting: meetings.Meeting,
    snap: Snapshot,
    catalogue: Catalogue,
    eng: Engine,
    *,
    areas: Sequence[prof.Area],
    lang: str = "nl",
    gemeente: str = settings.DEFAULT_GEMEENTE,
    custom: dict[str, Sequence[str]] | None = None,
) -> Session:
    """Collect the content of a meeting from the snapshot, the database and the saved profiles and
    scenarios. Parts that do not exist yet are reported as missing, never invented."""
    area = prof.find_area(areas, meeting.area_code)
    year = meeting.year or prof.default_year(snap)
    # Without a chosen year the situation shows each figure at its latest year (printed next to it).
    figures = situation(snap, catalogue, area, year=meeting.year or prof.LATEST, lang=lang, gemeente=gemeente)
    profiles, missing_profiles = _profiles(meeting, snap, catalogue, area, year=year, lang=lang, gemeente=gemeente)
    scenarios, missing_scenarios = _scenarios(
        meeting, snap, catalogue, area, lang=lang, gemeente=gemeente, custom=custom
    )
    shown = meeting_inputs(eng, meeting, area)
    votes = shown.loc[shown["kind"] == "vote", "priority"].value_counts()
    sources = tuple(dict.fromkeys(f"{row.source} ({row.year})" for row in figures.itertuples() if row.source))
    notes: tuple[str, ...] = ()
    try:
        heard = representation(eng, snap, catalogue, meeting, area, year=year, lang=lang)
    except WijkbeeldError as exc:  # the comparison is an extra: the meeting goes on without it
        heard, notes = None, (exc.message(lang),)
    return Session(
        meeting=meeting,
        area=area,
        year=year,
        figures=figures,
        projects=tuple(_projects(eng, snap, area, gemeente=gemeente, custom=custom)),
        profiles=tuple(profiles),
        missing_profiles=tuple(missing_profiles),
        scenarios=tuple(scenarios),
        missing_scenarios=tuple(missing_scenarios),
        inputs=shown,
        votes=votes,
        sources=sources,
        warnings=tuple(meetings.frame_warnings(meeting.frame, lang)),
        representation=heard,
        explained=tuple(dict.fromkeys([*figures["indicator"], *(k for p in profiles for k in p.keys)])),
        notes=notes,
    )


def situation_view(session: Session, asset, names: dict[str, str], lang: str = "nl") -> dict:
    """The projector's map of step "De situatie" (:func:`enschede_gis.webmap.plain_view`) over the
    buurt geometry ``asset``: the meeting's buurten filled and outlined thick among the named buurten
    and wijken around them, the map fitted to them, the legend naming the area (never its code)."""
    from enschede_gis import webmap

    view = webmap.plain_view(
        asset,
        lang=lang,
        focus=session.area.codes,
        focus_label=area_name(session.area.key, names),
        title=_t("bijeenkomst.map.title", lang),
    )
    return webmap.for_projector(view)


# --------------------------------------------------------------------------------------------------
# The tables the projector and the report show (headings in the reader's language, no internal keys)


def projects_table(session: Session, lang: str = "nl") -> pd.DataFrame:
    """The projects in the meeting's area: title, domain (by name), period, responsible, contact."""
    projects = session.projects
    return pd.DataFrame(
        {
            _t("projecten.col.title", lang): [p.title for p in projects],
            _t("projecten.col.domain", lang): [_t(f"projecten.domain.{p.domain}", lang) for p in projects],
            _t("projecten.col.period", lang): [formatting.date_range(p.start, p.end, lang) for p in projects],
            _t("projecten.col.responsible", lang): [p.responsible for p in projects],
            _t("projecten.col.contact", lang): [p.contact for p in projects],
        }
    )


def ranking_table(result: ProfileResult, lang: str = "nl") -> pd.DataFrame:
    """A priority profile's ranking as the projector shows it: "rank / ranked", the buurt's name and
    a mark on the buurten of the meeting's area."""
    ranking = result.ranking
    return pd.DataFrame(
        {
            _t("bijeenkomst.col.rank", lang): [f"{int(r)} / {result.ranked}" for r in ranking["rank"]],
            _t("bijeenkomst.col.buurt", lang): ranking["name"].astype(str),
            "": [_t("bijeenkomst.col.in_area", lang) if x else "" for x in ranking["in_area"]],
        }
    )


def effects_table(effects: pd.DataFrame, lang: str = "nl") -> pd.DataFrame:
    """A scenario's headline figures before and after, indexed by the figure's name."""
    figure = _t("bijeenkomst.col.figure", lang)
    return pd.DataFrame(
        {
            figure: effects["label"],
            _t("scenarios.col.before", lang): effects["before"],
            _t("scenarios.col.after", lang): effects["after"],
            _t("scenarios.col.difference", lang): effects["change"],
        }
    ).set_index(figure)


def agreements_table(meeting: meetings.Meeting, lang: str = "nl") -> pd.DataFrame:
    """What was agreed: what, who, by when (as typed)."""
    agreed = meeting.agreements
    return pd.DataFrame(
        {
            _t("bijeenkomst.agree.what", lang): [a.what for a in agreed],
            _t("bijeenkomst.agree.who", lang): [a.who for a in agreed],
            _t("bijeenkomst.agree.when", lang): [a.when for a in agreed],
        }
    )


def figures_year_text(session: Session, lang: str = "nl") -> str:
    """The year of the situation figures: the meeting's year, or the span of each figure's latest year."""
    if session.meeting.year or session.figures.empty:
        return str(session.year)
    first, last = int(session.figures["year"].min()), int(session.figures["year"].max())
    span = str(last) if first == last else f"{first}–{last}"
    return f"{i18n.t('profiel.latest', lang).lower()} ({span})"


def meeting_inputs(
    eng: Engine, meeting: meetings.Meeting, area: prof.Area, *, include_hidden: bool = False
) -> pd.DataFrame:
    """The input about the meeting's area (the area itself or any of its buurten) plus the input
    given for this meeting elsewhere, each row once, oldest first."""
    about_area = inputs.list_inputs(eng, area_codes=sorted({area.key, *area.codes}), include_hidden=include_hidden)
    for_meeting = inputs.list_inputs(eng, meeting_id=meeting.id, include_hidden=include_hidden)
    extra = for_meeting[~for_meeting["id"].isin(about_area["id"])]
    if extra.empty:
        return about_area
    return pd.concat([about_area, extra]).sort_values("id").reset_index(drop=True)


_situation_catalogues: dict[int, tuple[Catalogue, Catalogue]] = {}


def situation_catalogue(catalogue: Catalogue) -> Catalogue:
    """``catalogue`` cut to the situation's figures and what they are computed from (weights,
    numerators, denominators), so the projector's step does not compute every figure of every year
    to show nine (the same object for the same catalogue, so the profile's memo keeps working)."""
    hit = _situation_catalogues.get(id(catalogue))
    if hit is not None and hit[0] is catalogue:
        return hit[1]
    keep: set[str] = set()
    todo = [k for k in SITUATION_FIGURES if k in catalogue]
    while todo:
        key = todo.pop()
        if key in keep or key not in catalogue:
            continue
        keep.add(key)
        ind = catalogue[key]
        todo.extend(k for k in (ind.weight, ind.numerator, ind.denominator) if k)
    cut = Catalogue(indicators={k: v for k, v in catalogue.indicators.items() if k in keep}, themes=catalogue.themes)
    if len(_situation_catalogues) > 8:
        _situation_catalogues.clear()
    _situation_catalogues[id(catalogue)] = (catalogue, cut)
    return cut


def situation(
    snap: Snapshot,
    catalogue: Catalogue,
    area: prof.Area,
    *,
    year: prof.YearMode,
    lang: str = "nl",
    gemeente: str = settings.DEFAULT_GEMEENTE,
) -> pd.DataFrame:
    """The key figures of the area for one year, or each at its latest year (``prof.LATEST``): label,
    text (missing reads "onbekend"; a value over part of the buurten says so), year, source.
    For a projector also ``heading`` (the label with its unit where the name does not say it) and
    ``number`` (the value without that unit: "2.350" under "Aantal huishoudens", "€ 206.000")."""
    table = prof.key_figures(snap, situation_catalogue(catalogue), area, year=year, lang=lang, gemeente=gemeente)
    wanted = [k for k in SITUATION_FIGURES if k in catalogue]
    rows = table.set_index("indicator").reindex([k for k in wanted if k in set(table["indicator"])])
    out = pd.DataFrame(
        {
            "indicator": rows.index,
            "label": [catalogue[k].label(lang) for k in rows.index],
            "text": rows["text"].fillna(i18n.t("app.missing", lang)).astype(str).to_numpy(),
            "heading": [headline_label(catalogue[k], lang) for k in rows.index],
            "number": [
                headline_number(catalogue[k], v, lang, text=t)
                for k, v, t in zip(rows.index, rows["value"], rows["text"], strict=True)
            ],
            "year": rows["year"].astype("Int64").to_numpy() if "year" in rows else year,
            "source": rows["source"].fillna("").astype(str).to_numpy() if "source" in rows else "",
        }
    )
    # the gemeente beside it (the first reference), from the same year as the area's own value
    refs = prof.reference_names(table)
    out["reference"] = refs[0] if refs else ""
    out["reference_text"] = (
        rows[f"{refs[0]} (tekst)"].fillna(i18n.t("app.missing", lang)).astype(str).to_numpy()
        if refs
        else i18n.t("app.missing", lang)
    )
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class PublicFigure:
    """One headline figure of a meeting's area as a resident's phone shows it: names, no codes."""

    heading: str  # "Aantal inwoners", "Gemiddelde huishoudensgrootte (personen)"
    number: str  # "4.210", "70,2%"
    year: int  # the year of the area's own value
    reference: str  # the gemeente's name, e.g. "Enschede" ("" when there is none)
    reference_text: str  # its value in that same year, e.g. "13,8%"


def public_figures(
    snap: Snapshot,
    catalogue: Catalogue,
    meeting: meetings.Meeting,
    area: prof.Area,
    *,
    lang: str = "nl",
    gemeente: str = settings.DEFAULT_GEMEENTE,
) -> list[PublicFigure]:
    """The figures of meeting mode's "De situatie" step for residents: the meeting's year, or each
    figure at its latest year (a missing one reads "onbekend", as on the projector), each with the
    gemeente's value from that same year beside it."""
    table = situation(snap, catalogue, area, year=meeting.year or prof.LATEST, lang=lang, gemeente=gemeente)
    return [
        PublicFigure(row.heading, row.number, int(row.year), row.reference, row.reference_text)
        for row in table.itertuples()
    ]


def headline_label(ind, lang: str) -> str:
    """See :func:`enschede_gis.formatting.tile_label`."""
    return formatting.tile_label(ind, lang)


def headline_number(ind, value: float | None, lang: str, *, text: object = None) -> str:
    """The value for a big-number tile: "70,2%" and "€ 206.000" keep their sign, other units go to
    the tile's label (see :func:`headline_label`). A note after the value in ``text`` (the full
    text, e.g. over how many buurten a share is known) is kept."""
    number = formatting.tile_value(ind, value, lang)
    full = ind.format(value, lang)
    if isinstance(text, str) and text.startswith(full) and text != full:
        number += text[len(full) :]
    return number


def _profiles(
    meeting: meetings.Meeting,
    snap: Snapshot,
    catalogue: Catalogue,
    area: prof.Area,
    *,
    year: int,
    lang: str,
    gemeente: str,
) -> tuple[list[ProfileResult], list[str]]:
    if not meeting.profiles:
        return [], []
    try:
        saved = {p.name: p for p in pr.load_profiles()}
    except DataError as exc:
        return [], [f"{name} ({exc.message(lang)})" for name in meeting.profiles]
    table = buurt_table(snap, year=year, gemeente=gemeente)
    names = dict(zip(*_buurt_names(snap, gemeente), strict=True))
    results, missing = [], []
    for name in meeting.profiles:
        profile = saved.get(name)
        if profile is None:
            missing.append(name)
            continue
        results.append(_apply_profile(profile, table, catalogue, area, names, lang))
    return results, missing


def _buurt_names(snap: Snapshot, gemeente: str) -> tuple[list[str], list[str]]:
    buurten = for_gemeente(snap, "buurt", gemeente)
    return list(buurten["code"]), list(buurten["name"])


def _apply_profile(profile, table, catalogue, area, names, lang) -> ProfileResult:
    total = sum(w.weight for w in profile.active) or 1.0
    weights = tuple(
        (catalogue[w.indicator].label(lang) if w.indicator in catalogue else w.indicator, w.weight / total, w.direction)
        for w in profile.active
    )
    keys = tuple(w.indicator for w in profile.active if w.indicator in catalogue)
    try:
        ranking = pr.rank_areas(table, profile, catalogue).table
    except InputError as exc:
        empty = pd.DataFrame(columns=["code", "name", "rank", "score", "in_area"])
        return ProfileResult(profile.name, profile.rationale, weights, empty, 0, problem=exc.message(lang), keys=keys)
    ranked = ranking.reset_index().rename(columns={ranking.index.name or "index": "code"})
    ranked["name"] = ranked["code"].map(names).fillna(ranked["code"])
    ranked["in_area"] = ranked["code"].isin(area.codes)
    shown = ranked[(ranked["rank"] <= TOP_RANKED) | ranked["in_area"]]
    return ProfileResult(
        profile.name,
        profile.rationale,
        weights,
        shown[["code", "name", "rank", "score", "in_area"]].reset_index(drop=True),
        len(ranked),
        keys=keys,
    )


def _scenarios(
    meeting: meetings.Meeting,
    snap: Snapshot,
    catalogue: Catalogue,
    area: prof.Area,
    *,
    lang: str,
    gemeente: str,
    custom: dict[str, Sequence[str]] | None,
) -> tuple[list[ScenarioSummary], list[str]]:
    if not meeting.scenarios:
        return [], []
    try:
        saved, _problems = sc.load_scenarios()
    except DataError as exc:
        return [], [f"{name} ({exc.message(lang)})" for name in meeting.scenarios]
    by_name = {s.name: s for s in saved}
    names = snap.names()
    found, missing = [], []
    for name in meeting.scenarios:
        scenario = by_name.get(name)
        if scenario is None:
            missing.append(name)
            continue
        measures = tuple(sc.measure_text(m, catalogue, names, lang) for m in scenario.measures)
        summary = ScenarioSummary(
            scenario.name,
            scenario.description,
            scenario.year,
            tuple(m.line() for m in measures),
            heading=sc.heading(scenario, lang),
            measures=measures,
        )
        found.append(_with_effects(summary, scenario, snap, catalogue, area, lang, gemeente, custom or {}))
    return found, missing


def _with_effects(summary, scenario, snap, catalogue, area, lang, gemeente, custom) -> ScenarioSummary:
    """The summary with before → after for the meeting's area; a scenario that cannot run says why."""
    from dataclasses import replace

    from enschede_gis.figures import land_area

    if not scenario.measures:
        return summary
    try:
        table = buurt_table(snap, year=scenario.year, gemeente=gemeente)
        base = sc.baseline(table, catalogue, year=scenario.year, land_area=land_area(snap))
        members = sc.resolve_areas(scenario, for_gemeente(snap, "buurt", gemeente), custom)
        outcome = sc.run(scenario, base, catalogue, members)
    except WijkbeeldError as exc:
        return replace(summary, problem=exc.message(lang))
    codes = [c for c in area.codes if c in outcome.touched] or list(outcome.touched)
    effects = sc.headline_effects(outcome, catalogue, codes, lang)
    shown = effects["indicator"].iloc[0] if not effects.empty else ""
    return replace(summary, effects=effects, outcome=outcome, map_indicator=shown)


def _projects(eng: Engine, snap: Snapshot, area: prof.Area, *, gemeente: str, custom) -> list[proj.Project]:
    items = proj.load_all(eng)
    buurten = for_gemeente(snap, "buurt", gemeente)
    prints = proj.footprints(items, buurten, custom)
    return proj.touching(items, prints, area.codes)


def representation(
    eng: Engine,
    snap: Snapshot,
    catalogue: Catalogue,
    meeting: meetings.Meeting,
    area: prof.Area,
    *,
    year: int,
    lang: str,
) -> rep.Representation:
    """Who gave input (at the meeting or for its area, each input once, hidden ones counted but not
    shown) next to who lives in the area, from :mod:`enschede_gis.representation`."""
    frame = meeting_inputs(eng, meeting, area, include_hidden=True)[inputs.PROFILE_COLUMNS].reset_index(drop=True)
    from dataclasses import replace

    from enschede_gis.export import plain_name

    named = replace(area, label=plain_name(area))  # residents read the name, not the code
    return rep.for_area(frame, snap, catalogue, named, year=year, lang=lang)


# --------------------------------------------------------------------------------------------------
# The PDF


def to_pdf(
    session: Session, snap: Snapshot, catalogue: Catalogue, *, lang: str = "nl", printed: date | None = None
) -> bytes:
    """The session report as PDF bytes (all text plain; residents' text is never interpreted). It
    ends with the plain-language explanation of every figure and weighted indicator it shows."""
    from enschede_gis.export import plain_name
    from enschede_gis.pdf import Document
    from enschede_gis.staticmap import area_map

    meeting = session.meeting
    doc = Document(
        _t("bijeenkomst.report.title", lang, title=meeting.title),
        subtitle=_t(
            "bijeenkomst.report.subtitle",
            lang,
            area=plain_name(session.area),
            held_on=formatting.long_date(meeting.held_on, lang),
            year=figures_year_text(session, lang),
        ),
        printed=printed,
        lang=lang,
    )
    _agenda_section(doc, lang)
    _agreements_section(doc, meeting, lang)  # first: what was agreed, who does what by when
    _frame_section(doc, meeting.frame, lang)
    if doc.space_left < SITUATION_MM:  # keep the heading with its map
        doc.new_page()
    doc.heading(_t("bijeenkomst.step.situatie", lang))
    doc.image(area_map(snap, session.area.codes), width_mm=110)
    doc.table(
        [_t("bijeenkomst.col.figure", lang), _t("bijeenkomst.col.value", lang), _t("bijeenkomst.col.year", lang)],
        [[r.label, r.text, r.year] for r in session.figures.itertuples()],
        widths=[3, 2, 1],
        align=["L", "R", "R"],
    )
    _projects_section(doc, session, lang)
    _profiles_section(doc, session, lang)
    _scenarios_section(doc, session, lang)
    _inputs_section(doc, session, snap, lang)
    _representation_section(doc, session, lang)
    explained = [catalogue[k] for k in session.explained if k in catalogue]
    explain.add_to_pdf(doc, explained, snap.statistics, lang, catalogue=catalogue)
    doc.sources([i18n.t("app.attribution", lang), *session.sources], title=_t("bijeenkomst.report.sources", lang))
    return doc.to_bytes()


def _agenda_section(doc, lang: str) -> None:
    """What the evening was about: the agenda in order."""
    steps = [f"{n}. {_t(f'bijeenkomst.step.{item}', lang)}" for n, item in enumerate(meetings.AGENDA, start=1)]
    doc.heading(_t("plain.report.discussed", lang), level=2)
    doc.paragraph(" · ".join(steps))


def _frame_section(doc, frame: meetings.Frame, lang: str) -> None:
    """The frame as residents heard it. The facilitator's warnings (a level that promises more than
    the frame allows) are for the preparation, not for the residents' report."""
    doc.heading(_t("bijeenkomst.step.kader", lang))
    doc.heading(_t("bijeenkomst.frame.fixed", lang), level=2)
    doc.paragraph(frame.fixed or "—")
    doc.heading(_t("bijeenkomst.frame.open", lang), level=2)
    doc.paragraph(frame.open or "—")
    doc.heading(_t("bijeenkomst.frame.level", lang), level=2)
    doc.paragraph(
        f"{_t(f'bijeenkomst.level.{frame.level}', lang)}: {_t(f'bijeenkomst.level_help.{frame.level}', lang)}"
    )
    doc.paragraph(f"{_t('bijeenkomst.frame.room', lang)}: {_t(f'bijeenkomst.room.{frame.room}', lang)}", muted=True)
    doc.heading(_t("bijeenkomst.frame.purposes", lang), level=2)
    purposes = [_t(f"bijeenkomst.purpose.{p}", lang) for p in frame.purposes]
    doc.paragraph("; ".join(purposes) or "—")


def _projects_section(doc, session: Session, lang: str) -> None:
    doc.heading(_t("bijeenkomst.projects.title", lang), level=2)
    if not session.projects:
        doc.paragraph(_t("bijeenkomst.projects.none", lang), muted=True)
        return
    table = projects_table(session, lang)  # the same table as on the projector: domains by name
    doc.table(list(table.columns), table.values.tolist(), widths=[3, 1.3, 2.2, 2, 2])


def _profiles_section(doc, session: Session, lang: str) -> None:
    doc.heading(_t("bijeenkomst.step.prioriteiten", lang))
    if not session.profiles:
        doc.paragraph(_t("bijeenkomst.none.profiles", lang), muted=True)
    for result in session.profiles:
        doc.heading(result.name, level=2)
        if result.rationale:
            doc.paragraph(result.rationale, size=9)
        doc.paragraph(
            "; ".join(
                f"{label} {share:.0%} ({_t(f'bijeenkomst.direction.{d}', lang)})" for label, share, d in result.weights
            ),
            size=8.5,
            muted=True,
        )
        if result.problem:
            doc.paragraph(result.problem, size=9)
            continue
        doc.table(
            [
                _t("bijeenkomst.col.rank", lang),
                _t("bijeenkomst.col.buurt", lang),
                _t("bijeenkomst.col.score", lang),
                "",
            ],
            [
                [
                    f"{int(r.rank)} / {result.ranked}",
                    r.name,
                    formatting.number(r.score, lang, decimals=2),
                    _t("bijeenkomst.col.in_area", lang) if r.in_area else "",
                ]
                for r in result.ranking.itertuples()
            ],
            widths=[1.2, 4, 1, 1.5],
            align=["R", "L", "R", "L"],
        )
    for name in session.missing_profiles:
        doc.paragraph(_t("bijeenkomst.missing_profile", lang, name=name), size=9, muted=True)
    if not session.votes.empty:
        doc.heading(_t("bijeenkomst.votes", lang), level=2)
        doc.table(
            [_t("inbreng.priority", lang), _t("bijeenkomst.col.votes", lang)],
            [[name, int(count)] for name, count in session.votes.items()],
            widths=[4, 1],
            align=["L", "R"],
        )


def _scenarios_section(doc, session: Session, lang: str) -> None:
    doc.heading(_t("bijeenkomst.step.scenarios", lang))
    if not session.scenarios:
        doc.paragraph(_t("bijeenkomst.none.scenarios", lang), muted=True)
    for scenario in session.scenarios:
        doc.heading(scenario.heading or scenario.name, level=2)
        if scenario.description:
            doc.paragraph(scenario.description, size=9)
        for line in scenario.assumptions or (_t("bijeenkomst.no_measures", lang),):
            doc.paragraph(f"• {line}", size=9)
        if scenario.problem:
            doc.paragraph(scenario.problem, size=9, muted=True)
        if not scenario.effects.empty:
            doc.table(
                [
                    _t("bijeenkomst.col.figure", lang),
                    _t("scenarios.col.before", lang),
                    _t("scenarios.col.after", lang),
                    _t("scenarios.col.difference", lang),
                ],
                scenario.effects[["label", "before", "after", "change"]].to_numpy().tolist(),
                widths=[3, 1.6, 1.6, 1.6],
                align=["L", "R", "R", "R"],
            )
    for name in session.missing_scenarios:
        doc.paragraph(_t("bijeenkomst.missing_scenario", lang, name=name), size=9, muted=True)


def _inputs_section(doc, session: Session, snap: Snapshot, lang: str) -> None:
    """The residents' input: first counted per buurt (by name), then each text as given."""
    doc.heading(_t("bijeenkomst.report.inputs", lang, count=len(session.inputs)))
    if session.inputs.empty:
        doc.paragraph(_t("inbreng.none_yet", lang), muted=True)
        return
    names = snap.names()
    summary = input_summary(session.inputs, names, lang)
    doc.table(
        [_t("bijeenkomst.col.area", lang), *[_t(f"inbreng.kind.{k}", lang) for k in INPUT_KINDS]],
        summary,
        widths=[3, *([1] * len(INPUT_KINDS))],
        align=["L", *(["R"] * len(INPUT_KINDS))],
    )
    rows = []
    for r in session.inputs.itertuples():
        text = (
            r.text
            if r.kind != "vote"
            else f"{_t('inbreng.vote_for', lang)}: {r.priority}" + (f" — {r.text}" if r.text else "")
        )
        rows.append([_t(f"inbreng.kind.{r.kind}", lang), area_name(r.area_code, names), text])
    doc.table(
        [_t("inbreng.kind_label", lang), _t("bijeenkomst.col.area", lang), _t("inbreng.text", lang)],
        rows,
        widths=[1.2, 2.2, 7],
        size=8,
    )


#: The kinds of input, in the order the report counts them.
INPUT_KINDS = ("note", "idea", "vote")


def area_name(code: object, names: dict[str, str]) -> str:
    """A buurt, wijk or gemeente by its name, an own area by its own name (never a code to residents)."""
    text = str(code)
    return text.removeprefix(sc.CUSTOM_PREFIX) if text.startswith(sc.CUSTOM_PREFIX) else names.get(text, text)


def input_summary(frame: pd.DataFrame, names: dict[str, str], lang: str = "nl") -> list[list[object]]:
    """Per area (by name, most input first): how many notes, ideas and votes."""
    named = frame.assign(name=[area_name(c, names) for c in frame["area_code"]])
    counts = named.groupby(["name", "kind"]).size().unstack(fill_value=0).reindex(columns=INPUT_KINDS, fill_value=0)
    counts = counts.loc[counts.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    return [[name, *(int(v) for v in row)] for name, row in counts.iterrows()]


def _agreements_section(doc, meeting: meetings.Meeting, lang: str) -> None:
    """What was agreed (who does what, by when) and what happens next with the residents' input."""
    doc.heading(_t("plain.report.agreed", lang))
    if meeting.agreements:
        table = agreements_table(meeting, lang)
        doc.table(list(table.columns), table.values.tolist(), widths=[5, 2, 1.5])
    else:
        doc.paragraph(_t("bijeenkomst.no_agreements", lang), muted=True)
    doc.heading(_t("plain.report.next", lang), level=2)
    level = meeting.frame.level
    doc.paragraph(_t("plain.report.next_text", lang, level=_t(f"bijeenkomst.level.{level}", lang).lower()))
    doc.paragraph(_t(f"bijeenkomst.level_help.{level}", lang), size=9)


def _representation_section(doc, session: Session, lang: str) -> None:
    for note in session.notes:
        doc.paragraph(note, size=9, muted=True)
    if session.representation is not None:
        rep.add_to_pdf(doc, session.representation, lang)
