"""Alembic migration scripts for the Wijkbeeld database, run from code by :func:`enschede_gis.db.upgrade`.

To add a revision: copy the newest file in ``versions/``, give it a new ``revision`` and set
``down_revision`` to the one before, and change :data:`enschede_gis.db.METADATA` to match (a test
compares the two).
"""
