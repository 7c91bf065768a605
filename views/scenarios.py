"""Scenarios: try measures on an area and see their effects on the figures, the map and the priorities.

The arithmetic lives in :mod:`enschede_gis.scenarios`, what the page shows in
:mod:`enschede_gis.scenario_views`, and the scenario being edited (kept in session state as typed
measures, saved in the database, downloaded and loaded as JSON) in :mod:`enschede_gis.scenario_editor`.
Only the open tab of the effects is computed.
"""

from __future__ import annotations

import json

import streamlit as st

import app_state as ui
from enschede_gis import boundaries, db
from enschede_gis import priorities as pr
from enschede_gis import scenario_editor as ed
from enschede_gis import scenario_views as sv
from enschede_gis import scenarios as sc
from views._scenario_measures import measure_form, measure_list, ok

PROFILE_KEY = "prio_current_profile"  # set by views/prioriteiten.py
MAP_HEIGHT = 520
TABS = ("before_after", "map", "priorities", "compare")


@st.cache_data(show_spinner=False, max_entries=8)
def _baselines(gemeente: str, catalogue_keys: tuple[str, ...], data_version: str) -> dict[int, sc.Baseline]:
    """The baselines of every year, the same for every visitor until the data change."""
    return sv.baselines(ui.data(), ui.catalogue(), gemeente)


@st.cache_data(show_spinner=False, max_entries=64)
def _outcome(scenario: str, gemeente: str, catalogue_keys: tuple[str, ...], data_version: str, members: str):
    """A scenario (as JSON) run on its baseline, with its buurt differences: the same for every visit
    until the scenario, the data or a custom area it names changes (each is part of the key)."""
    found = sc.from_json(scenario)
    buurten = boundaries.for_gemeente(ui.data(), "buurt", gemeente)
    areas = sc.resolve_areas(found, buurten, json.loads(members))
    base = _baselines(gemeente, catalogue_keys, data_version)[found.year]
    outcome = sc.run(found, base, ui.catalogue(), areas)
    _ = outcome.differences  # computed here, so it is kept in the cache with the outcome
    return outcome


def _run(scenario: sc.Scenario) -> sc.Outcome:
    keys = tuple(catalogue.indicators)
    return _outcome(sc.to_json(scenario), gemeente, keys, ui.data_version(), json.dumps(members, sort_keys=True))


def _default_name() -> str:
    return ui.t("scenarios.default_name")


def _on_pick() -> None:
    ed.picked(st.session_state, default_name=_default_name(), version_of=_version_of)


def _version_of(name: str) -> int | None:
    return sc.scenario_version(db.engine(), name)


def _file_actions(draft: sc.Scenario) -> None:
    eng, actor = db.engine(), ui.actor()
    loaded = st.session_state.get(ed.LOADED)
    cols = st.columns(4)
    if cols[0].button(ui.t("scenarios.save"), type="primary", key="scen_save") and ok(
        lambda: ed.save(st.session_state, eng, draft, actor=actor)
    ):
        st.rerun()
    if (
        loaded
        and cols[1].button(ui.t("scenarios.duplicate"), key="scen_dup")
        and ok(lambda: ed.duplicate(st.session_state, eng, draft, actor=actor))
    ):
        st.rerun()
    if (
        loaded
        and cols[2].button(ui.t("scenarios.delete"), key="scen_del")
        and ok(lambda: ed.delete(st.session_state, eng, actor=actor))
    ):
        st.rerun()
    cols[3].download_button(  # the file is made only when the button is clicked
        ui.t("scenarios.download"),
        lambda: sc.to_json(draft),
        file_name=sc.file_name(draft.name),
        mime="application/json",
        key="scen_download",
        on_click="ignore",
    )


def _upload() -> None:
    upload = st.file_uploader(ui.t("scenarios.upload"), type=["json"], key="scen_upload")
    if (
        upload is not None
        and ed.is_new_file(st.session_state, upload.file_id)
        and ok(lambda: ed.load_file(st.session_state, upload.getvalue(), upload.name))
    ):
        st.rerun()


def _before_after(outcome: sc.Outcome) -> None:
    candidates = sv.before_after_areas(outcome, buurten_frame, members, gemeente, options)
    area = st.selectbox(ui.t("scenarios.col.area"), candidates, format_func=options.get, key="scen_ba_area")
    codes = sc.area_members(area, buurten_frame, members)
    shown, keys = sv.before_after_table(outcome, catalogue, area, codes, lang)
    st.dataframe(shown, hide_index=True, width="stretch")
    ui.explain_picker([catalogue[k] for k in keys], key="scen_explain")


def _difference_map(outcome: sc.Outcome) -> None:
    key = st.selectbox(
        ui.t("scenarios.map_indicator"),
        sv.shown_indicators(outcome, catalogue),
        format_func=lambda k: catalogue[k].label(lang),
        key="scen_map_ind",
    )
    ui.explain_button(catalogue[key], level="buurt", key="scen_map_explain")
    view = sc.difference_view(outcome, key, ui.map_asset("buurt"), catalogue, lang)
    ui.area_map(view, key="scen_map", height=MAP_HEIGHT)
    st.caption(ui.t("scenarios.map_note", year=outcome.baseline.year))


