"""The registry's enumerations and limits as they grew after v5.18, each read from a kernel tree.

Sources (stored kernel trees, read with the project's code search; cite these when teaching):

* **v6.17** — ``kernel/bpf/btf.c`` of the tree ``nhatz11/linux-6.17`` (commit 640605ad): ``enum
  btf_kfunc_hook`` (14 hooks, COMMON first), the anonymous enum with ``BTF_KFUNC_SET_MAX_CNT = 256``
  and ``BTF_KFUNC_FILTER_MAX_CNT = 16``, ``struct btf_kfunc_hook_filter``, ``struct
  btf_kfunc_set_tab { struct btf_id_set8 *sets[BTF_KFUNC_HOOK_MAX]; struct btf_kfunc_hook_filter
  hook_filters[BTF_KFUNC_HOOK_MAX]; }`` and ``bpf_prog_type_to_kfunc_hook``.
* **KF_* flags of 6.17** — ``include/linux/btf.h`` of the stored repository ``Kingxukai/linux``
  (the file as stored at commit 0291023e; the repository's Makefile, stored at 211bbf8a, reads
  6.17.0-rc3, and what was read there fits 6.17: helpers.c has 6.17's string kfuncs and
  bpf_stream_vprintk, not 6.18's bpf_task_work_*): KF_ACQUIRE (1 << 0), KF_RELEASE
  (1 << 1), KF_RET_NULL (1 << 2), then KF_TRUSTED_ARGS (1 << 4) … KF_ARENA_ARG2 (1 << 15). Bit 3
  is free there: KF_KPTR_GET (1 << 3), read in the same file of ``torvalds/linux`` at commit
  00b85860 (a 6.x revision whose ``struct btf_kfunc_id_set`` has no filter yet), was dropped
  before 6.17, so only the 6.0-era snapshot of :data:`HISTORY` names it.
* **the path between** — ``kernel/bpf/btf.c`` of ``torvalds/linux`` at two revisions whose release
  the stored tree does not pin: commit 0076cad3 (TRACING and SYSCALL hooks added, still the
  ``sets[hook][type]`` grid of ``struct btf_id_set`` and a limit of 32) and commit 912310dd (one
  ``struct btf_id_set8`` per hook, limit 256, still five hooks, no filters).

v5.18's own values stay in :mod:`explorer.model.constants`; ``enum bpf_prog_type`` is uapi, so
both models share the one declared there.
"""

from __future__ import annotations

from enum import IntFlag

from explorer.model.cenum import CEnum
from explorer.model.constants import BpfProgType
from explorer.model.records import dataclass

KERNEL = "6.17"
"""The modern snapshot this package models."""

SOURCE_BTF_C = "kernel/bpf/btf.c @ nhatz11/linux-6.17 (commit 640605ad)"
SOURCE_BTF_H = "include/linux/btf.h @ Kingxukai/linux (commit 0291023e, 6.17.0-rc3)"
SOURCE_BTF_H_60 = "include/linux/btf.h @ torvalds/linux (commit 00b85860)"
"""Where the 6.0-era flag list (with KF_KPTR_GET) was read."""

BTF_KFUNC_SET_MAX_CNT = 256
"""6.17: the most BTF ID/flags pairs one hook's set may hold (was 32 in v5.18)."""
BTF_KFUNC_FILTER_MAX_CNT = 16
"""6.17: the most distinct filters one hook may carry."""
BTF_SET8_KFUNCS = 1 << 0
"""``btf_id_set8.flags`` bit set by BTF_KFUNCS_START; ``register_btf_kfunc_id_set`` requires it."""


