import pytest

from enschede_gis import areas, db, roles, store
from enschede_gis.errors import ConflictError, InputError
from enschede_gis.roles import PermissionDenied

KNOWN = {"BU01530905", "BU01530904", "BU01530301"}
TEAM = roles.Actor(roles.Role.TEAM, "Anna")


def test_custom_areas_are_stored_listed_edited_and_removed():
    eng = db.engine()
    area = areas.parse_area("Gebiedsproces Broekheurne", ["BU01530905", "bu01530904 "])
    assert areas.save_area(eng, area, KNOWN, actor=TEAM) == 1
    assert areas.load_areas(eng) == [area]
    assert area.codes == ("BU01530905", "BU01530904")
    edited = areas.parse_area("Broekheurne", ["BU01530905"])
    assert areas.save_area(eng, edited, KNOWN, actor=TEAM, replace="Gebiedsproces Broekheurne", expected=1) == 2
    assert [a.name for a in areas.load_areas(eng)] == ["Broekheurne"]
    areas.delete_area(eng, "Broekheurne", actor=TEAM, expected=2)
    assert areas.load_areas(eng) == []


def test_bad_areas_are_refused_with_a_message():
    eng = db.engine()
    with pytest.raises(InputError, match="naam"):
        areas.parse_area("  ", ["BU01530905"])
    with pytest.raises(InputError, match="buurten"):
        areas.parse_area("X", ["WK015309"])
    with pytest.raises(InputError, match="BU01539999"):
        areas.save_area(eng, areas.parse_area("X", ["BU01539999"]), KNOWN, actor=TEAM)
    areas.save_area(eng, areas.parse_area("X", ["BU01530905"]), KNOWN, actor=TEAM)
    with pytest.raises(InputError, match="bestaat al"):
        areas.save_area(eng, areas.parse_area("X", ["BU01530904"]), KNOWN, actor=TEAM)
    with pytest.raises(InputError, match="geen gebied 'Y'"):
        areas.delete_area(eng, "Y", actor=TEAM)


def test_the_second_of_two_edits_of_one_area_is_refused_and_says_who():
    eng = db.engine()
    areas.save_area(eng, areas.parse_area("Noord", ["BU01530301"]), KNOWN, actor=TEAM)
    # Anna and Bram both open version 1; Bram saves first.
    bram = roles.Actor(roles.Role.TEAM, "Bram")
    areas.save_area(eng, areas.parse_area("Noord", ["BU01530905"]), KNOWN, actor=bram, replace="Noord", expected=1)
    with pytest.raises(ConflictError) as refused:
        areas.save_area(eng, areas.parse_area("Noord", ["BU01530904"]), KNOWN, actor=TEAM, replace="Noord", expected=1)
    assert str(refused.value).startswith("Gewijzigd door Bram om ") and "laad opnieuw" in str(refused.value)
    assert refused.value.message("en").startswith("Changed by Bram at ")
    assert areas.load_areas(eng)[0].codes == ("BU01530905",)  # Bram's save stands
    with pytest.raises(ConflictError, match="Bram"):
        areas.delete_area(eng, "Noord", actor=TEAM, expected=1)
    areas.delete_area(eng, "Noord", actor=bram, expected=2)
    with pytest.raises(ConflictError, match="verwijderd"):
        areas.save_area(eng, areas.parse_area("Noord", ["BU01530904"]), KNOWN, actor=TEAM, replace="Noord", expected=2)
    assert areas.load_areas(eng) == []


def test_a_resident_cannot_change_areas_and_an_edit_must_name_its_version():
    eng = db.engine()
    resident = roles.Actor(roles.Role.RESIDENT)
    with pytest.raises(PermissionDenied):
        areas.save_area(eng, areas.parse_area("X", ["BU01530905"]), KNOWN, actor=resident)
    assert areas.load_areas(eng) == []  # refused before anything was written
    assert store.KINDS["areas"].action is roles.Action.EDIT_AREAS  # the one check save_area relies on
    areas.save_area(eng, areas.parse_area("X", ["BU01530905"]), KNOWN, actor=TEAM)
    with pytest.raises(PermissionDenied):
        areas.delete_area(eng, "X", actor=resident)
    with pytest.raises(TypeError):
        areas.save_area(eng, areas.parse_area("X", ["BU01530904"]), KNOWN, actor=TEAM, replace="X")
    assert [a.codes for a in areas.load_areas(eng)] == [("BU01530905",)]
