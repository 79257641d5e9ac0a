"""A topic is a data file: the shipped one loads, another file is another topic."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.analysis import analyze, find_mentions, load_topic
from monitor.analysis.topic import CueKind, TopicError
from monitor.domain import Stance

WIND_POWER = """
name = "vindkraft"
title = "Wind power"

[[terms]]
term = "vindkraft"
patterns = ['vindkraft\\w*', 'vindkraftverk\\w*']

[[terms]]
term = "parken"
context_patterns = ['parken']

[[near_misses]]
what = "weather"
patterns = ['vindbyar']

[[cues]]
stance = "declined"
weight = 0.9
patterns = ['säger nej', 'veto\\w*']

[[cues]]
stance = "accepted"
weight = 0.9
patterns = ['säger ja']
"""


def test_shipped_topic_loads(topic) -> None:
    assert topic.name == "atervandring"
    assert {t.term for t in topic.terms} >= {"återvandring", "återvandringsbidrag", "Teresa Zetterblad"}
    assert {c.kind for c in topic.cues} == set(CueKind)
    assert any(c.stance is Stance.NEUTRAL for c in topic.cues)


def test_topic_from_a_path(tmp_path: Path, registry) -> None:
    path = tmp_path / "vindkraft.toml"
    path.write_text(WIND_POWER, encoding="utf-8")
    wind = load_topic(path)
    assert wind.name == "vindkraft"
    result = analyze("Kiruna säger nej till vindkraft i fjällen.", wind, registry)
    assert [(s.municipality_code, s.stance) for s in result.stances] == [("2584", Stance.DECLINED)]


def test_another_topic_does_not_see_this_one(tmp_path: Path) -> None:
    path = tmp_path / "vindkraft.toml"
    path.write_text(WIND_POWER, encoding="utf-8")
    assert find_mentions("Kiruna säger nej till återvandring.", load_topic(path)) == ()


def test_unknown_topic_is_a_clear_error() -> None:
    with pytest.raises(TopicError, match="no topic named 'sjukvard'"):
        load_topic("sjukvard")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("name = ", "TOMLDecodeError"),
        ('name = "x"\n[[terms]]\nterm = "a"\n', "has no patterns"),
        ('name = "x"\n[[cues]]\npatterns = ["nej"]\n', "needs a stance"),
        ('name = "x"\n[[terms]]\nterm = "a"\npatterns = ["(?:unclosed"]\n', "error"),
    ],
)
def test_broken_topic_file_names_the_problem(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TopicError, match=problem):
        load_topic(path)
