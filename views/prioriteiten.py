"""Priorities: set what matters, see which areas rise to the top, how sure that is, and how parties differ.

The arithmetic lives in :mod:`enschede_gis.priorities`; this page holds the widgets and shows results.
The current weighting is kept in session state (as a :class:`PriorityProfile`) so the scenario page
can re-run the same index on a scenario.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

import app_state as ui
from enschede_gis import db, figures, statistics, webmap
from enschede_gis import priorities as pr

LEVELS = ["buurt", "wijk"]
CURRENT_KEY = "prio_current_profile"  # read by views/scenarios.py
SHOWN_KEY = "_prio_shown"  # the indicators that had a weight slider in the previous run
MAP_HEIGHT = 560


@st.cache_data(show_spinner=False)
def _tables(level: str, gemeente: str, catalogue_keys: tuple[str, ...]) -> dict[int, pd.DataFrame]:
    """Figures per year for one level, for the years that have at least one directed indicator."""
    snap, cat = ui.data(), ui.catalogue()
    found = {}
    for year in statistics.years(snap.statistics):
        table = figures.level_table(snap, cat, year=year, level=level, gemeente=gemeente)
        if pr.default_indicators(table, cat):
            found[year] = table
    return found


def _apply_profile() -> None:
    """Callback: put a saved profile's choices into the widgets."""
    name = st.session_state.get("prio_load")
    profile = next((p for p in st.session_state.get("_prio_profiles", []) if p.name == name), None)
    if profile is None:
        return
    ui.forget_edit_versions("profiles")
    ui.edit_version("profiles", profile.name)  # the version this user edits from
    st.session_state["prio_indicators"] = [w.indicator for w in profile.weights]
    st.session_state[SHOWN_KEY] = [w.indicator for w in profile.weights]  # the profile's weights, not fresh ones
    for w in profile.weights:
        st.session_state[f"prio_w_{w.indicator}"] = float(w.weight)
        st.session_state[f"prio_d_{w.indicator}"] = w.direction
    st.session_state["prio_norm"] = profile.normalisation
    st.session_state["prio_missing"] = profile.missing
    st.session_state["prio_name"] = profile.name
    st.session_state["prio_rationale"] = profile.rationale


def _weights_form(options: list[str], defaults: list[str]) -> tuple[dict[str, float], dict[str, str]]:
    """Indicator choice, a weight slider and a direction per indicator."""
    if "prio_indicators" not in st.session_state:
        st.session_state["prio_indicators"] = defaults
    dropped = [k for k in st.session_state["prio_indicators"] if k not in options]
    if dropped:  # e.g. a profile made for another year or level: say so, never drop them silently
        st.warning(
            ui.t("prioriteiten.dropped", names=", ".join(catalogue[k].label(lang) for k in dropped if k in catalogue))
        )
        st.session_state["prio_indicators"] = [k for k in st.session_state["prio_indicators"] if k in options]
    labels = {k: catalogue[k].label(lang) for k in options}
    chosen = st.multiselect(
        ui.t("prioriteiten.indicators"),
        options,
        format_func=labels.get,
        help=ui.t("prioriteiten.indicators_help"),
        key="prio_indicators",
        placeholder=ui.choose(),
    )
    ui.explain_picker([catalogue[k] for k in chosen], level=level, key="prio_explain")
    # An indicator (re)added to the choice starts afresh at weight 1 with its own direction: a weight
    # left over from before it was removed (0, say) would silently keep it out of the score.
    shown = st.session_state.get(SHOWN_KEY, [])
    for key in chosen:
        if key not in shown:
            st.session_state[f"prio_w_{key}"] = 1.0
            st.session_state[f"prio_d_{key}"] = catalogue[key].direction if catalogue[key].is_condition else None
    st.session_state[SHOWN_KEY] = list(chosen)
    weights, directions, undirected = {}, {}, []
    directions_all = ["higher_worse", "higher_better"]
    grid = st.columns([3, 2, 3, 2])  # two indicators per row keeps the results in view
    for i, key in enumerate(chosen):
        ind = catalogue[key]
        if i and i % 2 == 0:
            grid = st.columns([3, 2, 3, 2])
        left, right = grid[2 * (i % 2)], grid[2 * (i % 2) + 1]
        weights[key] = left.slider(
            f"{ui.t('prioriteiten.weight')}: {ind.label(lang)}", 0.0, 10.0, step=0.5, key=f"prio_w_{key}"
        )
        state_key = f"prio_d_{key}"
        direction = right.selectbox(
            ui.t("prioriteiten.direction"),
            directions_all,
            placeholder=ui.t("prioriteiten.direction_choose"),
            format_func=ui.labeller("prioriteiten.dir"),
            key=state_key,
        )
        if direction is None:
            undirected.append(ind.label(lang))
            weights.pop(key)
        else:
            directions[key] = direction
    if undirected:
        st.warning(ui.t("prioriteiten.no_direction", names=", ".join(undirected)))
    return weights, directions


