"""``kfunc-explorer btf [PATH ...] [--json]``: list the kfuncs a running kernel's BTF declares.

The first PATH (default ``/sys/kernel/btf/vmlinux``) is read as base BTF; every further PATH is read
as split BTF on top of it (module BTF such as ``/sys/kernel/btf/bpf_testmod``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from explorer.btf import Kfunc

EXIT_OK = 0
EXIT_BAD_INPUT = 2
PREFIX = "kfunc-explorer btf: "
"""Every error line starts so, as the other subcommands' do."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``btf`` subcommand to the main CLI."""
    p = subparsers.add_parser(
        "btf",
        help="list the kfuncs declared in raw BTF (default: the running kernel's vmlinux)",
        description=(
            "Read raw BTF files and list every kfunc: a FUNC tagged with a 'bpf_kfunc' DECL_TAG. "
            "The first PATH is the base BTF; further PATHs are split (module) BTF on top of it."
        ),
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="raw BTF file(s) (default: the running kernel's /sys/kernel/btf/vmlinux)",
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=run)


def _table(rows: list[tuple[str, Kfunc]], show_file: bool, out: TextIO) -> None:
    id_w = max([len("BTF ID")] + [len(str(k.btf_id)) for _f, k in rows])
    name_w = max([len("NAME")] + [len(k.name) for _f, k in rows])
    file_w = max([len("FILE")] + [len(f) for f, _k in rows]) if show_file else 0
    head = f"{'BTF ID':>{id_w}}  "
    if show_file:
        head += f"{'FILE':<{file_w}}  "
    head += f"{'NAME':<{name_w}}  PROTOTYPE"
    print(head, file=out)
    for f, k in rows:
        line = f"{k.btf_id:>{id_w}}  "
        if show_file:
            line += f"{f:<{file_w}}  "
        line += f"{k.name:<{name_w}}  {k.proto}"
        if k.tags:
            line += f"  [{', '.join(k.tags)}]"
        print(line, file=out)


def run(args: argparse.Namespace) -> int:
    """Run ``btf``; returns the exit status (2 on unreadable or malformed BTF)."""
    # The reader is imported here, not at the top: building the CLI's parser (every command,
    # ``tui`` included) must not pay for it.
    from explorer.btf import DEFAULT_VMLINUX, BtfFormatError, read_btf_file

    paths: list[str] = list(getattr(args, "paths", None) or [DEFAULT_VMLINUX])
    as_json = bool(getattr(args, "json", False))
    t0 = time.perf_counter()
    current = paths[0]
    try:
        base = read_btf_file(current)
        loaded = [(current, base)]
        for current in paths[1:]:
            loaded.append((current, read_btf_file(current, base=base)))
        rows: list[tuple[str, Kfunc]] = [(p, k) for p, f in loaded for k in f.kfuncs()]
    except FileNotFoundError:
        if current == DEFAULT_VMLINUX and not getattr(args, "paths", None):
            print(
                f"{PREFIX}{current}: cannot read: no such file (this kernel does not expose its "
                "BTF; it needs CONFIG_DEBUG_INFO_BTF=y) -- pass a raw BTF file as PATH",
                file=sys.stderr,
            )
        else:
            print(f"{PREFIX}{current}: cannot read: no such file", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as e:
        reason = (e.strerror or str(e)).replace("\n", " ")
        print(f"{PREFIX}{current}: cannot read: {reason}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BtfFormatError as e:
        print(f"{PREFIX}{e}", file=sys.stderr)
        return EXIT_BAD_INPUT
    elapsed = time.perf_counter() - t0
    rows.sort(key=lambda r: r[1].btf_id)
    n_types = sum(f.types for _p, f in loaded)
    try:
        _emit(paths, n_types, rows, as_json, elapsed)
    except BrokenPipeError:  # e.g. `kfunc-explorer btf | head`
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
    return EXIT_OK


def _emit(
    paths: list[str], n_types: int, rows: list[tuple[str, Kfunc]], as_json: bool, elapsed: float
) -> None:
    if as_json:
        doc: dict[str, object] = {
            "file": paths[0],
            "files": paths,
            "types": n_types,
            "kfuncs": [
                {"name": k.name, "btf_id": k.btf_id, "proto": k.proto, "tags": list(k.tags)}
                for _p, k in rows
            ],
        }
        json.dump(doc, sys.stdout, indent=2)
        sys.stdout.write("\n")
        sys.stdout.flush()
        return
    _table(rows, len(paths) > 1, sys.stdout)
    files = ", ".join(paths)
    print(
        f"{n_types} types read from {files}; {len(rows)} kfuncs found in {elapsed:.3f} s",
        file=sys.stdout,
    )
    sys.stdout.flush()
