"""A cell of your own: your IDs registered into vmlinux's table as a (hypothetical) built-in set.

:func:`custom_scenario` builds an ordinary scenario (validated by the same loader as the files):
boot registers bpf_tcp_ca's real check set for the chosen program type, then yours, so the
kernel concatenates the two in one vmlinux cell and heapsorts the result; then a verifier looks
your key up in that cell with bsearch. More than BTF_KFUNC_SET_MAX_CNT IDs in the cell is the
kernel's -E2BIG (and its error path), not an input error.
"""

from __future__ import annotations

from collections.abc import Sequence

from explorer.model.constants import parse_prog_type
from explorer.sim.errors import InputError
from explorer.sim.scenario import Scenario, parse_scenario

CUSTOM = "my_cell"
MAX_BTF_ID = 0x7FFF_FFFF
_NEIGHBOUR = ("tcp_reno_ssthresh", "tcp_reno_cong_avoid", "tcp_reno_undo_cwnd", "tcp_slow_start",
              "tcp_cong_avoid_ai")


def custom_scenario(ids: Sequence[int], key: int | None = None,
                    prog_type: str = "STRUCT_OPS") -> Scenario:
    """Your IDs as a built-in kfunc set for ``prog_type``; a verifier looks ``key`` up (default:
    your first ID). Raises :class:`InputError` (one line) on IDs a BTF cannot have."""
    if not ids:
        raise InputError("my cell: empty: type some IDs, e.g. 106106 106124 105996")
    for k, i in enumerate(ids, 1):
        if not 1 <= i <= MAX_BTF_ID:
            raise InputError(f"my cell: value {k} {i}: a BTF ID is 1..{MAX_BTF_ID}")
    if key is not None and not 1 <= key <= MAX_BTF_ID:
        raise InputError(f"key: {key}: a BTF ID is 1..{MAX_BTF_ID}")
    try:
        pt = parse_prog_type(prog_type)
    except ValueError as e:
        raise InputError(f"program type: {e}") from None
    mine = {f"my_kfunc_{k}": i for k, i in enumerate(ids)}
    wanted = key if key is not None else ids[0]
    names = {v: n for n, v in mine.items()}
    kfunc = names.get(wanted, "my_key")
    if kfunc == "my_key":
        mine["my_key"] = wanted
    data = {
        "name": CUSTOM,
        "title": "Your own cell, registered at boot",
        "description": (
            f"Boot registers bpf_tcp_ca's check set for {pt.short}, then yours ({len(ids)} IDs, "
            "a hypothetical built-in set: not in the kernel). __btf_populate_kfunc_set "
            "concatenates them in one vmlinux cell and sorts it with lib/sort.c; then a "
            f"verifier bsearches the cell for {wanted}."),
        "variants": ["no_sort"],
        "faults": ["kzalloc_fails", "krealloc_fails"],
        "ids": {"vmlinux": mine},
        "sets": [
            {"name": "bpf_tcp_ca_kfunc_set", "prog_type": pt.short,
             "initcall": "late_initcall(bpf_tcp_ca_kfunc_init)", "check": list(_NEIGHBOUR)},
            {"name": "my_kfunc_set", "prog_type": pt.short, "hypothetical": True,
             "initcall": "late_initcall(my_init)  /* yours */",
             "check": [n for n in mine if n != "my_key"]},
        ],
        "threads": [
            {"name": "boot", "letter": "B", "kind": "do_initcalls",
             "sets": ["bpf_tcp_ca_kfunc_set", "my_kfunc_set"]},
            {"name": "verifier", "letter": "V", "kind": "bpf_prog_load", "prog_type": pt.short,
             "kfunc": kfunc},
        ],
    }
    return parse_scenario(data, "my cell")
