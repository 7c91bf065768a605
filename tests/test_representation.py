"""Who gave input versus who lives in the area: shares, flags, the "< 5" rule, several buurten."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest
from pypdf import PdfReader

from enschede_gis import profile, roles
from enschede_gis import representation as rep
from enschede_gis.errors import InputError
from enschede_gis.pdf import Document
from enschede_gis.roles import Actor, Role

STAFF = Actor(Role.TEAM)  # input from the area team's own page; residents are tested in test_inputs

AGE = {"0-15": 16.0, "15-25": 14.0, "25-45": 30.0, "45-65": 25.0, "65+": 15.0}


def _composition(**changes) -> rep.Composition:
    base = dict(
        area_label="Testbuurt",
        year=2024,
        age=AGE,
        places={"BU01": 60.0, "BU02": 40.0},
        place_names={"BU01": "Noord", "BU02": "Zuid"},
        place_of={"BU01": "BU01", "BU02": "BU02"},
        source="CBS Testtabel 2024",
    )
    return rep.Composition(**(base | changes))


def _inputs(*groups: tuple[int, str | None, str | None, str | None], hidden: int = 0) -> pd.DataFrame:
    """``(how many, age group, home buurt, tenure)`` per group of identical inputs."""
    rows = []
    for n, age, home, tenure in groups:
        rows += [dict(area_code="BU01", age_group=age, home_buurt=home, tenure=tenure, kind="note", hidden=False)] * n
    rows += [
        dict(area_code="BU01", age_group="0-15", home_buurt="BU01", tenure="huur", kind="note", hidden=True)
    ] * hidden
    return pd.DataFrame(rows, columns=list(rep.REQUIRED_COLUMNS))


def _row(table: pd.DataFrame, dimension: str, group: str) -> pd.Series:
    found = table[(table["dimension"] == dimension) & (table["group"] == group)]
    assert len(found) == 1, (dimension, group)
    return found.iloc[0]


def test_shares_next_to_the_population_with_flags():
    inputs = _inputs((12, "25-45", "BU01", "huur"), (10, "45-65", "BU02", "koop"), (8, "65+", "BU01", None))
    table = rep.representation_table(inputs, _composition())
    middle = _row(table, "age", "25-45")
    assert middle["input_count"] == 12 and middle["input_text"] == "12"
    assert middle["input_share"] == pytest.approx(40.0) and middle["input_share_text"] == "40 %"
    assert middle["population_text"] == "30 %" and middle["flag"] == ""  # 10 points more but not 1.5 times
    older = _row(table, "age", "65+")
    assert older["input_share"] == pytest.approx(100 * 8 / 30) and older["flag"] == "over"  # 27 % vs 15 %
    young = _row(table, "age", "15-25")
    assert young["flag"] == "under" and young["flag_text"] == "ondervertegenwoordigd"
    # home buurt: shares of the area's inhabitants; tenure: no CBS figure, so no flag
    assert _row(table, "home", "BU01")["input_share"] == pytest.approx(100 * 20 / 30)
    assert _row(table, "home", "BU01")["population_text"] == "60 %"
    huur = _row(table, "tenure", "huur")
    assert huur["population_text"] == "niet beschikbaar in de CBS-gegevens" and huur["flag"] == ""
    assert math.isnan(huur["population_share"])


def test_small_groups_show_as_less_than_five_and_no_percentage_reveals_them():
    inputs = _inputs((1, "15-25", "BU01", "huur"), (12, "25-45", "BU01", "huur"), (7, "45-65", "BU02", "koop"))
    result = rep.compare(inputs, _composition())
    table = result.table
    small = _row(table, "age", "15-25")
    assert small["input_text"] == "< 5" and pd.isna(small["input_count"]) and math.isnan(small["input_share"])
    assert small["input_share_text"] == "< 25 %"  # only an upper bound: 5 of 20 answers
    assert small["flag"] == "under"  # the flag still says the group is missing
    zero = _row(table, "age", "0-15")
    assert zero["input_text"] == "< 5" and pd.isna(zero["input_count"])
    # no exact count below five anywhere, in the numbers or the text
    shown = table["input_count"].dropna()
    assert (shown >= rep.MIN_SHOWN).all()
    assert not table["input_text"].isin([str(n) for n in range(1, rep.MIN_SHOWN)]).any()
    lines = rep.summary_lines(result)
    assert "15–25 jaar: 14 % van de inwoners, < 25 % van de inbreng (ondervertegenwoordigd)" in lines
    assert not any(" 5 %" in line for line in lines)  # 1 of 20 would read "5 %"


def test_a_lone_small_group_hides_a_partner_so_subtraction_reveals_nothing():
    # tenure: 3 huur, 8 koop, 9 not given -> only "huur" is small; the total (20) is known
    inputs = _inputs((3, "15-25", "BU01", "huur"), (8, "25-45", "BU01", "koop"), (9, "45-65", "BU02", None))
    table = rep.representation_table(inputs, _composition())
    tenure = table[table["dimension"] == "tenure"].set_index("group")
    assert tenure.loc["huur", "input_text"] == "< 5"
    assert tenure.loc["koop", "input_text"] == "≥ 5"  # the next smallest row goes too
    assert tenure.loc["koop", "input_share_text"] == "–" and pd.isna(tenure.loc["koop", "input_count"])
    assert tenure.loc["not_given", "input_text"] == "9"
    # the age question: 15-25 (3) is the only small row with anyone in it (the others are zeros)
    age = table[table["dimension"] == "age"].set_index("group")
    assert age.loc["15-25", "input_text"] == "< 5" and age.loc["0-15", "input_text"] == "< 5"
    assert age.loc["25-45", "input_text"] == "≥ 5"  # 8, the smallest visible row, is hidden too
    assert age.loc["45-65", "input_text"] == "9"


def test_no_hidden_count_can_be_worked_out_by_subtraction():
    """Many hand-made meetings: the rows hidden in a question never leave exactly one row holding
    people (its count would be the known total minus the visible rows)."""
    import itertools

    for a, b, c in itertools.product([0, 1, 4, 5, 9], repeat=3):
        inputs = _inputs((a, "15-25", "BU01", "huur"), (b, "25-45", "BU02", "koop"), (c, None, None, None))
        result = rep.compare(inputs, _composition())
        if a + b + c < rep.MIN_SHOWN:  # the total itself is hidden, so nothing can be subtracted
            assert result.total_text == "< 5" and result.table["input_count"].isna().all()
            continue
        table = result.table
        true = {
            "age": {"15-25": a, "25-45": b, "not_given": c},
            "home": {"BU01": a, "BU02": b, "not_given": c},
            "tenure": {"huur": a, "koop": b, "not_given": c},
        }
        for dimension, rows in table.groupby("dimension"):
            hidden = rows.loc[rows["input_count"].isna(), "group"]
            holding = [g for g in hidden if true[dimension].get(g, 0) > 0]
            assert len(holding) != 1, (a, b, c, dimension, list(hidden))
            shown = rows["input_count"].dropna()
            assert (shown >= rep.MIN_SHOWN).all() or shown.empty


def test_a_lone_zero_needs_no_partner():
    inputs = _inputs((10, "25-45", "BU01", "huur"), (10, "45-65", "BU02", "koop"))
    tenure = rep.representation_table(inputs, _composition()).query("dimension == 'tenure'").set_index("group")
    assert tenure.loc["not_given", "input_text"] == "< 5"  # nobody left it empty
    assert tenure.loc["huur", "input_text"] == "10" and tenure.loc["koop", "input_text"] == "10"


def test_hidden_input_does_not_count_and_empty_answers_stay_out_of_the_shares():
    inputs = _inputs((10, "25-45", "BU01", "huur"), (10, None, None, None), hidden=6)
    result = rep.compare(inputs, _composition())
    age = result.table.query("dimension == 'age'").set_index("group")
    assert age.loc["0-15", "input_text"] == "< 5"  # the six hidden 0-15 inputs are left out
    assert age.loc["25-45", "input_share"] == pytest.approx(100.0)  # of the 10 that answered
    assert age.loc["not_given", "input_text"] == "10" and age.loc["not_given", "input_share_text"] == "–"
    assert result.total_text == "20" and result.hidden_text == "6"
    assert "Geteld zijn 20 zichtbare bijdragen" in rep.notes(result)[0]


def test_few_answers_give_no_flags():
    inputs = _inputs((9, "65+", "BU01", "koop"))
    table = rep.representation_table(inputs, _composition())
    assert (table["flag"] == "").all()
    assert rep.compare(inputs.head(3), _composition()).total_text == "< 5"


def test_home_outside_the_area_is_its_own_row():
    inputs = _inputs((6, "25-45", "elders", None), (5, "25-45", "BU99", None), (10, "45-65", "BU02", None))
    home = rep.representation_table(inputs, _composition()).query("dimension == 'home'").set_index("group")
    assert home.loc["outside", "input_count"] == 11 and home.loc["outside", "population_text"] == "–"
    assert home.loc["outside", "label"] == "Woont buiten dit gebied"
    assert home.loc["BU02", "input_share"] == pytest.approx(100 * 10 / 21)
    assert home.loc["not_given", "input_text"] == "< 5"  # everyone said where they live
    with_empty = _inputs((6, "25-45", None, None), (10, "45-65", "BU02", None))
    home = rep.representation_table(with_empty, _composition()).query("dimension == 'home'").set_index("group")
    assert home.loc["not_given", "input_count"] == 6 and "outside" not in home.index


def test_kinds_can_be_limited_and_the_input_frame_is_not_changed():
    inputs = _inputs((10, "25-45", "BU01", "huur"), (10, "45-65", "BU02", "koop"))
    inputs.loc[inputs.index[:10], "kind"] = "vote"
    before = inputs.copy()
    table = rep.representation_table(inputs, _composition(), kinds=["note"])
    assert _row(table, "age", "45-65")["input_share"] == pytest.approx(100.0)
    pd.testing.assert_frame_equal(inputs, before)


def test_the_same_input_twice_counts_once_when_ids_are_given():
    inputs = _inputs((10, "25-45", "BU01", "huur"), (10, "45-65", "BU02", "koop"))
    inputs["id"] = range(len(inputs))
    twice = pd.concat([inputs, inputs.head(10)], ignore_index=True)  # found by area and by meeting
    assert rep.compare(twice, _composition()).total_text == "20"
    assert rep.compare(twice.drop(columns="id"), _composition()).total_text == "30"


def test_result_serialises_to_json_without_small_counts():
    import json

    inputs = _inputs((12, "25-45", "BU01", "huur"), (2, "65+", "BU02", "koop"), (6, "45-65", "BU02", "koop"))
    data = json.loads(json.dumps(rep.compare(inputs, _composition()).to_dict()))
    rows = {(r["dimension"], r["group"]): r for r in data["rows"]}
    assert rows[("age", "25-45")]["input_count"] == 12
    assert rows[("age", "65+")]["input_count"] is None and rows[("age", "65+")]["input_text"] == "< 5"
    assert rows[("age", "45-65")]["input_count"] is None  # its partner
    assert data["total"] == "20" and data["year"] == 2024


def test_bad_input_frames_are_named():
    with pytest.raises(InputError, match="tenure"):
        rep.representation_table(pd.DataFrame({"area_code": [], "age_group": []}), _composition())
    bad = _inputs((2, "30-40", "BU01", "huurkoop"))
    with pytest.raises(InputError, match="30-40.*huurkoop"):
        rep.representation_table(bad, _composition())


def test_english_labels_and_headers():
    inputs = _inputs((12, "25-45", "BU01", "huur"), (1, "15-25", "BU02", "koop"))
    result = rep.compare(inputs, _composition(), lang="en")
    shown = rep.display_table(result)
    assert list(shown.columns) == ["Question", "Group", "Inhabitants (CBS)", "Input (number)", "Input (%)", "Signal"]
    assert "65 years and over" in shown["Group"].tolist()
    assert "not available in the CBS data" in shown["Inhabitants (CBS)"].tolist()


# ---- the population side, from the real snapshot ---------------------------------------------------


def _buurt_counts(snap, year: int, codes: list[str], key: str) -> pd.Series:
    rows = snap.statistics
    rows = rows[(rows["year"] == year) & (rows["indicator"] == key) & rows["code"].isin(codes)]
    return rows.set_index("code")["value"].reindex(codes)


def test_area_of_several_buurten_is_weighted_by_population(snap, catalogue):
    codes = ["BU01530300", "BU01530301", "BU01530000"]
    area = profile.Area("custom:test", "Drie buurten", "custom", tuple(codes))
    comp = rep.population_composition(snap, catalogue, area, year=2024)
    assert comp.year == 2024
    people = _buurt_counts(snap, 2024, codes, "inwoners")
    old = _buurt_counts(snap, 2024, codes, "leeftijd_65_plus")
    assert comp.age["65+"] == pytest.approx(old.sum() / people.sum() * 100)
    # not the plain mean of the buurt percentages (the buurten differ in size)
    plain = (old / people * 100).mean()
    assert abs(comp.age["65+"] - plain) > 0.1
    assert comp.places == pytest.approx({c: people[c] / people.sum() * 100 for c in codes})
    assert comp.place_names["BU01530000"] == "City"
    assert "85984NED" in comp.source
    assert sum(comp.age.values()) == pytest.approx(100, abs=1.5)


def test_a_large_area_is_compared_per_wijk_and_a_year_without_buurt_figures_moves(snap, catalogue):
    areas = profile.selectable_areas(snap)
    gemeente = profile.find_area(areas, "GM0153")
    comp = rep.population_composition(snap, catalogue, gemeente, year=2022)
    assert comp.year in (2021, 2023)  # 2022 has only gemeente figures; the nearest year with buurten
    assert set(comp.places) == {f"WK01530{i}" for i in range(10)}
    assert sum(comp.places.values()) == pytest.approx(100)
    assert comp.place_of["BU01530300"] == "WK015303"
    inputs = _inputs((6, "25-45", "BU01530300", None), (6, "45-65", "BU01530301", None))
    table = rep.representation_table(inputs, comp)
    assert _row(table, "home", "WK015303")["input_count"] == 12


def test_for_area_and_pdf(snap, catalogue):
    area = profile.find_area(profile.selectable_areas(snap), "WK015303")
    inputs = _inputs((12, "25-45", "BU01530300", "huur"), (2, "15-25", "BU01530301", "koop"), hidden=1)
    result = rep.for_area(inputs, snap, catalogue, area, year=2024, lang="nl")
    assert result.area_label == area.label and result.year == 2024
    doc = Document("Sessieverslag")
    rep.add_to_pdf(doc, result, "nl")
    reader = PdfReader(io.BytesIO(doc.to_bytes()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert f"Wie gaf inbreng, en wie woont er in {area.label}?" in text
    assert "15–25 jaar" in text and "< 5" in text
    assert "niet beschikbaar in de CBS-gegevens" in text
    assert "Geteld zijn 14 zichtbare bijdragen" in text


def test_input_stored_in_the_database_feeds_the_comparison(snap, catalogue, tmp_path):
    """The frame :func:`enschede_gis.inputs.inputs_frame` returns (SQLite) works as it comes."""
    from enschede_gis import db, inputs

    eng = db.engine(f"sqlite:///{tmp_path / 'input.sqlite3'}")
    area = profile.find_area(profile.selectable_areas(snap), "WK015303")
    facts = [("25-45", "BU01530300", "huur")] * 6 + [("45-65", "BU01530301", None)] * 5 + [(None, None, None)] * 2
    for i, (age, home, tenure) in enumerate(facts):
        draft = inputs.make_input(
            kind="note", area_code="WK015303", text=f"Idee nummer {i}", age_group=age, home_buurt=home, tenure=tenure
        )
        inputs.submit(eng, draft, actor=STAFF, session_id=f"s{i}")
    first = int(inputs.list_inputs(eng)["id"].iloc[0])
    inputs.set_hidden(eng, [first], hidden=True, actor=roles.Actor(roles.Role.FACILITATOR))
    frame = inputs.inputs_frame(eng, area_codes=["WK015303"])
    result = rep.for_area(frame, snap, catalogue, area, year=2024)
    table = result.table.set_index(["dimension", "group"])
    assert table.loc[("age", "45-65"), "input_count"] == 5
    # 25-45: six given, one hidden -> 5, but hidden as the partner of the two without an age
    assert table.loc[("age", "25-45"), "input_text"] == "≥ 5"
    assert table.loc[("tenure", "huur"), "input_count"] == 5  # one of the six was hidden
    assert table.loc[("tenure", "not_given"), "input_count"] == 7
    assert result.total_text == "12" and result.hidden_text == "< 5"
    db.dispose_all()


def _representation_page() -> None:
    import sys

    import app_state as ui
    from enschede_gis import profile as prof
    from enschede_gis import representation as r

    sys.path.insert(0, ".")
    from tests.test_representation import _inputs

    area = prof.find_area(ui.selectable_areas(), "WK015303")
    frame = _inputs((12, "25-45", "BU01530300", "huur"), (2, "15-25", "BU01530301", None), (7, "65+", "elders", None))
    ui.show_representation(r.for_area(frame, ui.data(), ui.catalogue(), area, year=2024, lang=ui.lang()))


def test_show_representation_renders_text_and_table():
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_function(_representation_page)
    at.run(timeout=30)
    assert not at.exception
    assert at.subheader[0].value.startswith("Wie gaf inbreng, en wie woont er in Wijk 03")
    assert any(t.value.startswith("15–25 jaar: 18 % van de inwoners, < ") for t in at.text)
    table = at.dataframe[0].value
    assert "< 5" in table["Inbreng (aantal)"].tolist() and "12" in table["Inbreng (aantal)"].tolist()
    assert any("Geteld zijn 21 zichtbare bijdragen" in c.value for c in at.caption)
