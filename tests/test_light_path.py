"""The residents' join page stays the lightest page: what it costs a server per phone.

Thirty phones open it at the same moment (bench/join_pages.py measures how long until all can type);
these tests keep the things that made each of them expensive from coming back unnoticed.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _bare_expressions(source: str) -> list[int]:
    """Lines of statements Streamlit's "magic" would show: a bare value that is not a call or a docstring."""
    found = []
    for parent in ast.walk(ast.parse(source)):
        for field in ("body", "orelse", "finalbody"):
            body = getattr(parent, field, None)
            if not isinstance(body, list):
                continue
            for index, node in enumerate(body):
                if not isinstance(node, ast.Expr) or isinstance(node.value, ast.Call | ast.Await | ast.Yield):
                    continue
                docstring = (
                    index == 0
                    and field == "body"
                    and isinstance(parent, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
                    and isinstance(node.value, ast.Constant)
                    and isinstance(node.value.value, str)
                )
                if not docstring:
                    found.append(node.lineno)
    return found


def test_bare_expressions_are_found():
    assert _bare_expressions('"""doc"""\nimport x\nx.y()\nx\nif x:\n    "shown"\n') == [4, 6]


def test_settings_keep_a_session_cheap_and_no_page_relies_on_magic_which_is_off():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none"  # no source watchers started per session
    assert config["runner"]["postScriptGC"] is False  # no full garbage collection after every run
    assert config["runner"]["magicEnabled"] is False
    pages = [REPO / "app.py", *sorted((REPO / "views").glob("*.py"))]
    shown = {p.name: lines for p in pages if (lines := _bare_expressions(p.read_text(encoding="utf-8")))}
    assert shown == {}, f"bare expressions would be shown by magic, which is off: {shown}"


#: What the join page must not import: shapes, tables, charts and maps (each a second or so to import
#: on a cold server, and memory and garbage-collection work for every session after).
HEAVY = ("geopandas", "shapely", "pyogrio", "pyproj", "pandas", "altair", "folium", "branca", "matplotlib")

JOIN_RUN = """
import json, sys
from datetime import date
from streamlit.testing.v1 import AppTest
from enschede_gis import db, joinlink, meetings, roles

before = {m for m in sys.modules if m.split(".")[0] in HEAVY}
meeting = meetings.make_meeting(title="Buurtavond", area_code="BU01530301", held_on=date(2026, 12, 1), input_open=True)
meetings.save(db.engine(), meeting, actor=roles.Actor(roles.Role.TEAM))
at = AppTest.from_file("app.py", default_timeout=120)
at.query_params["code"] = joinlink.short_code(meeting.id)
at.run()
at.text_area(key="doe_text").set_value("Meer bankjes")
next(b for b in at.button if b.label == "Versturen").click()
at.run()
assert not at.exception, at.exception
assert at.success[0].value.startswith("Dank u wel!"), [e.value for e in at.error]
after = {m.split(".")[0] for m in sys.modules if m.split(".")[0] in HEAVY} - before
print(json.dumps(sorted(after)))
"""


def test_the_join_page_imports_no_shapes_tables_or_maps(tmp_path):
    """A resident opens the join page of an open meeting and sends a remark, in a fresh process (the
    whole frame, app.py, as a phone gets it): none of the heavy libraries is imported on the way."""
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "WIJKBEELD_STATE_DIR": str(tmp_path), "PYTHONPATH": str(REPO)}
    env.pop("DATABASE_URL", None)
    script = f"HEAVY = {HEAVY!r}\n{JOIN_RUN}"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