class Hook(CEnum):
    """v6.17 ``enum btf_kfunc_hook`` (kernel/bpf/btf.c), in the kernel's order."""

    BTF_KFUNC_HOOK_COMMON = 0
    BTF_KFUNC_HOOK_XDP = 1
    BTF_KFUNC_HOOK_TC = 2
    BTF_KFUNC_HOOK_STRUCT_OPS = 3
    BTF_KFUNC_HOOK_TRACING = 4
    BTF_KFUNC_HOOK_SYSCALL = 5
    BTF_KFUNC_HOOK_FMODRET = 6
    BTF_KFUNC_HOOK_CGROUP = 7
    BTF_KFUNC_HOOK_SCHED_ACT = 8
    BTF_KFUNC_HOOK_SK_SKB = 9
    BTF_KFUNC_HOOK_SOCKET_FILTER = 10
    BTF_KFUNC_HOOK_LWT = 11
    BTF_KFUNC_HOOK_NETFILTER = 12
    BTF_KFUNC_HOOK_KPROBE = 13
    BTF_KFUNC_HOOK_MAX = 14


HOOKS = tuple(h for h in Hook if h != Hook.BTF_KFUNC_HOOK_MAX)


class KF(IntFlag):
    """6.17's per-kfunc flags, kept next to each ID in a ``btf_id_set8``: the ``#define KF_*`` of
    ``include/linux/btf.h`` (Kingxukai/linux 0291023e, 6.17.0-rc3), with what each says there
    in our words. The verifier reads them after ``btf_kfunc_id_set_contains`` (kernel/bpf/btf.c)
    has returned the flags word; the registry itself only stores and sorts them."""

    KF_ACQUIRE = 1 << 0
    """returns a referenced object the program must release"""
    KF_RELEASE = 1 << 1
    """releases the referenced object passed to it"""
    KF_RET_NULL = 1 << 2
    """the returned pointer may be NULL: the program must check it"""
    KF_TRUSTED_ARGS = 1 << 4
    """pointer arguments must be trusted (unmodified, not walked)"""
    KF_SLEEPABLE = 1 << 5
    """may sleep: only sleepable programs may call it"""
    KF_DESTRUCTIVE = 1 << 6
    """performs destructive actions (e.g. crash_kexec)"""
    KF_RCU = 1 << 7
    """takes RCU-protected or trusted pointer arguments"""
    KF_ITER_NEW = 1 << 8
    """an open-coded iterator's constructor (one of the three KF_ITER_* a kfunc)"""
    KF_ITER_NEXT = 1 << 9
    """an open-coded iterator's next method"""
    KF_ITER_DESTROY = 1 << 10
    """an open-coded iterator's destructor"""
    KF_RCU_PROTECTED = 1 << 11
    """must be called inside an RCU read-side critical section"""
    KF_FASTCALL = 1 << 12
    """follows the bpf_fastcall convention (the verifier may keep caller registers live)"""
    KF_ARENA_RET = 1 << 13
    """returns a pointer into a BPF arena"""
    KF_ARENA_ARG1 = 1 << 14
    """takes an arena pointer as its first argument"""
    KF_ARENA_ARG2 = 1 << 15
    """takes an arena pointer as its second argument"""


def flag_names(flags: int) -> tuple[str, ...]:
    """``KF_ACQUIRE|KF_RET_NULL`` → the names; unknown bits as ``0x..``."""
    out = [f.name or "" for f in KF if flags & f]
    rest = flags & ~sum(int(f) for f in KF)
    if rest:
        out.append(hex(rest))
    return tuple(out)


def parse_flags(names: list[str] | tuple[str, ...]) -> int:
    """``["KF_ACQUIRE", "ret_null"]`` → bits; ValueError naming an unknown flag."""
    bits = 0
    for n in names:
        key = n.strip().upper()
        if not key.startswith("KF_"):
            key = "KF_" + key
        try:
            bits |= KF[key]
        except KeyError:
            allowed = ", ".join(f.name or "" for f in KF)
            raise ValueError(f"unknown kfunc flag {n!r} (allowed: {allowed})") from None
    return bits


ProgType = BpfProgType
"""``enum bpf_prog_type``: the one uapi enum of :mod:`explorer.model.constants` (uapi numbers never
change; 6.17 has every member, NETFILTER included)."""


def parse_prog_type(text: str) -> ProgType:
    """``TRACING``, ``tracing`` or ``BPF_PROG_TYPE_TRACING`` → the enum; ValueError else."""
    return ProgType.parse(text, "program type")


