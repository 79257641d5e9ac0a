from __future__ import annotations

from datetime import timedelta

import pytest

from alerts.channels import Format
from alerts.markup import shorten
from alerts.render import (
    message_size,
    render_delivery_failure,
    render_digest,
    render_health,
    render_new_mention,
    render_stance_change,
    render_test,
)
from alerts.templating import EVENTS, TEMPLATE_ROOT
from monitor.domain import (
    AlertRecord,
    AlertStatus,
    DigestContent,
    EventType,
    SourceHealthStatus,
    Stance,
)
from tests.support.alert_builders import (
    DECLINE_QUOTE,
    NOW,
    PROTOCOL_TITLE,
    PROTOCOL_URL,
    change,
    health_notice,
    mention_notice,
    press_change,
)

# --- stance change --------------------------------------------------------------------------


def test_swedish_stance_change_names_everything_a_reader_needs():
    message = render_stance_change(change(), "sv", "text")
    assert message.title == "Vaggeryd: okänd → avböjt (återvandring)"
    for expected in ("Vaggeryd (Jönköpings län)", "okänd → avböjt", "87 % · kod: declined", f"”{DECLINE_QUOTE}” (s. 4)",
                     "beslut i kommunstyrelsen, 2025-10-20", PROTOCOL_TITLE, PROTOCOL_URL):
        assert expected in message.body


def test_english_stance_change():
    message = render_stance_change(change("2584", Stance.ACCEPTED, Stance.DECLINED), "en", "text")
    assert message.title == "Kiruna: declined → accepted (return migration)"
    for expected in ("Kiruna (Norrbottens län)", "declined → accepted", "Confidence: 87%", "(p. 4)",
                     "decision of kommunstyrelsen, 2025-10-20", PROTOCOL_URL):
        assert expected in message.body


@pytest.mark.parametrize(("language", "expected"), [("sv", "enligt SVT Nyheter, 2025-10-28"),
                                                    ("en", "according to SVT Nyheter, 2025-10-28")])
def test_press_evidence_says_it_is_a_press_report(language, expected):
    message = render_stance_change(press_change(), language, "markdown")
    assert expected in message.body
    assert "samordnarens inbjudan" in message.body
    assert "https://www.svt.se/nyheter/inrikes/kommuner-nej-samordnare" in message.body


def test_markdown_has_a_link_and_a_block_quote():
    message = render_stance_change(change(), "sv", "markdown")
    assert f"[{PROTOCOL_TITLE}]({PROTOCOL_URL})" in message.body
    assert f"> ”{DECLINE_QUOTE}”" in message.body
    assert "**okänd → avböjt**" in message.body


def test_html_escapes_the_document_text_and_links_the_document():
    tricky = change(evidence="Beslut: <b>nej</b> & inget mer", url="https://example.org/a?x=1&y=2")
    message = render_stance_change(tricky, "sv", "html")
    assert "&lt;b&gt;nej&lt;/b&gt; &amp; inget mer" in message.body
    assert '<a href="https://example.org/a?x=1&amp;y=2">' in message.body
    assert "<b>nej</b>" not in message.body


def test_markdown_escapes_emphasis_in_the_quote_and_parentheses_in_links():
    message = render_stance_change(change(evidence="Svar *nej* [se bilaga]", url="https://x.se/a (1).pdf"),
                                   "sv", "markdown")
    assert r"Svar \*nej\* \[se bilaga\]" in message.body
    assert "(https://x.se/a%20%281%29.pdf)" in message.body


def test_a_long_quote_is_shortened_so_the_message_fits_a_chat_channel_and_keeps_its_link():
    sentence = "Kommunstyrelsen diskuterade frågan om återvandring ingående under sammanträdet. "
    message = render_stance_change(change(evidence=sentence * 80), "sv", "markdown", limit=1900)
    assert message_size(message) <= 1900
    assert "…" in message.body
    assert PROTOCOL_URL in message.body


def test_a_body_too_long_anyway_is_cut_at_a_line_with_an_ellipsis():
    message = render_stance_change(change(title="Protokoll " * 60), "sv", "markdown", limit=300)
    assert message_size(message) <= 300
    assert message.body.endswith("…")


def test_shorten_cuts_at_a_sentence_boundary():
    text = "Första meningen är här. Andra meningen är längre än så. Tredje."
    assert shorten(text, 40) == "Första meningen är här.…"
    assert shorten(text, 200) == text


def test_an_unknown_language_falls_back_to_swedish():
    assert render_stance_change(change(), "de", "text").title.endswith("(återvandring)")


# --- new mentions ---------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "marked"), [("markdown", "**återvandring**"), ("html", "<mark>återvandring</mark>"),
                                             ("text", "«återvandring»")])
def test_new_mention_highlights_the_term(fmt, marked):
    message = render_new_mention(mention_notice(), "sv", fmt)
    assert marked in message.body
    assert message.title == "Kiruna: nytt omnämnande av återvandring"
    assert "(s. 2)" in message.body


