"""Benchmark the model and the simulator, each figure beside its baseline.

    python benchmarks/bench_model.py [--steps N] [--repeat R] [--rounds K]
                                     [--baseline REF | --no-baseline]

Prints:
  - model step time: microseconds per atomic step of a full run of boot_tcp and of module_race;
  - exploration speed: every built-in scenario under the kernel and each of its what-ifs and
    faults is explored (best of R runs each, states/second per pair); module_race with the
    weak-memory what-if (the largest when issue 13 was filed) and the largest pair now are shown
    beside the goal (>= 50,000 states/s);
  - the memory of an N-step trace (default 100,000; goal: <= 100 MiB retained): a Session stepped
    N times through a generated scenario (a boot whose initcalls keep filling one vmlinux cell past
    32 IDs, so -E2BIG frees the table and the next initcall starts again), measured with
    tracemalloc (retained) and as the process's peak RSS growth; and what time travel costs in it
    (a random jump, a step back).

Baseline: the same measurements run on the tree of git revision REF (default: the commit before
issue 13's work), extracted with ``git archive`` into a temporary directory. Each measurement runs
in a fresh subprocess, alternating baseline and current K times (default 3); the medians and their
ratio are printed. Times are CPU seconds of the measuring process (the machine is shared: wall
time would mostly measure the neighbours). Nothing here asserts a time: it only reports.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "b7480b8"
"""main just before issue 13 (fast and light): the figures it quotes were measured there."""


def best_of(n: int, fn: Callable[[], object]) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(n):
        t0 = time.process_time()
        out = fn()
        best = min(best, time.process_time() - t0)
    return best, out


# -- the measurements (run in a worker process, against one tree) --------------------------------


def m_steps(repeat: int) -> dict[str, Any]:
    from explorer.sim.scenario import load_scenario
    from explorer.sim.session import run
    from explorer.sim.variants import parse_options
    out: dict[str, Any] = {}
    for name in ("boot_tcp", "module_race"):
        sc = load_scenario(name)
        opts = parse_options([], list(sc.default_faults))
        secs, r = best_of(repeat, lambda sc=sc, opts=opts: run(sc, opts))
        n = len(r.records)  # type: ignore[attr-defined]
        out[name] = {"steps": n, "us_per_step": secs / n * 1e6}
    return out


def m_explore(repeat: int) -> dict[str, Any]:
    from explorer.sim.explore import explore
    from explorer.sim.scenario import builtin_names, load_scenario
    from explorer.sim.variants import parse_options
    pairs = []
    for name in builtin_names():
        sc = load_scenario(name)
        for vs in [[], *([v] for v in sc.variants), *([f] for f in sc.faults)]:
            opts = parse_options(vs, [] if vs and vs[0] in ("kzalloc_fails", "krealloc_fails")
                                 else list(sc.default_faults))
            secs, e = best_of(repeat, lambda sc=sc, opts=opts: explore(sc, opts))
            pairs.append({"label": f"{name} ({opts.label()})", "states": e.states,  # type: ignore[attr-defined]
                          "transitions": e.transitions, "name": name, "vs": vs,  # type: ignore[attr-defined]
                          "seconds": secs})
    t_all = sum(p["seconds"] for p in pairs)
    pairs.sort(key=lambda p: -p["states"])
    # The figure: module_race with the weak-memory what-if (no_barriers at the baseline,
    # live_flag_unlocked since the model follows v5.18's mutex exactly).
    sc = load_scenario("module_race")
    weak = next((v for v in ("live_flag_unlocked", "no_barriers") if v in sc.variants), None)
    opts = parse_options([weak] if weak else [], list(sc.default_faults))
    secs, e = best_of(repeat, lambda: explore(sc, opts))
    total = sum(p["states"] for p in pairs)
    return {"all_seconds": t_all, "pairs": len(pairs), "all_states": total,
            "top": [(p["label"], p["states"]) for p in pairs[:3]],
            "per_pair": {p["label"]: [p["states"], p["seconds"]] for p in pairs},
            "largest": f"module_race ({opts.label()})", "states": e.states,  # type: ignore[attr-defined]
            "transitions": e.transitions, "seconds": secs}  # type: ignore[attr-defined]


def long_boot_scenario(directory: Path, rounds: int) -> Path:
    """A boot with 5 initcalls per round, 8 IDs each, into [STRUCT_OPS][CHECK]: the 5th
    overflows (-E2BIG), the error path frees the table, and the next round starts afresh."""
    ids = "\n".join(f"k{i} = {200000 + (i * 7919) % 1000}" for i in range(40))
    sets = []
    for s in range(5):
        names = ", ".join(f'"k{s * 8 + j}"' for j in range(8))
        sets.append(f'[[sets]]\nname = "s{s}"\nprog_type = "STRUCT_OPS"\ncheck = [{names}]\n')
    order = ", ".join(f'"s{s}"' for _ in range(rounds) for s in range(5))
    text = (f'name = "long_boot"\n[ids.vmlinux]\n{ids}\n\n' + "\n".join(sets)
            + f'\n[[threads]]\nname = "boot"\nletter = "B"\nkind = "do_initcalls"\n'
            f"sets = [{order}]\n")
    path = directory / "long_boot.toml"
    path.write_text(text)
    return path


def m_session(n: int) -> dict[str, Any]:
    from explorer.sim.scenario import load_scenario
    from explorer.sim.session import Session
    with tempfile.TemporaryDirectory() as d:
        sc = load_scenario(str(long_boot_scenario(Path(d), rounds=max(1, n // 400))))

        def fill() -> Session:
            s = Session(sc)
            for _ in range(n):
                s.step_auto()
            return s

        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.process_time()
        s = fill()
        secs = time.process_time() - t0
        rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if s.length != n:
            return {"error": f"the generated boot has only {s.length} steps; use fewer --steps"}
        rng = random.Random(13)
        t0 = time.process_time()
        for _ in range(200):
            s.jump(rng.randrange(n + 1))
            _ = s.state, s.last_record
        jump = (time.process_time() - t0) / 200
        s.jump(n // 2)
        t0 = time.process_time()
        for _ in range(1000):
            s.back()
            _ = s.state, s.last_record
        back = (time.process_time() - t0) / 1000
        del s
        tracemalloc.start()
        s = fill()
        current, _peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del s
    return {"us_per_step": secs / n * 1e6, "rss_growth_mib": (rss1 - rss0) / 1024,
            "retained_mib": current / 2**20, "bytes_per_step": current / n,
            "jump_ms": jump * 1e3, "back_us": back * 1e6}


def worker(task: str, tree: str, repeat: int, steps: int) -> None:
    sys.path.insert(0, tree)
    fn = {"steps": lambda: m_steps(repeat), "explore": lambda: m_explore(repeat),
          "session": lambda: m_session(steps)}[task]
    print(json.dumps(fn()))


# -- the driver ----------------------------------------------------------------------------------


def baseline_tree(ref: str, into: Path) -> Path | None:
    """The tree of ``ref`` extracted into ``into``, or None (not a git checkout, unknown ref)."""
    try:
        arc = subprocess.run(["git", "-C", str(ROOT), "archive", ref], capture_output=True,
                             check=True, timeout=60).stdout
        subprocess.run(["tar", "-x", "-C", str(into)], input=arc, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as e:
        print(f"(no baseline: git archive {ref} failed: {e})")
        return None
    return into


def measure(task: str, trees: dict[str, Path], rounds: int, args: argparse.Namespace
            ) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in trees}
    for _ in range(rounds):
        for label, tree in trees.items():
            p = subprocess.run([sys.executable, __file__, "--worker", task, "--tree", str(tree),
                                "--repeat", str(args.repeat), "--steps", str(args.steps)],
                               capture_output=True, text=True, cwd=tempfile.gettempdir(),
                               timeout=3600)
            if p.returncode != 0:
                raise SystemExit(f"{task} on {label} failed:\n{p.stderr[-2000:]}")
            out[label].append(json.loads(p.stdout.strip().splitlines()[-1]))
    return out


def med(runs: list[dict[str, Any]], *path: str) -> float:
    vals = []
    for r in runs:
        for k in path:
            r = r[k]
        vals.append(float(r))  # type: ignore[arg-type]
    return statistics.median(vals)


def row(label: str, unit: str, res: dict[str, list[dict[str, Any]]], *path: str,
        higher_better: bool = False, fmt: str = "{:,.2f}", goal: str = "") -> None:
    cur = med(res["current"], *path)
    text = f"  {label:<44} {fmt.format(cur):>12} {unit:<10}"
    if "baseline" in res:
        base = med(res["baseline"], *path)
        ratio = (cur / base if higher_better else base / cur) if cur and base else float("nan")
        text += (f" baseline {fmt.format(base):>12}  x{ratio:.2f} "
                 f"{'better' if ratio >= 1 else 'worse'}")
    if goal:
        text += f"  [{goal}]"
    print(text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=100_000, help="trace length for memory")
    ap.add_argument("--repeat", type=int, default=3, help="best of this many timed runs")
    ap.add_argument("--rounds", type=int, default=3, help="alternating processes per tree")
    ap.add_argument("--baseline", default=BASELINE, help="git revision to compare with")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--parts", default="steps,explore,session",
                    help="which measurements, comma-separated: steps, explore, session "
                         "(or memory: the same); default: all three")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--tree", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker(args.worker, args.tree, args.repeat, args.steps)
        return 0
    print(f"python {sys.version.split()[0]}; CPU time, median of {args.rounds} processes")
    with tempfile.TemporaryDirectory() as d:
        trees = {"current": ROOT}
        if not args.no_baseline and (base := baseline_tree(args.baseline, Path(d))):
            trees["baseline"] = base
            print(f"baseline: git revision {args.baseline}")

        parts = {"session" if p == "memory" else p for p in args.parts.split(",")}
        if "steps" in parts:
            print("model step time (full run, first runnable thread first):")
            res = measure("steps", trees, args.rounds, args)
            for name in ("boot_tcp", "module_race"):
                row(f"{name} ({int(med(res['current'], name, 'steps'))} steps)", "us/step",
                    res, name, "us_per_step")
        if "explore" in parts:
            explore_report(trees, args)
        if "session" in parts:
            return session_report(trees, args)
    return 0


def explore_report(trees: dict[str, Path], args: argparse.Namespace) -> None:
    print("exploration (breadth first, states deduplicated, invariants on every state):")
    res = measure("explore", trees, args.rounds, args)
    c = res["current"][0]
    print(f"  all {c['pairs']} scenario/option pairs: {c['all_states']} states in "
          f"{med(res['current'], 'all_seconds'):.2f} s (the baseline has other scenarios: "
          "no ratio); the largest:")
    for label, states in c["top"]:
        print(f"    {label:<40} {states:>7} states")
    for r in [*res["current"], *res.get("baseline", [])]:
        r["sps"] = r["states"] / r["seconds"]
        r["tps"] = r["transitions"] / r["seconds"]
    print(f"  every pair (best of {args.repeat} runs; states/s, and the baseline's where it has "
          "the same pair with the same states):")
    for label, (states, _) in sorted(c["per_pair"].items(), key=lambda kv: -kv[1][0]):
        cur = statistics.median(states / max(r["per_pair"][label][1], 1e-9)
                                for r in res["current"])
        line = f"    {label:<40} {states:>7} states {cur:>10,.0f} states/s"
        base_runs = [r["per_pair"][label] for r in res.get("baseline", [])
                     if label in r["per_pair"]]
        if base_runs and base_runs[0][0] == states:
            b = statistics.median(n / max(t, 1e-9) for n, t in base_runs)
            line += f"   baseline {b:>9,.0f}  x{cur / b:.2f}"
        print(line)
    if "baseline" in res and res["baseline"][0]["states"] != c["states"]:
        print(f"  (state counts differ: baseline {res['baseline'][0]['states']}, current "
              f"{c['states']}: the model changed meanwhile)")
    row(f"{c['largest']}, {c['states']} states", "states/s", res, "sps",
        higher_better=True, fmt="{:,.0f}", goal="goal >= 50,000")
    row("  transitions", "trans/s", res, "tps", higher_better=True, fmt="{:,.0f}")
    label, (states, _) = max(c["per_pair"].items(), key=lambda kv: kv[1][0])
    for r in [*res["current"], *res.get("baseline", [])]:
        got = r["per_pair"].get(label)
        r["largest_sps"] = got[0] / got[1] if got and got[0] == states else 0.0
    if "baseline" in res and not all(r["largest_sps"] for r in res["baseline"]):
        del res["baseline"]  # the baseline has no such pair, or another state count
    row(f"the largest now: {label}, {states} states", "states/s", res, "largest_sps",
        higher_better=True, fmt="{:,.0f}", goal="goal >= 50,000")



def session_report(trees: dict[str, Path], args: argparse.Namespace) -> int:
    print(f"a {args.steps:,}-step session (Session keeps the whole timeline):")
    res = measure("session", trees, args.rounds, args)
    if "error" in res["current"][0]:
        print(f"  {res['current'][0]['error']}")
        return 1
    row("retained (tracemalloc)", "MiB", res, "retained_mib", fmt="{:,.1f}",
        goal="goal <= 100 MiB")
    row("  per step", "bytes", res, "bytes_per_step", fmt="{:,.0f}")
    row("peak RSS growth", "MiB", res, "rss_growth_mib", fmt="{:,.1f}")
    row("stepping (Session.step_auto)", "us/step", res, "us_per_step")
    row("jump to a random step (+ state, record)", "ms", res, "jump_ms", fmt="{:,.3f}")
    row("one step back (+ state, record)", "us", res, "back_us", fmt="{:,.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
