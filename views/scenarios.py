"""Scenarios: try measures on an area and see their effects on the figures, the map and the priorities.

All arithmetic lives in :mod:`enschede_gis.scenarios`. The scenario being edited is kept in session
state as typed measures; it is saved in the database and can be downloaded and loaded as JSON.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import app_state as ui
from enschede_gis import boundaries, db, figures, statistics
from enschede_gis import priorities as pr
from enschede_gis import scenarios as sc
from enschede_gis.errors import WijkbeeldError

PROFILE_KEY = "prio_current_profile"  # set by views/prioriteiten.py
MEASURES_KEY = "scen_measures"
RESET_FORM_KEY = "_scen_reset_form"  # set when a measure was added: the next run starts an empty form
NEW = "__new__"
MAP_HEIGHT = 520
LEVELS = ["buurt", "wijk"]


@st.cache_data(show_spinner=False)
def _baselines(gemeente: str, catalogue_keys: tuple[str, ...]) -> dict[int, sc.Baseline]:
    """A baseline per year that has inhabitants and households per buurt."""
    snap, cat = ui.data(), ui.catalogue()
    tables = {
        year: figures.buurt_table(snap, year=year, gemeente=gemeente) for year in statistics.years(snap.statistics)
    }
    land = figures.land_area(snap)
    return {year: sc.baseline(tables[year], cat, year=year, land_area=land) for year in sc.baseline_years(tables)}


def _shown(action) -> object:
    """Run an action; a package error is shown as one message and the page carries on."""
    try:
        return action()
    except WijkbeeldError as exc:
        st.error(ui.error_text(exc))
        return None


def _ok(action) -> bool:
    """Run an action; True when it worked, else its package error is shown as one message."""
    try:
        action()
    except WijkbeeldError as exc:
        st.error(ui.error_text(exc))
        return False
    return True


def _reset_measure_form() -> None:
    """Empty the measure form: a note, basis or age mix belongs to one measure, never to the next
    (nor to a measure in another scenario). Called before the form's widgets are drawn."""
    for key in ("scen_note", "scen_basis", "scen_use_mix", *(f"scen_mix_{g}" for g in sc.AGE_GROUPS)):
        st.session_state.pop(key, None)


def _load_into_editor(scenario: sc.Scenario | None, loaded: str | None) -> None:
    _reset_measure_form()
    st.session_state[MEASURES_KEY] = list(scenario.measures) if scenario else []
    st.session_state["scen_name"] = scenario.name if scenario else ui.t("scenarios.default_name")
    st.session_state["scen_desc"] = scenario.description if scenario else ""
    if scenario is not None:
        st.session_state["scen_year"] = scenario.year
    st.session_state["scen_loaded"] = loaded
    # The version this user edits from: a save is refused when someone else saved it since.
    st.session_state["scen_loaded_version"] = sc.scenario_version(db.engine(), loaded) if loaded else None


def _on_pick() -> None:
    name = st.session_state.get("scen_pick")
    found = next((s for s in st.session_state.get("_scen_saved", []) if s.name == name), None)
    _load_into_editor(found, found.name if found else None)


