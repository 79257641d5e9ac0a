"""How fast near-duplicate detection of press texts is (monitor.analysis.duplicates): a report, not a test.

    .venv/bin/python benchmarks/press_stories.py [--articles 2000] [--words 600]

Builds synthetic articles of --words words (a shuffled Swedish vocabulary, so texts do not overlap),
then prints: the time to sign one article (shingles + MinHash), the time to compare one new article
with every stored copy of the story window (--articles candidates), and how many false matches the
comparison found among unrelated articles (must be 0).  Process time on one core.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from monitor.analysis.duplicates import best_match, signature  # noqa: E402
from monitor.domain import StoryCandidate  # noqa: E402

VOCABULARY = ("kommun återvandring samordnare regeringen inbjudan möte beslut fullmäktige styrelsen nämnd "
              "ordförande oppositionen budget skola vård omsorg bostäder trafik bro väg hamn flyg tåg buss "
              "Luleå Kiruna Umeå Skellefteå Malmö Göteborg Stockholm Vaggeryd Jönköping Växjö Kalmar Visby "
              "säger att inte ska kan vill har hade blev blir från till med utan under efter före enligt "
              "miljoner kronor procent år månad vecka dag kväll morgon invånare elever patienter").split()


def article(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(VOCABULARY) + str(rng.randrange(50)) for _ in range(words))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--words", type=int, default=600)
    args = parser.parse_args()
    rng = random.Random(5)
    texts = [article(rng, args.words) for _ in range(args.articles)]

    started = time.process_time()
    signatures = [signature(text) for text in texts]
    per_signature = (time.process_time() - started) / len(texts)
    candidates = [StoryCandidate(i, i, s) for i, s in enumerate(signatures)]

    probes = [signature(article(rng, args.words)) for _ in range(20)]
    started = time.process_time()
    false_matches = sum(best_match(probe, candidates) is not None for probe in probes)
    per_comparison = (time.process_time() - started) / len(probes)

    print(f"articles of {args.words} words; story window of {args.articles} copies")
    print(f"  sign one article:                {per_signature * 1000:8.2f} ms")
    print(f"  compare one with the window:     {per_comparison * 1000:8.2f} ms")
    print(f"  false matches among 20 unrelated: {false_matches}")


if __name__ == "__main__":
    main()
