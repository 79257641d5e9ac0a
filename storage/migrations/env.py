from alembic import context
from alembic.script import ScriptDirectory
from sqlalchemy import engine_from_config, pool, text

from storage.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def forget_overlapping_versions(connection) -> None:
    """Keep only the newest of versions that lie on one line.

    0002_press, 0004_faults and 0005_run_warnings were once three branches from 0001, so a database migrated
    then records two or three of them; they are one chain now, and Alembic refuses versions that overlap.
    """
    current = set(context.get_context().get_current_heads())
    if len(current) < 2:
        return
    script = ScriptDirectory.from_config(config)
    known = {revision.revision for revision in script.walk_revisions()}
    older = {ancestor.revision for version in current & known
             for ancestor in script.iterate_revisions(version, "base") if ancestor.revision != version}
    for version in current & older:
        connection.execute(text("DELETE FROM alembic_version WHERE version_num = :version"), {"version": version})


def run_with(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        forget_overlapping_versions(connection)
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    engine = engine_from_config(config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.",
                                poolclass=pool.NullPool)
    with engine.connect() as connection:
        run_with(connection)


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
