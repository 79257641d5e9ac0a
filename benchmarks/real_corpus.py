"""The analysis measured on real labelled texts (../shared/cases/real.jsonl), as a user runs it.

Called by benchmarks/accuracy.py; run alone with

    .venv/bin/python benchmarks/real_corpus.py [PATH/real.jsonl] [--misses]

Every text file goes through the same path as ``kommunvakt analyze FILE --json``: `read_document`
(decoding, `clean_text`) and `analyze` without an owner.  ``analyze`` has no notion of a text's kind:
a protocol, a government page or a party text is read as press unless the user names its owner with
``--municipality``; the corpus gives no owner, so every text is read without one, as a user who
analyses a downloaded file would.

Scoring follows the corpus README: per text, precision and recall for the topic and for each stance
label (``rejected_motion`` counts as declined, ``adopted_motion`` as accepted; a stance predicted for a
municipality the text gives none counts against precision; a region is no municipality), and the table
view over the corpus (the (municipality, stance) pairs the texts state that were found at least once;
the municipalities given a stance that contradicts the labels).

Cross-validation.  The corpus is split by the host of its source (an outlet) into two halves; each half
in turn is the training half and the other is scored.  What is *fitted* on the training half:

1. the lexicon: a stance-cue entry of the topic file (one pattern string under ``[[cues]]``) is kept
   only when it has support in the training half — it occurs in the evidence sentence of at least one
   correct finding there — and is not wrong more often than right there.  Entries that only ever fire
   on the held-out half are removed, so a rule written for one outlet's sentences shows up as lost
   recall on that outlet when the other half trains;
2. the review thresholds: per stance, the lowest confidence at which the training half's findings have
   precision >= 0.97 (1.00 for accepted); held-out findings below it count as held for review;
3. the calibration: precision per confidence band on the training half, compared with the held-out
   half's.

The rules in the code (lists, subjects, negation) are not fitted here: they are written once for the
phenomena and cannot be switched off per fold; the case table documents them in the project's words.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.analysis import analyze, load_topic  # noqa: E402
from monitor.analysis.normalise import fold_in_place as fold  # noqa: E402
from monitor.analysis.patterns import compile_words  # noqa: E402
from monitor.analysis.stance import DEFAULT_REVIEW_THRESHOLDS  # noqa: E402
from monitor.analysis.topic import CueSpec, Topic  # noqa: E402
from monitor.app.files import read_document  # noqa: E402
from monitor.config import CrawlSettings  # noqa: E402
from monitor.domain import AnalysisResult  # noqa: E402
from monitor.municipalities import Registry, UnknownMunicipality  # noqa: E402

REAL = ROOT.parent / "shared" / "cases" / "real.jsonl"
OWN_CASES = ROOT / "tests" / "fixtures" / "cases" / "stance_cases.jsonl"
LABELS = ("declined", "accepted", "neutral")
_AS = {"rejected_motion": "declined", "adopted_motion": "accepted"}
BANDS = (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
TARGET_PRECISION = {"declined": 0.97, "accepted": 1.0, "neutral": 0.97}


@dataclass(frozen=True)
class RealCase:
    file: str
    host: str
    kind: str
    language: str
    mentions_topic: bool
    labels: dict[str, str]  # kommunkod -> declined | accepted | neutral
    text: str


@dataclass
class Scores:
    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)

    def add(self, label: str, expected: bool, predicted: bool) -> None:
        if expected and predicted:
            self.tp[label] += 1
        elif predicted:
            self.fp[label] += 1
        elif expected:
            self.fn[label] += 1

    def precision(self, label: str) -> float | None:
        n = self.tp[label] + self.fp[label]
        return self.tp[label] / n if n else None

    def recall(self, label: str) -> float | None:
        n = self.tp[label] + self.fn[label]
        return self.tp[label] / n if n else None


def load_real(path: Path, registry: Registry) -> tuple[list[RealCase], list[str]]:
    """The cases, and the labelled names that are no municipality (regions), which are left out."""
    cases, skipped = [], []
    settings = CrawlSettings()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        labels = {}
        for name, stance in row.get("stance", {}).items():
            code = _municipality(name, registry)
            if code is None:
                skipped.append(f"{row['file']}: {name}")
            else:
                labels[code] = _AS.get(stance, stance)
        text = read_document(path.parent / row["file"], settings).text
        cases.append(RealCase(row["file"], urlparse(row["source"]).hostname or "", row["kind"], row["language"],
                              bool(row["mentions_topic"]), labels, text))
    return cases, skipped


def _municipality(name: str, registry: Registry) -> str | None:
    """The kommunkod of a labelled name; None for a region or county ("Region Kalmar län")."""
    if fold(name.lower()).startswith(("region ", "landsting")) or fold(name.lower()).endswith((" lan", " county")):
        return None
    try:
        return registry.resolve(name).code
    except UnknownMunicipality:
        return None


def load_own(path: Path = OWN_CASES) -> list[RealCase]:
    """The project's case table as cases (press cases only: the real corpus has no owners)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [RealCase(r["id"], "own", r["kind"], r["language"], bool(r["mentions_topic"]), dict(r["stances"]),
                     r["text"]) for r in rows if r.get("owner") is None]


