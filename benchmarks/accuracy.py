"""How well and how fast the analysis reads stance: a report, not a test.

    .venv/bin/python benchmarks/accuracy.py [DEV_SET] [--corpus PATH] [--real PATH] [--min-mb 5] [--runs 3]
                                            [--verbose] [--misses] [--quick | --no-speed]

Prints, for the project's labelled corpus (tests/fixtures/cases/stance_cases.jsonl)
and, when present, for a development set of real labelled sentences (default
../shared/cases/stance-dev.jsonl): precision and recall per stance label and for
topic detection, and how many near-miss cases produced a stance (must be 0).
Then the analysis speed in MB (10^6 bytes of UTF-8) of text per second on one
core (process time; the median of --runs runs, with the range), for realistic
texts (see benchmarks/texts.py): about the topic, the seed documents (real
texts, about the topic throughout), press articles quoting labelled cases and
long protocols with one § item in 20 about the topic; without the topic, long
protocols and press articles.  Last, a stress figure that is no target: the
corpus texts joined, where every sentence names a municipality and a stance.

A dev-set text is its case's evidence sentences joined.  Those are only the
sentences that carry a stance; the rest of the article, which names the topic,
is not there.  Topic detection is scored on the joined sentences as they are;
stance is scored on them after a neutral lead sentence that names the topic and
nothing else ("Om återvandring."), for the cases labelled on-topic: the stance
reading is measured given that the text is about the topic, as the whole
article would show.

Then, when present, the real corpus (default ../shared/cases/real.jsonl, 86 whole texts): see
benchmarks/real_corpus.py for how it is read (as `kommunvakt analyze --json` reads a file), scored,
cross-validated by outlet and calibrated.  `--quick` (or `--no-speed`) skips the speed figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.analysis import analyze, clean_text, load_topic  # noqa: E402
from monitor.analysis.topic import Topic  # noqa: E402
from monitor.municipalities import Registry, UnknownMunicipality  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import real_corpus  # noqa: E402
import texts  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "cases" / "stance_cases.jsonl"
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
DEV_SET = ROOT.parent / "shared" / "cases" / "stance-dev.jsonl"
LABELS = ("declined", "accepted", "neutral")
DOCUMENT_SIZE = 50_000  # characters per synthetic document in the speed run


TOPIC_LEADS = {"sv": "Om återvandring.", "en": "About voluntary return."}


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    owner: str | None
    mentions_topic: bool
    stances: dict[str, str]
    near_miss: bool = False
    lead: str = ""  # prefixed to the text when stance is scored (dev set only)
    language: str = "sv"


@dataclass
class Tally:
    true_positive: Counter[str] = field(default_factory=Counter)
    false_positive: Counter[str] = field(default_factory=Counter)
    false_negative: Counter[str] = field(default_factory=Counter)
    near_miss_with_stance: int = 0
    near_misses: int = 0
    errors: list[str] = field(default_factory=list)

    def count(self, label: str, expected: bool, predicted: bool) -> None:
        if expected and predicted:
            self.true_positive[label] += 1
        elif predicted:
            self.false_positive[label] += 1
        elif expected:
            self.false_negative[label] += 1


def load_corpus(path: Path) -> list[Case]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Case(r["id"], r["text"], r.get("owner"), bool(r["mentions_topic"]), dict(r.get("stances", {})),
                 bool(r.get("near_miss", False)), language=r.get("language", "sv")) for r in rows]


def load_dev_set(path: Path, registry: Registry) -> tuple[list[Case], list[str]]:
    """Cases from the real labelled sentences; labels for names that are no municipality are left out."""
    cases, unresolved = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        stances = {}
        for name, stance in row.get("stance", {}).items():
            try:
                stances[registry.resolve(name).code] = stance
            except UnknownMunicipality:
                unresolved.append(f"{row['id']}: {name}")
        text = " ".join(row.get("evidence", []))
        lead = TOPIC_LEADS.get(row.get("language", "sv"), "") if row["mentions_topic"] and text else ""
        cases.append(Case(row["id"], text, None, bool(row["mentions_topic"]), stances,
                          not row["mentions_topic"], lead))
    return cases, unresolved


def score(cases: Iterable[Case], topic: Topic, registry: Registry, with_lead: bool = True) -> Tally:
    tally = Tally()
    for case in cases:
        result = analyze(case.text, topic, registry, owner_code=case.owner)
        if case.text:
            tally.count("topic", case.mentions_topic, bool(result.mentions))
        if case.lead and with_lead:
            result = analyze(f"{case.lead} {case.text}", topic, registry, owner_code=case.owner)
        predicted = {f.municipality_code: f.stance.value for f in result.stances}
        for label in LABELS:
            for code in set(predicted) | set(case.stances):
                tally.count(label, case.stances.get(code) == label, predicted.get(code) == label)
        if case.near_miss:
            tally.near_misses += 1
            tally.near_miss_with_stance += bool(predicted)
        if predicted != case.stances:
            tally.errors.append(f"{case.id}: expected {case.stances}, got {predicted}")
    return tally


def ratio(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.3f}" if denominator else "  -  "


def report(title: str, tally: Tally, verbose: bool) -> None:
    print(f"\n{title}")
    print(f"  {'label':<10} {'precision':>9} {'recall':>7}   (tp fp fn)")
    for label in (*LABELS, "topic"):
        tp, fp, fn = tally.true_positive[label], tally.false_positive[label], tally.false_negative[label]
        print(f"  {label:<10} {ratio(tp, tp + fp):>9} {ratio(tp, tp + fn):>7}   ({tp} {fp} {fn})")
    print(f"  near-miss cases with any stance: {tally.near_miss_with_stance} of {tally.near_misses}")
    print(f"  cases not exactly right: {len(tally.errors)}")
    if verbose:
        for error in tally.errors:
            print(f"    - {error}")


def speed(documents: list[str], topic: Topic, registry: Registry) -> tuple[float, float]:
    """(MB analysed, seconds of process time on one core)."""
    size = sum(len(d.encode("utf-8")) for d in documents) / 1e6
    started = time.process_time()
    for document in documents:
        analyze(document, topic, registry)
    return size, time.process_time() - started



def joined(texts: list[str]) -> list[str]:
    """The texts joined, as paragraphs, into documents of about DOCUMENT_SIZE characters."""
    documents, current, length = [], [], 0
    for text in texts * max(1, 2 * DOCUMENT_SIZE // max(1, sum(map(len, texts)))):
        current.append(text)
        length += len(text) + 2
        if length >= DOCUMENT_SIZE:
            documents.append("\n\n".join(current))
            current, length = [], 0
    return documents or ["\n\n".join(current)]


def speed_runs(cases: list[Case]) -> list[tuple[str, str, list[str]]]:
    """(group, title, documents): realistic texts about the topic, without it, and the stress case."""
    swedish = [c.text for c in cases if c.mentions_topic and not c.near_miss and _is_swedish(c)]
    english = [c.text for c in cases if c.mentions_topic and not c.near_miss and not _is_swedish(c)]
    seeds = [clean_text(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    return [
        ("on-topic", "seed documents (real texts, about the topic throughout)", seeds),
        ("on-topic", "press articles quoting 1-3 labelled cases (~3 kB)", texts.articles(swedish, english)),
        ("on-topic", "long protocols, one § item in 20 about the topic (~160 kB)", texts.protocols(swedish)),
        ("off-topic", "long protocols without the topic (~160 kB)", texts.protocols([], every=0, seed=3)),
        ("off-topic", "press articles without the topic (~3 kB)", texts.articles([], [], seed=4)),
        ("stress", "corpus texts joined: a stance in every sentence (no target)", joined([c.text for c in cases])),
    ]


def _is_swedish(case: Case) -> bool:
    return case.language == "sv"


def speed_report(cases: list[Case], topic: Topic, registry: Registry, min_mb: float, runs: int) -> None:
    print(f"\nspeed (MB of text per second of process time on one core; median of {runs} runs, range):")
    totals: dict[str, list[tuple[float, float]]] = {}
    for group, title, documents in speed_runs(cases):
        documents = texts.repeated(documents, min_mb)
        measured = [speed(documents, topic, registry) for _ in range(runs)]
        rates = sorted(size / seconds for size, seconds in measured)
        totals.setdefault(group, []).append((measured[0][0], statistics.median(s for _, s in measured)))
        print(f"  {group:<9} {title:<62} {statistics.median(rates):6.1f} MB/s  ({rates[0]:.1f}-{rates[-1]:.1f}, "
              f"{measured[0][0]:.1f} MB)")
    for group in ("on-topic", "off-topic"):
        size = sum(mb for mb, _ in totals.get(group, []))
        seconds = sum(s for _, s in totals.get(group, []))
        if seconds:
            print(f"  {group} overall: {size / seconds:.1f} MB/s (target >= 5)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dev_set", nargs="?", type=Path, default=DEV_SET, help="labelled real sentences (jsonl)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--min-mb", type=float, default=5.0, help="MB of text per speed figure and run")
    parser.add_argument("--runs", type=int, default=3, help="speed runs; the median is printed")
    parser.add_argument("--verbose", action="store_true", help="list the cases that are not exactly right")
    parser.add_argument("--real", type=Path, default=real_corpus.REAL, help="labelled real texts (real.jsonl)")
    parser.add_argument("--misses", action="store_true", help="list the real corpus' misses and candidates")
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validation of the real corpus")
    parser.add_argument("--quick", "--no-speed", dest="quick", action="store_true", help="skip the speed figures")
    args = parser.parse_args(argv)
    registry, topic = Registry.load(), load_topic()
    corpus = load_corpus(args.corpus)
    report(f"corpus: {args.corpus.relative_to(ROOT) if args.corpus.is_relative_to(ROOT) else args.corpus} "
           f"({len(corpus)} cases)", score(corpus, topic, registry), args.verbose)
    _report_dev_set(args.dev_set, topic, registry, args.verbose)
    if args.real.is_file():
        real_corpus.report(args.real, args.misses, not args.no_cv)
    else:
        print(f"\nreal corpus: not found at {args.real} (skipped)")
    if not args.quick:
        speed_report(corpus, topic, registry, args.min_mb, args.runs)
    return 0


def _report_dev_set(path: Path, topic: Topic, registry: Registry, verbose: bool) -> None:
    if not path.is_file():
        print(f"\ndev set: not found at {path} (skipped)")
        return
    cases, unresolved = load_dev_set(path, registry)
    report(f"dev set: {path} ({len(cases)} cases, texts = joined evidence sentences)",
           score(cases, topic, registry), verbose)
    bare = score(cases, topic, registry, with_lead=False)
    print("  stance without the lead sentence (the joined sentences alone): " + ", ".join(
        f"{label} {ratio(bare.true_positive[label], bare.true_positive[label] + bare.false_positive[label])}"
        f"/{ratio(bare.true_positive[label], bare.true_positive[label] + bare.false_negative[label])}"
        for label in ("declined", "accepted")) + " (precision/recall)")
    if unresolved:
        print(f"  labels for names that are not municipalities (left out): {', '.join(unresolved)}")
    print("  topic: over the cases with evidence text, as joined; stance: after a lead naming the topic")


if __name__ == "__main__":
    raise SystemExit(main())
