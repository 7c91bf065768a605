"""Start page: what Wijkbeeld is for, where to go, and the two worked examples."""

from __future__ import annotations

import streamlit as st

import app_state as ui

st.title(ui.t("app.title"))
st.caption(ui.t("app.tagline"))
st.markdown(ui.t("start.intro"))

st.subheader(ui.t("start.what_heading"))
columns = st.columns(3)
for i, page in enumerate(ui.pages()[1:]):  # every page but this one
    with columns[i % 3]:
        st.page_link(page, query_params=ui.lang_params())

st.subheader(ui.t("start.examples_heading"))
for title_key, code in (("start.example_twekkelerveld", "BU01530301"), ("start.example_broekheurne", "BU01530905")):
    name = ui.data().names().get(code, code)
    st.markdown(f"**{ui.t(title_key)}** — {name} ({code})")
    left, right = st.columns(2)
    with left:
        st.page_link(
            ui.page("kaart"),
            label=ui.t("start.on_map"),
            icon=":material/map:",
            query_params={"niveau": "buurt", "gebied": code, **ui.lang_params()},
        )
    with right:
        st.page_link(
            ui.page("profiel"),
            label=ui.t("start.profile"),
            icon=":material/description:",
            query_params={"gebied": code, **ui.lang_params()},
        )

st.info(ui.t("start.missing_note"))
