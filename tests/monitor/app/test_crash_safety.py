"""SIGKILL at random moments: the real daemon (with its crawl children and their parser children) is killed
21 times while it crawls a fixture site on loopback, analyses and mails a real SMTP sink.

After every kill the SQLite file is checked: intact, no document row without its raw file, no analysis
half-stored, no announced change without its outbox rows, and every run the killed process left 'running' is
closed once the service is back.  At the end every published protocol was alerted, every alert was
delivered, and no alert more than twice (the documented at-most-one-duplicate window: a kill between a send
and its record) nor twice without such an interrupted attempt.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.support.cli import start_kommunvakt
from tests.support.config import write_daemon_config
from tests.support.httpserver import FixtureServer
from tests.support.seeds import VAGGERYD_SEED
from tests.support.sites import SiteVisionSite
from tests.support.smtp import SmtpSink

pytestmark = pytest.mark.slow
KILLS = int(os.environ.get("KOMMUNVAKT_CRASH_KILLS", "21"))
SEED = random.Random(int(os.environ.get("KOMMUNVAKT_CRASH_SEED", "8")))


def write_config(tmp_path: Path, start_url: str, mail_url: str) -> Path:
    return write_daemon_config(tmp_path, start_url, mail_url, events=("stance_change", "new_mention"))


def start_daemon(config: Path) -> subprocess.Popen:
    log = (config.parent / "daemon.log").open("a")  # kept in the test's directory for a post-mortem
    return start_kommunvakt(config, "run", stdout=log)


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (crawl children run in their own sessions, so a group kill misses them)."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                children = [int(child) for child in handle.read().split()]
        except OSError:
            continue
        for child in children:
            found += [child, *descendants(child)]
    return found


def kill_everything(daemon: subprocess.Popen) -> None:
    """Like a power cut for the service: the daemon and everything it started die at once."""
    victims = [daemon.pid, *descendants(daemon.pid)]
    for pid in victims:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    daemon.wait(timeout=10)
    for pid in victims[1:]:
        _reap_orphan(pid)


def _reap_orphan(pid: int) -> None:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and os.path.exists(f"/proc/{pid}") and _state(pid) not in ("Z", "X"):
        time.sleep(0.02)


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "X"


def query(database: Path, sql: str, *args: object) -> list[tuple]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as db:
        return db.execute(sql, args).fetchall()


def schema_ready(database: Path) -> bool:
    try:
        return bool(query(database, "select 1 from sqlite_master where name = 'alerts'"))
    except sqlite3.Error:
        return False


def assert_consistent(database: Path, raw_dir: Path) -> None:
    assert query(database, "pragma integrity_check") == [("ok",)]
    for (raw_path,) in query(database, "select raw_path from documents"):
        assert (raw_dir / raw_path[:2] / raw_path[2:4] / raw_path).is_file(), f"document without its raw file {raw_path}"
    half = query(database, "select d.id from documents d join mentions m on m.document_id = d.id "
                           "where d.analysis_state = 'pending' union select d.id from documents d join "
                           "stance_observations o on o.document_id = d.id where d.analysis_state = 'pending'")
    assert half == [], f"documents with half-stored analysis: {half}"
    unalerted = query(database, "select c.id from stance_changes c where c.status = 'announced' and not exists "
                                "(select 1 from alerts a where a.stance_change_id = c.id)")
    assert unalerted == [], f"announced changes without outbox rows: {unalerted}"
    unread = query(database, "select id from documents where read_state = 'read' and (error is not null or text = '')")
    assert unread == []


def dead_runs_left_running(database: Path, alive_pid: int) -> list[tuple]:
    return [row for row in query(database, "select id, holder from crawl_runs where outcome = 'running'")
            if f"pid {alive_pid} " not in (row[1] or "")]


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def publish(site: SiteVisionSite, number: int) -> str:
    """A new protocol (its own meeting day, so its own URL) mentioning the topic: one new_mention alert."""
    day = date.today() - timedelta(days=number)
    title = f"Protokoll kommunfullmäktige {day}"
    body = f"§ {number} Ärende nummer {number} om återvandring\n\n" + VAGGERYD_SEED.read_text(encoding="utf-8")
    site.publish_protocol(title, day, body)
    return title


def started(config: Path) -> int:
    """How many daemons have finished starting (recovered, scheduled) so far."""
    log = config.parent / "daemon.log"
    return log.read_text(encoding="utf-8", errors="replace").count("daemon started") if log.exists() else 0


def test_twenty_one_kills_lose_nothing_and_repeat_at_most_one_message_per_interrupted_send(tmp_path: Path) -> None:
    site = SiteVisionSite(tmp_path / "site").build()
    database, raw_dir = tmp_path / "data" / "kommunvakt.db", tmp_path / "data" / "raw"
    published: list[str] = []
    moments: Counter[str] = Counter()  # when the kills came
    in_flight: Counter[str] = Counter()  # what they interrupted
    with FixtureServer(site.root) as server, SmtpSink() as smtp:
        config = write_config(tmp_path, server.url("/"), smtp.url())
        for kill in range(KILLS):  # about 5 s each
            if kill % 3 == 1:
                published.append(publish(site, len(published)))
            daemon = start_daemon(config)
            try:
                moments[wait_for_a_moment(kill % 4, config, database, daemon)] += 1
                in_flight.update(what_is_in_flight(database))
            finally:
                kill_everything(daemon)
            if schema_ready(database):
                assert_consistent(database, raw_dir)

        # Time passes: claims a killed dispatcher left 'sending' become stale (15 minutes in the service).
        with sqlite3.connect(database) as db:
            db.execute("update alerts set claimed_at = datetime(claimed_at, '-1 hour') where status = 'sending'")
        daemon = start_daemon(config)
        try:
            wait_for(lambda: all_delivered(database, len(published)), 120,
                     f"every alert delivered after the kills: {published}, {state(database)}")
            assert not dead_runs_left_running(database, daemon.pid)
        finally:
            daemon.send_signal(signal.SIGTERM)
            assert daemon.wait(timeout=60) == 0
        assert_consistent(database, raw_dir)
        assert query(database, "select count(*) from crawl_runs where outcome = 'running'") == [(0,)]
        assert_alerts_delivered_once_or_within_the_window(database, smtp, published)
    print(f"kills: {dict(moments)}; interrupted: {dict(in_flight)}")
    assert in_flight["crawl"] >= 1 and in_flight["analysis"] + in_flight["dispatch"] >= 3  # kills hit each stage


def wait_for_a_moment(kind: int, config: Path, database: Path, daemon: subprocess.Popen) -> str:
    """Kill during start-up, in a crawl, or just after a crawl (analysis) or a delivery (dispatch)."""
    if kind == 0:
        time.sleep(SEED.uniform(0.0, 2.0))
        return "start-up"
    ready = started(config) + 1
    wait_for(lambda: started(config) >= ready, 60, "the daemon to start")
    assert not dead_runs_left_running(database, daemon.pid)  # the killed daemon's runs were closed
    if kind == 1:
        time.sleep(SEED.uniform(0.0, 3.0))
        return "crawling"
    marks = progress_marks(database)
    if not _wait_quietly(lambda: progress_marks(database) != marks, 15):
        return "crawling"
    time.sleep(SEED.uniform(0.0, 0.3 if kind == 2 else 0.05))
    return "after an analysis or a send"


def progress_marks(database: Path) -> tuple:
    """Changes when a crawl finishes, a document is analysed or an alert is claimed or sent."""
    return (query(database, "select count(*) from crawl_runs where outcome != 'running'")[0][0],
            query(database, "select count(*) from documents where analysis_state != 'pending'")[0][0],
            query(database, "select count(*) from alerts where status != 'pending'")[0][0])


def what_is_in_flight(database: Path) -> list[str]:
    found = []
    if not schema_ready(database):
        return ["start-up"]
    if query(database, "select count(*) from crawl_runs where outcome = 'running'")[0][0]:
        found.append("crawl")
    if query(database, "select count(*) from documents where analysis_state = 'pending'")[0][0]:
        found.append("analysis")
    if query(database, "select count(*) from alerts where status in ('pending', 'sending')")[0][0]:
        found.append("dispatch")
    return found


def _wait_quietly(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def state(database: Path) -> dict:
    return {"alerts": query(database, "select event_type, status, title from alerts"),
            "documents": query(database, "select id, url, analysis_state, read_state, error from documents"),
            "runs": query(database, "select outcome, count(*) from crawl_runs group by outcome")}


def all_delivered(database: Path, published: int) -> bool:
    mentions = query(database, "select count(*) from alerts where event_type = 'new_mention'")[0][0]
    waiting = query(database, "select count(*) from alerts where status != 'sent'")[0][0]
    pending = query(database, "select count(*) from documents where analysis_state = 'pending'")[0][0]
    return mentions >= published and waiting == 0 and pending == 0


def assert_alerts_delivered_once_or_within_the_window(database: Path, smtp: SmtpSink, published: list[str]) -> None:
    alerts = query(database, "select a.id, a.title, (select count(*) from alert_attempts t where t.alert_id = a.id "
                             "and t.ok) from alerts a")
    received = Counter(message.subject for message in smtp.messages)
    titles = Counter(title for _, title, _ in alerts)
    for alert_id, title, ok_attempts in alerts:
        sent = received[title] / titles[title]
        assert sent >= 1, f"alert {alert_id} ({title}) was never delivered"
        assert sent <= 2, f"alert {alert_id} ({title}) was delivered {sent} times"
        assert sent <= ok_attempts + 1
    assert len(smtp.messages) >= len(alerts)
    # one alert per published protocol (none lost, none made twice), one for the stance it showed
    assert query(database, "select count(*) from alerts where event_type = 'new_mention'") == [(len(published),)]
    assert query(database, "select count(*) from alerts where event_type = 'stance_change'") == [(1,)]
