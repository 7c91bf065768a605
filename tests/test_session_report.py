"""The session report: gathered content and the PDF's text (frame, agreements, input, sources)."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
import pytest
from pypdf import PdfReader

from enschede_gis import db, figures, inputs, meetings, profile, projects, roles, session_report
from enschede_gis import priorities as pr
from enschede_gis import scenarios as sc
from enschede_gis.roles import Actor, Role
from tests.page_helpers import TEAM
from tests.render import pdf_pages_to_png
from tests.test_pdf_export import KEY_OR_CODE, _outside_parentheses

STAFF = Actor(Role.TEAM)  # input from the area team's own page; residents are tested in test_inputs

LASONDER = "BU01530001"
PRINTED = date(2026, 11, 29)
EVIL = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def eng(isolated_state, monkeypatch):
    monkeypatch.delenv(db.DATABASE_URL_ENV, raising=False)
    yield db.engine()
    db.dispose_all()


@pytest.fixture
def meeting(snap, catalogue, eng):
    table = figures.buurt_table(snap, year=2023)
    pr.save_profile(eng, pr.default_profile(table, catalogue, name="Bewoners"), actor=TEAM)
    scenario = sc.make_scenario(
        name="Nieuwbouw school",
        description="Veertig woningen op het oude schoolterrein",
        year=2023,
        measures=[
            {"type": "new_dwellings", "area": LASONDER, "basis": "evidence", "dwellings": 40, "household_size": 2.1}
        ],
    )
    sc.save_scenario(eng, scenario, actor=TEAM)
    projects.save(
        eng,
        projects.make_project(
            title="Riolering Zeggelt",
            domain="fysiek",
            responsible="Gemeente Enschede, team Riolering",
            contact="riool@example.org",
            area={"codes": [LASONDER]},
            start=date(2026, 1, 1),
            end=date(2026, 6, 30),
        ),
        actor=TEAM,
    )
    found = meetings.make_meeting(
        title="Buurtavond Lasonder",
        area_code=LASONDER,
        held_on=date(2026, 11, 30),
        year=2023,
        frame={
            "fixed": "Er komen veertig woningen op het schoolterrein.",
            "open": "De inrichting van het plein.",
            "room": "kaders_vast",
            "level": "adviseren",
            "purposes": ["kennis"],
        },
        profiles=["Bewoners", "Verdwenen profiel"],
        scenarios=["Nieuwbouw school"],
        agreements=[{"what": "Ontwerp plein in drie varianten", "who": "Wijkteam Centrum", "when": "februari"}],
    )
    meetings.save(eng, found, actor=TEAM)
    inputs.submit(eng, inputs.make_input(kind="note", area_code=LASONDER, text=EVIL), actor=STAFF, session_id="a")
    inputs.submit(
        eng,
        inputs.make_input(kind="idea", area_code=LASONDER, text="Een moestuin op het plein"),
        actor=STAFF,
        session_id="b",
    )
    hidden = inputs.submit(
        eng, inputs.make_input(kind="note", area_code=LASONDER, text="Iets ongepasts"), actor=STAFF, session_id="c"
    )
    inputs.set_hidden(eng, [hidden.id], hidden=True, actor=roles.Actor(roles.Role.FACILITATOR))
    inputs.submit(
        eng, inputs.make_input(kind="vote", area_code=LASONDER, priority="Bewoners"), actor=STAFF, session_id="d"
    )
    return found


def _session(meeting, snap, catalogue, eng, lang="nl"):
    areas = profile.selectable_areas(snap)
    return session_report.gather(meeting, snap, catalogue, eng, areas=areas, lang=lang)


def test_gather_collects_what_the_meeting_used(meeting, snap, catalogue, eng):
    session = _session(meeting, snap, catalogue, eng)
    assert session.area.key == LASONDER
    assert session.figures["indicator"].iloc[0] == "inwoners"
    assert set(session.figures["year"]) == {2023}
    assert [p.title for p in session.projects] == ["Riolering Zeggelt"]
    assert [p.name for p in session.profiles] == ["Bewoners"]
    assert session.missing_profiles == ("Verdwenen profiel",)
    result = session.profiles[0]
    assert result.ranking["in_area"].sum() == 1 and result.ranked > 50
    scenario = session.scenarios[0]
    assert scenario.assumptions[0].startswith("40 nieuwe woningen in Lasonder, Zeggelt; aanname: 2,1 personen")
    assert scenario.heading == "Nieuwbouw school (uitgangssituatie 2023)"
    effects = scenario.effects.set_index("indicator")
    assert effects.loc["huishoudens", "change"] == "+40" and scenario.map_indicator == "inwoners"
    assert sorted(session.inputs["text"]) == sorted([EVIL, "Een moestuin op het plein", ""])
    assert session.votes.to_dict() == {"Bewoners": 1}
    assert session.warnings == ()


def test_missing_figures_read_unknown_never_zero(meeting, snap, catalogue, eng):
    session = _session(meetings.with_changes(meeting, year=2021), snap, catalogue, eng)
    assert "0" not in set(session.figures["text"])


def test_pdf_holds_frame_agreements_input_sources_and_date(meeting, snap, catalogue, eng):
    session = _session(meeting, snap, catalogue, eng)
    text = _text(session_report.to_pdf(session, snap, catalogue, printed=PRINTED))
    for expected in [
        "Verslag: Buurtavond Lasonder",
        "Er komen veertig woningen op het schoolterrein.",
        "De inrichting van het plein.",
        "Adviseren",
        "Lokale kennis en ideeën ophalen",
        "Ontwerp plein in drie varianten",
        "Wijkteam Centrum",
        "Een moestuin op het plein",
        "Riolering Zeggelt",
        "Gemeente Enschede, team Riolering",
        "Nieuwbouw school",
        "Bewoners",
        "Bron: CBS, Kadaster/PDOK",
        "zondag 29 november 2026",  # printed
        "maandag 30 november 2026",  # held on
    ]:
        assert expected in text, expected
    assert "<script>alert(1)</script>" in text.replace("\n", "")  # shown as text, as typed
    assert "Iets ongepasts" not in text  # hidden input stays out
    assert "85618NED" in text  # the source table of the 2023 figures


def test_pdf_in_english(meeting, snap, catalogue, eng):
    session = _session(meeting, snap, catalogue, eng, lang="en")
    pdf = session_report.to_pdf(session, snap, catalogue, lang="en", printed=PRINTED)
    pdf_pages_to_png(pdf, "session-report-en", scale=1.0)
    text = _text(pdf)
    assert "Report: Buurtavond Lasonder" in text and "Fixed by the council" in text
    assert "What was agreed: who does what, by when" in text and "Next steps" in text
    for dutch in ("Bron:", "Afgedrukt", "aanname", "nieuwe woningen", "afgeleid", "inwoners"):
        assert dutch not in text, dutch


def test_over_ambitious_frame_warns_the_facilitator_not_the_residents(meeting, snap, catalogue, eng):
    risky = meetings.with_changes(
        meeting, frame=meeting.frame.model_copy(update={"room": "besluit_genomen", "level": "meebeslissen"})
    )
    session = _session(risky, snap, catalogue, eng)
    assert any("hoger dan het kader" in w for w in session.warnings)
    text = " ".join(_text(session_report.to_pdf(session, snap, catalogue, printed=PRINTED)).split())
    assert "hoger dan het kader" not in text  # the facilitator's warning is not for the residents' report


def test_who_was_heard_counts_meeting_and_area_input_once(meeting, snap, catalogue, eng):
    """Input given at the meeting (any area) and for the area count once each, hidden ones included
    in the count but not in the list; the comparison lands in the session and in the PDF."""
    meetings.save(eng, meetings.with_changes(meeting, input_open=True), actor=TEAM, expected=1)
    for session_id, area in [("e", LASONDER), ("f", "BU01530000")]:
        draft = inputs.make_input(
            kind="idea", area_code=area, text="Op de avond", meeting_id=meeting.id, age_group="15-25"
        )
        inputs.submit(eng, draft, actor=STAFF, session_id=session_id)
    session = _session(meeting, snap, catalogue, eng)
    assert len(session.inputs) == 5  # visible only, each once
    table = session.representation.table.set_index(["dimension", "group"])
    assert table.loc[("age", "15-25"), "input_text"] == "< 5"  # two, never shown exactly
    assert table["input_count"].isna().loc[("age", "15-25")]
    assert table.loc[("age", "not_given"), "input_text"] == "< 5"  # three visible without an age
    assert session.representation.total_text == "5" and session.representation.hidden_text == "< 5"
    text = " ".join(_text(session_report.to_pdf(session, snap, catalogue, printed=PRINTED)).split())
    assert "Wie gaf inbreng, en wie woont er in Lasonder, Zeggelt?" in text  # the name, no code
    assert "15–25 jaar" in text


def test_a_failing_comparison_becomes_a_note(meeting, snap, catalogue, eng, monkeypatch):
    from enschede_gis import representation
    from enschede_gis.errors import DataError

    def fails(*_args, **_kwargs):
        raise DataError("Geen leeftijdsgegevens voor dit gebied.")

    monkeypatch.setattr(representation, "for_area", fails)
    session = _session(meeting, snap, catalogue, eng)
    assert session.representation is None
    assert session.notes == ("Geen leeftijdsgegevens voor dit gebied.",)
    text = _text(session_report.to_pdf(session, snap, catalogue, printed=PRINTED))
    assert "Geen leeftijdsgegevens voor dit gebied." in text


def test_pdf_explains_its_figures_and_weighted_indicators(meeting, snap, catalogue, eng):
    session = _session(meeting, snap, catalogue, eng)
    weighted = {k for p in session.profiles for k in p.keys}
    assert weighted and set(session.figures["indicator"]) <= set(session.explained)
    assert weighted <= set(session.explained)
    text = " ".join(_text(session_report.to_pdf(session, snap, catalogue, printed=PRINTED)).split())
    explained = text[text.index("Uitleg bij de cijfers") :]
    for key in session.explained:
        ind = catalogue[key]
        assert ind.label("nl") in explained, key
        assert " ".join(ind.caveat("nl").split())[:40] in explained, key
    english = " ".join(_text(session_report.to_pdf(session, snap, catalogue, lang="en", printed=PRINTED)).split())
    assert "What the figures mean" in english and catalogue["woz_waarde"].caveat("en")[:40] in english


def test_the_report_speaks_to_residents_in_names_not_codes(meeting, snap, catalogue, eng):
    session = _session(meeting, snap, catalogue, eng)
    pdf = session_report.to_pdf(session, snap, catalogue, printed=PRINTED)
    pdf_pages_to_png(pdf, "session-report-nl", scale=1.0)
    text = " ".join(_text(pdf).split())
    assert not KEY_OR_CODE.findall(_outside_parentheses(text)), KEY_OR_CODE.findall(_outside_parentheses(text))
    assert "BU0153" not in text and "custom:" not in text
    names = snap.names()
    summary = session_report.input_summary(session.inputs, names)
    assert summary[0][0] == names[LASONDER] and sum(summary[0][1:]) == len(session.inputs)
    assert f"{names[LASONDER]} " in text  # input listed by the buurt's name
    assert "Wat is besproken" in text and "Volgende stappen" in text
    assert text.index("Wat is afgesproken") < text.index("Er komen veertig woningen")  # agreed comes first
    assert "40 nieuwe woningen in Lasonder, Zeggelt; aanname: 2,1 personen per woning" in text
    assert "Aantal huishoudens 1.145 1.185 +40" in text  # before → after of the scenario


def test_the_situation_map_shows_the_area_by_name_in_projector_type(meeting, snap, catalogue, eng):
    from enschede_gis import boundaries, webmap

    web = boundaries.for_web(boundaries.for_gemeente(snap, "buurt"))
    asset = webmap.geometry_asset(web, wijken=boundaries.for_web(boundaries.for_gemeente(snap, "wijk")))
    view = session_report.situation_view(_session(meeting, snap, catalogue, eng, "en"), asset, snap.names(), "en")
    fills = dict(zip(asset.codes, (view["colours"][i] for i in view["cls"]), strict=True))
    assert fills[LASONDER] == webmap.FOCUS_FILL and list(fills.values()).count(webmap.FOCUS_FILL) == 1
    assert view["focus"] == [LASONDER] and view["projector"] is True and view["pick"] is False
    assert view["legend"]["title"] == "What this meeting is about"
    assert view["legend"]["rows"] == [["Lasonder, Zeggelt", webmap.FOCUS_FILL, None, False]]  # a name, no code
    assert webmap.args_bytes(view) < 1500  # per rerun; the geometry goes once


def test_the_projector_tables_name_things_and_hide_keys(meeting, snap, catalogue, eng):
    session = _session(meetings.with_changes(meeting, agreements=[{"what": EVIL, "who": "Wijkteam", "when": "maart"}]),
                       snap, catalogue, eng, "en")  # fmt: skip
    projects_shown = session_report.projects_table(session, "en")
    assert projects_shown.iloc[0].tolist()[:2] == ["Riolering Zeggelt", "Physical"]  # the domain by name, not 'fysiek'
    assert "2026" in projects_shown.iloc[0, 2] and "fysiek" not in projects_shown.to_string()
    ranking = session_report.ranking_table(session.profiles[0], "en")
    assert list(ranking.columns)[:2] == ["Rank", "Neighbourhood"] and ranking.iloc[0, 0].startswith("1 / ")
    assert (ranking[""] != "").sum() == 1  # one buurt of the meeting's area marked
    effects = session_report.effects_table(session.scenarios[0].effects, "en")
    assert list(effects.columns) == ["Before", "After", "Difference"] and "+40" in effects["Difference"].tolist()
    assert session_report.agreements_table(session.meeting, "en").iloc[0].tolist() == [EVIL, "Wijkteam", "maart"]


@pytest.mark.parametrize("key", [LASONDER, "WK015309", "GM0153"])
def test_the_situation_computes_only_its_figures_and_gets_the_same_numbers(snap, catalogue, key):
    area = profile.find_area(profile.selectable_areas(snap), key)
    cut = session_report.situation_catalogue(catalogue)
    assert session_report.situation_catalogue(catalogue) is cut  # one object: the profile's memo keeps working
    assert set(session_report.SITUATION_FIGURES) <= set(cut.indicators) and len(cut) < len(catalogue) / 3
    full = profile.key_figures(snap, catalogue, area, year=profile.LATEST).set_index("indicator")
    fast = profile.key_figures(snap, cut, area, year=profile.LATEST).set_index("indicator")
    wanted = list(session_report.SITUATION_FIGURES)
    columns = [c for c in fast.columns if c not in {"theme", "theme_label"}]
    pd.testing.assert_frame_equal(fast.loc[wanted, columns], full.loc[wanted, columns])
