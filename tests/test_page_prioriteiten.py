"""AppTests for the priorities page: ranking, weights, missing policy, saved profiles side by side."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from enschede_gis import db, figures
from enschede_gis import priorities as pr
from tests.page_helpers import TEAM, counting, explanations_offered, rendered, run_page


@pytest.fixture
def app(fresh_caches) -> AppTest:
    return run_page("prioriteiten.py")


def _ranking_frame(at: AppTest):
    return at.dataframe[0].value


def _open_tab(at: AppTest, label: str) -> AppTest:
    """Choose a tab, as a click on it does (the tabs keep their choice in session state)."""
    at.session_state["prio_tab"] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_page_ranks_the_buurten_with_the_default_indicators(app, snap, catalogue):
    table = figures.buurt_table(snap, year=2023)
    expected = pr.rank_areas(table, pr.default_profile(table, catalogue), catalogue)
    frame = _ranking_frame(app)
    assert list(frame.index) == list(expected.table.index)
    assert frame["Rang"].tolist() == list(range(1, len(expected.table) + 1))
    assert "Rangbereik (5–95%)" in frame.columns
    captions = " ".join(c.value for c in app.caption)
    assert "1.000 keer verstoord" in captions and "seed 0" in captions
    # the left-out buurten are listed, never ranked with a 0
    assert any("Niet gerangschikt" in i.value for i in app.info)
    assert app.session_state["prio_current_profile"].normalisation == "zscore"


def test_weights_change_the_ranking(app, snap):
    for slider in app.select_slider:
        if slider.key and slider.key.startswith("prio_w_") and slider.key != "prio_w_bijstand_per_1000":
            slider.set_value(0.0)
    app.run()
    assert not app.exception
    frame = _ranking_frame(app)
    table = figures.buurt_table(snap, year=2023)
    ranked = table.loc[frame.index, "bijstand_per_1000"]
    assert frame.index[0] == ranked.idxmax()
    profile = app.session_state["prio_current_profile"]
    assert [w.indicator for w in profile.active] == ["bijstand_per_1000"]


def test_mean_fill_policy_ranks_every_buurt_and_marks_filled_values(app):
    app.radio(key="prio_missing").set_value("city_mean").run()
    frame = _ranking_frame(app)
    assert len(frame) == 70
    assert (frame["Aangevuld met gemiddelde"] != "").sum() > 0
    assert any("aangevuld met het gemiddelde" in i.value for i in app.info)


def test_an_indicator_without_direction_asks_for_one(app):
    chosen = app.multiselect(key="prio_indicators")
    chosen.set_value([*chosen.value, "pct_eenpersoonshuishoudens"]).run()
    assert any("Zonder gekozen richting" in w.value for w in app.warning)
    app.selectbox(key="prio_d_pct_eenpersoonshuishoudens").set_value("higher_worse").run()
    assert not any("Zonder gekozen richting" in w.value for w in app.warning)
    assert "pct_eenpersoonshuishoudens" in [w.indicator for w in app.session_state["prio_current_profile"].active]


def test_saved_profiles_are_shown_side_by_side(app, isolated_state):
    app.text_input(key="prio_name").input("bewoners")
    app.text_area(key="prio_rationale").input("Inkomen en voorzieningen dichtbij")
    app.button[0].click().run()
    assert any("opgeslagen" in s.value for s in app.success)
    assert [p.name for p in pr.load_profiles()] == ["bewoners"]

    for slider in app.select_slider:
        if slider.key and slider.key.startswith("prio_w_") and slider.key != "prio_w_wmo_per_1000":
            slider.set_value(0.0)
    app.run()
    app.text_input(key="prio_name").input("gemeente")
    app.text_area(key="prio_rationale").input("Zorggebruik")
    app.button[0].click().run()
    assert not app.exception
    assert [p.name for p in pr.load_profiles()] == ["bewoners", "gemeente"]
    app = _open_tab(app, "Profielen naast elkaar")
    comparison = app.dataframe[-2].value
    assert {"bewoners", "gemeente", "Eens?"} <= set(comparison.columns)
    assert set(comparison["Eens?"]) <= {"alle profielen", "verschillen"}
    assert "verschillen" in set(comparison["Eens?"])
    # loading a profile puts its weights back into the sliders
    app.selectbox(key="prio_load").set_value("bewoners").run()
    assert app.select_slider(key="prio_w_bijstand_per_1000").value == 1.0
    assert app.select_slider(key="prio_w_wmo_per_1000").value == 1.0
    app.selectbox(key="prio_del_pick").set_value("gemeente")
    app.button(key="prio_del").click().run()
    assert [p.name for p in pr.load_profiles()] == ["bewoners"]
    assert app.selectbox(key="prio_load").options == ["bewoners"]


def test_a_nameless_profile_is_refused_with_a_message(app):
    app.text_input(key="prio_name").input("  ")
    app.button[0].click().run()
    assert any("naam" in e.value for e in app.error)
    assert pr.load_profiles() == []


def test_english_ui(app):
    app.query_params["lang"] = "en"
    app.run()
    assert not app.exception
    assert app.title[0].value == "Priorities"
    assert "Rank range (5–95%)" in _ranking_frame(app).columns


def test_a_score_opens_into_its_contributions_also_from_a_map_click(app):
    ranking = _ranking_frame(app)
    code = ranking.index[5]
    app.session_state["prio_map"] = code  # what the map returns for a click
    app.run()
    assert not app.exception
    app = _open_tab(app, "Opbouw van een score")
    assert app.selectbox(key="prio_breakdown").value == code
    parts = app.dataframe[0].value  # the ranking tab is closed now
    assert parts["Bijdrage"].sum() == pytest.approx(ranking.loc[code, "Score"], abs=0.01)
    assert set(parts["Indicator"]) == {s.label.removeprefix("Gewicht: ") for s in app.select_slider if s.value > 0}


def test_a_profile_with_indicators_missing_this_year_says_so(app):
    profile = pr.make_profile(
        "oud",
        {"pct_jeugdzorg": 1, "bijstand_per_1000": 1},
        dict.fromkeys(["pct_jeugdzorg", "bijstand_per_1000"], "higher_worse"),
    )
    pr.save_profile(db.engine(), profile, actor=TEAM)
    app.run()
    app.selectbox(key="prio_load").set_value("oud").run()
    app.selectbox(key="prio_year").set_value(2020).run()  # 2020 publishes no youth care per buurt
    assert any("Aandeel jongeren met jeugdzorg" in w.value and "tellen niet mee" in w.value for w in app.warning)
    assert [w.indicator for w in app.session_state["prio_current_profile"].active] == ["bijstand_per_1000"]


def test_the_chosen_indicators_and_the_breakdown_are_explained(app, catalogue):
    chosen = app.multiselect(key="prio_indicators").value
    assert explanations_offered(app, "prio_explain") == [catalogue[k].label("nl") for k in chosen]
    app = _open_tab(app, "Opbouw van een score")
    breakdown = explanations_offered(app, "prio_explain_breakdown")
    assert set(breakdown) == {catalogue[k].label("nl") for k in chosen}


def test_ranking_is_shared_by_visits_and_sessions_and_redone_when_an_input_changes(fresh_caches, monkeypatch):
    calls = counting(monkeypatch, pr, ["rank_areas", "rank_stability", "breakdown", "compare_profiles"])
    first = run_page("prioriteiten.py")
    assert calls == {"rank_areas": 1, "rank_stability": 1, "breakdown": 0, "compare_profiles": 0}  # closed tabs
    ranking = _ranking_frame(first)
    second = run_page("prioriteiten.py")  # another session, the same inputs: nothing computed again
    assert calls["rank_areas"] == 1 and calls["rank_stability"] == 1
    assert _ranking_frame(second).equals(ranking)
    assert "prio_seed" not in [w.key for w in second.text_input]  # drawn when their expander opens
    second.session_state["prio_stability_open"] = True
    second.run()
    assert calls["rank_areas"] == 1 and calls["rank_stability"] == 1  # opening them changes nothing
    second.text_input(key="prio_seed").set_value("7").run()  # a new seed: new stability, same ranking
    assert calls == {"rank_areas": 2, "rank_stability": 2, "breakdown": 0, "compare_profiles": 0}
    assert "seed 7" in " ".join(c.value for c in second.caption)
    second.session_state["prio_stability_open"] = False
    second.run()  # closed again: the seed set stays, nothing is ranked again
    assert "seed 7" in " ".join(c.value for c in second.caption) and calls["rank_stability"] == 2
    second.select_slider(key=second.select_slider[0].key).set_value(9.5).run()  # a new weight: a new ranking
    assert calls["rank_areas"] == 3 and not _ranking_frame(second).equals(ranking)
    _open_tab(second, "Opbouw van een score")
    assert calls["breakdown"] == 1 and calls["rank_areas"] == 3  # opening a tab ranks nothing again


def test_weights_are_written_the_dutch_way_and_a_weight_off_the_steps_is_shown_as_it_is(app):
    weight = app.select_slider(key="prio_w_bijstand_per_1000")
    assert weight.value == 1.0 and weight.options[:4] == ["0", "0,5", "1", "1,5"] and weight.options[-1] == "10"
    old = pr.make_profile("eerste versie", {"bijstand_per_1000": 2.3}, {"bijstand_per_1000": "higher_worse"})
    pr.save_profile(db.engine(), old, actor=TEAM)  # e.g. a profile moved over from the first version
    app.run()
    app.selectbox(key="prio_load").set_value("eerste versie").run()
    assert not app.exception
    weight = app.select_slider(key="prio_w_bijstand_per_1000")
    assert weight.value == 2.3 and "2,3" in weight.options
    assert app.session_state["prio_current_profile"].weights[0].weight == 2.3  # ranked with it, not rounded


def test_stability_settings_are_typed_the_dutch_way_and_a_number_that_reads_two_ways_is_refused(
    fresh_caches, monkeypatch
):
    calls = counting(monkeypatch, pr, ["rank_stability"])
    app = run_page("prioriteiten.py")
    app.session_state["prio_stability_open"] = True
    app.run()
    fields = {key: app.text_input(key=key) for key in ("prio_draws", "prio_conc", "prio_seed")}
    assert [f.value for f in fields.values()] == [str(pr.DEFAULT_DRAWS), "200", "0"]  # no "200.00"
    note = _stability_caption(app)
    assert f"{pr.DEFAULT_DRAWS} keer" in note.replace(".", "") and calls == {"rank_stability": 1}
    fields["prio_draws"].set_value("1.000").run()  # 1000 with a thousands dot, or 1 with a decimal point?
    errors = [rendered(e.value) for e in app.error]
    assert errors == ["Aantal verstoringen: '1.000' kan 1000 of 1 betekenen. Schrijf 1000 of 1."], errors
    assert _stability_caption(app) == note and calls == {"rank_stability": 1}  # nothing changed
    app.text_input(key="prio_draws").set_value("2000").run()
    assert not app.error and "2.000 keer" in _stability_caption(app) and calls == {"rank_stability": 2}
    app.text_input(key="prio_conc").set_value("12,5").run()  # a decimal comma
    assert not app.error and "concentratie 12,5" in _stability_caption(app)
    for typed, reason in (("4", "kies een getal van 5 tot en met 2000"), ("veel", "is geen getal"), ("", "vul")):
        app.text_input(key="prio_conc").set_value(typed).run()
        assert reason in rendered(app.error[0].value), (typed, app.error[0].value)
        assert "concentratie 12,5" in _stability_caption(app)  # the last number read stays in use
    app.text_input(key="prio_seed").set_value("2,5").run()
    assert "heel getal" in app.error[-1].value and calls == {"rank_stability": 3}


def _stability_caption(app) -> str:
    return next(c.value for c in app.caption if "verstoord" in c.value)


def test_new_own_data_rank_again_instead_of_showing_the_old_ranking(fresh_caches, monkeypatch):
    from enschede_gis import uploads

    calls = counting(monkeypatch, pr, ["rank_areas"])
    run_page("prioriteiten.py")
    monkeypatch.setattr(uploads, "version", lambda *args, **kwargs: "another upload")
    run_page("prioriteiten.py")
    assert calls["rank_areas"] == 2
