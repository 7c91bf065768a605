"""AppTest for the map explorer: the view comes from the URL, a click selects, text is translated."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.page_helpers import TEAM, explanations_offered, map_views, open_popover, run_page

pytestmark = pytest.mark.usefixtures("fresh_caches")


def _run(**params: str) -> AppTest:
    return run_page("kaart.py", timeout=90, **params)


def _map_args(at: AppTest) -> dict:
    assert len([e for e in at.main if type(e).__name__ == "UnknownElement"]) == 1  # one component: the map
    (view,) = map_views(at)
    return view


def _legend_text(args: dict) -> str:
    legend = args["legend"]
    return "\n".join([legend["title"], *(row[0] for row in legend["rows"]), *legend["notes"]])


def test_default_view_panel_shows_each_figure_at_its_latest_year():
    at = _run(niveau="buurt", gebied="BU01530301")  # no year in the link: the default, latest per figure
    table = at.dataframe[0].value
    men = table[table["Kenmerk"] == "Mannen"].iloc[0]
    assert men["Twekkelerveld"] == "2.165 personen" and men["Jaar"] == "2021"  # not 'onbekend' for 2024
    assert men["Enschede"] == "81.678 personen"  # Enschede in that same year
    people = table[table["Kenmerk"] == "Aantal inwoners"].iloc[0]
    assert people["Twekkelerveld"] == "4.210 inwoners" and people["Jaar"] == "2024"


def test_url_opens_buurt_map_with_twekkelerveld_selected():
    at = _run(niveau="buurt", jaar="2021", gebied="BU01530301")
    assert [s.value for s in at.subheader] == ["Twekkelerveld"]
    assert at.metric[0].value == "4.210"
    assert "85039NED" in at.caption[1].value
    assert "Aantal inwoners" in at.metric[0].label and "2021" in at.metric[0].label
    assert any(c.value == "Enschede: 159.732 inwoners" for c in at.caption)
    table = at.dataframe[0].value
    row = table[table["Kenmerk"] == "Aantal inwoners"].iloc[0]
    assert row["Twekkelerveld"] == "4.210 inwoners" and row["Enschede"] == "159.732 inwoners"
    assert row["Jaar"] == "2021" and "85039NED" in row["Bron"]
    assert (table["Twekkelerveld"] != "0").all()
    assert set(table["Kenmerk"]) <= set(explanations_offered(at, "kaart_explain_panel"))
    # the view is written back to the URL, so the link reopens it
    assert at.query_params["indicator"] == "inwoners"
    assert at.query_params["gebied"] == "BU01530301"


def test_map_gets_a_geometry_file_once_and_a_small_view_of_70_buurten():
    from app_state import _map_component

    at = _run(niveau="buurt", jaar="2021")
    args = _map_args(at)
    assert args["asset"].startswith("geo-") and args["asset"].endswith(".json")
    folder = _map_component()[0]
    asset = json.loads((folder / args["asset"]).read_text(encoding="utf-8"))
    assert len(asset["areas"]["features"]) == 70 and len(asset["wijken"]["features"]) == 10
    assert len(args["cls"]) == len(args["text"]) == 70
    assert "geometry" not in json.dumps(args)  # the view carries no shapes
    assert len(json.dumps(args)) < 4000
    assert args["tiles"] is None  # offline unless a user turns the background map on
    assert (folder / "index.html").is_file() and "http" not in (folder / "index.html").read_text().replace(
        "http://www.w3.org", ""
    )


def test_a_click_selects_the_area_and_updates_the_url():
    at = _run(niveau="buurt", jaar="2021")
    assert not at.subheader
    asset = _map_args(at)["asset"]
    at.session_state["kaart_map"] = "BU01530301"
    at.run()
    assert [s.value for s in at.subheader] == ["Twekkelerveld"]
    assert at.query_params["gebied"] == "BU01530301"
    args = _map_args(at)
    assert args["selected"] == "BU01530301" and args["asset"] == asset  # same geometry, new selection


def test_a_buurt_in_the_url_at_wijk_level_selects_its_wijk():
    at = _run(niveau="wijk", gebied="BU01530301")
    assert at.query_params["gebied"] == "WK015303"
    assert "Twekkelerveld" in at.subheader[0].value
    assert len(_map_args(at)["cls"]) == 10


def test_unknown_indicator_and_year_fall_back_to_something_drawable():
    at = _run(indicator="bestaat_niet", jaar="1850", gebied="BU_kapot")
    assert at.query_params["indicator"] == "inwoners"
    assert at.query_params["jaar"] != "1850"
    assert "gebied" not in at.query_params
    assert at.info  # "click an area" hint instead of a panel


def test_relative_mode_names_enschede_in_the_legend():
    at = _run(niveau="buurt", jaar="2021", indicator="pct_65_plus", modus="relatief")
    legend = _legend_text(_map_args(at))
    assert "Lager dan Enschede (18,0%)" in legend
    assert ["onbekend", "#d9d9d9", 3, True] in _map_args(at)["legend"]["rows"]  # three buurten: no share


def test_english_interface_and_explanation_popover():
    at = _run(lang="en", niveau="wijk", jaar="2023", gebied="WK015303")
    assert at.title[0].value == "Map"
    assert at.metric[0].value != ""
    popovers = at.get("popover")
    # one picker: the mapped figure first, then every figure of the area panel
    assert [p.proto.popover.label for p in popovers] == ["Explanation"]
    assert "kaart_explain_panel_choice" not in [box.key for box in at.selectbox]  # drawn only when open
    open_popover(at, "kaart_explain_panel")
    assert at.selectbox(key="kaart_explain_panel_choice").value.key == "inwoners"
    text = "\n".join(m.value for m in at.markdown)
    assert "**Inhabitants" in text
    assert "Source" in text and "85618NED" in text  # the wijk source table of 2023
    assert "Inhabitants" in at.dataframe[0].value["Figure"].tolist()


def test_map_options_change_the_map_and_the_url():
    at = _run(niveau="buurt", jaar="2021")
    assert "kaart_method" not in [box.key for box in at.selectbox]  # a closed expander draws no widgets
    at.session_state["kaart_options_open"] = True  # open "Kaartopties", as a click does
    at.run()
    method = at.selectbox(key="kaart_method")
    assert method.format_func("natural_breaks") == "Natuurlijke grenzen (Fisher-Jenks)"
    method.select("natural_breaks").run()
    at.selectbox(key="kaart_scheme").select("Purples").run()
    assert at.query_params["klassen"] == "natural_breaks"
    assert at.query_params["kleuren"] == "Purples"
    assert "#54278f" in _map_args(at)["colours"]  # the darkest of ColorBrewer's 5-class Purples
    at.toggle(key="kaart_relative").set_value(True).run()
    assert at.query_params["modus"] == "relatief"
    assert at.selectbox(key="kaart_scheme").value == "RdBu"  # diverging schemes in relative mode


def test_closing_the_map_options_keeps_what_was_chosen():
    at = _run(niveau="buurt", jaar="2021")
    at.session_state["kaart_options_open"] = True
    at.run()
    at.slider(key="kaart_k").set_value(3).run()
    at.checkbox(key="kaart_labels").uncheck().run()
    at.selectbox(key="kaart_scheme").select("Purples").run()
    chosen = _map_args(at)
    assert len([row for row in chosen["legend"]["rows"] if not row[3]]) == 3 and not chosen["labels"]  # 3 classes
    at.session_state["kaart_options_open"] = False
    at.run()
    assert "kaart_k" not in [s.key for s in at.slider]
    closed = _map_args(at)
    assert closed["colours"] == chosen["colours"] and closed["legend"] == chosen["legend"]
    assert not closed["labels"] and at.query_params["kleuren"] == "Purples"
    at.session_state["kaart_options_open"] = True
    at.run()  # opened again: the widgets show what is on the map
    assert at.slider(key="kaart_k").value == 3 and not at.checkbox(key="kaart_labels").value


def test_a_link_colour_scheme_the_map_does_not_have_is_said():
    at = _run(niveau="buurt", jaar="2021", kleuren="Rainbow")
    assert any("Rainbow" in info.value for info in at.info)
    assert "kleuren" not in at.query_params  # the default scheme, so the link carries none


def test_relative_mode_for_a_count_compares_with_the_average_buurt():
    at = _run(niveau="buurt", jaar="2021", indicator="inwoners", modus="relatief")
    legend = _legend_text(_map_args(at))
    assert "Lager dan het gemiddelde per buurt in Enschede (2.28" in legend  # 159.732 / 70 buurten


def test_custom_areas_are_a_level_of_their_own():
    from enschede_gis import areas, db

    known = {"BU01530905", "BU01530904", "BU01530301"}
    eng = db.engine()
    areas.save_area(eng, areas.parse_area("Broekheurne", ["BU01530905", "BU01530904"]), known, actor=TEAM)
    areas.save_area(eng, areas.parse_area("Twekkelerveld", ["BU01530301"]), known, actor=TEAM)
    at = _run(niveau="custom", jaar="2023", indicator="inwoners", gebied="custom:Broekheurne")
    assert at.radio(key="kaart_level").value == "custom"
    assert [s.value for s in at.subheader] == ["Broekheurne"]
    assert at.metric[0].value == "1.820"  # 2023: the two buurten summed, not averaged
    args = _map_args(at)
    assert len(args["cls"]) == 2 and args["selected"] == "custom:Broekheurne"


def test_new_own_data_recompute_the_map_tables_instead_of_showing_the_old_ones(monkeypatch):
    from enschede_gis import figures, maps, uploads
    from tests.page_helpers import counting

    tables = counting(monkeypatch, figures, ["level_table"])
    lookups = counting(monkeypatch, maps, ["indicator_years", "sources_by_indicator"])
    _run(niveau="buurt", gebied="BU01530301")
    first = {**tables, **lookups}
    assert all(first.values())
    _run(niveau="buurt", gebied="BU01530301")  # the same data: everything comes from the caches
    assert {**tables, **lookups} == first
    monkeypatch.setattr(uploads, "version", lambda *args, **kwargs: "another upload")
    _run(niveau="buurt", gebied="BU01530301")
    now = {**tables, **lookups}
    assert all(now[name] > first[name] for name in first), (first, now)
