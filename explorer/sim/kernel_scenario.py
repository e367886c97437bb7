"""``my_kernel``: a scenario built from the running kernel's own BTF.

The kfuncs come from ``/sys/kernel/btf/vmlinux`` (every FUNC tagged with the DECL_TAG
``bpf_kfunc``), with their real names and BTF IDs. BTF cannot say which ``btf_kfunc_id_set`` each
kfunc was registered in, nor for which program types, so the grouping is reconstructed:

* by subsystem, where MODEL.md §8 names it (the TCP congestion controls for STRUCT_OPS: these are
  the sets the series converted);
* by name prefix otherwise (``bpf_xdp_*`` → XDP, ``bpf_skb_*``/``bpf_ct_*`` → TC), **labelled as a
  guess**;
* the set types (acquire/release/ret_null) by name, also a guess.

Kfuncs that modern kernels register for program types this 5.18 model has no hook for (tracing,
syscall, LSM, …) are left out and counted. Each cell is kept within BTF_KFUNC_SET_MAX_CNT.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from explorer.model.constants import BTF_KFUNC_SET_MAX_CNT, BpfProgType
from explorer.sim.errors import InputError
from explorer.sim.spec import Scenario, SetSpec, ThreadSpec

if TYPE_CHECKING:
    from explorer.btf.reader import Kfunc

DEFAULT_VMLINUX = "/sys/kernel/btf/vmlinux"
"""The running kernel's BTF (``explorer.btf.reader.DEFAULT_VMLINUX``; the reader itself is
imported only when a file is read, so importing this module, as every front does, stays cheap)."""

MY_KERNEL = "my_kernel"


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    prog_type: BpfProgType
    match: Callable[[str], bool]
    initcall: str
    guess: bool


def _prefix(*ps: str) -> Callable[[str], bool]:
    return lambda n: n.startswith(ps)


GROUPS: tuple[Group, ...] = (
    Group("tcp_cubic_kfunc_set", BpfProgType.BPF_PROG_TYPE_STRUCT_OPS, _prefix("cubictcp_"),
          "module_init(cubictcp_register)", False),
    Group("tcp_bbr_kfunc_set", BpfProgType.BPF_PROG_TYPE_STRUCT_OPS, _prefix("bbr_"),
          "module_init(bbr_register)", False),
    Group("tcp_dctcp_kfunc_set", BpfProgType.BPF_PROG_TYPE_STRUCT_OPS, _prefix("dctcp_"),
          "module_init(dctcp_register)", False),
    Group("bpf_tcp_ca_kfunc_set", BpfProgType.BPF_PROG_TYPE_STRUCT_OPS,
          lambda n: n.startswith("tcp_reno_") or n in ("tcp_slow_start", "tcp_cong_avoid_ai"),
          "late_initcall(bpf_tcp_ca_kfunc_init)", False),
    Group("xdp_kfuncs (guess: bpf_xdp_*)", BpfProgType.BPF_PROG_TYPE_XDP, _prefix("bpf_xdp_"),
          "(guessed from the name prefix)", True),
    Group("tc_kfuncs (guess: bpf_skb_*, bpf_ct_*)", BpfProgType.BPF_PROG_TYPE_SCHED_CLS,
          _prefix("bpf_skb_", "bpf_ct_"), "(guessed from the name prefix)", True),
)


def _types_of(name: str) -> tuple[bool, bool, bool]:
    """(acquire, release, ret_null) guessed from a kfunc's name."""
    acquire = "acquire" in name or name.endswith(("_lookup", "_alloc", "_create"))
    release = "release" in name or name.endswith(("_put", "_drop"))
    ret_null = name.endswith(("_lookup", "_alloc")) or "from_" in name
    return acquire, release, ret_null


def _read(path: str, pahole: str) -> tuple[int, tuple[Kfunc, ...]]:
    """The BTF at ``path``: how many types, and its kfuncs (InputError when it has none; ``pahole``
    says which pahole tags them, for the message)."""
    from explorer.btf.reader import BtfFormatError, read_btf_file

    try:
        btf = read_btf_file(path)
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e} (the {MY_KERNEL} scenario "
                         "needs a kernel built with CONFIG_DEBUG_INFO_BTF)") from None
    except BtfFormatError as e:
        raise InputError(str(e)) from None
    if not (kfuncs := tuple(btf.kfuncs())):
        raise InputError(f"{path}: no kfuncs found (no DECL_TAG 'bpf_kfunc': a kernel older than "
                         f"6.x or built with {pahole})")
    return btf.types, kfuncs


