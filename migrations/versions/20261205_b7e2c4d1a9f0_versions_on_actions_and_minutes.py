"""versions on actions and minutes, so two people editing one cannot overwrite each other unseen

Revision ID: b7e2c4d1a9f0
Revises: aa372afe9e4d
Create Date: 2026-12-05 13:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7e2c4d1a9f0'
down_revision = 'aa372afe9e4d'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('action', 'minutes_revision'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('lock_version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    for table in ('minutes_revision', 'action'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('lock_version')
