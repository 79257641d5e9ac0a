"""Where the analysis tests find their fixtures."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEEDS = FIXTURES / "seeds"
CASES = FIXTURES / "cases" / "stance_cases.jsonl"
