"""Shared fixtures: the real snapshot, the catalogue, and an isolated state folder per test."""

from __future__ import annotations

import pytest

from enschede_gis import settings, snapshot
from enschede_gis.indicators import load_catalogue


@pytest.fixture(scope="session")
def snap() -> snapshot.Snapshot:
    return snapshot.load(settings.DATA_DIR)


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue()


@pytest.fixture(autouse=True)
def isolated_state(tmp_path, monkeypatch):
    """Every test writes user state (areas, uploads, input) into its own temporary folder."""
    folder = tmp_path / "state"
    monkeypatch.setattr(settings, "STATE_DIR", folder)
    monkeypatch.setenv("WIJKBEELD_STATE_DIR", str(folder))
    return folder
