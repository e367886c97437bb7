"""JupyterLab in headless Chromium: open a lesson notebook, run all cells, see widgets and an SVG;
then use the explorers as a learner would and assert the exact step each time: paste a shorter
schedule, press prev in the lesson widget, Play at 30 ms/step to the end, pause mid-play.

Skips with a reason when Debian's Chromium (/usr/bin/chromium) or Playwright is missing. JupyterLab
runs on 127.0.0.1 with a random free port and a token, on a COPY of the notebook (so autosave never
writes outputs into the repository), and is always shut down.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from explorer.sim.lessons import Page, load_lessons, reveal

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-quic", "--no-first-run", "--disable-component-update",
                 "--disable-sync"]
NOTEBOOK = "03-bsearch.ipynb"

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture()
def lab(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="playwright for Python is not installed")
    if shutil.which("jupyter-lab") is None and not _has_module("jupyterlab"):
        pytest.skip("jupyterlab is not installed")
    work = tmp_path / "lab"
    work.mkdir()
    shutil.copy(ROOT / "notebooks" / NOTEBOOK, work / NOTEBOOK)
    jpath = tmp_path / "jupyter"
    spec = jpath / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)", "language": "python"}))
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_PATH=str(jpath), PYTHONPATH=str(ROOT),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"))
    log = (tmp_path / "lab.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
         f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
         f"--LabApp.user_settings_dir={tmp_path / 'settings'}",
         *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])],
        cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited: {(tmp_path / 'lab.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start within 60 s")
                time.sleep(0.3)
        yield f"{base}/lab/tree/{NOTEBOOK}?token={token}", tmp_path
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        log.close()


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def test_lesson_notebook_runs_in_jupyterlab(lab: tuple[str, Path]) -> None:
    from playwright.sync_api import sync_playwright

    url, tmp = lab
    shot = Path(os.environ.get("KX_SCREENSHOT", str(tmp / "jupyterlab.png")))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60_000)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(90_000)
            try:
                _run_all_and_check(page, url, shot)
            except Exception:
                page.screenshot(path=str(shot.with_name("failure-" + shot.name)))
                raise
        finally:
            browser.close()


def _run_all_and_check(page: Any, url: str, shot: Path) -> None:
    page.goto(url)
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
    try:  # JupyterLab may ask which kernel to start: accept the preselected python3
        page.wait_for_selector(".jp-Dialog .jp-mod-accept", timeout=10_000)
        page.locator(".jp-Dialog .jp-mod-accept").first.click()
    except Exception:  # no dialog
        pass
    page.wait_for_selector(".jp-NotebookPanel [data-status='idle']", timeout=60_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    page.wait_for_selector(".jp-OutputArea-output .jupyter-widgets", timeout=90_000)
    page.wait_for_selector(".jp-OutputArea-output .widget-button", timeout=90_000)
    page.wait_for_selector(".jp-OutputArea-output svg", timeout=90_000)
    deadline = time.monotonic() + 90  # the last cells: every explorer has rendered
    while page.locator(".jp-OutputArea-output .widget-tab").count() < 3:
        assert time.monotonic() < deadline, "the explorers did not all render"
        page.wait_for_timeout(500)
    assert page.locator(".jp-OutputArea-output [data-mime-type="
                        "'application/vnd.jupyter.error']").count() == 0, "a cell raised"
    assert page.locator(".jp-OutputArea-output svg").count() >= 1
    assert page.locator(".widget-button").count() >= 5
    page.locator(".jp-OutputArea-output .widget-tab").first.scroll_into_view_if_needed()
    page.screenshot(path=str(shot))
    assert shot.exists() and shot.stat().st_size > 10_000
    _start_and_end_draw_their_icons(page, shot)
    _step_exactly(page, shot)


def _start_and_end_draw_their_icons(page: Any, shot: Path) -> None:
    """The explorer's start/end buttons draw FontAwesome icons, which JupyterLab ships (the ⏮/⏭
    glyphs they had are missing from headless Chromium's fonts): the font is loaded and each
    icon takes room beside its word. The button row is saved as buttons-<shot>."""
    start = page.locator(".jp-OutputArea-output .widget-button", has_text="start").first
    start.scroll_into_view_if_needed()
    for label, icon in (("start", "fa-fast-backward"), ("end", "fa-fast-forward")):
        b = page.locator(".jp-OutputArea-output .widget-button", has_text=label).first
        i = b.locator(f"i.{icon}")
        assert i.count() == 1, f"the {label} button has no {icon} icon"
        box = i.bounding_box()
        assert box is not None and box["width"] >= 8, f"the {label} icon takes no room: {box}"
        assert "⏮" not in b.inner_text() and "⏭" not in b.inner_text()
    fonts = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded')"
                          ".map(f => f.family)")
    assert any("awesome" in f.lower() for f in fonts), f"FontAwesome is not loaded: {fonts}"
    start.locator("xpath=..").screenshot(path=str(shot.with_name("buttons-" + shot.name)))


def lesson_page(slug: str, k: int) -> Page:
    """Page ``k`` of the built-in lesson ``slug``."""
    return next(lesson for lesson in load_lessons(check=False) if lesson.slug == slug).pages[k]


STEP_RE = re.compile(r"step (\d+) of (\d+)")


def _step_of(page: Any, k: int) -> tuple[int, int]:
    """(step, length) that explorer ``k``'s header shows."""
    text = page.locator(".kx-header").nth(k).inner_text()
    m = STEP_RE.search(text)
    assert m, text
    return int(m.group(1)), int(m.group(2))


