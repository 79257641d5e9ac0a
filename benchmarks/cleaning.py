"""How fast `clean_text` cleans text, with and without mojibake to repair: a report, not a test.

    .venv/bin/python benchmarks/cleaning.py [--min-mb 5] [--runs 3]

clean_text runs once per document before it is stored (crawler.extraction.extractor), ahead of the analysis.  ftfy,
which repairs mojibake, is slow; it only runs when a cheap look finds its marks ('Ã', 'Â', 'â€').  Prints MB
(10^6 bytes of UTF-8) per second of process time on one core for long protocols (benchmarks/texts.py) as
they are, and the same protocols as a page decoded twice would give them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import texts  # noqa: E402
from monitor.analysis.normalise import clean_text  # noqa: E402


def decoded_twice(text: str) -> str:
    return "".join(_cp1252(byte) for byte in text.encode("utf-8"))


def _cp1252(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def rate(documents: list[str], runs: int) -> tuple[float, float, float]:
    size = sum(len(d.encode("utf-8")) for d in documents) / 1e6
    rates = []
    for _ in range(runs):
        started = time.process_time()
        for document in documents:
            clean_text(document)
        rates.append(size / (time.process_time() - started))
    return statistics.median(rates), min(rates), max(rates)



def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-mb", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    protocols = texts.protocols([], every=0, seed=3)
    print("clean_text speed (MB/s of process time on one core; median of runs, range):")
    for title, documents in (("long protocols, correct text (~160 kB)", protocols),
                             ("the same, decoded twice (mojibake repaired by ftfy)", [decoded_twice(p) for p in protocols])):
        median, low, high = rate(texts.repeated(documents, args.min_mb), args.runs)
        print(f"  {title:<55} {median:6.1f} MB/s  ({low:.1f}-{high:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
