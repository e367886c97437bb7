"""Enumerations, limits and error codes of the kfunc BTF ID set registry (Linux 5.18).

Kernel counterparts: ``enum btf_kfunc_hook`` (kernel/bpf/btf.c: review of v7 of the series moved
it out of the header), ``enum btf_kfunc_type`` (include/linux/btf.h, used by ``struct
btf_kfunc_id_set``), ``BTF_KFUNC_SET_MAX_CNT`` and ``bpf_prog_type_to_kfunc_hook``
(kernel/bpf/btf.c), the errno values of include/uapi/asm-generic/errno-base.h and errno.h.
"""

from __future__ import annotations

from explorer.model.cenum import CEnum

BTF_KFUNC_SET_MAX_CNT = 32
"""The most IDs one vmlinux cell may hold (kernel/bpf/btf.c)."""

U32_MAX = 0xFFFF_FFFF


class BtfKfuncHook(CEnum):
    """``enum btf_kfunc_hook`` (kernel/bpf/btf.c): the program-type families a kfunc set is
    registered for."""

    BTF_KFUNC_HOOK_XDP = 0
    BTF_KFUNC_HOOK_TC = 1
    BTF_KFUNC_HOOK_STRUCT_OPS = 2
    BTF_KFUNC_HOOK_MAX = 3


class BtfKfuncType(CEnum):
    """``enum btf_kfunc_type``: what the verifier asks of a kfunc."""

    BTF_KFUNC_TYPE_CHECK = 0
    BTF_KFUNC_TYPE_ACQUIRE = 1
    BTF_KFUNC_TYPE_RELEASE = 2
    BTF_KFUNC_TYPE_RET_NULL = 3
    BTF_KFUNC_TYPE_MAX = 4

    @property
    def set_field(self) -> str:
        """The member of ``struct btf_kfunc_id_set`` that holds this type's set."""
        return f"{self.short.lower()}_set"


HOOKS = tuple(h for h in BtfKfuncHook if h != BtfKfuncHook.BTF_KFUNC_HOOK_MAX)
TYPES = tuple(t for t in BtfKfuncType if t != BtfKfuncType.BTF_KFUNC_TYPE_MAX)


class BpfProgType(CEnum):
    """``enum bpf_prog_type`` (include/uapi/linux/bpf.h): one enum for both kernels this project
    models. It is uapi: a released value never changes and new types are only appended. v5.18's
    enum ends at SYSCALL (31); the netfilter series appended NETFILTER (32) right after it (the
    uapi hunk of "bpf: add netfilter program type", which 6.x merged), and 6.17's enum ends there
    (Kingxukai/linux 0291023e, include/uapi/linux/bpf.h). So the 5.18 model's
    :func:`parse_prog_type` stops at :data:`LAST_PROG_TYPE_5_18`; the 6.17 model reads them all.
    """

    BPF_PROG_TYPE_UNSPEC = 0
    BPF_PROG_TYPE_SOCKET_FILTER = 1
    BPF_PROG_TYPE_KPROBE = 2
    BPF_PROG_TYPE_SCHED_CLS = 3
    BPF_PROG_TYPE_SCHED_ACT = 4
    BPF_PROG_TYPE_TRACEPOINT = 5
    BPF_PROG_TYPE_XDP = 6
    BPF_PROG_TYPE_PERF_EVENT = 7
    BPF_PROG_TYPE_CGROUP_SKB = 8
    BPF_PROG_TYPE_CGROUP_SOCK = 9
    BPF_PROG_TYPE_LWT_IN = 10
    BPF_PROG_TYPE_LWT_OUT = 11
    BPF_PROG_TYPE_LWT_XMIT = 12
    BPF_PROG_TYPE_SOCK_OPS = 13
    BPF_PROG_TYPE_SK_SKB = 14
    BPF_PROG_TYPE_CGROUP_DEVICE = 15
    BPF_PROG_TYPE_SK_MSG = 16
    BPF_PROG_TYPE_RAW_TRACEPOINT = 17
    BPF_PROG_TYPE_CGROUP_SOCK_ADDR = 18
    BPF_PROG_TYPE_LWT_SEG6LOCAL = 19
    BPF_PROG_TYPE_LIRC_MODE2 = 20
    BPF_PROG_TYPE_SK_REUSEPORT = 21
    BPF_PROG_TYPE_FLOW_DISSECTOR = 22
    BPF_PROG_TYPE_CGROUP_SYSCTL = 23
    BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE = 24
    BPF_PROG_TYPE_CGROUP_SOCKOPT = 25
    BPF_PROG_TYPE_TRACING = 26
    BPF_PROG_TYPE_STRUCT_OPS = 27
    BPF_PROG_TYPE_EXT = 28
    BPF_PROG_TYPE_LSM = 29
    BPF_PROG_TYPE_SK_LOOKUP = 30
    BPF_PROG_TYPE_SYSCALL = 31
    BPF_PROG_TYPE_NETFILTER = 32
    """Not in v5.18: appended after SYSCALL by the netfilter program type series."""