def _settles_at(page: Any, k: int, want: tuple[int, int], what: str) -> None:
    """Explorer ``k`` reaches ``want`` and stays there (an echo would move it on)."""
    deadline = time.monotonic() + 30
    while _step_of(page, k) != want:
        assert time.monotonic() < deadline, f"{what}: {_step_of(page, k)} != {want}"
        page.wait_for_timeout(200)
    page.wait_for_timeout(1500)
    assert _step_of(page, k) == want, f"{what}: moved on to {_step_of(page, k)}"


def _step_exactly(page: Any, shot: Path) -> None:
    # 03-bsearch: explorer 0 is Explorer.for_page(L, 0) (boot_tcp at B735V10), explorer 1 is
    # the LessonWidget's, explorer 2 the "try it yourself" one.
    assert page.locator(".kx-header").count() == 3
    assert _step_of(page, 0) == (745, 745)
    # each ID shows beside its kfunc; the IDs past 8 open with "more" (none is cut off)
    page.locator(".kx-explorer").nth(0).locator(".lm-TabBar-tab", has_text="table").first.click()
    table0 = page.locator(".kx-explorer").nth(0).locator(".kx-tables")
    table0.first.wait_for(state="visible")
    assert table0.locator(".kx-fn", has_text="tcp_cong_avoid_ai").first.is_visible()
    hidden = table0.locator(".kx-fn", has_text="dctcp_state").first
    assert not hidden.is_visible()
    table0.locator("summary", has_text="17 more").first.click()
    hidden.wait_for(state="visible")
    box = page.locator(".kx-schedule input").nth(0)
    box.fill("B600")  # shorter than the run on screen: the range shrinks
    box.press("Enter")
    _settles_at(page, 0, (600, 600), "paste B600 after B735V10")

    # Run All gives no prediction away: the pages after a question stay closed, and the lesson
    # widget shows the model only once its question is checked
    assert page.get_by_text("Found in five probes").count() == 0
    assert page.locator("button", has_text="anyway").count() >= 2
    lesson_box = page.locator(".jp-OutputArea-output").filter(
        has=page.locator("button", has_text="next ▶"))
    assert not page.locator(".kx-header").nth(1).is_visible()
    lesson_box.get_by_role("button", name="OK", exact=True).first.click()
    lesson_box.locator("button", has_text="Check").first.click()
    page.locator(".kx-header").nth(1).wait_for(state="visible")
    # Check moves the lesson's explorer to the page's reveal state (the screen proves the answer)
    shown = len(reveal(lesson_page("bsearch", 0)).schedule)
    assert shown > 745
    _settles_at(page, 1, (shown, shown), "Check reveals page 1's answer")
    nxt = lesson_box.locator("button", has_text="next ▶").first
    prev = lesson_box.locator("button", has_text="◀ prev").first
    nxt.click()
    _settles_at(page, 1, (748, 748), "lesson next to page 2 (B735V13)")
    nxt.click()
    _settles_at(page, 1, (752, 752), "lesson next to page 3 (B735V17)")
    prev.click()
    _settles_at(page, 1, (748, 748), "lesson prev back to page 2 (B735V13)")

    speed = page.locator(".kx-speed .widget-readout").nth(0)
    speed.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("30")
    page.keyboard.press("Enter")
    play = page.locator(".kx-play").nth(0)
    play.click()  # from step 600, 30 ms per step
    page.wait_for_function("el => el.innerText.includes('pause')", arg=play.element_handle())
    page.wait_for_timeout(300)
    play.click()  # pause mid-run: the position stays (it used to jump to 0)
    # a tick already on its way to the kernel when pause was clicked may still land (one step
    # under load): read the position once that has had time to arrive, then it must stay
    page.wait_for_timeout(500)
    paused = _step_of(page, 0)
    assert 600 < paused[0] == paused[1], paused
    _settles_at(page, 0, paused, "paused")
    play.click()
    page.wait_for_function("el => el.innerText.includes('pause')", arg=play.element_handle())
    deadline = time.monotonic() + 120
    while "pause" in play.inner_text():
        assert time.monotonic() < deadline, "Play did not reach the end"
        page.wait_for_timeout(300)
    step, length = _step_of(page, 0)
    assert step == length and "finished" in page.locator(".kx-header").nth(0).inner_text(), (
        "Play stopped before the end", step, length)
    _settles_at(page, 0, (step, length), "Play at its end")
    readout = page.locator(".kx-slider .widget-readout").nth(0).inner_text().strip()
    assert readout == str(step)
    page.locator(".kx-header").nth(0).scroll_into_view_if_needed()
    page.screenshot(path=str(shot.with_name("played-" + shot.name)))

    # ←/→ step while the focus is in the explorer; a trace row jumps to its step; copy schedule
    page.locator(".kx-header .kx").nth(0).click()
    page.keyboard.press("ArrowLeft")
    _settles_at(page, 0, (step - 1, length), "ArrowLeft")
    page.keyboard.press("ArrowRight")
    _settles_at(page, 0, (step, length), "ArrowRight")
    explorer0 = page.locator(".kx-explorer").nth(0)
    explorer0.locator(".lm-TabBar-tab", has_text="trace").first.click()
    row = explorer0.locator(".kx-trace tr").nth(3)
    target = int(row.locator("td").first.inner_text())
    row.click()
    _settles_at(page, 0, (target, length), "click on trace row")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    explorer0.locator(".kx-copy").first.click()
    page.wait_for_function("el => el.innerText.includes('copied')",
                           arg=explorer0.locator(".kx-copy").first.element_handle())
    copied = page.evaluate("navigator.clipboard.readText()")
    timeline = explorer0.locator("span.kx", has_text="timeline:").first.locator("code")
    assert copied == timeline.inner_text() and copied.startswith("B7"), copied
    page.screenshot(path=str(shot.with_name("keys-" + shot.name)))

    _click_a_state(page, explorer0, shot)


