"""The area team's own data: CSV or Excel files keyed by buurtcode or wijkcode.

The flow is read -> inspect -> validate -> save:

1. :func:`read_table` turns the uploaded bytes into a table of text cells (CSV with ``;``, ``,`` or tab
   as separator, or the first sheet of an ``.xlsx`` file);
2. :func:`inspect` finds the code column (buurtcodes or wijkcodes) and the value columns;
3. :func:`validate` checks every cell against what the user said each column is and returns a
   :class:`Dataset`, or raises :class:`UploadError` listing every problem by row and column;
4. :func:`save_dataset` stores it in the database in one transaction.

Nothing is half-imported: a file with one bad cell is refused whole. Local figures are kept apart
from CBS data: their indicators are marked ``local=True``, live in the theme "Eigen gegevens", and
their rows carry the source ``Lokaal: <bron>``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from enschede_gis import db, i18n, numbers, roles, store, tables
from enschede_gis import statistics as stats
from enschede_gis.errors import InputError
from enschede_gis.indicators import Indicator
from enschede_gis.snapshot import Snapshot
from enschede_gis.text import Line, clean_line

KIND = store.KINDS["uploads"]
KEY_PREFIX = "lokaal_"
LocalKind = Literal["count", "percentage", "average"]
Direction = Literal["neutral", "higher_worse", "higher_better"]

#: How each kind of local figure combines over buurten: counts add up; a percentage or average from
#: a survey has no published weight, so it is never averaged (a wijk or custom area shows it missing).
AGGREGATION = {"count": "sum", "percentage": "none", "average": "none"}
UNITS = {"percentage": "%"}

#: Header names recognised as the code column (compared in lower case without spaces or dashes).
CODE_HEADERS = ("buurtcode", "wijkcode", "code", "gwbcode", "regiocode", "gebiedscode", "codering")
_CODE = re.compile(r"^(BU\d{8}|WK\d{6})$")
#: Limits checked before parsing: an area team's table is a few hundred rows.
LIMITS = tables.Limits()
MAX_BYTES = LIMITS.max_bytes
#: The largest count accepted: more than anything a buurt or wijk counts (Enschede has ~160,000
#: inhabitants); a larger figure is a broken file or a wrong column, not a count.
MAX_COUNT = 10_000_000
#: Problems listed in the error message itself (all of them are in ``UploadError.problems``).
MAX_LISTED = 10
#: Longest indicator name and source (characters, after cleaning): a label, not a paragraph.
MAX_NAME = 80
MAX_SOURCE = 120


# -- errors -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One problem in an uploaded file: the spreadsheet row (1 = header), the column, and what is wrong."""

    row: int | None
    column: str | None
    code: str
    values: dict = field(default_factory=dict)

    def message(self, lang: str = "nl") -> str:
        text = i18n.t(f"eigen.problem.{self.code}", lang, **self.values)
        where = []
        if self.row is not None:
            where.append(i18n.t("eigen.where_row", lang, row=self.row))
        if self.column is not None:
            where.append(i18n.t("eigen.where_column", lang, column=self.column))
        return f"{', '.join(where)}: {text}" if where else text


class UploadError(InputError):
    """An uploaded file was refused; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem], lang: str = "nl") -> None:
        self.problems = list(problems)
        super().__init__(self._summary(lang), en=self._summary("en"))

    def _summary(self, lang: str) -> str:
        listed = "; ".join(p.message(lang) for p in self.problems[:MAX_LISTED])
        more = len(self.problems) - MAX_LISTED
        suffix = i18n.t("eigen.more_problems", lang, count=more) if more > 0 else ""
        head = i18n.t("eigen.refused", lang, count=len(self.problems))
        return f"{head} {listed}{suffix}"

    def messages(self, lang: str = "nl") -> list[str]:
        return [p.message(lang) for p in self.problems]


def _fail(code: str, *, row: int | None = None, column: str | None = None, **values: object) -> UploadError:
    return UploadError([Problem(row, column, code, dict(values))])


# -- reading ------------------------------------------------------------------------------------------


def read_table(name: str, data: bytes) -> pd.DataFrame:
    """The uploaded file as a table of cells, header from the first row (see :mod:`enschede_gis.tables`).

    Every limit (size, unpacked size, rows, columns) is checked before the table is built; a file
    that cannot be read raises :class:`UploadError` with one problem.
    """
    try:
        return tables.read(name, data, LIMITS)
    except tables.TableError as exc:
        values = dict(exc.values)
        column = values.pop("column", None)
        raise UploadError([Problem(exc.row, column, exc.code, values)]) from None


# -- inspecting --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """What :func:`inspect` found: the code column, the level of its codes, and the value columns."""

    code_column: str
    level: Literal["buurt", "wijk"]
    value_columns: tuple[str, ...]


def inspect(frame: pd.DataFrame) -> Layout:
    """Find the code column (by header, else by content) and the columns that can hold figures."""
    column = _code_column(frame)
    codes = [str(c).strip().upper() for c in frame[column] if c is not None]
    level = "wijk" if codes and sum(c.startswith("WK") for c in codes) > len(codes) / 2 else "buurt"
    values = tuple(c for c in frame.columns if c != column and frame[c].notna().any())
    if not values:
        raise _fail("no_values")
    return Layout(code_column=column, level=level, value_columns=values)


def _code_column(frame: pd.DataFrame) -> str:
    for column in frame.columns:
        if re.sub(r"[\s_\-]", "", column.lower()) in CODE_HEADERS:
            return column
    for column in frame.columns:
        cells = [str(c).strip().upper() for c in frame[column] if c is not None]
        if cells and sum(bool(_CODE.match(c)) for c in cells) >= 0.8 * len(cells):
            return column
    raise _fail("no_code_column")


# -- what the user says each column is --------------------------------------------------------------


class ColumnSpec(BaseModel):
    """The user's description of one value column: the new indicator's name, unit and kind."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    column: str
    name: Line = Field(min_length=1, max_length=MAX_NAME)
    unit: Line = Field(default="", max_length=30)
    kind: LocalKind = "count"
    direction: Direction = "neutral"


