"""The interpreter's modules import one another without circles, function-local imports
included: a circle held together by an import inside a function breaks as soon as someone
moves that import to the top (or imports the modules in another order)."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import texts

ROOT = Path(texts.__file__).parent
EXTENSION = "texts.interpreter.amml"
"""The atomistic extension is a plug-in that the core loads on first use (it registers its
rules then); its modules import the core, so they are left out of the core's graph."""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, package: str, modules: set[str]) -> set[str]:
    """The modules of ``modules`` that ``path`` imports anywhere in its code (imports for
    type checkers only do not run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            node.body = []
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            names = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names
            ]
        else:
            continue
        found.update(name for name in names if name in modules)
    return found


def test_the_interpreter_has_no_import_circle() -> None:
    paths = {
        module_name(path): path
        for path in (ROOT / "interpreter").rglob("*.py")
        if not module_name(path).startswith(EXTENSION)
    }
    modules = set(paths)
    graph = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        # a package importing its own modules is how packages are made, not a circle
        graph[name] = {m for m in imports(path, package, modules) if not name.startswith(m + ".")}
    assert "texts.interpreter.evaluation.boundary" in graph["texts.interpreter.evaluation.core"]
    try:
        order = list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        raise AssertionError(f"import circle: {' -> '.join(error.args[1])}") from None
    assert len(order) == len(modules)