def _measure_form(options: dict[str, str], baseline: sc.Baseline) -> None:
    """Choose a kind of measure, fill in its fields, add it to the scenario."""
    if st.session_state.pop(RESET_FORM_KEY, False):
        _reset_measure_form()
    kinds = ["new_dwellings", "demolition", "direct_assumption"]
    kind = st.radio(
        ui.t("scenarios.type_label"),
        kinds,
        format_func=ui.labeller("scenarios.type"),
        horizontal=True,
        key="scen_kind",
    )
    # outside the form, so that ticking it shows the age fields at once
    use_mix = kind != "direct_assumption" and st.checkbox(ui.t("scenarios.use_age_mix"), key="scen_use_mix")
    with st.form("scen_add", clear_on_submit=False):
        area = st.selectbox(
            ui.t("scenarios.area"),
            list(options),
            format_func=options.get,
            help=ui.t("scenarios.area_help"),
            key="scen_area",
        )
        fields: dict[str, object] = {}
        if kind == "direct_assumption":
            usable = [
                ind.key for ind in catalogue if ind.key in baseline.table and baseline.table[ind.key].notna().any()
            ]
            fields["indicator"] = st.selectbox(
                ui.t("scenarios.indicator"), usable, format_func=lambda k: catalogue[k].label(lang), key="scen_ind"
            )
            change = st.radio(
                ui.t("scenarios.change_kind"),
                ["delta", "new_value"],
                format_func=ui.labeller("scenarios.change"),
                key="scen_change",
            )
            fields[change] = st.number_input(ui.t("scenarios.amount"), value=0.0, step=1.0, key="scen_amount")
        else:
            fields["dwellings"] = st.number_input(ui.t("scenarios.dwellings"), 1, 100_000, 100, 10, key="scen_dw")
            fields["household_size"] = st.number_input(
                ui.t("scenarios.household_size"), 0.1, 10.0, 2.0, 0.1, key="scen_hh"
            )
            if use_mix:
                cols = st.columns(len(sc.AGE_GROUPS))
                fields["age_mix"] = {
                    group: col.number_input(
                        ui.t("scenarios.age_share", group=_age_label(group)),
                        0.0,
                        100.0,
                        20.0,
                        5.0,
                        key=f"scen_mix_{group}",
                    )
                    for group, col in zip(sc.AGE_GROUPS, cols, strict=True)
                }
        basis = st.radio(
            ui.t("scenarios.basis_label"),
            ["assumption", "evidence"],
            format_func=ui.labeller("scenarios.basis"),
            horizontal=True,
            key="scen_basis",
        )
        note = st.text_input(ui.t("scenarios.note"), key="scen_note")
        if st.form_submit_button(ui.t("scenarios.add_button")):
            measure = _shown(lambda: sc.make_measure(kind, area=area, basis=basis, note=note, **fields))
            if measure is not None:
                st.session_state[MEASURES_KEY] = [*st.session_state[MEASURES_KEY], measure]
                st.session_state[RESET_FORM_KEY] = True
                st.rerun()


def _age_label(group: str) -> str:
    return group.removeprefix("leeftijd_").replace("_plus", "+").replace("_", "–")


def _measure_list(options: dict[str, str]) -> None:
    measures = st.session_state[MEASURES_KEY]
    if not measures:
        st.info(ui.t("scenarios.no_measures"))
    for number, measure in enumerate(measures, start=1):
        label = plain_names.get(measure.area, measure.area)
        with st.container(border=True):
            st.markdown(
                "**"
                + ui.t(
                    "scenarios.measure_title",
                    number=number,
                    type=ui.t(f"scenarios.type.{measure.type}"),
                    area=ui.escape(label),
                )
                + "**"
            )
            st.text(sc.formula(measure, catalogue, lang, label))
            if measure.note:
                st.text(f"{ui.t('scenarios.note')}: {measure.note}")
            if st.button(ui.t("scenarios.remove"), key=f"scen_rm_{number}"):
                st.session_state[MEASURES_KEY] = [m for i, m in enumerate(measures, start=1) if i != number]
                st.rerun()


def _baseline_notes(baseline: sc.Baseline) -> None:
    st.caption(ui.t("scenarios.year_note", year=baseline.year))
    if baseline.derived:
        st.caption(ui.t("scenarios.derived_note", year=baseline.year) + " " + "; ".join(baseline.derived.values()))
    if not any(g in baseline.table and baseline.table[g].notna().any() for g in sc.AGE_GROUPS):
        st.caption(ui.t("scenarios.no_ages", year=baseline.year))


def _file_actions(draft: sc.Scenario, saved: list[sc.Scenario]) -> None:
    loaded = st.session_state.get("scen_loaded")
    version = st.session_state.get("scen_loaded_version")
    eng, actor = db.engine(), ui.actor()
    cols = st.columns(4)
    save = cols[0].button(ui.t("scenarios.save"), type="primary", key="scen_save")
    new_version = []
    if save and _ok(
        lambda: new_version.append(sc.save_scenario(eng, draft, actor=actor, replace=loaded, expected=version))
    ):
        st.session_state["scen_loaded"] = draft.name
        st.session_state["scen_loaded_version"] = new_version[0]
        st.session_state["_scen_flash"] = ui.t("scenarios.saved", name=ui.escape(draft.name))
        st.session_state["_scen_pick_next"] = draft.name
        st.rerun()
    if loaded and cols[1].button(ui.t("scenarios.duplicate"), key="scen_dup"):
        copy = draft.model_copy(update={"name": sc.copy_name(draft.name, [s.name for s in saved])})
        if _ok(lambda: sc.save_scenario(eng, copy, actor=actor)):
            st.session_state["_scen_pending"] = (copy, copy.name)
            st.session_state["_scen_pick_next"] = copy.name
            st.rerun()
    delete = bool(loaded) and cols[2].button(ui.t("scenarios.delete"), key="scen_del")
    if delete and _ok(lambda: sc.delete_scenario(eng, loaded, actor=actor, expected=version)):
        st.session_state["_scen_pending"] = (None, None)
        st.session_state["_scen_pick_next"] = NEW
        st.rerun()
    cols[3].download_button(
        ui.t("scenarios.download"),
        sc.to_json(draft),
        file_name=sc.file_name(draft.name),
        mime="application/json",
        key="scen_download",
    )


