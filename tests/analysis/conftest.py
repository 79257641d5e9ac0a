"""Fixtures for the analysis tests: the shipped topic and registry, and the fixture folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.analysis import load_topic
from monitor.analysis.topic import Topic
from monitor.municipalities import Registry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEEDS = FIXTURES / "seeds"
CASES = FIXTURES / "cases" / "stance_cases.jsonl"


@pytest.fixture(scope="session")
def topic() -> Topic:
    return load_topic()


@pytest.fixture(scope="session")
def registry() -> Registry:
    return Registry.load()
