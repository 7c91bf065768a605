"""Every page, rendered in Dutch and in English, shows no untranslated key.

``i18n.t`` returns the key itself when a string is missing (``eigen.kind.count``): visible, not a
crash, so only rendering the pages finds it. The own-data page is rendered with a file uploaded, so
its column form (kind, direction, number format) is rendered too.
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

import app_state
from enschede_gis import i18n
from tests.page_helpers import app_test

NAMESPACES = sorted({key.split(".")[0] for key in i18n.strings()})
#: A key as i18n.t returns it when missing: a known namespace, a dot, more dotted words.
_KEY = re.compile(rf"\b(?:{'|'.join(NAMESPACES)})\.[a-z0-9_]+(?:\.[a-z0-9_]+)*\b")
UPLOAD = ("enquete.csv", b"buurtcode;tevredenheid;deelnemers\nBU01530301;7,4;120\nBU01530905;6,9;80\n", "text/csv")


def _texts(at: AppTest) -> list[str]:
    """Every text the reader sees: body text, messages, widget labels and options, table headers."""
    found: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success", "text"):
        found += [str(e.value) for e in getattr(at, kind)]
    for kind in ("selectbox", "radio", "multiselect", "select_slider"):
        for widget in getattr(at, kind):
            found += [str(widget.label), *map(str, getattr(widget, "options", []))]
    for kind in ("button", "checkbox", "text_input", "text_area", "number_input", "slider", "toggle", "date_input"):
        found += [str(w.label) for w in getattr(at, kind)]
    for frame in [*at.dataframe, *at.table]:
        found += [str(c) for c in frame.value.columns]
    return found


def _render(path: str, lang: str) -> AppTest:
    at = app_test(timeout=120)
    if lang != "nl":
        at.query_params["lang"] = lang
    at.run()
    at.switch_page(path).run()
    if path.endswith("eigen_gegevens.py"):
        at.file_uploader[0].set_value(UPLOAD).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.sidebar.radio(key="_lang").value == lang  # the page really is in this language
    return at


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("path", [p[0] for p in [*app_state.PAGES, app_state.JOIN_PAGE]])
def test_no_page_shows_an_untranslated_key(path, lang, page_db):
    at = _render(path, lang)
    raw = sorted({m.group(0) for text in _texts(at) for m in _KEY.finditer(text) if m.group(0) not in _ALLOWED})
    assert raw == [], f"{path} ({lang}) shows raw keys: {raw}"


#: Dotted words that are no keys (none yet; add with a reason).
_ALLOWED: frozenset[str] = frozenset()


def test_the_own_data_form_names_kinds_and_directions_in_words(page_db):
    at = _render("views/eigen_gegevens.py", "nl")
    kinds = at.selectbox(key="eigen_kind_tevredenheid")
    assert kinds.options[0] == i18n.t("eigen.kind.count") != "eigen.kind.count"
    directions = at.selectbox(key="eigen_direction_tevredenheid")
    assert "eigen.direction.neutral" not in directions.options
    captions = " ".join(c.value for c in at.caption)
    assert "Getallen in 'tevredenheid' gelezen als 1.234,5 (decimale komma" in captions.replace("\\", "")
