"""The scenarios page's measures: the list of the scenario's measures (each with its formula and a
remove button) and the form that adds one.

Not a page (not in ``app_state.PAGES``): ``views/scenarios.py`` calls :func:`measure_list` and
:func:`measure_form`. What a measure is and does is decided in the package
(:mod:`enschede_gis.scenarios`, :mod:`enschede_gis.scenario_editor`); this module lays it out.
"""

from __future__ import annotations

import streamlit as st

import app_state as ui
from enschede_gis import scenario_editor as ed
from enschede_gis import scenario_views as sv
from enschede_gis import scenarios as sc
from enschede_gis.errors import WijkbeeldError
from enschede_gis.indicators import Catalogue


def ok(action) -> bool:
    """Run an action; True when it worked, else its package error is shown as one message."""
    try:
        action()
    except WijkbeeldError as exc:
        st.error(ui.error_text(exc))
        return False
    return True


def measure_form(options: dict[str, str], baseline: sc.Baseline, catalogue: Catalogue) -> None:
    """Choose a kind of measure, fill in its fields, add it to the scenario."""
    kind = st.radio(
        ui.t("scenarios.type_label"),
        ["new_dwellings", "demolition", "direct_assumption"],
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
            fields["indicator"] = st.selectbox(
                ui.t("scenarios.indicator"),
                sv.assumable_indicators(baseline, catalogue),
                format_func=lambda k: catalogue[k].label(ui.lang()),
                key="scen_ind",
            )
            change = st.radio(
                ui.t("scenarios.change_kind"),
                ["delta", "new_value"],
                format_func=ui.labeller("scenarios.change"),
                key="scen_change",
            )
            fields[change] = ui.number_field(ui.t("scenarios.amount"), 0, key="scen_amount")
        else:
            dwellings = ui.number_field(
                ui.t("scenarios.dwellings"), 100, key="scen_dw", minimum=1, maximum=100_000, whole=True
            )
            fields["dwellings"] = None if dwellings is None else int(dwellings)
            fields["household_size"] = ui.number_field(
                ui.t("scenarios.household_size"), 2, key="scen_hh", minimum=0.1, maximum=10
            )
            if use_mix:
                cols = st.columns(len(sc.AGE_GROUPS))
                fields["age_mix"] = {
                    group: ui.number_field(
                        ui.t("scenarios.age_share", group=sv.age_label(group)),
                        20,
                        key=f"scen_mix_{group}",
                        minimum=0,
                        maximum=100,
                        where=col,
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
        submitted = st.form_submit_button(ui.t("scenarios.add_button"))
        # a refused number is said below its field; the measure waits until every number can be read
        typed = [fields[k] for k in ("delta", "new_value", "dwellings", "household_size") if k in fields]
        refused = None in typed + list(dict(fields.get("age_mix") or {}).values())
        if (
            submitted
            and not refused
            and ok(
                lambda: ed.add_measure(
                    st.session_state, sc.make_measure(kind, area=area, basis=basis, note=note, **fields)
                )
            )
        ):
            st.rerun()


def measure_list(plain_names: dict[str, str], catalogue: Catalogue) -> None:
    measures = st.session_state[ed.MEASURES]
    if not measures:
        st.info(ui.t("scenarios.no_measures"))
    for number, measure in enumerate(measures, start=1):
        label = plain_names.get(measure.area, measure.area)
        with st.container(border=True):
            kind = ui.t(f"scenarios.type.{measure.type}")
            st.markdown("**" + ui.t("scenarios.measure_title", number=number, type=kind, area=ui.escape(label)) + "**")
            st.text(sc.formula(measure, catalogue, ui.lang(), label))
            if measure.note:
                st.text(f"{ui.t('scenarios.note')}: {measure.note}")
            if st.button(ui.t("scenarios.remove"), key=f"scen_rm_{number}"):
                ed.remove_measure(st.session_state, number)
                st.rerun()
