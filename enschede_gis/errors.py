"""The package's own error types. Pages catch these (and only these) and show them in the UI.

Every error carries its message in Dutch (``str(exc)``) and in English (``en=``), because the UI
shows it in the reader's language::

    raise InputError(f"Onbekende buurt '{code}'.", en=f"Unknown buurt '{code}'.")
    ...
    st.error(exc.message(lang))

``tests/test_errors.py`` fails when a ``raise`` in the package leaves out the English text.
"""

from __future__ import annotations


class WijkbeeldError(Exception):
    """Base class: a problem the user can act on, with a message fit to show as it is."""

    def __init__(self, message: str, *, en: str | None = None) -> None:
        super().__init__(message)
        self.en = en

    def message(self, lang: str = "nl") -> str:
        """The message in ``lang`` ("nl" or "en"); Dutch when no English text was given."""
        return self.en if lang == "en" and self.en else str(self)


class InputError(WijkbeeldError, ValueError):
    """Something a user or caller passed in is not valid (unknown code, year, indicator, bad file).

    Also raise it from a pydantic validator: pydantic treats it as a ValueError, and
    :func:`enschede_gis._validate.describe` then uses its English text for an English message.
    """


class DataError(WijkbeeldError):
    """The embedded snapshot or another stored file is missing or damaged."""


class SourceError(WijkbeeldError):
    """A live source (CBS, PDOK) timed out, answered an error, or returned an unexpected shape."""


class ConflictError(WijkbeeldError):
    """Someone else saved (or deleted) the same thing since this page loaded it: the save is refused.

    Made by :func:`enschede_gis.store.conflict`, which names who changed it and when.
    """
