"""daemon_heartbeats: when the daemon last showed it was alive (`kommunvakt health`)

Revision ID: 0006_heartbeat
Revises: 0005_run_warnings
"""
import sqlalchemy as sa
from alembic import op

revision = '0006_heartbeat'
down_revision = '0005_run_warnings'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'daemon_heartbeats',
        sa.Column('host', sa.String(length=255), nullable=False),
        sa.Column('holder', sa.String(length=300), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('beat_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('host', name=op.f('pk_daemon_heartbeats')),
    )


def downgrade() -> None:
    op.drop_table('daemon_heartbeats')
