"""The app as a new user meets it, in a real browser with the network blocked: today's map against
the way before it (the folium map re-sent on every click), in the same run, on this machine.

Run: .venv/bin/python bench/browser.py [--runs 3] [--before <commit>] [--sessions 10,30] [--first-loads]

``--first-loads`` measures only the first loads of /kaart, /profiel and /prioriteiten (the cold one too);
with ``--before`` set to a commit that already has the sent-once map, both servers are driven the same way.

"Before" is the commit before the map was sent once (``--before``, default the parent of the commit
that introduced ``static/wbmap``), unpacked with ``git archive`` into a temporary folder and started
as a server of its own on the same data; "now" is this checkout. Both servers are up; each run
measures one and then the other, in turn first, so a busy moment on the machine hits both and
neither is always measured second. Each figure is
min / median of ``--runs`` runs on a warm server (one throw-away visit first), except "cold"
(the first visit after start) and the simultaneous sessions.

Measured (Debian's /usr/bin/chromium via Playwright, 1920x1080, network blocked in chromium itself):
- first load of /kaart (until the areas are drawn), the start page (/), /profiel, /prioriteiten and the join
  page /doe-mee (until the script has finished and the page's first heading is shown; the start page is the
  floor every page pays; the join page as the laptop sees it, with the staff sidebar: a phone's is lighter).
  Each is measured twice: by the browser's own clock, from navigation start to the moment it happens
  (an init script notes it in the page: the map's ``data-ready`` or the first path drawn, Streamlit's
  ``window.prerenderReady`` for "the first run has finished"), which is what a user waits; and as
  Playwright sees it from ``goto`` to its wait returning, which adds the harness's own polling
  (for the map in its iframe about 0.3-0.5 s);
- bytes and responses of a first /kaart visit, and how many of them came compressed;
- click on Twekkelerveld -> the side panel shows "4.210"; bytes the server sent over the websocket
  for that click (CDP Network.webSocketFrameReceived, decoded payload sizes);
- a new figure chosen in the selectbox -> the map's legend names it;
- N sessions opening /kaart at the same moment -> all N maps drawn.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
#: The network blocked in chromium itself: no name resolves but the local ones, and every request that
#: is not for this machine goes to a closed proxy port (so an address written as numbers fails too).
#: Unlike Playwright's ``route`` no request makes a round trip through the harness: with ``route`` the
#: ~110 requests of a first /kaart visit each waited for Python, which added 0.1-0.3 s to a first load
#: that a user does not wait.
OFFLINE_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--proxy-server=http://127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
]
#: Runs in every frame before the page's own scripts: notes (by the browser's clock, ms since the top
#: page's navigation start) when the map is drawn and when the page's first run has finished.
MARKS_JS = """
(() => {
  const top = window.top, started = () => top.performance.timeOrigin;
  const note = (name) => { top.__wbMarks = top.__wbMarks || {};
    if (!(name in top.__wbMarks)) top.__wbMarks[name] = performance.timeOrigin + performance.now() - started(); };
  const check = () => {
    if (window === top) {
      if (window.prerenderReady === true && document.querySelector('h1')) { note('ready'); return; }
    } else if (document.querySelector('body[data-ready] path.leaflet-interactive, path.leaflet-interactive')) {
      note(document.body.hasAttribute('data-ready') ? 'drawn' : 'drawn (no data-ready)');
      if (document.body.hasAttribute('data-ready')) return;
    }
    setTimeout(check, 10);  // not requestAnimationFrame: chromium pauses it in an iframe not yet shown
  };
  check();
})();
"""
VIEWPORT = {"width": 1920, "height": 1080}
TWEKKELERVELD = "BU01530301"
NEW, OLD = "now", "before"
FRAMES = {NEW: 'iframe[title="app_state.wijkbeeld_map"]', OLD: 'iframe[title="streamlit_folium.st_folium"]'}
DRAWN = {NEW: "body[data-ready] path.leaflet-interactive", OLD: "path.leaflet-interactive"}
LEGEND = {NEW: "#legend .wb-legend-title", OLD: ".wb-legend-title"}
MAP_BOX = {NEW: "#map", OLD: "#map_div"}
MAP_JS = {NEW: "window.wbmap", OLD: "window.map"}
#: Pages whose first load is measured besides /kaart; the start page (a title and links) is the floor:
#: what any page costs for Streamlit's frontend, the websocket and the app's frame.
# The start page is the app's default page, at "/" (a path such as /start is not a page: Streamlit shows its
# "Page not found" dialog over the default page, which is not what a user opening the app sees).
FIRST_LOADS = ("start", "profiel", "prioriteiten", "doe-mee")
PATHS = {"start": ""}


# --------------------------------------------------------------------------------------------------
# Servers


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _without_fast_loop(state: Path) -> str:
    """A folder for PYTHONPATH in which uvloop and httptools cannot be imported: a checkout from before
    they were in requirements.txt runs as it did then (Streamlit and uvicorn fall back to asyncio and h11)."""
    folder = state / "no-uvloop"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("uvloop", "httptools"):
        (folder / f"{name}.py").write_text(f"raise ModuleNotFoundError('not in this checkout', name={name!r})\n")
    return str(folder)


def start(folder: Path, state: Path, env: dict[str, str] | None = None) -> tuple[str, subprocess.Popen]:
    """The app in ``folder`` as a server of its own (``env`` added to its environment); (url, process)."""
    port = _free_port()
    env = {**os.environ, "WIJKBEELD_STATE_DIR": str(state), "WIJKBEELD_DATA_DIR": str(REPO / "data"), **(env or {})}
    if "uvloop" not in (folder / "requirements.txt").read_text(encoding="utf-8"):
        env["PYTHONPATH"] = _without_fast_loop(state)
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port",
           str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]  # fmt: skip
    process = subprocess.Popen(cmd, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                return url, process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"server in {folder} did not start")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def unpack(commit: str, into: Path) -> Path:
    """The app as it was at ``commit`` (git archive: no worktree is registered)."""
    archive = subprocess.run(["git", "archive", commit], cwd=REPO, check=True, capture_output=True).stdout
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def default_before() -> str:
    first = subprocess.run(
        ["git", "log", "--diff-filter=A", "--format=%H", "--", "static/wbmap/wbmap.js"],
        cwd=REPO, check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    return f"{first[-1]}^"


# --------------------------------------------------------------------------------------------------
# One browser session


def _idle(page) -> None:
    page.wait_for_selector('[data-testid="stApp"]')
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000)


def _context(browser):
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(MARKS_JS)
    page = context.new_page()
    page.set_default_timeout(120_000)
    return context, page


def _mark(page, name: str) -> float:
    """Seconds from navigation start to ``name`` (see MARKS_JS), by the browser's clock."""
    page.wait_for_function(f"() => window.__wbMarks && {name!r} in window.__wbMarks", polling=50)
    return page.evaluate(f"window.__wbMarks[{name!r}]") / 1000


