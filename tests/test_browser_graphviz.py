"""The in-browser Graphviz path of the notebooks, exercised natively with stand-ins for Pyodide's
``pyodide.code``/``pyodide.ffi``/``js`` modules and the site's ``kfunc_explorer_viz`` wheel."""

from __future__ import annotations

import asyncio
import sys
import types
from collections.abc import Iterator
from typing import Any

import pytest

from explorer.notebook import browser_graphviz as bg
from explorer.notebook import render


class FakeViz:
    def __init__(self) -> None:
        self.sources: list[str] = []

    def renderString(self, source: str, opts: Any) -> str:
        assert opts == {"format": "svg"}
        if "syntax error" in source:
            raise RuntimeError("Error: syntax error in line 1\nmore")
        self.sources.append(source)
        return '<?xml version="1.0"?>\n<svg><g class="node"><text>x</text></g></svg>'


@pytest.fixture()
def pyodide(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Iterator[dict[str, Any]]:
    """A fake Pyodide: ``run_sync`` resolves the load at once unless ``state['jspi']`` is False."""
    state: dict[str, Any] = {"jspi": True, "viz": FakeViz(), "loaded_src": None}
    loop = asyncio.new_event_loop()
    future: asyncio.Future[Any] = loop.create_future()

    def loader(src: str) -> asyncio.Future[Any]:
        state["loaded_src"] = src
        return future

    def run_sync(awaitable: Any) -> Any:
        if not state["jspi"]:
            raise RuntimeError("Cannot run_sync: no JSPI")
        future.set_result(state["viz"])
        return state["viz"]

    pkg = tmp_path / "kfunc_explorer_viz"
    pkg.mkdir()
    (pkg / "__init__.py").write_text('VERSION = "3.31.0"\nESM = "viz.js"\n')
    (pkg / "viz.js").write_text("export async function instance() {}")
    monkeypatch.syspath_prepend(str(tmp_path))
    code = types.ModuleType("pyodide.code")
    code.run_js = lambda js: loader  # type: ignore[attr-defined]
    ffi = types.ModuleType("pyodide.ffi")
    ffi.run_sync = run_sync  # type: ignore[attr-defined]
    ffi.to_js = lambda d, dict_converter=None: d  # type: ignore[attr-defined]
    js = types.ModuleType("js")
    js.Object = types.SimpleNamespace(fromEntries=dict)  # type: ignore[attr-defined]
    for name, mod in (("pyodide", types.ModuleType("pyodide")), ("pyodide.code", code),
                      ("pyodide.ffi", ffi), ("js", js)):
        monkeypatch.setitem(sys.modules, name, mod)
    monkeypatch.setattr(sys, "platform", "emscripten")
    monkeypatch.setattr(bg, "_S", bg._State())
    monkeypatch.setattr(asyncio, "ensure_future", lambda f: f)
    monkeypatch.setattr(render, "dot_available", lambda: False)
    render.render_dot.cache_clear()
    state["future"] = future
    yield state
    render.render_dot.cache_clear()
    loop.close()


def test_native_python_is_not_the_browser() -> None:
    assert not bg.in_browser()
    bg.start()  # a no-op outside Pyodide
    assert bg._S.promise is None


def test_diagram_renders_in_the_browser(pyodide: dict[str, Any]) -> None:
    r = render.render_dot('digraph { node [fontname="monospace"]; a [fontname=sans]; a }')
    assert r.svg is not None and r.svg.startswith("<svg") and r.hint == ""
    assert pyodide["loaded_src"] == "export async function instance() {}"
    # Generic fonts become the PostScript fonts whose metrics Graphviz knows (no clipped labels).
    assert pyodide["viz"].sources == ['digraph { node [fontname="Courier"]; a '
                                      '[fontname="Helvetica"]; a }']
    assert "<svg" in render.Diagram("digraph { a }", "t")._repr_html_()


def test_bad_dot_gives_a_one_line_hint(pyodide: dict[str, Any]) -> None:
    r = render.render_dot("digraph { syntax error }")
    assert r.svg is None
    assert r.hint == "Graphviz (in the browser) refused the diagram: Error: syntax error in line 1"
    assert "DOT source" in r.html()


def test_without_jspi_a_hint_until_loaded_then_redrawn(pyodide: dict[str, Any]) -> None:
    pyodide["jspi"] = False
    redrawn: list[str] = []
    bg.when_ready(lambda: redrawn.append("cache cleared"))
    r = render.render_dot("digraph { a }")
    assert r.svg is None and r.hint == bg.LOADING_HINT
    assert render.render_dot("digraph { a }") is r  # cached meanwhile ...
    bg.when_ready(render.render_dot.cache_clear)
    pyodide["future"].set_result(pyodide["viz"])
    bg._loaded(pyodide["future"])
    assert redrawn == ["cache cleared"]
    assert render.render_dot("digraph { a }").svg is not None  # ... and redrawn once loaded


def test_a_site_without_graphviz_says_so(pyodide: dict[str, Any],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "kfunc_explorer_viz", None)
    r = render.render_dot("digraph { a }")
    assert r.svg is None and r.hint == bg.MISSING_HINT
