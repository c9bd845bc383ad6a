"""link checks: the latest check of each evidence link and statement source

Revision ID: a7d3f91c4e28
Revises: a7d3e9f15c20
Create Date: 2026-11-30 09:40:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d3f91c4e28'
down_revision = 'a7d3e9f15c20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('link_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=True),
    sa.Column('statement_id', sa.Integer(), nullable=True),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('error', sa.String(length=300), nullable=True),
    sa.Column('redirects', sa.JSON(), nullable=False),
    sa.Column('final_url', sa.String(length=2000), nullable=True),
    sa.Column('content_type', sa.String(length=200), nullable=True),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(evidence_id IS NULL) <> (statement_id IS NULL)', name=op.f('ck_link_check_one_link')),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_link_check_evidence_id_evidence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['statement_id'], ['statement.id'], name=op.f('fk_link_check_statement_id_statement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_link_check')),
    sa.UniqueConstraint('evidence_id', name=op.f('uq_link_check_evidence_id')),
    sa.UniqueConstraint('statement_id', name=op.f('uq_link_check_statement_id'))
    )
    op.create_index(op.f('ix_link_check_checked_at'), 'link_check', ['checked_at'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_link_check_checked_at'), table_name='link_check')
    op.drop_table('link_check')