def open_map(browser, url: str, kind: str, query: str = "niveau=buurt&jaar=2021&indicator=inwoners"):
    """(context, page, seconds as Playwright saw them, seconds by the browser's clock) of a first /kaart."""
    context, page = _context(browser)
    start_t = time.perf_counter()
    page.goto(f"{url}/kaart?{query}")
    page.frame_locator(FRAMES[kind]).last.locator(DRAWN[kind]).first.wait_for()
    seen = time.perf_counter() - start_t
    return context, page, seen, _mark(page, "drawn" if kind == NEW else "drawn (no data-ready)")


def first_load(browser, url: str, slug: str) -> tuple[float, float]:
    """(seconds as Playwright saw them, seconds by the browser's clock) until the first run is shown."""
    context, page = _context(browser)
    start_t = time.perf_counter()
    page.goto(f"{url}/{PATHS.get(slug, slug)}")
    page.locator("h1").first.wait_for()
    _idle(page)
    seen = time.perf_counter() - start_t
    in_browser = _mark(page, "ready")
    context.close()
    return seen, in_browser


def transfer(browser, url: str, kind: str) -> tuple[int, int, int]:
    """(bytes over the wire, responses, compressed responses) of a first /kaart visit."""
    context, page = _context(browser)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    sizes: dict[str, int] = {}
    encoded: dict[str, bool] = {}
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    cdp.on(
        "Network.responseReceived",
        lambda e: encoded.__setitem__(
            e["requestId"], any(k.lower() == "content-encoding" for k in e["response"].get("headers", {}))
        ),
    )
    page.goto(f"{url}/kaart?niveau=buurt&jaar=2021&indicator=inwoners")
    page.frame_locator(FRAMES[kind]).last.locator(DRAWN[kind]).first.wait_for()
    page.wait_for_timeout(1500)
    context.close()
    return sum(sizes.values()), len(sizes), sum(1 for r in sizes if encoded.get(r))


