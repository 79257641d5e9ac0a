"""documents: read_state and read_attempts (quarantine, OCR waiting, bounded re-downloads)

Revision ID: 0004_faults
Revises: 0002_press
"""
import sqlalchemy as sa
from alembic import op

revision = '0004_faults'
down_revision = '0002_press'
branch_labels = None
depends_on = None

_OCR_WAITING = "no text layer (scanned PDF?): OCR unavailable"


def upgrade() -> None:
    with op.batch_alter_table('documents') as batch:
        batch.add_column(sa.Column('read_state', sa.String(length=20), nullable=False, server_default='read'))
        batch.add_column(sa.Column('read_attempts', sa.Integer(), nullable=False, server_default='1'))
        batch.create_index(batch.f('ix_documents_read_state'), ['read_state'], unique=False)
    documents = sa.table('documents', sa.column('error', sa.Text), sa.column('read_state', sa.String))
    op.execute(documents.update().where(documents.c.error.is_not(None)).values(read_state='quarantined'))
    op.execute(documents.update().where(documents.c.error == _OCR_WAITING).values(read_state='needs_ocr'))


def downgrade() -> None:
    with op.batch_alter_table('documents') as batch:
        batch.drop_index(batch.f('ix_documents_read_state'))
        batch.drop_column('read_attempts')
        batch.drop_column('read_state')
