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


def test_no_page_relies_on_magic_which_is_off():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["magicEnabled"] is False
    assert config["runner"]["postScriptGC"] is False
    pages = [REPO / "app.py", *sorted((REPO / "views").glob("*.py"))]
    shown = {p.name: lines for p in pages if (lines := _bare_expressions(p.read_text(encoding="utf-8")))}
    assert shown == {}, f"bare expressions would be shown by magic, which is off: {shown}"
