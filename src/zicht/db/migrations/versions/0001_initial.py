"""Initial schema: definition versions, API keys, notes, append-only audit log, meta.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


# long: the initial schema as one flat list of tables (a migration is read as DDL, step by step)
def upgrade() -> None:
    op.create_table(
        "definition_version",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("definition_id", sa.String(200), nullable=False),
        sa.Column("version", sa.String(40), nullable=False),
        sa.Column("major", sa.Integer, nullable=False),
        sa.Column("minor", sa.Integer, nullable=False),
        sa.Column("patch", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("author", sa.String(300), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(80), nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.UniqueConstraint("definition_id", "version", name="uq_definition_version"),
    )
    op.create_index("ix_definition_version_definition_id", "definition_version", ["definition_id"])
    op.create_table(
        "api_key",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key_hash", sa.String(80), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("lab", sa.String(300), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "note",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("author", sa.String(300), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("region_code", sa.String(20), nullable=True),
        sa.Column("indicator", sa.String(200), nullable=True),
        sa.Column("definition_id", sa.String(200), nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("language", sa.String(10), nullable=False),
    )
    for col in ("region_code", "indicator", "definition_id"):
        op.create_index(f"ix_note_{col}", "note", [col])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("key_id", sa.Integer, nullable=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("lab", sa.String(300), nullable=True),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("resource", sa.Text, nullable=False),
        sa.Column("before_hash", sa.String(80), nullable=True),
        sa.Column("after_hash", sa.String(80), nullable=True),
    )
    op.create_table(
        "zicht_meta",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    # The audit log is append-only in the database itself, not only by convention in the code.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION zicht_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION zicht_audit_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS zicht_audit_append_only()")
    for table in ("zicht_meta", "audit_log", "note", "api_key", "definition_version"):
        op.drop_table(table)
