"""AppTests for the scenarios page: build, see effects, save, duplicate, load files, compare."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from enschede_gis import db
from enschede_gis import priorities as pr
from enschede_gis import scenarios as sc
from tests.page_helpers import TEAM, explanations_offered, open_popover, rendered, run_page

TWEKKELERVELD = "BU01530301"


@pytest.fixture
def app(fresh_caches) -> AppTest:
    return run_page("scenarios.py")


def _add_dwellings(at: AppTest, area: str = TWEKKELERVELD, dwellings: int = 500, size: float = 2.0) -> None:
    at.radio(key="scen_kind").set_value("new_dwellings").run()
    at.selectbox(key="scen_area").set_value(area)
    at.text_input(key="scen_dw").input(str(dwellings))
    at.text_input(key="scen_hh").input(str(size))
    at.text_input(key="scen_note").input("plan <b>noord</b>")
    _submit(at)
    assert not at.exception, at.exception


def _submit(at: AppTest) -> None:
    """Click the add-measure form's button (its key holds the button's text, so look it up)."""
    next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:scen_add")).click().run()


def _open_tab(at: AppTest, label: str) -> None:
    """Click a tab of the effects (only the open tab is computed: opening one reruns the page)."""
    assert label in [t.label for t in at.get("tab")]
    at.session_state["scen_tab"] = label
    at.run()
    assert not at.exception, at.exception


def _before_after(at: AppTest):
    return at.dataframe[0].value.set_index("Indicator")


def test_new_dwellings_show_formula_and_exact_effects(app):
    assert app.selectbox(key="scen_year").value == 2023
    assert any("publiceert geen aantallen per leeftijdsgroep" in c.value for c in app.caption)
    _add_dwellings(app)
    texts = [t.value for t in app.text]
    assert any("+500 woningen in Twekkelerveld (BU01530301) × 2 personen" in t and "inwoners +1000" in t for t in texts)
    assert any(t == "Toelichting (bron, besluit of redenering): plan <b>noord</b>" for t in texts)  # shown as text
    table = _before_after(app)
    assert table.loc["Aantal inwoners", "Verschil"] == "+1.000 inwoners"
    assert table.loc["Aantal huishoudens", "Verschil"] == "+500 huishoudens"
    # the wijk and the gemeente move by the same 1,000
    for area in ("WK015303", "GM0153"):
        app.selectbox(key="scen_ba_area").set_value(area).run()
        assert _before_after(app).loc["Aantal inwoners", "Verschil"] == "+1.000 inwoners"


def test_the_priority_index_is_rerun_and_the_new_rank_shown(app):
    app.radio(key="scen_kind").set_value("direct_assumption").run()
    app.selectbox(key="scen_area").set_value(TWEKKELERVELD)
    app.selectbox(key="scen_ind").set_value("bijstand_per_1000")
    app.radio(key="scen_change").set_value("new_value")
    app.text_input(key="scen_amount").input(str(0.0))
    _submit(app)
    assert not app.exception
    profile = pr.make_profile("bijstand", {"bijstand_per_1000": 1}, {"bijstand_per_1000": "higher_worse"})
    app.session_state["prio_current_profile"] = profile
    _open_tab(app, "Prioriteiten opnieuw")
    assert "Huidige weging van de pagina Prioriteiten" in app.selectbox(key="scen_profile").options
    app.selectbox(key="scen_profile").set_value("Huidige weging van de pagina Prioriteiten").run()
    metric = next(m for m in app.metric if m.label == "Rang Twekkelerveld")
    ranks = app.dataframe[-1].value
    assert int(metric.value) == ranks.loc[TWEKKELERVELD, "Rang na"]
    assert ranks.loc[TWEKKELERVELD, "Rang na"] > ranks.loc[TWEKKELERVELD, "Rang voor"]
    assert int(metric.delta) < 0


def test_user_text_is_shown_as_typed_not_as_markdown(app, isolated_state):
    _add_dwellings(app)
    app.text_input(key="scen_name").input("**vet** [link](https://example.org)").run()
    app.button(key="scen_save").click().run()
    message = app.success[0].value
    assert "\\*\\*vet\\*\\*" in message and "\\[link\\]" in message


def test_save_duplicate_and_delete(app, isolated_state):
    _add_dwellings(app)
    app.text_input(key="scen_name").input("Plan Noord").run()
    app.button(key="scen_save").click().run()
    assert any("'Plan Noord' opgeslagen" in s.value for s in app.success)
    assert [s.name for s in sc.load_scenarios()[0]] == ["Plan Noord"]
    assert app.selectbox(key="scen_pick").value == "Plan Noord"

    app.button(key="scen_dup").click().run()
    assert not app.exception
    assert [s.name for s in sc.load_scenarios()[0]] == ["Plan Noord", "Plan Noord (kopie)"]
    assert app.text_input(key="scen_name").value == "Plan Noord (kopie)"

    app.button(key="scen_del").click().run()
    assert [s.name for s in sc.load_scenarios()[0]] == ["Plan Noord"]
    assert app.selectbox(key="scen_pick").value == "__new__"

    app.selectbox(key="scen_pick").set_value("Plan Noord").run()
    assert app.text_input(key="scen_name").value == "Plan Noord"
    assert len(app.session_state["scen_measures"]) == 1


def test_numbers_are_typed_the_dutch_way_and_one_that_reads_two_ways_adds_nothing(app):
    app.radio(key="scen_kind").set_value("new_dwellings").run()
    assert app.text_input(key="scen_hh").value == "2"  # not "2.00"
    app.selectbox(key="scen_area").set_value(TWEKKELERVELD)
    app.text_input(key="scen_dw").input("1.500")  # 1500 with a thousands dot, or 1.5 dwellings?
    app.text_input(key="scen_hh").input("2,5")
    _submit(app)
    assert [rendered(e.value) for e in app.error] == [
        "Aantal woningen: '1.500' kan 1500 of 1,5 betekenen. Schrijf 1500 of 1,5."
    ]
    assert app.session_state["scen_measures"] == []  # nothing added
    app.text_input(key="scen_dw").input("1500")
    app.text_input(key="scen_hh").input("twee")
    _submit(app)
    assert [rendered(e.value) for e in app.error] == ["Gemiddeld aantal personen per huishouden: 'twee' is geen getal."]
    assert app.session_state["scen_measures"] == []
    app.text_input(key="scen_hh").input("2,5")
    _submit(app)
    assert not app.error and not app.exception
    (measure,) = app.session_state["scen_measures"]
    assert (measure.dwellings, measure.household_size) == (1500, 2.5)  # a decimal comma: 2.5, not 25


def test_a_bad_measure_and_a_broken_file_give_messages(app, isolated_state):
    _add_dwellings(app, dwellings=100_000, size=10.0)  # fine to add: it is a new-dwellings measure
    app.radio(key="scen_kind").set_value("demolition").run()
    app.selectbox(key="scen_area").set_value(TWEKKELERVELD)
    app.text_input(key="scen_dw").input(str(100_000))
    app.text_input(key="scen_hh").input(str(10.0))
    _submit(app)
    _submit(app)  # removing twice as much as was added
    assert any("onder 0" in e.value for e in app.error)
    assert not app.exception

    bad = json.loads(sc.to_json(sc.make_scenario(name="Kapot", year=2023)))
    bad["year"] = "vorig jaar"
    with db.writing(db.engine()) as conn:  # a stored scenario that no longer validates
        conn.execute(db.SCENARIOS.insert().values(key="kapot", name="Kapot", payload=json.dumps(bad), version=1))
    app.run()
    assert any("Scenario 'kapot'" in w.value and "basisjaar" in w.value for w in app.warning)


def test_scenarios_side_by_side(app, isolated_state):
    for n in (100, 200):
        scenario = sc.make_scenario(
            name=f"+{n}",
            year=2023,
            measures=[
                {
                    "type": "new_dwellings",
                    "area": TWEKKELERVELD,
                    "dwellings": n,
                    "household_size": 2.0,
                    "basis": "assumption",
                }
            ],
        )
        sc.save_scenario(db.engine(), scenario, actor=TEAM)
    app.run()
    _add_dwellings(app, dwellings=10)
    _open_tab(app, "Scenario's naast elkaar")
    app.multiselect(key="scen_cmp").set_value(["+100", "+200"]).run()
    app.selectbox(key="scen_cmp_area").set_value("WK015303").run()
    table = app.dataframe[-1].value
    assert list(table.columns) == ["Uitgangssituatie", "+100", "+200"]
    assert table.loc["Aantal inwoners", "+200"] != table.loc["Aantal inwoners", "+100"]


def test_english_ui(fresh_caches):
    app = run_page("scenarios.py", lang="en")
    _add_dwellings(app)
    assert app.title[0].value == "Scenarios"
    assert _before_after(app).loc["Inhabitants", "Difference"].startswith("+1,000")


@pytest.mark.parametrize("page", ["views/scenarios.py", "views/_scenario_measures.py", "views/prioriteiten.py"])
def test_every_text_key_of_the_page_exists_in_both_languages(page):
    import re
    from pathlib import Path

    from enschede_gis import i18n

    source = (Path(__file__).resolve().parent.parent / page).read_text(encoding="utf-8")
    keys = set(re.findall(r'ui\.t\(\s*"([\w.]+)"', source))
    prefixes = {
        "scenarios.type": ["new_dwellings", "demolition", "direct_assumption"],
        "scenarios.change": ["delta", "new_value"],
        "scenarios.basis": ["evidence", "assumption"],
        "scenarios.notes": ["age_mix_unused"],
        "prioriteiten.dir": ["higher_worse", "higher_better"],
        "prioriteiten.norm": list(pr.NORMALISATIONS),
        "prioriteiten.miss": list(pr.MISSING_POLICIES),
        "prioriteiten.agree": ["all", "some"],
    }
    for prefix, options in prefixes.items():
        if prefix in source:
            keys |= {f"{prefix}.{option}" for option in options}
    strings = i18n.strings()
    missing = sorted(k for k in keys if set(strings.get(k, {})) < {"nl", "en"})
    assert keys and not missing


def test_age_mix_on_a_wijk_in_2024(app):
    app.selectbox(key="scen_year").set_value(2024).run()
    assert not any("publiceert geen aantallen per leeftijdsgroep" in c.value for c in app.caption)
    app.checkbox(key="scen_use_mix").check().run()
    mix = dict(zip(sc.AGE_GROUPS, [50.0, 0.0, 50.0, 0.0, 0.0], strict=True))
    for group, share in mix.items():
        app.text_input(key=f"scen_mix_{group}").input(str(share))
    app.selectbox(key="scen_area").set_value("WK015306")
    app.text_input(key="scen_dw").input(str(100))
    _submit(app)
    assert not app.exception
    assert any("0–15: 50%" in t.value for t in app.text)
    app.selectbox(key="scen_ba_area").set_value("WK015306").run()
    table = _before_after(app)
    assert table.loc["Aantal inwoners", "Verschil"] == "+200 inwoners"
    assert table.loc["Personen 0 tot 15 jaar", "Verschil"] == "+100 personen"
    assert "Personen 15 tot 25 jaar" not in table.index  # unchanged: not listed
    _open_tab(app, "Prioriteiten opnieuw")
    assert any("geen prioriteitsindex" in i.value for i in app.info)  # 2024 has no directed indicators


def test_a_custom_area_is_offered_and_its_figures_follow(app, snap):
    from enschede_gis import areas

    area = areas.parse_area("Noordwest <i>", [TWEKKELERVELD, "BU01530300"])
    areas.save_area(db.engine(), area, set(snap.boundaries["buurt"]["code"]), actor=TEAM)
    app.run()
    app.selectbox(key="scen_area").set_value("custom:Noordwest <i>")
    app.text_input(key="scen_dw").input(str(40))
    _submit(app)
    assert any("+40 woningen in Noordwest <i> × 2 personen" in t.value for t in app.text)
    app.selectbox(key="scen_ba_area").set_value("custom:Noordwest <i>").run()
    assert _before_after(app).loc["Aantal inwoners", "Verschil"] == "+80 inwoners"


def test_a_saved_scenario_with_an_unavailable_year_says_which_year_replaced_it(app, isolated_state):
    sc.save_scenario(db.engine(), sc.make_scenario(name="Oud jaar", year=2022), actor=TEAM)
    app.run()
    app.selectbox(key="scen_pick").set_value("Oud jaar").run()
    assert not app.exception
    assert any("basisjaar 2022" in w.value and "gaat nu uit van 2023" in w.value for w in app.warning)
    assert app.selectbox(key="scen_year").value == 2023


def test_the_changed_figures_are_explained(app):
    _add_dwellings(app)
    offered = explanations_offered(app, "scen_explain")
    assert offered == list(_before_after(app).index)
    assert "Aantal inwoners" in offered
    # the map's figure has its own button; pick another figure for the map and its explanation follows
    _open_tab(app, "Verschilkaart")
    app.selectbox(key="scen_map_ind").set_value("huishoudens").run()
    open_popover(app, "scen_map_explain")
    titles = [c.value for p in app.get("popover") for c in p.children.values() if c.type == "markdown"]
    assert any(text.startswith("**Aantal huishoudens") for text in titles), titles


def test_only_the_open_tab_is_computed_and_it_follows_every_change(app):
    _add_dwellings(app)
    shown = {w.key for w in app.selectbox}
    assert "scen_ba_area" in shown and not shown & {"scen_map_ind", "scen_profile", "scen_cmp_area"}
    _open_tab(app, "Verschilkaart")
    shown = {w.key for w in app.selectbox}
    assert "scen_map_ind" in shown and "scen_ba_area" not in shown
    assert not app.dataframe  # the before/after table was not built
    _open_tab(app, "Voor en na")
    assert _before_after(app).loc["Aantal inwoners", "Verschil"] == "+1.000 inwoners"
    _add_dwellings(app, dwellings=100)  # a second measure: the open table follows at once
    assert app.session_state["scen_tab"] == "Voor en na"
    assert _before_after(app).loc["Aantal inwoners", "Verschil"] == "+1.200 inwoners"


def test_a_cached_outcome_is_never_stale_when_a_custom_area_it_names_changes(app, snap):
    from enschede_gis import areas

    known = set(snap.boundaries["buurt"]["code"])
    areas.save_area(db.engine(), areas.parse_area("Kern", [TWEKKELERVELD]), known, actor=TEAM)
    app.run()
    app.selectbox(key="scen_area").set_value("custom:Kern")
    app.text_input(key="scen_dw").input(str(40))
    _submit(app)
    app.selectbox(key="scen_ba_area").set_value(TWEKKELERVELD).run()
    assert _before_after(app).loc["Aantal inwoners", "Verschil"] == "+80 inwoners"
    # the area team adds a buurt to the area: the same scenario now spreads its 40 dwellings over two
    wider = areas.parse_area("Kern", [TWEKKELERVELD, "BU01530300"])
    areas.save_area(db.engine(), wider, known, actor=TEAM, replace="Kern", expected=1)
    app.run()
    spread = _before_after(app).loc["Aantal inwoners", "Verschil"]
    assert spread != "+80 inwoners" and spread.startswith("+"), spread


def test_the_open_effects_tab_stays_open_in_the_other_language(app):
    _add_dwellings(app)
    _open_tab(app, "Prioriteiten opnieuw")
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception, app.exception
    assert app.session_state["scen_tab"] == "Priorities re-run"  # the same tab, now in English
    assert "scen_profile" in [s.key for s in app.selectbox]  # its content is drawn, not the first tab's
