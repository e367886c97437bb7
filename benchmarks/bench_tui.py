"""TUI figures: cold start against a bare Textual app, and key-to-frame latency. Prints figures
only (no timed assertions).

    python benchmarks/bench_tui.py [--runs 7] [--steps 200] [--sizes 80x24,160x48]
    python benchmarks/bench_tui.py --split [--steps 200]   (where a step's CPU goes)

Cold start (goal: the CLI's ``tui`` path within 1.25x of a bare Textual app; a newcomer's first
frame is lesson 1's first page with its text, so the CLI does more than ``ExplorerApp()``, which
opens the explorer alone): each program is started the same way, in a subprocess under
``/usr/bin/time -v`` (max RSS), with Textual's real terminal driver (not headless: a headless app
skips writing its frames, which made an earlier "app alone" figure look cheaper than the CLI's),
and quits right after its first paint
(``KFUNC_TUI_EXIT_AFTER_PAINT=1`` for ours, the same ``call_after_refresh(exit)`` for the bare
app). The runs of the three programs alternate; medians are printed with each one's ratio to the
bare app.

Latency probe (goal: p95 <= 16 ms for a step key): the app runs on a real pseudo-terminal of the
given size, with Textual's own Linux driver, so every frame is rendered to escape sequences and
written as it would be for a person. This script types the step key ``b`` of ``boot_tcp`` into
the terminal, each key 20 ms after the frame of the previous one (so each is measured on its own,
not queued behind the last). Inside the app, a probe subclass takes the key event's own timestamp
(made by the driver when it decoded the bytes) and the end of the first frame written after the
step was taken (``App.post_display_hook``, after the driver's write and flush): that difference,
for ``--steps`` keys, gives p50/p95/max. Pilot is not used: its figure is mostly its own waiting.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_START_RATIO = 1.25
GOAL_P95_MS = 16.0
PROFILE_ENV = "KFUNC_BENCH_PROFILE"
"""Set by ``--profile FILE``: the probe child runs under pyinstrument and writes its report there
(one size only makes sense)."""

BARE_APP = """
import os
import time

from textual.app import App
from textual.widgets import Footer, Static

class Bare(App[int]):
    def compose(self):
        yield Static("hello")
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self.painted)

    def painted(self) -> None:
        if out := os.environ.get("KFUNC_TUI_PAINT_FILE"):
            with open(out, "w") as f:
                f.write(f"{time.time()} {time.process_time()}")
        self.exit(0)