def run(cases: Sequence[RealCase], topic: Topic, registry: Registry) -> list[AnalysisResult]:
    return [analyze(case.text, topic, registry) for case in cases]


def predicted(result: AnalysisResult, thresholds: dict[str, float] | None = None) -> dict[str, str]:
    """The findings as {code: stance}; with thresholds, only those at or above their stance's."""
    return {f.municipality_code: f.stance.value for f in result.stances
            if thresholds is None or f.confidence >= thresholds.get(f.stance.value, 0.0)}


def score(cases: Sequence[RealCase], results: Sequence[AnalysisResult],
          thresholds: dict[str, float] | None = None) -> Scores:
    scores = Scores()
    for case, result in zip(cases, results, strict=True):
        scores.add("topic", case.mentions_topic, bool(result.mentions))
        found = predicted(result, thresholds)
        for code in set(found) | set(case.labels):
            for label in LABELS:
                scores.add(label, case.labels.get(code) == label, found.get(code) == label)
    return scores


def table_view(cases: Sequence[RealCase], results: Sequence[AnalysisResult]) -> tuple[int, int, list[str]]:
    """(pairs stated, pairs found at least once, municipalities given a contradicting stance)."""
    stated = {(code, s) for case in cases for code, s in case.labels.items()}
    found = {(f.municipality_code, f.stance.value) for r in results for f in r.stances}
    labelled: dict[str, set[str]] = {}
    for code, s in stated:
        labelled.setdefault(code, set()).add(s)
    contradictions = sorted({f"{f.municipality} ({f.stance.value}, labels {'/'.join(sorted(labelled[code]))})"
                             for r in results for f in r.stances
                             if (code := f.municipality_code) in labelled and _contradicts(f.stance.value,
                                                                                            labelled[code])})
    return len(stated), len(stated & found), contradictions


def _contradicts(stance: str, labels: set[str]) -> bool:
    other = {"declined": "accepted", "accepted": "declined"}.get(stance)
    return other in labels and stance not in labels


def per_text_contradictions(cases: Sequence[RealCase], results: Sequence[AnalysisResult]) -> list[str]:
    out = []
    for case, result in zip(cases, results, strict=True):
        for f in result.stances:
            if _contradicts(f.stance.value, {case.labels.get(f.municipality_code, "")}):
                out.append(f"{case.file}: {f.municipality} {f.stance.value}")
    return out


# --- calibration -----------------------------------------------------------------------------------


def graded(cases: Sequence[RealCase], results: Sequence[AnalysisResult]) -> list[tuple[str, float, bool]]:
    """(stance, confidence, correct) of every finding."""
    return [(f.stance.value, f.confidence, case.labels.get(f.municipality_code) == f.stance.value)
            for case, result in zip(cases, results, strict=True) for f in result.stances]


def band_of(confidence: float) -> int:
    return max(i for i, low in enumerate(BANDS) if confidence >= low)


