from __future__ import annotations

import logging

import pytest

from alerts.channels import Format, channel_for, install_log_redaction, mask_url, redact


@pytest.mark.parametrize(("url", "fmt", "limit"), [
    ("mailto://127.0.0.1:2525?from=a@b.se&to=c@d.se", Format.HTML, None),
    ("mailtos://u:pw@smtp.example.org?format=text", Format.TEXT, None),
    ("json://127.0.0.1:8080/hook", Format.TEXT, None),
    ("discord://1234/abcd", Format.MARKDOWN, 1900),
    ("slack://T1/B2/C3", Format.MARKDOWN, 3900),
    ("matrixs://user:pw@matrix.example.org/#room", Format.MARKDOWN, 16000),
    ("tgram://123456789:abcdef/12345", Format.MARKDOWN, 4000),
    ("ntfy://topic", Format.TEXT, None),
])
def test_the_channel_decides_the_format_and_the_limit(url, fmt, limit):
    channel = channel_for(url)
    assert (channel.format, channel.limit) == (fmt, limit)


@pytest.mark.parametrize("url", [
    "mailtos://kv:hunter2secret@smtp.example.org:587?to=news@example.org",
    "json://kv:hunter2secret@127.0.0.1:8080/hook",
    "matrixs://kv:hunter2secret@matrix.example.org/#room",
    "discord://123456789/hunter2secret-webhook-token",
    "foo://kv:hunter2secret@nowhere",
    "mailto://kv:hunter2secret@",
])
def test_mask_url_never_shows_the_secret(url, caplog):
    caplog.set_level(logging.DEBUG)
    masked = mask_url(url)
    assert "hunter2secret" not in masked
    assert masked.split("://")[0] == url.split("://")[0]
    assert "hunter2secret" not in caplog.text  # nor do apprise's own log lines about it


def test_mask_url_keeps_what_identifies_the_target():
    url = "mailto://kv:pw@127.0.0.1:2525?from=kv@example.org&to=news@example.org"
    assert mask_url(url).startswith("mailto://kv:****@127.0.0.1:2525/")
    assert mask_url("mailto://kv:pw@127.0.0.1:2525?to=news@example.org") == "mailto://127.0.0.1:2525/****"


def test_redact_masks_userinfo_and_the_urls_own_secrets():
    url = "json://kv:pw1234@127.0.0.1/hook"
    assert redact("POST json://kv:pw1234@127.0.0.1/hook failed") == "POST json://kv:****@127.0.0.1/hook failed"
    assert redact("server said: bad password pw1234", url) == "server said: bad password ****"


def test_apprise_log_lines_are_redacted(caplog):
    install_log_redaction()
    caplog.set_level(logging.DEBUG)
    logging.getLogger("apprise").error("Could not load URL: mailto://user:topsecret@host")
    assert "topsecret" not in caplog.text