LAST_PROG_TYPE_5_18 = BpfProgType.BPF_PROG_TYPE_SYSCALL
"""The last member of v5.18's ``enum bpf_prog_type``."""


def parse_prog_type(text: str) -> BpfProgType:
    """``SCHED_CLS``, ``sched_cls`` or ``BPF_PROG_TYPE_SCHED_CLS`` → the enum (the types v5.18
    has); ValueError else."""
    return BpfProgType.parse(text, "program type", last=LAST_PROG_TYPE_5_18)


def parse_kfunc_type(text: str) -> BtfKfuncType:
    """``check``/``acquire``/``release``/``ret_null`` (or the enum name) → the enum."""
    key = text.strip().upper().removesuffix("_SET")
    if not key.startswith("BTF_KFUNC_TYPE_"):
        key = "BTF_KFUNC_TYPE_" + key
    try:
        kt = BtfKfuncType[key]
    except KeyError:
        kt = BtfKfuncType.BTF_KFUNC_TYPE_MAX
    if kt == BtfKfuncType.BTF_KFUNC_TYPE_MAX:
        allowed = ", ".join(t.short.lower() for t in TYPES)
        raise ValueError(f"unknown kfunc set type {text!r} (allowed: {allowed})")
    return kt


def bpf_prog_type_to_kfunc_hook(prog_type: int) -> BtfKfuncHook:
    """kernel/bpf/btf.c ``bpf_prog_type_to_kfunc_hook``: every other type maps to HOOK_MAX."""
    if prog_type == BpfProgType.BPF_PROG_TYPE_XDP:
        return BtfKfuncHook.BTF_KFUNC_HOOK_XDP
    if prog_type == BpfProgType.BPF_PROG_TYPE_SCHED_CLS:
        return BtfKfuncHook.BTF_KFUNC_HOOK_TC
    if prog_type == BpfProgType.BPF_PROG_TYPE_STRUCT_OPS:
        return BtfKfuncHook.BTF_KFUNC_HOOK_STRUCT_OPS
    return BtfKfuncHook.BTF_KFUNC_HOOK_MAX


# errno values (include/uapi/asm-generic/errno-base.h, errno.h)
ENOENT = 2
ENXIO = 6
E2BIG = 7
EBADF = 9
ENOMEM = 12
EACCES = 13
EINVAL = 22
EOVERFLOW = 75

ERRNO_NAMES: dict[int, str] = {
    0: "OK",
    ENOENT: "ENOENT",
    ENXIO: "ENXIO",
    E2BIG: "E2BIG",
    EBADF: "EBADF",
    ENOMEM: "ENOMEM",
    EACCES: "EACCES",
    EINVAL: "EINVAL",
    EOVERFLOW: "EOVERFLOW",
}

UAF = "UAF"
"""Outcome name for a thread that ends holding (and dropping) a reference to a freed module."""


def errno_name(ret: int) -> str:
    """0 → ``OK``; -ENXIO → ``ENXIO``; any other value → its number as text."""
    return ERRNO_NAMES.get(-ret if ret < 0 else ret, str(ret)) if ret <= 0 else str(ret)
