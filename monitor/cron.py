"""Five-field cron expressions (minute hour day month weekday), read as cron reads them.

APScheduler 3 counts weekdays from Monday = 0 (cron: Sunday = 0 or 7) and its `from_crontab` takes no
jitter, so the trigger is built from the fields here, with the weekday field turned into names.
"""

from __future__ import annotations

from datetime import tzinfo

from apscheduler.triggers.cron import CronTrigger

_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


class CronError(ValueError):
    """Not a valid five-field cron expression; the message says which field and why."""


def cron_trigger(expression: str, timezone: tzinfo, jitter: int | None = None) -> CronTrigger:
    """The trigger for a cron expression; raises CronError with a readable reason."""
    fields = expression.split()
    if len(fields) != 5:
        raise CronError(f"not a 5-field cron expression (minute hour day month weekday): {expression!r}")
    minute, hour, day, month, weekday = fields
    day_of_week = cron_weekdays(weekday)
    try:
        return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=day_of_week,
                           timezone=timezone, jitter=jitter)
    except ValueError as exc:
        raise CronError(f"not a valid cron expression {expression!r}: {exc}") from None


def cron_weekdays(field: str) -> str:
    """Cron's weekday field as APScheduler weekday names: '1-5' -> 'mon,tue,wed,thu,fri'."""
    if field in ("*", "?"):
        return "*"
    days: set[int] = set()
    for part in field.split(","):
        days |= _weekday_part(part, field)
    return ",".join(_WEEKDAYS[day] for day in sorted(days))


def _weekday_part(part: str, field: str) -> set[int]:
    span, _, step_text = part.partition("/")
    step = _number(step_text, field) if step_text else 1
    if span == "*":
        first, last = 0, 6
    else:
        low, dash, high = span.partition("-")
        first = _weekday(low, field)
        last = _weekday(high, field) if dash else (6 if step_text else first)
    if step < 1 or first > last:
        raise CronError(f"weekday field {field!r}: {part!r} is not a range cron accepts")
    return {day % 7 for day in range(first, last + 1, step)}


def _weekday(text: str, field: str) -> int:
    name = text.lower()
    if name in _WEEKDAYS:
        return _WEEKDAYS.index(name)
    day = _number(text, field)
    if not 0 <= day <= 7:
        raise CronError(f"weekday field {field!r}: {text!r} is not 0-7 (0 and 7 are Sunday) or sun-sat")
    return day


def _number(text: str, field: str) -> int:
    if not text.isdigit():
        raise CronError(f"weekday field {field!r}: {text!r} is not a number or a day name")
    return int(text)
