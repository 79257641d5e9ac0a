from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import inspect, text

from monitor.domain import Authority, FetchedDocument, SourceConfig, SourceKind, Stance
from monitor.municipalities import Registry
from storage import repository as repo
from storage.db import StorageError, open_database
from storage.rawstore import RawStore, sha256

NOW = datetime(2025, 10, 28, 12, 0, tzinfo=UTC)
SOURCE = SourceConfig(key="vaggeryd-protocols", kind=SourceKind.PROTOCOLS, municipality_code="0665",
                      start_urls=("http://127.0.0.1/",))


def fetched(url: str, body: bytes, text_: str, when: datetime = NOW) -> FetchedDocument:
    return FetchedDocument(source_key=SOURCE.key, url=url, fetched_at=when, content_type="application/pdf",
                           content_hash=sha256(body), raw=body, text=text_, text_hash=sha256(text_.encode()),
                           title="Protokoll", published_on=date(2025, 10, 27), extractor="test")


@pytest.fixture
def database(database_url):
    database = open_database(database_url)
    with database.transaction() as session:
        repo.sync_municipalities(session, Registry.load())
        repo.sync_sources(session, [SOURCE], NOW)
    yield database
    database.dispose()


def test_migrations_create_every_table_and_are_idempotent(database, database_url):
    tables = set(inspect(database.engine).get_table_names())
    assert {"municipalities", "sources", "crawl_runs", "documents", "mentions", "stance_observations",
            "stance_changes", "current_stances", "alerts", "alert_attempts", "alembic_version"} <= tables
    open_database(database_url).dispose()  # upgrading again changes nothing
    with database.transaction() as session:
        assert session.execute(text("select count(*) from municipalities")).scalar() == 290


def test_sqlite_runs_in_wal_mode(tmp_path):
    database = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_document_versions_and_text_hash_dedup(database):
    with database.transaction() as session:
        run = repo.start_run(session, SOURCE.key, "test", NOW, stale_after_s=60)
        assert repo.store_document(session, fetched("http://h/a.pdf", b"A", "Vi tackar nej."), run) == "new"
        assert repo.store_document(session, fetched("http://h/a.pdf", b"A", "Vi tackar nej."), run) == "unchanged"
        # a re-exported PDF: other bytes, same text -> the same document
        assert repo.store_document(session, fetched("http://h/a.pdf", b"A2", "Vi tackar nej."), run) == "unchanged"
        assert repo.store_document(session, fetched("http://h/copy.pdf", b"B", "Vi tackar nej."), run) == "same_text"
        assert repo.store_document(session, fetched("http://h/a.pdf", b"C", "Vi tackar ja."), run) == "changed"
    with database.transaction() as session:
        pending = repo.pending_documents(session)
        assert [d.url for d in pending] == ["http://h/a.pdf", "http://h/a.pdf"]
        assert pending[1].previous_text == "Vi tackar nej."
        assert set(repo.known_documents(session, SOURCE.key)) == {"http://h/a.pdf", "http://h/copy.pdf"}


def test_timestamps_come_back_timezone_aware(database):
    with database.transaction() as session:
        repo.start_run(session, SOURCE.key, "test", NOW, stale_after_s=60)
    with database.transaction() as session:
        state = repo.source_state(session, SOURCE.key)
    assert state.last_attempt_at == NOW and state.last_attempt_at.tzinfo is not None


def test_source_lock_is_exclusive_until_released_or_stale(database):
    with database.transaction() as session:
        run = repo.start_run(session, SOURCE.key, "crawl pid 1", NOW, stale_after_s=600)
    with pytest.raises(repo.SourceLocked, match="crawl pid 1"), database.transaction() as session:
        repo.start_run(session, SOURCE.key, "crawl pid 2", NOW + timedelta(seconds=5), stale_after_s=600)
    with database.transaction() as session:
        repo.finish_run(session, run, ok=False, error="https://x/ returned HTTP 404", now=NOW)
    with database.transaction() as session:
        state = repo.source_state(session, SOURCE.key)
        assert (state.last_outcome, state.consecutive_failures, state.baseline_at) == ("failed", 1, None)
        repo.start_run(session, SOURCE.key, "crawl pid 2", NOW + timedelta(seconds=6), stale_after_s=600)


def test_abandoned_runs_are_recorded_as_crashed(database):
    with database.transaction() as session:
        repo.start_run(session, SOURCE.key, "crawl pid 1", NOW, stale_after_s=600)
    with database.transaction() as session:
        assert repo.abandon_stale_runs(session, NOW + timedelta(hours=1), older_than_s=0) == 1
    with database.transaction() as session:
        assert repo.source_state(session, SOURCE.key).last_outcome == "crashed"


def test_observations_and_current_stance(database):
    with database.transaction() as session:
        run = repo.start_run(session, SOURCE.key, "t", NOW, stale_after_s=60)
        repo.store_document(session, fetched("http://h/a.pdf", b"A", "Vi tackade nej till inbjudan."), run)
        doc = repo.pending_documents(session)[0]
        obs_id = repo.add_observation(session, doc.id, "atervandring", "0665", Stance.DECLINED, 0.9,
                                      "Vi tackade nej till inbjudan.", 0, 1, Authority.DECISION,
                                      date(2025, 10, 27), NOW)
        repo.set_current_stance(session, "0665", "atervandring", Stance.DECLINED, obs_id, NOW)
    with database.transaction() as session:
        assert repo.current_stance(session, "0665", "atervandring") == (Stance.DECLINED, obs_id)
        (observation,) = repo.observations(session, "0665", "atervandring")
        assert observation.document_url == "http://h/a.pdf" and observation.authority is Authority.DECISION


def test_naive_datetimes_are_refused(database):
    with pytest.raises(Exception, match="naive datetime"), database.transaction() as session:
        repo.start_run(session, SOURCE.key, "t", datetime(2025, 1, 1), stale_after_s=60)


def test_raw_store_is_content_addressed(tmp_path):
    store = RawStore(tmp_path)
    digest = store.put(b"%PDF-1.4 data")
    assert store.put(b"%PDF-1.4 data") == digest == sha256(b"%PDF-1.4 data")
    assert store.get(digest) == b"%PDF-1.4 data"
    assert list(tmp_path.rglob("*.tmp")) == [] and len([p for p in tmp_path.rglob("*") if p.is_file()]) == 1


def test_unreachable_database_is_a_clear_error():
    with pytest.raises(StorageError, match="cannot open or migrate"):
        open_database("postgresql+psycopg://nobody@127.0.0.1:1/none")