def band_name(i: int) -> str:
    high = BANDS[i + 1] if i + 1 < len(BANDS) else 1.0
    return f"[{BANDS[i]:.2f}, {high:.2f}{']' if i + 1 == len(BANDS) else ')'}"


def calibration(findings: Iterable[tuple[str, float, bool]]) -> dict[tuple[str, int], tuple[int, int]]:
    """(stance, band) -> (findings, correct)."""
    table: dict[tuple[str, int], tuple[int, int]] = {}
    for stance, confidence, correct in findings:
        n, ok = table.get((stance, band_of(confidence)), (0, 0))
        table[(stance, band_of(confidence))] = (n + 1, ok + correct)
    return table


def fitted_thresholds(findings: Sequence[tuple[str, float, bool]]) -> dict[str, float]:
    """Per stance, the lowest confidence whose findings at or above it reach the target precision."""
    thresholds = {}
    for stance, target in TARGET_PRECISION.items():
        mine = sorted((c, ok) for s, c, ok in findings if s == stance)
        chosen = 1.01
        for i in range(len(mine)):
            above = mine[i:]
            if sum(ok for _, ok in above) / len(above) >= target:
                chosen = mine[i][0]
                break
        thresholds[stance] = chosen
    return thresholds


# --- the lexicon: entries and their support --------------------------------------------------------


def entries(topic: Topic) -> list[tuple[int, str]]:
    """(cue group index, pattern) of every stance-cue entry of the topic."""
    return [(i, p) for i, cue in enumerate(topic.cues) for p in cue.patterns]


def support(topic: Topic, cases: Sequence[RealCase], results: Sequence[AnalysisResult]) -> dict[str, Counter[str]]:
    """Per entry: how often it occurs in the evidence of correct ("tp") and wrong ("fp") findings."""
    compiled = {p: compile_words([p]) for _, p in entries(topic)}
    out: dict[str, Counter[str]] = {p: Counter() for p in compiled}
    for case, result in zip(cases, results, strict=True):
        for f in result.stances:
            folded = fold(f.evidence)
            outcome = "tp" if case.labels.get(f.municipality_code) == f.stance.value else "fp"
            for p, regex in compiled.items():
                if regex.search(folded):
                    out[p][outcome] += 1
    return out


def selected_topic(topic: Topic, counts: dict[str, Counter[str]]) -> Topic:
    """The topic with only the entries that have support (and are not more often wrong than right)."""
    cues: list[CueSpec] = []
    for cue in topic.cues:
        kept = tuple(p for p in cue.patterns if counts[p]["tp"] >= 1 and counts[p]["fp"] <= counts[p]["tp"])
        if kept:
            cues.append(replace(cue, patterns=kept))
    return replace(topic, cues=tuple(cues))


def halves(cases: Sequence[RealCase]) -> tuple[list[int], list[int]]:
    """Indices of two halves with no outlet (source host) in both, balanced by labelled stances."""
    by_host: dict[str, list[int]] = {}
    for i, case in enumerate(cases):
        by_host.setdefault(case.host, []).append(i)
    weight = {h: sum(1 + len(cases[i].labels) for i in idx) for h, idx in by_host.items()}
    a: list[int] = []
    b: list[int] = []
    wa = wb = 0
    for host in sorted(by_host, key=lambda h: (-weight[h], h)):
        if wa <= wb:
            a += by_host[host]
            wa += weight[host]
        else:
            b += by_host[host]
            wb += weight[host]
    return sorted(a), sorted(b)


# --- report ----------------------------------------------------------------------------------------


def fmt(value: float | None) -> str:
    return f"{value:.3f}" if value is not None else "  -  "


def print_scores(scores: Scores, indent: str = "  ") -> None:
    print(f"{indent}{'label':<10} {'precision':>9} {'recall':>7}   (tp fp fn)")
    for label in ("topic", *LABELS):
        print(f"{indent}{label:<10} {fmt(scores.precision(label)):>9} {fmt(scores.recall(label)):>7}   "
              f"({scores.tp[label]} {scores.fp[label]} {scores.fn[label]})")


