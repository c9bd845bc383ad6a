"""login failures

Revision ID: 9d2f6c3e8a15
Revises: 7c1e5b9a2d40
Create Date: 2026-11-28 01:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9d2f6c3e8a15'
down_revision = '7c1e5b9a2d40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('address', sa.String(length=45), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_failure'))
    )
    op.create_index('ix_login_failure_email_at', 'login_failure', ['email', 'at'], unique=False)
    op.create_index('ix_login_failure_address_at', 'login_failure', ['address', 'at'], unique=False)


def downgrade():
    op.drop_index('ix_login_failure_address_at', table_name='login_failure')
    op.drop_index('ix_login_failure_email_at', table_name='login_failure')
    op.drop_table('login_failure')
