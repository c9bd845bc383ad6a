"""editorial: versions and soft delete on all content, reviews, merges, corrections

Revision ID: 713ffc760f2a
Revises: b4e8d1a7c362
Create Date: 2026-11-28 02:02:15.628236

Columns are added with plain ALTER TABLE, never a batch rebuild: on SQLite a
rebuild drops the search triggers, and dropping the old claim table with foreign
keys on would cascade into its evidence and responses.
"""
import importlib.util
from pathlib import Path

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '713ffc760f2a'
down_revision = 'b4e8d1a7c362'
branch_labels = None
depends_on = None


REVIEW_VALUES = ('pending', 'approved', 'rejected')


def add_constrained(table: str, column: sa.Column, sqlite_ddl: str) -> None:
    """Alembic cannot add a constraint on SQLite, but SQLite's ADD COLUMN takes one inline."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column.name} {sqlite_ddl}")
    else:
        op.add_column(table, column)


def add_user_link(table: str, name: str, target: str = 'user') -> None:
    constraint = op.f(f'fk_{table}_{name}_{target}')
    add_constrained(table, sa.Column(name, sa.Integer(), sa.ForeignKey(f'{target}.id', name=constraint), nullable=True),
                    f'INTEGER CONSTRAINT {constraint} REFERENCES "{target}" (id)')


def add_review(table: str) -> None:
    values = ", ".join(f"'{v}'" for v in REVIEW_VALUES)
    add_constrained(
        table,
        sa.Column('review', sa.Enum(*REVIEW_VALUES, name='reviewstatus', native_enum=False, create_constraint=True,
                                    length=20), server_default='approved', nullable=False),
        f"VARCHAR(20) DEFAULT 'approved' NOT NULL CONSTRAINT ck_{table}_reviewstatus CHECK (review IN ({values}))",
    )


def upgrade():
    op.create_table('correction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dispute_id', sa.Integer(), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('clarification', 'update', 'correction', name='correctionkind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('reason', sa.String(length=2000), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dispute_id'], ['dispute.id'], name=op.f('fk_correction_dispute_id_dispute')),
    sa.ForeignKeyConstraint(['revision_id'], ['revision.id'], name=op.f('fk_correction_revision_id_revision')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_correction'))
    )
    op.create_index(op.f('ix_correction_created_at'), 'correction', ['created_at'], unique=False)
    op.create_index(op.f('ix_correction_dispute_id'), 'correction', ['dispute_id'], unique=False)
    op.create_index('ix_correction_object', 'correction', ['object_type', 'object_id'], unique=False)

    add_user_link('claim', 'submitted_by_id')
    add_user_link('claim', 'merged_into_id', 'claim')
    op.add_column('claim', sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    op.add_column('claim', sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
    add_review('claim')
    op.add_column('claim', sa.Column('review_reason', sa.String(length=1000), nullable=True))
    op.add_column('claim', sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True))
    add_user_link('claim', 'reviewed_by_id')

    op.add_column('evidence', sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    op.add_column('evidence', sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
    add_review('evidence')
    op.add_column('evidence', sa.Column('review_reason', sa.String(length=1000), nullable=True))
    op.add_column('evidence', sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True))
    add_user_link('evidence', 'reviewed_by_id')

    op.add_column('response', sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    op.add_column('response', sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))

    op.add_column('statement', sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    op.add_column('statement', sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))

    op.add_column('verdict', sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    op.add_column('verdict', sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite and op.get_bind().scalar(sa.text("SELECT count(*) FROM claim")):
        # The rebuild below would drop claim with foreign keys on (the pragma is ignored
        # inside a transaction), cascading into evidence and responses.
        raise RuntimeError("this downgrade rebuilds the claim table: on SQLite, export the disputes "
                           "(tracker export), downgrade an empty database, then import them")
    for table in ("verdict", "statement", "response"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('deleted_at')
            batch_op.drop_column('version')
    with op.batch_alter_table('evidence', recreate='always' if sqlite else 'auto') as batch_op:
        batch_op.drop_constraint(op.f('ck_evidence_reviewstatus'), type_='check')
        for column in ('reviewed_by_id', 'reviewed_at', 'review_reason', 'review', 'deleted_at', 'version'):
            batch_op.drop_column(column)
    with op.batch_alter_table('claim', recreate='always' if sqlite else 'auto') as batch_op:
        batch_op.drop_constraint(op.f('ck_claim_reviewstatus'), type_='check')
        for column in ('reviewed_by_id', 'reviewed_at', 'review_reason', 'review', 'deleted_at', 'version',
                       'merged_into_id', 'submitted_by_id'):
            batch_op.drop_column(column)
    if sqlite:
        for table in ("claim", "evidence"):
            for trigger in search_index().sqlite_triggers(table):
                op.execute(trigger)
    op.drop_index('ix_correction_object', 'correction')
    op.drop_index(op.f('ix_correction_dispute_id'), 'correction')
    op.drop_index(op.f('ix_correction_created_at'), 'correction')
    op.drop_table('correction')


def search_index():
    """The search migration, whose triggers a rebuilt table needs again."""
    path = Path(__file__).with_name("20261128_3f9c2a7d51b4_search_index.py")
    spec = importlib.util.spec_from_file_location("search_index_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
