"""The project register: footprints, conflict detection on hand-made cases, import, storage."""

from __future__ import annotations

import io
from datetime import date

import geopandas as gpd
import openpyxl
import pytest
import shapely
from pg_fixtures import *  # noqa: F403  (the db_url, db_engine and pg_url fixtures)

from enschede_gis import projects, roles, settings
from enschede_gis.errors import ConflictError, InputError
from enschede_gis.roles import PermissionDenied

TEAM = roles.Actor(roles.Role.TEAM, "Anna")


@pytest.fixture(scope="module")
def grid() -> gpd.GeoDataFrame:
    """Four 1 km squares in RD New: BU00010000..03, two per wijk, side by side west to east."""
    x0, y0 = 255_000, 470_000
    squares = [shapely.box(x0 + i * 1000, y0, x0 + (i + 1) * 1000, y0 + 1000) for i in range(4)]
    return gpd.GeoDataFrame(
        {
            "code": [f"BU0001000{i}" for i in range(4)],
            "name": ["A", "B", "C", "D"],
            "wijkcode": ["WK000100", "WK000100", "WK000101", "WK000101"],
            "gemeentecode": ["GM0001"] * 4,
        },
        geometry=squares,
        crs=settings.CRS_RD,
    )


def _polygon_web(box: shapely.Polygon) -> dict:
    web = gpd.GeoSeries([box], crs=settings.CRS_RD).to_crs(settings.CRS_WEB).iloc[0]
    return shapely.geometry.mapping(web)


def _project(title, start, end, **area):
    return projects.make_project(
        title=title, domain="fysiek", responsible="Gemeente", area=area, start=date(*start), end=date(*end)
    )


def _found(items, grid, custom=None):
    return projects.conflicts(items, projects.footprints(items, grid, custom))


def test_touching_periods_share_a_day_and_conflict(grid):
    a = _project("Riolering", (2026, 1, 1), (2026, 3, 31), codes=("BU00010000",))
    b = _project("Herinrichting", (2026, 3, 31), (2026, 6, 30), codes=("BU00010000",))
    found = _found([a, b], grid)
    assert found[["kind", "a_title", "b_title", "days"]].values.tolist() == [
        ["overlap", "Riolering", "Herinrichting", 1]
    ]
    assert found["from"].iloc[0] == found["to"].iloc[0] == date(2026, 3, 31)


def test_back_to_back_periods_are_adjacent_not_a_conflict(grid):
    a = _project("Riolering", (2026, 1, 1), (2026, 3, 31), codes=("BU00010000",))
    b = _project("Herinrichting", (2026, 4, 1), (2026, 6, 30), codes=("BU00010000",))
    found = _found([a, b], grid)
    assert found["kind"].tolist() == ["adjacent"]
    assert projects.conflicted_buurten(found).empty


def test_separate_periods_or_different_areas_do_not_conflict(grid):
    a = _project("Riolering", (2026, 1, 1), (2026, 3, 31), codes=("BU00010000",))
    later = _project("Later", (2026, 5, 1), (2026, 6, 30), codes=("BU00010000",))
    elsewhere = _project("Elders", (2026, 1, 1), (2026, 12, 31), codes=("BU00010002",))
    assert _found([a, later, elsewhere], grid).empty


def test_same_area_through_a_custom_area(grid):
    a = _project("Speeltuin", (2026, 2, 1), (2026, 2, 28), custom="Noordflank")
    b = _project("Glasvezel", (2026, 2, 15), (2026, 4, 1), codes=("BU00010001",))
    c = _project("Buurtkamer", (2026, 2, 15), (2026, 4, 1), codes=("BU00010003",))
    found = _found([a, b, c], grid, {"Noordflank": ["BU00010001", "BU00010002"]})
    assert found[["a_title", "b_title", "buurten", "days"]].values.tolist() == [
        ["Speeltuin", "Glasvezel", ("BU00010001",), 14]
    ]


def test_wijk_code_covers_its_buurten(grid):
    a = _project("Wijkaanpak", (2026, 1, 1), (2026, 12, 31), codes=("WK000101",))
    b = _project("Straat", (2026, 6, 1), (2026, 6, 2), codes=("BU00010003",))
    assert _found([a, b], grid)["buurten"].tolist() == [("BU00010003",)]