def _rerank(outcome: sc.Outcome) -> None:
    stored = []
    ok(lambda: stored.extend(pr.load_profiles()))
    profiles = sv.profiles(st.session_state.get(PROFILE_KEY), stored, outcome.baseline, catalogue, lang)
    if not profiles:
        st.info(ui.t("scenarios.no_profiles", year=outcome.baseline.year))
        return
    cols = st.columns([3, 1])
    choice = cols[0].selectbox(ui.t("scenarios.profile"), list(profiles), key="scen_profile")
    level = cols[1].radio(
        ui.t("common.level"), sv.RANK_LEVELS, format_func=ui.labeller("level"), horizontal=True, key="scen_rank_level"
    )
    if choice is None:
        return
    groups, focus = sv.rank_groups(outcome, buurten_frame, level)
    found = []
    if not ok(lambda: found.append(sc.rerank(outcome, profiles[choice], catalogue, groups))):
        return
    metrics = sv.rank_metrics(found[0], focus, names, lang)
    for col, metric in zip(st.columns(max(1, len(metrics))), metrics, strict=False):
        col.metric(metric.label, metric.value, delta=metric.delta, help=metric.help)
    st.dataframe(sv.rank_table(found[0], names, lang), width="stretch", height=360)
    st.caption(ui.t("scenarios.rank_note"))


def _compare(draft: sc.Scenario) -> None:
    stored = [s.name for s in saved]
    if not stored:
        st.info(ui.t("scenarios.compare_none"))
        return
    picked = st.multiselect(
        ui.t("scenarios.compare_pick"),
        stored,
        default=sv.compare_default(stored, draft.name),
        max_selections=sc.MAX_SIDE_BY_SIDE,
        key="scen_cmp",
        placeholder=ui.choose(),
    )
    area = st.selectbox(
        ui.t("scenarios.compare_area"),
        list(options),
        format_func=options.get,
        key="scen_cmp_area",
        index=list(options).index(gemeente) if gemeente in options else 0,
    )
    if not picked:
        return
    codes = sc.area_members(area, buurten_frame, members)
    found = []
    if ok(
        lambda: found.append(
            sv.compare_table(
                sv.compare_outcomes(saved, picked, list(baselines), _run),
                catalogue,
                area,
                codes,
                lang,
            )
        )
    ):
        st.dataframe(found[0], width="stretch")


@st.fragment
def _effects(outcome: sc.Outcome, draft: sc.Scenario) -> None:
    """The effects in tabs. Only the open tab is computed; opening another, or a widget in one,
    reruns only this part of the page (a fragment), with the outcome of the last full run."""
    tabs = ui.tabs([f"scenarios.tab.{tab}" for tab in TABS], key="scen_tab")
    show = (_before_after, _difference_map, _rerank, lambda _outcome: _compare(draft))
    for tab, part in zip(tabs, show, strict=True):
        with tab:
            if tab.open:
                part(outcome)


# ---- page ------------------------------------------------------------------------------------------
lang = ui.lang()
gemeente = ui.gemeente()
with ui.user_errors():
    snap = ui.data()
    catalogue = ui.catalogue()
    names = snap.names()
    baselines = _baselines(gemeente, tuple(catalogue.indicators), ui.data_version())
    buurten_frame = boundaries.for_gemeente(snap, "buurt", gemeente)
    selectable = ui.selectable_areas()  # the gemeente, wijken, buurten and custom areas, as on other pages
    options = {area.key: ui.area_label(area) for area in selectable}
    plain_names = {area.key: area.label for area in selectable}
    members = sv.custom_members(selectable)
saved, problems = sc.load_scenarios()
ed.start(st.session_state, saved, default_name=_default_name(), version_of=_version_of)

st.title(ui.t("scenarios.title"))
st.caption(ui.t("scenarios.intro"))
if ed.FLASH in st.session_state:
    flash, values = st.session_state.pop(ed.FLASH)
    st.success(ui.t(flash, **{k: ui.escape(v) for k, v in values.items()}))
for problem in problems:
    st.warning(ui.t("scenarios.problems") + " " + ui.error_text(problem))

top = st.columns([2, 2])
top[0].selectbox(
    ui.t("scenarios.pick"),
    [ed.NEW, *(s.name for s in saved)],
    format_func=ui.labeller("scenarios", {ed.NEW: "new"}, keep=True),
    on_change=_on_pick,
    key=ed.PICK,
)
with top[1]:
    _upload()

years = sorted(baselines, reverse=True)
asked = ed.choose_year(st.session_state, years)
if asked is not None:  # e.g. a loaded file names a year without buurt counts: say what replaced it
    replaced = {"asked": asked, "year": st.session_state["scen_year"], "years": ", ".join(map(str, years))}
    st.warning(ui.t("scenarios.year_replaced", **replaced))
cols = st.columns([2, 1])
cols[0].text_input(ui.t("scenarios.name"), key="scen_name")
year = cols[1].selectbox(ui.t("scenarios.year"), years, key="scen_year")
st.text_area(ui.t("scenarios.description"), key="scen_desc", height=68)
baseline = baselines[year]
for note in sv.baseline_notes(baseline, lang):
    st.caption(note)

st.subheader(ui.t("scenarios.measures"))
measure_list(plain_names, catalogue)
with st.expander(ui.t("scenarios.add"), expanded=not st.session_state[ed.MEASURES]):
    measure_form(options, baseline, catalogue)

with ui.user_errors():
    draft = ed.draft(st.session_state, default_name=_default_name())
_file_actions(draft)

if not draft.measures:
    st.stop()
st.subheader(ui.t("scenarios.effects"))
with ui.user_errors():
    outcome = _run(draft)
for note in outcome.notes:
    st.info(ui.t(f"scenarios.notes.{note}"))
_effects(outcome, draft)
