"""AppTests for meeting mode: create, frame with the over-ambition warning, step through the agenda,
see who is responsible for projects, record agreements, make the session report."""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from enschede_gis import inputs, joinlink, meetings, projects
from enschede_gis.roles import Actor, Role
from tests.page_helpers import TEAM, explanations_offered, map_views, rendered, run_page

STAFF = Actor(Role.TEAM)  # input from the area team's own page; residents are tested in test_inputs

LASONDER = "BU01530001"


@pytest.fixture
def eng(page_db):
    return page_db


def _app(meeting_id: str | None = None, present: bool = False) -> AppTest:
    params = {"bijeenkomst": meeting_id} if meeting_id else {}
    return run_page("bijeenkomst.py", session={"bijeenkomst_present": True} if present else None, **params)


def _meeting(eng, **frame) -> meetings.Meeting:
    meeting = meetings.make_meeting(
        title="Buurtavond Lasonder",
        area_code=LASONDER,
        held_on=date(2026, 11, 30),
        year=2023,
        frame={
            "fixed": "Veertig woningen.",
            "open": "Het plein.",
            "level": "adviseren",
            "purposes": ["kennis"],
            **frame,
        },
    )
    return meetings.save(eng, meeting, actor=TEAM)


def test_create_a_meeting(eng):
    at = _app()
    at.text_input[0].set_value("Avond in de City")
    at.button[0].click()
    at.run()
    assert not at.exception
    saved = meetings.list_meetings(eng)
    assert [m.title for m in saved] == ["Avond in de City"]
    assert saved[0].id in str(at.query_params["bijeenkomst"])


def test_over_ambitious_level_warns_and_start_needs_confirmation(eng):
    meeting = _meeting(eng)
    at = _app(meeting.id)
    assert not at.warning and any("compleet" in s.value for s in at.success)
    at.selectbox(key="bk_room").set_value("besluit_genomen")
    at.selectbox(key="bk_level").set_value("meebeslissen")
    at.button[0].click()  # save the frame
    at.run()
    assert not at.exception
    assert meetings.load(eng, meeting.id).frame.level == "meebeslissen"
    assert any("hoger dan het kader" in w.value for w in at.warning)
    assert at.button(key="bijeenkomst_start").disabled
    at.checkbox(key="bijeenkomst_warnings_read").check().run()
    assert not at.button(key="bijeenkomst_start").disabled


def test_a_damaged_stored_profile_is_said_while_preparing(eng):
    from enschede_gis import db

    with db.writing(eng) as conn:  # e.g. edited by hand in the database
        conn.execute(db.PROFILES.insert().values(name="Kapot", payload="{kapot", version=1))
    at = _app(_meeting(eng).id)
    assert any("Profiel 'Kapot'" in rendered(w.value) for w in at.warning)
    assert at.multiselect(key="bk_profiles").options == []  # the form still works, without profiles


def test_step_through_the_agenda(eng, monkeypatch):
    monkeypatch.setenv("WIJKBEELD_PUBLIC_URL", "https://wijkbeeld.example")
    meeting = _meeting(eng)
    projects.save(
        eng,
        projects.make_project(
            title="Riolering Zeggelt",
            domain="fysiek",
            responsible="Team Riolering",
            contact="riool@example.org",
            area={"codes": [LASONDER]},
            start=date(2026, 1, 1),
            end=date(2026, 6, 30),
        ),
        actor=TEAM,
    )
    at = _app(meeting.id)
    assert any(
        f'data-join-url="https://wijkbeeld.example/doe-mee?code={joinlink.short_code(meeting.id)}"' in h.proto.body
        for h in at.get("html")
    )
    at.button(key="bijeenkomst_start").click().run()
    assert not at.exception
    assert at.header[0].value == "Het kader"
    assert "Veertig woningen." in [t.value for t in at.text]
    assert "bijeenkomst_prev" in [b.key for b in at.button] and at.button(key="bijeenkomst_prev").disabled

    at.button(key="bijeenkomst_next").click().run()
    assert at.header[0].value == "De situatie"
    assert meetings.load(eng, meeting.id).step == 1
    assert any(m.label == "Aantal inwoners" for m in at.metric)
    [situation] = map_views(at)  # the map component: the area filled, outlined and named, no code
    assert situation["focus"] == [LASONDER] and situation["pick"] is False and situation["projector"]
    assert situation["legend"]["title"] == "Waar deze bijeenkomst over gaat"
    assert [row[0] for row in situation["legend"]["rows"]] == ["Lasonder, Zeggelt"]
    table = at.table[0].value
    assert table["Verantwoordelijk"].tolist() == ["Team Riolering"]

    at.button(key="bijeenkomst_next").click().run()
    assert any("Nog geen prioriteitenprofielen" in i.value for i in at.info)
    at.button(key="bijeenkomst_next").click().run()
    assert any("Nog geen scenario's" in i.value for i in at.info)
    at.button(key="bijeenkomst_next").click().run()
    assert at.header[0].value == "Afspraken en vervolg"
    assert at.button(key="bijeenkomst_next").disabled


