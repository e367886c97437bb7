"""The data of a scenario (which kfunc sets, modules and threads it has) and of a lesson.

Plain frozen dataclasses, separate from the loaders (:mod:`explorer.sim.scenario`,
:mod:`explorer.sim.lessons`) so that the scenario built from this machine's BTF
(:mod:`explorer.sim.kernel_scenario`) and the loader can both build them without importing each
other, and so that a front can name a lesson (``explorer.views.controller.LessonView``) without
loading the lesson checker before its first frame.
"""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING, Any

from explorer.model.constants import BpfProgType, BtfKfuncType
from explorer.model.records import dataclass
from explorer.sim.variants import Options, parse_options

if TYPE_CHECKING:  # a 6.17 set's field types: the 6.17 model loads with a 6.17 scenario
    from explorer.model.v6 import registry as v6
    from explorer.model.v6.constants import ProgType


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
    arrays: tuple[str | None, ...] = (None, None, None, None)
    """Per type: the named ``[[id_sets]]`` array this member points at (None: its own inline
    array). Two ksets, or two members of one, may point at the same array (nf_conntrack)."""

    def addr(self, type_: int) -> str:
        if self.arrays[type_] is not None:
            return f"{self.owner or 'vmlinux'}:{self.arrays[type_]}"
        return f"{self.owner or 'vmlinux'}:{self.name}.{BtfKfuncType(type_).set_field}"


@dataclass(frozen=True, slots=True)
class IdSetSpec:
    """A named ``struct btf_id_set`` (BTF_SET_START(name) ... BTF_SET_END(name))."""

    name: str
    owner: str | None
    kfuncs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ModuleSpec:
    """A module of the scenario: whether it has BTF, the sets its init registers (in order),
    and the error its init returns after them (0, or ``-EINVAL``)."""

    name: str
    btf: bool = True
    init: tuple[str, ...] = ()
    init_error: int = 0


@dataclass(frozen=True, slots=True)
class ThreadSpec:
    """One thread of the scenario: its name, its key letter, its kind (what it runs) and the
    kind's parameters."""

    name: str
    letter: str
    kind: str
    params: tuple[tuple[str, Any], ...] = ()

    def get(self, key: str, default: Any = None) -> Any:
        return dict(self.params).get(key, default)


@dataclass(frozen=True, slots=True)
class Scenario:
    """A scenario as its file describes it: the kfunc IDs, the sets, the modules, the threads,
    and which what-if variants and faults it offers."""

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
    id_sets: dict[str, IdSetSpec] = field(default_factory=dict)
    cpu: str = "sc"
    """``sc``: stores visible at once (sequentially consistent, the simple case); ``weak``: a
    weakly ordered CPU (arm64, POWER) whose stores wait in a store buffer, thread M."""
    config: tuple[tuple[str, bool], ...] = ()
    """Kernel config options that differ from the default (all on): DEBUG_INFO_BTF,
    DEBUG_INFO_BTF_MODULES."""
    snapshot_note: str = ""
    """Said after the version where the data is not that kernel's own (``my_kernel``)."""
    snapshot_brief: str = ""
    """:attr:`snapshot_note` in a few words, where room is short (an 80-column status line)."""

    def config_on(self, option: str) -> bool:
        return dict(self.config).get(option, True)

    @property
    def snapshot(self) -> str:
        """The kernel snapshot this scenario shows, as the fronts print it."""
        return self._snapshot(self.snapshot_note)

    @property
    def snapshot_short(self) -> str:
        """:attr:`snapshot` with the note in brief (what-if labels and config stay whole)."""
        return self._snapshot(self.snapshot_brief or self.snapshot_note)

    def _snapshot(self, note: str) -> str:
        extra = [f"CONFIG_{k}={'y' if v else 'n'}" for k, v in self.config]
        if note:
            extra.insert(0, note)
        if self.cpu == "weak":
            extra.append("weakly ordered CPU")
        return f"v{self.kernel}" + (f" ({', '.join(extra)})" if extra else "")

    @property
    def live_flag(self) -> bool:
        """Kernels before the fix preceding this series had no BTF_MODULE_F_LIVE."""
        return self.kernel != "5.16"

    @property
    def kfunc_lists(self) -> bool:
        """Kernels before this series kept module kfunc sets on a list per program type and had
        no ``struct btf`` ``kfunc_set_tab`` (v5.16)."""
        return self.kernel == "5.16"

    def thread_by_letter(self, letter: str) -> ThreadSpec | None:
        return next((t for t in self.threads if t.letter == letter), None)


