"""The imports of ``app/`` form no cycle (issue 17, point 3), read from the source with ``ast``.

Every ``import`` counts, at the top of a module or inside a function (a lazy import is still a
dependency). Two graphs are checked: between modules, and between the top-level parts of the
package (``zhutui.outputs``, ``zhutui.appfile``, …). The cycles that are still there are listed
below, exactly: a new cycle, or a module joining one, fails; so does a listed cycle that is gone
(strike it from the list). The list only shrinks, to empty.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"

KNOWN_MODULE_CYCLES = {
    frozenset({"zhutui.workspace.appfiles", "zhutui.workspace.store"}),
    frozenset({"zhutui.mailpack.body", "zhutui.mailpack.names", "zhutui.mailpack.package"}),
    frozenset({"zhutui.bundle.cli", "zhutui.cli", "zhutui.gui.main", "zhutui.gui.window", "zhutui.mailpack.cli"}),
}
KNOWN_PACKAGE_CYCLES = {
    frozenset(
        {
            "zhutui.about",
            "zhutui.background",
            "zhutui.bundle",
            "zhutui.cli",
            "zhutui.demo",
            "zhutui.gui",
            "zhutui.mailpack",
            "zhutui.outputs",
            "zhutui.workspace",
        }
    ),
}


def module_name(path: Path, root: Path = APP) -> str:
    parts = ["zhutui", *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path = APP) -> dict[str, set[str]]:
    """Module → the modules of the package it imports (``from zhutui.x import y`` is ``zhutui.x.y``
    when that is a module, else ``zhutui.x``)."""
    modules = {module_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*up, base] if base else up)
                targets = [f"{base}.{alias.name}" for alias in node.names]
                graph[name].update(t if t in modules else base for t in targets)
            elif isinstance(node, ast.Import):
                graph[name].update(alias.name for alias in node.names)
        graph[name] = {t for t in graph[name] if t in modules and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[frozenset[str]] = set()

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.add(frozenset(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for v in list(graph):
            if v not in index:
                visit(v)
    finally:
        sys.setrecursionlimit(limit)
    return found


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    def top(module: str) -> str:
        return ".".join(module.split(".")[:2])

    out: dict[str, set[str]] = {}
    for module, targets in graph.items():
        out.setdefault(top(module), set()).update(top(t) for t in targets if top(t) != top(module))
    return out


def test_no_new_import_cycle_between_modules():
    assert cycles(import_graph()) == KNOWN_MODULE_CYCLES


def test_no_new_import_cycle_between_packages():
    assert cycles(package_graph(import_graph())) == KNOWN_PACKAGE_CYCLES


def test_the_reader_sees_a_cycle_a_lazy_import_makes(tmp_path):
    (tmp_path / "a.py").write_text("from zhutui import b\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("def f():\n    from zhutui.a import g\n", encoding="utf-8")
    (tmp_path / "c.py").write_text("from zhutui import a\n", encoding="utf-8")
    assert cycles(import_graph(tmp_path)) == {frozenset({"zhutui.a", "zhutui.b"})}
