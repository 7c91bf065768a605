"""Own-data uploads: a table of the indicator keys each upload holds (the key unique), so a save checks
its names with an indexed look-up instead of reading every stored upload; filled from the uploads
already stored.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    keys = op.create_table(
        "upload_indicators",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("upload_id", sa.String(200), nullable=False),
    )
    op.create_index("ix_upload_indicators_upload", "upload_indicators", ["upload_id"])
    conn = op.get_bind()
    taken: dict[str, str] = {}
    query = sa.text("SELECT id, payload FROM uploads ORDER BY changed_at, id")
    for upload_id, payload in conn.execute(query).all():
        for indicator in json.loads(payload).get("indicators", []):
            taken.setdefault(indicator["key"], upload_id)  # the oldest upload keeps a key it shares
    if taken:
        op.bulk_insert(keys, [{"key": key, "upload_id": upload_id} for key, upload_id in taken.items()])
