"""The scenarios page as a user meets it: today's page against the page before it was made light
(every tab computed on every run, the download file built on every run), in the same run.

Run: .venv/bin/python bench/scenarios_page.py [--runs 5] [--before <commit>]

"Before" is ``--before`` (default: the parent of the commit "Scenarios page: thin ..."), unpacked with
``git archive`` into a temporary folder and run on the same data; "now" is this checkout. Each state
folder holds one saved scenario (500 new dwellings in Twekkelerveld). Each run measures one and
then the other, so a busy moment on the machine hits both. Figures are min / median of ``--runs``.

Measured:
- script: the page script alone (AppTest, warm process, a fresh session) with the saved scenario
  loaded, i.e. with its effects shown: what the server computes for one visit of the page;
- first load: a warm server (one throw-away visit first), Debian's /usr/bin/chromium via Playwright
  at 1920x1080, the network blocked in chromium itself, from ``goto /scenarios`` until the title is shown
  and the script has finished;
- open a scenario: on that page, pick the saved scenario until its effects are shown and the
  script has finished;
- open the difference map: click its tab until the map's buurten are drawn (before: the tab's content
  was already sent and only shown; now: the click reruns the page, which builds only this tab);
- first load of the start page, the plain baseline: what any page costs in the browser
  (Streamlit's own scripts, the frame, the sidebar) before the page itself does anything.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser import CHROMIUM, OFFLINE_ARGS, REPO, VIEWPORT, _idle, start, stop, unpack

NEW, OLD = "now", "before"
NAME = "Twekkelerveld +500"
SEED = f"""
from enschede_gis import db, roles, scenarios as sc
sc.save_scenario(db.engine(), sc.make_scenario(name={NAME!r}, year=2023, measures=[dict(
    type="new_dwellings", area="BU01530301", dwellings=500, household_size=2.0, basis="assumption")]),
    actor=roles.Actor(roles.Role.TEAM, "bench"))
"""
SCRIPT = f"""
import statistics, sys, time
from streamlit.testing.v1 import AppTest
times = []
for _ in range(RUNS + 1):
    at = AppTest.from_file("views/scenarios.py", default_timeout=120)
    at.session_state["_signed_in_role"] = "team"
    at.run()
    at.selectbox(key="scen_pick").set_value({NAME!r})
    start = time.perf_counter()
    at.run()  # the run that shows the picked scenario's effects
    times.append(time.perf_counter() - start)
    assert not at.exception and at.subheader, at.exception
print(" ".join(f"{{t:.4f}}" for t in times[1:]))
"""


def seed(folder: Path, state: Path) -> None:
    env = {"WIJKBEELD_STATE_DIR": str(state), "PATH": "/usr/bin:/bin"}
    subprocess.run([sys.executable, "-c", SEED], cwd=folder, env=env, check=True)


def script_times(folder: Path, state: Path, runs: int) -> list[float]:
    env = {"WIJKBEELD_STATE_DIR": str(state), "WIJKBEELD_DATA_DIR": str(REPO / "data"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT.replace("RUNS", str(runs))],
        cwd=folder, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return [float(x) for x in out.split()]


def _page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(120_000)
    return context, page


def first_load(browser, url: str, slug: str = "scenarios") -> tuple[float, object, object]:
    context, page = _page(browser)
    start_t = time.perf_counter()
    page.goto(f"{url}/{slug}")
    page.locator("h1").first.wait_for()
    _idle(page)
    return time.perf_counter() - start_t, context, page


def open_scenario(page) -> float:
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Scenario").first
    box.locator("input").click()
    option = page.get_by_role("option", name=NAME).first
    option.wait_for()
    start_t = time.perf_counter()
    option.click()
    page.get_by_role("tab").first.wait_for()
    page.wait_for_timeout(50)
    _idle(page)
    return time.perf_counter() - start_t


def open_map_tab(page) -> float:
    start_t = time.perf_counter()
    page.get_by_role("tab", name="Verschilkaart").click()
    frame = page.frame_locator('iframe[title="app_state.wijkbeeld_map"]').last
    frame.locator("body[data-ready] path.leaflet-interactive").first.wait_for(state="visible")
    return time.perf_counter() - start_t


def _fmt(values: list[float]) -> str:
    return f"{min(values):.2f} / {statistics.median(values):.2f} s"


def _ratio(old: list[float], new: list[float]) -> str:
    return f"{min(old) / min(new):.1f}x / {statistics.median(old) / statistics.median(new):.1f}x"


def default_before() -> str:
    found = subprocess.run(
        ["git", "log", "--format=%H", "--grep=^Scenarios page: thin", "-1"],
        cwd=REPO, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    if not found:
        raise SystemExit("no commit 'Scenarios page: thin ...' here: pass --before <commit>")
    return f"{found}^"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", default=None, help="commit of the old page (default: before the light page)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="bench-scenarios-"))
    folders = {NEW: REPO, OLD: unpack(args.before or default_before(), tmp / "before")}
    states = {kind: tmp / f"state-{kind}" for kind in folders}
    for kind, folder in folders.items():
        seed(folder, states[kind])
    results: dict[str, dict[str, list[float]]] = {kind: {} for kind in folders}
    for kind, folder in folders.items():
        results[kind]["script"] = script_times(folder, states[kind], args.runs)
    servers = {kind: start(folder, states[kind]) for kind, folder in folders.items()}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=OFFLINE_ARGS)
            for url, _ in servers.values():  # warm: one throw-away visit each
                _, context, page = first_load(browser, url)
                open_scenario(page)
                open_map_tab(page)
                context.close()
            for _ in range(args.runs):
                for kind, (url, _) in servers.items():
                    elapsed, context, page = first_load(browser, url)
                    results[kind].setdefault("first load", []).append(elapsed)
                    results[kind].setdefault("open a scenario", []).append(open_scenario(page))
                    results[kind].setdefault("map tab", []).append(open_map_tab(page))
                    context.close()
                    elapsed, context, _ = first_load(browser, url, "start")
                    results[kind].setdefault("start page", []).append(elapsed)
                    context.close()
            browser.close()
    finally:
        for _, process in servers.values():
            stop(process)
    print(f"scenarios page, min / median of {args.runs} runs ({time.strftime('%Y-%m-%d')})")
    for measure in results[NEW]:
        old, new = results[OLD][measure], results[NEW][measure]
        print(f"  {measure:16} before {_fmt(old)}   now {_fmt(new)}   before/now {_ratio(old, new)}")


if __name__ == "__main__":
    main()