def print_calibration(findings: Sequence[tuple[str, float, bool]], thresholds: dict[str, float]) -> None:
    table = calibration(findings)
    print("  confidence band   declined (n, precision)   accepted (n, precision)   neutral (n, precision)")
    for i in range(len(BANDS)):
        cells = []
        for stance in LABELS:
            n, ok = table.get((stance, i), (0, 0))
            cells.append(f"{n:>4}  {fmt(ok / n) if n else '  -  '}")
        print(f"  {band_name(i):<16}  {cells[0]:<24}  {cells[1]:<24}  {cells[2]}")
    for stance, threshold in thresholds.items():
        above = [ok for s, c, ok in findings if s == stance and c >= threshold]
        below = [ok for s, c, ok in findings if s == stance and c < threshold]
        print(f"  {stance} at/above the default review threshold {threshold:.2f}: {len(above)} findings, "
              f"precision {fmt(sum(above) / len(above)) if above else '  -  '}; below (held for review): "
              f"{len(below)}, of them correct {sum(below)}")


def print_cross_validation(cases: Sequence[RealCase], results: Sequence[AnalysisResult], topic: Topic,
                           registry: Registry) -> None:
    a, b = halves(cases)
    print(f"\ncross-validated (split by outlet: half A {len(a)} texts from "
          f"{len({cases[i].host for i in a})} hosts, half B {len(b)} texts from {len({cases[i].host for i in b})} hosts)")
    own = load_own()
    own_results = run(own, topic, registry)
    own_counts = support(topic, own, own_results)
    total_full, total_fitted, total_held, total_own = Scores(), Scores(), Scores(), Scores()
    for train, test, name in ((a, b, "A -> B"), (b, a, "B -> A")):
        train_cases = [cases[i] for i in train]
        train_results = [results[i] for i in train]
        test_cases = [cases[i] for i in test]
        counts = support(topic, train_cases, train_results)
        fitted = selected_topic(topic, counts)
        kept = sum(len(c.patterns) for c in fitted.cues)
        fitted_results = run(test_cases, fitted, registry)
        with_own = selected_topic(topic, {p: counts[p] + own_counts[p] for p in counts})
        own_scores = score(test_cases, run(test_cases, with_own, registry))
        _merge(total_own, own_scores)
        thresholds = fitted_thresholds(graded(train_cases, train_results))
        full = score(test_cases, [results[i] for i in test])
        sel = score(test_cases, fitted_results)
        held = score(test_cases, fitted_results, thresholds)
        _merge(total_full, full)
        _merge(total_fitted, sel)
        _merge(total_held, held)
        print(f"  {name}: lexicon entries with support in the training half {kept} of {len(entries(topic))} "
              f"(with the own cases {sum(len(c.patterns) for c in with_own.cues)}); "
              f"thresholds fitted: " + ", ".join(f"{s} {t:.2f}" for s, t in thresholds.items()))
        for label in ("topic", "declined", "accepted"):
            print(f"    {label:<9} full lexicon P/R {fmt(full.precision(label))}/{fmt(full.recall(label))}   "
                  f"fitted lexicon {fmt(sel.precision(label))}/{fmt(sel.recall(label))}   "
                  f"fitted lexicon + thresholds {fmt(held.precision(label))}/{fmt(held.recall(label))}   "
                  f"fitted on half + own cases {fmt(own_scores.precision(label))}/{fmt(own_scores.recall(label))}")
        train_cal = calibration(graded(train_cases, train_results))
        test_cal = calibration(graded(test_cases, [results[i] for i in test]))
        drift = [f"{band_name(i)} {s}: {fmt(train_cal[(s, i)][1] / train_cal[(s, i)][0])} -> "
                 f"{fmt(test_cal[(s, i)][1] / test_cal[(s, i)][0])}"
                 for s in ("declined", "accepted") for i in range(len(BANDS))
                 if (s, i) in train_cal and (s, i) in test_cal]
        print("    calibration train -> held out: " + ("; ".join(drift) or "no band in both"))
    print("  both directions pooled (each text scored once, by the model of the other half):")
    for label in ("topic", "declined", "accepted"):
        print(f"    {label:<9} full lexicon P/R {fmt(total_full.precision(label))}/{fmt(total_full.recall(label))}   "
              f"fitted lexicon {fmt(total_fitted.precision(label))}/{fmt(total_fitted.recall(label))}   "
              f"fitted lexicon + thresholds {fmt(total_held.precision(label))}/{fmt(total_held.recall(label))}   "
              f"fitted on half + own cases {fmt(total_own.precision(label))}/{fmt(total_own.recall(label))}")


