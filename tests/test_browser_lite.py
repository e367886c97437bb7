"""The static JupyterLite site in headless Chromium, offline: lessons 01 and 06 run in Pyodide.

The test builds the site itself (``./dev.sh lite`` into a temporary directory; its downloads are
cached in ``build/lite-work``, so only a first build needs npm and PyPI), serves it on 127.0.0.1,
opens each lesson, runs all cells, steps, goes back and picks a thread in a live explorer, and
checks the widgets and a Graphviz SVG drawn in the browser. Chromium resolves no other host and
every request is recorded: one to anywhere but 127.0.0.1 fails the test.

Skips with a reason where Debian's Chromium or Playwright is missing, or where the site cannot be
built because npm or the package index is unreachable. ``KX_LITE_SITE=DIR`` tests a built site.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "lite"))

from browser import (  # noqa: E402  (lite/ is not a package)
    CHROMIUM,
    CHROMIUM_ARGS,
    Visit,
    new_page,
    open_notebook,
    run_all,
    step_of,
    wait_step,
)
from serve import serve_in_thread  # noqa: E402

BUILD_TIMEOUT = 1200  # a first build installs the build tools; later ones take under a minute
pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="playwright for Python is not installed")
    prebuilt = os.environ.get("KX_LITE_SITE")
    if prebuilt:
        assert (Path(prebuilt) / "index.html").is_file(), f"KX_LITE_SITE={prebuilt}: no site"
        return Path(prebuilt)
    out = tmp_path_factory.mktemp("lite") / "site"
    try:
        p = subprocess.run([str(ROOT / "dev.sh"), "lite", "--out", str(out)], cwd=ROOT,
                           capture_output=True, text=True, timeout=BUILD_TIMEOUT,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"./dev.sh lite took over {BUILD_TIMEOUT} s")
    lines = [ln for ln in p.stderr.splitlines() if ln.strip()]
    if p.returncode == 3:  # npm or the package index unreachable: nothing to test here
        pytest.skip(f"the static site cannot be built here: {lines[-1] if lines else '?'}")
    assert p.returncode == 0, "\n".join(lines[-10:])
    return out


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    srv, base = serve_in_thread(site)
    try:
        yield base
    finally:
        srv.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60_000)
        try:
            yield b
        finally:
            b.close()


def test_the_site_is_whole(site: Path) -> None:
    """The notebooks are the repository's, unchanged; the kernel preloads our wheel only from
    the site, with no fallback to a package index."""
    import json

    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        assert (site / "files" / nb.name).read_bytes() == nb.read_bytes(), nb.name
    cfg = json.loads((site / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = cfg["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["disablePyPIFallback"] is True
    assert kernel["loadPyodideOptions"]["packages"] == ["kfunc-explorer"]
    assert kernel["pyodideUrl"].startswith("./")
    lock = json.loads((site / "static" / "pyodide" / "pyodide-lock.json").read_text())
    for name in ("kfunc-explorer", "kfunc-explorer-viz", "ipywidgets", "markdown-it-py"):
        assert (site / "static" / "pyodide" / lock["packages"][name]["file_name"]).is_file()


@pytest.mark.parametrize("notebook", ["01-table.ipynb", "06-race.ipynb"])
def test_lesson_runs_offline_in_the_browser(served: str, browser: Any, notebook: str,
                                            tmp_path: Path) -> None:
    visit = Visit()
    page = new_page(browser, visit)
    shot = tmp_path / f"{notebook}.png"
    try:
        t0 = time.perf_counter()
        open_notebook(page, served, notebook, visit)
        run_all(page, visit, t0)
        _check_outputs(page)
        _drive_an_explorer(page)
        page.screenshot(path=str(shot))
    except Exception:
        page.screenshot(path=str(tmp_path / f"failure-{notebook}.png"))
        raise
    finally:
        page.context.close()
    print(f"{notebook}: " + ", ".join(f"{k} {v:.1f} s" for k, v in visit.timings.items()))
    assert visit.requests, "no requests recorded"
    assert not visit.foreign(), f"requests left 127.0.0.1: {visit.foreign()[:5]}"


def _check_outputs(page: Any) -> None:
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']")
    assert errors.count() == 0, errors.first.inner_text()[:2000]
    stderr = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert stderr.count() == 0, stderr.first.inner_text()[:2000]
    assert page.locator(".jp-OutputArea-output .widget-button").count() >= 5
    assert page.locator(".jp-OutputArea-output .widget-tab").count() >= 1
    hints = [h.inner_text() for h in page.locator(".kx-hint").all()]
    assert not hints, f"diagrams fell back to DOT text: {hints[:3]}"
    svg = page.locator(".jp-OutputArea-output .kx-diagram svg").first
    assert svg.locator("g.node").count() >= 1, "the diagram has no nodes"
    assert "Courier" in svg.inner_html() or svg.locator("text").count() >= 1


def _drive_an_explorer(page: Any) -> None:
    """In the notebook's last live explorer: step ▶, ◀ back, then a thread's own button."""
    cell = page.locator(".jp-CodeCell").filter(
        has=page.locator(".widget-button", has_text="step ▶")).last
    cell.scroll_into_view_if_needed()
    n = step_of(cell)
    cell.locator(".widget-button", has_text="step ▶").first.click()
    wait_step(page, cell, n + 1)
    cell.locator(".widget-button", has_text="◀ back").first.click()
    wait_step(page, cell, n)
    thread = cell.locator(".widget-button:not([disabled])", has_text=": ").first
    label = thread.inner_text()
    thread.click()
    wait_step(page, cell, n + 1)
    assert label.strip()[0].isupper(), f"not a thread button: {label!r}"
