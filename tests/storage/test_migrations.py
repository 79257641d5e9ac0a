"""Issue 15, defect 4: the migrations are one chain with one head, and databases made by earlier releases
(when 0002, 0004 and 0005 were three branches from 0001) upgrade to it."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from storage.db import alembic_config, open_database


def script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite://"))


def head() -> str:
    return script().get_current_head()  # raises when there is more than one head


def versions(url: str) -> set[str]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = {row[0] for row in connection.execute(text("select version_num from alembic_version"))}
    engine.dispose()
    return found


def set_versions(url: str, rows: set[str]) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("delete from alembic_version"))
        for row in rows:
            connection.execute(text("insert into alembic_version (version_num) values (:v)"), {"v": row})
    engine.dispose()


def test_there_is_exactly_one_head_and_every_revision_leads_to_it():
    heads = script().get_heads()
    assert len(heads) == 1, f"several Alembic heads: {heads}; give the newest migration the old head as down_revision"
    chain = [revision.revision for revision in script().walk_revisions()]
    assert chain[-1] == "0001" and chain[0] == heads[0]
    assert all(len(revision.nextrev) <= 1 for revision in script().walk_revisions())  # no branches anywhere


def test_alembic_upgrade_head_on_an_empty_database(database_url):
    config = alembic_config(database_url)
    command.upgrade(config, "head")  # what an operator runs; failed with "multiple heads" before
    assert versions(database_url) == {head()}
    command.upgrade(config, "head")  # again: nothing to do
    engine = create_engine(database_url)
    assert {"documents", "crawl_runs", "sources"} <= set(inspect(engine).get_table_names())
    engine.dispose()


@pytest.mark.parametrize("recorded", [
    {"0001"},  # before the press and fault migrations
    {"0002_press", "0004_faults"},  # after both, before the run warnings
    {"0002_press", "0004_faults", "0005_run_warnings"},  # `upgrade heads` of the three branches
], ids=["0001", "0002+0004", "0002+0004+0005"])
def test_a_database_recorded_at_the_old_branches_upgrades_to_the_head(database_url, recorded):
    newest_applied = "0005_run_warnings" if "0005_run_warnings" in recorded else max(recorded)
    command.upgrade(alembic_config(database_url), newest_applied)  # the tables as the old release left them
    set_versions(database_url, recorded)  # and its alembic_version rows

    open_database(database_url).dispose()

    assert versions(database_url) == {head()}
    engine = create_engine(database_url)
    columns = {column["name"] for column in inspect(engine).get_columns("crawl_runs")}
    engine.dispose()
    assert "warnings" in columns
