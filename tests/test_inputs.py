"""Residents' input: validation, rate limit, pins inside the gemeente, moderation, export."""

from __future__ import annotations

import csv
import io

import pytest
from pg_fixtures import *  # noqa: F403  (the db_url, db_engine and pg_url fixtures)

from enschede_gis import inputs
from enschede_gis.errors import InputError

CITY = "BU01530000"
CITY_PIN = (52.22028827916971, 6.893882170507437)  # a point inside buurt City
OUTSIDE_PIN = (52.37, 4.89)  # Amsterdam


@pytest.fixture(scope="module")
def where(snap):
    return inputs.places(snap, custom_keys=["custom:Oost"])


def _note(text="Meer bankjes in het park", **extra):
    return inputs.make_input(kind="note", area_code=extra.pop("area_code", CITY), text=text, **extra)


def test_text_is_trimmed_and_stripped_of_control_characters():
    draft = _note("  Zebrapad\u202e bij school\x00 \r\n graag  ")
    assert draft.text == "Zebrapad bij school \n graag"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "note", "area_code": CITY, "text": "x" * (inputs.MAX_TEXT + 1)}, "tekst"),
        ({"kind": "note", "area_code": CITY, "text": "ok"}, "minstens"),
        ({"kind": "vote", "area_code": CITY}, "prioriteit"),
        ({"kind": "complaint", "area_code": CITY, "text": "hallo daar"}, "soort"),
        ({"kind": "note", "area_code": CITY, "text": "hallo daar", "age_group": "30-40"}, "leeftijdsgroep"),
        ({"kind": "note", "area_code": CITY, "text": "hallo daar", "lat": 52.2}, "lengtegraad"),
        ({"kind": "note", "area_code": CITY, "text": "hallo daar", "name": "Jan"}, "name"),
    ],
)
def test_bad_input_gives_one_message_naming_the_field(fields, message):
    with pytest.raises(InputError, match=message):
        inputs.make_input(**fields)


def test_exactly_the_maximum_length_is_accepted():
    assert len(_note("x" * inputs.MAX_TEXT).text) == inputs.MAX_TEXT


def test_optional_profile_fields_are_coarse_and_anonymous(where):
    draft = inputs.make_input(
        kind="idea", area_code=CITY, text="Moestuin", age_group="15-25", home_buurt=CITY, tenure="huur"
    )
    assert inputs.check_place(draft, where) is draft
    assert set(inputs.InputDraft.model_fields) == {
        "kind",
        "area_code",
        "text",
        "priority",
        "lat",
        "lon",
        "age_group",
        "home_buurt",
        "tenure",
        "meeting_id",
    }
    with pytest.raises(InputError, match="woonbuurt"):
        inputs.check_place(_note(home_buurt="BU99999999"), where)
    assert inputs.check_place(_note(home_buurt=inputs.ELSEWHERE), where)


def test_pin_must_lie_inside_the_gemeente(where):
    assert where.pin(*CITY_PIN) == CITY
    with pytest.raises(InputError, match="buiten de gemeente"):
        where.pin(*OUTSIDE_PIN)
    with pytest.raises(InputError, match="buiten de gemeente"):
        inputs.check_place(_note(lat=OUTSIDE_PIN[0], lon=OUTSIDE_PIN[1]), where)


def test_unknown_area_is_refused(where):
    with pytest.raises(InputError, match="Onbekend gebied"):
        inputs.check_place(_note(area_code="BU00000000"), where)
    assert inputs.check_place(_note(area_code="custom:Oost"), where)


def test_submit_commits_and_lists_per_area(db_engine, where):
    stored = inputs.submit(db_engine, _note(), session_id="s1", where=where)
    inputs.submit(db_engine, _note("Elders iets", area_code="BU01530001"), session_id="s1", where=where)
    listed = inputs.list_inputs(db_engine, area_codes=[CITY])
    assert list(listed["id"]) == [stored.id]
    assert listed["text"].iloc[0] == "Meer bankjes in het park"
    assert listed["created_at"].iloc[0].endswith("Z")


def test_markup_is_stored_exactly_as_typed(db_engine):
    evil = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'
    inputs.submit(db_engine, _note(evil), session_id="s1")
    assert inputs.list_inputs(db_engine)["text"].iloc[0] == evil


def test_rate_limit_per_session(db_engine):
    for i in range(inputs.RATE_LIMIT):
        inputs.submit(db_engine, _note(f"bericht nummer {i}"), session_id="busy")
    with pytest.raises(InputError, match="Wacht even"):
        inputs.submit(db_engine, _note("nog een"), session_id="busy")
    inputs.submit(db_engine, _note("ander apparaat"), session_id="other")
    assert len(inputs.list_inputs(db_engine)) == inputs.RATE_LIMIT + 1


def test_session_maximum(db_engine, monkeypatch):
    monkeypatch.setattr(inputs, "SESSION_MAX", 2)
    monkeypatch.setattr(inputs, "RATE_LIMIT", 100)
    inputs.submit(db_engine, _note("een bericht"), session_id="s")
    inputs.submit(db_engine, _note("twee bericht"), session_id="s")
    with pytest.raises(InputError, match="maximum"):
        inputs.submit(db_engine, _note("drie bericht"), session_id="s")


