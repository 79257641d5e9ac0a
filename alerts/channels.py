"""What a target's apprise URL says about how to write for it: format, length limit, a loggable form.

Apprise URLs may carry passwords and tokens.  Only :func:`mask_url` output may
be logged or stored; the redaction filter installed by
:func:`install_log_redaction` also masks any ``user:password@`` that apprise
itself would log (it does so for URLs it cannot load).
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import apprise

from monitor.logs import mask_secrets


class Format(enum.StrEnum):
    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"

    @property
    def extension(self) -> str:
        return {"text": "txt", "markdown": "md", "html": "html"}[self.value]

    @property
    def notify_format(self) -> apprise.NotifyFormat:
        return apprise.NotifyFormat(self.value)


@dataclass(frozen=True)
class Channel:
    """How to write for one kind of target: its format and, for chat, the longest message it takes."""

    scheme: str
    format: Format
    limit: int | None = None  # characters for title and body together


# Chat limits are the services' own, with room to spare for apprise's decoration.
CHANNELS: dict[str, Channel] = {
    "mailto": Channel("mailto", Format.HTML),
    "mailtos": Channel("mailtos", Format.HTML),
    "json": Channel("json", Format.TEXT),
    "jsons": Channel("jsons", Format.TEXT),
    "discord": Channel("discord", Format.MARKDOWN, 1900),
    "slack": Channel("slack", Format.MARKDOWN, 3900),
    "matrix": Channel("matrix", Format.MARKDOWN, 16000),
    "matrixs": Channel("matrixs", Format.MARKDOWN, 16000),
    "tgram": Channel("tgram", Format.MARKDOWN, 4000),
    "mmost": Channel("mmost", Format.MARKDOWN, 3900),
    "mmosts": Channel("mmosts", Format.MARKDOWN, 3900),
}
DEFAULT_CHANNEL = Channel("", Format.TEXT)
_CHOOSABLE = {"mailto", "mailtos"}  # email may ask for ?format=text (or markdown)


def scheme_of(url: str) -> str:
    return url.split("://", 1)[0].lower() if "://" in url else ""


def channel_for(url: str) -> Channel:
    """The channel of an apprise URL; an email URL's `format=` query chooses text or HTML."""
    scheme = scheme_of(url)
    channel = CHANNELS.get(scheme, DEFAULT_CHANNEL)
    chosen = _format_query(url) if scheme in _CHOOSABLE else None
    return Channel(channel.scheme or scheme, chosen, channel.limit) if chosen else channel


def _format_query(url: str) -> Format | None:
    values = parse_qs(urlsplit(url).query).get("format", [])
    try:
        return Format(values[-1].lower()) if values else None
    except ValueError:
        return None


APPRISE_LOGGER = "apprise"


def mask_url(url: str) -> str:
    """A form of the URL safe to log: apprise's privacy URL without its query, else scheme and host only."""
    install_log_redaction()
    plugin = apprise.Apprise.instantiate(url)
    if plugin is None:
        return _fallback_mask(url)
    return plugin.url(privacy=True).split("?", 1)[0]


def _fallback_mask(url: str) -> str:
    parts = urlsplit(url)
    try:
        host = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    except ValueError:  # a port that is not a number
        host = parts.hostname or ""
    return f"{parts.scheme or '?'}://{host or '****'}/****"


def redact(text: str, url: str | None = None) -> str:
    """Mask `user:password@` and secret query values in any text (monitor.logs.mask_secrets), and the given
    URL's own secrets wherever they appear."""
    text = mask_secrets(text)
    for secret in _secrets_of(url) if url else ():
        text = text.replace(secret, "****")
    return text


def _secrets_of(url: str) -> list[str]:
    parts = urlsplit(url)
    path_tokens = [p for p in parts.path.split("/") if len(p) >= 12]  # webhook tokens live in the path
    return [s for s in [parts.password, *path_tokens] if s]


class _RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def install_log_redaction() -> None:
    """Make apprise's own log lines safe (idempotent)."""
    logger = logging.getLogger(APPRISE_LOGGER)
    if not any(isinstance(f, _RedactingFilter) for f in logger.filters):
        logger.addFilter(_RedactingFilter())
