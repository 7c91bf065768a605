"""The coordination register: planned works and projects, a timeline per area, and conflicts on a map.

Projects that touch the same buurt in overlapping periods are flagged so, for example, one street is
not opened twice. Areas are buurt/wijk codes, a custom area, or a polygon drawn by clicking corners
on the map (offline: no drawing plug-in needed).
"""

from __future__ import annotations

from datetime import date, timedelta

import geopandas as gpd
import pandas as pd
import streamlit as st

import app_state as ui
from enschede_gis import areas as custom_areas
from enschede_gis import boundaries, db, webmap
from enschede_gis import projects as proj
from enschede_gis.errors import WijkbeeldError

DRAW_KEY = "_projecten_vertices"
DRAW_MAP = "projecten_draw_map"


@st.cache_resource(show_spinner=False)
def _buurten(gemeente: str) -> gpd.GeoDataFrame:
    return boundaries.for_gemeente(ui.data(), "buurt", gemeente)


def _custom() -> dict[str, list[str]]:
    with ui.user_errors():
        return {a.name: list(a.codes) for a in custom_areas.load_areas()}


# ---- drawing a polygon by clicking corners ----------------------------------------------------------


@st.fragment
def _draw_map() -> None:
    """Each click on the map adds a corner (checked inside the gemeente by the package). A fragment:
    a click reruns only the map and its caption; the form reads the corners when it is sent."""
    click = ui.new_place(DRAW_MAP)
    if click is not None:
        try:
            corners = st.session_state.get(DRAW_KEY, [])
            st.session_state[DRAW_KEY] = proj.add_corner(corners, click.lat, click.lon, buurten)
        except WijkbeeldError as exc:  # said; the corners so far stay
            st.error(ui.error_text(exc))
    corners = st.session_state.get(DRAW_KEY, [])
    view = webmap.with_marks(
        webmap.plain_view(ui.map_asset("buurt"), lang=lang), shape=[(lat, lon) for lon, lat in corners], pick=True
    )
    ui.area_map(view, key=DRAW_MAP, height=460)
    cols = st.columns([3, 1])
    cols[0].caption(ui.t("projecten.draw_help", count=len(corners)))
    if cols[1].button(ui.t("projecten.draw_clear"), key="projecten_draw_clear"):
        st.session_state[DRAW_KEY] = []
        st.rerun(scope="fragment")


# ---- add / edit -------------------------------------------------------------------------------------


def _area_inputs(current: proj.Project | None, names: dict[str, str], custom: dict[str, list[str]]) -> dict:
    kinds = ["codes", "custom", "polygon"]
    now = "codes"
    if current is not None:
        now = "custom" if current.area.custom else "polygon" if current.area.polygon else "codes"
    kind = st.radio(
        ui.t("projecten.area_kind_label"),
        kinds,
        index=kinds.index(now),
        format_func=ui.labeller("projecten.area_kind"),
        horizontal=True,
        key="projecten_area_kind",
    )
    if kind == "codes":
        codes = st.multiselect(
            ui.t("projecten.area_codes"),
            list(names),
            default=[c for c in (current.area.codes if current else ()) if c in names],
            format_func=lambda c: f"{names[c]} ({c})",
            key="projecten_codes",
            placeholder=ui.choose(),
        )
        return {"codes": codes}
    if kind == "custom":
        if not custom:
            st.info(ui.t("projecten.no_custom"))
            return {"custom": None}
        options = sorted(custom)
        start = current.area.custom if current and current.area.custom in custom else options[0]
        return {"custom": st.selectbox(ui.t("projecten.area_custom"), options, index=options.index(start))}
    if current is not None and current.area.polygon and not st.session_state.get(DRAW_KEY):
        st.session_state[DRAW_KEY] = [list(xy) for xy in current.area.polygon["coordinates"][0][:-1]]
    _draw_map()
    return {"polygon": proj.drawn_polygon(st.session_state.get(DRAW_KEY, []))}


def _project_form(current: proj.Project | None, names: dict[str, str], custom: dict[str, list[str]]) -> None:
    area = _area_inputs(current, names, custom)
    with st.form("projecten_form", clear_on_submit=current is None):
        title = st.text_input(ui.t("projecten.col.title"), current.title if current else "", max_chars=200)
        cols = st.columns(2)
        domain = cols[0].selectbox(
            ui.t("projecten.col.domain"),
            proj.DOMAINS,
            index=proj.DOMAINS.index(current.domain) if current else 0,
            format_func=ui.labeller("projecten.domain"),
        )
        responsible = cols[1].text_input(
            ui.t("projecten.col.responsible"), current.responsible if current else "", max_chars=200
        )
        contact = st.text_input(ui.t("projecten.col.contact"), current.contact if current else "", max_chars=200)
        cols = st.columns(2)
        start = cols[0].date_input(
            ui.t("projecten.col.start"), current.start if current else date.today(), format="DD-MM-YYYY"
        )
        end = cols[1].date_input(
            ui.t("projecten.col.end"),
            current.end if current else date.today() + timedelta(days=30),
            format="DD-MM-YYYY",
        )
        if not st.form_submit_button(ui.t("projecten.save"), type="primary"):
            return
    fields = dict(title=title, domain=domain, responsible=responsible, contact=contact, start=start, end=end)
    with ui.user_errors():
        area = {k: v for k, v in area.items() if v}
        project = proj.make_project(**fields, area=area, **({"id": current.id} if current else {}))
        proj.footprint(project.area, _buurten(ui.gemeente()), custom)
        loaded = ui.edit_version("projects", current.id) if current else None
        proj.save(eng, project, actor=ui.actor(), expected=loaded)
    ui.forget_edit_versions("projects")
    st.session_state[DRAW_KEY] = []
    st.success(ui.t("projecten.saved", title=ui.escape(project.title)))