_PROG_HOOK: dict[ProgType, Hook] = {
    ProgType.BPF_PROG_TYPE_UNSPEC: Hook.BTF_KFUNC_HOOK_COMMON,
    ProgType.BPF_PROG_TYPE_XDP: Hook.BTF_KFUNC_HOOK_XDP,
    ProgType.BPF_PROG_TYPE_SCHED_CLS: Hook.BTF_KFUNC_HOOK_TC,
    ProgType.BPF_PROG_TYPE_STRUCT_OPS: Hook.BTF_KFUNC_HOOK_STRUCT_OPS,
    ProgType.BPF_PROG_TYPE_TRACING: Hook.BTF_KFUNC_HOOK_TRACING,
    ProgType.BPF_PROG_TYPE_TRACEPOINT: Hook.BTF_KFUNC_HOOK_TRACING,
    ProgType.BPF_PROG_TYPE_PERF_EVENT: Hook.BTF_KFUNC_HOOK_TRACING,
    ProgType.BPF_PROG_TYPE_LSM: Hook.BTF_KFUNC_HOOK_TRACING,
    ProgType.BPF_PROG_TYPE_SYSCALL: Hook.BTF_KFUNC_HOOK_SYSCALL,
    ProgType.BPF_PROG_TYPE_CGROUP_SKB: Hook.BTF_KFUNC_HOOK_CGROUP,
    ProgType.BPF_PROG_TYPE_CGROUP_SOCK: Hook.BTF_KFUNC_HOOK_CGROUP,
    ProgType.BPF_PROG_TYPE_CGROUP_DEVICE: Hook.BTF_KFUNC_HOOK_CGROUP,
    ProgType.BPF_PROG_TYPE_CGROUP_SOCK_ADDR: Hook.BTF_KFUNC_HOOK_CGROUP,
    ProgType.BPF_PROG_TYPE_CGROUP_SOCKOPT: Hook.BTF_KFUNC_HOOK_CGROUP,
    ProgType.BPF_PROG_TYPE_CGROUP_SYSCTL: Hook.BTF_KFUNC_HOOK_CGROUP,
    ProgType.BPF_PROG_TYPE_SOCK_OPS: Hook.BTF_KFUNC_HOOK_CGROUP,
    ProgType.BPF_PROG_TYPE_SCHED_ACT: Hook.BTF_KFUNC_HOOK_SCHED_ACT,
    ProgType.BPF_PROG_TYPE_SK_SKB: Hook.BTF_KFUNC_HOOK_SK_SKB,
    ProgType.BPF_PROG_TYPE_SOCKET_FILTER: Hook.BTF_KFUNC_HOOK_SOCKET_FILTER,
    ProgType.BPF_PROG_TYPE_LWT_OUT: Hook.BTF_KFUNC_HOOK_LWT,
    ProgType.BPF_PROG_TYPE_LWT_IN: Hook.BTF_KFUNC_HOOK_LWT,
    ProgType.BPF_PROG_TYPE_LWT_XMIT: Hook.BTF_KFUNC_HOOK_LWT,
    ProgType.BPF_PROG_TYPE_LWT_SEG6LOCAL: Hook.BTF_KFUNC_HOOK_LWT,
    ProgType.BPF_PROG_TYPE_NETFILTER: Hook.BTF_KFUNC_HOOK_NETFILTER,
    ProgType.BPF_PROG_TYPE_KPROBE: Hook.BTF_KFUNC_HOOK_KPROBE,
}


def bpf_prog_type_to_kfunc_hook(prog_type: int) -> Hook:
    """v6.17 ``bpf_prog_type_to_kfunc_hook``: UNSPEC → COMMON; every unlisted type → HOOK_MAX.

    (RAW_TRACEPOINT is *not* mapped in 6.17; a later revision adds it to TRACING.)
    """
    try:
        return _PROG_HOOK.get(ProgType(prog_type), Hook.BTF_KFUNC_HOOK_MAX)
    except ValueError:
        return Hook.BTF_KFUNC_HOOK_MAX


