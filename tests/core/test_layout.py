"""The layout of docs/adr/0013-apps-by-capability.md, guarded: apps import only the apps below
them, no two modules import each other (directly or round a ring), and the product never imports
the sandbox portal. Imports inside functions count: a lazy import is still a dependency."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Each app may import the apps of a lower rank, never one of its rank or above.
RANKS = {
    "agencies": 0,
    "inventories": 1,
    "accounts": 1,
    "access_plans": 2,
    "sharing": 2,
    "publishing": 3,
    "privacy": 4,
    "upkeep": 4,
    "catalog": 5,
    "program": 5,
    "operations": 6,  # health, logs, metrics: reads publishing's runs and routing (ADR 0024)
}
# Configuration and wiring (settings, URLs, the Celery app) sit above every app.
WIRING = "ctodp"
SANDBOX = "sandbox_portal"
PACKAGES = [*RANKS, WIRING, SANDBOX]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _runtime_nodes(tree: ast.AST):
    """Every node, except under `if TYPE_CHECKING:` (annotations only, never imported)."""
    pending = [tree]
    while pending:
        node = pending.pop()
        yield node
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            pending.extend(node.orelse)
            continue
        pending.extend(ast.iter_child_nodes(node))


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    """The project modules `module` imports, anywhere in its body."""
    targets: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, node, path.name == "__init__.py")
            # `from pkg import mod` imports pkg.mod when that is a module, else pkg itself.
            names = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
            ]
        else:
            continue
        for name in names:
            # The longest project module the name starts with (a.b.c → a.b when c is a class).
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                targets.add(name)
    return targets


def _graph() -> dict[str, set[str]]:
    sources = _sources()
    known = set(sources)
    return {module: _imports(module, path, known) for module, path in sources.items()}


def _app(module: str) -> str:
    return module.split(".")[0]


def test_the_sources_are_found():
    graph = _graph()
    assert {"publishing.services", "privacy.services", "upkeep.retirement"} <= set(graph)
    assert "upkeep.retirement" in graph["upkeep.tasks"]  # a relation the checks below rely on


def test_apps_import_only_the_apps_below_them():
    wrong = []
    for module, targets in _graph().items():
        app = _app(module)
        if app in (WIRING, SANDBOX):
            continue
        for target in targets:
            other = _app(target)
            if other in (app, SANDBOX):
                continue
            if other == WIRING or RANKS[other] >= RANKS[app]:
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_the_product_never_imports_the_sandbox_and_the_sandbox_no_app():
    graph = _graph()
    into_sandbox = [
        f"{m} imports {t}"
        for m, targets in graph.items()
        if _app(m) != SANDBOX
        for t in targets
        if _app(t) == SANDBOX
    ]
    out_of_sandbox = [
        f"{m} imports {t}"
        for m, targets in graph.items()
        if _app(m) == SANDBOX
        for t in targets
        if _app(t) != SANDBOX
    ]
    assert into_sandbox == []
    assert out_of_sandbox == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_round_a_ring():
    # A package's __init__ re-exporting its own modules is not a ring of dependencies.
    graph = {
        module: {t for t in targets if not module.startswith(t + ".")}
        for module, targets in _graph().items()
    }
    assert _cycles(graph) == []


def test_the_ring_finder_finds_a_ring():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
