"""Thirty phones send at once: how long until the projector shows it?

The meeting page shows residents' input through a fragment that reruns itself every
``LIVE_EVERY`` (``views/_meeting_live.py``): it asks the database, then redraws the count, the votes
and the newest remarks. This script starts the app on a free localhost port (temporary state
folder, SQLite), makes a started meeting with input open at the input step, opens it in Debian's
chromium as the projector (network blocked except localhost; the local browser is the area team,
as on the facilitator's laptop), and then:

- **single**: one input is submitted; the time from its acknowledged commit until the projector's
  DOM shows the new count and its remark;
- **burst**: 30 simulated phones submit at once (30 threads, each calling
  :func:`enschede_gis.inputs.submit` on this process's engine against the same SQLite file, each
  with its own device id, released together by a barrier); the time from the *last* acknowledged
  submit until the DOM shows the count of all of them and the remark that was committed last.
  The phones are threads in the package, not browser or websocket sessions: this measures the
  database and the projector's refresh, not the join page (``bench/join_pages.py`` does that).

Baseline, in the same run: the fragment's own refresh period (the floor: an input waits on
average half of it, at most all of it, plus the rerun) as seen on the websocket of the idle
projector, and one rerun's time there. Each round starts at a random (seeded) point in the period, as
a real phone's would; the browser's websocket messages are timestamped in the page, so each result is
also split into "after the next rerun was asked" (rerun + drawing, without the wait for the tick).
Ratios: burst / single, and burst / refresh period. Min / median of ``--runs`` repeats; the DOM is
polled every 10 ms in the page (``wait_for_function``). Stops by itself (every wait is bounded).

    .venv/bin/python bench/live_view.py [--phones 30] [--runs 3]
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser.conftest import CHROMIUM, _offline_only, start_app, stop_app, wait_for_app  # noqa: E402

SEEN = """([count, text]) => {
    const box = document.querySelector('.st-key-live_input');
    if (!box) return false;
    const shown = box.innerText;
    return shown.includes('Inbreng tot nu toe: ' + count) && shown.includes(text) && performance.now();
}"""
SHOWN_TIMEOUT = 30  # seconds: far past the refresh period; a miss is reported, not waited for


def _prepare(state: Path):
    os.environ["WIJKBEELD_STATE_DIR"] = str(state)
    os.environ.pop("DATABASE_URL", None)
    from enschede_gis import db, meetings, roles, settings

    settings.STATE_DIR = state
    meeting = meetings.make_meeting(
        title="Buurtavond Twekkelerveld",
        area_code="BU01530301",
        held_on=date(2026, 12, 1),
        started=True,
        step=2,  # the priorities step: where residents give input
        input_open=True,
        profiles=["Groen en spelen"],
    )
    meetings.save(db.engine(), meeting, actor=roles.Actor(roles.Role.TEAM))
    return meeting


def _projector(browser, url: str):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    context.route("**/*", _offline_only)
    context.add_init_script(WS_CLOCK)
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    tab.goto(url)
    wait_for_app(tab)
    tab.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Bijeenkomst").click()
    tab.get_by_role("button", name="Verder presenteren").click()
    tab.get_by_text("Inbreng tot nu toe: 0").wait_for()
    wait_for_app(tab)
    return context, tab


def _submit_all(meeting_id: str, texts: list[str], devices: list[str]) -> tuple[float, str]:
    """Submit each text from its own device at once; returns (time of the last ack, text committed last)."""
    from enschede_gis import db, inputs, roles

    eng = db.engine()
    resident = roles.Actor(roles.Role.RESIDENT)
    drafts = [inputs.make_input(kind="note", area_code="BU01530301", text=t, meeting_id=meeting_id) for t in texts]
    gate = threading.Barrier(len(drafts))
    acks: list[tuple[float, int, str]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def phone(draft, device: str) -> None:
        try:
            gate.wait(timeout=30)
            stored = inputs.submit(eng, draft, actor=resident, session_id=device)
            done = time.perf_counter()
            with lock:
                acks.append((done, stored.id, draft.text))
        except BaseException as exc:  # reported below, the run stops
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=phone, args=(d, dev)) for d, dev in zip(drafts, devices, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors or len(acks) != len(drafts):
        raise RuntimeError(f"{len(acks)} of {len(drafts)} submits acknowledged; errors: {errors[:3]}")
    last_ack = max(a[0] for a in acks)
    newest_text = max(acks, key=lambda a: a[1])[2]
    return last_ack, newest_text


def _time_to_shown(tab, count: int, text: str, last_ack: float) -> tuple[float, float]:
    """Seconds from the last ack until shown, and from the first fragment rerun asked after the ack
    until shown (the rerun and drawing, without the wait for the refresh tick)."""
    handle = tab.wait_for_function(SEEN, arg=[count, text], polling=10, timeout=SHOWN_TIMEOUT * 1000)
    shown_at = time.perf_counter()
    shown_page = handle.json_value()  # the page's clock when it saw it
    ack_page = shown_page - (shown_at - last_ack) * 1000
    asks = [t for t in tab.evaluate("() => window.__wbSent") if ack_page <= t <= shown_page]
    after_ask = (shown_page - asks[0]) / 1000 if asks else float("nan")
    return shown_at - last_ack, after_ask


def _round(
    tab, meeting_id: str, shown: int, phones: int, label: str, phase: float
) -> tuple[tuple[float, float], float, int]:
    tab.wait_for_timeout(phase * 1000)  # a random point in the refresh period, as a real phone's
    texts = [f"{label} opmerking {i:02d}" for i in range(phones)]
    devices = [f"bench-{label}-{i:02d}" for i in range(phones)]
    start = time.perf_counter()
    last_ack, newest = _submit_all(meeting_id, texts, devices)
    submit_s = last_ack - start
    return _time_to_shown(tab, shown + phones, newest, last_ack), submit_s, shown + phones


#: Record, in the page's own clock, when the browser sends a message over Streamlit's websocket
#: (an idle projector sends one only to rerun the live fragment) and when a message arrives.
WS_CLOCK = """(() => {
    window.__wbSent = []; window.__wbRecv = [];
    const Plain = window.WebSocket;
    window.WebSocket = class extends Plain {
        constructor(...args) {
            super(...args);
            this.addEventListener('message', () => window.__wbRecv.push(performance.now()));
        }
        send(data) { window.__wbSent.push(performance.now()); return super.send(data); }
    };
})()"""


def _period(tab, seconds: float = 10) -> tuple[list[float], list[float]]:
    """On an idle projector: seconds between fragment reruns asked, and from asking until the last reply."""
    tab.evaluate("() => { window.__wbSent = []; window.__wbRecv = []; }")
    tab.wait_for_timeout(seconds * 1000)
    sent, recv = tab.evaluate("() => [window.__wbSent, window.__wbRecv]")
    periods = [(b - a) / 1000 for a, b in itertools.pairwise(sent)]
    reruns = []
    for i, asked in enumerate(sent[:-1]):
        replies = [r for r in recv if asked <= r < sent[i + 1]]
        if replies:
            reruns.append((max(replies) - asked) / 1000)
    return periods, reruns


def _fmt(values: list[float]) -> str:
    values = [v for v in values if v == v]  # NaN: no rerun asked in the window
    if not values:
        return "not observed"
    return f"min {min(values) * 1000:7.0f} ms   median {statistics.median(values) * 1000:7.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing (Debian's chromium); never `playwright install`")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "state"
        state.mkdir()
        meeting = _prepare(state)
        from enschede_gis import db
        from views._meeting_live import LIVE_EVERY

        url, process = start_app(state, {"DATABASE_URL": ""})
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=CHROMIUM,
                    args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
                )
                try:
                    _context, tab = _projector(browser, url)
                    period, rerun = _period(tab)
                    shown, single, burst, burst_submit = 0, [], [], []
                    chance = random.Random(10)
                    every = LIVE_EVERY.total_seconds()
                    for run in range(args.runs):
                        seconds, _, shown = _round(tab, meeting.id, shown, 1, f"e{run}", chance.uniform(0, every))
                        single.append(seconds)
                        seconds, submit_s, shown = _round(
                            tab, meeting.id, shown, args.phones, f"b{run}", chance.uniform(0, every)
                        )
                        burst.append(seconds)
                        burst_submit.append(submit_s)
                        print(
                            f"run {run + 1}: single {single[-1][0] * 1000:.0f} ms "
                            f"(after the rerun was asked {single[-1][1] * 1000:.0f} ms), "
                            f"burst {seconds[0] * 1000:.0f} ms (after the rerun was asked {seconds[1] * 1000:.0f} ms)"
                        )
                finally:
                    browser.close()
        finally:
            stop_app(process)
            db.dispose_all()

    floor = LIVE_EVERY.total_seconds()
    print(f"\nfragment refresh period (set): {floor * 1000:.0f} ms; seen between reruns: {_fmt(period)}")
    print(f"one rerun of the live fragment (ask -> last reply, idle):  {_fmt(rerun)}")
    total = {"single": [s[0] for s in single], "burst": [b[0] for b in burst]}
    work = {"single": [s[1] for s in single], "burst": [b[1] for b in burst]}
    print(f"single input, ack -> projector shows it:                {_fmt(total['single'])}")
    print(f"  of which after the next rerun was asked (rerun+draw): {_fmt(work['single'])}")
    print(f"{args.phones} phones at once, last ack -> projector shows all:  {_fmt(total['burst'])}")
    print(f"  of which after the next rerun was asked (rerun+draw): {_fmt(work['burst'])}")
    print(f"{args.phones} phones at once, barrier -> last ack (30 commits): {_fmt(burst_submit)}")
    med = statistics.median
    print(
        f"ratios (median): ack->shown burst / single {med(total['burst']) / med(total['single']):.2f}x, "
        f"rerun+draw burst / single {med(work['burst']) / med(work['single']):.2f}x, "
        f"ack->shown burst / refresh period {med(total['burst']) / floor:.2f}x"
    )
    print(
        "note: each round starts at a random point in the refresh period (seeded), so ack -> shown is mostly "
        "that phase (0 .. one period) plus the rerun; 'after the next rerun was asked' leaves the phase out."
    )


if __name__ == "__main__":
    main()
