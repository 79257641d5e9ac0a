"""Logging: readable by default, JSON lines on request; secrets masked in every record."""

from __future__ import annotations

import json
import logging
import re
import sys

# user:password@ in any URL, and secret-looking query parameters (apprise: ?pass=, ?token=, ...).
_USERINFO = re.compile(r"(?P<scheme>[a-z][a-z0-9+.\-]*://)(?P<user>[^/\s:@]*):(?P<secret>[^/\s@]+)@", re.I)
_QUERY = re.compile(r"(?P<key>[?&](?:pass|password|token|secret|apikey|api_key|key|webhook)=)[^&\s]+", re.I)


def mask_secrets(text: str) -> str:
    text = _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:****@", text)
    return _QUERY.sub(lambda m: f"{m['key']}****", text)


class MaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_secrets(record.getMessage())
        record.args = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname,
                 "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            entry["exception"] = mask_secrets(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(fmt: str = "text", level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(MaskingFilter())
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("apscheduler.scheduler", "apscheduler.executors", "alembic"):  # a line per job or plugin
        logging.getLogger(noisy).setLevel(logging.WARNING)
