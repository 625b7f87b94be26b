"""returns: monthly returns, their revisions and queries

Revision ID: 3a7c1e52b9d4
Revises: 10dbcbdfe1ed
Create Date: 2026-12-01 21:18:57.917672

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3a7c1e52b9d4'
down_revision = '10dbcbdfe1ed'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('monthly_return',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('kpi', 'finance', name='return_kind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('first_submitted_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_monthly_return_contract_id_contract'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monthly_return')),
    sa.UniqueConstraint('contract_id', 'kind', 'year', 'month', name=op.f('uq_monthly_return_contract_id_kind_year_month'))
    )
    with op.batch_alter_table('monthly_return', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monthly_return_contract_id'), ['contract_id'], unique=False)

    op.create_table('return_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'queried', 'resubmitted', 'accepted', 'superseded', name='return_status', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['user_account.id'], name=op.f('fk_return_revision_accepted_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_return_revision_contract_id_contract'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_return_revision_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['return_id'], ['monthly_return.id'], name=op.f('fk_return_revision_return_id_monthly_return'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['user_account.id'], name=op.f('fk_return_revision_submitted_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_revision')),
    sa.UniqueConstraint('return_id', 'number', name=op.f('uq_return_revision_return_id_number'))
    )
    with op.batch_alter_table('return_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_revision_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_revision_return_id'), ['return_id'], unique=False)

    op.create_table('return_query',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('subject_key', sa.String(length=100), nullable=False),
    sa.Column('subject_label', sa.String(length=300), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('raised_at', sa.DateTime(), nullable=False),
    sa.Column('raised_by_id', sa.Integer(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user_account.id'], name=op.f('fk_return_query_answered_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_return_query_contract_id_contract'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['raised_by_id'], ['user_account.id'], name=op.f('fk_return_query_raised_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revision_id'], ['return_revision.id'], name=op.f('fk_return_query_revision_id_return_revision'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_query'))
    )
    with op.batch_alter_table('return_query', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_return_query_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_return_query_revision_id'), ['revision_id'], unique=False)


def downgrade():
    with op.batch_alter_table('return_query', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_query_revision_id'))
        batch_op.drop_index(batch_op.f('ix_return_query_contract_id'))

    op.drop_table('return_query')

    with op.batch_alter_table('return_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_return_revision_return_id'))
        batch_op.drop_index(batch_op.f('ix_return_revision_contract_id'))

    op.drop_table('return_revision')

    with op.batch_alter_table('monthly_return', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monthly_return_contract_id'))

    op.drop_table('monthly_return')
