"""``my_kernel`` on the 6.17 snapshot: every kfunc of the running kernel, placed or listed.

The kfuncs come from ``/sys/kernel/btf/vmlinux`` (every FUNC tagged with the DECL_TAG
``bpf_kfunc``; pahole >= 1.27), with the names, BTF IDs and prototypes the BTF reader finds. BTF
does not record which ``btf_kfunc_id_set`` registered a kfunc, for which program types, or with
which flags. So each kfunc gets exactly one of three labels:

* **source** — its set, program types and flags were read in kernel source text (the file and
  set are named in ``how``): the TCP congestion-control sets, ``bpf_sk_iter_kfunc_ids`` (with its
  filter), and, read whole in the stored repository Kingxukai/linux (a 6.17.0-rc3 tree: see
  :mod:`explorer.model.v6.constants`; each file at the commit named in ``how``), nf_conntrack's
  ``nf_ct_kfunc_set`` (ten kfuncs), helpers.c's ``generic_btf_ids`` and ``common_btf_ids`` and
  cpumask.c's ``cpumask_kfunc_btf_ids`` (the running kernel may be newer: a kfunc it adds to
  those sets is placed by a rule below);
* **guess** — placed by a name rule, every one labelled GUESS with the rule's reason, flags unknown
  (shown as 0);
* **unplaced** — no rule matched: listed with the reason.

Nothing is dropped: :func:`placements` accounts for every kfunc of the BTF. The scenario then boots
the placed sets (known ones and, labelled hypothetical, one guessed set per hook) into the 6.17
table with their real BTF IDs, and a struct_ops verifier looks one up.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from explorer.btf.reader import DEFAULT_VMLINUX, Kfunc
from explorer.model.records import dataclass
from explorer.model.v6.constants import (
    BTF_KFUNC_SET_MAX_CNT,
    KERNEL,
    KF,
    Hook,
    ProgType,
    flag_names,
)
from explorer.sim.kernel_scenario import MY_KERNEL, _read, status_of
from explorer.sim.spec import ModernScenario, Set8Spec, ThreadSpec


@dataclass(frozen=True, slots=True)
class Known:
    """A set whose members, program type and flags were read in kernel source."""

    symbol: str
    file: str
    prog_types: tuple[ProgType, ...]
    members: tuple[tuple[str, int], ...]
    how: str
    filter: tuple[str, str] | None = None
    """(filter name, attach type it requires)."""


_TA = int(KF.KF_TRUSTED_ARGS)
_FC = int(KF.KF_FASTCALL)
_RCUP = int(KF.KF_RCU_PROTECTED)
_ACQ_NULL = int(KF.KF_ACQUIRE | KF.KF_RET_NULL)
_REL = int(KF.KF_RELEASE)
_RCU = int(KF.KF_RCU)
_SL = int(KF.KF_SLEEPABLE)
_IN, _NX, _DS = int(KF.KF_ITER_NEW), int(KF.KF_ITER_NEXT | KF.KF_RET_NULL), int(KF.KF_ITER_DESTROY)
_RN = int(KF.KF_RET_NULL)
_V617 = "Kingxukai/linux 0291023e, a 6.17.0-rc3 tree"
_V617_CPUMASK = "Kingxukai/linux 9b44fff6 (the same 6.17.0-rc3 repository)"

# kernel/bpf/cpumask.c (6.17.0-rc3): BTF_KFUNCS_START(cpumask_kfunc_btf_ids), in source order;
# cpumask_kfunc_init() registers cpumask_kfunc_set for TRACING, STRUCT_OPS and SYSCALL.
_CPUMASK: tuple[tuple[str, int], ...] = (
    ("bpf_cpumask_create", _ACQ_NULL), ("bpf_cpumask_release", _REL),
    ("bpf_cpumask_acquire", int(KF.KF_ACQUIRE) | _TA),
    *((f"bpf_cpumask_{n}", _RCU) for n in (
        "first", "first_zero", "first_and", "set_cpu", "clear_cpu", "test_cpu",
        "test_and_set_cpu", "test_and_clear_cpu", "setall", "clear", "and", "or", "xor",
        "equal", "intersects", "subset", "empty", "full", "copy", "any_distribute",
        "any_and_distribute", "weight", "populate")),
)

# kernel/bpf/helpers.c (6.17.0-rc3): BTF_KFUNCS_START(generic_btf_ids), in source order;
# kfunc_init() registers generic_kfunc_set for TRACING, SCHED_CLS, XDP, STRUCT_OPS, SYSCALL and
# CGROUP_SKB.
_GENERIC: tuple[tuple[str, int], ...] = (
    ("crash_kexec", int(KF.KF_DESTRUCTIVE)),
    ("bpf_obj_new_impl", _ACQ_NULL), ("bpf_percpu_obj_new_impl", _ACQ_NULL),
    ("bpf_obj_drop_impl", _REL), ("bpf_percpu_obj_drop_impl", _REL),
    ("bpf_refcount_acquire_impl", _ACQ_NULL | _RCU),
    ("bpf_list_push_front_impl", 0), ("bpf_list_push_back_impl", 0),
    ("bpf_list_pop_front", _ACQ_NULL), ("bpf_list_pop_back", _ACQ_NULL),
    ("bpf_list_front", _RN), ("bpf_list_back", _RN),
    ("bpf_task_acquire", _ACQ_NULL | _RCU), ("bpf_task_release", _REL),
    ("bpf_rbtree_remove", _ACQ_NULL), ("bpf_rbtree_add_impl", 0),
    ("bpf_rbtree_first", _RN), ("bpf_rbtree_root", _RN), ("bpf_rbtree_left", _RN),
    ("bpf_rbtree_right", _RN),
    ("bpf_cgroup_acquire", _ACQ_NULL | _RCU), ("bpf_cgroup_release", _REL),
    ("bpf_cgroup_ancestor", _ACQ_NULL | _RCU), ("bpf_cgroup_from_id", _ACQ_NULL),
    ("bpf_task_under_cgroup", _RCU), ("bpf_task_get_cgroup1", _ACQ_NULL | _RCU),
    ("bpf_task_from_pid", _ACQ_NULL), ("bpf_task_from_vpid", _ACQ_NULL), ("bpf_throw", 0),
    ("bpf_send_signal_task", _TA),
)

# kernel/bpf/helpers.c (6.17.0-rc3): BTF_KFUNCS_START(common_btf_ids), in source order;
# kfunc_init() registers common_kfunc_set for BPF_PROG_TYPE_UNSPEC (the COMMON hook).
_COMMON: tuple[tuple[str, int], ...] = (
    ("bpf_cast_to_kern_ctx", _FC), ("bpf_rdonly_cast", _FC),
    ("bpf_rcu_read_lock", 0), ("bpf_rcu_read_unlock", 0),
    ("bpf_dynptr_slice", _RN), ("bpf_dynptr_slice_rdwr", _RN),
    ("bpf_iter_num_new", _IN), ("bpf_iter_num_next", _NX), ("bpf_iter_num_destroy", _DS),
    ("bpf_iter_task_vma_new", _IN | _RCU), ("bpf_iter_task_vma_next", _NX),
    ("bpf_iter_task_vma_destroy", _DS),
    ("bpf_iter_css_task_new", _IN | _TA), ("bpf_iter_css_task_next", _NX),
    ("bpf_iter_css_task_destroy", _DS),
    ("bpf_iter_css_new", _IN | _TA | _RCUP), ("bpf_iter_css_next", _NX),
    ("bpf_iter_css_destroy", _DS),
    ("bpf_iter_task_new", _IN | _TA | _RCUP), ("bpf_iter_task_next", _NX),
    ("bpf_iter_task_destroy", _DS),
    ("bpf_dynptr_adjust", 0), ("bpf_dynptr_is_null", 0), ("bpf_dynptr_is_rdonly", 0),
    ("bpf_dynptr_size", 0), ("bpf_dynptr_clone", 0), ("bpf_dynptr_copy", 0),
    ("bpf_dynptr_memset", 0), ("bpf_modify_return_test_tp", 0),
    ("bpf_wq_init", 0), ("bpf_wq_set_callback_impl", 0), ("bpf_wq_start", 0),
    ("bpf_preempt_disable", 0), ("bpf_preempt_enable", 0),
    ("bpf_iter_bits_new", _IN), ("bpf_iter_bits_next", _NX), ("bpf_iter_bits_destroy", _DS),
    ("bpf_copy_from_user_str", _SL), ("bpf_copy_from_user_task_str", _SL),
    ("bpf_get_kmem_cache", 0),
    ("bpf_iter_kmem_cache_new", _IN | _SL), ("bpf_iter_kmem_cache_next", _NX | _SL),
    ("bpf_iter_kmem_cache_destroy", _DS | _SL),
    ("bpf_local_irq_save", 0), ("bpf_local_irq_restore", 0),
    ("bpf_probe_read_user_dynptr", 0), ("bpf_probe_read_kernel_dynptr", 0),
    ("bpf_probe_read_user_str_dynptr", 0), ("bpf_probe_read_kernel_str_dynptr", 0),
    ("bpf_copy_from_user_dynptr", _SL), ("bpf_copy_from_user_str_dynptr", _SL),
    ("bpf_copy_from_user_task_dynptr", _SL | _TA),
    ("bpf_copy_from_user_task_str_dynptr", _SL | _TA),
    ("bpf_iter_dmabuf_new", _IN | _SL), ("bpf_iter_dmabuf_next", _NX | _SL),
    ("bpf_iter_dmabuf_destroy", _DS | _SL),
    ("__bpf_trap", 0),
    ("bpf_strcmp", 0), ("bpf_strchr", 0), ("bpf_strchrnul", 0), ("bpf_strnchr", 0),
    ("bpf_strrchr", 0), ("bpf_strlen", 0), ("bpf_strnlen", 0), ("bpf_strspn", 0),
    ("bpf_strcspn", 0), ("bpf_strstr", 0), ("bpf_strnstr", 0),
    ("bpf_cgroup_read_xattr", _RCU), ("bpf_stream_vprintk", _TA),
)
_TCP = "(6.x patch BTF_SET8_START → BTF_KFUNCS_START); registered for STRUCT_OPS as in v5.18"

KNOWN: tuple[Known, ...] = (
    Known("tcp_cubic_check_kfunc_ids", "net/ipv4/tcp_cubic.c", (ProgType.BPF_PROG_TYPE_STRUCT_OPS,),
          tuple((n, 0) for n in ("cubictcp_init", "cubictcp_recalc_ssthresh",
                                 "cubictcp_cong_avoid", "cubictcp_state", "cubictcp_cwnd_event",
                                 "cubictcp_acked")), _TCP),
    Known("tcp_bbr_check_kfunc_ids", "net/ipv4/tcp_bbr.c", (ProgType.BPF_PROG_TYPE_STRUCT_OPS,),
          tuple((n, 0) for n in ("bbr_init", "bbr_main", "bbr_sndbuf_expand", "bbr_undo_cwnd",
                                 "bbr_cwnd_event", "bbr_ssthresh", "bbr_min_tso_segs",
                                 "bbr_set_state")), _TCP),
    Known("tcp_dctcp_check_kfunc_ids", "net/ipv4/tcp_dctcp.c", (ProgType.BPF_PROG_TYPE_STRUCT_OPS,),
          tuple((n, 0) for n in ("dctcp_init", "dctcp_update_alpha", "dctcp_cwnd_event",
                                 "dctcp_ssthresh", "dctcp_cwnd_undo", "dctcp_state")), _TCP),
    Known("bpf_tcp_ca_check_kfunc_ids", "net/ipv4/bpf_tcp_ca.c",
          (ProgType.BPF_PROG_TYPE_STRUCT_OPS,),
          tuple((n, 0) for n in ("tcp_reno_ssthresh", "tcp_reno_cong_avoid", "tcp_reno_undo_cwnd",
                                 "tcp_slow_start", "tcp_cong_avoid_ai")), _TCP),
    Known("nf_ct_kfunc_set", "net/netfilter/nf_conntrack_bpf.c",
          (ProgType.BPF_PROG_TYPE_XDP, ProgType.BPF_PROG_TYPE_SCHED_CLS),
          (("bpf_xdp_ct_alloc", _ACQ_NULL), ("bpf_xdp_ct_lookup", _ACQ_NULL),
           ("bpf_skb_ct_alloc", _ACQ_NULL), ("bpf_skb_ct_lookup", _ACQ_NULL),
           ("bpf_ct_insert_entry", _ACQ_NULL | _REL), ("bpf_ct_release", _REL),
           ("bpf_ct_set_timeout", _TA), ("bpf_ct_change_timeout", _TA),
           ("bpf_ct_set_status", _TA), ("bpf_ct_change_status", _TA)),
          f"BTF_KFUNCS_START(nf_ct_kfunc_set), all ten entries with their flags, read in {_V617}; "
          "register_nf_conntrack_bpf() registers it for XDP, then SCHED_CLS"),
    Known("bpf_sk_iter_kfunc_ids", "net/core/filter.c", (ProgType.BPF_PROG_TYPE_TRACING,),
          (("bpf_sock_destroy", _TA),),
          "BTF_KFUNCS_START(bpf_sk_iter_kfunc_ids) with .filter = tracing_iter_filter "
          "(net/core/filter.c, 2024 text); registered for TRACING",
          ("tracing_iter_filter (net/core/filter.c)", "BPF_TRACE_ITER")),
    Known("generic_btf_ids", "kernel/bpf/helpers.c",
          (ProgType.BPF_PROG_TYPE_TRACING, ProgType.BPF_PROG_TYPE_SCHED_CLS,
           ProgType.BPF_PROG_TYPE_XDP, ProgType.BPF_PROG_TYPE_STRUCT_OPS,
           ProgType.BPF_PROG_TYPE_SYSCALL, ProgType.BPF_PROG_TYPE_CGROUP_SKB), _GENERIC,
          f"BTF_KFUNCS_START(generic_btf_ids) read in {_V617}; kfunc_init() registers "
          "generic_kfunc_set for TRACING, SCHED_CLS, XDP, STRUCT_OPS, SYSCALL and CGROUP_SKB"),
    Known("cpumask_kfunc_btf_ids", "kernel/bpf/cpumask.c",
          (ProgType.BPF_PROG_TYPE_TRACING, ProgType.BPF_PROG_TYPE_STRUCT_OPS,
           ProgType.BPF_PROG_TYPE_SYSCALL), _CPUMASK,
          f"BTF_KFUNCS_START(cpumask_kfunc_btf_ids) read in {_V617_CPUMASK}; "
          "cpumask_kfunc_init() registers cpumask_kfunc_set for TRACING, STRUCT_OPS and SYSCALL"),
    Known("common_btf_ids", "kernel/bpf/helpers.c", (ProgType.BPF_PROG_TYPE_UNSPEC,), _COMMON,
          f"BTF_KFUNCS_START(common_btf_ids) read in {_V617}; kfunc_init() registers "
          "common_kfunc_set for BPF_PROG_TYPE_UNSPEC → the COMMON hook, callable from every "
          "program type"),
)


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    hook: Hook
    match: Callable[[str], bool]
    why: str


def _pre(*ps: str) -> Callable[[str], bool]:
    return lambda n: n.startswith(ps)


def _is(*names: str) -> Callable[[str], bool]:
    return lambda n: n in names


RULES: tuple[Rule, ...] = (
    Rule("modify_return_test", Hook.BTF_KFUNC_HOOK_FMODRET, _pre("bpf_modify_return_test"),
         "net/bpf/test_run.c test functions; 6.17 has register_btf_fmodret_id_set for the FMODRET "
         "hook, and these names fit it"),
    Rule("session", Hook.BTF_KFUNC_HOOK_KPROBE, _pre("bpf_session_"),
         "kprobe-session helpers by name; 6.17 has a KPROBE hook"),
    Rule("xdp", Hook.BTF_KFUNC_HOOK_XDP, _pre("bpf_xdp_", "bpf_dynptr_from_xdp"),
         "name says XDP (net/core/xdp.c metadata kfuncs, xfrm state, dynptr)"),
    Rule("conntrack_rest", Hook.BTF_KFUNC_HOOK_TC, _pre("bpf_skb_ct_", "bpf_ct_"),
         "bpf_ct_/bpf_skb_ct_ names outside nf_ct_kfunc_set (e.g. nf_nat_bpf.c's, not read "
         "here); TC shown"),
    Rule("skb", Hook.BTF_KFUNC_HOOK_TC,
         _pre("bpf_dynptr_from_skb", "bpf_sk_assign_tcp_reqsk", "bpf_kfunc_call_", "bpf_crypto_"),
         "skb-side kfuncs by name (net/core/filter.c, net/bpf/test_run.c, crypto); TC shown, "
         "several program types in fact"),
    Rule("sock_cgroup", Hook.BTF_KFUNC_HOOK_CGROUP,
         _pre("bpf_sock_addr_", "bpf_sock_ops_"),
         "sock_addr / sock_ops programs map to the CGROUP hook in 6.17"),
    Rule("arena", Hook.BTF_KFUNC_HOOK_COMMON, _pre("bpf_arena_"),
         "arena kfuncs are callable from any program type: COMMON by guess"),
    Rule("cpumask", Hook.BTF_KFUNC_HOOK_TRACING, _pre("bpf_cpumask_"),
         "kernel/bpf/cpumask.c; TRACING shown (also STRUCT_OPS, SYSCALL, …)"),
    Rule("fs_keys", Hook.BTF_KFUNC_HOOK_TRACING,
         lambda n: n.endswith("_xattr") or n in ("bpf_path_d_path", "bpf_get_task_exe_file",
                                                  "bpf_put_file", "bpf_lookup_user_key",
                                                  "bpf_lookup_system_key", "bpf_key_put")
         or n.startswith("bpf_verify_"),
         "fs/bpf_fs_kfuncs.c and the key kfuncs are for LSM/tracing programs (LSM maps to "
         "TRACING in 6.17)"),
    Rule("generic", Hook.BTF_KFUNC_HOOK_TRACING,
         _pre("bpf_obj_", "bpf_percpu_obj_", "bpf_refcount_", "bpf_list_", "bpf_rbtree_",
              "bpf_task_", "bpf_cgroup_", "bpf_dynptr_", "bpf_iter_", "bpf_rcu_read_",
              "bpf_preempt_", "bpf_local_irq_", "bpf_res_spin_", "bpf_wq_", "bpf_throw",
              "bpf_copy_from_user", "bpf_probe_read_", "bpf_str", "bpf_get_kmem_cache",
              "bpf_send_signal_task", "bpf_stream_", "bpf_map_sum_elem_count", "css_rstat_",
              "bpf_fentry_test", "bpf_sock_destroy"),
         "helpers.c generic_btf_ids-like names (registered for several program types); shown "
         "under TRACING only"),
)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one kfunc of the running kernel goes in the 6.17 table, and how that is known."""

    name: str
    btf_id: int
    proto: str
    how: str
    """``source``, ``guess`` or ``unplaced``."""
    hooks: tuple[str, ...] = ()
    set: str = ""
    flags: int = 0
    why: str = ""

    def as_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"name": self.name, "btf_id": self.btf_id, "proto": self.proto,
                                "how": self.how, "why": self.why}
        if self.how != "unplaced":
            d.update(hooks=list(self.hooks), set=self.set,
                     flags=list(flag_names(self.flags)) if self.how == "source" else "unknown")
        return d


