"""The coordination register: planned works and projects per area, and where they collide.

A project touches an area given as buurt/wijk codes, a custom area, or a drawn polygon. Every area
is turned into a set of buurten (its *footprint*); two projects **conflict** when their footprints
share a buurt and their periods overlap.

Periods are whole days, start and end included: a project that ends on 31 March and one that starts
on 31 March share that day and conflict. Back-to-back projects (one ends on the 31st, the next starts
on the 1st) do not conflict but are reported as ``adjacent``, because one street opened twice in a
row is often worth a phone call too.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from itertools import combinations
from typing import Literal

import geopandas as gpd
import pandas as pd
import shapely
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlalchemy import Engine

from enschede_gis import db, roles, settings, store, tables
from enschede_gis._validate import describe, validated
from enschede_gis.errors import InputError, WijkbeeldError
from enschede_gis.text import Line

DOMAINS: tuple[str, ...] = ("sociaal", "fysiek", "verkeer", "groen", "veiligheid", "energie")
Domain = Literal["sociaal", "fysiek", "verkeer", "groen", "veiligheid", "energie"]
#: A drawn polygon touches a buurt only when it covers more than this much of it (m²): a polygon
#: drawn along a street that is the border between two buurten must not claim both by a hair.
MIN_OVERLAP_M2 = 1.0
#: Longest import accepted (rows); a register, not a data dump.
MAX_IMPORT_ROWS = 5000
#: What the import reads at most (size, unpacked size, rows, columns), checked before the work is done.
LIMITS = tables.Limits(max_bytes=2_000_000, max_rows=MAX_IMPORT_ROWS, max_columns=50)
CUSTOM_PREFIX = "custom:"
KIND = store.KINDS["projects"]
_CODE = re.compile(r"^(BU\d{8}|WK\d{6}|GM\d{4})$")

#: Column names accepted on import (lower case), Dutch and English.
IMPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("titel", "title", "naam", "project"),
    "domain": ("domein", "domain"),
    "responsible": ("verantwoordelijke", "responsible", "trekker", "eigenaar"),
    "contact": ("contact", "contactpersoon"),
    "area": ("gebied", "area", "buurten", "buurtcodes"),
    "start": ("start", "begin", "startdatum"),
    "end": ("eind", "einde", "end", "einddatum"),
}
_FIELD_NAMES = {
    "title": "titel",
    "domain": "domein",
    "responsible": "verantwoordelijke",
    "contact": "contact",
    "area": "gebied",
    "area.codes": "gebied (buurtcodes)",
    "area.custom": "gebied (eigen gebied)",
    "area.polygon": "gebied (getekend vlak)",
    "start": "start",
    "end": "eind",
}


class ProjectArea(BaseModel):
    """Where a project happens: exactly one of buurt/wijk codes, a custom area, or a drawn polygon."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    codes: tuple[str, ...] = ()
    custom: Line | None = Field(default=None, max_length=80)
    polygon: dict | None = None  # a GeoJSON Polygon or MultiPolygon in WGS84

    @field_validator("codes")
    @classmethod
    def _codes(cls, codes: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(dict.fromkeys(c.strip().upper() for c in codes if c.strip()))
        bad = [c for c in cleaned if not _CODE.match(c)]
        if bad:
            raise InputError(
                f"geen buurt-, wijk- of gemeentecode: {', '.join(bad)}",
                en=f"not a buurt, wijk or gemeente code: {', '.join(bad)}",
            )
        return cleaned

    @field_validator("polygon")
    @classmethod
    def _polygon(cls, value: dict | None) -> dict | None:
        if value is None:
            return None
        try:
            geom = shapely.geometry.shape(value)
        except (ValueError, TypeError, AttributeError, KeyError, IndexError):
            raise InputError(
                "het getekende vlak is geen geldige GeoJSON-geometrie",
                en="the drawn shape is not a valid GeoJSON geometry",
            ) from None
        if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty or not geom.is_valid:
            raise InputError(
                "teken een gesloten vlak dat zichzelf niet snijdt",
                en="draw a closed shape that does not intersect itself",
            )
        return shapely.geometry.mapping(geom)

    @model_validator(mode="after")
    def _exactly_one(self) -> ProjectArea:
        given = sum([bool(self.codes), bool(self.custom), self.polygon is not None])
        if given != 1:
            raise InputError(
                "geef precies één gebied: buurtcodes, een eigen gebied of een getekend vlak",
                en="give exactly one area: buurt codes, a custom area or a drawn shape",
            )
        return self

    def describe(self, names: Mapping[str, str] | None = None) -> str:
        """Plain text for tables and PDFs."""
        if self.codes:
            return ", ".join((names or {}).get(c, c) for c in self.codes)
        if self.custom:
            return self.custom
        return "getekend vlak"


class Project(BaseModel):
    """One item in the register."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12], min_length=1, max_length=64)
    title: Line = Field(min_length=1, max_length=200)
    domain: Domain
    responsible: Line = Field(min_length=1, max_length=200)
    contact: Line = Field(default="", max_length=200)
    area: ProjectArea
    start: date
    end: date

    @field_validator("title", "responsible", "contact")
    @classmethod
    def _strip(cls, value: str) -> str:
        return value.strip()

    @model_validator(mode="after")
    def _period(self) -> Project:
        if not self.title:
            raise InputError("titel is leeg", en="title is empty")
        if not self.responsible:
            raise InputError(
                "verantwoordelijke is leeg: wie is aanspreekbaar?",
                en="responsible person is empty: who can be contacted?",
            )
        if self.end < self.start:
            raise InputError(
                f"eind ({self.end:%d-%m-%Y}) ligt vóór start ({self.start:%d-%m-%Y})",
                en=f"end ({self.end:%d-%m-%Y}) is before start ({self.start:%d-%m-%Y})",
            )
        return self


def make_project(**fields: object) -> Project:
    """Validate one project from a form or an import row; one Dutch message names every wrong field."""
    return validated(Project, fields, _FIELD_NAMES, nl="Ongeldig project", en="Invalid project")


# --------------------------------------------------------------------------------------------------
# Footprints: every area as a set of buurten


def footprint(
    area: ProjectArea, buurten: gpd.GeoDataFrame, custom: Mapping[str, Sequence[str]] | None = None
) -> frozenset[str]:
    """The buurten an area touches. ``buurten`` has ``code``, ``wijkcode``, ``gemeentecode`` and
    geometry (any CRS); ``custom`` maps custom area names to their buurt codes."""
    if area.codes:
        return _codes_footprint(area.codes, buurten)
    if area.custom:
        name = area.custom.removeprefix(CUSTOM_PREFIX)
        members = (custom or {}).get(name)
        if members is None:
            raise InputError(
                f"Onbekend eigen gebied '{name}': maak het eerst aan onder Eigen gebieden.",
                en=f"Unknown custom area '{name}': create it first under Custom areas.",
            )
        return frozenset(members)
    return _polygon_footprint(area.polygon or {}, buurten)


def _codes_footprint(codes: Iterable[str], buurten: gpd.GeoDataFrame) -> frozenset[str]:
    out: set[str] = set()
    for code in codes:
        column = {"BU": "code", "WK": "wijkcode", "GM": "gemeentecode"}[code[:2]]
        found = buurten.loc[buurten[column] == code, "code"]
        if found.empty:
            raise InputError(f"Onbekende gebiedscode '{code}'.", en=f"Unknown area code '{code}'.")
        out.update(map(str, found))
    return frozenset(out)


def _polygon_footprint(polygon: Mapping, buurten: gpd.GeoDataFrame) -> frozenset[str]:
    shape = gpd.GeoSeries([shapely.geometry.shape(polygon)], crs=settings.CRS_WEB).to_crs(settings.CRS_RD).iloc[0]
    rd = buurten.to_crs(settings.CRS_RD)
    candidates = rd[rd.geometry.intersects(shape)]
    overlap = candidates.geometry.intersection(shape).area
    hits = candidates.loc[overlap > MIN_OVERLAP_M2, "code"]
    if hits.empty:
        raise InputError(
            "Het getekende vlak ligt buiten de buurten van de gemeente.",
            en="The drawn shape lies outside the buurten of the gemeente.",
        )
    return frozenset(map(str, hits))


def footprints(
    projects: Iterable[Project], buurten: gpd.GeoDataFrame, custom: Mapping[str, Sequence[str]] | None = None
) -> dict[str, frozenset[str]]:
    """Footprint per project id (a project whose area no longer resolves gets an empty set)."""
    out = {}
    for project in projects:
        try:
            out[project.id] = footprint(project.area, buurten, custom)
        except InputError:
            out[project.id] = frozenset()
    return out


# --------------------------------------------------------------------------------------------------
# Conflicts and the timeline

CONFLICT_COLUMNS = ["kind", "a_id", "a_title", "b_id", "b_title", "buurten", "from", "to", "days"]


def _pair(a: Project, b: Project, shared: frozenset[str]) -> dict | None:
    first, second = sorted((a, b), key=lambda p: (p.start, p.end, p.id))
    if first.start <= second.end and second.start <= first.end:
        start, end = max(first.start, second.start), min(first.end, second.end)
        kind = "overlap"
    elif first.end + timedelta(days=1) == second.start:
        start, end, kind = first.end, second.start, "adjacent"
    else:
        return None
    return {
        "kind": kind,
        "a_id": first.id,
        "a_title": first.title,
        "b_id": second.id,
        "b_title": second.title,
        "buurten": tuple(sorted(shared)),
        "from": start,
        "to": end,
        "days": (end - start).days + 1 if kind == "overlap" else 0,
    }


def conflicts(projects: Sequence[Project], prints: Mapping[str, frozenset[str]]) -> pd.DataFrame:
    """Every pair of projects sharing a buurt in overlapping (``overlap``) or back-to-back
    (``adjacent``) periods, with the shared buurten and the shared period."""
    rows = []
    for a, b in combinations(projects, 2):
        shared = prints.get(a.id, frozenset()) & prints.get(b.id, frozenset())
        if shared:
            row = _pair(a, b, shared)
            if row is not None:
                rows.append(row)
    frame = pd.DataFrame(rows, columns=CONFLICT_COLUMNS)
    return frame.sort_values(["kind", "from", "a_title"], ascending=[False, True, True]).reset_index(drop=True)


def conflicted_buurten(found: pd.DataFrame) -> pd.Series:
    """Number of overlapping project pairs per buurt (for the map)."""
    overlaps = found[found["kind"] == "overlap"]
    counts = pd.Series([c for codes in overlaps["buurten"] for c in codes], dtype="string").value_counts()
    counts.name = "conflicten"
    return counts


#: Fill of a buurt with 1, 2, 3 or more overlapping project pairs (light to dark orange).
CONFLICT_COLOURS = ("#f16913", "#d94801", "#8c2d04")


def conflict_view(found: pd.DataFrame, asset, lang: str = "nl") -> dict:
    """The conflict map's view (:func:`enschede_gis.webmap.category_view`) over the buurt geometry
    ``asset``: each buurt coloured by its number of overlapping pairs (1, 2, 3 or more), the pairs
    named in its tooltip, buurten without a conflict plain; the map fitted to the conflicts."""
    from enschede_gis import i18n, webmap

    counts = conflicted_buurten(found)
    top = len(CONFLICT_COLOURS)
    category = {str(code): min(int(n), top) - 1 for code, n in counts.items() if int(n) > 0}
    overlaps = found[found["kind"] == "overlap"]
    pairs: dict[str, list[str]] = {}
    for row in overlaps.itertuples():
        for code in row.buurten:
            pairs.setdefault(str(code), []).append(f"{row.a_title} × {row.b_title}")
    view = webmap.category_view(
        asset,
        category,
        colours=CONFLICT_COLOURS,
        names=[i18n.t(f"projecten.map.pairs_{n}", lang) for n in range(1, top + 1)],
        title=i18n.t("projecten.map.title", lang),
        rest=i18n.t("projecten.map.none", lang),
        lang=lang,
        extra_tooltip={i18n.t("projecten.col.conflict", lang): {c: "; ".join(p) for c, p in pairs.items()}},
    )
    # the map fits (and outlines) the buurten with a conflict: at the gemeente's scale they are specks
    return webmap.with_marks(view, focus=sorted(category))


def register_table(
    items: Sequence[Project],
    found: pd.DataFrame,
    names: Mapping[str, str],
    stamps: Mapping[str, store.Stamp] | None = None,
    lang: str = "nl",
) -> pd.DataFrame:
    """The register as the page lists it: one row per project with its domain by name, its area in
    words, period, who is responsible, whether it conflicts, and who changed it last and when."""
    from enschede_gis import i18n

    def t(key: str) -> str:
        return i18n.t(key, lang)

    line = timeline(items, found)
    stamps = stamps or {}
    return pd.DataFrame(
        {
            t("projecten.col.title"): line["title"],
            t("projecten.col.domain"): [t(f"projecten.domain.{d}") for d in line["domain"]],
            t("projecten.col.area"): [p.area.describe(dict(names)) for p in items],
            t("projecten.col.start"): line["start"].dt.date,
            t("projecten.col.end"): line["end"].dt.date,
            t("projecten.col.responsible"): line["responsible"],
            t("projecten.col.contact"): line["contact"],
            t("projecten.col.conflict"): [t("projecten.yes") if c else "" for c in line["conflict"]],
            t("projecten.col.changed_by"): [stamps[p.id].changed_by if p.id in stamps else "" for p in items],
            t("projecten.col.changed_at"): [stamps[p.id].local_time() if p.id in stamps else "" for p in items],
        }
    )


def conflicts_table(found: pd.DataFrame, names: Mapping[str, str], lang: str = "nl") -> pd.DataFrame:
    """The conflicts as the page lists them: kind (by name), the two projects, the shared buurten by
    name and the shared period."""
    from enschede_gis import i18n

    def t(key: str) -> str:
        return i18n.t(key, lang)

    return pd.DataFrame(
        {
            t("projecten.col.kind"): [t(f"projecten.kind.{k}") for k in found["kind"]],
            t("projecten.col.a"): found["a_title"],
            t("projecten.col.b"): found["b_title"],
            t("projecten.col.buurten"): [", ".join(names.get(c, c) for c in codes) for codes in found["buurten"]],
            t("projecten.col.from"): found["from"],
            t("projecten.col.to"): found["to"],
        }
    )


def timeline_chart(items: Sequence[Project], found: pd.DataFrame, lang: str = "nl"):
    """The projects' timeline (:func:`enschede_gis.charts.timeline_chart`), domains by name and the
    conflicts marked, titles in ``lang``."""
    from enschede_gis import charts, i18n

    frame = timeline(items, found)
    frame = frame.assign(
        domein=[i18n.t(f"projecten.domain.{d}", lang) for d in frame["domain"]],
        conflict_text=[i18n.t("projecten.yes", lang) if c else "" for c in frame["conflict"]],
    )
    titles = {name: i18n.t(f"projecten.col.{name}", lang) for name in ("title", "responsible", "period", "conflict")}
    return charts.timeline_chart(
        frame, domain_title=i18n.t("projecten.col.domain", lang), tooltip_titles=titles, lang=lang
    )


#: Corners of a drawn polygon at most (a project area, not a survey).
MAX_CORNERS = 100


def add_corner(
    corners: Sequence[Sequence[float]], lat: float, lon: float, buurten: gpd.GeoDataFrame
) -> list[list[float]]:
    """The corners of a polygon being drawn (GeoJSON order: [lon, lat], WGS84) with one more at
    ``lat``/``lon``; refused (an :class:`InputError`, nothing added) when the place lies outside the
    gemeente's buurten or the polygon already has :data:`MAX_CORNERS` corners."""
    if len(corners) >= MAX_CORNERS:
        raise InputError(
            f"Een getekend vlak heeft hoogstens {MAX_CORNERS} hoeken.",
            en=f"A drawn shape has at most {MAX_CORNERS} corners.",
        )
    point = gpd.GeoSeries([shapely.Point(float(lon), float(lat))], crs=settings.CRS_WEB).to_crs(buurten.crs).iloc[0]
    if not buurten.geometry.covers(point).any():
        raise InputError(
            "Dit punt ligt buiten de gemeente; klik binnen de buurten van de gemeente.",
            en="This point lies outside the gemeente; click inside the gemeente's buurten.",
        )
    return [*[[float(x), float(y)] for x, y in corners], [round(float(lon), 6), round(float(lat), 6)]]


def drawn_polygon(corners: Sequence[Sequence[float]]) -> dict | None:
    """The GeoJSON polygon of the drawn corners (closed), or None below three corners."""
    if len(corners) < 3:
        return None
    ring = [list(c) for c in corners]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def touching(projects: Iterable[Project], prints: Mapping[str, frozenset[str]], area: Iterable[str]) -> list[Project]:
    """The projects whose footprint shares a buurt with ``area`` (buurt codes), by start date."""
    wanted = frozenset(area)
    hits = [p for p in projects if prints.get(p.id, frozenset()) & wanted]
    return sorted(hits, key=lambda p: (p.start, p.end, p.title))


def timeline(projects: Iterable[Project], found: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per project (title, domain, responsible, contact, start, end, conflict flag)."""
    clashing = set()
    if found is not None and not found.empty:
        overlaps = found[found["kind"] == "overlap"]
        clashing = set(overlaps["a_id"]) | set(overlaps["b_id"])
    rows = [
        {
            "id": p.id,
            "title": p.title,
            "domain": p.domain,
            "responsible": p.responsible,
            "contact": p.contact,
            "start": pd.Timestamp(p.start),
            "end": pd.Timestamp(p.end),
            "conflict": p.id in clashing,
        }
        for p in projects
    ]
    columns = ["id", "title", "domain", "responsible", "contact", "start", "end", "conflict"]
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------------------------------
# Import from CSV / Excel


def read_table(data: bytes, filename: str) -> pd.DataFrame:
    """A CSV (comma, semicolon or tab) or Excel file as a table of cells, within :data:`LIMITS`.

    Size, unpacked size, rows and columns are checked before the table is built; a CSV renamed to
    ``.xlsx`` (or the other way round) is refused with a message that says so (see
    :mod:`enschede_gis.tables`).
    """
    name = filename.lower()
    if not name.endswith((".xlsx", ".xlsm", ".csv", ".txt")):
        raise InputError(
            f"Bestand '{filename}': kies een CSV- of Excel-bestand (.csv of .xlsx).",
            en=f"File '{filename}': choose a CSV or Excel file (.csv or .xlsx).",
        )
    return tables.read(filename, data, LIMITS)


def _columns(frame: pd.DataFrame) -> dict[str, str]:
    lower = {str(c).strip().lower(): c for c in frame.columns}
    found, missing, missing_en = {}, [], []
    for field, aliases in IMPORT_COLUMNS.items():
        hit = next((lower[a] for a in aliases if a in lower), None)
        if hit is not None:
            found[field] = hit
        elif field != "contact":
            missing.append(f"{aliases[0]} (of {', '.join(aliases[1:])})")
            missing_en.append(f"{aliases[0]} (or {', '.join(aliases[1:])})")
    if missing:
        raise InputError(
            f"Het bestand mist de kolom(men): {'; '.join(missing)}.",
            en=f"The file is missing the column(s): {'; '.join(missing_en)}.",
        )
    return found


def parse_date(value: object) -> date:
    """ISO (2026-03-01) or Dutch (1-3-2026, 01/03/2026) dates, and Excel date cells."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value if value is not None else "").strip()
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise InputError(
        f"'{text}' is geen datum (gebruik bijvoorbeeld 2026-03-01 of 1-3-2026)",
        en=f"'{text}' is not a date (use for example 2026-03-01 or 1-3-2026)",
    )


def parse_area(text: str, custom_names: Iterable[str] = ()) -> ProjectArea:
    """Buurt/wijk codes (separated by ; , or spaces) or the name of a custom area."""
    text = str(text or "").strip()
    names = {n.lower(): n for n in custom_names}
    plain = text.removeprefix(CUSTOM_PREFIX)
    if plain.lower() in names:
        return ProjectArea(custom=names[plain.lower()])
    return ProjectArea(codes=tuple(re.split(r"[;,\s]+", text)))


def _cell(row: pd.Series, column: str | None) -> object:
    if column is None:
        return ""
    value = row[column]
    return "" if value is None or (isinstance(value, float) and value != value) else value


def parse_rows(
    frame: pd.DataFrame,
    *,
    buurten: gpd.GeoDataFrame,
    custom: Mapping[str, Sequence[str]] | None = None,
) -> list[Project]:
    """Validate every row; one :class:`InputError` lists every bad row (numbered as in a spreadsheet,
    header = row 1), so nothing is imported half."""
    columns = _columns(frame)
    projects, problems, problems_en = [], [], []
    for number, (_, row) in enumerate(frame.iterrows(), start=2):
        try:
            area = parse_area(str(_cell(row, columns["area"])), (custom or {}).keys())
            project = Project(
                title=str(_cell(row, columns["title"])),
                domain=str(_cell(row, columns["domain"])).strip().lower(),
                responsible=str(_cell(row, columns["responsible"])),
                contact=str(_cell(row, columns.get("contact"))),
                area=area,
                start=parse_date(_cell(row, columns["start"])),
                end=parse_date(_cell(row, columns["end"])),
            )
            footprint(project.area, buurten, custom)
        except ValidationError as exc:
            problems.append(f"rij {number}: {describe(exc, _FIELD_NAMES)}")
            problems_en.append(f"row {number}: {describe(exc, _FIELD_NAMES, lang='en')}")
        except (ValueError, InputError) as exc:
            problems.append(f"rij {number}: {exc}")
            problems_en.append(f"row {number}: {exc.message('en') if isinstance(exc, WijkbeeldError) else exc}")
        else:
            projects.append(project)
    if problems:
        shown = problems[:20] + ([f"... en nog {len(problems) - 20} rijen"] if len(problems) > 20 else [])
        shown_en = problems_en[:20] + ([f"... and {len(problems) - 20} more rows"] if len(problems) > 20 else [])
        raise InputError(
            "Niets geïmporteerd; verbeter deze rijen:\n" + "\n".join(shown),
            en="Nothing imported; correct these rows:\n" + "\n".join(shown_en),
        )
    if not projects:
        raise InputError("Het bestand bevat geen projecten.", en="The file contains no projects.")
    return projects


def natural_key(project: Project) -> tuple:
    """What makes two projects the same project whatever their ids: title (case and spacing aside),
    period and area."""
    area = project.area
    where = (tuple(sorted(area.codes)), (area.custom or "").casefold(), json.dumps(area.polygon, sort_keys=True))
    return (" ".join(project.title.casefold().split()), project.start, project.end, where)


def only_new(found: Iterable[Project], existing: Iterable[Project]) -> tuple[list[Project], int]:
    """The imported projects not yet in the register (nor earlier in the same file), and how many
    were skipped: importing the same file twice does not double every project."""
    seen = {natural_key(p) for p in existing}
    new, skipped = [], 0
    for project in found:
        key = natural_key(project)
        if key in seen:
            skipped += 1
            continue
        seen.add(key)
        new.append(project)
    return new, skipped


# --------------------------------------------------------------------------------------------------
# Storage


def save(
    eng: Engine, projects: Project | Iterable[Project], *, actor: roles.Actor, expected: int | None = None
) -> None:
    """Store projects in one transaction (an import lands whole or not at all).

    New projects need ``expected=None``; an edited one (a single project) the version the page
    loaded: a project someone else saved since is refused (:class:`ConflictError`).
    """
    items = [projects] if isinstance(projects, Project) else list(projects)
    if expected is not None and len(items) != 1:
        raise TypeError("expected= belongs to one edited project")
    with db.writing(eng) as conn:
        for p in items:
            store.put(
                conn,
                KIND,
                p.id,
                p.model_dump_json(),
                actor=actor,
                expected=expected,
                label=p.title,
                columns={
                    "title": p.title,
                    "start": p.start.isoformat(),
                    "end": p.end.isoformat(),
                },
            )


def load_all(eng: Engine) -> list[Project]:
    return store.models(eng, KIND, Project, _FIELD_NAMES)


def stamps(eng: Engine) -> dict[str, store.Stamp]:
    """Each project's version and who changed it last, when (for the register and for editing)."""
    return store.stamps(eng, KIND)


def remove(eng: Engine, project_id: str, *, actor: roles.Actor, expected: int | None = None) -> None:
    store.remove(eng, KIND, project_id, actor=actor, expected=expected)
