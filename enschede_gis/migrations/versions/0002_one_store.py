"""One store for everything users make: custom areas, uploads, scenarios and priority profiles move
from JSON files into tables; every table of edited things gets a version (optimistic concurrency)
and who changed it when; moderation records who moderated.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _audit() -> list[sa.Column]:
    return [
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("changed_by", sa.String(120), nullable=False, server_default=""),
        sa.Column("changed_at", sa.String(32), nullable=False, server_default=""),
    ]


def upgrade() -> None:
    for table in ("meetings", "projects"):
        for column in _audit():
            op.add_column(table, column)
        op.execute(sa.text(f"UPDATE {table} SET changed_at = updated_at"))
    op.add_column("inputs", sa.Column("moderated_by", sa.String(120), nullable=True))
    op.create_table(
        "areas",
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("gemeente", sa.String(16), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        *_audit(),
    )
    op.create_table(
        "uploads",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("payload", sa.Text, nullable=False),
        *_audit(),
    )
    op.create_table(
        "scenarios",
        sa.Column("key", sa.String(120), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        *_audit(),
    )
    op.create_table(
        "profiles",
        sa.Column("name", sa.String(60), primary_key=True),
        sa.Column("payload", sa.Text, nullable=False),
        *_audit(),
    )
    op.create_table(
        "done",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("done_at", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
    )
