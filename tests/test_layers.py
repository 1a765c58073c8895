"""The imports of ``app/`` form no cycle and never go up the layers (issue 17, point 3), read
from the source with ``ast``.

Every ``import`` counts, at the top of a module, inside a function (a lazy import is still a
dependency) or under ``if TYPE_CHECKING:`` (a type is one too). Two graphs are checked for
cycles: between modules, and between the top-level parts of the package (``zhutui.outputs``,
``zhutui.appfile``, …). And each top-level part has its layer (``LAYERS``, as the README's
Development section documents them): a part imports parts of its own layer or below, never
above; a new part must be given its layer here and in the README.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"

# Bottom to top; a part may import its own layer and the layers below (README, Development).
LAYERS: list[set[str]] = [
    # foundation: knows no form
    {"zhutui", "zhutui.errors", "zhutui.paths", "zhutui.diskspace", "zhutui.jsonsafe", "zhutui.winpath",
     "zhutui.normalize", "zhutui.identifiers", "zhutui.yamlio", "zhutui.scanpdf", "zhutui.secretstore",
     "zhutui.workdays", "zhutui.cli_zh", "zhutui.rotate", "zhutui.private", "zhutui.fonts", "zhutui.certificate",
     "zhutui.noticefile", "zhutui.ppocr", "zhutui.ocr", "zhutui.photoscan"},
    # definitions: formats, rule catalogue and rule sets, forms, plans
    {"zhutui.formats", "zhutui.rules", "zhutui.rulesets", "zhutui.formdef", "zhutui.plans", "zhutui.notice",
     "zhutui.confirmations"},
    # the application: file, identity, names, field paths, attachments read
    {"zhutui.appfile", "zhutui.identity", "zhutui.naming", "zhutui.fieldpaths", "zhutui.attachkinds",
     "zhutui.scans", "zhutui.batchpaths", "zhutui.certfile"},
    # the checks
    {"zhutui.checks", "zhutui.status", "zhutui.planfacts"},
    # storage
    {"zhutui.workspace"},
    # outputs
    {"zhutui.outputs", "zhutui.mailpack", "zhutui.bundle"},
    # the pipeline and what runs it
    {"zhutui.pipeline", "zhutui.demo", "zhutui.background", "zhutui.about"},
    # the faces
    {"zhutui.cli", "zhutui.gui", "zhutui.__main__"},
]  # fmt: skip


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


def top(module: str) -> str:
    return ".".join(module.split(".")[:2])


def upward_imports(graph: dict[str, set[str]], layers: list[set[str]] = LAYERS) -> list[str]:
    """Every import of a part of a higher layer than the importer's, as ``a -> b``."""
    rank = {part: n for n, layer in enumerate(layers) for part in layer}
    return sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        for target in targets
        if rank.get(top(target), len(layers)) > rank.get(top(module), -1)
    )


def test_no_import_cycle_between_modules():
    assert cycles(import_graph()) == set()


def test_no_import_cycle_between_packages():
    assert cycles(package_graph(import_graph())) == set()


def test_every_part_has_its_layer():
    parts = set(package_graph(import_graph()))
    assert parts - set().union(*LAYERS) == set(), "give the new part its layer here and in the README"
    assert set().union(*LAYERS) - parts == set(), "a part that is gone: strike it from LAYERS and the README"


def test_no_import_goes_up_the_layers():
    assert upward_imports(import_graph()) == []


def test_the_layers_are_the_readmes():
    readme = (APP.parent / "README.md").read_text(encoding="utf-8")
    for part in set().union(*LAYERS) - {"zhutui", "zhutui.__main__"}:
        assert f"`{part.removeprefix('zhutui.')}`" in readme, part


def test_the_reader_sees_an_import_that_goes_up(tmp_path):
    (tmp_path / "appfile.py").write_text("def f():\n    from zhutui.gui import window\n", encoding="utf-8")
    (tmp_path / "gui").mkdir()
    (tmp_path / "gui" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "gui" / "window.py").write_text("from zhutui import appfile\n", encoding="utf-8")
    graph = import_graph(tmp_path)
    assert upward_imports(graph) == ["zhutui.appfile -> zhutui.gui.window"]
    assert cycles(graph) == {frozenset({"zhutui.appfile", "zhutui.gui.window"})}


def test_the_reader_sees_a_cycle_a_lazy_import_makes(tmp_path):
    (tmp_path / "a.py").write_text("from zhutui import b\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("def f():\n    from zhutui.a import g\n", encoding="utf-8")
    (tmp_path / "c.py").write_text("from zhutui import a\n", encoding="utf-8")
    assert cycles(import_graph(tmp_path)) == {frozenset({"zhutui.a", "zhutui.b"})}
