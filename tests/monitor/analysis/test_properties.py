"""Properties that hold for any text: no crash, offsets valid, quotes verbatim."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.analysis import analyze, clean_text, find_mentions, load_topic
from monitor.analysis.normalise import fold_in_place
from monitor.municipalities import Registry

TOPIC = load_topic()
REGISTRY = Registry.load()
# Text made of the pieces that matter, so that random text often contains terms, names and cues.
PIECES = st.sampled_from([
    "återvandring", "åter-\nvandring", "&tervandring", "frivillig", "samordnaren", "Teresa Zetterblad",
    "voluntary return", "remigration", "tackar nej", "säger ja", "nej tack", "declined", "accepted", "inte",
    "Kiruna", "Göteborgs stad", "Gothenburg", "Mark", "Ale kommun", "Region Kalmar län", "Boden", "vi", "SD",
    "Reservation", "motionen avslås", "§ 12", "samma besked", "?", ".", ",", " ", "\n", "\n\n", "–", "”",
    "\u00ad", "\ufb01", "\u00a0", "\t", "İ", "ß", "東", "\x00",
    "kommun-\noch", "år-\ndet", "bjuda in samordnaren", "samordnare för hemlöshet", "åter- vandring",
])
TEXTS = st.one_of(st.text(), st.lists(PIECES, max_size=40).map("".join))
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXTS)
def test_clean_text_never_fails_and_is_stable(text: str) -> None:
    cleaned = clean_text(text)
    assert "\r" not in cleaned and "\u00ad" not in cleaned and "\n\n\n" not in cleaned
    assert clean_text(cleaned) == cleaned


@SETTINGS
@given(TEXTS)
def test_fold_keeps_length(text: str) -> None:
    assert len(fold_in_place(text)) == len(text)


@SETTINGS
@given(TEXTS)
def test_mentions_point_into_the_text(text: str) -> None:
    for mention in find_mentions(text, TOPIC):
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start:mention.end] == mention.matched
        assert mention.snippet in text


@SETTINGS
@given(TEXTS, st.sampled_from([None, "0180", "2584", "1463"]))
def test_analysis_quotes_the_text(text: str, owner: str | None) -> None:
    result = analyze(text, TOPIC, REGISTRY, owner_code=owner)
    for finding in result.stances:
        start = finding.evidence_start
        assert text[start:start + len(finding.evidence)] == finding.evidence and finding.evidence
        assert 0 <= finding.confidence <= 1
        assert finding.municipality_code in result.municipalities
    if not result.mentions:
        assert result.stances == ()


@SETTINGS
@given(TEXTS, st.integers(0, 60), st.integers(0, 60))
def test_alternation_spans_find_what_the_regex_finds(text: str, cut_start: int, cut_end: int) -> None:
    """The fast scan (`Alternation.spans`) finds exactly the matches of the regex with named groups."""
    folded = fold_in_place(text)
    start, end = min(cut_start, len(folded)), max(len(folded) - cut_end, 0)
    for alternation in (TOPIC.term_regex, TOPIC.cue_regex, TOPIC.actor_regex, TOPIC.near_miss_regex,
                        TOPIC.other_referent_regex):
        expected = [m.span() for m in alternation.regex.finditer(folded, start, end)]
        assert list(alternation.spans(folded, start, end)) == expected


@SETTINGS
@given(st.lists(st.sampled_from(["kommun", "stats", "för", "år", "skol"]), min_size=1, max_size=4),
       st.sampled_from(["och", "eller", "samt", "som", "till", "det", "att", "vi"]), st.sampled_from(["", " ", "\t"]))
def test_a_hyphen_before_a_conjunction_or_pronoun_is_never_joined(words: list[str], word: str, space: str) -> None:
    text = " ".join(words) + "-" + space + "\n" + word + " regionnivå"
    assert f"-\n{word} " in clean_text(text)



def _without_tails(groups: list[list[str]]):  # noqa: ANN202 - the Alternation of the trie before the change
    from monitor.analysis import patterns

    tails = patterns._tails
    patterns._tails = lambda whole, keyed: {}
    try:
        return patterns.compile_groups(groups)
    finally:
        patterns._tails = tails


_CUE_GROUPS = [list(c.patterns) for c in TOPIC.cues]
_CUES_BEFORE = _without_tails(_CUE_GROUPS)
_MISSES_BEFORE = _without_tails([[p for n in TOPIC.near_misses for p in n.patterns]])


@SETTINGS
@given(st.lists(st.sampled_from(['"', "no", "nej", " ", "interest", "interested", "no interest meeting", "talks",
                                 "tack", "not", "x", "\n", "-", '"no interest', "plans to meet", "inte", "åter", "vandring",
                                 "vandringsled", "&ter", "återvandring"]),
                max_size=12).map("".join))
def test_a_pattern_with_an_optional_first_character_matches_as_before(text: str) -> None:
    """`"?no interest` goes last into the trie's branches for '"' and 'n', `(?<!åter\\s)vandring` into the one
    for 'v', instead of being tried at every word start: the same matches (and cues) as before."""
    folded = fold_in_place(text)
    before = [(s, e, _CUES_BEFORE.group_at(folded, s)) for s, e in _CUES_BEFORE.spans(folded)]
    assert [(s, e, TOPIC.cue_regex.group_at(folded, s)) for s, e in TOPIC.cue_regex.spans(folded)] == before
    assert TOPIC.cue_regex.regex.pattern != _CUES_BEFORE.regex.pattern  # the tails are in use
    misses = TOPIC.near_miss_regex
    assert misses is not None and misses.regex.pattern != _MISSES_BEFORE.regex.pattern
    assert list(misses.spans(folded)) == list(_MISSES_BEFORE.spans(folded))