def test_agreements_are_saved_and_the_report_is_made(eng):
    meeting = meetings.with_changes(_meeting(eng), started=True, step=4)
    meetings.save(eng, meeting, actor=TEAM, expected=1)
    at = _app(meeting.id, present=True)
    at.text_input(key="bk_what").set_value("Drie ontwerpen voor het plein")
    at.text_input(key="bk_who").set_value("Wijkteam")
    at.text_input(key="bk_when").set_value("maart")
    at.button[0].click().run()  # the form's submit button
    assert not at.exception
    assert meetings.load(eng, meeting.id).agreements[0].what == "Drie ontwerpen voor het plein"
    assert at.table[0].value.iloc[0].tolist() == ["Drie ontwerpen voor het plein", "Wijkteam", "maart"]
    at.button(key="bijeenkomst_make_report").click().run()
    assert not at.exception
    assert at.session_state["_bijeenkomst_pdf"].startswith(b"%PDF")


def test_the_situation_figures_are_explained(eng, catalogue):
    meeting = meetings.with_changes(_meeting(eng), started=True, step=1)
    meetings.save(eng, meeting, actor=TEAM, expected=1)
    at = _app(meeting.id, present=True)
    shown = [m.label for m in at.metric]  # a tile's label may add its unit: "... (personen)"
    offered = explanations_offered(at, "bk_explain_figures")
    assert shown and len(offered) == len(shown)
    assert all(label.startswith(name) for label, name in zip(shown, offered, strict=True))


def test_the_closing_step_shows_who_gave_input(eng):
    meeting = meetings.with_changes(_meeting(eng), started=True, step=len(meetings.AGENDA) - 1, input_open=True)
    meetings.save(eng, meeting, actor=TEAM, expected=1)
    for i in range(12):
        draft = inputs.make_input(
            kind="idea", area_code=LASONDER, text=f"Idee {i}", meeting_id=meeting.id, age_group="65+"
        )
        inputs.submit(eng, draft, actor=STAFF, session_id=f"s{i}")
    at = _app(meeting.id, present=True)
    assert any(s.value.startswith("Wie gaf inbreng, en wie woont er in") for s in at.subheader)
    table = at.table[-1].value
    assert table.loc["Leeftijd"].set_index("Groep").loc["65 jaar en ouder", "Inbreng (aantal)"] == "12"
    assert any(t.value.startswith("65 jaar en ouder") and "oververtegenwoordigd" in t.value for t in at.text)


def test_presentation_injects_the_projector_style_only_when_presenting(eng):
    meeting = _meeting(eng)
    preparing = _app(meeting.id)
    assert not any("font-size: 30px" in m.value for m in preparing.markdown)
    presenting = _app(meeting.id, present=True)
    assert any("font-size: 30px" in m.value for m in presenting.markdown)


def test_every_text_key_of_these_pages_exists_in_both_languages():
    import re
    from pathlib import Path

    from enschede_gis import i18n

    i18n.strings.cache_clear()
    known = i18n.strings()
    repo = Path(__file__).resolve().parents[1]
    sources = ["views/bijeenkomst.py", "views/inbreng.py", "views/projecten.py", "enschede_gis/session_report.py"]
    used = set()
    for name in sources:
        used |= set(
            re.findall(r'\bu?i?\.?_?t\(\s*"((?:bijeenkomst|inbreng|projecten)\.[a-z_.]+)"', (repo / name).read_text())
        )
    assert len(used) > 100
    missing = sorted(k for k in used if k not in known or not (known[k].get("nl") and known[k].get("en")))
    assert missing == []


def test_a_scenario_is_told_in_plain_words_with_its_effect(eng):
    from enschede_gis import scenarios as sc

    sc.save_scenario(
        eng,
        sc.make_scenario(
            name="Lasonder +40 (2023)",
            year=2023,
            measures=[
                {"type": "new_dwellings", "area": LASONDER, "basis": "assumption", "dwellings": 40, "household_size": 2}
            ],
        ),
        actor=TEAM,
    )
    meeting = meetings.with_changes(_meeting(eng), started=True, step=3, scenarios=["Lasonder +40 (2023)"])
    meetings.save(eng, meeting, actor=TEAM, expected=1)
    at = _app(meeting.id, present=True)
    assert [h.value for h in at.subheader] == ["Lasonder \\+40 \\(2023\\)"]  # the year once
    said = " ".join(rendered(m.value) for m in at.markdown)
    assert "**Aanname** · 40 nieuwe woningen in Lasonder, Zeggelt; aanname: 2 personen per woning" in said
    effects = at.table[0].value
    assert effects.loc["Aantal huishoudens"].tolist()[-1] == "+40"
    shown = said + " ".join(str(t.value.to_dict()) for t in at.table)
    assert "BU0153" not in shown and "new_dwellings" not in shown
