"""performance: indicators, targets and comparators, KPI baskets, KPI values, case-file audits

Revision ID: 122bae9a19ed
Revises: 3a7c1e52b9d4
Create Date: 2026-12-01 21:18:57.917672

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '122bae9a19ed'
down_revision = '3a7c1e52b9d4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('objective',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objective')),
    sa.UniqueConstraint('name', name=op.f('uq_objective_name'))
    )

    op.create_table('indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.Column('unit', sa.Enum('percentage', 'rate_per_10k', 'count', 'days', 'money', name='indicator_unit', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('polarity', sa.Enum('higher_is_better', 'lower_is_better', 'none', name='indicator_polarity', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('frequency', sa.Enum('monthly', 'quarterly', 'annual', name='indicator_frequency', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('accumulation', sa.Enum('snapshot', 'cumulative_count', 'ratio_ytd', name='indicator_accumulation', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('is_ratio', sa.Boolean(), nullable=False),
    sa.Column('numerator_label', sa.Text(), nullable=False),
    sa.Column('denominator_label', sa.Text(), nullable=False),
    sa.Column('no_change_band', sa.BigInteger(), nullable=False),
    sa.Column('compare_with_last_year', sa.Boolean(), nullable=False),
    sa.Column('minimum', sa.BigInteger(), nullable=True),
    sa.Column('maximum', sa.BigInteger(), nullable=True),
    sa.Column('from_case_audits', sa.Boolean(), nullable=False),
    sa.Column('objective_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['objective_id'], ['objective.id'], name=op.f('fk_indicator_objective_id_objective'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator')),
    sa.UniqueConstraint('code', name=op.f('uq_indicator_code'))
    )
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_objective_id'), ['objective_id'], unique=False)

    op.create_table('case_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('monthly_sample', 'thematic', name='case_audit_kind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('theme', sa.String(length=200), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_case_audit_contract_id_contract'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_case_audit_created_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_audit'))
    )
    with op.batch_alter_table('case_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_audit_contract_id'), ['contract_id'], unique=False)

    op.create_table('indicator_year',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('financial_year', sa.Integer(), nullable=False),
    sa.Column('target', sa.BigInteger(), nullable=True),
    sa.Column('tolerance', sa.BigInteger(), nullable=True),
    sa.Column('national', sa.BigInteger(), nullable=True),
    sa.Column('neighbours', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_indicator_year_indicator_id_indicator'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_year')),
    sa.UniqueConstraint('indicator_id', 'financial_year', name=op.f('uq_indicator_year_indicator_id_financial_year'))
    )
    with op.batch_alter_table('indicator_year', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_year_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('kpi_basket',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_kpi_basket_contract_id_contract'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_kpi_basket_created_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_basket')),
    sa.UniqueConstraint('contract_id', 'effective_from', name=op.f('uq_kpi_basket_contract_id_effective_from'))
    )
    with op.batch_alter_table('kpi_basket', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_basket_contract_id'), ['contract_id'], unique=False)

    op.create_table('kpi_basket_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('basket_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['basket_id'], ['kpi_basket.id'], name=op.f('fk_kpi_basket_entry_basket_id_kpi_basket'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_kpi_basket_entry_contract_id_contract'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_kpi_basket_entry_indicator_id_indicator'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_basket_entry')),
    sa.UniqueConstraint('basket_id', 'indicator_id', name=op.f('uq_kpi_basket_entry_basket_id_indicator_id'))
    )
    with op.batch_alter_table('kpi_basket_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_basket_entry_basket_id'), ['basket_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kpi_basket_entry_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kpi_basket_entry_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('kpi_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=True),
    sa.Column('numerator', sa.BigInteger(), nullable=True),
    sa.Column('denominator', sa.BigInteger(), nullable=True),
    sa.Column('commentary', sa.Text(), nullable=False),
    sa.Column('forecast', sa.BigInteger(), nullable=True),
    sa.Column('forecast_rationale', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_kpi_value_contract_id_contract'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_kpi_value_indicator_id_indicator'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['revision_id'], ['return_revision.id'], name=op.f('fk_kpi_value_revision_id_return_revision'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_value')),
    sa.UniqueConstraint('revision_id', 'indicator_id', name=op.f('uq_kpi_value_revision_id_indicator_id'))
    )
    with op.batch_alter_table('kpi_value', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_value_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kpi_value_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kpi_value_revision_id'), ['revision_id'], unique=False)

    op.create_table('audited_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('audit_id', sa.Integer(), nullable=False),
    sa.Column('case_reference', sa.String(length=50), nullable=False),
    sa.Column('grade', sa.Enum('outstanding', 'good', 'requires_improvement', 'inadequate', name='audited_case_grade', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('head_of_service', sa.String(length=200), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=True),
    sa.Column('reaudit_due', sa.Date(), nullable=True),
    sa.Column('reaudited_on', sa.Date(), nullable=True),
    sa.Column('reaudit_grade', sa.Enum('outstanding', 'good', 'requires_improvement', 'inadequate', name='audited_case_reaudit_grade', native_enum=False, create_constraint=True, length=40), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_audited_case_action_id_action'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['audit_id'], ['case_audit.id'], name=op.f('fk_audited_case_audit_id_case_audit'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contract_id'], ['contract.id'], name=op.f('fk_audited_case_contract_id_contract'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audited_case')),
    sa.UniqueConstraint('audit_id', 'case_reference', name=op.f('uq_audited_case_audit_id_case_reference'))
    )
    with op.batch_alter_table('audited_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audited_case_audit_id'), ['audit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audited_case_contract_id'), ['contract_id'], unique=False)


def downgrade():
    with op.batch_alter_table('audited_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audited_case_contract_id'))
        batch_op.drop_index(batch_op.f('ix_audited_case_audit_id'))

    op.drop_table('audited_case')

    with op.batch_alter_table('kpi_value', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_value_revision_id'))
        batch_op.drop_index(batch_op.f('ix_kpi_value_indicator_id'))
        batch_op.drop_index(batch_op.f('ix_kpi_value_contract_id'))

    op.drop_table('kpi_value')

    with op.batch_alter_table('kpi_basket_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_basket_entry_indicator_id'))
        batch_op.drop_index(batch_op.f('ix_kpi_basket_entry_contract_id'))
        batch_op.drop_index(batch_op.f('ix_kpi_basket_entry_basket_id'))

    op.drop_table('kpi_basket_entry')

    with op.batch_alter_table('kpi_basket', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_basket_contract_id'))

    op.drop_table('kpi_basket')

    with op.batch_alter_table('indicator_year', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_year_indicator_id'))

    op.drop_table('indicator_year')

    with op.batch_alter_table('case_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_audit_contract_id'))

    op.drop_table('case_audit')

    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_objective_id'))

    op.drop_table('indicator')

    op.drop_table('objective')
