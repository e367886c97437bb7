"""TUI figures: cold start of ``python -m explorer tui`` vs a bare Textual app, and per-step
repaint time. Prints figures only (no timed assertions).

    python benchmarks/bench_tui.py [--runs 5] [--steps 100]

Cold start: both programs are started the same way, in a subprocess under ``/usr/bin/time -v``
(max RSS), and quit right after their first paint (``KFUNC_TUI_EXIT_AFTER_PAINT=1`` for ours,
the same ``call_after_refresh(exit)`` for the bare app). Repaint: Pilot presses a step key N
times; each press returns once the screen has been updated.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Static

class Bare(App[int]):
    def compose(self):
        yield Static("hello")
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self.exit, 0)

Bare().run()
"""


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and max RSS (KiB) of one run."""
    time_bin = "/usr/bin/time"
    full = [time_bin, "-v", *cmd] if os.path.exists(time_bin) else cmd
    t0 = time.perf_counter()
    p = subprocess.run(full, env=env, cwd=ROOT, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=60)
    wall = time.perf_counter() - t0
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    if p.returncode != 0:
        raise SystemExit(f"{cmd}: exit {p.returncode}: {p.stderr[-500:]}")
    return wall, int(m.group(1)) if m else -1


def cold_start(runs: int) -> None:
    env = dict(os.environ, KFUNC_TUI_EXIT_AFTER_PAINT="1", TEXTUAL_HEADLESS="1",
               PYTHONPATH=str(ROOT))
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(BARE_APP)
        bare = f.name
    ours_cmd = [sys.executable, "-c",
                "import sys; from explorer.tui.app import ExplorerApp; "
                "sys.exit(ExplorerApp().run(headless=True) or 0)"]
    cli_cmd = [sys.executable, "-m", "explorer", "tui"]
    rows = [("bare Textual app", [sys.executable, bare]),
            ("python -m explorer tui", cli_cmd),
            ("ExplorerApp (headless)", ours_cmd)]
    print(f"cold start, first paint then exit ({runs} runs, median):")
    for label, cmd in rows:
        _timed(cmd, env)  # warm the file cache
        res = [_timed(cmd, env) for _ in range(runs)]
        wall = statistics.median(r[0] for r in res)
        rss = statistics.median(r[1] for r in res)
        print(f"  {label:<26} {wall * 1000:7.0f} ms   max RSS {rss / 1024:6.1f} MiB")
    os.unlink(bare)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-X", "importtime", "-c", "import explorer.tui.app"],
                   cwd=ROOT, capture_output=True, env=env)
    print(f"  import explorer.tui.app alone: {(time.perf_counter() - t0) * 1000:.0f} ms")


async def _repaint(steps: int, size: tuple[int, int]) -> tuple[float, float]:
    sys.path.insert(0, str(ROOT))
    from explorer.tui.app import ExplorerApp

    app = ExplorerApp(scenario="boot_tcp", exit_after_paint=False)
    times: list[float] = []
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for _ in range(steps):
            t0 = time.perf_counter()
            await pilot.press("b")
            times.append(time.perf_counter() - t0)
        m = app.main_screen
        t0 = time.perf_counter()
        for _ in range(steps):
            m.controller.step("B")
            m.refresh_view()
            m.snap = m.controller.snapshot()
        direct = (time.perf_counter() - t0) / steps
    return statistics.median(times), direct


def repaint(steps: int) -> None:
    print(f"per-step repaint, boot_tcp, {steps} presses of 'b' (median):")
    for size in ((80, 24), (160, 48)):
        med, direct = asyncio.run(_repaint(steps, size))
        print(f"  {size[0]}x{size[1]}: {med * 1000:6.1f} ms per step until the screen is updated"
              f" (snapshot + widget update alone: {direct * 1000:.2f} ms)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--steps", type=int, default=100)
    a = ap.parse_args()
    cold_start(a.runs)
    repaint(a.steps)


if __name__ == "__main__":
    main()
