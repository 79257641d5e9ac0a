"""Fixtures for the analysis tests: the shipped topic and registry."""

from __future__ import annotations

import pytest

from monitor.analysis import load_topic
from monitor.analysis.topic import Topic
from monitor.municipalities import Registry


@pytest.fixture(scope="session")
def topic() -> Topic:
    return load_topic()


@pytest.fixture(scope="session")
def registry() -> Registry:
    return Registry.load()
