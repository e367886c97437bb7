"""The package's import graph: no module imports itself back through others (no import circles),
whether the import runs at start-up, lazily inside a function or only for type checking."""

from __future__ import annotations

import grimp


def _import_cycles(package: str) -> list[list[str]]:
    """Strongly connected components (more than one module) of the module import graph."""
    g = grimp.build_graph(package)
    mods = sorted(g.modules)
    edges = {m: sorted(g.find_modules_directly_imported_by(m)) for m in mods}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:  # Tarjan; the graph has ~100 nodes, recursion is fine
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for m in mods:
        if m not in index:
            visit(m)
    return out


def test_no_import_cycles() -> None:
    assert _import_cycles("explorer") == []
