"""Benchmark the model and the simulator.

    python benchmarks/bench_model.py [--steps N] [--repeat R]

Prints (best of R runs where timed):
  - model step time: microseconds per atomic step of a full run of boot_tcp and of module_race;
  - exploration speed: every built-in scenario under the kernel and each of its what-ifs and
    faults is explored; the one with the most states is re-explored and its states/second shown;
  - the memory of an N-step trace (default 100,000): a Session stepped N times through a
    generated scenario (a boot whose initcalls keep filling one vmlinux cell past 32 IDs, so
    -E2BIG frees the table and the next initcall starts again), measured with tracemalloc
    (retained and peak) and as the process's peak RSS growth (resource.getrusage).
Nothing here asserts a time: it only reports.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from explorer.sim.explore import explore  # noqa: E402
from explorer.sim.scenario import Scenario, builtin_names, load_scenario  # noqa: E402
from explorer.sim.session import Session, run  # noqa: E402
from explorer.sim.variants import Options, parse_options  # noqa: E402


def best_of(n: int, fn: Callable[[], object]) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(n):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def step_time(repeat: int) -> None:
    print("model step time (full run, first runnable thread first):")
    for name in ("boot_tcp", "module_race"):
        sc = load_scenario(name)
        opts = parse_options([], list(sc.default_faults))
        secs, r = best_of(repeat, lambda sc=sc, opts=opts: run(sc, opts))
        steps = len(r.records)  # type: ignore[attr-defined]
        print(f"  {name:<14} {steps:>6} steps  {secs * 1e3:8.2f} ms  "
              f"{secs / steps * 1e6:7.2f} us/step")


def option_sets(sc: Scenario) -> list[list[str]]:
    return [[], *([v] for v in sc.variants), *([f] for f in sc.faults)]


def exploration(repeat: int) -> None:
    print("exploration (breadth first, states deduplicated):")
    candidates: list[tuple[int, str, Scenario, Options]] = []
    scenarios = [load_scenario(n) for n in builtin_names()]
    try:
        scenarios.append(load_scenario("my_kernel"))
    except Exception as e:  # no readable /sys/kernel/btf/vmlinux: say so and go on
        print(f"  (my_kernel skipped: {e})")
    t_all = time.perf_counter()
    for sc in scenarios:
        for vs in option_sets(sc):
            opts = parse_options(vs, [] if vs and vs[0] in ("kzalloc_fails", "krealloc_fails")
                                 else list(sc.default_faults))
            e = explore(sc, opts)
            candidates.append((e.states, f"{sc.name} ({opts.label()})", sc, opts))
    t_all = time.perf_counter() - t_all
    total = sum(c[0] for c in candidates)
    print(f"  all {len(candidates)} scenario/option pairs: {total} states in {t_all:.2f} s")
    candidates.sort(key=lambda c: -c[0])
    for states, label, _, _ in candidates[:3]:
        print(f"    {label:<40} {states:>7} states")
    states, label, sc, opts = candidates[0]
    secs, e = best_of(repeat, lambda: explore(sc, opts))
    tr = e.transitions  # type: ignore[attr-defined]
    print(f"  largest: {label}: {states} states, {tr} transitions in {secs:.3f} s = "
          f"{states / secs:,.0f} states/s, {tr / secs:,.0f} transitions/s")


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


def trace_memory(n: int) -> None:
    print(f"memory of a {n:,}-step trace (Session keeps every state and record):")
    with tempfile.TemporaryDirectory() as d:
        sc = load_scenario(str(long_boot_scenario(Path(d), rounds=max(1, n // 400))))
        r = run(sc, Options())
        if len(r.records) < n:
            print(f"  the generated boot has only {len(r.records)} steps; use fewer --steps")
            return

        def fill() -> Session:
            s = Session(sc)
            for _ in range(n):
                s.step_auto()
            return s

        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        s = fill()
        secs = time.perf_counter() - t0
        rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        assert s.length == n  # the trace really has n steps (not a timing assertion)
        print(f"  stepping: {secs:.2f} s = {secs / n * 1e6:.2f} us/step (Session.step_auto)")
        print(f"  peak RSS growth (ru_maxrss): {(rss1 - rss0) / 1024:.1f} MiB")
        del s

        tracemalloc.start()
        s = fill()
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  tracemalloc: retained {current / 2**20:.1f} MiB "
              f"({current / n:,.0f} bytes/step), peak {peak / 2**20:.1f} MiB")
        del s


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=100_000, help="trace length for memory")
    ap.add_argument("--repeat", type=int, default=3, help="best of this many timed runs")
    args = ap.parse_args(argv)
    print(f"python {sys.version.split()[0]}")
    step_time(args.repeat)
    exploration(args.repeat)
    trace_memory(args.steps)
    return 0


if __name__ == "__main__":
    sys.exit(main())