def test_new_mention_highlights_the_text_as_it_stood_in_the_document():
    notice = mention_notice("Ansökan om Återvandringsbidraget beviljades.", matched="Återvandringsbidraget")
    assert "«Återvandringsbidraget»" in render_new_mention(notice, "en", "text").body


def test_many_mentions_show_the_first_few_and_how_many_more():
    body = render_new_mention(mention_notice(count=8), "en", "text").body
    assert body.count("«återvandring»") == 5
    assert "… and 3 more" in body


# --- health, ops, test, digest --------------------------------------------------------------


def test_source_failing_and_recovered():
    failing = render_health(health_notice(), "sv", "text")
    assert failing.title == "Källa kan inte läsas: 0665-protocols (Vaggeryd, Jönköpings län)"
    assert "HTTP 404" in failing.body and "3 misslyckade försök i rad" in failing.body
    assert "2025-10-20 06:00" in failing.body  # shown in Swedish time
    recovered = render_health(health_notice(SourceHealthStatus.RECOVERED), "en", "text")
    assert recovered.title == "Source works again: 0665-protocols (Vaggeryd, Jönköpings län)"


def test_delivery_failure_names_the_alert_and_how_to_retry():
    failed = AlertRecord(id=31, idempotency_key="stance_change:7:news", event_type=EventType.STANCE_CHANGE,
                         target="news", status=AlertStatus.FAILED, attempts=8, total_attempts=8,
                         title="Vaggeryd: okänd → avböjt (återvandring)", municipality_code="0665",
                         created_at=NOW, next_attempt_at=NOW, sent_at=None, last_error="Connection refused",
                         claimed_by=None)
    message = render_delivery_failure(failed, "sv", "markdown")
    assert message.title == "Larm kunde inte levereras till news"
    assert "efter 8 försök" in message.body and "Connection refused" in message.body
    assert "`kommunvakt alerts retry 31`" in message.body


def test_test_message():
    message = render_test("news", NOW, "en", "text")
    assert message.title == "kommunvakt: test message"
    assert "news" in message.body and "2025-10-28 10:00" in message.body


def test_a_digest_of_a_day_with_three_changes_lists_the_three():
    changes = (change("0665"), press_change("2584"), change("0180", Stance.ACCEPTED, change_id=9))
    content = DigestContent(NOW - timedelta(days=1), NOW, changes=changes)
    message = render_digest(content, "sv", "markdown")
    assert message.title.startswith("kommunvakt: sammanfattning 2025-10-2")
    assert message.body.count("\n- ") == 3
    for name in ("**Vaggeryd**", "**Kiruna**", "**Stockholm**"):
        assert name in message.body
    assert "Ändrade hållningar" in message.body and "Nya omnämnanden" not in message.body


def test_digest_sections_for_mentions_and_sources_in_html():
    content = DigestContent(NOW - timedelta(days=1), NOW, mentions=(mention_notice(),),
                            failing_sources=(health_notice(),))
    body = render_digest(content, "en", "html").body
    assert "<h3>New mentions</h3>" in body and "<mark>återvandring</mark>" in body
    assert "<h3>Sources that cannot be read</h3>" in body and "0665-protocols" in body


# --- templates ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("fmt", list(Format))
@pytest.mark.parametrize("event", EVENTS)
def test_every_shipped_template_exists_and_is_filled_completely(language, fmt, event):
    path = TEMPLATE_ROOT / language / f"{event}.{fmt.extension}"
    assert path.is_file()
    message = _render_any(event, language, fmt)
    assert message.title and message.body
    assert "$" not in message.title + message.body


def _render_any(event: str, language: str, fmt: Format):
    status = {"source_health_failing": "failing", "source_health_stale": "stale", "source_health_recovered":
              "recovered"}
    if event in status:
        return render_health(health_notice(SourceHealthStatus(status[event])), language, fmt)
    if event == "delivery_failed":
        return render_delivery_failure(AlertRecord(
            1, "k", EventType.DIGEST, "t", AlertStatus.FAILED, 3, 3, "T", None, NOW, NOW, None, None, None),
            language, fmt)
    content = DigestContent(NOW - timedelta(days=1), NOW, (change(),), (mention_notice(),), (health_notice(),))
    renderers = {"stance_change": lambda: render_stance_change(press_change(), language, fmt),
                 "new_mention": lambda: render_new_mention(mention_notice(), language, fmt),
                 "digest": lambda: render_digest(content, language, fmt),
                 "test": lambda: render_test("news", NOW, language, fmt)}
    return renderers[event]()


def test_a_user_template_overrides_the_shipped_one(tmp_path):
    (tmp_path / "sv").mkdir()
    (tmp_path / "sv" / "stance_change.txt").write_text(
        "NYTT: $municipality är nu $new_stance\n\n$quote — $attribution\n$url\n", encoding="utf-8")
    message = render_stance_change(change(), "sv", "text", template_dir=tmp_path)
    assert message.title == "NYTT: Vaggeryd är nu avböjt"
    assert message.body.startswith(DECLINE_QUOTE + " — beslut i kommunstyrelsen")
    # Events the directory does not override use the shipped templates.
    assert render_test("news", NOW, "sv", "text", template_dir=tmp_path).title == "kommunvakt: testmeddelande"