@dataclass(frozen=True, slots=True)
class Set8Spec:
    """A ``struct btf_kfunc_id_set {owner, set, filter}`` whose set is a ``btf_id_set8``."""

    name: str
    symbol: str
    owner: str | None
    prog_type: ProgType
    kfuncs: tuple[tuple[str, int], ...]
    """(kfunc name, KF_* flags) in source order."""
    kfuncs_macro: bool = True
    """True: BTF_KFUNCS_START (sets BTF_SET8_KFUNCS); False: a plain BTF_SET8_START."""
    filter: v6.Filter | None = None
    initcall: str = ""
    source: str = ""
    hypothetical: bool = False

    @property
    def addr(self) -> str:
        return f"{self.owner or 'vmlinux'}:{self.symbol}"


@dataclass(frozen=True, slots=True)
class ModernScenario(Scenario):
    """A 6.17 scenario. ``sets`` and ``modules`` of the 5.18 form stay empty."""

    sets8: dict[str, Set8Spec] = field(default_factory=dict)
    modules8: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """module name → the sets its init registers, in order."""
    sources: tuple[str, ...] = ()
    placements: tuple[Any, ...] = ()
    """``my_kernel`` only: one :class:`explorer.sim.kernel_v6.Placement` per kfunc."""


# -- lessons (read and checked by explorer.sim.lessons) ------------------------------------------


@dataclass(frozen=True, slots=True)
class Prediction:
    """A page's question: its choices, what it asks about (``result``: a thread's result;
    ``cell`` or ``table``: a BTF's table) and what is run and shown once it is answered."""

    question: str
    choices: tuple[str, ...]
    kind: str
    thread: str = ""
    btf: str = "vmlinux"
    hook: str = ""
    type: str = ""
    then: str = ""
    explain: str = ""
    answer: str = ""
    """The answer the page's text and ``explain`` give; checked against the model."""
    claims: tuple[str, ...] = ()
    """Claims about the reveal state (after ``then``), checked like a page's."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Setup:
    """Where a lesson page or a challenge puts the model: a scenario, run under what-if
    variants and faults (keyword arguments, after a page's or a challenge's own fields)."""

    scenario: str
    variants: tuple[str, ...] = ()
    faults: tuple[str, ...] = ()

    @property
    def options(self) -> Options:
        return parse_options(self.variants, self.faults)

    @property
    def options_label(self) -> str:
        """The what-ifs and faults, ``+``-joined (``kernel``: none)."""
        return "+".join((*self.variants, *self.faults)) or "kernel"

    @property
    def not_kernel(self) -> bool:
        """A what-if variant is on: what it shows is not the kernel."""
        return bool(self.variants)


@dataclass(frozen=True, slots=True)
class Page(Setup):
    """One page of a lesson: its text, the schedule that brings the scenario to the state it
    shows, the panel it looks at, and its question, if any."""

    title: str
    text: str
    schedule: str
    focus: str
    predict: Prediction | None
    claims: tuple[str, ...] = ()
    """Checkable facts about the state this page shows (see lessons/README.md)."""
    kernel: str = ""
    """The scenario's kernel version ('': its default, the historical one)."""


@dataclass(frozen=True, slots=True)
class Lesson:
    """A lesson: its pages in order, and where it stands in the series."""

    slug: str
    title: str
    summary: str
    order: int
    path: str
    pages: tuple[Page, ...]
