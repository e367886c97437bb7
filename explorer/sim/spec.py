"""The data of a scenario: which kfunc sets, modules and threads it has.

Plain frozen dataclasses, separate from the loader (:mod:`explorer.sim.scenario`) so that the
scenario built from this machine's BTF (:mod:`explorer.sim.kernel_scenario`) and the loader can
both build them without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from explorer.model.constants import BpfProgType, BtfKfuncType


@dataclass(frozen=True, slots=True)
class SetSpec:
    """A ``struct btf_kfunc_id_set`` some code registers (or, for the old API, lists)."""

    name: str
    owner: str | None
    prog_type: BpfProgType | None
    kfuncs: tuple[tuple[str, ...], ...]
    """Per type (check, acquire, release, ret_null): kfunc names."""
    initcall: str = ""
    old_list: str | None = None
    hypothetical: bool = False

    def addr(self, type_: int) -> str:
        return f"{self.owner or 'vmlinux'}:{self.name}.{BtfKfuncType(type_).set_field}"


@dataclass(frozen=True, slots=True)
class ModuleSpec:
    name: str
    btf: bool = True
    init: tuple[str, ...] = ()
    init_error: int = 0


@dataclass(frozen=True, slots=True)
class ThreadSpec:
    name: str
    letter: str
    kind: str
    params: tuple[tuple[str, Any], ...] = ()

    def get(self, key: str, default: Any = None) -> Any:
        return dict(self.params).get(key, default)


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    title: str
    description: str
    path: str
    ids: dict[str, tuple[str, int]]
    """kfunc name → (BTF it lives in, BTF ID)."""
    sets: dict[str, SetSpec]
    modules: dict[str, ModuleSpec]
    threads: tuple[ThreadSpec, ...]
    prefill: tuple[str, ...] = ()
    variants: tuple[str, ...] = ()
    faults: tuple[str, ...] = ()
    default_faults: tuple[str, ...] = ()
    kernel: str = "5.18"
    notes: tuple[str, ...] = field(default=())

    @property
    def live_flag(self) -> bool:
        """Kernels before the fix preceding this series had no BTF_MODULE_F_LIVE."""
        return self.kernel != "5.16"

    def thread_by_letter(self, letter: str) -> ThreadSpec | None:
        return next((t for t in self.threads if t.letter == letter), None)
