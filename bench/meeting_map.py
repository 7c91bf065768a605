"""The projector's "De situatie" step in a real browser: before (the folium map re-sent on every rerun)
and now (the map component: geometry once, then a view of about 1 KB), in the same run.

Run: .venv/bin/python bench/meeting_map.py [--runs 4] [--before <commit>]

"Before" is the last commit whose meeting page drew the situation map with folium (default
12ab1df), unpacked with ``git archive`` and started as a server of its own on the same data and a
state folder with the same meeting; "now" is this checkout. Each run opens a fresh browser context
(Debian's /usr/bin/chromium, 1920x1080, the network blocked in chromium itself), presents the meeting at
step 1, clicks "Volgende" and measures until the chosen area's outline (5 px) is drawn, and the bytes
the server sent over the websocket for that click. Reported: first run (cold browser cache) and
min / median of the others, per server, and the ratios before / now.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.browser import CHROMIUM, OFFLINE_ARGS, VIEWPORT, start, stop, unpack  # noqa: E402

FRAME = "iframe[title='app_state.wijkbeeld_map'], iframe[title*='streamlit_folium']"
OUTLINE = "path[stroke-width='5']"  # the meeting's area, in both versions


def _meeting(state: Path) -> str:
    """A started meeting about Twekkelerveld in ``state``'s database (made in a child process, so this
    process keeps no database of its own open)."""
    code = (
        "from datetime import date\n"
        "from enschede_gis import db, meetings, roles\n"
        "m = meetings.make_meeting(title='Buurtavond', area_code='BU01530301', held_on=date(2026, 12, 2),"
        " started=True, frame={'fixed': 'Het plein.', 'open': 'De bankjes.', 'purposes': ['kennis']})\n"
        "meetings.save(db.engine(), m, actor=roles.Actor(roles.Role.TEAM))\n"
        "print(m.id)\n"
    )
    env = {**os.environ, "WIJKBEELD_STATE_DIR": str(state)}
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True, capture_output=True, text=True)
    return done.stdout.split()[-1]


def one(browser, url: str, meeting_id: str) -> tuple[float, int]:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(120_000)
    received: list[int] = []
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived", lambda p: received.append(len(p if isinstance(p, bytes) else p.encode("utf-8")))
        ),
    )
    try:
        page.goto(f"{url}/bijeenkomst?bijeenkomst={meeting_id}")
        page.get_by_role("button", name="Verder presenteren").click()
        page.get_by_role("heading", name="Het kader").wait_for()
        page.wait_for_timeout(1500)
        received.clear()
        start_t = time.perf_counter()
        page.get_by_role("button", name="Volgende ▶").click()
        page.frame_locator(FRAME).locator(OUTLINE).first.wait_for()
        took = time.perf_counter() - start_t
        page.wait_for_timeout(1000)  # the rest of the rerun's messages
        sent = sum(received)
        page.get_by_role("button", name="◀ Vorige").click()  # back to step 1 for the next run
        page.get_by_role("heading", name="Het kader").wait_for()
    finally:
        context.close()
    return took, sent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument("--before", default="12ab1df")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        old = unpack(args.before, tmp_path / "before")
        servers = {}
        for name, folder in (("before", old), ("now", REPO)):
            state = tmp_path / f"state-{name}"
            meeting_id = _meeting(state)
            url, process = start(folder, state)
            servers[name] = (url, process, meeting_id)
        results: dict[str, list[tuple[float, int]]] = {name: [] for name in servers}
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=OFFLINE_ARGS)
                for _ in range(args.runs):
                    for name, (url, _process, meeting_id) in servers.items():  # interleaved: a busy moment hits both
                        results[name].append(one(browser, url, meeting_id))
                browser.close()
        finally:
            for _url, process, _id in servers.values():
                stop(process)
    print(f"'Volgende' from 'Het kader' to 'De situatie' until the area is drawn; {args.runs} runs per server\n")
    summary = {}
    for name, runs in results.items():
        times, sizes = [t for t, _ in runs], [b for _, b in runs]
        rest = times[1:] or times
        summary[name] = (statistics.median(rest), statistics.median(sizes))
        print(
            f"{name:7} first {times[0]:.2f} s, then min/median {min(rest):.2f} / {statistics.median(rest):.2f} s;"
            f" websocket bytes for the click: min/median {min(sizes):,} / {statistics.median(sizes):,.0f}"
        )
    (t_old, b_old), (t_new, b_new) = summary["before"], summary["now"]
    print(f"\nratio before / now: time {t_old / t_new:.1f}x, bytes {b_old / b_new:.1f}x (medians)")


if __name__ == "__main__":
    main()
