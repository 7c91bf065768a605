"""The light index of areas: the same areas and names as the loaded snapshot, without its shapes."""

from __future__ import annotations

import shutil

import pytest

from enschede_gis import area_index, inputs, profile, settings
from enschede_gis.areas import CustomArea
from enschede_gis.errors import DataError, InputError


def test_the_index_read_from_the_files_is_the_one_of_the_loaded_snapshot(snap):
    light = area_index.load(settings.DATA_DIR)
    assert light == area_index.from_snapshot(snap)
    assert len(light.in_gemeente("buurt")) == 70
    assert light.names["BU01530905"] == "Buurtschap Broekheurne"
    assert light.names["GM0153"] == "Enschede"


def test_the_areas_listed_from_the_index_match_the_profile(snap):
    custom = CustomArea(name="Oost", codes=["BU01530905", "BU01530904"])
    elsewhere = CustomArea(name="Elders", codes=["BU99999999"])
    light = area_index.selectable_areas(area_index.load(settings.DATA_DIR), [custom, elsewhere])
    assert light == profile.selectable_areas(snap, [custom, elsewhere])
    kinds = [a.kind for a in light]
    assert kinds == sorted(kinds, key=["gemeente", "wijk", "buurt", "custom"].index)
    assert light[-1].key == "custom:Oost" and "custom:Elders" not in {a.key for a in light}
    wijk = next(a for a in light if a.key == "WK015309")
    assert "BU01530905" in wijk.codes and all(c.startswith("BU015309") for c in wijk.codes)


def test_an_unknown_gemeente_names_the_known_ones():
    with pytest.raises(InputError, match="GM0363.*wel: GM0153"):
        area_index.load(settings.DATA_DIR).in_gemeente("buurt", "GM0363")


@pytest.mark.parametrize("damage", ["missing", "damaged"])
def test_a_missing_or_damaged_file_is_one_clear_error(tmp_path, damage):
    folder = tmp_path / "data"
    shutil.copytree(settings.DATA_DIR, folder)
    if damage == "missing":
        (folder / "wijken.parquet").unlink()
    else:
        (folder / "wijken.parquet").write_bytes(b"not parquet")
    with pytest.raises(DataError, match="wijken.parquet"):
        area_index.load(folder)


def test_places_from_the_index_load_the_outlines_only_for_a_pin(snap):
    loaded = []

    def outlines():
        loaded.append(True)
        return inputs.pin_outlines(snap)

    where = inputs.places_in(area_index.load(settings.DATA_DIR), custom_keys=["custom:Oost"], load_outlines=outlines)
    assert where == inputs.places(snap, custom_keys=["custom:Oost"])  # the same codes and buurten
    inputs.check_place(inputs.make_input(kind="note", area_code="custom:Oost", text="Meer groen"), where)
    assert loaded == []  # no pin: no shapes
    assert inputs.place_pin(where, 52.2392, 6.8745, ["BU01530301"]).buurt
    assert loaded == [True]