class LocalIndicator(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    name: Line = Field(min_length=1, max_length=MAX_NAME)
    unit: Line = Field(default="", max_length=30)
    kind: LocalKind
    direction: Direction = "neutral"


class Dataset(BaseModel):
    """One uploaded file, validated: who made it, for which year, and its values per code."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    source: Line = Field(min_length=1, max_length=MAX_SOURCE)
    year: int
    level: Literal["buurt", "wijk"]
    file_name: str
    uploaded: str
    indicators: tuple[LocalIndicator, ...]
    values: dict[str, dict[str, float | None]]  # indicator key -> code -> value (None = missing)


# -- validating --------------------------------------------------------------------------------------


def parse_number(text: object, convention: numbers.Convention | None = None) -> float | None:
    """A cell as a number read with ``convention`` (see :mod:`enschede_gis.numbers`); empty is None.

    ``"12,5"`` -> 12.5, ``"1.234,5"`` -> 1234.5, ``"12.5"`` -> 12.5, ``"3 %"`` -> 3.0; ``"1.234"``
    only with a convention. Anything else raises :class:`numbers.NumberError` (a ``ValueError``).
    """
    return numbers.parse(text, convention)


def number_formats(frame: pd.DataFrame, columns: Iterable[str]) -> dict[str, numbers.Convention | None]:
    """How each column writes its numbers: its own cells decide, else the file's other columns do.

    None means nothing in the column needs a convention (whole numbers without marks) or nothing
    settles it (then its ambiguous cells are refused by :func:`validate`).
    """
    columns = [c for c in columns if c in frame.columns]
    own = {c: numbers.evidence(frame[c]) for c in columns}
    whole_file = sum(own.values(), numbers.Evidence())
    return {c: own[c].settled or (None if own[c].mixed else whole_file.settled) for c in columns}


def has_ambiguous(frame: pd.DataFrame, column: str) -> bool:
    """True when some text cell of ``column`` reads differently in the two conventions ("1.234")."""
    return any(isinstance(c, str) and numbers.is_ambiguous(c) for c in frame[column])


def validate(
    frame: pd.DataFrame,
    layout: Layout,
    specs: Sequence[ColumnSpec],
    *,
    known_codes: Iterable[str],
    source: str,
    year: int,
    file_name: str,
    existing: Sequence[Dataset] = (),
) -> Dataset:
    """Check every row and cell; return the dataset or raise :class:`UploadError` with all problems."""
    source = clean_line(source)
    problems = _check_meta(specs, layout, source=source, existing=existing)
    if problems:
        raise UploadError(problems)
    codes, code_problems = _check_codes(frame, layout, set(known_codes))
    problems += code_problems
    formats = number_formats(frame, [spec.column for spec in specs])
    values: dict[str, dict[str, float | None]] = {}
    indicators = []
    for spec in specs:
        key = KEY_PREFIX + _slug(spec.name)
        column_values, column_problems = _check_column(frame, spec, codes, formats.get(spec.column))
        problems += column_problems
        values[key] = column_values
        indicators.append(
            LocalIndicator(key=key, name=spec.name, unit=_unit(spec), kind=spec.kind, direction=spec.direction)
        )
    if problems:
        raise UploadError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))
    return Dataset(
        id=_slug(f"{source}-{file_name}-{date.today().isoformat()}-{len(existing)}"),
        source=source,
        year=int(year),
        level=layout.level,
        file_name=file_name,
        uploaded=date.today().isoformat(),
        indicators=tuple(indicators),
        values=values,
    )


def _unit(spec: ColumnSpec) -> str:
    return spec.unit or UNITS.get(spec.kind, "")


def column_spec(**fields: object) -> ColumnSpec:
    """What the user said about one column, validated; a bad name raises :class:`UploadError`."""
    try:
        return ColumnSpec(**fields)
    except ValidationError:
        raise _fail("bad_name", column=str(fields.get("column", "")), limit=MAX_NAME) from None


def _check_meta(
    specs: Sequence[ColumnSpec], layout: Layout, *, source: str, existing: Sequence[Dataset]
) -> list[Problem]:
    problems = []
    if not source:
        problems.append(Problem(None, None, "no_source"))
    elif len(source) > MAX_SOURCE:
        problems.append(Problem(None, None, "source_too_long", {"length": len(source), "limit": MAX_SOURCE}))
    if not specs:
        problems.append(Problem(None, None, "no_columns_chosen"))
    taken = {ind.key for ds in existing for ind in ds.indicators}
    seen: set[str] = set()
    for spec in specs:
        if spec.column not in layout.value_columns:
            problems.append(Problem(None, spec.column, "unknown_column"))
        key = KEY_PREFIX + _slug(spec.name)
        if key in taken or key in seen:
            problems.append(Problem(None, spec.column, "name_taken", {"name": spec.name}))
        seen.add(key)
    return problems


def _check_codes(frame: pd.DataFrame, layout: Layout, known: set[str]) -> tuple[list[str | None], list[Problem]]:
    """Each row's code (None where the row is refused) and the problems with the code column."""
    problems, codes, first_row = [], [], {}
    prefix = "BU" if layout.level == "buurt" else "WK"
    for index, cell in enumerate(frame[layout.code_column]):
        row = index + 2  # spreadsheet row: 1 is the header
        code = str(cell).strip().upper() if cell is not None else ""
        problem = None
        if not code:
            problem = Problem(row, layout.code_column, "missing_code")
        elif code not in known:
            problem = Problem(row, layout.code_column, "unknown_code", {"code": str(cell).strip()})
        elif not code.startswith(prefix):
            problem = Problem(row, layout.code_column, "mixed_level", {"code": code})
        elif code in first_row:
            problem = Problem(row, layout.code_column, "duplicate_code", {"code": code, "first": first_row[code]})
        if problem:
            problems.append(problem)
            codes.append(None)
        else:
            first_row[code] = row
            codes.append(code)
    return codes, problems


def _check_column(
    frame: pd.DataFrame, spec: ColumnSpec, codes: list[str | None], convention: numbers.Convention | None
) -> tuple[dict, list[Problem]]:
    problems, values = [], {}
    for index, (cell, code) in enumerate(zip(frame[spec.column], codes, strict=True)):
        row = index + 2
        try:
            number = parse_number(cell, convention)
        except numbers.NumberError as exc:
            problems.append(Problem(row, spec.column, exc.reason, {"value": str(cell).strip()[:40]}))
            continue
        problem = None if number is None else _kind_problem(number, spec.kind)
        if problem:
            problems.append(Problem(row, spec.column, problem, {"value": _show(number, convention)}))
        elif code is not None:
            values[code] = number
    return values, problems


def _kind_problem(number: float, kind: str) -> str | None:
    """The problem code when ``number`` cannot be a figure of this kind, else None."""
    if kind == "percentage" and not 0 <= number <= 100:
        return "percentage_range"
    if kind == "count" and number < 0:
        return "negative_count"
    if kind == "count" and not number.is_integer():
        return "fractional_count"
    if kind == "count" and number > MAX_COUNT:
        return "count_too_large"
    return None


def _show(number: float, convention: numbers.Convention | None = None) -> str:
    return numbers.show(number, convention or "comma")


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
    return slug[:60] or "indicator"


# -- storing -----------------------------------------------------------------------------------------


def load_datasets(eng: Engine | None = None) -> list[Dataset]:
    """Every stored upload, oldest first."""
    return store.models(eng or db.engine(), KIND, Dataset)


def save_dataset(eng: Engine, dataset: Dataset, *, actor: roles.Actor) -> Dataset:
    """Add a validated dataset in one transaction (all of it or nothing); returns it as stored.

    Its indicator names are checked inside the same transaction with one indexed look-up of the keys
    (the table of keys is unique), so two people uploading at once cannot both take the same name
    and a save costs the same however many uploads are stored.
    """
    roles.require(actor, roles.Action.EDIT_UPLOADS)
    with db.writing(eng) as conn:
        return write_dataset(conn, dataset, actor=actor)


def write_dataset(conn: Connection, dataset: Dataset, *, actor: roles.Actor) -> Dataset:
    """Store a dataset and its indicator keys in the caller's write transaction (see :func:`save_dataset`)."""
    wanted = {ind.key: ind.name for ind in dataset.indicators}
    keys = db.UPLOAD_INDICATORS
    dataset = dataset.model_copy(update={"id": _free_id(conn, dataset.id)})
    try:
        with conn.begin_nested():  # a taken key (stored before, or by another server a moment ago)
            if wanted:
                conn.execute(insert(keys), [{"key": key, "upload_id": dataset.id} for key in wanted])
    except IntegrityError:
        taken = set(conn.execute(select(keys.c.key).where(keys.c.key.in_(list(wanted)))).scalars())
        raise _name_taken(next((name for key, name in wanted.items() if key in taken), dataset.id)) from None
    store.put(conn, KIND, dataset.id, dataset.model_dump_json(), actor=actor, expected=None, label=dataset.file_name)
    return dataset


def _name_taken(name: str) -> UploadError:
    return UploadError([Problem(None, None, "name_taken", {"name": name})])


def _free_id(conn: Connection, wanted: str) -> str:
    """``wanted``, or ``wanted_2``, ``wanted_3``, ... when an upload already has that id (one indexed
    look-up; the numbered ones are read only when the same file comes again)."""
    if not store.exists(conn, KIND, wanted):
        return wanted
    column = KIND.key_column
    like = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "\\_%"
    ids = set(conn.execute(select(column).where(column.like(like, escape="\\"))).scalars())
    number = 2
    while f"{wanted}_{number}" in ids:
        number += 1
    return f"{wanted}_{number}"


def delete_dataset(eng: Engine, dataset_id: str, *, actor: roles.Actor) -> None:
    with db.writing(eng) as conn:
        store.drop(conn, KIND, dataset_id, actor=actor)
        conn.execute(delete(db.UPLOAD_INDICATORS).where(db.UPLOAD_INDICATORS.c.upload_id == dataset_id))


def version(eng: Engine | None = None) -> str:
    """A token that changes whenever the stored uploads change (for cache keys)."""
    return store.version_token(eng or db.engine(), KIND)


# -- integrating with the catalogue and the statistics ----------------------------------------------


def local_indicators(datasets: Iterable[Dataset]) -> list[Indicator]:
    """Catalogue entries for the uploaded figures: theme "lokaal", ``local=True``, marked as own data."""
    found = []
    for ds in datasets:
        for ind in ds.indicators:
            found.append(
                Indicator(
                    key=ind.key,
                    theme="lokaal",
                    label_nl=f"{ind.name} (eigen gegevens)",
                    label_en=f"{ind.name} (own data)",
                    unit_nl=ind.unit,
                    unit_en=ind.unit,
                    kind=ind.kind,
                    aggregation=AGGREGATION[ind.kind],
                    direction=ind.direction,
                    decimals=0 if ind.kind == "count" else 1,
                    explanation_nl=f"Eigen gegevens — {ds.source} ({ds.file_name}, {ds.year}); geen CBS-cijfer.",
                    explanation_en=f"Own data — {ds.source} ({ds.file_name}, {ds.year}); not a CBS figure.",
                    caveat_nl="" if ind.kind == "count" else "Niet opgeteld of gemiddeld over buurten.",
                    caveat_en="" if ind.kind == "count" else "Not summed or averaged over buurten.",
                    local=True,
                    source_note=ds.source,
                )
            )
    return found


def local_statistics(datasets: Iterable[Dataset]) -> pd.DataFrame:
    """The uploaded values as long statistics rows with the source ``Lokaal: <bron>``."""
    rows = []
    for ds in datasets:
        for key, by_code in ds.values.items():
            for code, value in by_code.items():
                rows.append(
                    {
                        "code": code,
                        "level": ds.level,
                        "year": ds.year,
                        "indicator": key,
                        "value": np.nan if value is None else float(value),
                        "source": f"Lokaal: {ds.source}",
                    }
                )
    if not rows:
        return stats.empty()
    frame = pd.DataFrame(rows, columns=stats.COLUMNS)
    return frame.astype({"code": "string", "level": "string", "indicator": "string", "source": "string"})


def with_local(snap: Snapshot, datasets: Sequence[Dataset]) -> Snapshot:
    """A snapshot whose statistics include the uploaded figures (the original is left untouched)."""
    extra = local_statistics(datasets)
    if extra.empty:
        return snap
    merged = pd.concat([snap.statistics, extra.astype(snap.statistics.dtypes.to_dict())], ignore_index=True)
    return Snapshot(boundaries=snap.boundaries, statistics=merged, regions=snap.regions, manifest=snap.manifest)
