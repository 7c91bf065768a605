"""Helpers shared by the page AppTests."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest


def explanations_offered(at: AppTest, key: str) -> list[str]:
    """The figures an "Uitleg" picker (``ui.explain_picker(..., key=key)``) offers, as shown.

    Also checks that the popover holds the explanation of the figure picked: its title and the line
    on what it does not tell you.
    """
    box = at.selectbox(key=f"{key}_choice")
    picked = box.value
    shown = [m.value.replace("\\", "") for m in at.markdown]
    titles = (f"**{picked.label('nl')}", f"**{picked.label('en')}")
    assert any(text.startswith(titles) for text in shown)
    assert any(picked.caveat("nl")[:30] in text or picked.caveat("en")[:30] in text for text in shown)
    return list(box.options)


def rendered(text: str) -> str:
    """Markdown text as the reader sees it: escaped characters (``\\(`` from ``ui.escape``) plain again."""
    return re.sub(r"\\(.)", r"\1", text)
