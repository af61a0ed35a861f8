"""The registry/catalogue database of the service: definitions and their versions, API keys, notes and
the append-only audit log (SQLAlchemy; SQLite by default, PostgreSQL by URL; migrations by Alembic)."""