def placements(kfuncs: tuple[Kfunc, ...]) -> tuple[Placement, ...]:
    """One :class:`Placement` per kfunc, in BTF ID order: source, else a guess, else unplaced."""
    known: dict[str, tuple[Known, int]] = {}
    for k in KNOWN:
        for n, fl in k.members:
            known[n] = (k, fl)
    out = []
    for kf in sorted(kfuncs, key=lambda k: k.btf_id):
        if kf.name in known:
            ks, fl = known[kf.name]
            hooks = tuple(_hook_of(p).short for p in ks.prog_types)
            out.append(Placement(kf.name, kf.btf_id, kf.proto, "source", hooks, ks.symbol, fl,
                                 f"{ks.file}: {ks.how}"))
            continue
        rule = next((r for r in RULES if r.match(kf.name)), None)
        if rule is not None:
            out.append(Placement(kf.name, kf.btf_id, kf.proto, "guess", (rule.hook.short,),
                                 f"guess:{rule.name}", 0, f"GUESS ({rule.name}): {rule.why}"))
            continue
        out.append(Placement(kf.name, kf.btf_id, kf.proto, "unplaced",
                             why="BTF records no set, program type or flags for a kfunc, no "
                             "kernel source read here names it, and no name rule matched"))
    return tuple(out)


