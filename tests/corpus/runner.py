"""The bad-input corpus: one runner for every door; conftest.py prints the per-door report.

Each case is fed through the door as a user would (the package's public functions, from bytes or
form fields to stored state). The runner sorts the outcome into:

- **taken exactly**: accepted, and the stored values are exactly the expected ones;
- **refused clearly**: a package error (Dutch and English text) naming what the case expects
  (row, field, reason), and the stored state unchanged;
- **crash**: any other exception (a traceback a user would see);
- **silent wrong**: accepted when it should be refused, or stored with other values than expected;
- **partial write**: refused, but the stored state changed anyway.

The report (``pytest_terminal_summary``) prints the counts per door; the tests fail on the last three.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pytest

from enschede_gis.errors import WijkbeeldError

OUTCOMES = ("taken", "refused", "crash", "silent_wrong", "partial_write")
RESULTS: dict[str, Counter] = defaultdict(Counter)


@dataclass(frozen=True)
class Case:
    """One hostile or awkward input; ``expect`` is ``"taken"`` (with ``check`` on the stored state)
    or ``"refused"`` (with ``words`` that the Dutch message must contain)."""

    id: str
    payload: object
    expect: str
    words: Sequence[str] = ()
    check: Callable[[object], bool] | None = None
    setup: object = None
    extra: dict = field(default_factory=dict)


def taken(id: str, payload: object, check: Callable[[object], bool], *, setup: object = None, **extra) -> Case:
    return Case(id, payload, "taken", check=check, setup=setup, extra=extra)


def refused(id: str, payload: object, *words: str, setup: object = None, **extra) -> Case:
    return Case(id, payload, "refused", words=words, setup=setup, extra=extra)


def run_case(door: str, case: Case, attempt: Callable[[], object], state: Callable[[], object]) -> None:
    """Feed one case through its door, record the outcome, and fail the test unless it is right."""
    before = state()
    try:
        attempt()
    except WijkbeeldError as exc:
        after = state()
        dutch, english = exc.message("nl"), exc.message("en")
        if after != before:
            record(door, "partial_write")
            pytest.fail(f"{case.id}: refused but the stored state changed: {dutch}")
        if case.expect != "refused":
            record(door, "silent_wrong")  # a good input refused is a wrong outcome as well
            pytest.fail(f"{case.id}: expected to be taken, refused with: {dutch}")
        missing = [w for w in case.words if w not in dutch]
        if missing or not english or english == dutch or "Traceback" in dutch:
            record(door, "silent_wrong")
            pytest.fail(f"{case.id}: message unclear (missing {missing}): {dutch} / {english}")
        record(door, "refused")
        return
    except Exception:
        record(door, "crash")
        raise
    after = state()
    if case.expect != "taken":
        record(door, "silent_wrong")
        pytest.fail(f"{case.id}: should have been refused ({case.words}), was taken: {after}")
    if not case.check(after):
        record(door, "silent_wrong")
        pytest.fail(f"{case.id}: taken, but stored differently: {after}")
    record(door, "taken")


def record(door: str, outcome: str) -> None:
    RESULTS[door]["cases"] += 1
    RESULTS[door][outcome] += 1
