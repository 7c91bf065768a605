import pytest

from enschede_gis import areas
from enschede_gis.errors import DataError, InputError

KNOWN = {"BU01530905", "BU01530904", "BU01530301"}


def test_custom_areas_are_stored_listed_edited_and_removed():
    area = areas.parse_area("Gebiedsproces Broekheurne", ["BU01530905", "bu01530904 "])
    areas.save_area(area, KNOWN)
    assert areas.load_areas() == [area]
    assert area.codes == ("BU01530905", "BU01530904")
    edited = areas.parse_area("Broekheurne", ["BU01530905"])
    areas.save_area(edited, KNOWN, replace="Gebiedsproces Broekheurne")
    assert [a.name for a in areas.load_areas()] == ["Broekheurne"]
    areas.delete_area("Broekheurne")
    assert areas.load_areas() == []


def test_bad_areas_are_refused_with_a_message():
    with pytest.raises(InputError, match="naam"):
        areas.parse_area("  ", ["BU01530905"])
    with pytest.raises(InputError, match="buurten"):
        areas.parse_area("X", ["WK015309"])
    with pytest.raises(InputError, match="BU01539999"):
        areas.save_area(areas.parse_area("X", ["BU01539999"]), KNOWN)
    areas.save_area(areas.parse_area("X", ["BU01530905"]), KNOWN)
    with pytest.raises(InputError, match="bestaat al"):
        areas.save_area(areas.parse_area("X", ["BU01530904"]), KNOWN)


def test_damaged_area_file_is_reported(isolated_state):
    isolated_state.mkdir(parents=True, exist_ok=True)
    (isolated_state / areas.FILE_NAME).write_text("{not json")
    with pytest.raises(DataError, match="beschadigd"):
        areas.load_areas()
