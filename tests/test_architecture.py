"""The shape of the code: no import cycles in tracker/, and no door writing rows around the core."""

import ast
from pathlib import Path

from .database import ROOT

PACKAGE = ROOT / "tracker"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the tracker modules it imports, anywhere in it (a function's own imports count too)."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], *([base] if base else [])])
                # `from p import x` imports the module p.x when there is one, else a name of p.
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
            else:
                continue
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_tracker_has_no_import_cycle():
    graph = import_graph()
    assert "tracker.core.edits" in graph["tracker.core.claims"]  # the graph sees relative imports
    assert cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_write_core_knows_nothing_of_the_web():
    """Core modules take plain values and who acts: no request, no form, no signed-in user."""
    graph = import_graph()
    core = [name for name in graph if name.startswith("tracker.core")]
    for name in core:
        source = (PACKAGE.parent / (name.replace(".", "/") + ".py"))
        source = source if source.exists() else source.with_suffix("") / "__init__.py"
        text = source.read_text(encoding="utf-8")
        for web in ("flask", "flask_login", "flask_wtf", "wtforms", "current_user", "request"):
            assert f"import {web}" not in text and f"from {web} " not in text, (name, web)
        assert not {t for t in graph[name] if t.startswith(("tracker.editor", "tracker.admin", "tracker.auth.views",
                                                            "tracker.forms"))}, name