def test_drawn_polygon_claims_the_buurten_it_covers_not_those_it_touches(grid):
    x0, y0 = 255_000, 470_000
    inside_b = shapely.box(x0 + 1100, y0 + 100, x0 + 1900, y0 + 900)
    assert projects.footprint(projects.ProjectArea(polygon=_polygon_web(inside_b)), grid) == {"BU00010001"}
    across = shapely.box(x0 + 1500, y0 + 100, x0 + 2500, y0 + 900)
    assert projects.footprint(projects.ProjectArea(polygon=_polygon_web(across)), grid) == {
        "BU00010001",
        "BU00010002",
    }
    a = _project("Park", (2026, 1, 1), (2026, 2, 1), polygon=_polygon_web(inside_b))
    b = _project("Weg", (2026, 1, 20), (2026, 3, 1), codes=("BU00010001",))
    c = _project("Wijk C", (2026, 1, 20), (2026, 3, 1), codes=("BU00010002",))
    found = _found([a, b, c], grid)
    assert found[["a_title", "b_title"]].values.tolist() == [["Park", "Weg"]]


def test_polygon_outside_the_gemeente_is_refused(grid):
    far = shapely.box(100_000, 400_000, 100_500, 400_500)
    with pytest.raises(InputError, match="buiten de buurten"):
        projects.footprint(projects.ProjectArea(polygon=_polygon_web(far)), grid)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end": date(2025, 1, 1)}, "vóór start"),
        ({"domain": "cultuur"}, "domein"),
        ({"responsible": "  "}, "verantwoordelijke"),
        ({"area": {}}, "precies één gebied"),
        ({"area": {"codes": ["XX1"]}}, "geen buurt-"),
        ({"area": {"polygon": {"type": "Point", "coordinates": [6.9, 52.2]}}}, "gesloten vlak"),
    ],
)
def test_bad_project_names_the_problem(changes, message):
    fields = {
        "title": "Werk",
        "domain": "verkeer",
        "responsible": "Twence",
        "area": {"codes": ["BU00010000"]},
        "start": date(2026, 1, 1),
        "end": date(2026, 2, 1),
    }
    with pytest.raises(InputError, match=message):
        projects.make_project(**{**fields, **changes})


def test_timeline_and_touching(grid):
    a = _project("Riolering", (2026, 1, 1), (2026, 3, 31), codes=("BU00010000",))
    b = _project("Herinrichting", (2026, 3, 1), (2026, 6, 30), codes=("BU00010000", "BU00010001"))
    c = _project("Elders", (2026, 1, 1), (2026, 2, 1), codes=("BU00010003",))
    prints = projects.footprints([a, b, c], grid)
    near = projects.touching([a, b, c], prints, ["BU00010001"])
    assert [p.title for p in near] == ["Herinrichting"]
    table = projects.timeline([a, b, c], projects.conflicts([a, b, c], prints))
    assert table.set_index("title")["conflict"].to_dict() == {"Riolering": True, "Herinrichting": True, "Elders": False}


CSV = (
    "Titel;Domein;Verantwoordelijke;Contact;Gebied;Start;Eind\n"
    "Riolering Hoofdstraat;Fysiek;Gemeente Enschede;riool@example.org;BU00010000;1-3-2026;31-5-2026\n"
    "Buurtkamer;sociaal;Wijkracht;;Noordflank;2026-04-01;2026-12-31\n"
)


def test_csv_import(grid):
    frame = projects.read_table(CSV.encode("utf-8"), "werken.csv")
    items = projects.parse_rows(frame, buurten=grid, custom={"Noordflank": ["BU00010001"]})
    assert [(p.title, p.domain, p.start, p.end) for p in items] == [
        ("Riolering Hoofdstraat", "fysiek", date(2026, 3, 1), date(2026, 5, 31)),
        ("Buurtkamer", "sociaal", date(2026, 4, 1), date(2026, 12, 31)),
    ]
    assert items[1].area.custom == "Noordflank"