def _upload() -> None:
    upload = st.file_uploader(ui.t("scenarios.upload"), type=["json"], key="scen_upload")
    if upload is None or st.session_state.get("_scen_upload_id") == upload.file_id:
        return
    st.session_state["_scen_upload_id"] = upload.file_id
    scenario = _shown(lambda: sc.from_json(upload.getvalue(), source=upload.name))
    if scenario is not None:
        st.session_state["_scen_pending"] = (scenario, None)
        st.session_state["_scen_flash"] = ui.t(
            "scenarios.uploaded", name=ui.escape(scenario.name), file=ui.escape(upload.name)
        )
        st.session_state["_scen_pick_next"] = NEW
        st.rerun()


def _before_after(outcome: sc.Outcome, options: dict[str, str], members: dict[str, list[str]]) -> None:
    buurten = snap.boundaries["buurt"]
    candidates = list(outcome.touched)
    candidates += sorted({str(w) for w in buurten.loc[buurten["code"].isin(outcome.touched), "wijkcode"]})
    touched = set(outcome.touched)
    candidates += [gemeente] + [sc.CUSTOM_PREFIX + name for name, codes in members.items() if touched & set(codes)]
    candidates = [c for c in dict.fromkeys(candidates) if c in options]
    area = st.selectbox(ui.t("scenarios.col.area"), candidates, format_func=options.get, key="scen_ba_area")
    codes = sc.area_members(area, buurten, members)
    keys = sc.changed_indicators(outcome, catalogue) or [sc.INHABITANTS]
    long = sc.before_after(outcome, catalogue, {area: codes}, keys).set_index("indicator")
    shown = pd.DataFrame(
        {
            ui.t("scenarios.col.indicator"): [catalogue[k].label(lang) for k in long.index],
            ui.t("scenarios.col.before"): [catalogue[k].format(v, lang) for k, v in long["before"].items()],
            ui.t("scenarios.col.after"): [catalogue[k].format(v, lang) for k, v in long["after"].items()],
            ui.t("scenarios.col.difference"): [_signed(k, v) for k, v in long["difference"].items()],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")
    ui.explain_picker([catalogue[k] for k in long.index], key="scen_explain")


def _signed(key: str, value: float) -> str:
    text = catalogue[key].format(value, lang)
    return f"+{text}" if value == value and value > 0 else text


def _difference_map(outcome: sc.Outcome) -> None:
    keys = sc.changed_indicators(outcome, catalogue) or [sc.INHABITANTS]
    key = st.selectbox(
        ui.t("scenarios.map_indicator"), keys, format_func=lambda k: catalogue[k].label(lang), key="scen_map_ind"
    )
    ui.explain_button(catalogue[key], level="buurt", key="scen_map_explain")
    ui.area_map(
        sc.difference_view(outcome, key, ui.map_asset("buurt"), catalogue, lang), key="scen_map", height=MAP_HEIGHT
    )
    st.caption(ui.t("scenarios.map_note", year=outcome.baseline.year))


def _profiles(baseline: sc.Baseline) -> dict[str, pr.PriorityProfile]:
    found: dict[str, pr.PriorityProfile] = {}
    current = st.session_state.get(PROFILE_KEY)
    if isinstance(current, pr.PriorityProfile):
        found[ui.t("scenarios.profile_current")] = current
    for profile in _shown(pr.load_profiles) or []:
        found[profile.name] = profile
    if pr.default_indicators(baseline.table, catalogue):
        found[ui.t("scenarios.profile_default")] = pr.default_profile(baseline.table, catalogue)
    return found


def _rerank(outcome: sc.Outcome, names: dict[str, str]) -> None:
    profiles = _profiles(outcome.baseline)
    if not profiles:
        st.info(ui.t("scenarios.no_profiles", year=outcome.baseline.year))
        return
    cols = st.columns([3, 1])
    choice = cols[0].selectbox(ui.t("scenarios.profile"), list(profiles), key="scen_profile")
    level = cols[1].radio(
        ui.t("common.level"), LEVELS, format_func=ui.labeller("level"), horizontal=True, key="scen_rank_level"
    )
    if choice is None:
        return
    groups = None
    focus = list(outcome.touched)
    if level == "wijk":
        buurten = snap.boundaries["buurt"]
        own = buurten[buurten["code"].isin(outcome.baseline.table.index)]
        groups = {str(w): list(codes) for w, codes in own.groupby("wijkcode")["code"]}
        focus = sorted({str(w) for w in own.loc[own["code"].isin(outcome.touched), "wijkcode"]})
    table = _shown(lambda: sc.rerank(outcome, profiles[choice], catalogue, groups))
    if table is None:
        return
    metrics = st.columns(min(4, max(1, len(focus))))
    for col, code in zip(metrics, focus[:4], strict=False):
        before, after = table["rank_before"].get(code), table["rank_after"].get(code)
        if pd.isna(after):
            col.metric(ui.t("scenarios.rank_metric", area=names.get(code, code)), ui.t("scenarios.not_ranked"))
            continue
        delta = None if pd.isna(before) else int(before - after)
        col.metric(
            ui.t("scenarios.rank_metric", area=names.get(code, code)),
            f"{int(after)}",
            delta=delta,
            help=f"{ui.t('scenarios.col.rank_before')}: {'' if pd.isna(before) else int(before)}",
        )
    shown = pd.DataFrame(
        {
            ui.t("scenarios.col.area"): [names.get(c, c) for c in table.index],
            ui.t("scenarios.col.rank_before"): table["rank_before"].astype("Int64"),
            ui.t("scenarios.col.rank_after"): table["rank_after"].astype("Int64"),
            ui.t("scenarios.col.rank_change"): table["rank_change"].astype("Int64"),
        },
        index=pd.Index(table.index, name=ui.t("common.code")),
    )
    st.dataframe(shown, width="stretch", height=360)
    st.caption(ui.t("scenarios.rank_note"))


def _compare(
    draft_outcome: sc.Outcome, saved: list[sc.Scenario], options: dict[str, str], members: dict[str, list[str]]
) -> None:
    names = [s.name for s in saved]
    if not names:
        st.info(ui.t("scenarios.compare_none"))
        return
    default = [n for n in names if n == draft_outcome.scenario.name][:1] or names[:1]
    picked = st.multiselect(
        ui.t("scenarios.compare_pick"), names, default=default, max_selections=sc.MAX_SIDE_BY_SIDE, key="scen_cmp",
        placeholder=ui.choose(),
    )
    area = st.selectbox(
        ui.t("scenarios.compare_area"),
        list(options),
        format_func=options.get,
        key="scen_cmp_area",
        index=list(options).index(gemeente) if gemeente in options else 0,
    )
    outcomes = []
    for scenario in (s for s in saved if s.name in picked):
        baseline = baselines.get(scenario.year)
        if baseline is None:
            st.error(ui.t("scenarios.year") + f": {scenario.year}?")
            return
        found = _shown(
            lambda s=scenario, b=baseline: sc.run(s, b, catalogue, sc.resolve_areas(s, buurten_frame, members))
        )
        if found is None:
            return
        outcomes.append(found)
    if not outcomes:
        return
    keys = list(
        dict.fromkeys(
            [sc.INHABITANTS, sc.HOUSEHOLDS, *(k for o in outcomes for k in sc.changed_indicators(o, catalogue))]
        )
    )
    table = _shown(
        lambda: sc.side_by_side(outcomes, catalogue, area, sc.area_members(area, buurten_frame, members), keys)
    )
    if table is None:
        return
    shown = pd.DataFrame(
        {
            (ui.t("scenarios.baseline_column") if col == "baseline" else col): [
                catalogue[k].format(v, lang) for k, v in table[col].items()
            ]
            for col in table.columns
        },
        index=pd.Index([catalogue[k].label(lang) for k in table.index], name=ui.t("scenarios.col.indicator")),
    )
    st.dataframe(shown, width="stretch")


# ---- page ------------------------------------------------------------------------------------------
lang = ui.lang()
gemeente = ui.gemeente()
with ui.user_errors():
    snap = ui.data()
    catalogue = ui.catalogue()
    names = snap.names()
    baselines = _baselines(gemeente, tuple(catalogue.indicators))
    buurten_frame = boundaries.for_gemeente(snap, "buurt", gemeente)
    selectable = ui.selectable_areas()  # the gemeente, wijken, buurten and custom areas, as on other pages
    options = {area.key: ui.area_label(area) for area in selectable}
    plain_names = {area.key: area.label for area in selectable}
    members = {  # custom area name -> its buurten (buurt, wijk and gemeente codes resolve from boundaries)
        area.key.removeprefix(sc.CUSTOM_PREFIX): list(area.codes) for area in selectable if area.kind == "custom"
    }
saved, problems = sc.load_scenarios()
st.session_state["_scen_saved"] = saved
if MEASURES_KEY not in st.session_state:
    _load_into_editor(None, None)
if "_scen_pending" in st.session_state:  # a load asked for after the editor's widgets were drawn
    _load_into_editor(*st.session_state.pop("_scen_pending"))
if "_scen_pick_next" in st.session_state:
    st.session_state["scen_pick"] = st.session_state.pop("_scen_pick_next")

st.title(ui.t("scenarios.title"))
st.caption(ui.t("scenarios.intro"))
if "_scen_flash" in st.session_state:
    st.success(st.session_state.pop("_scen_flash"))
for problem in problems:
    st.warning(ui.t("scenarios.problems") + " " + ui.error_text(problem))

top = st.columns([2, 2])
top[0].selectbox(
    ui.t("scenarios.pick"),
    [NEW, *(s.name for s in saved)],
    format_func=ui.labeller("scenarios", {NEW: "new"}, keep=True),
    on_change=_on_pick,
    key="scen_pick",
)
with top[1]:
    _upload()

years = sorted(baselines, reverse=True)
if st.session_state.get("scen_year") not in years:
    asked = st.session_state.get("scen_year")
    st.session_state["scen_year"] = 2023 if 2023 in years else years[0]
    if asked is not None:  # e.g. a loaded file names a year without buurt counts: say what replaced it
        st.warning(
            ui.t(
                "scenarios.year_replaced",
                asked=asked,
                year=st.session_state["scen_year"],
                years=", ".join(map(str, years)),
            )
        )
cols = st.columns([2, 1])
name = cols[0].text_input(ui.t("scenarios.name"), key="scen_name")
year = cols[1].selectbox(ui.t("scenarios.year"), years, key="scen_year")
description = st.text_area(ui.t("scenarios.description"), key="scen_desc", height=68)
baseline = baselines[year]
_baseline_notes(baseline)

st.subheader(ui.t("scenarios.measures"))
_measure_list(options)
with st.expander(ui.t("scenarios.add"), expanded=not st.session_state[MEASURES_KEY]):
    _measure_form(options, baseline)

with ui.user_errors():
    draft = sc.make_scenario(
        name=name or ui.t("scenarios.default_name"),
        description=description,
        year=year,
        measures=st.session_state[MEASURES_KEY],
    )
_file_actions(draft, saved)

if not draft.measures:
    st.stop()
st.subheader(ui.t("scenarios.effects"))
with ui.user_errors():
    outcome = sc.run(draft, baseline, catalogue, sc.resolve_areas(draft, buurten_frame, members))
for note in outcome.notes:
    st.info(ui.t(f"scenarios.notes.{note}"))
tabs = st.tabs(
    [
        ui.t("scenarios.tab.before_after"),
        ui.t("scenarios.tab.map"),
        ui.t("scenarios.tab.priorities"),
        ui.t("scenarios.tab.compare"),
    ]
)
with tabs[0]:
    _before_after(outcome, options, members)
with tabs[1]:
    _difference_map(outcome)
with tabs[2]:
    _rerank(outcome, names)
with tabs[3]:
    _compare(outcome, saved, options, members)
