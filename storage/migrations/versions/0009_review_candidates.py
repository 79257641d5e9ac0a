"""stance_candidates (sentences waiting for a person's review) and stance_observations.reviewed

Revision ID: 0009_review_candidates
Revises: 0008_workers
"""
import sqlalchemy as sa
from alembic import op

revision = '0009_review_candidates'
down_revision = '0008_workers'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'stance_candidates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('topic', sa.String(length=50), nullable=False),
        sa.Column('municipality_code', sa.String(length=4), nullable=False),
        sa.Column('stance', sa.String(length=20), nullable=True),
        sa.Column('confidence', sa.Float(), nullable=False),
        sa.Column('evidence', sa.Text(), nullable=False),
        sa.Column('evidence_start', sa.Integer(), nullable=False),
        sa.Column('page', sa.Integer(), nullable=True),
        sa.Column('authority', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'],
                                name=op.f('fk_stance_candidates_document_id_documents')),
        sa.ForeignKeyConstraint(['municipality_code'], ['municipalities.code'],
                                name=op.f('fk_stance_candidates_municipality_code_municipalities')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stance_candidates')),
        sa.UniqueConstraint('document_id', 'municipality_code', 'evidence_start',
                            name='uq_stance_candidates_document_place_start'),
    )
    op.create_index(op.f('ix_stance_candidates_document_id'), 'stance_candidates', ['document_id'], unique=False)
    op.create_index(op.f('ix_stance_candidates_municipality_code'), 'stance_candidates', ['municipality_code'],
                    unique=False)
    op.create_index(op.f('ix_stance_candidates_status'), 'stance_candidates', ['status'], unique=False)
    with op.batch_alter_table('stance_observations') as batch:
        batch.add_column(sa.Column('reviewed', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('stance_observations') as batch:
        batch.drop_column('reviewed')
    op.drop_index(op.f('ix_stance_candidates_status'), table_name='stance_candidates')
    op.drop_index(op.f('ix_stance_candidates_municipality_code'), table_name='stance_candidates')
    op.drop_index(op.f('ix_stance_candidates_document_id'), table_name='stance_candidates')
    op.drop_table('stance_candidates')
