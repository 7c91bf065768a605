"""Wijkbeeld Enschede: the frame. Page config, shared sidebar, navigation; pages do the rest."""

from __future__ import annotations

import streamlit as st

import app_state as ui
from enschede_gis.errors import WijkbeeldError

st.set_page_config(page_title="Wijkbeeld Enschede", page_icon=":material/map:", layout="wide")

ui.language_selector()
try:
    ui.data()
except WijkbeeldError as exc:
    st.error(ui.t("app.data_error", message=ui.error_text(exc)))
    st.stop()

pages = ui.pages()
if not pages:
    st.error(ui.t("app.no_pages"))
    st.stop()
navigation = st.navigation(pages)
ui.attribution()
navigation.run()
