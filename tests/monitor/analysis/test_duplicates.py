"""monitor.analysis.duplicates: shingles + MinHash say which press texts are copies of one story."""

from __future__ import annotations

import pytest

from crawler.articles import read_article
from crawler.extraction.extractor import PdfLimits
from monitor.analysis.duplicates import (
    best_match,
    containment,
    jaccard,
    same_story_score,
    shingles,
    signature,
    unseen,
    words,
)
from monitor.domain import AnalysisResult, Authority, Stance, StanceFinding, StoryCandidate
from tests.support.newsroom import FIXTURES, SEED

SEED_TEXT = SEED.read_text(encoding="utf-8")


def page_text(path: str, encoding: str = "utf-8") -> str:
    body = (FIXTURES / "pages" / path).read_bytes()
    return read_article(body, f"http://news.test/{path}", f"text/html; charset={encoding}", PdfLimits()).extraction.text


OTHER_STORY = """Malmö stad har beslutat att inte delta i regeringens satsning på återvandring, skriver Sydsvenskan.
Kommunstyrelsens ordförande säger att frågan om återvandring är statens ansvar och att kommunen
saknar resurser. Oppositionen i Malmö kritiserar beskedet och vill att staden träffar samordnaren.
Regeringen har skickat brev till alla kommuner om frivillig återvandring och väntar på svar från flera."""


def test_words_fold_case_and_diacritics():
    assert words("Umeå SÄGER nej!") == ["umea", "sager", "nej"]
    assert shingles("Umeå säger nej till samordnaren") == shingles("UMEA sager NEJ till samordnaren")


def test_identical_texts_are_one_story():
    first, second = signature(SEED_TEXT), signature(SEED_TEXT)
    assert first == second  # deterministic: the same on every run and machine
    assert jaccard(first, second) == 1.0
    assert same_story_score(first, second) == 1.0


def test_syndicated_copies_of_one_story_match():
    svt = signature(page_text("svt/umea-skelleftea-nej.html"))
    vk = signature(page_text("vk/umea-och-skelleftea.html", "iso-8859-1"))
    norran = signature(page_text("norran/tackar-nej.html"))
    assert same_story_score(svt, vk) >= 0.7  # one added sentence
    assert same_story_score(svt, norran) >= 0.7  # new intro and an added paragraph: mostly contained
    assert containment(svt, norran) > jaccard(svt, norran)


def test_an_update_that_adds_paragraphs_is_the_same_story():
    update = SEED_TEXT + "\n" + "\n".join([
        "Update: Umeå and Skellefteå have since given the same answer, according to TT.",
        "The government says it will publish all the municipalities' answers before the end of the year.",
        "The coordinator is expected to present her first report to the government in the spring.",
        "Several regions have also been asked to take part in the work, the ministry says.",
    ])
    assert same_story_score(signature(SEED_TEXT), signature(update)) >= 0.7


def test_different_stories_on_the_same_topic_stay_apart():
    umea = signature(page_text("svt/umea-skelleftea-nej.html"))
    assert same_story_score(umea, signature(OTHER_STORY)) == 0.0
    assert same_story_score(umea, signature(SEED_TEXT)) == 0.0
    assert jaccard(umea, signature(OTHER_STORY)) < 0.2


def test_short_texts_never_merge():
    short = signature("Kiruna tackar nej.")
    assert same_story_score(short, short) == 0.0
    assert signature("").shingles == 0 and jaccard(signature(""), signature("")) == 0.0


def test_best_match_picks_the_most_similar_copy():
    text = page_text("norran/tackar-nej.html")
    candidates = [
        StoryCandidate(1, 10, signature(SEED_TEXT)),
        StoryCandidate(2, 20, signature(page_text("svt/umea-skelleftea-nej.html"))),
        StoryCandidate(2, 21, signature(text)),
    ]
    match = best_match(signature(text), candidates)
    assert match is not None and (match.story_id, match.document_id) == (2, 21) and match.score == 1.0
    assert best_match(signature(OTHER_STORY), candidates) is None


@pytest.mark.parametrize("seen,left", [(set(), {"2480", "2482"}), ({("2480", Stance.DECLINED)}, {"2482"}),
                                       ({("2480", Stance.ACCEPTED)}, {"2480", "2482"})])
def test_unseen_drops_only_stances_the_story_already_gave(seen, left):
    findings = tuple(StanceFinding(code, code, Stance.DECLINED, 0.9, "nej", 0, Authority.PRESS)
                     for code in ("2480", "2482"))
    result = unseen(AnalysisResult(mentions=(), municipalities=("2480", "2482"), stances=findings), seen)
    assert {f.municipality_code for f in result.stances} == left
    assert result.municipalities == ("2480", "2482")
