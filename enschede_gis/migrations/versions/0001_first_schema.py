"""The first schema: residents' input, meetings and the project register.

The first version of the app made these tables with ``create_all`` and kept no revision, so this
revision creates only the tables that are missing: an existing database is adopted as it is.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "inputs" not in existing:
        op.create_table(
            "inputs",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("created_at", sa.String(32), nullable=False),
            sa.Column("meeting_id", sa.String(64), nullable=True),
            sa.Column("area_code", sa.String(120), nullable=False),
            sa.Column("kind", sa.String(16), nullable=False),
            sa.Column("text", sa.Text, nullable=False),
            sa.Column("priority", sa.String(200), nullable=True),
            sa.Column("lat", sa.Float, nullable=True),
            sa.Column("lon", sa.Float, nullable=True),
            sa.Column("age_group", sa.String(16), nullable=True),
            sa.Column("home_buurt", sa.String(16), nullable=True),
            sa.Column("tenure", sa.String(16), nullable=True),
            sa.Column("session_id", sa.String(64), nullable=False),
            sa.Column("hidden", sa.Boolean, nullable=False),
            sa.Column("moderated_at", sa.String(32), nullable=True),
        )
        op.create_index("ix_inputs_area", "inputs", ["area_code"])
        op.create_index("ix_inputs_meeting", "inputs", ["meeting_id"])
        op.create_index("ix_inputs_session_time", "inputs", ["session_id", "created_at"])
    if "meetings" not in existing:
        op.create_table(
            "meetings",
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("title", sa.String(200), nullable=False),
            sa.Column("payload", sa.Text, nullable=False),
            sa.Column("updated_at", sa.String(32), nullable=False),
        )
    if "projects" not in existing:
        op.create_table(
            "projects",
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("title", sa.String(200), nullable=False),
            sa.Column("start", sa.String(10), nullable=False),
            sa.Column("end", sa.String(10), nullable=False),
            sa.Column("payload", sa.Text, nullable=False),
            sa.Column("updated_at", sa.String(32), nullable=False),
        )
