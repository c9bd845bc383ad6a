"""API request counts per caller and window, shared by every worker

Revision ID: a7d3f19c0b52
Revises: a7d3e9c1f482
Create Date: 2026-11-30 09:30:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d3f19c0b52'
down_revision = 'a7d3e9c1f482'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_hit',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('window_start', sa.BigInteger(), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', 'window_start', name=op.f('pk_api_hit'))
    )


def downgrade():
    op.drop_table('api_hit')
