"""Moderation exports are deleted after the retention period; tracebacks never reach the screen."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta

from pg_fixtures import *  # noqa: F403  (the db_url, db_engine and pg_url fixtures)

from enschede_gis import inputs, roles, settings


def _export(folder, when: datetime) -> object:
    path = folder / f"{inputs.EXPORT_PREFIX}{when.strftime(inputs.EXPORT_STAMP)}.csv"
    path.write_text("id\n")
    return path


def test_exports_older_than_the_retention_period_are_deleted(tmp_path):
    now = datetime(2026, 12, 2, 12, tzinfo=UTC)
    old = _export(tmp_path, now - timedelta(days=31))
    recent = _export(tmp_path, now - timedelta(days=29))
    other = tmp_path / "notes.csv"
    other.write_text("mine")
    assert inputs.prune_exports(tmp_path, days=30, now=now) == [old]
    assert not old.exists() and recent.exists() and other.exists()


def test_every_clean_up_applies_the_retention(tmp_path, db_engine, monkeypatch):
    monkeypatch.setattr(settings, "EXPORT_RETENTION_DAYS", 30)
    folder = tmp_path / "exports"
    folder.mkdir()
    stale = _export(folder, datetime.now(UTC) - timedelta(days=40))
    facilitator = roles.Actor(roles.Role.FACILITATOR)
    path, _deleted = inputs.delete_hidden(db_engine, actor=facilitator, export_dir=folder)
    assert path.exists() and not stale.exists()
    assert sorted(p.name for p in folder.iterdir()) == [path.name]


def test_no_error_details_on_screen():
    from streamlit import config
    from streamlit.elements.exception import _error_detail_visibility

    value = tomllib.loads((settings.REPO_ROOT / ".streamlit" / "config.toml").read_text())["client"]["showErrorDetails"]
    assert value == "none"
    before = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", value)
    try:
        shown = _error_detail_visibility(True)
        assert not (shown.show_message or shown.show_trace or shown.show_type)
    finally:
        config.set_option("client.showErrorDetails", before)