def test_hide_and_restore(db_engine):
    a = inputs.submit(db_engine, _note("eerste"), session_id="s").id
    b = inputs.submit(db_engine, _note("tweede"), session_id="s").id
    assert inputs.set_hidden(db_engine, [a], hidden=True) == 1
    assert list(inputs.list_inputs(db_engine)["id"]) == [b]
    everything = inputs.list_inputs(db_engine, include_hidden=True)
    assert everything.set_index("id")["hidden"].to_dict() == {a: True, b: False}
    assert inputs.set_hidden(db_engine, [a], hidden=False) == 1
    assert list(inputs.list_inputs(db_engine)["id"]) == [a, b]


def test_votes_are_counted_without_hidden_ones(db_engine):
    for session, priority in [("a", "Groen"), ("b", "Groen"), ("c", "Verkeer")]:
        inputs.submit(db_engine, inputs.make_input(kind="vote", area_code=CITY, priority=priority), session_id=session)
    counts = inputs.vote_counts(db_engine, area_codes=[CITY])
    assert counts.to_dict() == {"Groen": 2, "Verkeer": 1}


def test_export_holds_everything_and_neutralises_formulas(db_engine):
    inputs.submit(db_engine, _note('=HYPERLINK("http://x")'), session_id="s")
    hidden = inputs.submit(db_engine, _note('verborgen; met "quotes", en komma'), session_id="s").id
    inputs.set_hidden(db_engine, [hidden], hidden=True)
    data = inputs.export_csv(db_engine)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["text"] for r in rows] == ['\'=HYPERLINK("http://x")', 'verborgen; met "quotes", en komma']
    assert [r["hidden"] for r in rows] == ["False", "True"]
    assert list(rows[0]) == inputs.EXPORT_COLUMNS


def test_delete_only_after_an_export(db_engine, tmp_path):
    keep = inputs.submit(db_engine, _note("blijft staan"), session_id="s").id
    gone = inputs.submit(db_engine, _note("wordt verwijderd"), session_id="s").id
    inputs.set_hidden(db_engine, [gone], hidden=True)
    path, deleted = inputs.delete_hidden(db_engine, export_dir=tmp_path)
    assert deleted == 1
    exported = path.read_text(encoding="utf-8-sig")
    assert "wordt verwijderd" in exported and "blijft staan" in exported
    assert list(inputs.list_inputs(db_engine, include_hidden=True)["id"]) == [keep]


def test_failed_export_deletes_nothing(db_engine, tmp_path, monkeypatch):
    gone = inputs.submit(db_engine, _note("wordt verwijderd"), session_id="s").id
    inputs.set_hidden(db_engine, [gone], hidden=True)

    def broken(*_args, **_kwargs):
        raise OSError("schijf vol")

    monkeypatch.setattr(inputs, "atomic_write_bytes", broken)
    with pytest.raises(OSError):
        inputs.delete_hidden(db_engine, export_dir=tmp_path)
    assert len(inputs.list_inputs(db_engine, include_hidden=True)) == 1


def test_inputs_frame_for_representativeness(db_engine):
    inputs.submit(
        db_engine,
        _note("met profiel", age_group="65+", home_buurt=CITY, tenure="koop", meeting_id="m1"),
        session_id="s",
    )
    inputs.submit(db_engine, _note("zonder profiel", meeting_id="m1"), session_id="s")
    inputs.submit(db_engine, _note("andere bijeenkomst", meeting_id="m2"), session_id="s")
    frame = inputs.inputs_frame(db_engine, meeting_id="m1")
    assert list(frame.columns) == ["area_code", "age_group", "home_buurt", "tenure", "kind", "hidden"]
    assert len(frame) == 2
    assert frame.iloc[0].to_dict() == {
        "area_code": CITY,
        "age_group": "65+",
        "home_buurt": CITY,
        "tenure": "koop",
        "kind": "note",
        "hidden": False,
    }
    assert frame.iloc[1][["age_group", "home_buurt", "tenure"]].isna().all()


def test_facilitator_password(monkeypatch):
    monkeypatch.delenv(inputs.PASSWORD_ENV, raising=False)
    assert inputs.facilitator_password({}) is None
    assert not inputs.check_password("anything", None)
    monkeypatch.setenv(inputs.PASSWORD_ENV, "geheim")
    assert inputs.facilitator_password({}) == "geheim"
    assert inputs.facilitator_password({"facilitator_password": "uit-secrets"}) == "uit-secrets"
    assert inputs.check_password("geheim", "geheim")
    assert not inputs.check_password("Geheim", "geheim")
    assert not inputs.check_password("", "geheim")


def test_rate_limit_holds_under_concurrent_submits(db_engine):
    import threading

    outcomes: list[str] = []

    def send(i: int) -> None:
        try:
            inputs.submit(db_engine, _note(f"tegelijk {i}"), session_id="burst")
            outcomes.append("ok")
        except InputError:
            outcomes.append("refused")

    workers = [threading.Thread(target=send, args=(i,)) for i in range(12)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert outcomes.count("ok") == inputs.RATE_LIMIT
    assert outcomes.count("refused") == 12 - inputs.RATE_LIMIT
    assert len(inputs.list_inputs(db_engine)) == inputs.RATE_LIMIT
