"""The layers of DESIGN.md, checked on the source: a change that breaks one fails here.

The import graph (tests/support/imports.py) includes imports inside functions, so a circle or a layer
break cannot hide in a function body.  Each rule is a function from a graph to its violations; the
synthetic graphs at the end show that every rule reports what it should.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.support.imports import ImportGraph, import_graph, in_package

# The ground every package stands on: nothing in it imports storage, alerts, crawler or monitor's upper floors.
GROUND = ("monitor.domain", "monitor.config", "monitor.municipalities", "monitor.logs", "monitor.press_feeds",
          "monitor.analysis")
UPPER_FLOORS = ("storage", "alerts", "crawler", "monitor.app", "monitor.commands", "monitor.cli")
# What storage may import of monitor: the domain, and the config where it must.
STORAGE_MAY_USE = ("monitor.domain", "monitor.config")
# Rendering an alert is pure: no SQLAlchemy, no storage, in them or in anything they import.
ALERT_RENDERING = ("alerts.render", "alerts.labels", "alerts.markup", "alerts.templating", "alerts.attribution")
HEAVY = ("scrapy", "twisted", "pdfminer", "trafilatura")


def _under(module: str, prefixes) -> bool:
    return any(in_package(module, p) for p in prefixes)


def ground_violations(graph: ImportGraph) -> list[str]:
    return [f"{m} imports {t}" for m in sorted(graph.internal) if _under(m, GROUND)
            for t in sorted(graph.internal[m]) if _under(t, UPPER_FLOORS)]


def storage_violations(graph: ImportGraph) -> list[str]:
    return [f"{m} imports {t}" for m in sorted(graph.internal) if in_package(m, "storage")
            for t in sorted(graph.internal[m])
            if not in_package(t, "storage") and not _under(t, STORAGE_MAY_USE)]


def rendering_violations(graph: ImportGraph) -> list[str]:
    found = []
    for start in ALERT_RENDERING:
        for m in sorted(graph.reachable(start)):
            if "sqlalchemy" in graph.external[m] or in_package(m, "storage"):
                found.append(f"{start} reaches {m}, which is storage or imports sqlalchemy")
    return found


def monitor_crawler_violations(graph: ImportGraph) -> list[str]:
    return [f"{m} imports {t}" for m in sorted(graph.internal) if in_package(m, "monitor")
            for t in sorted(graph.internal[m])
            if in_package(t, "crawler") and not in_package(t, "crawler.extraction")]


def extraction_violations(graph: ImportGraph) -> list[str]:
    roots = [m for m in graph.internal if in_package(m, "crawler.extraction")]
    return sorted({f"crawler.extraction reaches {m}, which imports {', '.join(sorted(heavy))}"
                   for root in roots for m in graph.reachable(root)
                   if (heavy := graph.external[m] & {"scrapy", "twisted"})})


RULES = [ground_violations, storage_violations, rendering_violations, monitor_crawler_violations,
         extraction_violations]


@pytest.fixture(scope="module")
def graph() -> ImportGraph:
    return import_graph()


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.__name__)
def test_the_layers_hold(graph, rule):
    assert rule(graph) == []


def test_no_import_circles_not_even_inside_functions(graph):
    assert graph.cycles() == []


def test_the_graph_sees_the_whole_project(graph):
    assert {"monitor.cli", "monitor.app.daemon", "monitor.domain", "crawler.run", "crawler.extraction.extractor",
            "storage.outbox", "alerts.render"} <= set(graph.internal)
    assert "crawler.extraction.extractor" in graph.internal["monitor.app.files"]  # a function-level import too:
    assert "crawler.extraction.reread" in graph.internal["monitor.commands.reread"]


def test_the_daemon_and_the_cli_load_no_scrapy_pdfminer_or_trafilatura():
    """`kommunvakt run` and every command's start-up: the crawl is a child's business, extraction a command's."""
    probe = textwrap.dedent(f"""
        import sys
        import monitor.cli, monitor.app.daemon, monitor.app.rounds
        from monitor.cli import build_parser
        build_parser()
        print(",".join(sorted(m for m in {HEAVY!r} if m in sys.modules)))
    """)
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == ""


# --- every rule reports a violation -------------------------------------------------------------


def _graph(edges: dict[str, set[str]], external: dict[str, set[str]] | None = None) -> ImportGraph:
    modules = set(edges) | {t for targets in edges.values() for t in targets}
    return ImportGraph({m: set(edges.get(m, ())) for m in modules},
                       {m: set((external or {}).get(m, ())) for m in modules})


@pytest.mark.parametrize(("rule", "edges", "external"), [
    (ground_violations, {"monitor.analysis.stance": {"storage.repository"}}, None),
    (ground_violations, {"monitor.domain": {"monitor.app.service"}}, None),
    (storage_violations, {"storage.outbox": {"alerts.routing"}}, None),
    (storage_violations, {"storage.outbox": {"monitor.app.clock"}}, None),
    (rendering_violations, {"alerts.render": {"alerts.labels"}, "alerts.labels": {"alerts.rows"}},
     {"alerts.rows": {"sqlalchemy"}}),
    (monitor_crawler_violations, {"monitor.app.files": {"crawler.spiders.protocols"}}, None),
    (extraction_violations, {"crawler.extraction.pdf": {"crawler.failures"}}, {"crawler.failures": {"scrapy"}}),
], ids=lambda value: getattr(value, "__name__", None) or "")
def test_a_rule_reports_its_violation(rule, edges, external):
    base = {m: set() for m in ALERT_RENDERING}
    assert rule(_graph({**base, **edges}, external)) != []


def test_a_circle_hidden_in_a_function_is_found(tmp_path):
    package = tmp_path / "demo"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from demo.b import helper\n")
    (package / "b.py").write_text("def helper():\n    from demo.a import x  # only at run time\n    return x\n")
    (package / "c.py").write_text("import sqlalchemy\n")
    graph = import_graph(tmp_path, ["demo"])
    assert graph.cycles() == [["demo.a", "demo.b"]]
    assert graph.external["demo.c"] == {"sqlalchemy"}


def test_no_test_module_imports_another_test_module():
    """Shared test code lives in tests/support/; test modules and conftests are nobody's library."""
    graph = import_graph(packages=["tests"])
    imported = {f"{m} imports {t}" for m, targets in graph.internal.items() for t in targets
                if t.rpartition(".")[2].startswith(("test_", "conftest"))}
    assert imported == set()
