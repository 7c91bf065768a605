"""Every error the package raises has its message in Dutch and English, and shows in the UI language."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pytest
from pydantic import BaseModel, Field, ValidationError, field_validator

from enschede_gis import _validate
from enschede_gis.errors import DataError, InputError, SourceError, WijkbeeldError

PACKAGE = Path(__file__).resolve().parents[1] / "enschede_gis"
ERRORS = {"WijkbeeldError", "InputError", "DataError", "SourceError"}


def _error_calls_without_english(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name in ERRORS and not any(k.arg == "en" for k in node.keywords):
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_every_error_in_the_package_has_an_english_message():
    missing = [where for path in sorted(PACKAGE.glob("*.py")) for where in _error_calls_without_english(path)]
    assert missing == []


def test_the_scan_finds_an_error_without_english(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('raise InputError("Fout.")\nraise errors.DataError("Kapot.", en="Broken.")\n')
    assert _error_calls_without_english(sample) == ["sample.py:1"]


def test_message_follows_the_language_and_falls_back_to_dutch():
    error = InputError("Onbekende buurt 'X'.", en="Unknown buurt 'X'.")
    assert str(error) == error.message("nl") == "Onbekende buurt 'X'."
    assert error.message("en") == "Unknown buurt 'X'."
    assert SourceError("Alleen Nederlands.").message("en") == "Alleen Nederlands."
    assert isinstance(error, ValueError) and isinstance(DataError("x", en="y"), WijkbeeldError)
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is InputError and copy.message("en") == "Unknown buurt 'X'."


class _Sample(BaseModel):
    name: str
    size: int = Field(ge=1)
    tags: list[str] = Field(max_length=1)

    @field_validator("name")
    @classmethod
    def _named(cls, value: str) -> str:
        return _validate.non_empty(value)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", "naam: naam is leeg; grootte: moet minstens 1 zijn; tags: heeft te veel elementen (hoogstens 1)"),
        ("en", "name: name is empty; size: Input should be greater than or equal to 1; tags: List should have at most"),
    ],
)
def test_validation_messages_in_both_languages(lang, expected):
    with pytest.raises(ValidationError) as caught:
        _Sample(name="  ", size=0, tags=["a", "b"])
    text = _validate.describe(caught.value, {"name": "naam", "size": "grootte"}, lang=lang)
    assert text.startswith(expected)


def test_a_model_validator_error_reads_in_both_languages(catalogue):
    from enschede_gis.indicators import Indicator

    fields = catalogue["inkomen_per_inwoner"].model_dump() | {"weight": None}
    with pytest.raises(ValidationError) as caught:
        Indicator.model_validate(fields)
    assert "samenvoegregel 'weighted' heeft weight nodig" in _validate.describe(caught.value)
    assert "aggregation 'weighted' needs weight" in _validate.describe(caught.value, lang="en")
