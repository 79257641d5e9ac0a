"""Messages worth reading: one pure function per event, returning a title and a body.

``fmt`` is the channel's format (see :func:`alerts.channels.channel_for`);
``limit`` is the channel's length limit for chat: a message that would exceed
it has its quotes shortened first, then its body cut at a line or sentence
boundary with an ellipsis.  ``template_dir`` is searched for templates before
the shipped ones (see :mod:`alerts.templating`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from alerts.attribution import attribution
from alerts.channels import Format
from alerts.labels import (
    DEFAULT_LANGUAGE,
    Labels,
    format_confidence,
    format_date,
    format_page,
    format_time,
    labels_for,
)
from alerts.markup import Markup, highlight, markup_for, one_line, shorten
from alerts.templating import fill
from monitor.domain import (
    AlertMessage,
    AlertRecord,
    DigestContent,
    MentionNotice,
    MentionSnippet,
    SourceHealthNotice,
    StanceChange,
)

MIN_QUOTE = 80  # a quote is never cut shorter than this to fit a channel
TITLE_LIMIT = 200
MAX_SNIPPETS = 5
ERROR_LIMIT = 500
DIGEST_QUOTE_LIMIT = 240

Build = Callable[[int | None], AlertMessage]


# --- stance change --------------------------------------------------------------------------


def render_stance_change(change: StanceChange, language: str = DEFAULT_LANGUAGE, fmt: Format | str = Format.TEXT,
                         *, limit: int | None = None, template_dir: Path | None = None) -> AlertMessage:
    labels, fmt = labels_for(language), Format(fmt)

    def build(quote_limit: int | None) -> AlertMessage:
        return fill("stance_change", language, fmt, change_values(change, labels, quote_limit),
                    urls={"url": change.observation.document_url}, template_dir=template_dir)

    return fitted(build, limit)


def change_values(change: StanceChange, labels: Labels, quote_limit: int | None = None) -> dict[str, str]:
    evidence = change.observation
    return {
        "municipality": change.municipality, "municipality_code": change.municipality_code,
        "county": change.county, "topic": labels.topic(change.topic),
        "old_stance": labels.stance(change.old_stance), "new_stance": labels.stance(change.new_stance),
        "old_stance_code": change.old_stance.value, "new_stance_code": change.new_stance.value,
        "confidence": format_confidence(evidence.confidence, labels),
        "quote": _clip(evidence.evidence, quote_limit), "page": format_page(evidence.page, labels),
        "document_title": _clip(evidence.document_title, TITLE_LIMIT) or labels.untitled,
        "document_date": format_date(evidence.observed_on, labels), "attribution": attribution(evidence, labels),
        "outlet": evidence.outlet or "", "change_id": str(change.id),
    }


# --- new mentions ---------------------------------------------------------------------------


def render_new_mention(notice: MentionNotice, language: str = DEFAULT_LANGUAGE, fmt: Format | str = Format.TEXT,
                       *, limit: int | None = None, template_dir: Path | None = None) -> AlertMessage:
    labels, fmt = labels_for(language), Format(fmt)

    def build(quote_limit: int | None) -> AlertMessage:
        snippets = snippets_block(notice.snippets, labels, markup_for(fmt), quote_limit)
        return fill("new_mention", language, fmt, _mention_values(notice, labels), urls={"url": notice.document_url},
                    blocks={"snippets": snippets}, template_dir=template_dir)

    return fitted(build, limit)


def _mention_values(notice: MentionNotice, labels: Labels) -> dict[str, str]:
    names = ", ".join(m.name for m in notice.municipalities)
    counties = ", ".join(dict.fromkeys(m.county for m in notice.municipalities))
    title = _clip(notice.document_title, TITLE_LIMIT) or labels.untitled
    return {
        "place": names or notice.outlet or shorten(title, 60), "municipalities": names, "counties": counties,
        "topic": labels.topic(notice.topic), "document_title": title,
        "document_date": format_date(notice.published_on, labels), "outlet": notice.outlet or "",
        "outlet_note": f", {notice.outlet}" if notice.outlet else "", "count": str(len(notice.snippets)),
    }


def snippets_block(snippets: Sequence[MentionSnippet], labels: Labels, markup: Markup,
                   quote_limit: int | None = None) -> str:
    """The first few snippets as quotes with the matched words highlighted, then how many more."""
    quoted = [markup.blockquote(_snippet(s, labels, markup, quote_limit)) for s in snippets[:MAX_SNIPPETS]]
    if len(snippets) > MAX_SNIPPETS:
        quoted.append(markup.escape(labels.more.format(count=len(snippets) - MAX_SNIPPETS)))
    return markup.block_separator.join(quoted)


def _snippet(snippet: MentionSnippet, labels: Labels, markup: Markup, quote_limit: int | None) -> str:
    text = highlight(_clip(snippet.snippet, quote_limit), (snippet.matched, snippet.term), markup)
    return text + markup.escape(format_page(snippet.page, labels))


# --- source health --------------------------------------------------------------------------


def render_health(notice: SourceHealthNotice, language: str = DEFAULT_LANGUAGE, fmt: Format | str = Format.TEXT,
                  *, limit: int | None = None, template_dir: Path | None = None) -> AlertMessage:
    labels, fmt = labels_for(language), Format(fmt)
    event = f"source_health_{notice.status.value}"
    return fitted(lambda _: fill(event, language, fmt, health_values(notice, labels), template_dir=template_dir),
                  limit)


def health_values(notice: SourceHealthNotice, labels: Labels) -> dict[str, str]:
    place = notice.municipality
    where = ", ".join(part for part in (place.name, place.county) if part) if place else ""
    return {
        "source_key": notice.source_key, "place": where, "place_note": f" ({where})" if where else "",
        "municipality": place.name if place else "", "error": _error(notice.error, labels),
        "failures": labels.failures_in_a_row.format(count=notice.consecutive_failures),
        "consecutive_failures": str(notice.consecutive_failures),
        "last_success": format_time(notice.last_success_at, labels), "status": notice.status.value,
    }


def render_delivery_failure(failed: AlertRecord, language: str = DEFAULT_LANGUAGE, fmt: Format | str = Format.TEXT,
                            *, limit: int | None = None, template_dir: Path | None = None) -> AlertMessage:
    """The ops alert sent when an alert could not be delivered after its last attempt."""
    labels, fmt = labels_for(language), Format(fmt)
    values = {
        "alert_id": str(failed.id), "alert_title": failed.title, "target": failed.target,
        "event": failed.event_type.value, "attempts": str(failed.total_attempts),
        "error": _error(failed.last_error, labels), "created_at": format_time(failed.created_at, labels),
    }
    return fitted(lambda _: fill("delivery_failed", language, fmt, values, template_dir=template_dir), limit)


# --- test -----------------------------------------------------------------------------------


def render_test(target_name: str, now: datetime, language: str = DEFAULT_LANGUAGE, fmt: Format | str = Format.TEXT,
                *, template_dir: Path | None = None) -> AlertMessage:
    labels, fmt = labels_for(language), Format(fmt)
    values = {"target": target_name, "sent_at": format_time(now, labels)}
    return fill("test", language, fmt, values, template_dir=template_dir)


# --- digest ---------------------------------------------------------------------------------


def render_digest(content: DigestContent, language: str = DEFAULT_LANGUAGE, fmt: Format | str = Format.TEXT,
                  *, limit: int | None = None, template_dir: Path | None = None) -> AlertMessage:
    labels, fmt = labels_for(language), Format(fmt)
    markup = markup_for(fmt)

    def build(quote_limit: int | None) -> AlertMessage:
        limit_each = min(quote_limit or DIGEST_QUOTE_LIMIT, DIGEST_QUOTE_LIMIT)
        return fill("digest", language, fmt, _digest_values(content, labels),
                    blocks=digest_sections(content, labels, markup, limit_each), template_dir=template_dir)

    return fitted(build, limit)


def _digest_values(content: DigestContent, labels: Labels) -> dict[str, str]:
    return {
        "period": digest_period_label(content, labels), "changes_count": str(len(content.changes)),
        "mentions_count": str(len(content.mentions)), "sources_count": str(len(content.failing_sources)),
    }


def digest_period_label(content: DigestContent, labels: Labels) -> str:
    first = format_date(content.period_start, labels)
    last = format_date(content.period_end - timedelta(microseconds=1), labels)
    return first if first == last else f"{first} – {last}"


def digest_sections(content: DigestContent, labels: Labels, markup: Markup, quote_limit: int) -> dict[str, str]:
    """One formatted section per kind of news; an empty kind is an empty string."""
    changes = [_change_item(c, labels, markup, quote_limit) for c in content.changes]
    mentions = [_mention_item(n, labels, markup, quote_limit) for n in content.mentions]
    sources = [_source_item(s, labels, markup) for s in content.failing_sources]
    return {
        "changes": markup.section(labels.changes, changes) if changes else "",
        "mentions": markup.section(labels.mentions, mentions) if mentions else "",
        "sources": markup.section(labels.failing_sources, sources) if sources else "",
    }


def _change_item(change: StanceChange, labels: Labels, markup: Markup, quote_limit: int) -> str:
    values = {k: markup.escape(v) for k, v in change_values(change, labels, quote_limit).items()}
    link = markup.link(values["document_title"], change.observation.document_url)
    quote = labels.quoted.format(text=values["quote"])
    return (f"{markup.strong(values['municipality'])} ({values['county']}): {values['old_stance']} → "
            f"{markup.strong(values['new_stance'])}. {quote}{values['page']} — {values['attribution']}. {link}")


def _mention_item(notice: MentionNotice, labels: Labels, markup: Markup, quote_limit: int) -> str:
    values = {k: markup.escape(v) for k, v in _mention_values(notice, labels).items()}
    link = markup.link(values["document_title"], notice.document_url)
    first = _snippet(notice.snippets[0], labels, markup, quote_limit) if notice.snippets else ""
    return f"{values['place']}: {link} ({values['document_date']}{values['outlet_note']}). {first}"


def _source_item(notice: SourceHealthNotice, labels: Labels, markup: Markup) -> str:
    values = {k: markup.escape(v) for k, v in health_values(notice, labels).items()}
    return f"{values['source_key']}{values['place_note']}: {values['error']} ({values['failures']})"


# --- fitting and small helpers --------------------------------------------------------------


def fitted(build: Build, limit: int | None) -> AlertMessage:
    """Build with the longest quotes that let the message fit `limit`; as a last resort cut the body."""
    message = build(None)
    if limit is None or message_size(message) <= limit:
        return message
    best = _longest_fitting(build, limit)
    return best if best is not None else cut(build(MIN_QUOTE), limit)


def _longest_fitting(build: Build, limit: int) -> AlertMessage | None:
    """Binary search for the largest quote limit whose message fits."""
    low, high, best = MIN_QUOTE, limit, None
    while low <= high:
        middle = (low + high) // 2
        message = build(middle)
        if message_size(message) <= limit:
            best, low = message, middle + 1
        else:
            high = middle - 1
    return best


def cut(message: AlertMessage, limit: int) -> AlertMessage:
    title = shorten(message.title, max(limit // 4, 1))
    return AlertMessage(title=title, body=shorten(message.body, max(limit - len(title) - 2, 1)))


def message_size(message: AlertMessage) -> int:
    """Characters of title and body together, as a chat channel that joins them counts them."""
    return len(message.title) + 2 + len(message.body)


def _clip(text: str, limit: int | None) -> str:
    flat = one_line(text)
    return shorten(flat, limit) if limit else flat


def _error(error: str | None, labels: Labels) -> str:
    return shorten(one_line(error), ERROR_LIMIT) if error else labels.unknown_error

