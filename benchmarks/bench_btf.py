"""Benchmark the raw BTF reader against `bpftool btf dump file` on the running kernel's BTF.

    python benchmarks/bench_btf.py [PATH] [--repeat N]

Prints, best of N runs each:
  - reader (in process): read_btf_file(PATH) + .kfuncs()
  - reader (new process): the same in a fresh `python -c`, start-up included, comparable with
  - bpftool: `bpftool btf dump file PATH > /dev/null` (process start-up included)
and the type and kfunc counts. Never fails when PATH or bpftool is absent: says why instead.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from explorer.btf.reader import (  # noqa: E402
    DEFAULT_VMLINUX,
    BtfFormatError,
    read_btf_file,
)


def best_of(n: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def find_bpftool() -> str | None:
    for cand in (shutil.which("bpftool"), "/usr/sbin/bpftool", "/sbin/bpftool"):
        if cand and os.access(cand, os.X_OK):
            return cand
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("path", nargs="?", default=DEFAULT_VMLINUX)
    ap.add_argument("--repeat", type=int, default=7, help="runs per measurement (best of N)")
    args = ap.parse_args(argv)
    path: str = args.path
    n = max(1, args.repeat)

    print(f"BTF file: {path}")
    if not os.path.exists(path):
        print(f"  not present: nothing to measure ({path} needs CONFIG_DEBUG_INFO_BTF=y)")
        return 0
    try:
        size = os.path.getsize(path)
        btf = read_btf_file(path)
        kfuncs = btf.kfuncs()
    except OSError as e:
        print(f"  cannot read: {e.strerror or e}")
        return 0
    except BtfFormatError as e:
        print(f"  malformed: {e}")
        return 0
    print(f"  size {size:,} bytes, {btf.types:,} types, {len(kfuncs)} kfuncs")

    parse = best_of(n, lambda: read_btf_file(path))
    full = best_of(n, lambda: read_btf_file(path).kfuncs())
    print(f"reader, in process, best of {n}:")
    print(f"  read + parse             {parse * 1000:8.1f} ms")
    print(f"  read + parse + kfuncs    {full * 1000:8.1f} ms")

    code = (
        "import sys; from explorer.btf.reader import read_btf_file; "
        "print(len(read_btf_file(sys.argv[1]).kfuncs()))"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc_time = best_of(
        n,
        lambda: subprocess.run(
            [sys.executable, "-c", code, path],
            stdout=subprocess.DEVNULL,
            check=True,
            env=env,
        ),
    )
    print(f"  new python process       {proc_time * 1000:8.1f} ms  (interpreter start-up included)")

    tool = find_bpftool()
    if tool is None:
        print("bpftool: not installed (apt-get install bpftool); no comparison")
        return 0
    probe = subprocess.run(
        [tool, "btf", "dump", "file", path], capture_output=True, text=True, check=False
    )
    if probe.returncode != 0:
        print(f"bpftool: failed ({probe.stderr.strip()[:200]}); no comparison")
        return 0
    expected = sum(
        1
        for line in probe.stdout.splitlines()
        if "DECL_TAG 'bpf_kfunc'" in line and line.endswith("component_idx=-1")
    )
    tool_time = best_of(
        n,
        lambda: subprocess.run(
            [tool, "btf", "dump", "file", path], stdout=subprocess.DEVNULL, check=False
        ),
    )
    print(f"bpftool ({tool}), best of {n}:")
    print(f"  btf dump file > /dev/null{tool_time * 1000:8.1f} ms")
    print(f"  bpf_kfunc decl tags      {expected:8d}  (reader: {len(kfuncs)})")
    print(
        f"ratio: reader (in process) takes {full / tool_time:.2f}x bpftool's time; "
        f"as a new process {proc_time / tool_time:.2f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
