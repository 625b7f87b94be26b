"""finance: returns' figures, placement categories, explanation threshold

Revision ID: aa372afe9e4d
Revises: 122bae9a19ed
Create Date: 2026-12-01 21:37:43.572901

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'aa372afe9e4d'
down_revision = '122bae9a19ed'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('placement_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_placement_category_contract_id_contract'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placement_category')),
    sa.UniqueConstraint('contract_id', 'name', name=op.f('uq_placement_category_contract_id_name'))
    )
    with op.batch_alter_table('placement_category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placement_category_contract_id'), ['contract_id'], unique=False)

    op.create_table('finance_capital_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('scheme', sa.String(length=200), nullable=False),
    sa.Column('revised_budget', sa.BigInteger(), nullable=False),
    sa.Column('forecast', sa.BigInteger(), nullable=False),
    sa.Column('actual_to_date', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_finance_capital_line_contract_id_contract'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revision_id'], ['return_revision.id'], name=op.f('fk_finance_capital_line_revision_id_return_revision'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_capital_line')),
    sa.UniqueConstraint('revision_id', 'scheme', name=op.f('uq_finance_capital_line_revision_id_scheme'))
    )
    with op.batch_alter_table('finance_capital_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finance_capital_line_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_capital_line_revision_id'), ['revision_id'], unique=False)

    op.create_table('finance_care_ladder_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('contracted_volume', sa.BigInteger(), nullable=False),
    sa.Column('unit_contract_value', sa.BigInteger(), nullable=False),
    sa.Column('actual_activity', sa.BigInteger(), nullable=False),
    sa.Column('forecast_activity', sa.BigInteger(), nullable=False),
    sa.Column('forecast_unit_cost', sa.BigInteger(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['placement_category.id'], name=op.f('fk_finance_care_ladder_line_category_id_placement_category'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_finance_care_ladder_line_contract_id_contract'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revision_id'], ['return_revision.id'], name=op.f('fk_finance_care_ladder_line_revision_id_return_revision'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_care_ladder_line')),
    sa.UniqueConstraint('revision_id', 'category_id', name=op.f('uq_finance_care_ladder_line_revision_id_category_id'))
    )
    with op.batch_alter_table('finance_care_ladder_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finance_care_ladder_line_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_care_ladder_line_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_care_ladder_line_revision_id'), ['revision_id'], unique=False)

    op.create_table('finance_funding_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('agreed_on', sa.Date(), nullable=True),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_finance_funding_line_contract_id_contract'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revision_id'], ['return_revision.id'], name=op.f('fk_finance_funding_line_revision_id_return_revision'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_funding_line')),
    sa.UniqueConstraint('revision_id', 'description', name=op.f('uq_finance_funding_line_revision_id_description'))
    )
    with op.batch_alter_table('finance_funding_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finance_funding_line_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_funding_line_revision_id'), ['revision_id'], unique=False)

    op.create_table('finance_revenue_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('service_area', sa.String(length=200), nullable=False),
    sa.Column('gross_budget', sa.BigInteger(), nullable=False),
    sa.Column('net_budget', sa.BigInteger(), nullable=False),
    sa.Column('forecast_outturn', sa.BigInteger(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_finance_revenue_line_contract_id_contract'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revision_id'], ['return_revision.id'], name=op.f('fk_finance_revenue_line_revision_id_return_revision'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_revenue_line')),
    sa.UniqueConstraint('revision_id', 'service_area', name=op.f('uq_finance_revenue_line_revision_id_service_area'))
    )
    with op.batch_alter_table('finance_revenue_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finance_revenue_line_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_revenue_line_revision_id'), ['revision_id'], unique=False)

    op.create_table('finance_savings_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('target', sa.BigInteger(), nullable=False),
    sa.Column('forecast_delivery', sa.BigInteger(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_finance_savings_line_contract_id_contract'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revision_id'], ['return_revision.id'], name=op.f('fk_finance_savings_line_revision_id_return_revision'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_savings_line')),
    sa.UniqueConstraint('revision_id', 'description', name=op.f('uq_finance_savings_line_revision_id_description'))
    )
    with op.batch_alter_table('finance_savings_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finance_savings_line_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_savings_line_revision_id'), ['revision_id'], unique=False)

    op.create_table('finance_trust_position',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('trust_reserves', sa.BigInteger(), nullable=True),
    sa.Column('agency_staff', sa.BigInteger(), nullable=True),
    sa.Column('agency_cost', sa.BigInteger(), nullable=True),
    sa.Column('commentary', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_finance_trust_position_contract_id_contract'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revision_id'], ['return_revision.id'], name=op.f('fk_finance_trust_position_revision_id_return_revision'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_trust_position')),
    sa.UniqueConstraint('revision_id', name=op.f('uq_finance_trust_position_revision_id'))
    )
    with op.batch_alter_table('finance_trust_position', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finance_trust_position_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_trust_position_revision_id'), ['revision_id'], unique=False)

    with op.batch_alter_table('contract', schema=None) as batch_op:
        # Contracts that exist already take the usual threshold, £50,000 (stored in pence).
        batch_op.add_column(sa.Column('finance_explanation_threshold', sa.BigInteger(), nullable=False, server_default='5000000'))
        batch_op.create_check_constraint(op.f('ck_contract_explanation_threshold_not_negative'), 'finance_explanation_threshold >= 0')



def downgrade():
    with op.batch_alter_table('contract', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_contract_explanation_threshold_not_negative'), type_='check')
        batch_op.drop_column('finance_explanation_threshold')

    with op.batch_alter_table('finance_trust_position', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finance_trust_position_revision_id'))
        batch_op.drop_index(batch_op.f('ix_finance_trust_position_contract_id'))

    op.drop_table('finance_trust_position')
    with op.batch_alter_table('finance_savings_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finance_savings_line_revision_id'))
        batch_op.drop_index(batch_op.f('ix_finance_savings_line_contract_id'))

    op.drop_table('finance_savings_line')
    with op.batch_alter_table('finance_revenue_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finance_revenue_line_revision_id'))
        batch_op.drop_index(batch_op.f('ix_finance_revenue_line_contract_id'))

    op.drop_table('finance_revenue_line')
    with op.batch_alter_table('finance_funding_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finance_funding_line_revision_id'))
        batch_op.drop_index(batch_op.f('ix_finance_funding_line_contract_id'))

    op.drop_table('finance_funding_line')
    with op.batch_alter_table('finance_care_ladder_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finance_care_ladder_line_revision_id'))
        batch_op.drop_index(batch_op.f('ix_finance_care_ladder_line_contract_id'))
        batch_op.drop_index(batch_op.f('ix_finance_care_ladder_line_category_id'))

    op.drop_table('finance_care_ladder_line')
    with op.batch_alter_table('finance_capital_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_finance_capital_line_revision_id'))
        batch_op.drop_index(batch_op.f('ix_finance_capital_line_contract_id'))

    op.drop_table('finance_capital_line')
    with op.batch_alter_table('placement_category', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placement_category_contract_id'))

    op.drop_table('placement_category')
