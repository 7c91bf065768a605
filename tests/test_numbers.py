"""Numbers the Dutch (or English) way, never guessed; tables read in every encoding Excel writes, within limits."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from enschede_gis import numbers, tables, uploads
from enschede_gis.numbers import NumberError
from enschede_gis.uploads import ColumnSpec, UploadError


@pytest.mark.parametrize(
    ("cell", "convention", "expected"),
    [
        ("12,5", None, 12.5),
        ("1.234,5", None, 1234.5),
        ("1,234.5", None, 1234.5),
        ("1.234.567", None, 1234567.0),
        ("1,234,567", None, 1234567.0),
        ("1.234", "comma", 1234.0),
        ("1.234", "point", 1.234),
        ("1,234", "comma", 1.234),
        ("1,234", "point", 1234.0),
        ("0,500", None, 0.5),
        ("-5", None, -5.0),
        (" 45 % ", None, 45.0),
        ("1\u00a0234", None, 1234.0),
        ("", None, None),
        (None, None, None),
        (7, None, 7.0),
        (2.5, None, 2.5),
    ],
)
def test_numbers_read_exactly(cell, convention, expected):
    assert numbers.parse(cell, convention) == expected


@pytest.mark.parametrize(
    ("cell", "convention", "reason"),
    [
        ("1.234", None, "ambiguous"),
        ("1,234", None, "ambiguous"),
        ("12.5", "comma", "mixed"),
        ("1,5", "point", "mixed"),
        ("1e309", None, "not_finite"),
        (float("inf"), None, "not_finite"),
        ("1e308", None, "too_large"),
        ("nan", None, "not_a_number"),
        ("Infinity", None, "not_a_number"),
        ("-", None, "not_a_number"),
        ("--5", None, "not_a_number"),
        ("12.34,5", None, "not_a_number"),
        (True, None, "not_a_number"),
    ],
)
def test_numbers_refused_with_reason(cell, convention, reason):
    with pytest.raises(NumberError) as caught:
        numbers.parse(cell, convention)
    assert caught.value.reason == reason


def test_the_column_or_else_the_file_settles_the_convention():
    frame = pd.DataFrame(
        {"a": ["1.234", "12,5"], "b": ["1.234", "7"], "c": ["1,234", "2.5"], "d": ["3", "4"]}, dtype=object
    )
    formats = uploads.number_formats(frame, ["a", "b", "d"])
    assert formats == {"a": "comma", "b": "comma", "d": "comma"}  # b and d: settled by column a
    mixed = uploads.number_formats(frame, ["a", "c", "b"])
    assert mixed == {"a": "comma", "c": "point", "b": None}  # the file disagrees with itself: not settled


@pytest.fixture(scope="module")
def known(snap):
    return set(snap.boundaries["buurt"]["code"])


def _validate(text: str, known, kind="count"):
    frame = uploads.read_table("x.csv", text.encode("utf-8"))
    layout = uploads.inspect(frame)
    specs = [ColumnSpec(column=c, name=c, kind=kind) for c in layout.value_columns]
    return uploads.validate(frame, layout, specs, known_codes=known, source="Enquête", year=2023, file_name="x.csv")


def test_a_thousands_dot_in_a_dutch_file_is_a_thousand(known):
    dataset = _validate("buurtcode;n\nBU01530905;1.234\nBU01530301;12,5\n", known, kind="average")
    assert dataset.values["lokaal_n"] == {"BU01530905": 1234.0, "BU01530301": 12.5}


def test_an_ambiguous_value_alone_is_refused(known):
    with pytest.raises(UploadError) as caught:
        _validate("buurtcode;n\nBU01530905;1.234\nBU01530301;7\n", known)
    assert [p.code for p in caught.value.problems] == ["ambiguous"]
    assert "1000 keer" in caught.value.messages()[0] and "Rij 2" in caught.value.messages()[0]


@pytest.mark.parametrize(
    ("cell", "code"),
    [("2,5", "fractional_count"), ("-1", "negative_count"), ("20000000", "count_too_large"), ("1e309", "not_finite")],
)
def test_counts_are_whole_plausible_and_finite(known, cell, code):
    with pytest.raises(UploadError) as caught:
        _validate(f"buurtcode;n\nBU01530905;{cell}\n", known)
    assert [p.code for p in caught.value.problems] == [code]


def test_a_refused_count_is_quoted_in_full(known):
    with pytest.raises(UploadError) as caught:
        _validate("buurtcode;n\nBU01530905;20000000\n", known)
    assert "kolom 'n': 20000000 is onwaarschijnlijk groot" in caught.value.problems[0].message("nl")  # not 2e+07
    assert (numbers.show(2.5), numbers.show(2.5, "point")) == ("2,5", "2.5")


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"], ids=["utf8", "utf8-bom", "utf16-bom", "windows-1252"]
)
def test_every_encoding_excel_writes_is_read(encoding):
    separator = "\t" if encoding == "utf-16" else ";"
    text = separator.join(["buurtcode", "café’s"]) + "\n" + separator.join(["BU01530905", "3"]) + "\n"
    frame = uploads.read_table("x.txt", text.encode(encoding))
    assert list(frame.columns) == ["buurtcode", "café’s"] and frame.iloc[0, 1] == "3"


def _xlsx(rows: int, cols: int = 2) -> bytes:
    buffer = io.BytesIO()
    pd.DataFrame({f"c{i}": range(rows) for i in range(cols)}).to_excel(buffer, index=False)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * 30_000_000)
    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(tables.TableError) as caught:
        tables.read("bom.xlsx", buffer.getvalue())
    assert caught.value.code == "too_big_unpacked"


def test_rows_and_columns_are_limited_while_reading():
    small = tables.Limits(max_rows=50, max_columns=5)
    with pytest.raises(tables.TableError) as caught:
        tables.read("x.xlsx", _xlsx(200), small)
    assert caught.value.code == "too_many_rows"
    with pytest.raises(tables.TableError) as caught:
        tables.read("x.xlsx", _xlsx(3, cols=8), small)
    assert caught.value.code == "too_many_columns"
    with pytest.raises(tables.TableError) as caught:
        tables.read("x.csv", ("a;b\n" + "1;2\n" * 60).encode(), small)
    assert caught.value.code == "too_many_rows"
    assert len(tables.read("x.xlsx", _xlsx(50), small)) == 50


def test_renamed_files_say_what_they_are():
    with pytest.raises(tables.TableError, match="is een Excel-bestand"):
        tables.read("x.csv", _xlsx(3))
    with pytest.raises(tables.TableError, match="is een tekstbestand"):
        tables.read("x.xlsx", b"a;b\n1;2\n")
    with pytest.raises(tables.TableError, match=r"\.xls\)"):
        tables.read("x.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100)


def test_excel_numbers_stay_numbers():
    frame = tables.read("x.xlsx", _xlsx(3))
    assert frame["c0"].tolist() == [0, 1, 2]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[" * 100_000 + "]" * 100_000, "dieper genest dan 32"),
        ('{"a": ' * 40 + "1" + "}" * 40, "dieper genest dan 32"),
        ("x" * 2_000_000, "groter dan 1 MB"),
        ("{", "geen geldige JSON"),
    ],
)
def test_scenario_json_is_checked_before_it_is_parsed(text, words):
    from enschede_gis import scenarios
    from enschede_gis.errors import InputError

    with pytest.raises(InputError, match=words):
        scenarios.from_json(text)


def test_json_depth_ignores_brackets_in_strings():
    from enschede_gis._validate import json_depth

    assert json_depth('{"a": [1, {"b": "]]]\\"[[[["}]}') == 3


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("2,5", 2.5), ("2.5", 2.5), (" 1500 ", 1500.0), ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("0,500", 0.5)],
)
def test_a_typed_number_is_read_with_either_decimal_mark_when_the_text_shows_which(typed, expected):
    assert numbers.read_typed(typed, label="Aantal") == expected


@pytest.mark.parametrize(
    ("typed", "options", "dutch", "english"),
    [
        ("1.500", {}, "Aantal: '1.500' kan 1500 of 1,5 betekenen. Schrijf 1500 of 1,5.", "could mean 1500 or 1.5"),
        ("1,500", {}, "kan 1500 of 1,5 betekenen", "Aantal: '1,500' could mean 1500 or 1.5. Write 1500 or 1.5."),
        ("-2.000", {}, "kan -2000 of -2 betekenen", "could mean -2000 or -2"),
        ("", {}, "Aantal: vul een getal in.", "Aantal: enter a number."),
        ("twee", {}, "Aantal: 'twee' is geen getal.", "Aantal: 'twee' is not a number."),
        ("1e400", {}, "is geen getal", "is not a number"),
        ("2,5", {"whole": True}, "Aantal: vul een heel getal in, geen 2,5.", "enter a whole number, not 2.5"),
        ("4", {"minimum": 5, "maximum": 2000}, "Aantal: 4 kan niet; kies een getal van 5 tot en met 2000.", "from 5"),
        ("-1", {"minimum": 0}, "kies 0 of meer", "choose 0 or more"),
        ("10,5", {"maximum": 10}, "10,5 kan niet; kies 10 of minder", "10.5 is not allowed; choose 10 or less"),
    ],
)
def test_a_typed_number_that_is_unclear_or_out_of_range_is_refused_with_the_reason(typed, options, dutch, english):
    from enschede_gis.errors import InputError

    with pytest.raises(InputError) as refused:
        numbers.read_typed(typed, label="Aantal", **options)
    assert dutch in refused.value.message("nl") and english in refused.value.message("en")


def test_a_number_is_shown_as_it_would_be_typed_and_read_back_the_same():
    for value in (2.0, 2.5, 0.1, 1500.0, 1_000_000.0, 12.345):
        for lang in ("nl", "en"):
            shown = numbers.as_typed(value, lang)
            assert "." not in shown if lang == "nl" else "," not in shown
            assert numbers.read_typed(shown, label="x") == value
    assert (numbers.as_typed(2.5), numbers.as_typed(2.5, "en"), numbers.as_typed(1500)) == ("2,5", "2.5", "1500")