def _click_a_state(page: Any, explorer0: Any, shot: Path) -> None:
    """Explore all, then click a node of the state graph: the explorer loads that state (the
    schedule its tooltip names), stays on the explore tab, and rings the node."""
    explorer0.locator(".lm-TabBar-tab", has_text="explore").first.click()
    explorer0.locator("button", has_text="explore all").first.click()
    graph = explorer0.locator(".kx-stategraph svg")
    graph.first.wait_for(state="visible", timeout=90_000)
    explorer0.locator(".kx-zoom button", has_text="200%").first.click()
    nodes = explorer0.locator(".kx-stategraph g.node")
    picked = None
    for k in range(nodes.count() - 1, 0, -1):  # a late node: far from the start
        title = nodes.nth(k).locator("a").first.get_attribute("xlink:title") or ""
        if re.fullmatch(r"s\d+: B\S+", title):
            picked = (nodes.nth(k), title)
            break
    assert picked is not None, "no state graph node names its schedule"
    node, title = picked
    schedule = title.split(": ", 1)[1]
    node.scroll_into_view_if_needed()
    box = node.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    deadline = time.monotonic() + 30
    header = page.locator(".kx-header").nth(0)
    while f"schedule {schedule} ·" not in header.inner_text():
        assert time.monotonic() < deadline, (header.inner_text(), title)
        page.wait_for_timeout(200)
    info = explorer0.locator(".kx", has_text="loaded state").first
    assert title.split(":")[0] in info.inner_text()
    assert "kx-picked" in (node.get_attribute("class") or "")
    assert explorer0.locator(".kx-stategraph").first.is_visible()  # still on the explore tab
    page.screenshot(path=str(shot.with_name("state-click-" + shot.name)))
