"""The package's shape: module-level imports run one way, and the readers stay below nothing."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "danmark"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PKG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """danmark modules imported at module level (imports inside functions break cycles on purpose)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("danmark"):
                out.add(target)
                out.update(f"{target}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("danmark"))
    return out


def graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PKG.rglob("*.py")}
    return {m: {t for t in _imports(p) if t in modules and t != m} for m, p in modules.items()}


def _cycles(g):
    seen, stack, found = set(), [], []

    def visit(m):
        if m in stack:
            found.append(stack[stack.index(m):] + [m])
            return
        if m in seen:
            return
        seen.add(m)
        stack.append(m)
        for t in sorted(g[m]):
            visit(t)
        stack.pop()

    for m in sorted(g):
        visit(m)
    return found


def test_the_readers_are_in_no_import_circle():
    g = graph()
    cycles = [c for c in _cycles(g) if any(m.startswith("danmark.io") or m == "danmark.table.schema" for m in c)]
    assert cycles == []


def test_the_table_schema_does_not_import_the_readers():
    assert not any(t.startswith("danmark.io") for t in graph()["danmark.table.schema"])


def test_one_module_per_format_each_a_few_hundred_lines():
    for path in (PKG / "io").glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) < 450, path.name


#: layers, lowest first: a module may import (at module level) only from a lower layer or its own package
LAYERS = {
    "errors": 0,
    "_paths": 1, "_validate": 1, "_special": 1, "_versions": 1,
    "table": 2,
    "_units": 3, "io": 3,
    "stats": 4,
    "simulate": 5,
    "plotting": 6, "report": 6,
    "faktaark_html": 6, "faktaark": 7,
    "tables_out": 7,
    "cli": 8, "__main__": 9, "__init__": 10,
}


def _package(module: str) -> str:
    parts = module.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


def test_no_import_circle_anywhere():
    assert _cycles(graph()) == []


def test_imports_run_one_way_errors_table_io_stats_simulate():
    wrong = []
    for module, targets in graph().items():
        for target in targets:
            a, b = _package(module), _package(target)
            if a != b and LAYERS[b] >= LAYERS[a]:
                wrong.append(f"{module} -> {target}")
    assert wrong == []


def test_no_module_over_about_600_lines():
    for path in PKG.rglob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 620, path
