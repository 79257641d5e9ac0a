"""sources.lock_until: the source lock is a lease that runs out unless its holder renews it

Revision ID: 0007_source_lease
Revises: 0006_heartbeat
"""
import sqlalchemy as sa
from alembic import op

revision = '0007_source_lease'
down_revision = '0006_heartbeat'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sources') as batch:
        batch.add_column(sa.Column('lock_until', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sources') as batch:
        batch.drop_column('lock_until')
