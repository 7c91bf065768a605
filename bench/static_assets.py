"""Streamlit's own script files, as a first visit fetches them: served by uvicorn on asyncio and h11
(the way before) against uvloop and httptools (requirements.txt), the same checkout, in the same run.

Run: .venv/bin/python bench/static_assets.py [--runs 5] [--phones 30]

Every first visit (a new phone at a meeting, a new browser on the projector laptop) fetches the ~60
files the start page names (``/static/js/*.js``, the stylesheet, the font) before Streamlit's frontend
can even connect. Both servers are this checkout; the baseline is started with uvloop and httptools
made unimportable (``browser._without_fast_loop``), so Streamlit and uvicorn fall back to the
standard library's event loop and the pure-Python HTTP parser, as before they were required.

Measured, min / median of ``--runs``, each server first in turn:
- one visit: the files over six connections (as a browser opens them), fetched with http.client;
- ``--phones`` visits at once: every phone's files over six connections each, fetched by curl
  (``--parallel``), so the client is not the bottleneck.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser import REPO, _without_fast_loop, start, stop

CONNECTIONS = 6  # what a browser opens per host over HTTP/1.1


def assets(url: str) -> list[str]:
    """The files the start page's HTML names (scripts, module preloads, stylesheet, font)."""
    html = urllib.request.urlopen(f"{url}/", timeout=30).read().decode()
    return re.findall(r'(?:src|href)="\.?/?(static/[^"]+)"', html)


def one_visit(url: str, files: list[str]) -> float:
    port = int(url.rsplit(":", 1)[1])

    def connection(paths: list[str]) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        size = 0
        for path in paths:
            conn.request("GET", f"/{path}")
            size += len(conn.getresponse().read())
        conn.close()
        return size

    start_t = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(CONNECTIONS) as pool:
        sum(pool.map(connection, [files[i::CONNECTIONS] for i in range(CONNECTIONS)]))
    return time.perf_counter() - start_t


def phones_at_once(url: str, files: list[str], phones: int, folder: Path) -> float:
    config = folder / "curl.cfg"
    config.write_text("".join(f'url = "{url}/{f}"\noutput = "/dev/null"\n' for _ in range(phones) for f in files))
    start_t = time.perf_counter()
    command = [
        "curl",
        "--silent",
        "--no-progress-meter",
        "--fail",
        "--parallel",
        "--parallel-max",
        str(CONNECTIONS * phones),
    ]
    subprocess.run([*command, "--config", str(config)], check=True)
    return time.perf_counter() - start_t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--phones", type=int, default=30)
    args = parser.parse_args()
    if not shutil.which("curl"):
        sys.exit("curl is needed for the phones-at-once measure")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plain_url, plain = start(REPO, folder / "state-plain", env={"PYTHONPATH": _without_fast_loop(folder)})
        fast_url, fast = start(REPO, folder / "state-fast")
        servers = {"asyncio + h11": plain_url, "uvloop + httptools": fast_url}
        try:
            files = assets(fast_url)
            results: dict[str, dict[str, list[float]]] = {label: {} for label in servers}
            for url in servers.values():
                one_visit(url, files)  # warm the file system cache
            order = list(servers)
            for run in range(args.runs):
                for label in order if run % 2 == 0 else order[::-1]:
                    url = servers[label]
                    results[label].setdefault("one visit", []).append(one_visit(url, files))
                    at_once = phones_at_once(url, files, args.phones, folder)
                    results[label].setdefault(f"{args.phones} visits at once", []).append(at_once)
        finally:
            stop(plain)
            stop(fast)
    print(f"Streamlit's script files: {len(files)} per first visit; min / median of {args.runs} runs (s).\n")
    before, now = list(servers)
    print(f"{'measure':24} {before:>16} {now:>20} {'ratio':>7}")
    for name, values in results[now].items():
        old = results[before][name]
        ratio = statistics.median(values) / statistics.median(old)
        was = f"{min(old):.3f} / {statistics.median(old):.3f}"
        now_s = f"{min(values):.3f} / {statistics.median(values):.3f}"
        print(f"{name:24} {was:>16} {now_s:>20} {ratio:7.2f}")


if __name__ == "__main__":
    main()
