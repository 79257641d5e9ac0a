"""The child's output: one JSON object per line on stdout (progress, warnings, then one summary)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import date
from typing import Any, TextIO

from monitor.domain import CrawlSummary

Emit = Callable[[dict[str, Any]], None]


def emit(event: dict[str, Any], stream: TextIO | None = None) -> None:
    out = stream or sys.stdout
    out.write(json.dumps(event, default=str) + "\n")
    out.flush()


def progress(source_key: str, url: str, outcome: str, **details: Any) -> dict[str, Any]:
    """outcome: new | changed | unchanged | same_text (from storage) or error."""
    event: dict[str, Any] = {"event": "progress", "source": source_key, "url": url, "outcome": outcome}
    event.update({key: _plain(value) for key, value in details.items() if value is not None})
    return event


def warning(source_key: str, message: str) -> dict[str, Any]:
    return {"event": "warning", "source": source_key, "message": message}


def summary(result: CrawlSummary, warnings: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "event": "summary", "source": result.source_key, "ok": result.ok,
        "documents_seen": result.documents_seen, "documents_new": result.documents_new,
        "errors": list(result.errors), "warnings": list(warnings),
    }


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
