"""The bad-input corpus: ten or more hostile or awkward cases per door, each taken exactly or refused
clearly with nothing changed (see conftest.py for the runner and the per-door report)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import openpyxl
import pytest

from enschede_gis import areas, db, inputs, meetings, roles, uploads
from enschede_gis import priorities as pr
from enschede_gis import projects as proj
from enschede_gis import scenarios as sc
from enschede_gis._validate import load_json, validated
from enschede_gis.boundaries import for_gemeente
from tests.corpus.runner import refused, run_case, taken
from tests.page_helpers import rendered

TW, BH = "BU01530301", "BU01530905"  # Twekkelerveld, Broekheurne
EVIL = '=HYPERLINK("http://evil","x")'
HIDDEN = "\u202e\u200b\x00\x07"  # direction override, zero width, NUL, bell


def _xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<x/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<row/>" * 3_000_000)
    return buffer.getvalue()


@pytest.fixture
def engine(monkeypatch, isolated_state):
    """A SQLite database in this test's state folder, as the app opens it."""
    monkeypatch.delenv(db.DATABASE_URL_ENV, raising=False)
    db.dispose_all()
    yield db.engine()
    db.dispose_all()


# -- own data (CSV / Excel) ----------------------------------------------------------------------------


def _values(state, key="lokaal_score"):
    return state[-1]["values"][key] if state else None