def test_import_reports_every_bad_row_and_imports_nothing(grid):
    bad = (
        CSV + "Fout;cultuur;X;;BU00010000;2026-01-01;2026-02-01\nOmgekeerd;groen;Y;;BU99990000;2026-05-01;2026-04-01\n"
    )
    frame = projects.read_table(bad.encode("utf-8"), "werken.csv")
    with pytest.raises(InputError) as info:
        projects.parse_rows(frame, buurten=grid, custom={"Noordflank": ["BU00010001"]})
    message = str(info.value)
    assert "rij 4: domein" in message and "rij 5:" in message and "vóór start" in message
    assert "rij 2" not in message and "rij 3" not in message


def test_import_names_missing_columns(grid):
    frame = projects.read_table(b"titel,start\nA,2026-01-01\n", "x.csv")
    with pytest.raises(InputError, match="domein.*verantwoordelijke"):
        projects.parse_rows(frame, buurten=grid)


def test_excel_import(grid):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["title", "domain", "responsible", "area", "start", "end"])
    sheet.append(
        ["Bomen planten", "groen", "Groenbedrijf", "BU00010002 BU00010003", date(2026, 10, 1), date(2026, 11, 1)]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    items = projects.parse_rows(projects.read_table(buffer.getvalue(), "werken.xlsx"), buurten=grid)
    assert items[0].area.codes == ("BU00010002", "BU00010003")
    assert items[0].start == date(2026, 10, 1)


def test_unknown_file_type_is_refused_with_one_message():
    with pytest.raises(InputError, match="CSV- of Excel") as caught:
        projects.read_table(b"x", "werken.pdf")
    assert str(caught.value).count("werken.pdf") == 1  # said once, not wrapped in "kan niet worden gelezen"
    assert caught.value.message("en") == "File 'werken.pdf': choose a CSV or Excel file (.csv or .xlsx)."


def test_store_round_trip(db_engine):
    a = _project("Riolering", (2026, 1, 1), (2026, 3, 31), codes=("BU00010000",))
    b = _project("Park", (2025, 1, 1), (2025, 3, 31), custom="Noordflank")
    projects.save(db_engine, [a, b], actor=TEAM)
    assert projects.load_all(db_engine) == [b, a]
    edited = a.model_copy(update={"title": "Riolering fase 2"})
    projects.save(db_engine, edited, actor=roles.Actor(roles.Role.TEAM, "Bram"), expected=1)
    assert [p.title for p in projects.load_all(db_engine)] == ["Park", "Riolering fase 2"]
    with pytest.raises(ConflictError, match="Gewijzigd door Bram"):
        projects.save(db_engine, a, actor=TEAM, expected=1)
    stamps = projects.stamps(db_engine)
    assert (stamps[a.id].version, stamps[a.id].changed_by, stamps[b.id].changed_by) == (2, "Bram", "Anna")
    with pytest.raises(PermissionDenied):
        projects.remove(db_engine, b.id, actor=roles.Actor(roles.Role.RESIDENT))
    projects.remove(db_engine, b.id, actor=TEAM)
    assert [p.id for p in projects.load_all(db_engine)] == [a.id]


def test_importing_the_same_file_twice_skips_what_is_already_there(grid, db_engine):
    custom = {"Noordflank": ["BU00010001"]}
    first = projects.parse_rows(projects.read_table(CSV.encode("utf-8"), "werken.csv"), buurten=grid, custom=custom)
    new, skipped = projects.only_new(first, projects.load_all(db_engine))
    assert (len(new), skipped) == (2, 0)
    projects.save(db_engine, new, actor=TEAM)
    again = projects.parse_rows(projects.read_table(CSV.encode("utf-8"), "werken.csv"), buurten=grid, custom=custom)
    assert {p.id for p in again}.isdisjoint({p.id for p in first})  # new ids: only the natural key can tell
    new, skipped = projects.only_new(again, projects.load_all(db_engine))
    assert (new, skipped) == ([], 2)
    retitled = CSV.replace("Buurtkamer", "buurtkamer ").replace("Riolering Hoofdstraat", "Riolering Kerkstraat")
    rows = projects.parse_rows(projects.read_table(retitled.encode(), "w.csv"), buurten=grid, custom=custom)
    new, skipped = projects.only_new(rows, projects.load_all(db_engine))
    assert [p.title for p in new] == ["Riolering Kerkstraat"] and skipped == 1


def test_a_csv_renamed_to_xlsx_says_so():
    with pytest.raises(InputError, match="is een tekstbestand"):
        projects.read_table(CSV.encode("utf-8"), "werken.xlsx")


def test_import_size_is_limited_before_reading():
    with pytest.raises(InputError, match="groter dan 2 MB"):
        projects.read_table(b"titel;start\n" + b"x;2026-01-01\n" * 200_000, "werken.csv")


def test_corners_are_drawn_inside_the_gemeente_and_close_into_a_polygon(grid):
    inside = gpd.GeoSeries(
        [shapely.Point(255_200, 470_200), shapely.Point(256_800, 470_300), shapely.Point(256_000, 470_900)],
        crs=settings.CRS_RD,
    ).to_crs(settings.CRS_WEB)
    corners: list = []
    for point in inside:
        corners = projects.add_corner(corners, point.y, point.x, grid)
    assert len(corners) == 3 and projects.drawn_polygon(corners[:2]) is None
    polygon = projects.drawn_polygon(corners)
    assert polygon["coordinates"][0][0] == polygon["coordinates"][0][-1] == corners[0]
    area = projects.make_project(
        title="Vlak", domain="groen", responsible="Wijkteam", area={"polygon": polygon},
        start=date(2026, 1, 1), end=date(2026, 2, 1),
    )  # fmt: skip
    assert projects.footprint(area.area, grid) == {"BU00010000", "BU00010001"}
    with pytest.raises(InputError, match="buiten de gemeente") as refused:
        projects.add_corner(corners, 48.85, 2.35, grid)  # Paris
    assert "outside the gemeente" in refused.value.message("en")
    with pytest.raises(InputError, match="hoogstens"):
        projects.add_corner(corners * 40, inside.iloc[0].y, inside.iloc[0].x, grid)


def test_conflict_map_colours_buurten_by_pairs_and_names_them(grid):
    from enschede_gis import boundaries, webmap

    asset = webmap.geometry_asset(boundaries.for_web(grid[["code", "name", "geometry"]], tolerance_m=0))
    items = [
        _project("Riool <b>", (2026, 1, 1), (2026, 3, 1), codes=("BU00010000",)),
        _project("Glas", (2026, 2, 1), (2026, 4, 1), codes=("BU00010000", "BU00010001")),
        _project("Straat", (2026, 2, 1), (2026, 4, 1), codes=("BU00010000",)),
    ]
    view = projects.conflict_view(_found(items, grid), asset, "en")
    fills = [view["colours"][i] for i in view["cls"]]
    # A: three pairs (every two of them); B: Glas only, no pair; C, D: no project
    assert fills == [projects.CONFLICT_COLOURS[2], webmap.PLAIN_FILL, webmap.PLAIN_FILL, webmap.PLAIN_FILL]
    assert view["more"][0][0] == "Conflict" and "Riool <b> × Glas" in view["more"][0][1][0]
    assert view["legend"]["title"] == "Buurten where projects overlap"
    assert [row[2] for row in view["legend"]["rows"]] == [0, 0, 1, 3]
    assert view["focus"] == ["BU00010000"]  # fitted to the buurt with conflicts


def test_register_and_conflict_tables_speak_names_in_the_readers_language(grid):
    items = [
        _project("Riool", (2026, 1, 1), (2026, 3, 1), codes=("BU00010000",)),
        _project("Glas", (2026, 2, 1), (2026, 4, 1), codes=("BU00010000", "BU00010001")),
    ]
    found = _found(items, grid)
    names = dict(zip(grid["code"], grid["name"], strict=True))
    register = projects.register_table(items, found, names, lang="en")
    assert register["Domain"].tolist() == ["Physical", "Physical"] and register["Conflict"].tolist() == ["yes", "yes"]
    shown = projects.conflicts_table(found, names, lang="en")
    assert shown.iloc[0, :4].tolist()[1:] == ["Riool", "Glas", "A"]  # the shared buurt by name, not its code
    chart = projects.timeline_chart(items, found, "nl").to_dict()
    assert "'domein': 'Fysiek'" in str(chart) and "'period': '1 jan 2026 – 1 mrt 2026'" in str(chart)
