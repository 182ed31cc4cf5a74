"""The package's layers: no import cycle (counting imports inside functions and under
TYPE_CHECKING), and reports that never reach the loaders, the cache or the session."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "budget2024"

#: What reports/ may never import: they receive data that is already valid.
FORBIDDEN_IN_REPORTS = ("budget2024.load", "budget2024.cache", "budget2024.yamlsource", "budget2024.session",
                        "budget2024.figures", "budget2024.followup_load", "budget2024.fastyaml")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "site-packages" not in p.parts}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every package module ``name`` imports, wherever in the file the import stands."""
    is_package = path.name == "__init__.py"
    package = name if is_package else name.rpartition(".")[0]
    out: set[str] = set()

    def add(target: str) -> None:
        while target and target not in known:  # `from .x import y`: y may be a name in x
            target = target.rpartition(".")[0]
        if target and target != name:
            out.add(target)

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("budget2024"):
                    add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if not mod.startswith("budget2024"):
                continue
            for alias in node.names:
                full = f"{mod}.{alias.name}"
                add(full if full in known else mod)
    return out


def graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """The graph's strongly connected components of more than one module (each holds a cycle), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(g.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp: list[str] = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return sorted(out)


#: Cycles that other parts of issue 13 are cutting as this test lands, and who: remove an entry when it
#: is cut (the test fails on any cycle not listed here, and on an entry that is no longer a cycle).
KNOWN: dict[frozenset[str], str] = {
    frozenset({"budget2024.cli", "budget2024.filteropts", "budget2024.commands.committee"}):
        "part 13c (shared options: filteropts imports cli.fail and commands.committee._fail_report)",
}


def test_the_graph_sees_imports_inside_functions_and_type_checking_blocks() -> None:
    g = graph()
    assert "budget2024.session" in g["budget2024.cli"]  # imported inside load_ledger
    assert "budget2024.views" in g["budget2024.keyfigures"]  # under TYPE_CHECKING
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_package_has_no_import_cycle() -> None:
    found = cycles(graph())
    new = [c for c in found if frozenset(c) not in KNOWN]
    assert not new, "import cycles: " + "; ".join(" ↔ ".join(c) for c in new)
    gone = [owner for c, owner in KNOWN.items() if sorted(c) not in found]
    assert not gone, f"no longer a cycle, remove it from KNOWN: {gone}"


def test_reports_import_nothing_that_reads_files() -> None:
    bad = {f"{name} imports {target}" for name, targets in graph().items() if name.startswith("budget2024.reports")
           for target in targets if target.startswith(FORBIDDEN_IN_REPORTS)}
    assert not bad, sorted(bad)
