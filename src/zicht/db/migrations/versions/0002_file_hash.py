"""Definition versions remember the document they last agreed on with the registry folder.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("definition_version") as batch:
        batch.add_column(sa.Column("file_hash", sa.String(80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("definition_version") as batch:
        batch.drop_column("file_hash")