def _hook_of(p: ProgType) -> Hook:
    from explorer.model.v6.constants import bpf_prog_type_to_kfunc_hook

    return bpf_prog_type_to_kfunc_hook(int(p))


_PROG_OF_HOOK: dict[Hook, ProgType] = {
    Hook.BTF_KFUNC_HOOK_COMMON: ProgType.BPF_PROG_TYPE_UNSPEC,
    Hook.BTF_KFUNC_HOOK_XDP: ProgType.BPF_PROG_TYPE_XDP,
    Hook.BTF_KFUNC_HOOK_TC: ProgType.BPF_PROG_TYPE_SCHED_CLS,
    Hook.BTF_KFUNC_HOOK_STRUCT_OPS: ProgType.BPF_PROG_TYPE_STRUCT_OPS,
    Hook.BTF_KFUNC_HOOK_TRACING: ProgType.BPF_PROG_TYPE_TRACING,
    Hook.BTF_KFUNC_HOOK_CGROUP: ProgType.BPF_PROG_TYPE_CGROUP_SOCK_ADDR,
    Hook.BTF_KFUNC_HOOK_KPROBE: ProgType.BPF_PROG_TYPE_KPROBE,
}


def _fmodret_note() -> str:
    return ("the FMODRET guesses are registered here through register_btf_kfunc_id_set's path "
            "with the FMODRET hook (the kernel uses register_btf_fmodret_id_set)")


