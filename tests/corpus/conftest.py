"""The per-door report of the bad-input corpus in the test output (the runner is tests/corpus/runner.py)."""

from __future__ import annotations

from tests.corpus.runner import RESULTS


def pytest_terminal_summary(terminalreporter) -> None:
    if not RESULTS:
        return
    write = terminalreporter.write_line
    terminalreporter.section("bad-input corpus per door")
    write(f"{'door':<22}{'cases':>6}{'taken':>7}{'refused':>9}{'crash':>7}{'silent':>8}{'partial':>9}")
    for door in sorted(RESULTS):
        c = RESULTS[door]
        write(
            f"{door:<22}{c['cases']:>6}{c['taken']:>7}{c['refused']:>9}{c['crash']:>7}"
            f"{c['silent_wrong']:>8}{c['partial_write']:>9}"
        )