def _point(code: str) -> tuple[float, float]:
    sys.path.insert(0, str(REPO))
    from enschede_gis import boundaries, settings, snapshot

    web = boundaries.for_web(boundaries.for_gemeente(snapshot.load(REPO / "data"), "buurt"))
    rd = web[web["code"] == code].to_crs(settings.CRS_RD)
    point = rd.geometry.representative_point().to_crs(settings.CRS_WEB).iloc[0]
    return point.y, point.x


def click_and_legend(browser, url: str, kind: str, point: tuple[float, float]) -> tuple[float, int, float]:
    """(click -> panel seconds, websocket bytes for the click, new figure -> legend seconds)."""
    context, page, _, _ = open_map(browser, url, kind)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    received: list[int] = []

    def on_frame(event) -> None:
        response = event["response"]
        data = response.get("payloadData", "")
        received.append(len(base64.b64decode(data)) if response.get("opcode") == 2 else len(data.encode()))

    cdp.on("Network.webSocketFrameReceived", on_frame)
    _idle(page)
    page.wait_for_timeout(1500)
    inner = page.locator(FRAMES[kind]).last.element_handle().content_frame()
    x, y = inner.evaluate(
        f"([a, b]) => {{ const p = {MAP_JS[kind]}.latLngToContainerPoint([a, b]); return [p.x, p.y]; }}", list(point)
    )
    box = inner.locator(MAP_BOX[kind]).bounding_box()
    received.clear()
    start_t = time.perf_counter()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.locator('[data-testid="stMetricValue"]', has_text="4.210").first.wait_for()
    click_s = time.perf_counter() - start_t
    _idle(page)
    page.wait_for_timeout(1000)
    click_bytes = sum(received)

    box = page.locator('[data-testid="stSelectbox"]', has_text="Kenmerk").first
    box.click()
    page.keyboard.type("Mannen")
    page.wait_for_timeout(300)
    start_t = time.perf_counter()
    page.keyboard.press("Enter")
    # before: a rerun briefly shows the old and the new map iframe; the new one is the last
    page.frame_locator(FRAMES[kind]).last.locator(LEGEND[kind], has_text="Mannen").first.wait_for()
    legend_s = time.perf_counter() - start_t
    context.close()
    return click_s, click_bytes, legend_s


