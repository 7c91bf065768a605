"""Helpers shared by the page AppTests."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from enschede_gis import roles

VIEWS = Path(__file__).resolve().parents[1] / "views"
#: The area team, for saving what a page test starts from.
TEAM = roles.Actor(roles.Role.TEAM, "Testteam")


#: Page tests act as the area team, signed in (not by relying on a loopback address).
TEAM_SESSION = {"_signed_in_role": "team"}


def run_page(name: str, *, session: dict | None = None, timeout: float = 120, **params: str) -> AppTest:
    """Run ``views/<name>`` once with these query parameters (and session state); no exception allowed.

    The session is signed in as the area team unless ``session`` sets ``_signed_in_role`` itself.
    """
    at = AppTest.from_file(str(VIEWS / name), default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    for key, value in {**TEAM_SESSION, **(session or {})}.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def explanations_offered(at: AppTest, key: str) -> list[str]:
    """The figures an "Uitleg" picker (``ui.explain_picker(..., key=key)``) offers, as shown.

    Also checks that the popover holds the explanation of the figure picked: its title and the line
    on what it does not tell you. The popover is opened first: a closed one draws nothing inside it.
    """
    open_popover(at, key)
    box = at.selectbox(key=f"{key}_choice")
    picked = box.value
    shown = [m.value.replace("\\", "") for m in at.markdown]
    titles = (f"**{picked.label('nl')}", f"**{picked.label('en')}")
    assert any(text.startswith(titles) for text in shown)
    assert any(picked.caveat("nl")[:30] in text or picked.caveat("en")[:30] in text for text in shown)
    return list(box.options)


def open_popover(at: AppTest, key: str) -> AppTest:
    """Open the "Uitleg" popover ``key`` (``ui.explain_picker`` / ``ui.explain_button``), as a click does."""
    at.session_state[f"{key}_open"] = True
    return at.run()


def markdown_tables(at: AppTest) -> list:
    """The Markdown tables of a page run (``ui.markdown_table``) as DataFrames of the text shown."""
    import pandas as pd

    found = []
    for block in at.markdown:
        lines = [line for line in block.value.splitlines() if line.startswith("| ")]
        if not lines:
            continue
        cells = [[rendered(c.strip()) for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines]
        found.append(pd.DataFrame(cells[1:], columns=cells[0]))
    return found


def rendered(text: str) -> str:
    """Markdown text as the reader sees it: escaped characters (``\\(`` from ``ui.escape``) plain again."""
    return re.sub(r"\\(.)", r"\1", text)


APP = Path(__file__).resolve().parents[1] / "app.py"


def app_test(*, role: str | None = "team", timeout: float = 120) -> AppTest:
    """The whole app (``app.py``, not yet run), signed in with ``role`` (None: nobody signed in;
    an AppTest has no client address, so that session is a resident)."""
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    if role:
        at.session_state["_signed_in_role"] = role
    return at


def map_views(at: AppTest) -> list[dict]:
    """The views sent to the browser maps (``ui.area_map``) of a page run, in page order."""
    import json

    found = [e for e in at.main if type(e).__name__ == "UnknownElement"]
    return [json.loads(e.proto.json_args) for e in found if e.proto.component_name.endswith("wijkbeeld_map")]


def counting(monkeypatch, module, names: list[str]) -> dict[str, int]:
    """Count the calls of ``module``'s functions ``names`` from now on (they still do their work)."""
    calls = dict.fromkeys(names, 0)
    for name in names:
        real = getattr(module, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            calls[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)
    return calls