def _clicked_code(codes: set[str]) -> str | None:
    """The area clicked on the map since the last run (the map keeps its last value between runs)."""
    code = st.session_state.get("prio_map")
    if code in codes and code != st.session_state.get("_prio_last_click"):
        st.session_state["_prio_last_click"] = code
        return code
    return None


def _ranking_tab(ranking: pr.Ranking, stability: pr.Stability, names: dict[str, str]) -> None:
    table = pr.summary(ranking, stability)
    shown = pd.DataFrame(
        {
            ui.t("prioriteiten.col.rank"): table["rank"],
            ui.t("prioriteiten.col.area"): [names.get(c, c) for c in table.index],
            ui.t("prioriteiten.col.score"): table["score"].round(3),
            ui.t("prioriteiten.col.range"): table["rank_low"].astype(str) + "–" + table["rank_high"].astype(str),
            ui.t("prioriteiten.col.robust"): [ui.t(f"prioriteiten.{'yes' if r else 'no'}") for r in table["robust"]],
            ui.t("prioriteiten.col.top_share", top=stability.top): (table["top_share"] * 100).round(0).astype(int),
            ui.t("prioriteiten.col.filled"): [", ".join(catalogue[k].label(lang) for k in f) for f in table["filled"]],
        },
        index=pd.Index(table.index, name=ui.t("common.code")),
    )
    left, right = st.columns([1.3, 1])
    with left:
        st.dataframe(shown, width="stretch", height=MAP_HEIGHT)
        st.caption(
            ui.t(
                "prioriteiten.stability_note",
                draws=stability.draws,
                concentration=f"{stability.concentration:g}",
                seed=stability.seed,
                span=pr.ROBUST_SPAN,
                robust=int(table["robust"].sum()),
                total=len(table),
            )
        )
    with right:
        tooltip = {
            ui.t("prioriteiten.col.rank"): table["rank"].astype(str).to_dict(),
            ui.t("prioriteiten.col.range"): (
                table["rank_low"].astype(str) + "–" + table["rank_high"].astype(str)
            ).to_dict(),
        }
        view = webmap.view_args(
            ui.map_asset(level, gemeente_code=gemeente),
            ranking.table["score"],
            indicator=pr.score_indicator(),
            year=year,
            source="CBS",
            lang=lang,
            scheme="Oranges",
            extra_tooltip=tooltip,
        )
        ui.area_map(view, key="prio_map", height=MAP_HEIGHT)
        clicked = _clicked_code(set(ranking.table.index))
        if clicked:  # the breakdown tab (drawn after this) opens on the clicked area
            st.session_state["prio_breakdown"] = clicked
        st.caption(ui.t("prioriteiten.map_click"))
    if not ranking.excluded.empty:
        st.info(ui.t("prioriteiten.excluded", count=len(ranking.excluded)))
        st.text(
            "\n".join(
                f"{names.get(c, c)}: {', '.join(catalogue[k].label(lang) for k in keys.split(', '))}"
                for c, keys in ranking.excluded.items()
            )
        )
    if ranking.filled.any().any():
        st.info(ui.t("prioriteiten.filled_note", count=int(ranking.filled.sum().sum())))


