"""Wijkbeeld Enschede: the frame. Page config, shared sidebar, navigation by role; pages do the rest.

A resident (a phone at a meeting) gets the join page only: no sidebar, no navigation, and no
snapshot loaded by the frame (the join page is the lightest page of the app). Staff get the
sidebar and every page their role allows. Whatever a page raises that the package did not
foresee is shown as one short message with a reference; the traceback goes to the server log.
"""

from __future__ import annotations

import logging
import uuid

import streamlit as st

import app_state as ui
from enschede_gis.errors import WijkbeeldError

log = logging.getLogger("wijkbeeld")


def run_guarded(page) -> None:
    """Run the page; an unexpected error becomes a message with a reference id, logged in full.

    ``st.stop()`` and ``st.rerun()`` raise BaseException subclasses (not ``Exception``), so they
    pass through untouched.
    """
    try:
        page.run()
    except Exception:
        reference = uuid.uuid4().hex[:8]
        log.exception("Unexpected error on page %s (reference %s)", getattr(page, "url_path", "?"), reference)
        st.error(ui.t("app.unexpected_error", reference=reference))


staff = ui.is_staff()
st.set_page_config(
    page_title="Wijkbeeld Enschede",
    page_icon=ui.PAGE_ICON,
    layout="wide" if staff else "centered",
    initial_sidebar_state="auto" if staff else "collapsed",
)
ui.keep_sign_in_cookie()
ui.page_styles()

if not staff:
    run_guarded(st.navigation(ui.pages(), position="hidden"))
    st.stop()

ui.language_selector()
try:
    ui.data()
except WijkbeeldError as exc:
    st.error(ui.t("app.data_error", message=ui.error_text(exc)))
    st.stop()

navigation = st.navigation(ui.pages(), expanded=True)  # every page listed: no English "View 3 more"
ui.account_panel()
ui.attribution()
run_guarded(navigation)
