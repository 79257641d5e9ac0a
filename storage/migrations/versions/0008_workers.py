"""worker_nodes and crawl_jobs: crawl workers' heartbeats and the jobs handed to them

Revision ID: 0008_workers
Revises: 0007_source_lease
"""
import sqlalchemy as sa
from alembic import op

revision = '0008_workers'
down_revision = '0007_source_lease'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'worker_nodes',
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('holder', sa.String(length=200), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_worker_nodes')),
    )
    op.create_table(
        'crawl_jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source_keys', sa.JSON(), nullable=False),
        sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('node', sa.String(length=200), nullable=True),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('error', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_crawl_jobs')),
    )
    op.create_index(op.f('ix_crawl_jobs_state'), 'crawl_jobs', ['state'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_crawl_jobs_state'), table_name='crawl_jobs')
    op.drop_table('crawl_jobs')
    op.drop_table('worker_nodes')
