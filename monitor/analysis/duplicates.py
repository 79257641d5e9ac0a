"""One story, many copies: near-duplicate detection for press texts (pure).

A text becomes the set of its word shingles (runs of SHINGLE_WORDS words, case and diacritics folded);
a MinHash signature of NUM_HASHES minima estimates the Jaccard similarity of two such sets.  Two texts
are copies of one story when the estimate says they share most shingles (JACCARD_THRESHOLD), or when
the shorter is mostly contained in the longer (CONTAINMENT_THRESHOLD: an update that adds paragraphs,
a syndicated copy that cuts some).  Different stories on the same topic share words but rarely runs
of four of them, so they stay apart.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from monitor.domain import AnalysisResult, Stance, StoryCandidate, TextSignature

SHINGLE_WORDS = 4
NUM_HASHES = 64
JACCARD_THRESHOLD = 0.5
CONTAINMENT_THRESHOLD = 0.7
MIN_SHINGLES = 8  # shorter texts (a headline, a one-line summary) are never merged into a story
_PRIME = (1 << 61) - 1
_WORD = re.compile(r"\w+")


def _coefficients(count: int) -> tuple[tuple[int, int], ...]:
    """Fixed (a, b) pairs of the hash family h(x) = (a*x + b) mod p: the same on every machine and run."""
    pairs = []
    for index in range(count):
        digest = hashlib.blake2b(f"kommunvakt-minhash-{index}".encode(), digest_size=16).digest()
        pairs.append((int.from_bytes(digest[:8], "big") % (_PRIME - 1) + 1, int.from_bytes(digest[8:], "big") % _PRIME))
    return tuple(pairs)


_HASHES = _coefficients(NUM_HASHES)


def words(text: str) -> list[str]:
    """Lower-case words without diacritics, so 'Umeå' and 'Umea' (OCR, transliteration) agree."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _WORD.findall(plain)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[int]:
    """The text's word shingles, each as a 64-bit hash."""
    tokens = words(text)
    runs = (" ".join(tokens[i:i + size]) for i in range(max(len(tokens) - size + 1, 1 if tokens else 0)))
    return {int.from_bytes(hashlib.blake2b(run.encode(), digest_size=8).digest(), "big") for run in runs}


def signature(text: str) -> TextSignature:
    values = shingles(text)
    if not values:
        return TextSignature(minima=(), shingles=0)
    minima = tuple(min((a * x + b) % _PRIME for x in values) for a, b in _HASHES)
    return TextSignature(minima=minima, shingles=len(values))


def jaccard(first: TextSignature, second: TextSignature) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets (0.0 when either is empty)."""
    if not first.minima or len(first.minima) != len(second.minima):
        return 0.0
    return sum(a == b for a, b in zip(first.minima, second.minima, strict=True)) / len(first.minima)


def containment(first: TextSignature, second: TextSignature) -> float:
    """Estimated share of the smaller text's shingles that are in the other text."""
    similarity = jaccard(first, second)
    smaller = min(first.shingles, second.shingles)
    if not smaller:
        return 0.0
    shared = similarity * (first.shingles + second.shingles) / (1 + similarity)
    return min(1.0, shared / smaller)


def same_story_score(first: TextSignature, second: TextSignature) -> float:
    """How sure we are that the texts are one story (0 when they are not; otherwise the larger estimate)."""
    if min(first.shingles, second.shingles) < MIN_SHINGLES:
        return 0.0
    similarity, contained = jaccard(first, second), containment(first, second)
    if similarity >= JACCARD_THRESHOLD or contained >= CONTAINMENT_THRESHOLD:
        return max(similarity, contained)
    return 0.0


@dataclass(frozen=True)
class StoryMatch:
    story_id: int
    document_id: int  # the copy it matched best
    score: float


def best_match(text_signature: TextSignature, candidates: Iterable[StoryCandidate]) -> StoryMatch | None:
    """The story whose copy is most like the text, if any is like it enough."""
    best: StoryMatch | None = None
    for candidate in candidates:
        score = same_story_score(text_signature, candidate.signature)
        if score and (best is None or score > best.score):
            best = StoryMatch(candidate.story_id, candidate.document_id, score)
    return best


def unseen(result: AnalysisResult, seen: set[tuple[str, Stance]]) -> AnalysisResult:
    """The result without stances the story has already given (another copy said the same)."""
    fresh = tuple(f for f in result.stances if (f.municipality_code, f.stance) not in seen)
    return AnalysisResult(mentions=result.mentions, municipalities=result.municipalities, stances=fresh)
