"""Thirty phones at once: how long until every join page is usable?

"The facilitator says scan the code now": N sessions open the meeting's join link at the same
moment. Each session is a plain websocket client speaking Streamlit's own protocol (what the
browser does after loading the static files, which the server hands out from disk): it connects,
asks for the page, and counts as usable when the script has finished and the text box has been
sent. This measures the server's work per session, which is what limits a laptop; real phones
bring their own CPUs for drawing. (A Playwright run of thirty chromium pages on this same 2-core
machine measures mostly chromium itself.)

Compared in the same run, with the same server settings (the app's ``.streamlit/config.toml`` for
both, and ``WIJKBEELD_TRUST_LOCAL=0``, so every session is a resident, as phones are):

- **ours**: the join page of Wijkbeeld (``/doe-mee?code=...``, an open meeting);
- **plain**: the best plain alternative, a bare Streamlit app holding only a title, a text box and a
  button in a form (the floor Streamlit itself sets for a session).

Each for 1 and for N sessions, on a warm server (it has served the page once), min / median of
``--runs`` runs, and the ratio ours / plain (time, lower is better). The first session on a cold
server (imports, the snapshot) is reported too.

    .venv/bin/python bench/join_pages.py [--sessions 30] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import textwrap
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser.conftest import free_port, start_app, stop_app  # noqa: E402

PLAIN_APP = textwrap.dedent(
    """
    import streamlit as st
    st.title("Doe mee")
    with st.form("f", border=False):
        st.text_area("Wat wilt u zeggen?")
        st.form_submit_button("Versturen")
    """
)


def _start_ours(state: Path) -> tuple[str, object, str]:

    os.environ["WIJKBEELD_STATE_DIR"] = str(state)
    os.environ.pop("DATABASE_URL", None)
    from enschede_gis import db, joinlink, meetings, roles, settings

    settings.STATE_DIR = state
    meeting = meetings.make_meeting(
        title="Buurtavond", area_code="BU01530301", held_on=date(2026, 12, 1), input_open=True
    )
    meetings.save(db.engine(), meeting, actor=roles.Actor(roles.Role.TEAM))
    db.dispose_all()
    port = free_port()
    url, process = start_app(state, {"WIJKBEELD_TRUST_LOCAL": "0", "DATABASE_URL": ""}, port=port)
    return url, process, f"code={joinlink.short_code(meeting.id)}", "doe-mee"


def _start_plain(folder: Path) -> tuple[str, object, str]:
    import subprocess

    from tests.browser.conftest import _wait_healthy

    script = folder / "plain_join.py"
    script.write_text(PLAIN_APP, encoding="utf-8")
    # the same Streamlit settings as the app (run options such as the garbage collection after a run)
    (folder / ".streamlit").mkdir()
    shutil.copyfile(REPO / ".streamlit" / "config.toml", folder / ".streamlit" / "config.toml")
    port = free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true"),
            *("--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"),
        ],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    _wait_healthy(url, process)
    return url, process, "", ""


async def _session(url: str, query: str, page: str) -> float:
    """Seconds from connecting until the script finished, having sent the text box."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    start = time.perf_counter()
    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(stream, subprotocols=["streamlit"], origin=url, max_size=None) as ws:
        ask = BackMsg()
        ask.rerun_script.query_string = query
        ask.rerun_script.page_name = page
        await ws.send(ask.SerializeToString())
        text_box = False
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await ws.recv())
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                text_box = text_box or msg.delta.new_element.WhichOneof("type") == "text_area"
            if kind == "script_finished":
                break
    if not text_box:
        raise AssertionError(f"{url}/{page}?{query} finished without its text box")
    return time.perf_counter() - start


async def _all_at_once(url: str, query: str, page: str, sessions: int) -> float:
    start = time.perf_counter()
    await asyncio.gather(*(_session(url, query, page) for _ in range(sessions)))
    return time.perf_counter() - start


def _measure(url: str, query: str, page: str, sessions: int, runs: int) -> tuple[float, dict[int, list[float]]]:
    cold = asyncio.run(_session(url, query, page))
    found: dict[int, list[float]] = {1: [], sessions: []}
    for _ in range(runs):
        for count in (1, sessions):
            found[count].append(asyncio.run(_all_at_once(url, query, page, count)))
    return cold, found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results, cold = {}, {}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, start in (("plain", _start_plain), ("ours", _start_ours)):
            (folder / name).mkdir()
            url, process, query, page = start(folder / name)
            try:
                cold[name], results[name] = _measure(url, query, page, args.sessions, args.runs)
            finally:
                stop_app(process)
    # other work on the machine shifts both columns; the ratio is what compares (load: 1-minute average)
    print(f"machine load while measuring: {load_before:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"first session on a cold server (s): ours {cold['ours']:.2f}   plain streamlit {cold['plain']:.2f}")
    print(f"join pages usable (s), warm server, {args.runs} runs: min / median")
    for count in (1, args.sessions):
        ours, plain = results["ours"][count], results["plain"][count]
        print(
            f"  {count:>3} at once: ours {min(ours):.2f} / {statistics.median(ours):.2f}"
            f"   plain streamlit {min(plain):.2f} / {statistics.median(plain):.2f}"
            f"   ratio (median) {statistics.median(ours) / statistics.median(plain):.2f}"
        )


if __name__ == "__main__":
    main()
