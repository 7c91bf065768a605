"""Compare two to four areas side by side on the same figures."""

from __future__ import annotations

from functools import partial

import streamlit as st

import app_state as ui
from enschede_gis import export, profile
from enschede_gis import profile_view as view

st.title(ui.t("vergelijken.title"))
st.caption(ui.t("vergelijken.intro"))

snap = ui.data()
catalogue = ui.catalogue()
with ui.user_errors():
    areas = ui.selectable_areas()
by_key = {a.key: a for a in areas}
keys = list(by_key)
wijken = [a.key for a in areas if a.kind == "wijk"]
asked_areas = [k for k in (ui.param("gebieden") or "").split(",") if k]
from_url = [k for k in asked_areas if k in by_key]
if "vergelijken_areas" not in st.session_state and len(from_url) < len(asked_areas):
    ui.url_not_followed(", ".join(k for k in asked_areas if k not in by_key))
default = from_url or [ui.gemeente(), *wijken[:1]]

chosen = st.multiselect(
    ui.t("vergelijken.areas"),
    keys,
    default=default[: profile.MAX_COMPARE],
    format_func=ui.area_labeller(by_key),
    max_selections=profile.MAX_COMPARE,
    key="vergelijken_areas",
    placeholder=ui.choose(),
)
years = (
    profile.area_years(snap, by_key[ui.gemeente()])
    if not chosen
    else sorted(set.intersection(*(set(profile.area_years(snap, by_key[k])) for k in chosen)))
)
year_options = [profile.LATEST, *reversed(years)]
year = st.selectbox(
    ui.t("profiel.year"),
    year_options,
    index=ui.url_index("jaar", year_options, label=partial(view.year_label, lang=ui.lang())),
    format_func=partial(view.year_label, lang=ui.lang()),
    help=ui.t("profiel.latest_help"),
    key="vergelijken_year",
)
ui.set_params(gebieden=",".join(chosen) or None, jaar=None if profile.is_latest(year) else year)

if len(chosen) < 2:
    st.info(ui.t("vergelijken.choose"))
    st.stop()

with ui.user_errors():
    table = profile.compare(
        snap, catalogue, [by_key[k] for k in chosen], year=year, lang=ui.lang(), gemeente=ui.gemeente()
    )

themes = list(dict.fromkeys(table["theme_label"]))
shown_themes = st.multiselect(
    ui.t("vergelijken.themes"), themes, default=themes, key="vergelijken_themes", placeholder=ui.choose()
)
st.caption(ui.t("vergelijken.caption"))
shown_keys = table.loc[table["theme_label"].isin(shown_themes), "indicator"]
ui.explain_picker([catalogue[k] for k in shown_keys], key="vergelijken_explain")
labels = [by_key[k].label for k in chosen]
for theme in shown_themes:
    part = table[table["theme_label"] == theme]
    st.markdown(f"**{ui.escape(theme)}**")
    st.dataframe(
        part[["label", *labels]].rename(columns={"label": ui.t("common.indicator")}), hide_index=True, width="stretch"
    )

download = table.rename(columns={"theme_label": ui.t("export.col_theme"), "label": ui.t("common.indicator")})
st.download_button(
    ui.t("vergelijken.download_csv"),
    data=partial(export.to_csv, download.drop(columns=["indicator"]), ui.lang()),  # built when clicked
    file_name=f"vergelijking_{ui.t('profiel.latest_file') if profile.is_latest(year) else year}.csv",
    mime="text/csv",
    on_click="ignore",
    key="vergelijken_csv",
)