def _edit(items: list[proj.Project], names: dict[str, str], custom: dict[str, list[str]]) -> None:
    by_id = {p.id: p for p in items}
    options = ["", *by_id]
    chosen = st.selectbox(
        ui.t("projecten.edit_choose"),
        options,
        format_func=lambda i: ui.t("projecten.new") if i == "" else f"{by_id[i].title} ({by_id[i].start:%d-%m-%Y})",
        key="projecten_edit",
        on_change=ui.forget_edit_versions,
        args=("projects",),
    )
    current = by_id.get(chosen)
    if current is not None:
        ui.edit_version("projects", current.id)  # the version this user edits from
    _project_form(current, names, custom)
    if current is not None and st.button(ui.t("projecten.delete"), key="projecten_delete"):
        with ui.user_errors():
            proj.remove(eng, current.id, actor=ui.actor(), expected=ui.edit_version("projects", current.id))
        ui.forget_edit_versions("projects")
        st.session_state.pop("projecten_edit", None)
        st.rerun()


def _import(custom: dict[str, list[str]]) -> None:
    st.caption(ui.t("projecten.import_help"))
    upload = st.file_uploader(ui.t("projecten.import_file"), type=["csv", "xlsx"], key="projecten_upload")
    if upload is None:
        return
    with ui.user_errors():
        table = proj.read_table(upload.getvalue(), upload.name)
        found = proj.parse_rows(table, buurten=_buurten(ui.gemeente()), custom=custom)
    with ui.user_errors():
        new, skipped = proj.only_new(found, proj.load_all(eng))
    st.success(ui.t("projecten.import_ok", count=len(found)))
    if skipped:
        st.info(ui.t("projecten.import_skipped", count=skipped))
    if new and st.button(ui.t("projecten.import_go"), type="primary", key="projecten_import_go"):
        with ui.user_errors():
            proj.save(eng, new, actor=ui.actor())
        st.success(ui.t("projecten.imported", count=len(new)))


def _register(items: list[proj.Project], found: pd.DataFrame, names: dict[str, str]) -> None:
    if items:
        table = proj.register_table(items, found, names, proj.stamps(eng), lang)
        st.dataframe(table, hide_index=True, width="stretch")
    else:
        st.info(ui.t("projecten.empty"))


# ---- timeline and conflicts -------------------------------------------------------------------------


def _timeline(items, prints, found) -> None:
    options = ui.selectable_areas()
    by_key = {a.key: a for a in options}
    keys = list(by_key)
    area_key = st.selectbox(
        ui.t("projecten.timeline_area"),
        keys,
        index=ui.choice_index(keys, ui.param("gebied")),
        format_func=ui.area_labeller(by_key),
        key="projecten_area",
    )
    ui.set_params(gebied=area_key)
    near = proj.touching(items, prints, by_key[area_key].codes)
    if not near:
        st.info(ui.t("projecten.none_in_area"))
        return
    st.altair_chart(proj.timeline_chart(near, found, lang), width="stretch")


def _conflicts(found: pd.DataFrame, names: dict[str, str]) -> None:
    overlaps = found[found["kind"] == "overlap"]
    adjacent = found[found["kind"] == "adjacent"]
    if overlaps.empty:
        st.success(ui.t("projecten.no_conflicts"))
    else:
        st.warning(ui.t("projecten.conflicts_found", count=len(overlaps)))
    shown = proj.conflicts_table(found, names, lang)
    if not shown.empty:
        st.dataframe(shown, hide_index=True, width="stretch")
    if not adjacent.empty:
        st.caption(ui.t("projecten.adjacent_help"))
    ui.area_map(proj.conflict_view(found, ui.map_asset("buurt"), lang), key="projecten_conflict_map", height=520)


lang = ui.lang()
with ui.user_errors():
    eng = db.engine()
    items = proj.load_all(eng)
    buurten = _buurten(ui.gemeente())
custom = _custom()
names = dict(zip(buurten["code"].astype(str), buurten["name"].astype(str), strict=True))
prints = proj.footprints(items, buurten, custom)
found = proj.conflicts(items, prints)

st.title(ui.t("projecten.title"))
st.caption(ui.t("projecten.intro"))
VIEWS = {
    "register": lambda: _register(items, found, names),
    "timeline": lambda: _timeline(items, prints, found),
    "conflicts": lambda: _conflicts(found, names),
    "edit": lambda: _edit(items, names, custom),
    "import": lambda: _import(custom),
}
# One view at a time (not st.tabs): a Leaflet map in a hidden tab cannot size itself.
views = list(VIEWS)
view = (
    st.segmented_control(
        ui.t("projecten.view"),
        views,
        default=views[ui.choice_index(views, ui.param("weergave"))],
        format_func=ui.labeller("projecten.tab"),
        key="projecten_view",
        label_visibility="collapsed",
    )
    or views[0]
)
ui.set_params(weergave=None if view == views[0] else view)
VIEWS[view]()
st.caption(ui.t("inbreng.stored_in", where=ui.escape(db.describe(eng))) + f" · {ui.t('app.attribution')}")