@cache
def kernel_scenario_v6(path: str = DEFAULT_VMLINUX) -> ModernScenario:
    """``my_kernel`` on 6.17 for the BTF at ``path`` (InputError: why it is unavailable)."""
    types, kfuncs = _read(path, "pahole older than 1.27")
    pl = placements(kfuncs)
    ids = {p.name: ("vmlinux", p.btf_id) for p in pl}
    sets: dict[str, Set8Spec] = {}
    order: list[str] = []
    for k in KNOWN:
        members = tuple((n, fl) for n, fl in k.members if n in ids)
        if not members:
            continue
        for pt in k.prog_types:
            sname = f"{k.symbol}:{pt.short}" if len(k.prog_types) > 1 else k.symbol
            flt = (k.filter[0], f"vmlinux:{k.symbol}", k.filter[1]) if k.filter else None
            sets[sname] = Set8Spec(sname, k.symbol, None, pt, members, True, flt,
                                   f"({k.file})", k.file)
            order.append(sname)
    for hook in Hook:
        members = tuple((p.name, 0) for p in pl if p.how == "guess" and p.hooks == (hook.short,))
        if not members:
            continue
        members = members[:BTF_KFUNC_SET_MAX_CNT]
        sname = f"guessed_{hook.short.lower()}_kfunc_ids"
        pt = _PROG_OF_HOOK.get(hook, ProgType.BPF_PROG_TYPE_TRACING)
        if hook == Hook.BTF_KFUNC_HOOK_FMODRET:
            continue  # register_btf_fmodret_id_set is not modelled as a thread: listed only
        sets[sname] = Set8Spec(sname, sname, None, pt, members, True, None,
                               "(GUESS: grouped by name)", "", hypothetical=True)
        order.append(sname)
    counts = {h: sum(1 for p in pl if p.how == h) for h in ("source", "guess", "unplaced")}
    probe = "tcp_reno_ssthresh" if "tcp_reno_ssthresh" in ids else next(iter(ids))
    probe_pt = ProgType.BPF_PROG_TYPE_STRUCT_OPS if probe == "tcp_reno_ssthresh" \
        else ProgType.BPF_PROG_TYPE_TRACING
    threads = (
        ThreadSpec("boot", "B", "do_initcalls", (("sets", tuple(order)),)),
        ThreadSpec("verifier", "V", "fetch_kfunc_meta", (
            ("prog_type", probe_pt), ("attach", ""), ("kfunc", probe), ("btf", "vmlinux"))),
    )
    desc = (f"Your kernel's BTF ({path}: {types} types, {len(kfuncs)} kfuncs), on the {KERNEL} "
            f"registry. {counts['source']} kfuncs are placed from kernel source (their set, "
            f"program type and flags were read), {counts['guess']} are GUESSES by name (flags "
            f"unknown, shown as 0; the boot registers them as labelled hypothetical sets, one a "
            f"hook), and {counts['unplaced']} are unplaced (see `run my_kernel --kernel {KERNEL} "
            "--json`, key 'kfuncs'). BTF itself never says which set a kfunc is in. Then a "
            f"verifier looks up {probe}.")
    notes = (f"modelled snapshot: {KERNEL}; the running kernel may be newer (its BTF decides the "
             "kfuncs, the 6.17 model decides the table)", _fmodret_note())
    return ModernScenario(
        MY_KERNEL, f"Your own kernel's kfuncs on the {KERNEL} registry (real BTF IDs)", desc,
        path, ids, {}, {}, threads, (), ("no_sort",), ("kzalloc_fails", "krealloc_fails"), (),
        KERNEL, notes, snapshot_note="your running kernel's kfuncs, on the 6.17 registry",
        snapshot_brief="your kfuncs",
        sets8=sets, modules8={}, placements=pl)


def kernel_status_v6(path: str = DEFAULT_VMLINUX) -> tuple[bool, str]:
    """Whether ``my_kernel`` on 6.17 is available here, and a sentence saying so (or why not)."""
    return status_of(kernel_scenario_v6, path)
