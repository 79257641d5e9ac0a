from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from alerts.digest import DigestFrequency, digest_period, queue_digests
from alerts.dispatch import dispatch_due
from monitor.domain import EventType, Stance
from storage.activity import new_mentions
from storage.models import MentionRow, SourceRow
from tests.support.alert_builders import stored_change, stored_document, target

# 2025-10-28 is a Tuesday; Sweden is on UTC+1 after the change from summer time on 2025-10-26.
DAY = datetime(2025, 10, 28, 10, 0, tzinfo=UTC)
YESTERDAY_MORNING = datetime(2025, 10, 27, 8, 0, tzinfo=UTC)


def test_a_daily_digest_covers_yesterday_in_swedish_time():
    period = digest_period(DAY, DigestFrequency.DAILY)
    assert period.first_day == date(2025, 10, 27)
    assert (period.start, period.end) == (datetime(2025, 10, 26, 23, 0, tzinfo=UTC),
                                          datetime(2025, 10, 27, 23, 0, tzinfo=UTC))


def test_a_weekly_digest_covers_last_monday_to_sunday_across_the_clock_change():
    period = digest_period(DAY, DigestFrequency.WEEKLY)
    assert period.first_day == date(2025, 10, 20)
    assert period.start == datetime(2025, 10, 19, 22, 0, tzinfo=UTC)  # summer time, UTC+2
    assert period.end == datetime(2025, 10, 26, 23, 0, tzinfo=UTC)  # winter time, UTC+1
    assert period.end - period.start == timedelta(days=7, hours=1)


def test_a_day_with_three_changes_gives_one_digest_listing_the_three(database, webhook):
    for code, stance in (("0665", Stance.DECLINED), ("2584", Stance.DECLINED), ("0180", Stance.ACCEPTED)):
        stored_change(database, code, stance, now=YESTERDAY_MORNING)
    stored_change(database, "0665", Stance.NEUTRAL, now=DAY)  # today: the next digest's news
    stored_change(database, "2584", Stance.ACCEPTED, now=YESTERDAY_MORNING, status="held")  # not announced
    daily = target("daily", url=webhook.url("/daily"), events={EventType.DIGEST})
    assert queue_digests(database, [daily, target("no-digest")], DAY) == 1
    assert queue_digests(database, [daily], DAY + timedelta(hours=1)) == 0  # once per period
    dispatch_due(database, [daily], DAY, "test", 3)
    (post,) = webhook.posts
    assert post.title == "kommunvakt: sammanfattning 2025-10-27"
    assert [line[:12] for line in post.message.splitlines() if line.startswith("– ")] == [
        "– Vaggeryd (", "– Kiruna (No", "– Stockholm "]
    assert "neutral" not in post.message


def test_nothing_to_say_sends_nothing(database):
    stored_change(database, "0665", Stance.DECLINED, now=DAY)
    assert queue_digests(database, [target("daily", events={EventType.DIGEST})], DAY) == 0


def test_a_digest_only_holds_what_the_target_follows(database):
    stored_change(database, "0665", Stance.DECLINED, now=YESTERDAY_MORNING)
    norrbotten = target("norrbotten", events={EventType.DIGEST}, counties={"Norrbottens län"})
    assert queue_digests(database, [norrbotten], DAY) == 0
    stored_change(database, "2584", Stance.DECLINED, now=YESTERDAY_MORNING)
    assert queue_digests(database, [norrbotten], DAY) == 1


def test_a_source_that_cannot_be_read_is_in_the_digest(database, webhook):
    with database.transaction() as session:
        session.add(SourceRow(key="0665-protocols", kind="protocols", municipality_code="0665", created_at=DAY,
                              last_outcome="failed", last_error="HTTP 404", consecutive_failures=2))
    daily = target("daily", url=webhook.url("/daily"), events={EventType.DIGEST}, language="en")
    assert queue_digests(database, [daily], DAY) == 1
    dispatch_due(database, [daily], DAY, "test", 3)
    assert "0665-protocols (Vaggeryd, Jönköpings län): HTTP 404 (2 failed attempts in a row)" in \
        webhook.posts[0].message


def test_new_mentions_of_a_period_come_one_perstored_document(database):
    text = "Kommunen söker återvandringsbidraget. Ett stycke om frivillig återvandring."
    with database.transaction() as session:
        document_id = stored_document(session, "0665", text, YESTERDAY_MORNING)
        for start, end in ((15, 36), (62, 74)):
            session.add(MentionRow(document_id=document_id, topic="atervandring", term="återvandring", start=start,
                                   end=end, snippet=text, page=1, is_new=True))
    start, end = YESTERDAY_MORNING - timedelta(hours=1), DAY
    with database.transaction() as session:
        (notice,) = new_mentions(session, start, end, "atervandring")
    assert notice.municipalities[0].name == "Vaggeryd"
    assert [s.matched for s in notice.snippets] == ["återvandringsbidraget", "återvandring"]
