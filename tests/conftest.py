"""Shared fixtures: the real snapshot, the catalogue, an isolated state folder per test, and for
page tests fresh Streamlit caches and a database of their own."""

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


@pytest.fixture
def fresh_caches():
    """Empty Streamlit caches before and after a page test (the adapter caches data per process)."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def page_db(monkeypatch, isolated_state, fresh_caches):
    """The SQLite database in this test's state folder, as the pages open it (no DATABASE_URL)."""
    from enschede_gis import db

    monkeypatch.delenv(db.DATABASE_URL_ENV, raising=False)
    db.dispose_all()
    yield db.engine()
    db.dispose_all()