Bare().run()
"""


# -- cold start -----------------------------------------------------------------------------------


Run = tuple[float, float, int, float, float]
"""One run: whole-process wall and CPU seconds, max RSS (KiB), then wall and CPU seconds from
the start to the first paint (the process writes them to ``KFUNC_TUI_PAINT_FILE`` as it paints;
the exit is left out)."""


def _timed(cmd: list[str], env: dict[str, str]) -> Run:
    """Wall seconds, CPU seconds (user + system) and max RSS (KiB) of one run, then the wall
    and CPU seconds it took to its first paint."""
    time_bin = "/usr/bin/time"
    full = [time_bin, "-v", *cmd] if os.path.exists(time_bin) else cmd
    fd, paint_file = tempfile.mkstemp(prefix="bench-tui-paint-")
    os.close(fd)
    env = dict(env, KFUNC_TUI_PAINT_FILE=paint_file)
    t0_clock = time.time()
    t0 = time.perf_counter()
    p = subprocess.run(full, env=env, cwd=ROOT, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=120)
    wall = time.perf_counter() - t0
    painted = Path(paint_file).read_text().split()
    os.unlink(paint_file)
    if p.returncode != 0:
        raise SystemExit(f"{cmd}: exit {p.returncode}: {p.stderr[-500:]}")

    def field(name: str) -> float:
        m = re.search(rf"{name}: ([\d.]+)", p.stderr)
        return float(m.group(1)) if m else -1.0

    cpu = field(r"User time \(seconds\)") + field(r"System time \(seconds\)")
    if len(painted) != 2:
        raise SystemExit(f"{cmd}: wrote no first-paint time")
    return (wall, cpu, int(field(r"Maximum resident set size \(kbytes\)")),
            float(painted[0]) - t0_clock, float(painted[1]))


def cold_start(runs: int) -> None:
    # All three run Textual's real terminal driver (its output goes to the captured stderr), so
    # each first frame is rendered to escape sequences and written, as for a person.
    # Bytecode is cached (in a temporary directory) as an installed package has it: with
    # PYTHONDONTWRITEBYTECODE set, our modules were compiled from source on every start while
    # Textual's came precompiled, which made the explorer look slower than it is.
    # The CLI's first frame is a newcomer's: lesson 1's first page, its text drawn (an empty
    # state directory); ExplorerApp() opens the explorer alone (module_race, no lesson).
    cache = tempfile.mkdtemp(prefix="bench-tui-pyc-")
    state = tempfile.mkdtemp(prefix="bench-tui-state-")
    # The terminal is 80x24 for all three, told the same way to Rich and to the driver: with
    # no terminal on stdout, Rich's console guessed 80x25 and the driver 80x24, and each app
    # laid out and painted its first frame again for a size no terminal would have sent.
    env = dict(os.environ, KFUNC_TUI_EXIT_AFTER_PAINT="1", PYTHONPATH=str(ROOT),
               PYTHONPYCACHEPREFIX=cache, XDG_STATE_HOME=state, COLUMNS="80", LINES="24")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(BARE_APP)
        bare = f.name
    rows = {
        "bare Textual app": [sys.executable, bare],
        "python -m explorer tui": [sys.executable, "-m", "explorer", "tui"],
        "ExplorerApp() (no lesson)": [sys.executable, "-c",
                                   "import sys; from explorer.tui.app import ExplorerApp; "
                                   "sys.exit(ExplorerApp().run() or 0)"],
    }
    res: dict[str, list[Run]] = {k: [] for k in rows}
    for cmd in rows.values():
        _timed(cmd, env)  # warm the file cache and write the bytecode
    for _ in range(runs):  # alternate, so the machine's load falls on all three alike
        for label, cmd in rows.items():
            res[label].append(_timed(cmd, env))
    os.unlink(bare)
    def med(label: str, k: int) -> float:
        return statistics.median(r[k] for r in res[label]) * 1000

    bare = "bare Textual app"
    print(f"cold start to first paint ({runs} alternating runs each, medians; the CLI's first "
          "frame is lesson 1's page; goal: CLI <= "
          f"{GOAL_START_RATIO}x bare to the first paint):")
    for label in rows:
        print(f"  {label:<26} wall {med(label, 3):6.0f} ms x{med(label, 3) / med(bare, 3):4.2f}   "
              f"CPU {med(label, 4):6.0f} ms x{med(label, 4) / med(bare, 4):4.2f} of bare")
    cli = "python -m explorer tui"
    ratio = med(cli, 4) / med(bare, 4)
    verdict = ("met" if ratio <= GOAL_START_RATIO else
               f"missed by x{ratio / GOAL_START_RATIO:.2f}: {med(cli, 4) - med(bare, 4):.0f} ms "
               "of CPU over bare, which is our imports (below: the model, sim and views, as the "
               "first frame draws a live snapshot), composing, styling and laying out the first "
               "frame's ~36 widgets, and opening lesson 1's page (its text, question and the "
               "model state it stands on)")
    print(f"  goal (CPU to the first paint, CLI / bare x{ratio:.2f} <= x{GOAL_START_RATIO}): "
          f"{verdict}")
    print("  the whole process, exit included:")
    for label in rows:
        print(f"  {label:<26} wall {med(label, 0):6.0f} ms x{med(label, 0) / med(bare, 0):4.2f}   "
              f"CPU {med(label, 1):6.0f} ms x{med(label, 1) / med(bare, 1):4.2f} of bare   "
              f"max RSS {statistics.median(r[2] for r in res[label]) / 1024:6.1f} MiB")
    p = subprocess.run([sys.executable, "-X", "importtime", "-c", "import explorer.tui.app"],
                       cwd=ROOT, capture_output=True, env=env, text=True)
    total = sum(int(m.group(1)) for m in re.finditer(r"import time:\s+(\d+) \|", p.stderr))
    print(f"  imports before the first frame (-X importtime, self times summed): "
          f"{total / 1000:.0f} ms")
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(state, ignore_errors=True)


def lesson_picker() -> None:
    """The first ``t``: listing the lessons (titles and page counts), and opening a page."""
    sys.path.insert(0, str(ROOT))
    from explorer.views.controller import Controller

    c = Controller()
    t0 = time.perf_counter()
    lessons = c.lessons()
    listed = time.perf_counter() - t0
    t0 = time.perf_counter()
    c.open_page(lessons[0].pages[0])
    opened = time.perf_counter() - t0
    print(f"first t (lesson picker): {len(lessons)} lessons listed in {listed * 1000:.0f} ms; "
          f"their first page checked and opened in {opened * 1000:.0f} ms")


# -- latency probe --------------------------------------------------------------------------------


def probe_child(out: str, steps: int, scenario: str, key: str) -> None:
    """Run in the pseudo-terminal: the app with a latency probe; results written to ``out``."""
    sys.path.insert(0, str(ROOT))
    from textual import events

    import explorer.tui.app
    from explorer.tui.app import ExplorerApp

    class ProbeApp(ExplorerApp):
        CSS_PATH = str(Path(explorer.tui.app.__file__).parent / str(ExplorerApp.CSS_PATH))

        def __init__(self) -> None:
            super().__init__(scenario=scenario, exit_after_paint=False)
            self.samples: list[tuple[float, float]] = []
            self._pending: tuple[float, float, tuple[int, int]] | None = None

        def _where(self) -> tuple[int, int]:
            sess = self.controller.session
            return sess.cursor, sess.length

        def on_mount(self) -> None:
            super().on_mount()
            self.call_after_refresh(lambda: Path(out + ".ready").write_text("1"))

        async def on_event(self, event: events.Event) -> None:
            if isinstance(event, events.Key) and event.key == key and self._pending is None:
                self._pending = (event.time, time.process_time(), self._where())
            await super().on_event(event)

        def post_display_hook(self) -> None:
            if self._pending is not None and self._where() != self._pending[2]:
                self.samples.append((time.monotonic() - self._pending[0],
                                     time.process_time() - self._pending[1]))
                self._pending = None
                os.write(progress, b".")  # tell the typist: measured, type the next key
                if len(self.samples) >= steps:
                    Path(out).write_text(json.dumps(self.samples))
                    self.exit(0)

    progress = os.open(out + ".progress", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    profile_to = os.environ.get(PROFILE_ENV)
    if not profile_to:
        ProbeApp().run()
        return
    if profile_to.endswith(".prof"):  # cProfile's exact call counts (pstats reads the file)
        import cProfile

        with cProfile.Profile() as cprof:
            ProbeApp().run()
        cprof.dump_stats(profile_to)
        return
    from pyinstrument import Profiler  # optional: only with --profile

    with Profiler(interval=0.0005, async_mode="disabled") as prof:
        ProbeApp().run()
    if profile_to.endswith(".pyisession"):
        prof.last_session.save(profile_to)  # pyinstrument --load FILE -r ... renders it
    else:
        Path(profile_to).write_text(prof.output_text(unicode=True, show_all=False))


def _percentile(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def latency(size: tuple[int, int], steps: int, scenario: str = "boot_tcp",
            key: str = "b") -> list[tuple[float, float]] | str:
    """Key-to-frame latencies of ``steps`` step keys at ``size`` (wall and the process's CPU
    seconds each), or why none."""
    import fcntl
    import pty
    import termios

    cols, rows = size
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    with tempfile.TemporaryDirectory() as d:
        out = str(Path(d) / "latency.json")
        env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(cols), LINES=str(rows))
        env.pop("TEXTUAL_HEADLESS", None)
        proc = subprocess.Popen([sys.executable, __file__, "--probe-child", out,
                                 "--steps", str(steps), "--scenario", scenario, "--key", key],
                                stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT,
                                start_new_session=True)
        os.close(slave)
        screen = bytearray()

        def drain() -> None:  # read everything the app writes, as a terminal would
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                screen.extend(chunk[-4096:])
                del screen[:-8192]

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        deadline = time.monotonic() + 120
        while not os.path.exists(out + ".ready") and proc.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)  # let start-up work (timers, first refreshes) settle
        sent = 0
        progress = Path(out + ".progress")
        while proc.poll() is None and sent < steps * 2 and time.monotonic() < deadline:
            before = progress.stat().st_size if progress.exists() else 0
            os.write(master, key.encode())
            sent += 1
            wait_until = time.monotonic() + 1.0
            while time.monotonic() < wait_until and proc.poll() is None and \
                    (progress.stat().st_size if progress.exists() else 0) == before:
                time.sleep(0.001)
            time.sleep(0.02)  # the next key comes to an idle app, as a person's would
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        os.close(master)
        if not os.path.exists(out):
            tail = screen.decode(errors="replace")[-300:]
            return f"no result (exit {proc.returncode}; {sent} keys sent): {tail!r}"
        return [(w, c) for w, c in json.loads(Path(out).read_text())]


def latency_report(sizes: list[tuple[int, int]], steps: int) -> None:
    print(f"key to frame, step key 'b' in boot_tcp, {steps} steps on a real pseudo-terminal "
          f"(goal: p95 <= {GOAL_P95_MS:.0f} ms):")
    for size in sizes:
        got = latency(size, steps)
        if isinstance(got, str):
            print(f"  {size[0]}x{size[1]}: {got}")
            continue
        ms = [w * 1000 for w, _ in got]
        cpu = [c * 1000 for _, c in got]
        p95 = _percentile(ms, 0.95)
        print(f"  {size[0]:>3}x{size[1]:<3} p50 {_percentile(ms, 0.5):6.1f} ms   "
              f"p95 {p95:6.1f} ms (x{p95 / GOAL_P95_MS:4.2f} of the goal)   "
              f"max {max(ms):6.1f} ms   n={len(ms)}")
        cpu95 = _percentile(cpu, 0.95)
        print(f"          CPU time of the app in that interval: p50 {_percentile(cpu, 0.5):6.1f} "
              f"ms   p95 {cpu95:6.1f} ms   (wall minus CPU: waiting for a core)")
        p50 = _percentile(ms, 0.5)
        print("          goal: " + ("met" if p95 <= GOAL_P95_MS else
                                    f"missed by x{p95 / GOAL_P95_MS:.2f} in wall time, "
                                    f"x{cpu95 / GOAL_P95_MS:.2f} in the app's CPU"
                                    + (" (the median step meets it)" if p50 <= GOAL_P95_MS
                                       else "")
                                    + ": the slow steps are those that change the layout (the "
                                    "sort box comes or goes, a table is allocated: the whole "
                                    "screen is laid out and drawn), a code or trace window's "
                                    "jump, and a written table cell (a Rich table); the rest is "
                                    "Textual rendering the changed lines (--split shows the "
                                    "shares; the model and view model's is below)"))


def step_split(size: tuple[int, int], steps: int) -> None:
    """Where a step's CPU goes, in process (headless ``run_test``, ``process_time``): the key's
    handling and each panel's share of it, Textual's layout, and the frame (the compositor's
    render and the escape sequences it would write). Wrappers around Textual's internals
    (``Screen._refresh_layout``, ``Compositor``): for measuring only, never in the app."""
    import asyncio
    from collections import defaultdict

    sys.path.insert(0, str(ROOT))
    from textual._compositor import Compositor
    from textual.screen import Screen

    from explorer.tui.app import ExplorerApp
    from explorer.tui.screens.main import MainScreen
    from explorer.tui.widgets.panel import SnapshotView

    acc: dict[str, float] = defaultdict(float)
    undo: list[tuple[object, str, object]] = []

    def timed(owner: object, name: str, label: str) -> None:
        f = getattr(owner, name)
        undo.append((owner, name, owner.__dict__.get(name) if hasattr(owner, "__dict__")
                     else None))

        def run(*a: object, **k: object) -> object:
            t0 = time.process_time()
            try:
                return f(*a, **k)
            finally:
                acc[label] += time.process_time() - t0
        setattr(owner, name, run)

    app = ExplorerApp(scenario="boot_tcp", exit_after_paint=False)
    render_update = Compositor.render_update

    def frame(self: Compositor, *a: object, **k: object) -> object:
        t0 = time.process_time()
        update = render_update(self, *a, **k)
        if update is not None:
            update.render_segments(app.console)
        acc["frame (compositor + output)"] += time.process_time() - t0
        return update

    per: dict[str, list[float]] = defaultdict(list)

    async def run() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            for panel in app.main_screen.query(SnapshotView):
                timed(panel, "show", f"  {type(panel).__name__}")
            for _ in range(steps):
                acc.clear()
                await pilot.press("b")
                await pilot.pause()
                for k, v in acc.items():
                    per[k].append(v * 1000)
                per["total"].append(sum(v for k, v in acc.items() if k[0] != " ") * 1000)

    timed(MainScreen, "run", "key handling")
    timed(Screen, "_refresh_layout", "layout")
    Compositor.render_update = frame  # type: ignore[method-assign]
    try:
        asyncio.run(run())
    finally:
        Compositor.render_update = render_update  # type: ignore[method-assign]
        for owner, name, was in reversed(undo):
            if isinstance(owner, type) and was is not None:
                setattr(owner, name, was)
            elif isinstance(owner, type):
                delattr(owner, name)
    print(f"  {size[0]}x{size[1]}, in process, {steps} steps (ms of CPU a step; the panels' "
          "shares are inside the key's handling):")
    order = ["key handling", *sorted(k for k in per if k[0] == " "), "layout",
             "frame (compositor + output)", "total"]
    for k in order:
        xs = per.get(k, []) + [0.0] * (steps - len(per.get(k, [])))
        print(f"    {k:<30} mean {statistics.mean(xs):6.2f}   p50 {_percentile(xs, 0.5):6.2f}"
              f"   p95 {_percentile(xs, 0.95):6.2f}")


def view_update_cost(steps: int) -> None:
    """The model-and-view part of a step, without Textual: controller step + snapshot."""
    sys.path.insert(0, str(ROOT))
    from explorer.views.controller import Controller

    c = Controller("boot_tcp")
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        c.step("B")
        c.snapshot()
        times.append(time.perf_counter() - t0)
    ms = [t * 1000 for t in times]
    print(f"  of which step + snapshot (no Textual): p50 {_percentile(ms, 0.5):.2f} ms, "
          f"p95 {_percentile(ms, 0.95):.2f} ms")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--sizes", default="80x24,160x48")
    ap.add_argument("--skip-start", action="store_true", help="only the latency probe")
    ap.add_argument("--start-only", action="store_true",
                    help="only the cold start (and the first t's lesson listing)")
    ap.add_argument("--profile", metavar="FILE",
                    help="profile the latency probe into FILE: cProfile stats if it ends in .prof, "
                         "else pyinstrument (if installed; .pyisession keeps the session)")
    ap.add_argument("--split", action="store_true",
                    help="only the in-process split of a step's CPU (key handling, each panel, "
                         "layout, frame) at each size")
    ap.add_argument("--probe-child", help=argparse.SUPPRESS)
    ap.add_argument("--scenario", default="boot_tcp", help=argparse.SUPPRESS)
    ap.add_argument("--key", default="b", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.probe_child:
        probe_child(a.probe_child, a.steps, a.scenario, a.key)
        return 0
    if a.profile:
        os.environ[PROFILE_ENV] = str(Path(a.profile).resolve())
    if a.split:
        print("where a step's CPU goes (step key 'b' in boot_tcp):")
        for w, h in (s.split("x") for s in a.sizes.split(",")):
            step_split((int(w), int(h)), a.steps)
        return 0
    if not a.skip_start:
        cold_start(a.runs)
    if a.start_only:
        lesson_picker()
        return 0
    sizes = [(int(w), int(h)) for w, h in (s.split("x") for s in a.sizes.split(","))]
    latency_report(sizes, a.steps)
    view_update_cost(a.steps)
    lesson_picker()
    return 0


if __name__ == "__main__":
    sys.exit(main())
