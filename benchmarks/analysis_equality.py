"""Whether a change to the analysis changed any result: a check for speed work, not a test.

    .venv/bin/python benchmarks/analysis_equality.py save    DIGEST_FILE
    .venv/bin/python benchmarks/analysis_equality.py compare DIGEST_FILE

Runs `analyze` over every text the benchmarks use — the speed texts of benchmarks/accuracy.py
(seeds, articles, protocols, with and without an owner), the project's case table (with its
owners, alone and behind a topic lead), the development set and the real corpus when
../shared/cases is present, and the text fixtures of the tests — and writes, per text, the full
`repr` of its AnalysisResult (mentions, municipalities, stances with confidence, evidence and
offsets, review candidates).  `compare` runs the same texts again and lists every text whose
result differs; it exits 1 when one does.  Keep the digest file outside the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import accuracy  # noqa: E402
import real_corpus  # noqa: E402

from monitor.analysis import analyze, clean_text, load_topic  # noqa: E402
from monitor.municipalities import Registry  # noqa: E402

PROTOCOL_OWNER = "0880"  # Kalmar: a protocol read as its own municipality's
FIXTURES = ROOT / "tests" / "fixtures"


def inputs(registry: Registry) -> Iterator[tuple[str, str, str | None]]:
    """(key, text, owner) of every text to compare."""
    cases = accuracy.load_corpus(accuracy.CORPUS)
    for case in cases:
        yield f"case/{case.id}", case.text, case.owner
        yield f"case-press/{case.id}", case.text, None
        yield f"case-lead/{case.id}", f"{accuracy.TOPIC_LEADS.get(case.language, '')} {case.text}", case.owner
    for group, title, documents in accuracy.speed_runs(cases):
        for i, document in enumerate(documents):
            yield f"speed/{group}/{title[:20]}/{i}", document, None
            if "protocol" in title:
                yield f"speed-owned/{group}/{title[:20]}/{i}", document, PROTOCOL_OWNER
    if accuracy.DEV_SET.is_file():
        dev, _ = accuracy.load_dev_set(accuracy.DEV_SET, registry)
        for case in dev:
            yield f"dev/{case.id}", case.text, None
            yield f"dev-lead/{case.id}", f"{case.lead} {case.text}", None
    if real_corpus.REAL.is_file():
        real, _ = real_corpus.load_real(real_corpus.REAL, registry)
        for case in real:
            yield f"real/{case.file}", case.text, None
    for path in sorted(FIXTURES.rglob("*.txt")):
        yield f"fixture/{path.relative_to(FIXTURES)}", clean_text(path.read_text(encoding="utf-8",
                                                                                 errors="replace")), None


def digests() -> dict[str, str]:
    registry, topic = Registry.load(), load_topic()
    return {key: repr(analyze(text, topic, registry, owner_code=owner)) for key, text, owner in inputs(registry)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("save", "compare"))
    parser.add_argument("digest_file", type=Path)
    args = parser.parse_args(argv)
    current = digests()
    if args.action == "save":
        args.digest_file.write_text(json.dumps(current, ensure_ascii=False, indent=0), encoding="utf-8")
        print(f"saved {len(current)} results to {args.digest_file}")
        return 0
    saved = json.loads(args.digest_file.read_text(encoding="utf-8"))
    differing = [key for key in sorted(set(saved) | set(current)) if saved.get(key) != current.get(key)]
    for key in differing[:20]:
        print(f"DIFFERS {key}\n  saved:   {saved.get(key)}\n  current: {current.get(key)}")
    print(f"{len(current)} results, {len(differing)} differ" + ("" if differing else ": identical"))
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main())
