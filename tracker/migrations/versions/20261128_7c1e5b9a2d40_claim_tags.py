"""claim tags

Revision ID: 7c1e5b9a2d40
Revises: 3f9c2a7d51b4
Create Date: 2026-11-28 00:35:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c1e5b9a2d40'
down_revision = '3f9c2a7d51b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('claim_tag',
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claim.id'], name=op.f('fk_claim_tag_claim_id_claim'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('claim_id', 'name', name=op.f('pk_claim_tag'))
    )
    op.create_index('ix_claim_tag_name', 'claim_tag', ['name'], unique=False)


def downgrade():
    op.drop_index('ix_claim_tag_name', table_name='claim_tag')
    op.drop_table('claim_tag')
