"""AppTest for the map explorer: the view comes from the URL, a click selects, text is translated."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.page_helpers import explanations_offered, run_page

pytestmark = pytest.mark.usefixtures("fresh_caches")


def _run(**params: str) -> AppTest:
    return run_page("kaart.py", timeout=90, **params)


def _map_args(at: AppTest) -> dict:
    components = [e for e in at.main if type(e).__name__ == "UnknownElement"]
    assert len(components) == 1
    assert components[0].proto.component_name.endswith("st_folium")
    return json.loads(components[0].proto.json_args)


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
    assert explanations_offered(at, "kaart_explain_panel") == list(table["Kenmerk"])
    # the view is written back to the URL, so the link reopens it
    assert at.query_params["indicator"] == "inwoners"
    assert at.query_params["gebied"] == "BU01530301"


def test_map_component_gets_local_scripts_70_buurten_and_only_click_returns():
    at = _run(niveau="buurt", jaar="2021")
    args = _map_args(at)
    assert args["returned_objects"] == ["last_active_drawing"]
    assert args["js_links"] == ["/app/static/leaflet-1.9.4/leaflet.js", "/app/static/jquery-3.7.1/jquery.min.js"]
    assert args["css_links"] == ["/app/static/leaflet-1.9.4/leaflet.css"]
    assert args["script"].count('"id": "BU0153') == 70
    assert "http" not in "".join(args["js_links"] + args["css_links"])


def test_a_click_selects_the_area_and_updates_the_url():
    at = _run(niveau="buurt", jaar="2021")
    assert not at.subheader
    at.session_state["kaart_map"] = {"last_active_drawing": {"properties": {"code": "BU01530301"}}}
    at.run()
    assert [s.value for s in at.subheader] == ["Twekkelerveld"]
    assert at.query_params["gebied"] == "BU01530301"
    assert "BU01530301" in _map_args(at)["feature_group"]  # the selection outline, without reloading the map


def test_a_buurt_in_the_url_at_wijk_level_selects_its_wijk():
    at = _run(niveau="wijk", gebied="BU01530301")
    assert at.query_params["gebied"] == "WK015303"
    assert "Twekkelerveld" in at.subheader[0].value
    assert _map_args(at)["script"].count('"id": "WK0153') >= 10


def test_unknown_indicator_and_year_fall_back_to_something_drawable():
    at = _run(indicator="bestaat_niet", jaar="1850", gebied="BU_kapot")
    assert at.query_params["indicator"] == "inwoners"
    assert at.query_params["jaar"] != "1850"
    assert "gebied" not in at.query_params
    assert at.info  # "click an area" hint instead of a panel


def test_relative_mode_names_enschede_in_the_legend():
    at = _run(niveau="buurt", jaar="2021", indicator="pct_65_plus", modus="relatief")
    script = _map_args(at)["script"]
    assert "Lager dan Enschede (18,0%)" in script
    assert "onbekend" in script  # three buurten have no published share


def test_english_interface_and_explanation_popover():
    at = _run(lang="en", niveau="wijk", jaar="2023", gebied="WK015303")
    assert at.title[0].value == "Map"
    assert at.metric[0].value != ""
    popovers = at.get("popover")
    # the legend's figure, and a picker for every figure in the area panel
    assert [p.proto.popover.label for p in popovers] == ["Explanation", "Explanation"]
    text = "\n".join(child.value for child in popovers[0].children.values())
    assert "Inhabitants" in text
    assert "Source" in text and "85618NED" in text  # the wijk source table of 2023
    assert "Inhabitants" in at.dataframe[0].value["Figure"].tolist()


def test_map_options_change_the_map_and_the_url():
    at = _run(niveau="buurt", jaar="2021")
    method = at.selectbox(key="kaart_method")
    assert method.format_func("natural_breaks") == "Natuurlijke grenzen (Fisher-Jenks)"
    method.select("natural_breaks").run()
    at.selectbox(key="kaart_scheme").select("Purples").run()
    assert at.query_params["klassen"] == "natural_breaks"
    assert at.query_params["kleuren"] == "Purples"
    assert "#54278f" in _map_args(at)["script"]  # the darkest of ColorBrewer's 5-class Purples
    at.toggle(key="kaart_relative").set_value(True).run()
    assert at.query_params["modus"] == "relatief"
    assert at.selectbox(key="kaart_scheme").value == "RdBu"  # diverging schemes in relative mode


def test_relative_mode_for_a_count_compares_with_the_average_buurt():
    at = _run(niveau="buurt", jaar="2021", indicator="inwoners", modus="relatief")
    script = _map_args(at)["script"]
    assert "Lager dan het gemiddelde per buurt in Enschede (2.28" in script  # 159.732 / 70 buurten


def test_custom_areas_are_a_level_of_their_own():
    from enschede_gis import areas

    known = {"BU01530905", "BU01530904", "BU01530301"}
    areas.save_area(areas.parse_area("Broekheurne", ["BU01530905", "BU01530904"]), known)
    areas.save_area(areas.parse_area("Twekkelerveld", ["BU01530301"]), known)
    at = _run(niveau="custom", jaar="2023", indicator="inwoners", gebied="custom:Broekheurne")
    assert at.radio(key="kaart_level").value == "custom"
    assert [s.value for s in at.subheader] == ["Broekheurne"]
    assert at.metric[0].value == "1.820"  # 2023: the two buurten summed, not averaged
    args = _map_args(at)
    assert args["script"].count('"id": "custom:') == 2