def _breakdown_tab(ranking: pr.Ranking, names: dict[str, str]) -> None:
    codes = list(ranking.table.index)  # in rank order
    # The label holds no rank: a browser may keep showing a selected option's old label after the
    # weights change the ranking; the current rank is said beside it instead.
    code = st.selectbox(
        ui.t("prioriteiten.breakdown_area"), codes, format_func=lambda c: names.get(c, c), key="prio_breakdown"
    )
    st.caption(ui.t("prioriteiten.breakdown_rank", rank=ranking.table.loc[code, "rank"], count=len(codes)))
    parts = pr.breakdown(ranking, code, table)
    shown = pd.DataFrame(
        {
            ui.t("prioriteiten.col.indicator"): [catalogue[k].label(lang) for k in parts.index],
            ui.t("prioriteiten.col.value"): [
                catalogue[k].format(v, lang) + (" *" if f else "")
                for k, v, f in zip(parts.index, parts["value"], parts["filled"], strict=True)
            ],
            ui.t("prioriteiten.col.normalised"): parts["normalised"].round(3),
            ui.t("prioriteiten.col.weight"): parts["weight"].round(3),
            ui.t("prioriteiten.col.contribution"): parts["contribution"].round(3),
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")
    ui.explain_picker([catalogue[k] for k in parts.index], level=level, key="prio_explain_breakdown")
    st.bar_chart(shown.set_index(ui.t("prioriteiten.col.indicator"))[ui.t("prioriteiten.col.contribution")])
    st.caption(ui.t("prioriteiten.breakdown_note"))


def _profiles_tab(current: pr.PriorityProfile, saved: list[pr.PriorityProfile], names: dict[str, str]) -> None:
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
    if len(saved) < 2:
        st.info(ui.t("prioriteiten.compare_none"))
        return
    picked = st.multiselect(
        ui.t("prioriteiten.compare_pick"), [p.name for p in saved], default=[p.name for p in saved][:4], key="prio_cmp",
        placeholder=ui.choose(),
    )
    top = st.slider(ui.t("prioriteiten.compare_top"), 3, 20, 10, key="prio_cmp_top")
    chosen = [p for p in saved if p.name in picked]
    if len(chosen) < 2:
        st.info(ui.t("prioriteiten.compare_none"))
        return
    with ui.user_errors():
        comparison = pr.compare_profiles(table, chosen, catalogue, top=top)
    shown = comparison.table.copy()
    shown.insert(0, ui.t("prioriteiten.col.area"), [names.get(c, c) for c in shown.index])
    shown[ui.t("prioriteiten.col.agreement")] = [ui.t(f"prioriteiten.agree.{a}") for a in shown.pop("agreement")]
    shown = shown.rename(columns={"in_top": ui.t("prioriteiten.col.in_top", top=top)})
    st.dataframe(shown, width="stretch")
    st.caption(ui.t("prioriteiten.compare_note", top=top))
    st.markdown(f"**{ui.t('prioriteiten.overlap', top=top)}**")
    st.dataframe(comparison.overlap, width="stretch")
    for profile in chosen:
        if profile.rationale:
            st.text(ui.t("prioriteiten.rationale_of", name=profile.name) + ": " + profile.rationale)


# ---- page ------------------------------------------------------------------------------------------
lang = ui.lang()
gemeente = ui.gemeente()
with ui.user_errors():
    snap = ui.data()
    catalogue = ui.catalogue()
    names = snap.names()
    eng = db.engine()
    saved = pr.load_profiles(eng)
st.session_state["_prio_profiles"] = saved

st.title(ui.t("prioriteiten.title"))
st.caption(ui.t("prioriteiten.intro"))

top_row = st.columns([1, 1, 2])
level = top_row[0].radio(
    ui.t("common.level"), LEVELS, format_func=ui.labeller("level"), horizontal=True, key="prio_level"
)
with ui.user_errors():
    tables = _tables(level, gemeente, tuple(catalogue.indicators))
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
    on_change=_apply_profile,
    key="prio_load",
)

options = [ind.key for ind in catalogue if ind.key in table.columns and table[ind.key].notna().sum() >= 2]
with st.expander(ui.t("prioriteiten.indicators"), expanded=True):
    weights, directions = _weights_form(options, pr.default_indicators(table, catalogue))
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
with st.expander(ui.t("prioriteiten.stability")):
    cols = st.columns(3)
    draws = cols[0].number_input(ui.t("prioriteiten.draws"), 100, 5000, pr.DEFAULT_DRAWS, 100, key="prio_draws")
    concentration = cols[1].number_input(
        ui.t("prioriteiten.concentration"), 5.0, 2000.0, pr.DEFAULT_CONCENTRATION, 10.0, key="prio_conc"
    )
    seed = cols[2].number_input(ui.t("prioriteiten.seed"), 0, 1_000_000, 0, 1, key="prio_seed")

if not any(w > 0 for w in weights.values()):
    st.info(ui.t("prioriteiten.pick_one"))
    st.stop()
with ui.user_errors():
    current = pr.make_profile(
        ui.t("prioriteiten.current"), weights, directions, normalisation=normalisation, missing=missing
    )
    ranking = pr.rank_areas(table, current, catalogue)
    stability = pr.rank_stability(ranking, draws=int(draws), concentration=float(concentration), seed=int(seed))
st.session_state[CURRENT_KEY] = current

tab_rank, tab_parts, tab_profiles = st.tabs(
    [ui.t("prioriteiten.tab.ranking"), ui.t("prioriteiten.tab.breakdown"), ui.t("prioriteiten.tab.profiles")]
)
with tab_rank:
    _ranking_tab(ranking, stability, names)
with tab_parts:
    _breakdown_tab(ranking, names)
with tab_profiles:
    _profiles_tab(current, saved, names)
