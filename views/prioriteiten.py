"""Priorities: set what matters, see which areas rise to the top, how sure that is, and how parties differ.

The arithmetic lives in :mod:`enschede_gis.priorities`; this page holds the widgets and shows results.
The current weighting is kept in session state (as a :class:`PriorityProfile`) so the scenario page
can re-run the same index on a scenario.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import app_state as ui
from enschede_gis import db
from enschede_gis import priorities as pr
from enschede_gis import priorities_view as view
from views._priority_weights import PROFILES_KEY, apply_profile, weights_form

LEVELS = ["buurt", "wijk"]
CURRENT_KEY = "prio_current_profile"  # read by views/scenarios.py
MAP_HEIGHT = 560


@st.cache_data(show_spinner=False, max_entries=16)
def _tables(level: str, gemeente: str, catalogue_keys: tuple[str, ...], version: str) -> dict[int, pd.DataFrame]:
    """Figures per year for one level (``version``: the uploaded own data, which change the figures)."""
    return view.tables_by_year(ui.data(), ui.catalogue(), level=level, gemeente=gemeente)


@st.cache_data(show_spinner=False, max_entries=64)
def _ranked(
    tables_key: tuple, year: int, profile_json: str, draws: int, concentration: float, seed: int
) -> tuple[pr.Ranking, pr.Stability]:
    """The ranking and its stability, shared by every visit and session with the same inputs: the
    figures (``tables_key`` as for :func:`_tables`, and the year), the weighting and the draws."""
    profile = pr.PriorityProfile.model_validate_json(profile_json)
    ranking = pr.rank_areas(_tables(*tables_key)[year], profile, ui.catalogue())
    return ranking, pr.rank_stability(ranking, draws=draws, concentration=concentration, seed=seed)


def _ranking_tab(ranking: pr.Ranking, stability: pr.Stability, names: dict[str, str]) -> None:
    left, right = st.columns([1.3, 1])
    with left:
        st.dataframe(view.ranking_table(ranking, stability, names, catalogue, lang), width="stretch", height=MAP_HEIGHT)
        st.caption(view.stability_note(stability, lang))
    with right:
        view_args = view.score_map(
            ui.map_asset(level, gemeente_code=gemeente), ranking, stability, year=year, lang=lang
        )
        ui.area_map(view_args, key="prio_map", height=MAP_HEIGHT)
        clicked = ui.new_click("prio_map", set(ranking.table.index))
        if clicked:  # the breakdown tab opens on the clicked area
            ui.remember("prio_breakdown", clicked)
            st.session_state.pop("prio_breakdown", None)
        st.caption(ui.t("prioriteiten.map_click"))
    if not ranking.excluded.empty:
        st.info(ui.t("prioriteiten.excluded", count=len(ranking.excluded)))
        st.text("\n".join(view.excluded_lines(ranking, names, catalogue, lang)))
    if ranking.filled.any().any():
        st.info(ui.t("prioriteiten.filled_note", count=int(ranking.filled.sum().sum())))


def _breakdown_tab(ranking: pr.Ranking, names: dict[str, str]) -> None:
    codes = list(ranking.table.index)  # in rank order
    # The label holds no rank: a browser may keep showing a selected option's old label after the
    # weights change the ranking; the current rank is said beside it instead.
    code = st.selectbox(
        ui.t("prioriteiten.breakdown_area"),
        codes,
        index=ui.choice_index(codes, ui.remembered("prio_breakdown")),
        format_func=lambda c: names.get(c, c),
        key="prio_breakdown",
    )
    ui.remember("prio_breakdown", code)
    st.caption(ui.t("prioriteiten.breakdown_rank", rank=ranking.table.loc[code, "rank"], count=len(codes)))
    parts = pr.breakdown(ranking, code, table)
    shown = view.breakdown_table(parts, catalogue, lang)
    st.dataframe(shown, hide_index=True, width="stretch")
    ui.explain_picker([catalogue[k] for k in parts.index], level=level, key="prio_explain_breakdown")
    st.bar_chart(shown.set_index(ui.t("prioriteiten.col.indicator"))[ui.t("prioriteiten.col.contribution")])
    st.caption(ui.t("prioriteiten.breakdown_note"))


def _save_form(current: pr.PriorityProfile, saved: list[pr.PriorityProfile]) -> list[pr.PriorityProfile]:
    """Save the current weighting under a name (drawn also while its tab is closed, so text typed in
    it survives a look at another tab), and delete a saved one; returns the saved profiles."""
    with st.form("prio_save"):
        st.markdown(f"**{ui.t('prioriteiten.save_title')}**")
        name = st.text_input(ui.t("prioriteiten.profile_name"), key="prio_name")
        rationale = st.text_area(ui.t("prioriteiten.rationale"), key="prio_rationale")
        if st.form_submit_button(ui.t("common.save")):
            with ui.user_errors():
                profile = pr.renamed(current, name, rationale)
                # Saving under a stored name overwrites that profile, but only the version loaded.
                stored = profile.name in {p.name for p in saved}
                loaded = ui.edit_version("profiles", profile.name) if stored else None
                pr.save_profile(
                    eng, profile, actor=ui.actor(), replace=profile.name if stored else None, expected=loaded
                )
            ui.forget_edit_versions("profiles")
            st.success(ui.t("prioriteiten.saved", name=ui.escape(profile.name)))
            saved = pr.load_profiles(eng)
    if saved:
        cols = st.columns([3, 1])
        doomed = cols[0].selectbox(ui.t("prioriteiten.delete_profile"), [p.name for p in saved], key="prio_del_pick")
        if cols[1].button(ui.t("common.delete"), key="prio_del"):
            with ui.user_errors():
                pr.delete_profile(eng, doomed, actor=ui.actor())
            st.rerun()
    return saved


def _comparison(saved: list[pr.PriorityProfile], names: dict[str, str]) -> None:
    """Saved profiles side by side: where their top areas agree and differ."""
    if len(saved) < 2:
        st.info(ui.t("prioriteiten.compare_none"))
        return
    stored = [p.name for p in saved]
    last = ui.remembered("prio_cmp")
    picked = st.multiselect(
        ui.t("prioriteiten.compare_pick"),
        stored,
        default=stored[:4] if last is None else [n for n in last if n in stored],
        key="prio_cmp",
        placeholder=ui.choose(),
    )
    top = st.slider(ui.t("prioriteiten.compare_top"), 3, 20, ui.remembered("prio_cmp_top", 10), key="prio_cmp_top")
    ui.remember("prio_cmp", picked)
    ui.remember("prio_cmp_top", top)
    chosen = [p for p in saved if p.name in picked]
    if len(chosen) < 2:
        st.info(ui.t("prioriteiten.compare_none"))
        return
    with ui.user_errors():
        comparison = pr.compare_profiles(table, chosen, catalogue, top=top)
    st.dataframe(view.comparison_table(comparison, names, lang), width="stretch")
    st.caption(ui.t("prioriteiten.compare_note", top=top))
    st.markdown(f"**{ui.t('prioriteiten.overlap', top=top)}**")
    st.dataframe(comparison.overlap, width="stretch")
    for profile in chosen:
        if profile.rationale:
            st.text(ui.t("prioriteiten.rationale_of", name=profile.name) + ": " + profile.rationale)


@st.fragment
def _tabs(ranking: pr.Ranking, stability: pr.Stability, current: pr.PriorityProfile, saved: list) -> None:
    """The three tabs; only the open one is computed, and choosing a tab (or clicking the map)
    reruns only this part, not the ranking."""
    ranked, parts, profiles = ui.tabs(list(view.TABS), key="prio_tab")
    if ranked.open:
        with ranked:
            _ranking_tab(ranking, stability, names)
    if parts.open:
        with parts:
            _breakdown_tab(ranking, names)
    with profiles:
        saved = _save_form(current, saved)
        if profiles.open:
            _comparison(saved, names)


# ---- page ------------------------------------------------------------------------------------------
lang = ui.lang()
gemeente = ui.gemeente()
with ui.user_errors():
    snap = ui.data()
    catalogue = ui.catalogue()
    names = snap.names()
    eng = db.engine()
    saved = pr.load_profiles(eng)
st.session_state[PROFILES_KEY] = saved

st.title(ui.t("prioriteiten.title"))
st.caption(ui.t("prioriteiten.intro"))

top_row = st.columns([1, 1, 2])
level = top_row[0].radio(
    ui.t("common.level"), LEVELS, format_func=ui.labeller("level"), horizontal=True, key="prio_level"
)
tables_key = (level, gemeente, tuple(catalogue.indicators), ui.data_version())
with ui.user_errors():
    tables = _tables(*tables_key)
if not tables:
    st.warning(ui.t("prioriteiten.no_years"))
    st.stop()
year_options = sorted(tables, reverse=True)
year = top_row[1].selectbox(ui.t("common.year"), year_options, key="prio_year")
table = tables[year]
top_row[2].selectbox(
    ui.t("prioriteiten.load"),
    [p.name for p in saved],
    index=None,
    placeholder=ui.t("prioriteiten.load_none"),
    on_change=apply_profile,
    key="prio_load",
)

options = view.indicator_options(table, catalogue)
with st.expander(ui.t("prioriteiten.indicators"), expanded=True):
    weights, directions = weights_form(options, pr.default_indicators(table, catalogue), catalogue, level=level)
    cols = st.columns(2)
    normalisation = cols[0].radio(
        ui.t("prioriteiten.normalisation"),
        list(pr.NORMALISATIONS),
        format_func=ui.labeller("prioriteiten.norm"),
        key="prio_norm",
    )
    missing = cols[1].radio(
        ui.t("prioriteiten.missing"),
        list(pr.MISSING_POLICIES),
        format_func=ui.labeller("prioriteiten.miss"),
        key="prio_missing",
    )
# The stability settings are drawn only while their expander is open; closed, they keep what was set.
stability_box = st.expander(ui.t("prioriteiten.stability"), key="prio_stability_open", on_change="rerun")
kept = {"prio_draws": pr.DEFAULT_DRAWS, "prio_conc": pr.DEFAULT_CONCENTRATION, "prio_seed": 0}
kept = {key: ui.remembered(key, default) for key, default in kept.items()}
if stability_box.open:  # a refused number is said below its field and the last good one stays in use
    fields = (  # key, label, lowest, highest, whole numbers only
        ("prio_draws", "prioriteiten.draws", 100, 5000, True),
        ("prio_conc", "prioriteiten.concentration", 5, 2000, False),
        ("prio_seed", "prioriteiten.seed", 0, 1_000_000, True),
    )
    for col, (key, label, low, high, whole) in zip(stability_box.columns(3), fields, strict=True):
        number = ui.number_field(ui.t(label), kept[key], key=key, minimum=low, maximum=high, whole=whole, where=col)
        if number is not None:
            kept[key] = ui.remember(key, number)
draws, concentration, seed = int(kept["prio_draws"]), float(kept["prio_conc"]), int(kept["prio_seed"])

if not any(w > 0 for w in weights.values()):
    st.info(ui.t("prioriteiten.pick_one"))
    st.stop()
with ui.user_errors():
    current = pr.make_profile(
        ui.t("prioriteiten.current"), weights, directions, normalisation=normalisation, missing=missing
    )
    ranking, stability = _ranked(tables_key, year, current.model_dump_json(), draws, concentration, seed)
st.session_state[CURRENT_KEY] = current
_tabs(ranking, stability, current, saved)