OWN_DATA = [
    taken(
        "dutch decimals",
        ("a.csv", f"buurtcode;score\n{TW};7,5\n{BH};1.234,5\n", "average"),
        lambda s: _values(s) == {TW: 7.5, BH: 1234.5},
    ),
    taken(
        "english decimals",
        ("a.csv", f'buurtcode,score\n{TW},"1,234.5"\n{BH},7.5\n', "average"),
        lambda s: _values(s) == {TW: 1234.5, BH: 7.5},
    ),
    taken(
        "thousands dot settled by the file",
        ("a.csv", f"buurtcode;score\n{TW};1.234\n{BH};2,5\n", "average"),
        lambda s: _values(s) == {TW: 1234.0, BH: 2.5},
    ),
    refused(
        "ambiguous 1.234 alone",
        ("a.csv", f"buurtcode;score\n{TW};1.234\n{BH};7\n", "count"),
        "Rij 2",
        "kolom 'score'",
        "1000 keer",
    ),
    refused("1e309", ("a.csv", f"buurtcode;score\n{TW};1e309\n", "average"), "Rij 2", "geen eindig getal"),
    refused("NaN text", ("a.csv", f"buurtcode;score\n{TW};NaN\n", "average"), "Rij 2", "geen getal"),
    refused("1e308 inhabitants", ("a.csv", f"buurtcode;score\n{TW};1e308\n", "count"), "Rij 2", "onwaarschijnlijk"),
    refused("2,5 persons", ("a.csv", f"buurtcode;score\n{TW};2,5\n", "count"), "Rij 2", "geen geheel getal"),
    refused("negative count", ("a.csv", f"buurtcode;score\n{TW};-3\n", "count"), "Rij 2", "negatief"),
    refused("percentage 120", ("a.csv", f"buurtcode;score\n{TW};120\n", "percentage"), "Rij 2", "tussen 0 en 100"),
    taken(
        "UTF-16 Unicode text",
        ("a.txt", f"buurtcode\tscore\n{TW}\t12\n".encode("utf-16"), "count"),
        lambda s: _values(s) == {TW: 12.0},
    ),
    taken(
        "Windows-1252",
        ("a.csv", f"buurtcode;score\n{TW};3\n".encode("cp1252"), "count"),
        lambda s: _values(s) == {TW: 3.0},
    ),
    taken(
        "UTF-8 with BOM",
        ("a.csv", f"buurtcode;score\n{TW};4\n".encode("utf-8-sig"), "count"),
        lambda s: _values(s) == {TW: 4.0},
    ),
    refused("CSV renamed .xlsx", ("a.xlsx", f"buurtcode;score\n{TW};4\n", "count"), "is een tekstbestand"),
    refused("Excel renamed .csv", ("a.csv", _xlsx([["buurtcode", "score"], [TW, 1]]), "count"), "is een Excel-bestand"),
    refused("zip bomb", ("a.xlsx", _bomb(), "count"), "uitgepakt groter"),
    refused("old .xls", ("a.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 600, "count"), ".xls"),
    taken(
        "Excel numbers stay numbers",
        ("a.xlsx", _xlsx([["buurtcode", "score"], [TW, 1234], [BH, 0.5]]), "average"),
        lambda s: _values(s) == {TW: 1234.0, BH: 0.5},
    ),
    refused("duplicate code", ("a.csv", f"buurtcode;score\n{TW};1\n{TW};2\n", "count"), "Rij 3", "ook al op rij 2"),
    refused("unknown code", ("a.csv", f"buurtcode;score\nBU99999999;1\n{TW};2\n", "count"), "Rij 2", "onbekende code"),
    taken(
        "formula and hidden characters in the name",
        ("a.csv", f"buurtcode;{EVIL}\u202e\u200b\n{TW};1\n", "count"),
        lambda s: s[-1]["indicators"][0]["name"] == EVIL,
    ),
    refused(
        "source too long", ("a.csv", f"buurtcode;score\n{TW};1\n", "count"), "bron is 130 tekens", source="x" * 130
    ),
]


@pytest.mark.parametrize("case", OWN_DATA, ids=lambda c: c.id)
def test_own_data(case, snap):
    name, data, kind = case.payload
    data = data.encode("utf-8") if isinstance(data, str) else data
    known = set(for_gemeente(snap, "buurt", "GM0153")["code"])

    def attempt():
        frame = uploads.read_table(name, data)
        layout = uploads.inspect(frame)
        specs = [uploads.column_spec(column=c, name=c, kind=kind) for c in layout.value_columns]
        dataset = uploads.validate(
            frame,
            layout,
            specs,
            known_codes=known,
            source=case.extra.get("source", "Enquête"),
            year=2023,
            file_name=name,
            existing=uploads.load_datasets(),
        )
        uploads.save_dataset(db.engine(), dataset, actor=TEAM)

    run_case("own data CSV/Excel", case, attempt, lambda: [d.model_dump() for d in uploads.load_datasets()])


# -- projects import (CSV / Excel) -----------------------------------------------------------------------

HEAD = "titel;domein;verantwoordelijke;gebied;start;eind\n"
GOOD = (
    HEAD
    + f"Riolering;fysiek;Gemeente;{TW};1-3-2026;31-5-2026\nBuurtkamer;sociaal;Wijkracht;{BH};2026-04-01;2026-12-31\n"
)


def _titles(state):
    return sorted(t for t, *_ in state)


PROJECTS = [
    taken(
        "good CSV",
        ("w.csv", GOOD),
        lambda s: (
            s
            == sorted(
                [("Buurtkamer", "2026-04-01", "2026-12-31", (BH,)), ("Riolering", "2026-03-01", "2026-05-31", (TW,))]
            )
        ),
    ),
    taken(
        "same file twice: no doubles", ("w.csv", GOOD), lambda s: _titles(s) == ["Buurtkamer", "Riolering"], twice=True
    ),
    taken(
        "direction override in the title",
        ("w.csv", HEAD + f"Riool\u202e\u200bstraat;fysiek;G;{TW};2026-01-01;2026-01-02\n"),
        lambda s: _titles(s) == ["Rioolstraat"],
    ),
    refused("NUL in a CSV", ("w.csv", HEAD + f"Riool\x00straat;fysiek;G;{TW};2026-01-01;2026-01-02\n"), "geen tabel"),
    taken(
        "formula title kept as text",
        ("w.csv", HEAD + f"{EVIL.replace(';', '')};fysiek;G;{TW};2026-01-01;2026-01-02\n"),
        lambda s: _titles(s) == [EVIL],
    ),
    taken(
        "Excel with date cells",
        (
            "w.xlsx",
            _xlsx(
                [
                    ["titel", "domein", "verantwoordelijke", "gebied", "start", "eind"],
                    ["Bomen", "groen", "G", TW, date(2026, 10, 1), date(2026, 11, 1)],
                ]
            ),
        ),
        lambda s: s == [("Bomen", "2026-10-01", "2026-11-01", (TW,))],
    ),
    refused("CSV renamed .xlsx", ("w.xlsx", GOOD), "is een tekstbestand"),
    refused("over 2 MB", ("w.csv", HEAD + "x;fysiek;G;BU01530301;2026-01-01;2026-01-02\n" * 50_000), "groter dan 2 MB"),
    refused("5001 rows", ("w.csv", HEAD + f"x;fysiek;G;{TW};2026-01-01;2026-01-02\n" * 5001), "meer dan 5000 rijen"),
    refused("31 February", ("w.csv", HEAD + f"x;fysiek;G;{TW};31-02-2026;2026-03-01\n"), "rij 2", "geen datum"),
    refused("end before start", ("w.csv", HEAD + f"x;fysiek;G;{TW};2026-05-01;2026-04-01\n"), "rij 2", "vóór start"),
    refused("unknown domain", ("w.csv", HEAD + f"x;cultuur;G;{TW};2026-01-01;2026-01-02\n"), "rij 2", "domein"),
    refused("unknown buurt", ("w.csv", HEAD + "x;fysiek;G;BU99999999;2026-01-01;2026-01-02\n"), "rij 2", "BU99999999"),
    refused("missing column", ("w.csv", "titel;start\nx;2026-01-01\n"), "mist de kolom"),
    refused(
        "one bad row of three",
        ("w.csv", GOOD + "x;fysiek;;BU01530301;2026-01-01;2026-01-02\n"),
        "rij 4",
        "verantwoordelijke",
    ),
    refused("zip bomb", ("w.xlsx", _bomb()), "uitgepakt groter"),
]


@pytest.mark.parametrize("case", PROJECTS, ids=lambda c: c.id)
def test_projects(case, snap, engine):
    name, data = case.payload
    data = data.encode("utf-8") if isinstance(data, str) else data
    buurten = for_gemeente(snap, "buurt", "GM0153")

    def attempt():
        found = proj.parse_rows(proj.read_table(data, name), buurten=buurten, custom={})
        new, _skipped = proj.only_new(found, proj.load_all(engine))
        proj.save(engine, new, actor=TEAM)

    def state():
        return sorted((p.title, p.start.isoformat(), p.end.isoformat(), p.area.codes) for p in proj.load_all(engine))

    if case.extra.get("twice"):
        attempt()
    run_case("projects CSV/Excel", case, attempt, state)


# -- scenario JSON ---------------------------------------------------------------------------------------

MEASURE = {"type": "new_dwellings", "area": TW, "basis": "evidence", "dwellings": 100, "household_size": 2.0}


def _scenario(**changes) -> str:
    return json.dumps({"schema_version": 1, "name": "Plan", "year": 2023, "measures": [MEASURE], **changes})


SCENARIOS = [
    taken(
        "valid", _scenario(), lambda s: [x["name"] for x in s] == ["Plan"] and s[0]["measures"][0]["dwellings"] == 100
    ),
    taken(
        "hidden characters in the name", _scenario(name=f"Plan{HIDDEN} Noord"), lambda s: s[0]["name"] == "Plan Noord"
    ),
    taken("UTF-16 file", _scenario().encode("utf-16"), lambda s: [x["name"] for x in s] == ["Plan"]),
    refused("nested 100000 deep", "[" * 100_000 + "]" * 100_000, "dieper genest"),
    refused("over 1 MB", _scenario(description="x" * 1_100_000), "groter dan 1 MB"),
    refused("not JSON", "{name: Plan}", "geen geldige JSON", "regel 1"),
    refused("a list, not an object", "[1, 2]", "geen scenario"),
    refused("no schema version", json.dumps({"name": "Plan", "year": 2023}), "schema_version"),
    refused("newer schema", _scenario(schema_version=99), "nieuwere versie"),
    refused("negative dwellings", _scenario(measures=[{**MEASURE, "dwellings": -5}]), "woningen"),
    refused("age mix not 100", _scenario(measures=[{**MEASURE, "age_mix": {"leeftijd_0_15": 50}}]), "tellen op tot 50"),
    refused(
        "Infinity delta",
        _scenario(
            measures=[
                {
                    "type": "direct_assumption",
                    "area": TW,
                    "basis": "assumption",
                    "indicator": "inwoners",
                    "delta": float("inf"),
                }
            ]
        ),
        "eindig getal",
    ),
    refused("unknown field", _scenario(owner="x"), "owner", "geen bekend veld"),
    refused("year 1800", _scenario(year=1800), "basisjaar"),
]


@pytest.mark.parametrize("case", SCENARIOS, ids=lambda c: c.id)
def test_scenario_json(case):
    def attempt():
        sc.save_scenario(db.engine(), sc.from_json(case.payload), actor=TEAM)

    run_case("scenario JSON", case, attempt, lambda: [s.model_dump() for s in sc.load_scenarios()[0]])


# -- priority profile JSON ------------------------------------------------------------------------------

WEIGHT = {"indicator": "bijstand_per_1000", "weight": 2, "direction": "higher_worse"}


def _profile(**changes) -> str:
    return json.dumps({"name": "Bewoners", "rationale": "", "weights": [WEIGHT], **changes})


PROFILES = [
    taken("valid", _profile(), lambda s: [p["name"] for p in s] == ["Bewoners"] and s[0]["weights"][0]["weight"] == 2),
    taken(
        "hidden characters in name and rationale",
        _profile(name=f"Bewo{HIDDEN}ners", rationale="a\u202eb\x00"),
        lambda s: (s[0]["name"], s[0]["rationale"]) == ("Bewoners", "ab"),
    ),
    taken("formula name kept as text", _profile(name=EVIL[:60]), lambda s: s[0]["name"] == EVIL[:60]),
    refused("no weights", _profile(weights=[]), "weights", "te weinig"),
    refused("weight 1000", _profile(weights=[{**WEIGHT, "weight": 1000}]), "hoogstens 100"),
    refused("unknown direction", _profile(weights=[{**WEIGHT, "direction": "up"}]), "direction"),
    refused("name of invisible characters", _profile(name="\u200b\u202e"), "name"),
    refused("name 61 characters", _profile(name="x" * 61), "te lang"),
    refused("unknown field", _profile(owner="x"), "owner"),
    refused("nested 5000 deep", "[" * 5000 + "]" * 5000, "dieper genest"),
    refused("not JSON", "{", "geen geldige JSON"),
]


@pytest.mark.parametrize("case", PROFILES, ids=lambda c: c.id)
def test_profile_json(case):
    def attempt():
        raw = load_json(case.payload)
        profile = validated(pr.PriorityProfile, raw, nl="Ongeldig profiel", en="Invalid profile")
        pr.save_profile(db.engine(), profile, actor=TEAM)

    run_case("profile JSON", case, attempt, lambda: [p.model_dump() for p in pr.load_profiles()])


# -- custom areas -----------------------------------------------------------------------------------------

AREAS = [
    taken("valid", ("Noordflank", [TW], ""), lambda s: s == [("Noordflank", (TW,), "")]),
    taken("lower-case codes", ("Noord", [TW.lower(), f" {BH} "], ""), lambda s: s == [("Noord", (TW, BH), "")]),
    taken(
        "hidden characters in name and description",
        (f"Noord{HIDDEN}flank", [TW], f"regel 1\nregel{HIDDEN} 2"),
        lambda s: s == [("Noordflank", (TW,), "regel 1\nregel 2")],
    ),
    taken("formula name kept as text", (EVIL, [TW], ""), lambda s: s == [(EVIL, (TW,), "")]),
    refused("empty name", ("   ", [TW], ""), "naam"),
    refused("name of invisible characters", ("\u200b\u202e\x00", [TW], ""), "naam"),
    refused("name 81 characters", ("x" * 81, [TW], ""), "naam", "te lang"),
    refused("unknown buurt", ("Noord", ["BU99999999"], ""), "BU99999999"),
    refused("a wijk code", ("Noord", ["WK015303"], ""), "WK015303"),
    refused("no buurten", ("Noord", [], ""), "buurten"),
    refused("description 1001 characters", ("Noord", [TW], "x" * 1001), "omschrijving", "te lang"),
    refused("name taken", ("Noordflank", [BH], ""), "bestaat al", setup=("Noordflank", [TW], "")),
]


@pytest.mark.parametrize("case", AREAS, ids=lambda c: c.id)
def test_custom_areas(case, snap):
    known = set(for_gemeente(snap, "buurt", "GM0153")["code"])
    if case.setup:
        areas.save_area(db.engine(), areas.parse_area(*case.setup), known, actor=TEAM)

    def attempt():
        areas.save_area(db.engine(), areas.parse_area(*case.payload), known, actor=TEAM)

    def state():
        found = [(a.name, a.codes, a.description) for a in areas.load_areas()]
        return found if not case.setup else [f for f in found if f[0] != case.setup[0] or f[1] != tuple(case.setup[1])]

    run_case("custom areas", case, attempt, state)


# -- meetings ----------------------------------------------------------------------------------------------

MEETINGS = [
    taken("valid", {"title": "Buurtavond", "area_code": "WK015303"}, lambda s: s == [("Buurtavond", "WK015303", ())]),
    taken(
        "NUL in the title",
        {"title": f"Buurt{HIDDEN}avond", "area_code": "WK015303"},
        lambda s: s == [("Buurtavond", "WK015303", ())],
    ),
    taken("formula title kept as text", {"title": EVIL, "area_code": "WK015303"}, lambda s: s[0][0] == EVIL),
    taken(
        "agreement with hidden characters",
        {
            "title": "Avond",
            "area_code": "WK015303",
            "agreements": [{"what": f"Speel{HIDDEN}plek", "who": "Team\nOost"}],
        },
        lambda s: s == [("Avond", "WK015303", (("Speelplek", "Team Oost"),))],
    ),
    refused("title of control characters", {"title": "\x00\x07", "area_code": "WK015303"}, "titel"),
    refused("title 201 characters", {"title": "x" * 201, "area_code": "WK015303"}, "te lang"),
    refused("no area", {"title": "Avond", "area_code": ""}, "gebied"),
    refused("year 1800", {"title": "Avond", "area_code": "WK015303", "year": 1800}, "minstens 2000"),
    refused("unknown room", {"title": "Avond", "area_code": "WK015303", "frame": {"room": "alles"}}, "ruimte"),
    refused("empty agreement", {"title": "Avond", "area_code": "WK015303", "agreements": [{"what": " "}]}, "afspra"),
    refused("unknown field", {"title": "Avond", "area_code": "WK015303", "secret": 1}, "secret"),
    refused(
        "fixed text 4001 characters",
        {"title": "Avond", "area_code": "WK015303", "frame": {"fixed": "x" * 4001}},
        "te lang",
    ),
]


@pytest.mark.parametrize("case", MEETINGS, ids=lambda c: c.id)
def test_meetings(case, engine):
    def attempt():
        meetings.save(engine, meetings.make_meeting(**case.payload), actor=TEAM)

    def state():
        return [
            (m.title, m.area_code, tuple((a.what, a.who) for a in m.agreements)) for m in meetings.list_meetings(engine)
        ]

    run_case("meetings", case, attempt, state)


# -- residents' input --------------------------------------------------------------------------------------

TEAM = roles.Actor(roles.Role.TEAM, "corpus")
NOTE = {"kind": "note", "area_code": TW}

INPUTS = [
    taken(
        "a note",
        {**NOTE, "text": "Meer bankjes bij de speeltuin"},
        lambda s: s == [("note", TW, "Meer bankjes bij de speeltuin")],
    ),
    taken(
        "hidden characters",
        {**NOTE, "text": f"Meer{HIDDEN} bankjes\r\ngraag"},
        lambda s: s[0][2] == "Meer bankjes\ngraag",
    ),
    taken("formula kept as text", {**NOTE, "text": EVIL}, lambda s: s[0][2] == EVIL),
    taken("a vote", {"kind": "vote", "area_code": TW, "priority": "Groen"}, lambda s: s == [("vote", TW, "")]),
    refused("text 1001 characters", {**NOTE, "text": "x" * 1001}, "tekst", "te lang"),
    refused("text of invisible characters", {**NOTE, "text": "\u200b\u202e\x00"}, "tekst"),
    refused("latitude 91", {**NOTE, "text": "Hier een gat", "lat": 91, "lon": 6.9}, "breedtegraad"),
    refused("pin without longitude", {**NOTE, "text": "Hier een gat", "lat": 52.2}, "lengtegraad"),
    refused("unknown kind", {"kind": "rant", "area_code": TW, "text": "abcdef"}, "soort"),
    refused("vote without priority", {"kind": "vote", "area_code": TW}, "prioriteit"),
    refused("unknown age group", {**NOTE, "text": "Meer bankjes", "age_group": "100+"}, "leeftijdsgroep"),
    refused("no area", {"kind": "note", "area_code": "", "text": "Meer bankjes"}, "gebied"),
]


@pytest.mark.parametrize("case", INPUTS, ids=lambda c: c.id)
def test_residents_input(case, engine):
    def attempt():
        inputs.submit(engine, inputs.make_input(**case.payload), session_id="corpus", actor=TEAM)

    def state():
        frame = inputs.list_inputs(engine, include_hidden=True)
        return [(r["kind"], r["area_code"], r["text"] or "") for _, r in frame.iterrows()]

    run_case("residents' input", case, attempt, state)


# -- URL parameters -----------------------------------------------------------------------------------------

URL_SCRIPT = """
import streamlit as st
import app_state as ui
st.session_state["result"] = (
    ui.gemeente(),
    [2024, 2023, 2022][ui.url_index("jaar", [2024, 2023, 2022])],
    ["GM0153", "BU01530301"][ui.url_index("gebied", ["GM0153", "BU01530301"])],
)
"""

#: (id, query parameters, expected (gemeente, jaar, gebied), words of the notice or None when followed)
URLS = [
    ("all followed", {"jaar": "2023", "gebied": TW, "gemeente": "GM0153"}, ("GM0153", 2023, TW), None),
    ("nothing asked", {}, ("GM0153", 2024, "GM0153"), None),
    ("empty values", {"jaar": "", "gebied": ""}, ("GM0153", 2024, "GM0153"), None),
    ("a year the figure lacks", {"jaar": "2019"}, ("GM0153", 2024, "GM0153"), "'2019'"),
    ("an unknown buurt", {"gebied": "BU99999999"}, ("GM0153", 2024, "GM0153"), "'BU99999999'"),
    ("another gemeente", {"gemeente": "GM0363"}, ("GM0153", 2024, "GM0153"), "'GM0363'"),
    ("a year as a float", {"jaar": "2023.0"}, ("GM0153", 2024, "GM0153"), "'2023.0'"),
    ("markdown and HTML", {"gebied": "<b>**x**</b>"}, ("GM0153", 2024, "GM0153"), "'<b>**x**</b>'"),
    ("SQL in the gemeente", {"gemeente": "GM0153'; DROP TABLE inputs;--"}, ("GM0153", 2024, "GM0153"), "DROP TABLE"),
    ("a very long value", {"jaar": "9" * 5000}, ("GM0153", 2024, "GM0153"), "'" + "9" * 79 + "…'"),
    ("lower-case code", {"gebied": TW.lower()}, ("GM0153", 2024, "GM0153"), f"'{TW.lower()}'"),
    ("control characters", {"gebied": "BU0153\x00\u202e0301"}, ("GM0153", 2024, "GM0153"), "'BU01530301'"),
]


@pytest.mark.parametrize(("params", "expected", "notice"), [u[1:] for u in URLS], ids=[u[0] for u in URLS])
def test_url_parameters(params, expected, notice):
    from streamlit.testing.v1 import AppTest

    from tests.corpus.runner import record

    before = [a.model_dump() for a in areas.load_areas()]
    at = AppTest.from_string(URL_SCRIPT, default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    try:
        at.run()
    except Exception:
        record("URL parameters", "crash")
        raise
    if at.exception:
        record("URL parameters", "crash")
        pytest.fail(str([e.value for e in at.exception]))
    said = rendered(" ".join(i.value for i in at.info))
    result = at.session_state["result"]
    if [a.model_dump() for a in areas.load_areas()] != before:
        record("URL parameters", "partial_write")
        pytest.fail("a link changed stored state")
    if result != expected or (notice is None) != (not said) or (notice and notice not in said):
        record("URL parameters", "silent_wrong")
        pytest.fail(f"showed {result} with notice {said!r}; expected {expected} with {notice!r}")
    record("URL parameters", "taken" if notice is None else "refused")
