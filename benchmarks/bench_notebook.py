"""What a notebook Check costs, in-process (CPU by process_time; wall alongside). Prints figures
only (no timed assertions).

    python benchmarks/bench_notebook.py [--runs 3] [--profile] [notebooks/07-ordering.py ...]

1. **The answer**: ``Controller.apply(Answer(0))`` on every lesson page that asks, the page open
   (what grading and revealing cost: the model steps to the state that answers it).
2. **A Check as a student meets it**: each notebook's code cells run in this process (their
   displays collected, no browser), then choice 1 picked and **Check** clicked on each prediction
   of the lesson, in order. A Check also opens what it unlocks (the next pages, and after the
   last question the explorations), so the figure is split into the verdict (the Check's own
   controller: open the page, answer) and what it opens (every other widget told of the answer).

``--profile`` prints the cProfile of part 2's Checks (cumulative), to see where the time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _fresh_state() -> Path:
    d = Path(tempfile.mkdtemp(prefix="kx-bench-"))
    os.environ["XDG_STATE_HOME"] = str(d)
    return d


def bench_answer(runs: int) -> None:
    from explorer.views import intents as it
    from explorer.views.controller import Controller
    from explorer.views.lesson_answers import AnswerStore

    lessons = Controller().lessons()
    pages = [(ls.slug, k) for ls in lessons for k, p in enumerate(ls.pages) if p.predict]
    ts: list[float] = []
    for _ in range(runs):
        for slug, k in pages:
            c = Controller(answers=AnswerStore(_fresh_state() / "answers.json"),
                           lessons=lessons)
            c.apply(it.OpenLesson(slug, k))
            t = time.process_time()
            c.apply(it.Answer(0))
            ts.append(time.process_time() - t)
    print(f"answer: {len(pages)} pages x {runs}: CPU median {statistics.median(ts) * 1e3:.1f} ms, "
          f"mean {statistics.mean(ts) * 1e3:.1f} ms, max {max(ts) * 1e3:.1f} ms")


def _walk(w: Any) -> Iterator[Any]:
    yield w
    for c in getattr(w, "children", ()) or ():
        yield from _walk(c)


def _run_cells(path: Path) -> None:
    """The notebook's code cells (jupytext percent format), in one namespace."""
    g: dict[str, Any] = {"__name__": "__main__"}
    for cell in re.split(r"^# %%.*$", path.read_text(), flags=re.M)[1:]:
        if any(line.strip() and not line.startswith("#") for line in cell.splitlines()):
            exec(compile(cell, str(path), "exec"), g)


def bench_checks(notebooks: list[Path], profile: bool) -> None:
    import IPython.display

    from explorer.notebook import answers, widgets

    shown: list[Any] = []
    IPython.display.display = lambda *objs, **_kw: shown.extend(objs)
    prof = cProfile.Profile() if profile else None
    verdict_cpu: list[float] = []
    rows: list[tuple[str, int, float, float, float]] = []
    real_announce = answers.announce
    opened = [0.0]

    def timed_announce(slug: str, index: int) -> None:
        t = time.process_time()
        real_announce(slug, index)
        opened[0] += time.process_time() - t

    widgets.announce = timed_announce  # type: ignore[attr-defined]
    try:
        for nb in notebooks:
            _fresh_state()
            shown.clear()
            _run_cells(nb)
            done: set[int] = set()
            while True:
                ps = [w for o in list(shown) for w in _walk(o)
                      if isinstance(w, widgets.PredictionWidget) and w.verdict is None
                      and id(w) not in done]
                if not ps:
                    break
                p = ps[0]
                done.add(id(p))
                p.choices.value = p.choices.options[0]
                opened[0] = 0.0
                c, t = time.process_time(), time.perf_counter()
                if prof is not None:
                    prof.enable()
                p.check.click()
                if prof is not None:
                    prof.disable()
                cpu, wall = time.process_time() - c, time.perf_counter() - t
                verdict_cpu.append(cpu - opened[0])
                rows.append((nb.stem, p.index + 1, cpu - opened[0], opened[0], wall))
    finally:
        widgets.announce = real_announce  # type: ignore[attr-defined]
    for name, page, own, more, wall in rows:
        print(f"  {name:16} page {page}: verdict {own * 1e3:5.0f} ms, opens {more * 1e3:6.0f} ms "
              f"CPU; wall {wall * 1e3:6.0f} ms")
    print(f"check: {len(rows)} Checks: the verdict CPU median "
          f"{statistics.median(verdict_cpu) * 1e3:.0f} ms, max {max(verdict_cpu) * 1e3:.0f} ms; "
          f"whole Check wall max {max(r[4] for r in rows) * 1e3:.0f} ms "
          f"({max(rows, key=lambda r: r[4])[0]} page {max(rows, key=lambda r: r[4])[1]})")
    if prof is not None:
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebooks", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    nbs = args.notebooks or sorted(p for p in (ROOT / "notebooks").glob("[01][0-9]-*.py")
                                   if "my-kernel" not in p.name)
    _fresh_state()
    print(f"load average {os.getloadavg()[0]:.1f}")
    bench_answer(args.runs)
    bench_checks(nbs, args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
