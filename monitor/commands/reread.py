"""`kommunvakt reread`: read waiting (OCR) and quarantined documents again from their stored bytes,
then the same round as `crawl` (analyse, check health, dispatch)."""

from __future__ import annotations

import argparse

from monitor.app.rounds import analyse_check_dispatch
from monitor.app.service import open_service
from monitor.commands.output import UsageError, print_round, say
from monitor.config import Config
from monitor.municipalities import Registry


def register(sub) -> None:
    p = sub.add_parser("reread", help="read documents waiting for OCR or quarantined again, from their stored "
                                      "bytes (after installing Tesseract or upgrading), then analyse")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--municipality", help="only this municipality's sources")
    which.add_argument("--source", help="only this source")
    p.set_defaults(handler=reread)


def reread(config: Config, args: argparse.Namespace) -> int:
    """Read waiting (OCR) and quarantined documents again from their stored bytes, then analyse as crawl does."""
    from crawler.extraction.reread import describe, reread_everything  # pdfminer only when this command runs

    keys = _reread_sources(config, args)  # a bad request writes nothing
    service = open_service(config)
    try:
        outcomes = reread_everything(service.database, config, keys, lambda o: say(f"  {describe(o)}"))
        readable = sum(1 for o in outcomes if o.error is None)
        say(f"read again: {len(outcomes)} documents, {readable} readable now")
        print_round(analyse_check_dispatch(service, "dispatch"))
    finally:
        service.close()
    return 0


def _reread_sources(config: Config, args: argparse.Namespace) -> list[str] | None:
    if args.municipality:
        return [s.key for s in config.sources_for(Registry.load().resolve(args.municipality).code)]
    if args.source:
        if args.source not in {s.key for s in config.sources}:
            raise UsageError(f"no source {args.source!r} in the configuration")
        return [args.source]
    return None