async def simultaneous(url: str, kind: str, sessions: int) -> float:
    """Seconds until ``sessions`` browser sessions that open /kaart together all show their map."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=OFFLINE_ARGS)

        async def one() -> None:
            context = await browser.new_context(viewport=VIEWPORT)
            page = await context.new_page()
            page.set_default_timeout(300_000)
            await page.goto(f"{url}/kaart?niveau=buurt&jaar=2021&indicator=inwoners")
            await page.frame_locator(FRAMES[kind]).last.locator(DRAWN[kind]).first.wait_for()

        start_t = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(sessions)))
        elapsed = time.perf_counter() - start_t
        await browser.close()
    return elapsed


# --------------------------------------------------------------------------------------------------


def map_kind(folder: Path) -> str:
    """How a checkout draws its map: the sent-once browser map (NEW) or folium (OLD)."""
    return NEW if (folder / "static" / "wbmap" / "wbmap.js").exists() else OLD


def one_run(browser, url: str, kind: str, point, out: dict[str, list[float]], *, first_loads: bool = False) -> None:
    context, _page, seen, in_browser = open_map(browser, url, kind)
    context.close()
    out.setdefault("kaart first load, warm (s)", []).append(in_browser)
    out.setdefault("  the same, as Playwright saw it (s)", []).append(seen)
    for slug in FIRST_LOADS:
        seen, in_browser = first_load(browser, url, slug)
        out.setdefault(f"{slug} first load, warm (s)", []).append(in_browser)
        out.setdefault(f"  {slug}, as Playwright saw it (s)", []).append(seen)
    if first_loads:
        return
    click_s, click_bytes, legend_s = click_and_legend(browser, url, kind, point)
    out.setdefault("click -> panel (s)", []).append(click_s)
    out.setdefault("websocket bytes per click", []).append(click_bytes)
    out.setdefault("new figure -> legend (s)", []).append(legend_s)


def measure(
    servers: dict[str, tuple[str, str]], runs: int, sessions: list[int], point, *, first_loads: bool = False
) -> dict[str, dict[str, list[float]]]:
    """Both servers (label -> (url, map kind)) are up; every run measures one, then the other, so a
    busy moment hits both."""
    from playwright.sync_api import sync_playwright

    out: dict[str, dict[str, list[float]]] = {label: {} for label in servers}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=OFFLINE_ARGS)
        for label, (url, kind) in servers.items():
            context, _page, _seen, cold = open_map(browser, url, kind)
            context.close()
            out[label]["kaart cold (s)"] = [cold]
            for slug in FIRST_LOADS:
                first_load(browser, url, slug)  # warm the caches
        order = list(servers)
        for run in range(runs):
            for label in order if run % 2 == 0 else order[::-1]:  # each server first in turn
                url, kind = servers[label]
                one_run(browser, url, kind, point, out[label], first_loads=first_loads)
        if not first_loads:
            for label, (url, kind) in servers.items():
                size, responses, compressed = transfer(browser, url, kind)
                out[label]["first /kaart visit: bytes"] = [size]
                out[label]["first /kaart visit: responses"] = [responses]
                out[label]["first /kaart visit: compressed responses"] = [compressed]
        browser.close()
    for n in [] if first_loads else sessions:
        for label, (url, kind) in servers.items():
            out[label][f"{n} sessions at once -> all maps drawn (s)"] = [asyncio.run(simultaneous(url, kind, n))]
    return out


def _fmt(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:,.2f}" if values[0] < 1000 else f"{values[0]:,.0f}"
    low, mid = min(values), statistics.median(values)
    return f"{low:,.2f} / {mid:,.2f}" if mid < 1000 else f"{low:,.0f} / {mid:,.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", default=None, help="commit of the old way (default: before static/wbmap)")
    parser.add_argument("--sessions", default="10,30")
    parser.add_argument("--skip-before", action="store_true", help="measure only this checkout")
    parser.add_argument("--first-loads", action="store_true", help="measure only the pages' first loads")
    args = parser.parse_args()
    sessions = [int(n) for n in args.sessions.split(",") if n]
    point = _point(TWEKKELERVELD)
    before = None if args.skip_before else args.before or default_before()
    processes = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            servers = {}
            if before:
                folder = unpack(before, Path(tmp) / "app")
                old_url, old_process = start(folder, Path(tmp) / "state-before")
                processes.append(old_process)
                servers[OLD] = (old_url, map_kind(folder))
            new_url, new_process = start(REPO, Path(tmp) / "state-now")
            processes.append(new_process)
            servers[NEW] = (new_url, NEW)
            results = measure(servers, args.runs, sessions, point, first_loads=args.first_loads)
        finally:
            for process in processes:
                stop(process)
    if before:
        short = subprocess.run(["git", "rev-parse", "--short", before], cwd=REPO, capture_output=True, text=True)
        print(f"before = {before} ({short.stdout.strip()})")
    print(f"Browser bench: chromium {VIEWPORT['width']}x{VIEWPORT['height']}, network blocked, {os.cpu_count()} cores;")
    print(f"min / median of {args.runs} runs where two numbers are given, else one run.\n")
    print(f"{'measure':48} {'before':>18} {'now':>18} {'now/before':>11}")
    for name, values in results[NEW].items():
        old = results.get(OLD, {}).get(name)
        ratio = f"{statistics.median(values) / statistics.median(old):.2f}" if old and statistics.median(old) else ""
        print(f"{name:48} {_fmt(old) if old else '':>18} {_fmt(values):>18} {ratio:>11}")


if __name__ == "__main__":
    main()
