"""``kfunc-explorer``: the command line. With no command it opens the TUI.

Imports are lazy so ``kfunc-explorer tui`` starts as fast as Textual allows.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from typing import Any

EXIT_BAD_INPUT = 2
DEFAULT_PORT = 8000
"""Where ``kfunc-explorer serve`` listens unless told otherwise."""


def _ints(values: list[str], what: str) -> list[int]:
    from explorer.views.heap import parse_u32

    return [parse_u32(v, f"{what}:") for v in values]


class _Bad(Exception):
    pass


def _print_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, indent=2)
    sys.stdout.write("\n")


JSON_HELP = "print the result as JSON (for scripts) instead of text"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kfunc-explorer",
        description="Explore the Linux kernel's kfunc BTF ID set registry (5.18), step by step.")
    p.add_argument("--version", action=_VersionAction, nargs=0,
                   help="show program's version number and exit")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    t = sub.add_parser("tui", help="open the interactive walkthrough (the default): lesson 1 "
                       "for a newcomer, or SCENARIO in the free explorer")
    t.add_argument("scenario_arg", nargs="?", default=None, metavar="SCENARIO",
                   help="open this scenario (a built-in name or a .toml file) in the free "
                        "explorer (same as --scenario)")
    t.add_argument("--scenario", default=None, help="scenario to open")
    t.add_argument("--lesson", default=None,
                   help="lesson to open: its name or number (kfunc-explorer lessons lists them)")
    t.add_argument("--presenter", action="store_true", help="large, high-contrast presenter mode")
    t.add_argument("--kernel", default=None, metavar="VERSION",
                   help="open the scenario in this kernel version (5.16, 5.18, 6.17)")

    s = sub.add_parser("serve", help="serve the TUI in a browser (textual-serve)")
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default: localhost)")
    s.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help=f"port to listen on (default: {DEFAULT_PORT})")

    ls = sub.add_parser("lessons", help="list the lessons (number, title, pages, scenario), "
                        "each checked: every claim and every answer against the model")
    ls.add_argument("files", nargs="*", help="check these lesson .toml files instead")
    ls.add_argument("--json", action="store_true", help=JSON_HELP)

    nb = sub.add_parser("notebooks", help="copy the lesson notebooks into DIR (never over your "
                        "changes without --force)")
    nb.add_argument("dir", metavar="DIR", help="where the ten lesson notebooks go")
    nb.add_argument("--force", action="store_true",
                    help="replace notebooks you changed (yours are saved as NAME.ipynb.bak)")

    lab = sub.add_parser("lab", help="copy the lesson notebooks into DIR and open it in "
                         "JupyterLab (needs the notebook extra); more arguments go to JupyterLab")
    lab.add_argument("dir", metavar="DIR", nargs="?", default=None,
                     help="where the notebooks go (default: ./kfunc-explorer-lessons)")

    sc = sub.add_parser("scenarios", help="list scenarios, their threads and variants")
    sc.add_argument("--json", action="store_true", help=JSON_HELP)

    for name, helptext in (("run", "run a scenario step by step and print the trace"),
                           ("explore", "explore every interleaving of a scenario")):
        r = sub.add_parser(name, help=helptext)
        r.add_argument("scenario", help="a built-in scenario name or a .toml file")
        r.add_argument("--variant", action="append", default=[],
                       help="what-if variant (not the kernel) or fault; repeatable")
        r.add_argument("--fault", action="append", default=[],
                       help="fault injection, e.g. krealloc_fails or krealloc_fails:2")
        r.add_argument("--json", action="store_true", help=JSON_HELP)
        r.add_argument("--kernel", default=None, metavar="VERSION",
                       help="which kernel version of the scenario (5.16, 5.18, 6.17; default: "
                            "the scenario's first; `scenarios` lists each one's versions)")
        if name == "run":
            r.add_argument("--schedule", default="",
                           help="which thread steps, e.g. LLLVVL or L3V2L; the rest runs in "
                                "thread order")

    so = sub.add_parser("sort", help="the kernel's heapsort (lib/sort.c) of these IDs")
    so.add_argument("ids", nargs="+", metavar="ID", help="the IDs to sort (whole numbers)")
    so.add_argument("--json", action="store_true", help=JSON_HELP)
    bs = sub.add_parser("bsearch", help="the kernel's bsearch (lib/bsearch.c) for KEY in IDs")
    bs.add_argument("key", help="the ID to look for")
    bs.add_argument("ids", nargs="*", metavar="ID", help="the sorted IDs to search (one or more)")
    bs.add_argument("--json", action="store_true", help=JSON_HELP)

    ch = sub.add_parser("challenges", help="list the challenges: goals you reach by choosing "
                        "the schedule")
    ch.add_argument("--json", action="store_true", help=JSON_HELP)
    c1 = sub.add_parser("challenge", help="does this schedule win the challenge? and why")
    c1.add_argument("name", help="a challenge name (see: kfunc-explorer challenges)")
    c1.add_argument("--schedule", required=True,
                    help="which thread steps, e.g. L3V9; the rest runs in thread order")
    c1.add_argument("--json", action="store_true", help=JSON_HELP)

    from explorer.cli import btf_cmd

    btf_cmd.register(sub)
    return p


class _VersionAction(argparse.Action):
    """``--version``, looked up only when asked for (importlib.metadata is slow to import, and
    every command, ``tui`` included, builds this parser)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        print(f"{parser.prog} {_version()}")
        parser.exit()


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kfunc-explorer")
    except PackageNotFoundError:  # run from a clone that was never installed
        from explorer import __version__

        return __version__


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    cmd = args.command or "tui"
    if extra and cmd != "lab":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        if cmd == "tui":
            gc.disable()  # start-up: no collections until the first frame (the app resumes them)
            try:
                from explorer.tui.app import run_app

                scenario = getattr(args, "scenario", None) or getattr(args, "scenario_arg", None)
                return int(run_app(scenario=scenario,
                                   lesson=getattr(args, "lesson", None),
                                   presenter=getattr(args, "presenter", False),
                                   kernel=getattr(args, "kernel", None), gc_paused=True))
            finally:
                _leaving()
        if cmd == "serve":
            from explorer.tui.serve import serve

            return int(serve(args.host, args.port))
        if cmd == "btf":
            return int(args.func(args))
        if cmd in ("notebooks", "lab"):
            return _notebooks(cmd, args, extra)
        return _run_command(cmd, args)
    except _Bad as e:
        print(f"kfunc-explorer {cmd}: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValueError as e:  # InputError and friends: one line, no traceback
        print(f"kfunc-explorer {cmd}: {e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _leaving() -> None:
    """The TUI has ended and the process is about to exit: no more garbage collections.

    Python's finalization collects garbage again and again as it tears down the modules,
    visiting every object the session made (Textual's widgets, the model, the lessons):
    ~90 ms of CPU on the 2-core machine, most of a quit. Frozen objects are left to the
    process's end instead; atexit handlers still run and files still flush as before."""
    gc.freeze()
    gc.enable()  # (paused for start-up: a bad name ends before the first frame)


def _run_command(cmd: str, args: argparse.Namespace) -> int:
    from explorer.cli import text
    from explorer.views import report

    if cmd == "lessons":
        rep = report.lessons_report(args.files)
        if not rep["lessons"]:
            raise _Bad(f"no lessons in {rep['lessons_dir']} (a broken install?)")
        _print_json(rep) if args.json else text.print_lessons(rep)
        return 0
    if cmd == "scenarios":
        rep = report.scenarios_report()
        _print_json(rep) if args.json else text.print_scenarios(rep)
        return 0
    if cmd == "run":
        r = report.run_scenario(args.scenario, args.variant, args.fault, args.schedule,
                                args.kernel)
        rep = report.run_report(r)
        _print_json(rep) if args.json else text.print_run(rep)
        return 0
    if cmd == "explore":
        e = report.explore_scenario(args.scenario, args.variant, args.fault, args.kernel)
        rep = report.explore_report(e)
        _print_json(rep) if args.json else text.print_explore(rep)
        return 0
    if cmd == "sort":
        rep = report.sort_report(_ints(args.ids, "ID"))
        _print_json(rep) if args.json else text.print_sort(rep)
        return 0
    if cmd == "bsearch":
        key = _ints([args.key], "KEY")[0]
        if not args.ids:
            raise _Bad("no IDs to search: give the sorted IDs after KEY "
                       "(e.g. kfunc-explorer bsearch 5 1 3 5 7)")
        rep = report.bsearch_report(key, _ints(args.ids, "ID"))
        _print_json(rep) if args.json else text.print_bsearch(rep)
        return 0
    if cmd == "challenges":
        from explorer.views.challenges import challenges_report

        rep = challenges_report()
        _print_json(rep) if args.json else text.print_challenges(rep)
        return 0
    if cmd == "challenge":
        from explorer.views.challenges import check_report

        rep = check_report(args.name, args.schedule)
        _print_json(rep) if args.json else text.print_challenge(rep)
        return 0
    raise _Bad(f"unknown command {cmd!r}")


def _notebooks(cmd: str, args: argparse.Namespace, extra: list[str]) -> int:
    from pathlib import Path

    from explorer.cli import notebooks_cmd as nc

    if cmd == "notebooks":
        dest = Path(args.dir)
        nc.print_copied(dest, nc.copy_notebooks(dest, force=args.force))
        print(nc.open_hint(dest))
        return 0
    if not nc.jupyterlab_installed():
        raise _Bad(f"JupyterLab is not installed here: {nc.NOTEBOOK_EXTRA}")
    dest = Path(args.dir or nc.DEFAULT_LAB_DIR)
    nc.print_copied(dest, nc.copy_notebooks(dest, keep_changed=True))
    nc.exec_lab(dest, extra)
    return 0  # pragma: no cover (exec_lab does not return)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
