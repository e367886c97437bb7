"""Driving the static site in Debian's Chromium (Playwright): shared by the browser test and the
benchmark. Chromium resolves no host but 127.0.0.1, so nothing can leave the machine even by
mistake; every request is recorded so that callers can prove it.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-quic", "--no-first-run", "--disable-component-update",
                 "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
STEP_RE = re.compile(r"step (\d+) of (\d+)")


@dataclass
class Visit:
    """One notebook opened in the site: timings (seconds since ``goto``) and every request."""

    requests: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def foreign(self) -> list[str]:
        """Requests that went anywhere but 127.0.0.1 (blob: and data: URLs stay in the page)."""
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("blob", "data"):
                continue
            if parts.hostname != "127.0.0.1":
                out.append(url)
        return out


def new_page(browser: Any, visit: Visit) -> Any:
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx.on("request", lambda r: visit.requests.append(r.url))
    page = ctx.new_page()
    page.on("worker", lambda w: visit.requests.append(w.url))
    page.set_default_timeout(120_000)
    return page


def open_notebook(page: Any, base: str, notebook: str, visit: Visit) -> None:
    """Open ``notebook`` in the site and wait for a ready (idle) Pyodide kernel."""
    t0 = time.perf_counter()
    page.goto(f"{base}lab/index.html?path={notebook}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
    visit.timings["notebook shown"] = time.perf_counter() - t0
    try:  # the notebooks name the python3 kernel: JupyterLite offers its Pyodide one
        page.wait_for_selector(".jp-Dialog .jp-mod-accept", timeout=15_000)
        page.locator(".jp-Dialog .jp-mod-accept").first.click()
    except Exception:  # no dialog: the kernel was chosen already
        pass
    page.wait_for_selector(".jp-NotebookPanel [data-status='idle']", timeout=180_000)
    visit.timings["kernel ready"] = time.perf_counter() - t0


def run_all(page: Any, visit: Visit, t0: float) -> None:
    """Run ▸ Run All Cells, then wait for widgets, an SVG diagram and an idle kernel."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    page.wait_for_selector(".jp-OutputArea-output .widget-button", timeout=180_000)
    visit.timings["first widget"] = time.perf_counter() - t0
    page.wait_for_selector(".jp-OutputArea-output .kx-diagram svg", timeout=180_000)
    visit.timings["first diagram"] = time.perf_counter() - t0
    last = page.locator(".jp-CodeCell").last
    deadline = time.monotonic() + 180
    while "widget" not in (last.locator(".jp-OutputArea").inner_html() or ""):
        assert time.monotonic() < deadline, "the last cell never showed its widget"
        page.wait_for_timeout(300)
    page.wait_for_selector(".jp-NotebookPanel [data-status='idle']", timeout=180_000)
    visit.timings["all cells run"] = time.perf_counter() - t0


def step_of(cell: Any) -> int:
    text = cell.locator(".widget-html", has_text=STEP_RE).first.inner_text()
    m = STEP_RE.search(text)
    assert m, text
    return int(m.group(1))


def wait_step(page: Any, cell: Any, want: int) -> None:
    deadline = time.monotonic() + 60
    while step_of(cell) != want:
        assert time.monotonic() < deadline, f"the explorer did not reach step {want}"
        page.wait_for_timeout(100)
