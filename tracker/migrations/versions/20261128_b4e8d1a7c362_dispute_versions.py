"""dispute versions and soft delete

Revision ID: b4e8d1a7c362
Revises: 9d2f6c3e8a15
Create Date: 2026-11-28 01:05:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b4e8d1a7c362'
down_revision = '9d2f6c3e8a15'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('dispute', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('dispute', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
        batch_op.drop_column('version')
