"""`kommunvakt analyze FILE...`: the analysis on local files (PDF, HTML, text), printed or as JSON lines."""

from __future__ import annotations

import argparse
from pathlib import Path

from monitor.analysis import analyze as run_analysis
from monitor.analysis.topic import load_topic
from monitor.commands.output import say, say_json
from monitor.config import Config
from monitor.domain import page_of
from monitor.municipalities import Registry


def register(sub) -> None:
    p = sub.add_parser("analyze", help="analyse local files (PDF, HTML, text) and print what was found")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--municipality", help="whose document it is (read as that municipality's protocol)")
    p.add_argument("--json", action="store_true", help="one JSON object per file, one per line")
    p.set_defaults(handler=analyze, needs_database=False)


def analyze(config: Config, args: argparse.Namespace) -> int:
    from monitor.app.files import FileReadError, read_document  # pdfminer and trafilatura only when needed

    registry = Registry.load()
    topic = load_topic(config.topic)
    owner = registry.resolve(args.municipality).code if args.municipality else None
    failed = False
    for path in args.paths:
        try:
            document = read_document(Path(path), config.crawl)
        except FileReadError as exc:
            failed = True
            _emit_analysis(args.json, {"path": path, "error": str(exc)})
            continue
        result = run_analysis(document.text, topic, registry, owner_code=owner)
        _emit_analysis(args.json, _analysis_json(path, result, registry, document.pages))
    return 1 if failed else 0


def _analysis_json(path: str, result, registry: Registry, pages: tuple[int, ...] = ()) -> dict:
    """`page` (1-based) where the file is a PDF, else null."""
    return {
        "path": path,
        "mentions": [{"term": m.term, "start": m.start, "end": m.end, "snippet": m.snippet,
                      "page": m.page if m.page is not None else page_of(pages, m.start)}
                     for m in result.mentions],
        "municipalities": list(result.municipalities),
        "stances": [{"municipality_code": s.municipality_code, "municipality": s.municipality,
                     "stance": s.stance.value, "confidence": round(s.confidence, 3), "evidence": s.evidence,
                     "evidence_start": s.evidence_start, "page": page_of(pages, s.evidence_start),
                     "authority": s.authority.value}
                    for s in result.stances],
        "candidates": [{"municipality_code": c.municipality_code, "municipality": c.municipality,
                        "stance": c.stance.value if c.stance else None, "confidence": round(c.confidence, 3),
                        "evidence": c.evidence, "evidence_start": c.evidence_start,
                        "page": page_of(pages, c.evidence_start), "authority": c.authority.value, "reason": c.reason}
                       for c in result.candidates],
    }


def _emit_analysis(as_json: bool, entry: dict) -> None:
    if as_json:
        say_json(entry)
        return
    say(entry["path"])
    if "error" in entry:
        say(f"  error: {entry['error']}")
        return
    say(f"  {len(entry['mentions'])} mentions; municipalities: {', '.join(entry['municipalities']) or '-'}")
    for stance in entry["stances"]:
        say(f"  {stance['municipality']} ({stance['municipality_code']}): {stance['stance']} "
            f"[{stance['confidence']:.2f}, {stance['authority']}] \u00ab{stance['evidence']}\u00bb")
    for candidate in entry.get("candidates", ()):
        say(f"  candidate for review: {candidate['municipality']} ({candidate['municipality_code']}): "
            f"{candidate['stance'] or '-'} [{candidate['confidence']:.2f}] {candidate['reason']} "
            f"\u00ab{candidate['evidence']}\u00bb")
