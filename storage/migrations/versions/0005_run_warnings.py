"""crawl_runs.warnings and sources.last_warnings: what a crawl could not fetch, kept where status shows it

Revision ID: 0005_run_warnings
Revises: 0004_faults
"""
import sqlalchemy as sa
from alembic import op

revision = '0005_run_warnings'
down_revision = '0004_faults'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('crawl_runs') as batch:
        batch.add_column(sa.Column('warnings', sa.JSON(), nullable=False, server_default='[]'))
    with op.batch_alter_table('sources') as batch:
        batch.add_column(sa.Column('last_warnings', sa.JSON(), nullable=False, server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('sources') as batch:
        batch.drop_column('last_warnings')
    with op.batch_alter_table('crawl_runs') as batch:
        batch.drop_column('warnings')
