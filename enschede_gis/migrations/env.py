"""Alembic's environment: always online, on the connection :func:`enschede_gis.db.upgrade` passes in.

That connection is already inside the locked upgrade transaction, so Alembic opens none of its own.
"""

from __future__ import annotations

from alembic import context

from enschede_gis import db

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=db.METADATA, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
