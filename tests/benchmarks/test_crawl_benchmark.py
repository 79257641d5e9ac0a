"""benchmarks/crawl.py at a small scale, to keep it working: its invariants, not its timings.

Seven sites (one per platform shape), crawled by the real `crawler.run` children, analysed, alerts
dispatched to a real webhook: a re-crawl with nothing changed downloads no PDF, a re-crawl after 1% of
the documents changed downloads and analyses only those, and their stance-change alerts arrive.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "crawl.py"


def load_benchmark():
    spec = importlib.util.spec_from_file_location("kommunvakt_crawl_benchmark", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_crawl_benchmark_keeps_its_invariants(tmp_path: Path) -> None:
    bench = load_benchmark()

    result = bench.run_benchmark(sites=7, protocols=3, pages=2, workers=2, work_dir=tmp_path / "work",
                                 cache_dir=tmp_path / "pdfs")

    assert result.sites == 7 and result.first.failed_sources == []
    assert result.first.documents_new == 21 and result.first.pdf_bodies == 21
    assert result.unchanged.failed_sources == [] and result.unchanged.pdf_bodies == 0
    assert result.unchanged.documents_new == 0 and result.unchanged.analysed == 0
    assert len(result.changed_expected) == 1
    assert result.changed.pdf_urls == result.changed_expected
    assert result.changed.analysed == 1
    assert result.alerts_expected == 1 and result.alerts_received == 1
    printed = bench.table(result)
    assert "pipeline / raw extraction" in printed and "FAILED" not in printed
