"""The architecture, kept by tests: only ``fireside.adapter`` imports MkDocs or Material, and
no two modules of ``fireside`` or ``fireside_sync`` import each other in a cycle."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import fireside
import fireside_sync

PACKAGES = {"fireside": Path(next(iter(fireside.__path__))),
            "fireside_sync": Path(next(iter(fireside_sync.__path__)))}
ENGINE = ("mkdocs", "material")
#: ``python -m fireside_sync``, like ``fireside.commands``, reads ``mkdocs.yml`` through the
#: adapter.
ENTRY_POINTS = frozenset({"fireside_sync.__main__"})


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package, root in PACKAGES.items():
        for path in sorted(root.rglob("*.py")):
            parts = [package, *path.relative_to(root).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    """Every module that ``module`` imports when it runs (functions included, but not
    ``if TYPE_CHECKING:`` blocks), as names: ``fireside.core.site``, ``mkdocs.config``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for branch in node.orelse:
                visit(branch)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in known)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def test_only_the_adapter_imports_mkdocs_or_material() -> None:
    modules = _modules()
    offenders = sorted(
        f"{module} imports {name}"
        for module, path in modules.items() if not module.startswith("fireside.adapter")
        for name in _imports(module, path, set(modules))
        if name.split(".")[0] in ENGINE)
    assert offenders == []


def test_only_the_entry_points_import_the_adapter() -> None:
    modules = _modules()
    offenders = sorted(
        f"{module} imports {name}"
        for module, path in modules.items()
        if not module.startswith(("fireside.adapter", "fireside.commands"))
        and module not in ENTRY_POINTS
        for name in _imports(module, path, set(modules)) if name.startswith("fireside.adapter"))
    assert offenders == []


def test_core_packages_load_without_mkdocs_in_a_fresh_interpreter() -> None:
    core = [m for m in _modules() if not m.startswith("fireside.adapter")
            and m not in ENTRY_POINTS and not m.startswith("fireside.commands")]
    assert {"fireside.core.settings", "fireside.editor.server", "fireside.publish.pipeline",
            "fireside_sync.cli", "fireside_sync.runner"} <= set(core)
    script = (
        "import importlib, json, sys\n"
        "loaded = {}\n"
        f"for name in {core!r}:\n"
        "    importlib.import_module(name)\n"
        "    engine = sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material'))\n"
        "    if engine:\n"
        "        loaded[name] = engine[:3]\n"
        "        break\n"
        "print(json.dumps(loaded))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    assert json.loads(done.stdout) == {}, "this module pulled in MkDocs (first offender)"


def test_no_import_cycles() -> None:
    modules = _modules()
    known = set(modules)
    graph = {m: sorted(n for n in _imports(m, p, known) if n in known and n != m)
             for m, p in modules.items()}
    # A package's __init__ runs before its modules; importing ``a.b`` imports ``a`` too.
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in graph[node]:
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target):], target])
            elif target not in state:
                walk(target)
        stack.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module)
    assert cycles == []


def test_every_expected_failure_is_a_fireside_error() -> None:
    import importlib
    import inspect

    from fireside.core.errors import FiresideError

    #: Raised and caught inside the package, never shown: the registry's link parser and the
    #: path confinement report through ``Problem``s (and sync's ``ThreadReferenceError``).
    #: Private classes (``_ShapeError`` becomes ``SnapshotError``) are internal too.
    internal = {"fireside.discussions.platforms.ReferenceProblem",
                "fireside.core.safepaths.UnsafePath"}
    outside: list[str] = []
    for module in _modules():
        loaded = importlib.import_module(module)
        for name, value in vars(loaded).items():
            if (inspect.isclass(value) and issubclass(value, Exception)
                    and value.__module__ == module and f"{module}.{name}" not in internal
                    and not name.startswith("_")
                    and not issubclass(value, FiresideError)):
                outside.append(f"{module}.{name}")
    assert outside == []
