"""The one clock of the service: timezone-aware UTC now.  Everything below the app is given `now`."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
