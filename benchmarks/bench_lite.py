"""Static JupyterLite site: time to a ready Pyodide kernel, and to a lesson fully run, in Debian's
Chromium on 127.0.0.1. Prints figures only (no timed assertions).

    python benchmarks/bench_lite.py [--site build/lite] [--runs 3] [--notebook 01-table.ipynb]

Build the site first with ``./dev.sh lite``. Each run is a fresh browser context (cold caches):
"notebook shown" is JupyterLite's start, "kernel ready" adds Pyodide and the preloaded wheels,
"first diagram" is the first Graphviz SVG drawn by WebAssembly in the kernel.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "lite"))

from browser import CHROMIUM, CHROMIUM_ARGS, Visit, new_page, open_notebook, run_all  # noqa: E402
from serve import serve_in_thread  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--site", type=Path, default=ROOT / "build" / "lite")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--notebook", default="01-table.ipynb")
    args = ap.parse_args()
    if not (args.site / "index.html").is_file():
        print(f"{args.site}: no site (build it with ./dev.sh lite)", file=sys.stderr)
        return 1
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing (./dev.sh browser installs it)", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    size = sum(p.stat().st_size for p in args.site.rglob("*") if p.is_file())
    print(f"site {args.site}: {size / 1e6:.1f} MB; notebook {args.notebook}; {args.runs} runs")
    srv, base = serve_in_thread(args.site)
    rows: list[dict[str, float]] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for i in range(args.runs):
                visit = Visit()
                page = new_page(browser, visit)
                t0 = time.perf_counter()
                open_notebook(page, base, args.notebook, visit)
                run_all(page, visit, t0)
                page.context.close()
                rows.append(visit.timings)
                print(f"run {i + 1}: " + ", ".join(f"{k} {v:.1f} s"
                                                  for k, v in visit.timings.items())
                      + f"; {len(visit.requests)} requests, "
                      f"{len(visit.foreign())} beyond 127.0.0.1")
            browser.close()
    finally:
        srv.shutdown()
    for key in rows[0]:
        vals = [r[key] for r in rows]
        print(f"{key:>15}: median {statistics.median(vals):.1f} s "
              f"(min {min(vals):.1f}, max {max(vals):.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
