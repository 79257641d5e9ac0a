"""Whole-word regexes: the fast forms match exactly what the plain alternation matches."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.analysis.normalise import fold_in_place
from monitor.analysis.patterns import compile_words, word_pattern

# First letters plain and Swedish (a class in the folded view), optional groups, a lookbehind tail.
PATTERN_SETS = [
    ("inte", "ej", "icke", "aldrig", "ännu", "än", "även", "yet", "so far"),
    (r"yrka\w*", "jag föreslår", "vi föreslår", r"reserv\w*"),
    ("kan", "kunde", "skulle", "skulle kunna", "could", "can", "might", "may", "would"),
    (r"(?:säger|sa|sade) nej", "åter", r"t\.ex\.?", "nej"),
]
WORDS = sorted({w for patterns in PATTERN_SETS for p in patterns for w in re.findall(r"[a-zåäö]+", p)})
TEXTS = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from([" ", "\n", ",", ".", "&", "x", "-", "6", "Å"])),
                 max_size=14).map(lambda pieces: fold_in_place("".join(pieces)))
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.sampled_from(PATTERN_SETS), TEXTS, st.integers(0, 60), st.integers(0, 60))
def test_compile_words_matches_as_the_plain_alternation(patterns, text: str, a: int, b: int) -> None:
    fast, plain = compile_words(patterns), re.compile(word_pattern(patterns))
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    for regex_call in ("finditer", "search", "match", "fullmatch"):
        found = getattr(fast, regex_call)(text, start, end)
        expected = getattr(plain, regex_call)(text, start, end)
        if regex_call == "finditer":
            assert [m.span() for m in found] == [m.span() for m in expected]
        else:
            assert (found and found.span()) == (expected and expected.span())


def test_compile_words_opens_with_the_first_characters() -> None:
    """What makes it fast: `re` can skip to the characters the words open with."""
    assert not compile_words(("inte", "ännu")).pattern.startswith("(?<!")
    assert compile_words(("inte", "ännu")).search("kinte inte").span() == (6, 10)
