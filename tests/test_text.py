"""One text cleaner for every name, title and note; one spreadsheet-safe function for every export."""

from __future__ import annotations

import pytest

from enschede_gis import areas, meetings, priorities, projects, scenarios, text
from enschede_gis.errors import InputError

HOSTILE = "\u202eevil\u200b \x00name\x07\ufeff"


def test_clean_text_keeps_letters_and_line_breaks_only():
    assert text.clean_text("  Cafe\u0301\r\nmet\tnotitie\x00 ") == "Café\nmet\tnotitie"
    assert text.clean_line(" twee\nregels\t\x1b[31m ") == "twee regels [31m"
    assert text.clean_line(HOSTILE) == "evil name"


@pytest.mark.parametrize(
    "build",
    [
        lambda name: areas.CustomArea(name=name, codes=["BU01530301"]).name,
        lambda name: (
            projects.make_project(
                title=name,
                domain="groen",
                responsible="x",
                area={"codes": ["BU01530301"]},
                start="2026-01-01",
                end="2026-01-02",
            ).title
        ),
        lambda name: meetings.Meeting(title=name, area_code="BU01530301").title,
        lambda name: (
            priorities.PriorityProfile(
                name=name, weights=[{"indicator": "inwoners", "weight": 1, "direction": "higher_worse"}]
            ).name
        ),
        lambda name: scenarios.make_scenario(name=name, year=2023).name,
    ],
    ids=["area", "project", "meeting", "profile", "scenario"],
)
def test_every_name_is_cleaned_and_a_name_of_only_invisible_characters_is_refused(build):
    assert build(HOSTILE) == "evil name"
    with pytest.raises((InputError, ValueError)):
        build("\x00\u200b\u202e")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+31 6", "'+31 6"),
        ("-foo", "'-foo"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Twekkelerveld", "Twekkelerveld"),
        (-5, -5),
        (-2.5, -2.5),
        (None, None),
    ],
)
def test_spreadsheet_safe(value, expected):
    assert text.spreadsheet_safe(value) == expected
