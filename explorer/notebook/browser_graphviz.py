"""Graphviz in the browser: the diagrams' SVG where there is no ``dot`` program (JupyterLite).

In Pyodide (``sys.platform == "emscripten"``) the kernel runs in a web worker with no processes to
start. The static site (``./dev.sh lite``) ships ``kfunc_explorer_viz``, a small wheel carrying
``@viz-js/viz`` — Graphviz compiled to WebAssembly — as package data. :func:`start` loads that ES
module into the worker (from a blob URL, so nothing is fetched from anywhere) and
:func:`render_svg` asks it for SVG, the same SVG ``dot -Tsvg`` gives natively.

Loading is asynchronous. The first render waits for it with :func:`pyodide.ffi.run_sync` where the
browser can suspend WebAssembly (JSPI: Chromium, recent Firefox); elsewhere it returns a hint until
Graphviz is ready, and :func:`when_ready` callbacks redraw what showed the hint.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from importlib.resources import files
from typing import Any

VIZ_PACKAGE = "kfunc_explorer_viz"
LOADING_HINT = "Graphviz is still loading in the browser: the diagram appears on the next step"
MISSING_HINT = ("Graphviz for the browser is missing from this site (kfunc_explorer_viz): "
                "rebuild it with ./dev.sh lite")
_GENERIC_FONTS = {"monospace": "Courier", "sans": "Helvetica", "sans-serif": "Helvetica",
                  "serif": "Times"}
"""Generic font families as the PostScript fonts whose metrics Graphviz-in-WebAssembly knows: it
sizes text in any other font with Times' metrics, which clips monospace labels. The SVG then names
both (``font-family="Courier,monospace"``)."""
_FONTNAME = re.compile(r'fontname\s*=\s*"?(monospace|sans-serif|sans|serif)"?')
_LOADER_JS = """(src) => {
  const url = URL.createObjectURL(new Blob([src], {type: "text/javascript"}));
  return import(url).then((m) => m.instance()).finally(() => URL.revokeObjectURL(url));
}"""


class _State:
    promise: Any = None
    instance: Any = None
    error: str = ""
    waiters: list[Callable[[], None]]

    def __init__(self) -> None:
        self.waiters = []


_S = _State()


def in_browser() -> bool:
    """True under Pyodide (JupyterLite), where there is no ``dot`` program to run."""
    return sys.platform == "emscripten"


def start() -> None:
    """Begin loading Graphviz (once, in the browser only); returns at once."""
    if _S.promise is not None or _S.error or not in_browser():
        return
    try:
        import kfunc_explorer_viz  # type: ignore[import-not-found]
    except ImportError:
        _S.error = MISSING_HINT
        return
    try:
        import asyncio

        from pyodide.code import run_js  # type: ignore[import-not-found]

        src = (files(VIZ_PACKAGE) / kfunc_explorer_viz.ESM).read_text(encoding="utf-8")
        _S.promise = run_js(_LOADER_JS)(src)
        asyncio.ensure_future(_S.promise).add_done_callback(_loaded)
    except Exception as e:  # a browser without module workers, a broken site
        _S.error = f"Graphviz could not start in the browser: {_first_line(e)}"


def _first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]


def _loaded(fut: Any) -> None:
    try:
        if _S.instance is None:
            _S.instance = fut.result()
    except Exception as e:
        _S.error = f"Graphviz could not start in the browser: {_first_line(e)}"
    waiters, _S.waiters = _S.waiters, []
    for callback in waiters:
        callback()


def ready(wait: bool = True) -> bool:
    """Whether Graphviz is loaded; with ``wait``, block for it where the browser allows."""
    start()
    if _S.instance is None and wait and _S.promise is not None and not _S.error:
        try:
            from pyodide.ffi import run_sync

            _S.instance = run_sync(_S.promise)
        except Exception:  # no JSPI here, or not on a suspendable stack: show the hint
            pass
    return _S.instance is not None


def when_ready(callback: Callable[[], None]) -> None:
    """Call ``callback`` once Graphviz is loaded (at once if it is)."""
    if not in_browser():
        return
    if ready(wait=False):
        callback()
    elif not _S.error:
        _S.waiters.append(callback)


def render_svg(source: str) -> tuple[str | None, str]:
    """``(svg, "")``, or ``(None, hint)`` while Graphviz loads or when the DOT is refused."""
    if not ready():
        return None, _S.error or LOADING_HINT
    try:
        import js  # type: ignore[import-not-found]
        from pyodide.ffi import to_js

        opts = to_js({"format": "svg"}, dict_converter=js.Object.fromEntries)
        dot = _FONTNAME.sub(lambda m: f'fontname="{_GENERIC_FONTS[m.group(1)]}"', source)
        return str(_S.instance.renderString(dot, opts)), ""
    except Exception as e:
        return None, f"Graphviz (in the browser) refused the diagram: {_first_line(e)}"
