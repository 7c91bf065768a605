"""AppTests for the project register page: add, validate, conflicts flagged, timeline per area."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from enschede_gis import projects
from tests.page_helpers import TEAM, map_views, run_page

CITY, LASONDER = "BU01530000", "BU01530001"


@pytest.fixture
def eng(page_db):
    return page_db


def _app(**params) -> AppTest:
    return run_page("projecten.py", **params)


def _project(title, start, end, codes, responsible="Gemeente"):
    return projects.make_project(
        title=title, domain="verkeer", responsible=responsible, area={"codes": codes}, start=start, end=end
    )


def test_empty_register(eng):
    at = _app()
    assert any("nog leeg" in i.value for i in at.info)
    at = _app(weergave="conflicts")
    assert any("Geen projecten die tegelijk" in s.value for s in at.success)


def test_add_a_project(eng):
    at = _app(weergave="edit")
    at.multiselect(key="projecten_codes").set_value([CITY]).run()
    form_inputs = at.text_input
    form_inputs[0].set_value("Herinrichting Oude Markt")
    form_inputs[1].set_value("Gemeente, team Openbare ruimte")
    at.button[0].click().run()  # the form's submit button
    assert not at.exception
    saved = projects.load_all(eng)
    assert [(p.title, p.area.codes) for p in saved] == [("Herinrichting Oude Markt", (CITY,))]
    assert any("is opgeslagen" in s.value for s in at.success)


def test_project_without_area_gives_one_message(eng):
    at = _app(weergave="edit")
    at.text_input[0].set_value("Zonder gebied")
    at.text_input[1].set_value("Iemand")
    at.button[0].click().run()
    assert at.error and "precies één gebied" in at.error[0].value
    assert projects.load_all(eng) == []


def test_conflicts_are_flagged_in_register_and_conflict_tab(eng):
    projects.save(
        eng,
        [
            _project("Riolering", date(2026, 1, 1), date(2026, 3, 31), [CITY]),
            _project("Glasvezel", date(2026, 3, 31), date(2026, 5, 1), [CITY, LASONDER], responsible="Glasbedrijf"),
            _project("Later", date(2026, 4, 1), date(2026, 4, 30), [LASONDER, "BU01530002"]),
        ],
        actor=TEAM,
    )
    at = _app(gebied=CITY)
    register = at.dataframe[0].value
    assert register.set_index("Project")["Conflict"].to_dict() == {"Riolering": "ja", "Glasvezel": "ja", "Later": "ja"}
    at = _app(weergave="conflicts")
    assert any("2 keer lopen twee projecten" in w.value for w in at.warning)
    conflicts = at.dataframe[0].value
    assert conflicts["Soort"].tolist() == ["Tegelijk", "Tegelijk"]
    assert conflicts["Gedeelde buurten"].tolist()[0] == "City"
    # the map: City and Lasonder each have one overlapping pair, named in their tooltip; others plain
    [view] = map_views(at)
    codes = _codes()
    fills = {code: view["colours"][i] for code, i in zip(codes, view["cls"], strict=True)}
    assert fills[CITY] == fills[LASONDER] == projects.CONFLICT_COLOURS[0]
    assert fills["BU01530002"] == "#ffffff"
    tips = dict(zip(codes, view["more"][0][1], strict=True))
    assert (tips[CITY], tips[LASONDER]) == ("Riolering × Glasvezel", "Glasvezel × Later")
    assert [row[0] for row in view["legend"]["rows"]][:2] == ["1 overlappend paar", "2 overlappende paren"]
    assert view["legend"]["rows"][0][2] == 2  # two buurten with one pair


def _codes() -> list[str]:
    from app_state import map_asset

    return list(map_asset("buurt", gemeente_code="GM0153").codes)


def test_a_polygon_is_drawn_by_clicking_corners_and_a_click_outside_is_refused(eng):
    at = _app(weergave="edit")
    at.radio(key="projecten_area_kind").set_value("polygon").run()
    corners = [(52.2205, 6.8930), (52.2215, 6.8950), (52.2195, 6.8960)]
    for n, (lat, lon) in enumerate(corners):
        at.session_state["projecten_draw_map"] = {"lat": lat, "lon": lon, "id": f"click-{n}"}
        at.run()
    assert not at.exception and not at.error
    view = map_views(at)[0]
    assert view["pick"] is True and view["shape"] == [[lat, lon] for lat, lon in corners]
    assert any("(3 punten; minstens 3)" in c.value for c in at.caption)
    at.session_state["projecten_draw_map"] = {"lat": 48.85, "lon": 2.35, "id": "paris"}  # Paris
    at.run()
    assert "buiten de gemeente" in at.error[0].value
    assert len(map_views(at)[0]["shape"]) == 3  # nothing added
    at.text_input[0].set_value("Speelplek")
    at.text_input[1].set_value("Wijkteam")
    next(b for b in at.button if b.label == "Project opslaan").click().run()
    [saved] = projects.load_all(eng)
    ring = [list(c) for c in saved.area.polygon["coordinates"][0]]
    assert ring == [[lon, lat] for lat, lon in [*corners, corners[0]]]


def test_timeline_per_area(eng):
    projects.save(eng, [_project("Riolering", date(2026, 1, 1), date(2026, 3, 31), [CITY])], actor=TEAM)
    at = _app(weergave="timeline", gebied=LASONDER)
    assert any("Geen projecten in dit gebied" in i.value for i in at.info)
    at = _app(weergave="timeline", gebied=CITY)
    assert not at.info and at.get("vega_lite_chart")


def test_english(eng):
    at = _app(lang="en")
    assert at.title[0].value == "Projects and works"


CSV = (
    "titel;domein;verantwoordelijke;contact;gebied;start;eind\n"
    f"Riolering;fysiek;Gemeente;;{CITY};1-1-2026;31-3-2026\n"
    f"Glasvezel;energie;Glasbedrijf;info@example.org;{CITY};31-3-2026;30-4-2026\n"
)


def test_import_a_csv(eng):
    at = _app(weergave="import")
    at.file_uploader(key="projecten_upload").upload("werken.csv", CSV.encode("utf-8"), "text/csv").run()
    assert not at.exception
    assert any("2 projecten gelezen" in s.value for s in at.success)
    assert projects.load_all(eng) == []  # checked, not yet imported
    at.button(key="projecten_import_go").click().run()
    assert [p.title for p in projects.load_all(eng)] == ["Riolering", "Glasvezel"]


def test_import_with_a_bad_row_names_it_and_imports_nothing(eng):
    at = _app(weergave="import")
    bad = CSV + f"Fout;cultuur;X;;{CITY};2026-01-01;2026-02-01\n"
    at.file_uploader(key="projecten_upload").upload("werken.csv", bad.encode("utf-8"), "text/csv").run()
    assert at.error and "rij 4" in at.error[0].value and "domein" in at.error[0].value
    assert projects.load_all(eng) == []
