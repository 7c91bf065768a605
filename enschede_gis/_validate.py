"""Turning validation failures into one clear message (Dutch, or English) that names the field."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

import numpy as np
from pydantic import BaseModel, ValidationError

from enschede_gis.errors import InputError

#: pydantic's error types in plain Dutch; anything else keeps pydantic's own text.
_PYDANTIC_NL = {
    "missing": "ontbreekt",
    "extra_forbidden": "is geen bekend veld (verwijder het)",
    "literal_error": "moet een van deze waarden zijn: {expected}",
    "union_tag_invalid": "onbekend type '{tag}' (kies uit: {expected_tags})",
    "union_tag_not_found": "het veld 'type' ontbreekt",
    "greater_than": "moet groter zijn dan {gt}",
    "greater_than_equal": "moet minstens {ge} zijn",
    "less_than": "moet kleiner zijn dan {lt}",
    "less_than_equal": "mag hoogstens {le} zijn",
    "float_parsing": "moet een getal zijn",
    "float_type": "moet een getal zijn",
    "int_parsing": "moet een geheel getal zijn",
    "int_type": "moet een geheel getal zijn",
    "int_from_float": "moet een geheel getal zijn",
    "string_type": "moet tekst zijn",
    "string_too_short": "is te kort (minstens {min_length} teken(s))",
    "string_too_long": "is te lang (hoogstens {max_length} tekens)",
    "too_short": "heeft te weinig elementen (minstens {min_length})",
    "too_long": "heeft te veel elementen (hoogstens {max_length})",
    "dict_type": "moet een object zijn",
    "model_type": "moet een object zijn",
    "list_type": "moet een lijst zijn",
    "tuple_type": "moet een lijst zijn",
    "bool_parsing": "moet waar of onwaar zijn",
    "bool_type": "moet waar of onwaar zijn",
}


Model = TypeVar("Model", bound=BaseModel)


def validated(
    model: type[Model],
    data: object,
    names: Mapping[str, str] | None = None,
    *,
    nl: str,
    en: str,
    skip: Iterable[str] = (),
) -> Model:
    """``model.model_validate(data)``; a failure becomes one :class:`InputError` that starts with
    ``nl`` / ``en`` ("Ongeldig project" / "Invalid project") and names every wrong field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError(
            f"{nl}: {describe(exc, names, skip=skip)}", en=f"{en}: {describe(exc, names, skip=skip, lang='en')}"
        ) from None


def describe(
    exc: ValidationError, names: Mapping[str, str] | None = None, *, skip: Iterable[str] = (), lang: str = "nl"
) -> str:
    """One sentence per problem, ``field: problem``, with the field path renamed for the reader.

    ``names`` renames a whole dotted path (``{"frame.level": "participatieniveau"}``) or its parts
    (``{"weights": "gewichten"}``); list positions count from 1;
    path parts in ``skip`` (e.g. the tags of a tagged union) are left out.
    In English (``lang="en"``) the fields keep their own names and the problems pydantic's words;
    an :class:`InputError` raised by a validator gives its own English text.
    """
    skipped = set(skip)
    english = lang == "en"
    parts = []
    for error in exc.errors():
        loc = _location(error["loc"], {} if english else names or {}, skipped, english=english)
        message = _english(error) if english else _dutch(error)
        parts.append(f"{loc}: {message}" if loc else message)
    return "; ".join(parts)


def _dutch(error: Mapping) -> str:
    template = _PYDANTIC_NL.get(error["type"])
    if template is None:
        return str(error["msg"]).removeprefix("Value error, ")
    context = {k: _plain(v) for k, v in (error.get("ctx") or {}).items()}
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return str(error["msg"])


def _english(error: Mapping) -> str:
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, InputError):
        return cause.message("en")
    return str(error["msg"]).removeprefix("Value error, ")


def non_empty(value: str) -> str:
    """A name stripped of surrounding blanks; a blank name is refused (use as a field validator)."""
    value = value.strip()
    if not value:
        raise InputError("naam is leeg", en="name is empty")
    return value


def _plain(value: object) -> str:
    return str(value).replace("'", "").replace(" or ", " of ")


def _location(loc: Sequence[object], names: Mapping[str, str], skip: set[str], *, english: bool = False) -> str:
    dotted = ".".join(str(part) for part in loc)
    if dotted in names:  # a name for the whole path wins over names for its parts
        return names[dotted]
    words: list[str] = []
    for part in loc:
        if isinstance(part, int):
            words.append(f"{'no.' if english else 'nr.'} {part + 1}")
        elif str(part) in names:
            words.append(names[str(part)])
        elif str(part) not in skip:
            words.append(str(part))
    return " › ".join(words)


#: A JSON file a user hands in (a scenario) is at most this large and this deeply nested: a
#: scenario is three levels deep; a thousand-deep file is an attack on the parser, not a scenario.
MAX_JSON_BYTES = 1_000_000
MAX_JSON_DEPTH = 32
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def json_depth(text: str) -> int:
    """How deeply the arrays and objects of a JSON text nest (strings' contents not counted)."""
    bare = np.frombuffer(_JSON_STRING.sub("", text).encode("utf-8"), dtype=np.uint8)
    steps = np.isin(bare, (ord("["), ord("{"))).astype(np.int64) - np.isin(bare, (ord("]"), ord("}")))
    return int(np.cumsum(steps).max(initial=0))


def load_json(data: str | bytes, *, source: str = "het bestand", source_en: str = "The file") -> object:
    """Parse a JSON document a user handed in, after checking its size and nesting (so the parser
    never recurses without end); every failure is one :class:`InputError` that names the file."""
    if len(data) > MAX_JSON_BYTES:
        raise InputError(
            f"{source} is groter dan {MAX_JSON_BYTES // 1_000_000} MB.",
            en=f"{source_en} is larger than {MAX_JSON_BYTES // 1_000_000} MB.",
        )
    try:
        text = data.decode(json.detect_encoding(data)) if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        raise InputError(
            f"{source} is geen tekstbestand (verwacht: JSON in UTF-8).",
            en=f"{source_en} is not a text file (expected: JSON in UTF-8).",
        ) from None
    if json_depth(text) > MAX_JSON_DEPTH:
        raise InputError(
            f"{source} is dieper genest dan {MAX_JSON_DEPTH} niveaus; dit is geen bestand van deze app.",
            en=f"{source_en} is nested deeper than {MAX_JSON_DEPTH} levels; this is not a file from this app.",
        )
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{source} is geen geldige JSON (regel {exc.lineno}, kolom {exc.colno}: {exc.msg}).",
            en=f"{source_en} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}).",
        ) from None
