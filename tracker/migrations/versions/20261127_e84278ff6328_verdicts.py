"""verdicts

Revision ID: e84278ff6328
Revises: 5444f43aed42
Create Date: 2026-11-27 23:54:09.042487

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e84278ff6328'
down_revision = '5444f43aed42'
branch_labels = None
depends_on = None


def upgrade():
    # First the key that verdict_evidence refers to (PostgreSQL needs it to exist).
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_evidence_id_claim_id'), ['id', 'claim_id'])

    op.create_table('verdict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Enum('true', 'mostly_true', 'mixed', 'mostly_false', 'false', 'unsupported', 'misleading', name='rating', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=True),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claim.id'], name=op.f('fk_verdict_claim_id_claim'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['set_by_id'], ['user.id'], name=op.f('fk_verdict_set_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verdict')),
    sa.UniqueConstraint('claim_id', name=op.f('uq_verdict_claim_id')),
    sa.UniqueConstraint('id', 'claim_id', name=op.f('uq_verdict_id_claim_id'))
    )
    op.create_table('verdict_evidence',
    sa.Column('verdict_id', sa.Integer(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['evidence_id', 'claim_id'], ['evidence.id', 'evidence.claim_id'], name=op.f('fk_verdict_evidence_evidence_id_claim_id_evidence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['verdict_id', 'claim_id'], ['verdict.id', 'verdict.claim_id'], name=op.f('fk_verdict_evidence_verdict_id_claim_id_verdict'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('verdict_id', 'evidence_id', name=op.f('pk_verdict_evidence'))
    )


def downgrade():
    op.drop_table('verdict_evidence')
    op.drop_table('verdict')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_evidence_id_claim_id'), type_='unique')