def prog_types_of(hook: Hook) -> tuple[ProgType, ...]:
    """The program types 6.17 maps to ``hook`` (for 'which programs may call this')."""
    return tuple(p for p, h in _PROG_HOOK.items() if h == hook)


# -- the registry's shape through time ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One kernel's registry shape, with where each fact was read."""

    kernel: str
    hooks: tuple[str, ...]
    set_cnt_max: int
    cell: str
    """What one table cell holds."""
    types: tuple[str, ...]
    """Per-set types (v5.18's acquire/release/ret_null) or per-ID flags (6.x)."""
    filters: int
    """BTF_KFUNC_FILTER_MAX_CNT, 0: no kfunc filters."""
    common_hook: bool
    lookup: str
    source: str
    pinned: bool = True
    """False: the stored tree does not say which release this revision belongs to."""


HISTORY: tuple[Snapshot, ...] = (
    Snapshot("5.16", (), 0, "no table: per-prog-type check_kfunc_call + a mutex-protected list",
             (), 0, False, "bpf_check_mod_kfunc_call() walks kfunc_btf_id_list",
             "v5.16 net/bpf/test_run.c, kernel/bpf/btf.c: the lines the series' conversion "
             "patch removed (bpf_prog_test_check_kfunc_call, bpf_check_mod_kfunc_call)"),
    Snapshot("5.18", ("XDP", "TC", "STRUCT_OPS"), 32,
             "struct btf_id_set *sets[HOOK_MAX][TYPE_MAX] (a sorted u32 array)",
             ("CHECK", "ACQUIRE", "RELEASE", "RET_NULL"), 0, False,
             "bool btf_kfunc_id_set_contains(btf, prog_type, type, id)",
             "kernel/bpf/btf.c v5.18 (explorer.model.btf_kfunc)"),
    Snapshot("between 5.18 and 6.0 (torvalds/linux 0076cad3)",
             ("XDP", "TC", "STRUCT_OPS", "TRACING", "SYSCALL"), 32,
             "struct btf_id_set *sets[HOOK_MAX][TYPE_MAX]",
             ("enum btf_kfunc_type (its members were not re-read at this revision)",), 0, False,
             "bool btf_kfunc_id_set_contains(btf, prog_type, type, id)",
             "kernel/bpf/btf.c @ torvalds/linux 0076cad3 (enum btf_kfunc_hook, "
             "BTF_KFUNC_SET_MAX_CNT = 32)", pinned=False),
    Snapshot("6.0 era (torvalds/linux 912310dd)",
             ("XDP", "TC", "STRUCT_OPS", "TRACING", "SYSCALL"), 256,
             "struct btf_id_set8 *sets[HOOK_MAX] (sorted {id, flags} pairs)",
             ("KF_ACQUIRE", "KF_RELEASE", "KF_RET_NULL", "KF_KPTR_GET", "KF_TRUSTED_ARGS",
              "KF_SLEEPABLE", "KF_DESTRUCTIVE"), 0, False,
             "u32 *btf_kfunc_id_set_contains(btf, prog_type, id): the flags, or NULL",
             "kernel/bpf/btf.c @ torvalds/linux 912310dd (struct btf_kfunc_set_tab, "
             "BTF_KFUNC_SET_MAX_CNT = 256); flags: " + SOURCE_BTF_H_60, pinned=False),
    Snapshot(KERNEL, tuple(h.short for h in HOOKS), BTF_KFUNC_SET_MAX_CNT,
             "struct btf_id_set8 *sets[HOOK_MAX] + struct btf_kfunc_hook_filter "
             "hook_filters[HOOK_MAX]",
             tuple(f.name or "" for f in KF),
             BTF_KFUNC_FILTER_MAX_CNT, True,
             "u32 *btf_kfunc_id_set_contains(btf, id, prog): COMMON hook first, then the "
             "program's hook, each through its filters",
             SOURCE_BTF_C + "; flags: " + SOURCE_BTF_H),
)
"""The registry's shape at each snapshot this project shows, oldest first."""
