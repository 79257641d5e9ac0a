"""The project's import graph, read from the source (AST) including imports inside functions and
`if TYPE_CHECKING:` blocks, for the layer test (tests/test_layers.py)."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("monitor", "storage", "alerts", "crawler")


@dataclass
class ImportGraph:
    """Module -> the names it imports: `internal` (modules of the project), `external` (top-level packages)."""

    internal: dict[str, set[str]] = field(default_factory=dict)
    external: dict[str, set[str]] = field(default_factory=dict)

    def reachable(self, start: str) -> set[str]:
        seen, todo = {start}, [start]
        while todo:
            for target in self.internal[todo.pop()]:
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        return seen

    def cycles(self) -> list[list[str]]:
        """Every strongly connected component of more than one module (or a module importing itself)."""
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        stack: list[str] = []
        on_stack: set[str] = set()
        found: list[list[str]] = []

        def visit(module: str) -> None:
            index[module] = low[module] = len(index)
            stack.append(module)
            on_stack.add(module)
            for target in self.internal[module]:
                if target not in index:
                    visit(target)
                    low[module] = min(low[module], low[target])
                elif target in on_stack:
                    low[module] = min(low[module], index[target])
            if low[module] == index[module]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == module:
                        break
                if len(component) > 1 or module in self.internal[module]:
                    found.append(sorted(component))

        for module in sorted(self.internal):
            if module not in index:
                visit(module)
        return found

    def depth(self, prefix: str) -> int:
        """Modules on the longest import chain among the modules under `prefix` (no cycles assumed)."""
        memo: dict[str, int] = {}

        def level(module: str) -> int:
            if module not in memo:
                memo[module] = 0  # guards against cycles
                inside = [t for t in self.internal[module] if in_package(t, prefix)]
                memo[module] = 1 + max(map(level, inside), default=0)
            return memo[module]

        return max((level(m) for m in self.internal if in_package(m, prefix)), default=0)


def in_package(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def module_files(root: Path = ROOT, packages: Iterable[str] = PACKAGES) -> dict[str, tuple[Path, bool]]:
    """Dotted module name -> (file, is a package's __init__); Alembic's migrations are left out."""
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if "migrations" in parts:
                continue
            is_package = parts[-1] == "__init__"
            found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def import_graph(root: Path = ROOT, packages: Iterable[str] = PACKAGES) -> ImportGraph:
    files = module_files(root, packages)
    graph = ImportGraph()
    for module, (path, is_package) in files.items():
        names = list(_imported_names(module, is_package, ast.parse(path.read_text(encoding="utf-8"))))
        graph.internal[module] = {t for name in names if (t := _resolve(name, files)) and t != module}
        graph.external[module] = {name.split(".")[0] for name in names if _resolve(name, files) is None}
    return graph


def _imported_names(module: str, is_package: bool, tree: ast.Module) -> Iterable[str]:
    for node in ast.walk(tree):  # every import, at module level or inside a function
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _from_base(module, is_package, node)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _from_base(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".") if is_package else module.split(".")[:-1]
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join(parts + ([node.module] if node.module else []))


def _resolve(name: str, files: dict) -> str | None:
    """The project module a dotted name lives in (`a.b.C` -> `a.b`), None outside the project."""
    while name:
        if name in files:
            return name
        name = name.rpartition(".")[0]
    return None
