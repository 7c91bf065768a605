"""Custom areas: define, list, edit and delete named groups of buurten."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import app_state as ui
from enschede_gis import areas, db, staticmap
from enschede_gis.boundaries import for_gemeente

NEW = "__new__"


@st.cache_data(show_spinner=False, max_entries=32)
def _preview(codes: tuple[str, ...], gemeente: str) -> bytes:
    return staticmap.area_map(ui.data(), codes, gemeente=gemeente, size_in=4, dpi=80)


st.title(ui.t("gebieden.title"))
st.caption(ui.t("gebieden.intro"))
flash = st.session_state.pop("gebieden_flash", None)
if flash:
    st.success(flash)

snap = ui.data()
with ui.user_errors():
    buurten = for_gemeente(snap, "buurt", ui.gemeente())
    eng = db.engine()
    stored = [a for a in areas.load_areas(eng) if a.gemeente == ui.gemeente()]
names = dict(zip(buurten["code"], buurten["name"], strict=True))

st.subheader(ui.t("gebieden.existing"))
if stored:
    st.dataframe(
        pd.DataFrame(
            {
                ui.t("common.name"): [a.name for a in stored],
                ui.t("gebieden.col_count"): [len(a.codes) for a in stored],
                ui.t("gebieden.col_buurten"): [", ".join(names.get(c, c) for c in a.codes) for a in stored],
                ui.t("gebieden.col_description"): [a.description for a in stored],
            }
        ),
        hide_index=True,
    )
else:
    st.info(ui.t("gebieden.none"))

by_name = {a.name: a for a in stored}
choice = st.selectbox(
    ui.t("gebieden.edit_choice"),
    [NEW, *by_name],
    format_func=lambda n: ui.t("gebieden.new") if n == NEW else n,
    key="gebieden_choice",
    on_change=ui.forget_edit_versions,
    args=("areas",),
)
editing = by_name.get(choice)
loaded = ui.edit_version("areas", editing.name) if editing else None

form_version = st.session_state.get("gebieden_form_version", 0)
with st.form(f"gebieden_form_{choice}_{form_version}"):
    name = st.text_input(ui.t("gebieden.name"), value=editing.name if editing else "", max_chars=80)
    codes = st.multiselect(
        ui.t("gebieden.buurten"),
        list(names),
        default=list(editing.codes) if editing else [],
        format_func=lambda c: f"{names[c]} ({c})",
        placeholder=ui.choose(),
    )
    description = st.text_area(ui.t("gebieden.description"), value=editing.description if editing else "")
    submitted = st.form_submit_button(ui.t("gebieden.save"), type="primary")

if submitted:
    with ui.user_errors():
        area = areas.parse_area(name, codes, description)
        areas.save_area(
            eng, area, set(names), actor=ui.actor(), replace=editing.name if editing else None, expected=loaded
        )
    ui.forget_edit_versions("areas")
    st.session_state["gebieden_saved"] = area.key
    st.session_state["gebieden_flash"] = ui.t("gebieden.saved", name=ui.escape(area.name))
    st.session_state["gebieden_form_version"] = form_version + 1
    st.session_state.pop("gebieden_choice", None)
    st.rerun()

saved = st.session_state.get("gebieden_saved")
if saved:
    ui.page_link(ui.page("profiel"), ui.t("gebieden.open_profile"), gebied=saved, **ui.lang_params())

if editing:
    st.image(_preview(editing.codes, ui.gemeente()), caption=ui.t("gebieden.preview"), width=320)
    if st.button(ui.t("gebieden.delete"), key="gebieden_delete"):
        with ui.user_errors():
            areas.delete_area(eng, editing.name, actor=ui.actor(), expected=loaded)
        ui.forget_edit_versions("areas")
        st.session_state.pop("gebieden_saved", None)
        st.session_state.pop("gebieden_choice", None)
        st.session_state["gebieden_flash"] = ui.t("gebieden.deleted", name=ui.escape(editing.name))
        st.rerun()
