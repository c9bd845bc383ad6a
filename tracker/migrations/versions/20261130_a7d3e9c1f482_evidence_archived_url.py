"""evidence archived_url: the address of an archived copy of the link (Web Archive, archive.today)

Revision ID: a7d3e9c1f482
Revises: e2b7c4a9d815
Create Date: 2026-11-30 09:40:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7d3e9c1f482'
down_revision = 'e2b7c4a9d815'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ALTER TABLE: a batch rebuild on SQLite would drop the search triggers.
    op.add_column('evidence', sa.Column('archived_url', sa.String(length=2000), nullable=True))


def downgrade():
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later too): a batch rebuild would drop the search triggers.
    op.drop_column('evidence', 'archived_url')
