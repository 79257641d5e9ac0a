"""The labelled case table (tests/fixtures/cases/stance_cases.jsonl): every case must hold."""

from __future__ import annotations

import json

import pytest

from monitor.analysis import analyze
from tests.support.seeds import CASES

ROWS = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_table_covers_enough() -> None:
    assert len(ROWS) >= 100
    assert sum(row["near_miss"] for row in ROWS) >= 30
    assert {row["language"] for row in ROWS} == {"sv", "en"}
    assert {row["kind"] for row in ROWS} == {"press", "protocol"}


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_case(row: dict, topic, registry) -> None:
    result = analyze(row["text"], topic, registry, owner_code=row["owner"])
    assert bool(result.mentions) == row["mentions_topic"]
    assert {s.municipality_code: s.stance.value for s in result.stances} == row["stances"]
    evidence = {s.municipality_code: s.evidence for s in result.stances}
    for code, shown in row.get("evidence", {}).items():
        assert shown in evidence[code], f"{code}: the evidence shown is {evidence[code]!r}"
    if "municipalities" in row:
        assert set(result.municipalities) == set(row["municipalities"])
    if row["near_miss"]:
        assert not result.stances
