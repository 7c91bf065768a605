"""UI strings in Dutch and English, kept as data in ``locale/*.toml``.

Each file holds one part of the UI (``app.toml``, ``kaart.toml``, ...), with entries like::

    [kaart.title]
    nl = "Kaart"
    en = "Map"

Keys are the dotted table names. All files are merged; a key defined twice is an error.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from enschede_gis.errors import DataError

LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"


def _flatten(table: dict, prefix: str = "") -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for name, value in table.items():
        key = f"{prefix}.{name}" if prefix else name
        if not isinstance(value, dict):
            continue
        if set(value) & set(LANGUAGES):
            out[key] = {k: v for k, v in value.items() if k in LANGUAGES}
        # A key may have keys below it too ("eigen.kind" and "eigen.kind.count"): both are kept.
        children = {k: v for k, v in value.items() if isinstance(v, dict)}
        if children:
            out.update(_flatten(children, key))
    return out


@lru_cache(maxsize=1)
def strings(folder: Path = LOCALE_DIR) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.toml")):
        try:
            entries = _flatten(tomllib.loads(path.read_text(encoding="utf-8")))
        except tomllib.TOMLDecodeError as exc:
            raise DataError(
                f"Vertaalbestand {path.name} is ongeldig: {exc}", en=f"Translation file {path.name} is invalid: {exc}"
            ) from None
        twice = set(entries) & set(merged)
        if twice:
            raise DataError(
                f"Vertaalsleutels dubbel gedefinieerd in {path.name}: {sorted(twice)}",
                en=f"Translation keys defined twice in {path.name}: {sorted(twice)}",
            )
        merged.update(entries)
    return merged


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The UI text for ``key`` in ``lang``, with ``{name}`` placeholders filled from ``values``.

    An unknown key returns the key itself, so a missing translation is visible, not a crash.
    """
    entry = strings().get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get(DEFAULT_LANGUAGE) or key
    return text.format(**values) if values else text