@cache
def kernel_scenario(path: str = DEFAULT_VMLINUX) -> Scenario:
    """The ``my_kernel`` scenario of the BTF at ``path`` (InputError: why it is unavailable)."""
    types, kfuncs = _read(path, "an older pahole")
    ids = {k.name: ("vmlinux", k.btf_id) for k in kfuncs}
    sets: dict[str, SetSpec] = {}
    used: set[str] = set()
    per_cell: dict[tuple[BpfProgType, int], int] = {}
    notes: list[str] = []
    for g in GROUPS:
        members = sorted((k for k in kfuncs if g.match(k.name) and k.name not in used),
                         key=lambda k: k.btf_id)
        if not members:
            continue
        check = [k.name for k in members]
        room = BTF_KFUNC_SET_MAX_CNT - per_cell.get((g.prog_type, 0), 0)
        if room <= 0:
            notes.append(f"{g.name}: left out, the cell is full")
            continue
        if len(check) > room:
            notes.append(f"{g.name}: kept {room} of {len(check)} to stay within "
                         f"BTF_KFUNC_SET_MAX_CNT")
            check = check[:room]
        per_cell[(g.prog_type, 0)] = per_cell.get((g.prog_type, 0), 0) + len(check)
        typed: list[list[str]] = [check, [], [], []]
        if g.guess:
            for n in check:
                for t, flag in enumerate(_types_of(n), start=1):
                    if flag:
                        typed[t].append(n)
        used.update(check)
        sname = g.name.split(" ")[0]
        sets[sname] = SetSpec(sname, None, g.prog_type, tuple(tuple(x) for x in typed),
                              g.initcall, None, g.guess)
    if not sets:
        raise InputError(f"{path}: none of its {len(kfuncs)} kfuncs belongs to a subsystem this "
                         "5.18 model has a hook for (XDP, TC, STRUCT_OPS)")
    left = len(kfuncs) - len(used)
    struct_ops = [s for s in sets.values() if s.prog_type == BpfProgType.BPF_PROG_TYPE_STRUCT_OPS]
    probe_set = (struct_ops or list(sets.values()))[-1]
    probe = probe_set.kfuncs[0][0]
    threads = (
        ThreadSpec("boot", "B", "do_initcalls", (("sets", tuple(sets)),)),
        ThreadSpec("verifier", "V", "bpf_prog_load", (
            ("prog_type", probe_set.prog_type), ("kfunc", probe), ("btf", "vmlinux"),
            ("api", "new"), ("static_set", None))),
    )
    guessed = [s.name for s in sets.values() if s.hypothetical]
    desc = (f"Your kernel's BTF ({path}: {types} types, {len(kfuncs)} kfuncs). Boot registers "
            f"{len(used)} of them, with their real BTF IDs, in {len(sets)} sets: "
            + ", ".join(sets) + ". "
            + (f"The grouping of {', '.join(guessed)} is a GUESS from name prefixes: BTF does not "
               "record which set a kfunc was registered in. " if guessed else "")
            + f"{left} kfuncs are left out: modern kernels register them for program types this "
            "5.18 model has no hook for. A struct_ops verifier then looks up " + probe + ".")
    return Scenario(MY_KERNEL, "Your own kernel's kfuncs (real BTF IDs)", desc, path, ids, sets,
                    {}, threads, (), ("no_sort",), ("kzalloc_fails", "krealloc_fails"), (),
                    "5.18", (*notes, "grouping: " + ("guessed for " + ", ".join(guessed)
                                                      if guessed else "by subsystem")),
                    snapshot_note="its registry, fed your running kernel's BTF IDs",
                    snapshot_brief="your BTF IDs")


def status_of(load: Callable[[str], Scenario], path: str) -> tuple[bool, str]:
    """Whether ``load(path)`` gives a ``my_kernel`` scenario here, and a sentence saying so (or
    why not)."""
    try:
        sc = load(path)
    except InputError as e:
        return False, str(e)
    return True, sc.description


def kernel_status(path: str = DEFAULT_VMLINUX) -> tuple[bool, str]:
    """Whether ``my_kernel`` (5.18) is available here, and a sentence saying so (or why not)."""
    return status_of(kernel_scenario, path)
