"""What-if variants (not the kernel) and fault injections (the kernel under failure).

A variant changes a kernel behaviour switch of :class:`explorer.model.state.Config`; every front
shows its ``banner`` while it is on. A fault makes an allocation or a module's init fail; faults are
the real kernel's error paths, so they carry no "not the kernel" banner.
"""

from __future__ import annotations

from dataclasses import replace

from explorer.model.records import dataclass
from explorer.model.state import Config
from explorer.sim.errors import InputError


@dataclass(frozen=True, slots=True)
class Choice:
    """An entry a person picks by name: a what-if variant, a fault or (the controller lists
    them) a scenario. The pickers of every front show them alike."""

    name: str
    title: str
    description: str
    not_kernel: bool = False
    """A what-if variant: not the kernel (every front shows :attr:`banner` while it is on)."""
    takes_n: bool = False
    """A fault that takes a count (``krealloc_fails:2`` fails the second allocation)."""
    available: bool = True
    """False for ``my_kernel`` where this machine's BTF cannot be read (``description`` says
    why; loading it raises that reason)."""
    versions: tuple[str, ...] = ()
    """A scenario's kernel versions, the one it opens in first (a 6.17-only one: ``6.17``)."""

    @property
    def banner(self) -> str:
        """What a front shows while this what-if variant is on."""
        return f"WHAT-IF, NOT THE KERNEL: {self.title}"


VARIANTS: dict[str, Choice] = {v.name: v for v in (
    Choice("no_live_check", "btf_try_get_module() ignores BTF_MODULE_F_LIVE",
           "As before the fix that precedes this series: a verifier can take a reference to a "
           "module that is still COMING, see its table half filled (a kfunc registered later is "
           "'not allowed', EACCES), and keep that reference across a failing init that frees the "
           "module: a use-after-free.", not_kernel=True),
    Choice("live_flag_unlocked",
           "BTF_MODULE_F_LIVE set and read without btf_module_mutex, on a weakly ordered CPU",
           "btf_module_notify(LIVE) sets the flag with a plain store and btf_try_get_module() "
           "reads it with a plain load: no mutex, so no release/acquire pair. The loader CPU's "
           "table stores wait in its store buffer (thread M drains one a step) while the flag "
           "store overtakes them: a verifier can see LIVE with a stale table (a kfunc registered "
           "moments ago is 'not allowed', EACCES). In the kernel the mutex's unlock (release) and "
           "lock (acquire) rule this out; v5.18 has no smp_wmb()/smp_rmb() pair.", not_kernel=True),
    Choice("no_sort", "ID sets are concatenated without the sort() that follows",
           "v5.18's __btf_populate_kfunc_set() skips sorting vmlinux's concatenated sets; 6.17's "
           "btf_populate_kfunc_set() skips sorting any set it copies. The concatenation of sorted "
           "sets is not sorted, so the lookup's bsearch (btf_id_set_contains() in v5.18, "
           "btf_id_set8_contains() in 6.17) misses IDs that are present.", not_kernel=True),
)}
"""The what-if variants: each changes a kernel behaviour switch (:meth:`Options.config`)."""

FAULTS: dict[str, Choice] = {f.name: f for f in (
    Choice("kzalloc_fails", "kzalloc of kfunc_set_tab returns NULL",
           "The n-th kzalloc (default the first) fails: __btf_populate_kfunc_set returns -ENOMEM "
           "directly, without the error path.", takes_n=True),
    Choice("krealloc_fails", "krealloc of a vmlinux cell returns NULL",
           "The n-th krealloc (default the first) fails: -ENOMEM via the error path, which frees "
           "the whole table.", takes_n=True),
    Choice("init_fails", "the module's init fails after registering",
           "Like the selftest bpf_mod_race: init returns -EINVAL after its registrations, so the "
           "module goes GOING and is freed instead of becoming LIVE."),
)}
"""The faults: the real kernel's error paths, so no "not the kernel" banner."""


@dataclass(frozen=True, slots=True)
class Options:
    """The variants and faults a run uses (empty: the kernel as it is)."""

    variants: tuple[str, ...] = ()
    faults: tuple[tuple[str, int], ...] = ()

    @property
    def is_kernel(self) -> bool:
        return not self.variants

    def has_fault(self, name: str) -> bool:
        return any(f == name for f, _ in self.faults)

    def config(self) -> Config:
        cfg = Config()
        for v in self.variants:
            if v == "no_live_check":
                cfg = replace(cfg, live_check=False)
            elif v == "live_flag_unlocked":
                cfg = replace(cfg, live_flag_locked=False, weak_memory=True)
            elif v == "no_sort":
                cfg = replace(cfg, sort_after_concat=False)
        for f, n in self.faults:
            if f == "kzalloc_fails":
                cfg = replace(cfg, fail_kzalloc_nth=n)
            elif f == "krealloc_fails":
                cfg = replace(cfg, fail_krealloc_nth=n)
        return cfg

    def label(self) -> str:
        parts = list(self.variants) + [f if n <= 1 else f"{f}:{n}" for f, n in self.faults]
        return "+".join(parts) if parts else "kernel"

    def banners(self) -> list[str]:
        return [VARIANTS[v].banner for v in self.variants]


def parse_options(variants: list[str] | tuple[str, ...] = (),
                  faults: list[str] | tuple[str, ...] = (), *, where: str = "--variant") -> Options:
    """Validate names (comma-separated lists allowed); ``kernel`` means no variant."""
    vs: list[str] = []
    for item in variants:
        for name in filter(None, (p.strip() for p in item.split(","))):
            if name in ("kernel", "none"):
                continue
            if name in FAULTS:
                faults = (*faults, name)
                continue
            if name not in VARIANTS:
                allowed = ", ".join(["kernel", *VARIANTS, *FAULTS])
                raise InputError(f"{where}: unknown variant {name!r} (allowed: {allowed})")
            if name not in vs:
                vs.append(name)
    fs: list[tuple[str, int]] = []
    for item in faults:
        for spec in filter(None, (p.strip() for p in item.split(","))):
            name, _, n = spec.partition(":")
            if name not in FAULTS:
                allowed = ", ".join(FAULTS)
                raise InputError(f"--fault: unknown fault {name!r} (allowed: {allowed})")
            if n and (not n.isdigit() or int(n) < 1 or not FAULTS[name].takes_n):
                counted = ", ".join(k for k, f in FAULTS.items() if f.takes_n)
                raise InputError(f"--fault: {spec!r}: the count after ':' must be a whole number "
                                 f">= 1, and only {counted} take one")
            if all(name != f for f, _ in fs):
                fs.append((name, int(n) if n else 1))
    return Options(tuple(vs), tuple(fs))
