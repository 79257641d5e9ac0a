"""Where the tests find their fixtures, and the seed texts several tests publish."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = FIXTURES / "seeds"
CASES = FIXTURES / "cases" / "stance_cases.jsonl"
# Vaggeryd's answer to an interpellation: declines the coordinator (a protocol a fixture site publishes).
VAGGERYD_SEED = SEEDS / "protocol-sv-vaggeryd-interpellationssvar-atervandring.txt"
