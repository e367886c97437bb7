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
    """``enum bpf_prog_type`` (include/uapi/linux/bpf.h), the values this model uses."""

    BPF_PROG_TYPE_UNSPEC = 0
    BPF_PROG_TYPE_SOCKET_FILTER = 1
    BPF_PROG_TYPE_KPROBE = 2
    BPF_PROG_TYPE_SCHED_CLS = 3
    BPF_PROG_TYPE_SCHED_ACT = 4
    BPF_PROG_TYPE_TRACEPOINT = 5
    BPF_PROG_TYPE_XDP = 6
    BPF_PROG_TYPE_PERF_EVENT = 7
    BPF_PROG_TYPE_TRACING = 26
    BPF_PROG_TYPE_STRUCT_OPS = 27
    BPF_PROG_TYPE_LSM = 29
    BPF_PROG_TYPE_SYSCALL = 31


def parse_prog_type(text: str) -> BpfProgType:
    """``SCHED_CLS``, ``sched_cls`` or ``BPF_PROG_TYPE_SCHED_CLS`` → the enum; ValueError else."""
    return BpfProgType.parse(text, "program type")


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
