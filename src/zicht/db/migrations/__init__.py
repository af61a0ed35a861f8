"""Alembic migrations of the registry database, shipped inside the package (see zicht.db.engine.upgrade)."""
