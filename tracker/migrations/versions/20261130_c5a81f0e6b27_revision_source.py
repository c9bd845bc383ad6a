"""revision source: who made a change that no account made (an import, the command line)

Revision ID: c5a81f0e6b27
Revises: 713ffc760f2a
Create Date: 2026-11-30 04:00:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c5a81f0e6b27'
down_revision = '713ffc760f2a'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ALTER TABLE: a batch rebuild on SQLite would drop the search triggers.
    op.add_column('revision', sa.Column('source', sa.String(length=300), nullable=True))


def downgrade():
    with op.batch_alter_table('revision') as batch:
        batch.drop_column('source')
