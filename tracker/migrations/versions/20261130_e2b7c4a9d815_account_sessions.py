"""account sessions the server can end; failed sign-ins keyed by device cookie too

Revision ID: e2b7c4a9d815
Revises: c5a81f0e6b27
Create Date: 2026-11-30 05:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e2b7c4a9d815'
down_revision = 'c5a81f0e6b27'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('account_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_because', sa.String(length=40), nullable=True),
    sa.Column('address', sa.String(length=45), nullable=True),
    sa.Column('browser', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_account_session_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_account_session_token_hash'))
    )
    op.create_index(op.f('ix_account_session_user_id'), 'account_session', ['user_id'], unique=False)
    # A plain ALTER TABLE (nullable column): no table rebuild on SQLite.
    op.add_column('login_failure', sa.Column('device', sa.String(length=64), nullable=True))
    op.create_index(op.f('ix_login_failure_device'), 'login_failure', ['device'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_login_failure_device'), table_name='login_failure')
    with op.batch_alter_table('login_failure') as batch:
        batch.drop_column('device')
    op.drop_index(op.f('ix_account_session_user_id'), table_name='account_session')
    op.drop_table('account_session')
