"""Wijkbeeld Enschede: the frame. Page config, shared sidebar, navigation; pages do the rest."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

import app_state as ui
from enschede_gis.errors import WijkbeeldError

HERE = Path(__file__).parent

#: (file, title key, icon, url path). A page appears once its file exists.
PAGES = [
    ("pages/kaart.py", "nav.kaart", ":material/map:", "kaart"),
    ("pages/profiel.py", "nav.profiel", ":material/description:", "profiel"),
    ("pages/vergelijken.py", "nav.vergelijken", ":material/compare:", "vergelijken"),
    ("pages/gebieden.py", "nav.gebieden", ":material/select_all:", "gebieden"),
    ("pages/eigen_gegevens.py", "nav.eigen_gegevens", ":material/upload_file:", "eigen-gegevens"),
    ("pages/prioriteiten.py", "nav.prioriteiten", ":material/leaderboard:", "prioriteiten"),
    ("pages/scenarios.py", "nav.scenarios", ":material/science:", "scenarios"),
    ("pages/bijeenkomst.py", "nav.bijeenkomst", ":material/co_present:", "bijeenkomst"),
    ("pages/inbreng.py", "nav.inbreng", ":material/forum:", "inbreng"),
    ("pages/projecten.py", "nav.projecten", ":material/event_note:", "projecten"),
    ("pages/gegevens.py", "nav.gegevens", ":material/database:", "gegevens"),
]

st.set_page_config(page_title="Wijkbeeld Enschede", page_icon=":material/map:", layout="wide")

ui.language_selector()
try:
    ui.data()
except WijkbeeldError as exc:
    st.error(ui.t("app.data_error", message=str(exc)))
    st.stop()

pages = [
    st.Page(str(HERE / path), title=ui.t(title), icon=icon, url_path=slug)
    for path, title, icon, slug in PAGES
    if (HERE / path).exists()
]
if not pages:
    st.error("Geen pagina's gevonden.")
    st.stop()
navigation = st.navigation(pages)
ui.attribution()
navigation.run()
