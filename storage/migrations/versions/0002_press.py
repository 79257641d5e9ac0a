"""press: feed entries of press documents, stories and their copies

Revision ID: 0002_press
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = '0002_press'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'press_articles',
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('feed_url', sa.Text(), nullable=False),
        sa.Column('entry_id', sa.Text(), nullable=False),
        sa.Column('entry_updated', sa.DateTime(timezone=True), nullable=True),
        sa.Column('text_from', sa.String(length=20), nullable=False),
        sa.Column('page_problem', sa.Text(), nullable=True),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'],
                                name=op.f('fk_press_articles_document_id_documents')),
        sa.PrimaryKeyConstraint('document_id', name=op.f('pk_press_articles')),
    )
    op.create_table(
        'stories',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('headline', sa.Text(), nullable=False),
        sa.Column('first_document_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['first_document_id'], ['documents.id'],
                                name=op.f('fk_stories_first_document_id_documents')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stories')),
    )
    op.create_table(
        'story_documents',
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('story_id', sa.Integer(), nullable=False),
        sa.Column('similarity', sa.Float(), nullable=False),
        sa.Column('minhash', sa.JSON(), nullable=False),
        sa.Column('shingles', sa.Integer(), nullable=False),
        sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'],
                                name=op.f('fk_story_documents_document_id_documents')),
        sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_story_documents_story_id_stories')),
        sa.PrimaryKeyConstraint('document_id', name=op.f('pk_story_documents')),
    )
    with op.batch_alter_table('story_documents') as batch:
        batch.create_index(batch.f('ix_story_documents_story_id'), ['story_id'], unique=False)
        batch.create_index(batch.f('ix_story_documents_joined_at'), ['joined_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('story_documents') as batch:
        batch.drop_index(batch.f('ix_story_documents_joined_at'))
        batch.drop_index(batch.f('ix_story_documents_story_id'))
    op.drop_table('story_documents')
    op.drop_table('stories')
    op.drop_table('press_articles')
