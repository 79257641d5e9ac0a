"""The source lock: one conditional UPDATE with a lease, so two processes racing for a source get one winner."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from monitor.domain import SourceConfig, SourceKind
from monitor.municipalities import Registry
from storage import repository as repo
from storage.db import Database, open_database
from storage.models import CrawlRunRow

NOW = datetime(2025, 10, 28, 12, 0, tzinfo=UTC)
ROUNDS = 40


def source(index: int) -> SourceConfig:
    return SourceConfig(key=f"race-{index:03d}", kind=SourceKind.PROTOCOLS, municipality_code="0665",
                        start_urls=("http://127.0.0.1/",))


@pytest.fixture
def database(database_url):
    database = open_database(database_url)
    with database.transaction() as session:
        repo.sync_municipalities(session, Registry.load())
        repo.sync_sources(session, [source(i) for i in range(ROUNDS)], NOW)
    yield database
    database.dispose()


def _race(url: str, name: str, barrier, results) -> None:
    """One contender: for each source, wait for the other at the barrier, then try to take its lock."""
    database = Database(url)
    won = []
    for index in range(ROUNDS):
        barrier.wait()
        try:
            with database.transaction() as session:
                repo.start_run(session, source(index).key, name, datetime.now(UTC), stale_after_s=600)
            won.append(index)
        except repo.SourceLocked:
            pass
    database.dispose()
    results.put((name, won))


def test_two_processes_racing_for_a_source_get_exactly_one_winner(database, database_url):
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    contenders = [context.Process(target=_race, args=(database_url, f"racer-{n} pid 0 on elsewhere", barrier,
                                                      results)) for n in (1, 2)]
    for process in contenders:
        process.start()
    outcome = dict(results.get(timeout=120) for _ in contenders)
    for process in contenders:
        process.join(30)

    wins = sorted(outcome["racer-1 pid 0 on elsewhere"] + outcome["racer-2 pid 0 on elsewhere"])
    assert wins == list(range(ROUNDS)), "every source was taken by exactly one of the two"
    with database.transaction() as session:
        runs = session.execute(select(CrawlRunRow.source_id, func.count()).group_by(CrawlRunRow.source_id)).all()
        holders = {repo.current_lock(session, source(i).key).holder for i in range(ROUNDS)}
    assert len(runs) == ROUNDS and all(count == 1 for _, count in runs)
    assert holders <= {"racer-1 pid 0 on elsewhere", "racer-2 pid 0 on elsewhere"}


def test_the_lease_runs_out_unless_renewed(database):
    key = source(0).key
    with database.transaction() as session:
        first = repo.start_run(session, key, "node-a pid 1 on a", NOW, stale_after_s=60)
    with database.transaction() as session:  # renewed at 50 s: held until 110 s
        assert repo.renew_lease(session, [key], "node-a pid 1 on a", NOW + timedelta(seconds=50), 60) == {key}
    with pytest.raises(repo.SourceLocked, match="node-a"), database.transaction() as session:
        repo.start_run(session, key, "node-b pid 2 on b", NOW + timedelta(seconds=100), stale_after_s=60)
    with database.transaction() as session:  # node-a stopped renewing: node-b takes it after the lease
        second = repo.start_run(session, key, "node-b pid 2 on b", NOW + timedelta(seconds=111), stale_after_s=60)
    with database.transaction() as session:
        assert repo.renew_lease(session, [key], "node-a pid 1 on a", NOW + timedelta(seconds=112), 60) == set()
        assert session.get_one(CrawlRunRow, first).outcome == "crashed"
        repo.finish_run(session, first, ok=False, error="late", now=NOW + timedelta(seconds=113))
    with database.transaction() as session:  # node-a's late finish did not release node-b's lock
        lock = repo.current_lock(session, key)
        assert lock is not None and lock.holder == "node-b pid 2 on b"
        repo.finish_run(session, second, ok=True, error=None, now=NOW + timedelta(seconds=120))
    with database.transaction() as session:
        assert repo.current_lock(session, key) is None


def test_a_dead_holder_on_this_host_loses_the_lock_at_once(database):
    key = source(1).key
    with database.transaction() as session:
        repo.start_run(session, key, "crawl pid 1 on here", NOW, stale_after_s=600)
    with database.transaction() as session:
        repo.start_run(session, key, "crawl pid 2 on here", NOW + timedelta(seconds=1), stale_after_s=600,
                       holder_alive=lambda holder: holder != "crawl pid 1 on here")
        assert repo.current_lock(session, key).holder == "crawl pid 2 on here"
