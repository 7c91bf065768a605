"""The package's own error types. Pages catch these (and only these) and show them in the UI."""

from __future__ import annotations


class WijkbeeldError(Exception):
    """Base class: a problem the user can act on, with a message fit to show as it is."""


class InputError(WijkbeeldError, ValueError):
    """Something a user or caller passed in is not valid (unknown code, year, indicator, bad file)."""


class DataError(WijkbeeldError):
    """The embedded snapshot or another stored file is missing or damaged."""


class SourceError(WijkbeeldError):
    """A live source (CBS, PDOK) timed out, answered an error, or returned an unexpected shape."""
