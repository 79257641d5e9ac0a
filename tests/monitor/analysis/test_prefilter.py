"""The Hyperscan prefilter: the matches found through it are exactly the matches `re` finds alone."""

from __future__ import annotations

import copy
import pickle
import re
import threading
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.analysis import analyze, clean_text, load_topic
from monitor.analysis import prefilter as prefilter_module
from monitor.analysis.normalise import fold_in_place
from monitor.analysis.patterns import compile_groups
from monitor.analysis.prefilter import UnsupportedPattern, prefilter, reversed_superset, superset
from monitor.analysis.text import TextShape
from monitor.analysis.topic import Topic
from monitor.municipalities import Registry
from tests.support.seeds import SEEDS

TOPIC = load_topic()
SEED_TEXTS = {path.name: path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))}
KEYS = {"term": TOPIC.term_regex, "cue": TOPIC.cue_regex, "near_miss": TOPIC.near_miss_regex,
        "other_referent": TOPIC.other_referent_regex}
# The words of the topic's own patterns, so that random text is full of near and whole matches.
WORDS = sorted({w for regex in KEYS.values() if regex for p in regex.patterns for w in re.findall(r"[a-z]{2,}", p)})
PIECES = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from([" ", " ", " ", "\n", "\n\n", ", ", ". ", "(", ")", "-", "”", "&", "6", "0", "å", "ä", "ö",
                     "Å", "É", "ß", "东", "'", ":", "\u00a0", "\t", "  ", "nej", "ja", "inte", "har", "the"]),
)
TEXTS = st.lists(PIECES, max_size=60).map("".join)
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _both_ways(regex, folded: str, starts: list[int], start: int = 0, end: int | None = None):
    return list(regex.hits(folded, start, end, starts)), list(regex.hits(folded, start, end))


def test_the_shipped_topic_has_a_prefilter() -> None:
    assert TOPIC.prefilter is not None
    assert set(TOPIC.prefilter.keys) == {"term", "cue", "near_miss", "other_referent"}


@SETTINGS
@given(TEXTS, st.integers(0, 400), st.integers(0, 400))
def test_random_text_gives_the_same_matches_with_and_without_the_prefilter(text: str, a: int, b: int) -> None:
    folded = fold_in_place(text)
    found = TOPIC.prefilter.starts(folded)
    start, end = min(a, b, len(folded)), min(max(a, b), len(folded))
    for key, regex in KEYS.items():
        whole, plain = _both_ways(regex, folded, found[key])
        assert whole == plain, key
        window, plain_window = _both_ways(regex, folded, found[key], start, end)
        assert window == plain_window, (key, start, end)


def test_seed_texts_give_the_same_matches_with_and_without_the_prefilter() -> None:
    for text in SEED_TEXTS.values():
        folded = fold_in_place(clean_text(text))
        found = TOPIC.prefilter.starts(folded)
        for key, regex in KEYS.items():
            via, plain = _both_ways(regex, folded, found[key])
            assert via == plain, key
    assert any(TOPIC.prefilter.starts(fold_in_place(t))["cue"] for t in SEED_TEXTS.values())


@pytest.mark.parametrize("text, expected", [
    ("tackar nej", ["tackar nej"]),  # at the very start of the text
    ("de tackade nej, nej tack", ["tackade nej", "nej tack"]),
    ("vi har inte nej tack", []),  # the lookbehind in the pattern: re has the last word
    ("s&ger nej till det", ["s&ger nej"]),  # OCR damage for "ä"
    ("sägernej, xsäger nej", []),  # never inside a word
    ("säger    nej", ["säger    nej"]),  # a space in a pattern is any run of whitespace
    ("säger\nnej", ["säger\nnej"]),
])
def test_hand_made_patterns(text: str, expected: list[str]) -> None:
    regex = compile_groups([["tacka\\w*+ nej", "(?<!inte\\s)nej tack"], ["säger nej"]])
    own = prefilter({"k": regex.patterns})
    folded = fold_in_place(text)
    via, plain = _both_ways(regex, folded, own.starts(folded)["k"])
    assert via == plain
    assert [folded[a:b] for a, b, _ in via] == [fold_in_place(e) for e in expected]


def test_a_match_inside_the_match_before_is_skipped_as_re_skips_it() -> None:
    regex = compile_groups([["nej tack nej"], ["tack"]])
    own = prefilter({"k": regex.patterns})
    folded = "nej tack nej tack"
    via, plain = _both_ways(regex, folded, own.starts(folded)["k"])
    assert via == plain == [(0, 12, 0), (13, 17, 1)]


def test_rewriting_drops_assertions_and_spells_classes_out() -> None:
    assert superset("(?<!inte )nej") == r"nej"
    assert superset(r"a\w*+b") == "a" + superset(r"\w") + "*b"
    assert re.fullmatch(superset(r"\w"), "ß") and not re.fullmatch(superset(r"\w"), "&")  # as re sees them
    assert superset("(?:ab|c)?d") == "(?:ab|c)?d"
    assert reversed_superset("(?:ab|c)?de") == "ed(?:ba|c)?"
    assert superset("x{,3}") == "x{0,3}"


def test_a_pattern_the_rewriting_does_not_know_leaves_the_alternation_to_re() -> None:
    with pytest.raises(UnsupportedPattern):
        superset(r"(a)\1")
    assert prefilter({"k": [r"(a)\1", "nej"]}) is None


def test_without_hyperscan_there_is_no_prefilter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefilter_module, "hyperscan", None)
    assert prefilter({"k": ["nej"]}) is None


def test_analysis_is_the_same_without_the_prefilter() -> None:
    registry = Registry.load()
    plain = replace(TOPIC)  # a new Topic: its prefilter is built on first use
    plain.__dict__["prefilter"] = None
    assert isinstance(plain, Topic) and plain.prefilter is None
    for text in SEED_TEXTS.values():
        text = clean_text(text)
        assert repr(analyze(text, TOPIC, registry)) == repr(analyze(text, plain, registry))


def test_threads_scan_with_their_own_scratch_space() -> None:
    folded = fold_in_place(" ".join(SEED_TEXTS.values()))
    expected = TOPIC.prefilter.starts(folded)
    results: list[bool] = []

    def scan() -> None:
        results.extend(TOPIC.prefilter.starts(folded) == expected for _ in range(20))

    threads = [threading.Thread(target=scan) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [True] * 80


def test_a_text_shape_keeps_the_starts_it_was_scanned_for() -> None:
    shape = TextShape("Kiruna tackar nej till återvandring.", fold_in_place("Kiruna tackar nej till återvandring."))
    first = TOPIC.starts(shape, "cue")
    assert first and TOPIC.starts(shape, "cue") is first


def test_a_topic_with_its_prefilter_can_be_copied_and_pickled() -> None:
    folded = fold_in_place("Kiruna tackar nej till samordnaren för återvandring.")
    expected = TOPIC.prefilter.starts(folded)
    for other in (pickle.loads(pickle.dumps(TOPIC)), copy.deepcopy(TOPIC)):
        assert other.prefilter is not TOPIC.prefilter
        assert other.prefilter.starts(folded) == expected and expected["cue"]