def _merge(total: Scores, part: Scores) -> None:
    total.tp.update(part.tp)
    total.fp.update(part.fp)
    total.fn.update(part.fn)


def print_misses(cases: Sequence[RealCase], results: Sequence[AnalysisResult]) -> None:
    print("\nmisses and false findings:")
    for case, result in zip(cases, results, strict=True):
        found = {f.municipality_code: f for f in result.stances}
        lines = []
        if case.mentions_topic != bool(result.mentions):
            lines.append(f"    topic: expected {case.mentions_topic}")
        for code in sorted(set(found) | set(case.labels)):
            want, got = case.labels.get(code), found.get(code)
            if got is not None and got.stance.value == want:
                continue
            if got is None:
                lines.append(f"    FN {code} {want}")
            else:
                lines.append(f"    FP {got.municipality} {got.stance.value} (want {want}) [{got.confidence:.2f}] "
                             f"«{' '.join(got.evidence.split())[:200]}»")
        for c in result.candidates:
            lines.append(f"    candidate {c.municipality} {c.stance.value if c.stance else '-'} [{c.confidence:.2f}] "
                         f"{c.reason}: «{' '.join(c.evidence.split())[:160]}»")
        if lines:
            print(f"  {case.file} ({case.host})")
            print("\n".join(lines))


def report(path: Path, misses: bool = False, cross_validate: bool = True) -> None:
    registry, topic = Registry.load(), load_topic()
    cases, skipped = load_real(path, registry)
    results = run(cases, topic, registry)
    print(f"\nreal corpus: {path} ({len(cases)} texts, {sum(len(c.labels) for c in cases)} labelled stances; "
          "each file read and analysed as `kommunvakt analyze FILE --json` does, without an owner)")
    print_scores(score(cases, results))
    stated, found, contradictions = table_view(cases, results)
    print(f"  table view: {found} of {stated} (municipality, stance) pairs found at least once; "
          f"{len(contradictions)} municipalities given a contradicting stance"
          + (": " + "; ".join(contradictions) if contradictions else ""))
    per_text = per_text_contradictions(cases, results)
    print(f"  findings contradicting the text's own label: {len(per_text)}" + (": " + "; ".join(per_text) if per_text
                                                                             else ""))
    if skipped:
        print(f"  labels for names that are no municipality (left out): {', '.join(skipped)}")
    thresholds = {s.value: t for s, t in DEFAULT_REVIEW_THRESHOLDS.items()}
    print("\ncalibration on the real corpus (findings per confidence band and their precision):")
    print_calibration(graded(cases, results), thresholds)
    held = score(cases, results, thresholds)
    print("  alerted without review (findings at/above the default thresholds): " + ", ".join(
        f"{label} P/R {fmt(held.precision(label))}/{fmt(held.recall(label))}" for label in ("declined", "accepted")))
    candidates = sum(len(r.candidates) for r in results)
    print(f"\nreview candidates: {candidates} in {len(cases)} texts = {candidates / len(cases):.3f} per text "
          f"(target <= 0.333); held findings below the thresholds: "
          f"{sum(1 for r in results for f in r.stances if f.confidence < thresholds.get(f.stance.value, 0))}")
    if cross_validate:
        print_cross_validation(cases, results, topic, registry)
    if misses:
        print_misses(cases, results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=REAL)
    parser.add_argument("--misses", action="store_true", help="list misses, false findings and candidates")
    parser.add_argument("--no-cv", action="store_true", help="skip the cross-validation")
    args = parser.parse_args(argv)
    if not args.path.is_file():
        print(f"real corpus: not found at {args.path} (skipped)")
        return 0
    report(args.path, args.misses, not args.no_cv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
