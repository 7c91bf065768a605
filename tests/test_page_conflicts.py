"""Pages pass the version they loaded: a save over someone else's change is refused with who and when,
and the project register shows who changed each project."""

from __future__ import annotations

from datetime import date

from enschede_gis import areas, projects, roles
from tests.page_helpers import TEAM, rendered, run_page

KNOWN = {"BU01530301", "BU01530905", "BU01530904"}
BRAM = roles.Actor(roles.Role.TEAM, "Bram")


def test_saving_an_area_someone_else_changed_meanwhile_is_refused_with_who_and_when(page_db):
    areas.save_area(page_db, areas.parse_area("Noord", ["BU01530301"], "eerste"), KNOWN, actor=TEAM)
    at = run_page("gebieden.py")
    at.selectbox(key="gebieden_choice").set_value("Noord").run()  # this user opens version 1
    assert at.text_area[0].value == "eerste"
    # Meanwhile Bram saves the same area from his own laptop.
    areas.save_area(
        page_db, areas.parse_area("Noord", ["BU01530905"], "van Bram"), KNOWN, actor=BRAM, replace="Noord", expected=1
    )
    at.text_area[0].set_value("mijn wijziging")
    at.button[0].click().run()  # the form's save button
    assert not at.exception
    shown = [rendered(e.value) for e in at.error]
    assert any(e.startswith("Gewijzigd door Bram om ") and "laad opnieuw" in e for e in shown), shown
    assert [(a.codes, a.description) for a in areas.load_areas(page_db)] == [(("BU01530905",), "van Bram")]


def test_the_register_shows_who_changed_each_project(page_db):
    project = projects.make_project(
        title="Riolering",
        domain="fysiek",
        responsible="Team Riool",
        area={"codes": ["BU01530301"]},
        start=date(2026, 1, 1),
        end=date(2026, 3, 31),
    )
    projects.save(page_db, project, actor=BRAM)
    register = run_page("projecten.py").dataframe[0].value.set_index("Project")
    assert register.loc["Riolering", "Gewijzigd door"] == "Bram"
    assert register.loc["Riolering", "Gewijzigd op"]  # a time (today) or a date and time
    assert run_page("projecten.py", lang="en").dataframe[0].value.iloc[0]["Changed by"] == "Bram"
