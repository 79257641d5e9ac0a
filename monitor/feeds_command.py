"""`kommunvakt feeds check URL_OR_FILE [--json]`: what the service would take from a feed.

An operator runs it before adding a feed to a press source: the entries with title, link, date and
outlet, or why the feed cannot be used.  Exit code 0 when the service would take at least one entry, 1 when
the feed cannot be fetched or read or gives nothing to follow, 2 for an argument that is neither an
http(s) URL nor a file.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from monitor.config import Config

if TYPE_CHECKING:
    from monitor.app.feed_check import FeedCheck

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
SHOWN_ZONE = ZoneInfo("Europe/Stockholm")


def add_parser(sub: Any) -> None:
    """Register `feeds check` on the `kommunvakt` subcommands."""
    p = sub.add_parser("feeds", help="news feeds: check what the service would take from one")
    actions = p.add_subparsers(dest="action", required=True, parser_class=type(p))
    check = actions.add_parser("check", help="fetch (or read) a feed and show the entries the service would take")
    check.add_argument("location", metavar="URL_OR_FILE", help="the feed's http(s) URL, or a saved feed file")
    check.add_argument("--json", action="store_true", help="one JSON object")
    p.set_defaults(handler=feeds, needs_database=False)


def feeds(config: Config, args: argparse.Namespace) -> int:
    # Imported here: the check reads the crawler's modules, which the daemon's process never loads.
    from monitor.app.feed_check import FeedUnavailable, check_feed

    location = args.location
    if "://" in location and not location.lower().startswith(("http://", "https://")):
        return _usage(f"feeds check: only http and https URLs are fetched: {location!r}")
    if "://" not in location and not Path(location).is_file():
        return _usage(f"feeds check: {location!r} is neither an http(s) URL nor a file")
    try:
        checked = check_feed(location, config.crawl)
    except FeedUnavailable as exc:
        return _failed(str(exc), location, args.json)
    _show(checked, args.json)
    return EXIT_OK if checked.followed else EXIT_FAILED


def _usage(message: str) -> int:
    print(f"kommunvakt: {message}", file=sys.stderr)
    return EXIT_USAGE


def _failed(message: str, location: str, as_json: bool) -> int:
    if as_json:
        print(json.dumps({"feed": location, "ok": False, "error": message}, ensure_ascii=False))
    print(f"kommunvakt: feed not usable: {message}", file=sys.stderr)
    return EXIT_FAILED


def _show(checked: FeedCheck, as_json: bool) -> None:
    if as_json:
        print(json.dumps(_as_json(checked), ensure_ascii=False, indent=2))
    else:
        print("\n".join(_lines(checked)))


def _as_json(checked: FeedCheck) -> dict[str, Any]:
    return {
        "feed": checked.location, "ok": bool(checked.followed), "title": checked.title, "format": checked.kind,
        "irregularity": checked.irregularity,
        "entries": [{"title": e.title, "link": e.link, "published": _iso(e.published), "updated": _iso(e.updated),
                     "outlet": e.outlet, "followed": e.followed} for e in checked.entries],
    }


def _lines(checked: FeedCheck) -> list[str]:
    lines = [f"{checked.title or '(untitled feed)'} ({checked.kind or 'unknown format'}): {checked.location}"]
    if checked.irregularity:
        lines.append(f"note: {checked.irregularity}")
    lines.append(f"{len(checked.followed)} of {len(checked.entries)} entries would be taken:")
    for entry in checked.entries:
        mark = "" if entry.followed else "  [refused: not an http(s) link]"
        lines.append(f"  {_shown(entry.published or entry.updated)}  {entry.outlet}  {entry.title or '(no title)'}{mark}")
        lines.append(f"      {entry.link}")
    if not checked.followed:
        lines.append("nothing to follow: the service would record this feed as failing")
    return lines


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _shown(moment: datetime | None) -> str:
    return moment.astimezone(SHOWN_ZONE).strftime("%Y-%m-%d %H:%M") if moment else "(no date)       "
