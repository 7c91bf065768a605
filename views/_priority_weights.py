"""The priorities page's weighting: which indicators count, with what weight and direction, and a
saved profile put back into those widgets.

Not a page (not in ``app_state.PAGES``): ``views/prioriteiten.py`` calls :func:`weights_form` and uses
:func:`apply_profile` as the profile picker's callback. What the widget values are is decided in
:mod:`enschede_gis.priorities_view`; this module lays them out.
"""

from __future__ import annotations

import streamlit as st

import app_state as ui
from enschede_gis import numbers
from enschede_gis import priorities_view as view
from enschede_gis.indicators import Catalogue

WEIGHT_STEPS = tuple(step / 2 for step in range(21))  # 0, 0,5 ... 10
SHOWN_KEY = "_prio_shown"  # the indicators that had a weight slider in the previous run
PROFILES_KEY = "_prio_profiles"  # the saved profiles the picker offers (set by the page)


def apply_profile() -> None:
    """Callback: put a saved profile's choices into the widgets."""
    name = st.session_state.get("prio_load")
    profile = next((p for p in st.session_state.get(PROFILES_KEY, []) if p.name == name), None)
    if profile is None:
        return
    ui.forget_edit_versions("profiles")
    ui.edit_version("profiles", profile.name)  # the version this user edits from
    st.session_state.update(view.profile_widgets(profile))
    st.session_state[SHOWN_KEY] = [w.indicator for w in profile.weights]  # the profile's weights, not fresh ones


def weights_form(
    options: list[str], defaults: list[str], catalogue: Catalogue, *, level: str
) -> tuple[dict[str, float], dict[str, str]]:
    """Indicator choice, a weight slider and a direction per indicator; returns (weights, directions)
    of the indicators that have a direction (those without one are named in a warning)."""
    lang = ui.lang()
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
    st.session_state.update(view.fresh_weights(chosen, st.session_state.get(SHOWN_KEY, []), catalogue))
    st.session_state[SHOWN_KEY] = list(chosen)
    weights, directions, undirected = {}, {}, []
    directions_all = ["higher_worse", "higher_better"]
    grid = st.columns([3, 2, 3, 2])  # two indicators per row keeps the results in view
    for i, key in enumerate(chosen):
        ind = catalogue[key]
        if i and i % 2 == 0:
            grid = st.columns([3, 2, 3, 2])
        left, right = grid[2 * (i % 2)], grid[2 * (i % 2) + 1]
        held = st.session_state.get(f"prio_w_{key}")  # a saved profile's 2.3 is offered as it is
        steps = WEIGHT_STEPS if held is None or held in WEIGHT_STEPS else sorted({*WEIGHT_STEPS, float(held)})
        weights[key] = left.select_slider(  # not st.slider: that writes "1.00" in the Dutch UI
            f"{ui.t('prioriteiten.weight')}: {ind.label(lang)}",
            steps,
            format_func=lambda weight: numbers.as_typed(weight, lang),
            key=f"prio_w_{key}",
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
