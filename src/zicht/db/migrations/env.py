"""Alembic environment: runs on the connection that zicht.db.engine.upgrade hands over."""

from __future__ import annotations

from alembic import context

from zicht.db.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through zicht.db.engine.upgrade(), which passes a connection")

context.configure(
    connection=connection, target_metadata=Base.metadata, render_as_batch=connection.dialect.name == "sqlite"
)
with context.begin_transaction():
    context.run_migrations()
