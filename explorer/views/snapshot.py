"""Render-agnostic view models of one moment of a session.

A :class:`Snapshot` is everything a front draws: the tables (``struct btf`` → ``kfunc_set_tab`` →
cells), the array being sorted or searched, one lane per thread with its pseudo-C and the line
about to run, the modules and the race window, the trace and the outcome. It is plain data (frozen
dataclasses of str/int/bool/tuples, and the session's own frozen step records for the trace): the
TUI and the notebooks only read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from explorer.model.constants import BTF_KFUNC_SET_MAX_CNT, HOOKS, TYPES
from explorer.model.machine import FUNCTIONS, Event
from explorer.model.records import dataclass
from explorer.model.state import BTF_MODULE_F_LIVE, MODULE_STATE_COMING, TabCell, TabPtr, World
from explorer.model.v6 import is_v6_tab
from explorer.sim.engine import SimState, StepRecord, can_step, outcome, waits_for
from explorer.sim.invariants import check_all
from explorer.sim.session import Session
from explorer.sim.variants import VARIANTS
from explorer.views.heap import ArrayView as ArrayView  # a Snapshot's array (the lab's too)
from explorer.views.heap import narrate

if TYPE_CHECKING:
    from explorer.model.v6.registry import KfuncSetTab8
    from explorer.sim.spec import Page, Scenario
    from explorer.views.actions import Keys

HOOK_NAMES = tuple(h.short for h in HOOKS)
TYPE_NAMES = tuple(t.short for t in TYPES)

MAX_CNT = BTF_KFUNC_SET_MAX_CNT
"""The most IDs a vmlinux cell holds (5.18's BTF_KFUNC_SET_MAX_CNT), for the fronts."""


@dataclass(frozen=True, slots=True)
class CellView:
    """One cell of a table: the ``btf_id_set`` it points to (NULL, freed, or its count, IDs and
    capacity), and how the last step touched it."""

    hook: str
    type: str
    addr: str | None
    """None: a NULL cell."""
    cnt: int = 0
    ids: tuple[int, ...] = ()
    capacity: int = 0
    region: str = ""
    """``kmalloc`` (a vmlinux cell's own copy) or ``module`` (points into module memory)."""
    symbol: str = ""
    freed: bool = False
    """The pointer is dangling: kfree'd memory, or a freed module's data."""
    highlight: str = ""
    """What the last step did here: ``write``, ``alloc``, ``free``, ``read`` or ''."""
    pending: bool = False
    """A store to this cell still sits in the loader CPU's store buffer (a weakly ordered CPU)."""
    shared_with: tuple[str, ...] = ()
    """Other cells of this table (``HOOK/TYPE``) that point at the same array: module cells
    alias when ksets share a set (nf_conntrack: one acquire array for four cells)."""
    limit: int = 32
    """BTF_KFUNC_SET_MAX_CNT of the table's kernel: 32 IDs (5.18), 256 pairs (6.17)."""
    flags: tuple[int, ...] = ()
    """6.17: each ID's KF_* flags word, aligned with ``ids`` (empty for 5.18 cells)."""
    names: tuple[str, ...] = ()
    """The kfunc each ID names in its BTF (the scenario's ``ids``), aligned with ``ids``; ''
    for an ID the scenario does not name."""

    def labelled(self) -> tuple[tuple[int, str], ...]:
        """(ID, kfunc name or '') for each valid ID, in array order."""
        return tuple(zip(self.ids, self.names or ("",) * len(self.ids), strict=False))

    @property
    def is_null(self) -> bool:
        return self.addr is None

    @property
    def fill(self) -> str:
        """``cnt/BTF_KFUNC_SET_MAX_CNT``, e.g. ``6/32``: the one place the limit is written."""
        return f"{self.cnt}/{self.limit}"


@dataclass(frozen=True, slots=True)
class TableView:
    """One ``struct btf`` and its ``kfunc_set_tab``."""

    btf: str
    is_module: bool
    published: bool
    tab: str | None
    """None: ``kfunc_set_tab`` is NULL."""
    rows: tuple[tuple[CellView, ...], ...]
    highlight: str = ""
    """``alloc`` or ``free`` when the last step allocated or freed the table itself."""
    pending_tab: str | None = None
    freed_before: bool = False
    """``kfunc_set_tab`` is NULL because an error path freed this BTF's table (in the trace)."""
    kernel: str = "5.18"
    """5.18: rows are hooks × (CHECK, ACQUIRE, RELEASE, RET_NULL); 6.17: one set8 a hook."""
    filters: tuple[tuple[str, ...], ...] = ()
    """6.17: each hook's kfunc filters (by name), aligned with ``rows``."""

    def set8_rows(self) -> tuple[list[tuple[CellView, tuple[str, ...]]], list[str]]:
        """6.17: the hooks worth a row (a set, a filter or this step's write), each with its
        filters, and the names of the hooks left out (NULL, no filter, untouched)."""
        shown: list[tuple[CellView, tuple[str, ...]]] = []
        empty: list[str] = []
        for i, row in enumerate(self.rows):
            c = row[0]
            flt = self.filters[i] if i < len(self.filters) else ()
            if c.is_null and not flt and not c.highlight:
                empty.append(c.hook)
            else:
                shown.append((c, flt))
        return shown, empty


@dataclass(frozen=True, slots=True)
class KfuncListView:
    """v5.16, before this series: one mutex-protected list of module kfunc sets per program
    type (``struct kfunc_btf_id_list``, e.g. ``prog_test_kfunc_list``); ``struct btf`` had no
    ``kfunc_set_tab``. ``sets``: (set symbol, its kfunc names), head first (``list_add``)."""

    name: str
    sets: tuple[tuple[str, tuple[str, ...]], ...]

    KIND = "struct kfunc_btf_id_list: a list_head and a mutex"
    """What one list is, as both fronts say it beside its name."""
    NOTE = ("v5.16: struct btf has no kfunc_set_tab (this series added it); a module's set goes "
            "on a list per program type")
    """What both fronts say under the lists."""
    EMPTY = "empty: no module has registered a set"


@dataclass(frozen=True, slots=True)
class LaneView:
    """One thread: what it runs, where it is, whether it can step."""

    letter: str
    name: str
    kind: str
    runnable: bool
    done: bool
    result: str | None
    daemon: bool
    stack: tuple[str, ...]
    func: str
    file: str
    doc: str
    lines: tuple[str, ...]
    line: int
    """Index into ``lines`` of the line about to run (-1: none)."""
    vars: tuple[tuple[str, str], ...]
    blocked_reason: str = ""
    """Why the thread cannot step, from the model (``waits for nf_conntrack's BTF to be
    published``); '' when it can."""
    prev_line: int = -1
    """Index into ``lines`` of the line the last step executed, when this thread took it in
    this function (Python Tutor's "line that just executed"); -1 otherwise."""
    changed: tuple[str, ...] = ()
    """Names in ``vars`` the last step changed (or created: a call's arguments)."""


@dataclass(frozen=True, slots=True)
class ModuleView:
    """One module as the modules panel shows it: its state and refcount, and its BTF's
    publication and live flag."""

    name: str
    state: str
    refcnt: int
    freed: bool
    btf_published: bool
    live_flag: bool
    in_window: bool
    """BTF visible to user space while init has not finished: the race window."""
    has_live_flag: bool = True
    """False for a kernel before BTF_MODULE_F_LIVE existed (v5.16): there is no flag to show."""


TraceEntry = StepRecord
"""A row of the trace is the session's own record of the step (index, thread letter and name,
function, label, ``summary``, ``finished``: the result if it ended the thread)."""


@dataclass(frozen=True, slots=True)
class Happened:
    """What the last step did, whole (Python Tutor's "what just happened"): the step itself
    (which thread ran which line, every event, the result if it ended the thread), the values it
    changed, and where the thread goes next."""

    step: StepRecord
    changed: tuple[tuple[str, str, str], ...]
    """(name, before, after) of the stepping frame's values; before is '' for a new one."""
    next_func: str
    next_line: str
    """The thread's next line ('' once it has ended)."""

    @property
    def line(self) -> str:
        """The pseudo-C line just executed (white space folded; '' if the label has no listing
        line)."""
        return " ".join(self.step.line.split())

    @property
    def events(self) -> tuple[str, ...]:
        """Every event of the step, whole (``cmp ids[2]=106106 with ids[5]=106124: <``)."""
        return tuple(e.text for e in self.step.events)


@dataclass(frozen=True, slots=True)
class ThreadKey:
    """A thread of the scenario and its keys: lower case steps it, upper case steps over."""

    letter: str
    name: str
    runnable: bool

    @property
    def step_key(self) -> str:
        """The key that steps this thread (``w`` for thread W)."""
        return self.letter.lower()

    @property
    def over_key(self) -> str:
        """The key that steps over the call on its line (``W``)."""
        return self.letter.upper()


@dataclass(frozen=True, slots=True)
class OptionState:
    """A what-if variant (not the kernel) or a fault, and whether it is on (with its count)."""

    name: str
    kind: str
    """``variant`` or ``fault``."""
    title: str
    on: bool
    count: int = 0
    """For a fault that is on: which allocation fails (1 = the first); 0 when off."""
    takes_n: bool = False
    """The fault can fail a later allocation (``krealloc_fails:2``)."""

    @property
    def not_kernel(self) -> bool:
        """A what-if variant: the kernel does not do this."""
        return self.kind == "variant"

    @property
    def spec(self) -> str:
        """``name`` or ``name:n``, as :func:`explorer.sim.variants.parse_options` reads it."""
        return f"{self.name}:{self.count}" if self.count > 1 else self.name


@dataclass(frozen=True, slots=True)
class AnswerVerdict:
    """The model's answer to a prediction, against the learner's pick."""

    index: int
    """The choice picked (0-based)."""
    pick: str
    truth: str
    right: bool
    explain: str = ""
    revealed_at: int = -1
    """The step of the reveal state the model was moved to (-1: not moved)."""

    def said(self, keys: Keys | None = None) -> str:
        """Right or not, the model's answer, the page's explanation, and where it shows (the keys
        that step back named by ``keys``: the user's keymap; None: the defaults)."""
        from explorer.views.actions import DEFAULT_KEYS

        k = keys or DEFAULT_KEYS
        head = (f"✔ Right: {self.truth}." if self.right else
                f"✘ Not quite: you said {self.pick}, the model says {self.truth}.")
        explain = " ".join(self.explain.split())  # a TOML """ string breaks lines anywhere
        out = f"{head}\n{explain}" if explain else head
        if self.revealed_at >= 0:
            out += (f"\nThe model now shows it (step {self.revealed_at}); {k.one('jump_start')} "
                    f"or {k.one('back')} steps back through how it happened.")
        return out


PANELS = ("lanes", "table", "array", "modules", "trace")
"""The model panels every front shows, by id."""
PANEL_FOR_FOCUS = {"table": "table", "sort": "array", "bsearch": "array", "lanes": "lanes",
                   "trace": "trace", "outcomes": "trace"}
"""A lesson page's ``focus`` → the panel that shows it (the one map; ``lanes`` by default)."""


def panel_for_focus(focus: str) -> str:
    """The panel of :data:`PANELS` a lesson page's ``focus`` looks at."""
    return PANEL_FOR_FOCUS.get(focus, "lanes")


REVEAL_PANEL = {"result": "trace", "cell": "table", "table": "table"}
"""The panel that proves a prediction's answer, by the prediction's kind (else the page's)."""

LESSON_STOPS = ("ask", "end", "last", "first", "asks_nothing", "no_choice", "locked")
"""Why a lesson intent did not move on (:attr:`LessonState.stop`): Next stopping once on an open
question (``ask``) or on a last page (``end``; ``last`` in the last lesson), Prev on the first
page, an answer to a page that asks nothing, to a choice it lacks, or to a locked question."""


@dataclass(frozen=True, slots=True)
class LessonState:
    """Where a learner is in a lesson: the page, the panel it looks at, the verdict given."""

    slug: str
    title: str
    index: int
    """The page shown (0-based)."""
    count: int
    """How many pages the lesson has."""
    page: Page
    panel: str
    """The panel the page's focus looks at (:func:`panel_for_focus`)."""
    verdict: AnswerVerdict | None = None
    """The verdict on the page's prediction, once answered (answers are locked)."""
    note: str = ""
    """Why the last lesson intent did not move on (Next stopping on an open question or a last
    page, an answer already locked); '' when it did."""
    number: int = 0
    """The lesson's place in the list (1-based)."""
    stop: str = ""
    """:attr:`note` as a code of :data:`LESSON_STOPS` ('' when it moved on), for a front that
    words it its own way (the notebook has buttons where the TUI has keys)."""

    @property
    def reveal_panel(self) -> str:
        """The panel that proves the page's answer once it is revealed (:data:`REVEAL_PANEL`)."""
        pr = self.page.predict
        return REVEAL_PANEL.get(pr.kind, self.panel) if pr is not None else self.panel


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything a front draws at one moment of a session: the scenario, the threads, the
    tables, the modules, the trace, the sort or bsearch in progress and the lesson's state."""

    scenario: str
    title: str
    description: str
    options: str
    banners: tuple[str, ...]
    kernel: str
    """The kernel snapshot the scenario shows, e.g. ``v5.18`` or ``v5.18 (weakly ordered CPU)``."""
    step: int
    length: int
    schedule: str
    full_schedule: str
    runnable: tuple[str, ...]
    terminal: bool
    outcome: tuple[tuple[str, str], ...]
    tables: tuple[TableView, ...]
    array: ArrayView | None
    lanes: tuple[LaneView, ...]
    modules: tuple[ModuleView, ...]
    trace: tuple[TraceEntry, ...]
    last: TraceEntry | None
    violations: tuple[tuple[str, str], ...]
    window: tuple[tuple[int, str], ...]
    """(step, code) for the steps 0..length (sampled beyond 1000 steps): for the first module,
    0 none/UNFORMED, 1 BTF published (window open), 2 LIVE flag set (closed), 3 GOING/freed.
    Empty without modules."""
    happened: Happened | None = None
    """The last step, whole (None at step 0)."""
    threads: tuple[ThreadKey, ...] = ()
    """The scenario's threads with their keys (any capital letter the scenario names)."""
    option_state: tuple[OptionState, ...] = ()
    """Every variant and fault, on or off, faults with their counts (the controller adds it)."""
    lesson: LessonState | None = None
    """The lesson being followed (the controller adds it); None: free exploring."""
    keymap: tuple[tuple[str, str], ...] = ()
    """The user's rebindings, (action id, keys), that a front's text names keys by (the
    controller adds them; :attr:`keys`)."""
    kernel_short: str = ""
    """:attr:`kernel` with a long note in brief (``v5.18 (your BTF IDs)``) for a narrow status
    line; '' when it is :attr:`kernel`."""
    kfunc_lists: tuple[KfuncListView, ...] = ()
    """v5.16 only: its per-program-type lists of module sets (and ``tables`` is empty: the
    ``kfunc_set_tab`` came with this series)."""

    @property
    def not_the_kernel(self) -> bool:
        return bool(self.banners)

    @property
    def keys(self) -> Keys:
        """How text on screen names a key: the ACTIONS table after the user's keymap."""
        from explorer.views.actions import Keys

        return Keys(self.keymap)


# -- building ---------------------------------------------------------------------------------


def _highlights(rec: StepRecord | None) -> tuple[dict[tuple[str, int, int], str], dict[str, str]]:
    """What the last step did to cells and tables, from the events' structured fields (never
    from their English text): ``hook``/``type`` name a cell, ``table`` the table itself."""
    cells: dict[tuple[str, int, int], str] = {}
    tabs: dict[str, str] = {}
    if rec is None:
        return cells, tabs
    for e in rec.events:
        btf = e.get("btf")
        if btf is None:
            continue
        hook, type_ = e.get("hook"), e.get("type")
        if hook is not None and type_ is not None:
            cells[(btf, hook, type_)] = e.kind
        elif e.get("table") and e.kind in ("alloc", "free", "write"):
            tabs[btf] = e.kind
    return cells, tabs


def _freed_tables(records: Sequence[StepRecord]) -> frozenset[str]:
    """The BTFs whose table an error path freed in ``records`` (structured fields, not text)."""
    return frozenset(str(e.get("btf")) for r in records for e in r.events
                     if e.kind == "free" and e.get("table") and e.get("btf") is not None)


def _table_views(w: World, rec: StepRecord | None, freed: frozenset[str] = frozenset(),
                 kernel: str = "5.18") -> tuple[TableView, ...]:
    hl_cells, hl_tabs = _highlights(rec)
    pending_cells: set[TabCell] = set()
    pending_tab: dict[str, str | None] = {}
    for st in w.pending:
        if isinstance(st.target, TabCell):
            pending_cells.add(st.target)
        elif isinstance(st.target, TabPtr):
            pending_tab[st.target.btf] = st.value
    out = []
    for name in sorted(w.btfs, key=lambda n: (n != "vmlinux", n)):
        b = w.btf(name)
        raw = w.tabs.get(b.kfunc_set_tab) if b.kfunc_set_tab else None
        if raw is not None and is_v6_tab(raw):
            out.append(_table_view_v6(w, name, raw, hl_cells, hl_tabs))
            continue
        if raw is None and kernel != "5.18":  # a NULL table of that kernel: its hooks, limit
            out.append(_null_table_view_v6(w, name, hl_tabs, pending_tab.get(name),
                                           name in freed))
            continue
        tab = w.tab(b.kfunc_set_tab) if b.kfunc_set_tab and b.kfunc_set_tab in w.tabs else None
        rows = []
        for h in HOOKS:
            row = []
            for t in TYPES:
                ptr = tab.cell(h, t) if tab else None
                pend = tab is not None and TabCell(tab.addr, int(h), int(t)) in pending_cells
                hl = hl_cells.get((name, int(h), int(t)), "")
                if ptr is None:
                    row.append(CellView(h.short, t.short, None, highlight=hl, pending=pend))
                    continue
                s = w.find_idset(ptr)
                if s is None:
                    row.append(CellView(h.short, t.short, ptr, freed=True, highlight=hl,
                                        pending=pend))
                    continue
                row.append(CellView(h.short, t.short, ptr, s.cnt, s.valid, len(s.ids), s.region,
                                    s.symbol, s.freed, hl, pend))
            rows.append(tuple(row))
        rows = _mark_aliases(rows)
        out.append(TableView(name, b.is_module, b.published, tab.addr if tab else None,
                             tuple(rows), hl_tabs.get(name, ""), pending_tab.get(name),
                             tab is None and name in freed))
    return tuple(out)


def _mark_aliases(rows: list[tuple[CellView, ...]]) -> list[tuple[CellView, ...]]:
    """Fill each cell's ``shared_with``: the other cells pointing at the same array."""
    by_addr: dict[str, list[str]] = {}
    for row in rows:
        for c in row:
            if c.addr is not None:
                by_addr.setdefault(c.addr, []).append(f"{c.hook}/{c.type}")
    return [tuple(replace(c, shared_with=tuple(k for k in by_addr[c.addr]
                                                 if k != f"{c.hook}/{c.type}"))
                  if c.addr is not None and len(by_addr[c.addr]) > 1 else c for c in row)
            for row in rows]


def _table_view_v6(w: World, name: str, tab: KfuncSetTab8,
                   hl_cells: dict[tuple[str, int, int], str],
                   hl_tabs: dict[str, str]) -> TableView:
    """A 6.17 table: one row a hook, one ``btf_id_set8`` cell each, and the hook's filters."""
    from explorer.model.v6.constants import BTF_KFUNC_SET_MAX_CNT as MAX6
    from explorer.model.v6.constants import HOOKS as HOOKS6
    from explorer.model.v6.constants import KERNEL as KERNEL6
    from explorer.model.v6.registry import IdSet8

    b = w.btf(name)
    rows = []
    for h in HOOKS6:
        ptr = tab.cell(int(h))
        hl = hl_cells.get((name, int(h), 0), "")
        if ptr is None:
            rows.append((CellView(h.short, "SET8", None, highlight=hl, limit=MAX6),))
            continue
        s = w.find_idset(ptr)
        if s is None:
            rows.append((CellView(h.short, "SET8", ptr, freed=True, highlight=hl, limit=MAX6),))
            continue
        flags = tuple(s.flags_of(i) for i in s.valid) if isinstance(s, IdSet8) else ()
        rows.append((CellView(h.short, "SET8", ptr, s.cnt, s.valid, len(s.ids), s.region,
                              s.symbol, s.freed, hl, limit=MAX6, flags=flags),))
    return TableView(name, b.is_module, b.published, tab.addr, tuple(rows),
                     hl_tabs.get(name, ""), None, kernel=KERNEL6,
                     filters=tuple(tuple(f[0] for f in fl) for fl in tab.filters))


def _null_table_view_v6(w: World, name: str, hl_tabs: dict[str, str], pending: str | None,
                        freed: bool) -> TableView:
    """A 6.17 ``struct btf`` whose ``kfunc_set_tab`` is NULL: 6.17's hooks, each NULL, with
    6.17's limit (a 5.18-shaped view drew 5.18's n/32)."""
    from explorer.model.v6.constants import BTF_KFUNC_SET_MAX_CNT as MAX6
    from explorer.model.v6.constants import HOOKS as HOOKS6
    from explorer.model.v6.constants import KERNEL as KERNEL6

    b = w.btf(name)
    rows = tuple((CellView(h.short, "SET8", None, limit=MAX6),) for h in HOOKS6)
    return TableView(name, b.is_module, b.published, None, rows, hl_tabs.get(name, ""), pending,
                     freed, kernel=KERNEL6)


def flag_text(flags: int) -> str:
    """``KF_ACQUIRE|KF_RET_NULL`` for a 6.17 flags word ('' for none)."""
    from explorer.model.v6.constants import flag_names

    return "|".join(flag_names(flags))


def _frame_vars(vars_: object) -> tuple[tuple[str, str], ...]:
    out = []
    for k, v in dict(vars_).items():  # type: ignore[call-overload]
        if k in ("regs", "kset", "results"):
            continue
        out.append((k, str(v)))
    return tuple(out)


def _changed(before: SimState | None, s: SimState, letter: str) -> tuple[tuple[str, str, str], ...]:
    """(name, before, after) of the values of ``letter``'s top frame that differ from the
    same frame before the step; a frame the step pushed has only new values."""
    top = s.thread(letter).top
    if top is None or before is None:
        return ()
    now = _frame_vars(top.vars)
    old_stack = before.thread(letter).stack
    depth = len(s.thread(letter).stack)
    old: dict[str, str] = {}
    if len(old_stack) >= depth and old_stack[depth - 1].func == top.func:
        old = dict(_frame_vars(old_stack[depth - 1].vars))
    return tuple((k, old.get(k, ""), v) for k, v in now if old.get(k) != v)


def _lane(s: SimState, t_letter: str, rec: StepRecord | None = None,
          before: SimState | None = None) -> LaneView:
    t = s.thread(t_letter)
    run_ok = can_step(s, t)
    if t.daemon:
        pend = len(s.world.pending)
        head = f"/* loader CPU store buffer: {pend} store(s) not yet visible */"
        lines = (head, *(f"{st.target} = {st.value}" for st in s.world.pending))
        return LaneView(t.letter, t.name, t.kind, run_ok, False, None, True, (),
                        "store buffer", "(CPU)", "drains one store a step, oldest first",
                        lines, 1 if pend else -1, (), "" if pend else "empty")
    top = t.top
    if top is None:
        return LaneView(t.letter, t.name, t.kind, False, True, t.result, False, (), "", "", "",
                        (), -1, ())
    fn = FUNCTIONS[top.func]
    reason = "" if run_ok else f"waits for {waits_for(s, t)}"
    mine = rec is not None and rec.letter == t.letter
    prev = fn.line_of(rec.pc) if mine and rec is not None and rec.func == top.func else -1
    changed = tuple(k for k, _, _ in _changed(before, s, t.letter)) if mine else ()
    return LaneView(t.letter, t.name, t.kind, run_ok, t.done, t.result, False,
                    tuple(f.func for f in t.stack), top.func, fn.file, fn.doc,
                    tuple(ln.text for ln in fn.lines), fn.line_of(top.pc), _frame_vars(top.vars),
                    reason, prev, changed)


def _happened(s: SimState, rec: StepRecord | None, before: SimState | None) -> Happened | None:
    """The last step, whole, with the values it changed and the stepping thread's next line."""
    if rec is None:
        return None
    t = s.thread(rec.letter)
    top = t.top
    nxt_func = nxt_line = ""
    if top is not None and not t.done:
        fn = FUNCTIONS[top.func]
        k = fn.line_of(top.pc)
        nxt_func = top.func
        nxt_line = fn.lines[k].text.strip() if k >= 0 else top.pc
    changed = () if t.daemon else _changed(before, s, rec.letter)
    return Happened(rec, changed, nxt_func, " ".join(nxt_line.split()))


def _modules(w: World) -> tuple[ModuleView, ...]:
    out = []
    for name, m in w.modules.items():
        e = w.btf_module_entry(name)
        live = bool(e and e.flags & BTF_MODULE_F_LIVE)
        published = name in w.btfs and w.btf(name).published
        out.append(ModuleView(name, m.state, m.refcnt, m.freed, published, live,
                              published and m.state == MODULE_STATE_COMING and not live,
                              w.cfg.live_flag_exists))
    return tuple(out)


def window_code(w: World) -> int:
    for name, m in w.modules.items():
        e = w.btf_module_entry(name)
        if m.freed or m.state == "MODULE_STATE_GOING":
            return 3
        if e is not None and e.flags & BTF_MODULE_F_LIVE:
            return 2
        if name in w.btfs and w.btf(name).published:
            return 1
        return 0
    return 0


WINDOW_SAMPLES = 1000
_window_cache: dict[int, tuple[SimState, str]] = {}


def _window(sess: Session) -> tuple[tuple[int, str], ...]:
    """The race-window code of the states of the timeline (at most WINDOW_SAMPLES of them,
    evenly spaced, always including the cursor), each computed once per state. On a long
    timeline the samples are the session's checkpoints (whole kept states: no replay)."""
    n = len(sess.states)
    idx = range(n) if n <= WINDOW_SAMPLES else sorted(
        {sess.checkpoint_before(i * (n - 1) // (WINDOW_SAMPLES - 1))
         for i in range(WINDOW_SAMPLES)} | {sess.cursor})
    if len(_window_cache) > 200_000:
        _window_cache.clear()
    out = []
    for i in idx:
        st = sess.states[i]
        hit = _window_cache.get(id(st))
        if hit is None or hit[0] is not st:
            hit = (st, str(window_code(st.world)))
            _window_cache[id(st)] = hit
        out.append((i, hit[1]))
    return tuple(out)


def _array(sess: Session) -> ArrayView | None:
    """The sort or bsearch in progress, else the most recent one (bounded look-back)."""
    s = sess.state
    w = s.world
    for t in s.threads:
        for f in reversed(t.stack):
            kind = f.func.partition("@")[0]  # sort@6.17 is 6.17's lib/sort.c
            if kind in ("sort", "bsearch"):
                return _array_from(sess, kind, f.vars, True)
    lo = max(0, sess.cursor - 400)
    for k in range(sess.cursor - 1, lo - 1, -1):
        rec = sess.records[k]
        for e in reversed(rec.events):
            if e.kind in ("cmp", "swap", "probe"):
                addr = str(e.get("addr"))
                if w.find_idset(addr) is None:
                    return None
                kind = "bsearch" if e.kind == "probe" else "sort"
                return _array_from(sess, kind, None, False, last=e, start=k)
    return None


def _int(x: object, default: int = -1) -> int:
    return int(x) if isinstance(x, int) else default


def _array_from(sess: Session, kind: str, vars_: object, active: bool,
                last: Event | None = None, start: int | None = None) -> ArrayView | None:
    w = sess.state.world
    v: dict[str, object] = dict(vars_) if vars_ is not None else {}  # type: ignore[call-overload]
    if v:
        addr = str(v.get("base") if kind == "sort" else v.get("set"))
    else:
        addr = str(last.get("addr")) if last is not None else ""
    s = w.find_idset(addr)
    if s is None:
        return None
    if last is None and sess.last_record is not None:
        last = next((e for e in reversed(sess.last_record.events)
                     if e.kind in ("cmp", "swap", "probe") and e.get("addr") == addr), None)
    # count this run's comparisons/swaps: walk back while steps touch this array
    cmps = swaps = 0
    first = sess.cursor - 1 if start is None else start
    lo = max(0, first - 2000)
    for k in range(first, lo - 1, -1):
        evs = [e for e in sess.records[k].events if e.get("addr") == addr]
        if not evs and k < first and not any(
                e.kind in ("cmp", "swap", "probe") for e in sess.records[k].events) and (
                    not active
                    or sess.records[k].func.partition("@")[0] not in ("sort", "bsearch")):
            break
        cmps += sum(1 for e in evs if e.kind in ("cmp", "probe"))
        swaps += sum(1 for e in evs if e.kind == "swap")
    get = (lambda key: last.get(key)) if last is not None else (lambda key: None)
    text = narrate(last) if last is not None else ""
    if kind == "sort":
        ids = s.ids[: _int(v.get("num"), s.cnt)]
        # a finished sort ends with a == n == 0 (lib/sort.c): the whole array is the sorted tail
        heap_n = _int(v.get("n"), len(ids) if active else 0)
        if not active:
            phase = "done"
        elif last is not None:
            phase = str(get("phase"))
        else:
            phase = "build" if heap_n in (0, len(ids)) else "sortdown"
        return ArrayView("sort", addr, s.symbol or addr, ids, active, _int(get("i")),
                         _int(get("j")), last.kind if last else "",
                         heap_a=_int(v.get("a"), 0), heap_n=heap_n,
                         comparisons=cmps, swaps=swaps,
                         note="lib/sort.c heapsort" + ("" if active else " (finished)"),
                         phase=phase, narration=text)
    pivot = _int(get("index"))
    found = None if active or last is None else get("result") == 0
    return ArrayView("bsearch", addr, s.symbol or addr, s.valid, active, pivot, -1,
                     last.kind if last else "", base=_int(v.get("base"), _int(get("base"), 0)),
                     num=_int(v.get("num"), 0), pivot=pivot,
                     key=_int(v.get("key"), _int(get("key"))), found=found, comparisons=cmps,
                     note="lib/bsearch.c" + ("" if active else " (finished)"),
                     phase="search", narration=text)


_NAMES: dict[int, tuple[object, dict[tuple[str, int], str]]] = {}


def _kfunc_names(sc: object, ids: dict[str, tuple[str, int]]) -> dict[tuple[str, int], str]:
    """(BTF, BTF ID) → kfunc name for a scenario, built once per scenario object."""
    hit = _NAMES.get(id(sc))
    if hit is not None and hit[0] is sc:
        return hit[1]
    by_id: dict[tuple[str, int], str] = {}
    for name, where in ids.items():
        by_id.setdefault(where, name)
    if len(_NAMES) > 64:
        _NAMES.clear()
    _NAMES[id(sc)] = (sc, by_id)
    return by_id


def _named(tables: tuple[TableView, ...],
           names: dict[tuple[str, int], str]) -> tuple[TableView, ...]:
    """Each cell's IDs with the kfunc they name in that table's BTF (a cell of ``struct btf
    X``'s table holds X's own BTF IDs: module IDs continue after vmlinux's)."""
    if not names:
        return tables
    return tuple(replace(tv, rows=tuple(
        tuple(replace(c, names=tuple(names.get((tv.btf, i), "") for i in c.ids)) if c.ids
              else c for c in row) for row in tv.rows)) for tv in tables)


def _kfunc_lists(sc: Scenario, w: World) -> tuple[KfuncListView, ...]:
    """Each ``kfunc_btf_id_list`` the scenario's sets go on, with the sets on it now (head
    first: ``register_kfunc_btf_id_set`` does ``list_add``)."""
    names = sorted({st.old_list for st in sc.sets.values() if st.old_list})
    by_id = _kfunc_names(sc, sc.ids)
    out = []
    for lst in names:
        sets = []
        for addr in w.old_lists.get(lst, ()):
            idset = w.idset(addr)
            btf = idset.owner or "vmlinux"
            sets.append((idset.symbol.split(".")[0],
                         tuple(by_id.get((btf, i), str(i)) for i in idset.valid)))
        out.append(KfuncListView(lst, tuple(sets)))
    return tuple(out)


def snapshot(sess: Session, *, trace_tail: int = 200) -> Snapshot:
    """The view model of ``sess`` at its cursor."""
    s = sess.state
    sc = sess.scenario
    rec = sess.last_record
    lo = max(0, sess.cursor - trace_tail)
    recent = sess.records[lo: sess.cursor]
    window = _window(sess) if s.world.modules else ()
    banners = tuple(VARIANTS[v].banner for v in sess.options.variants)
    before = sess.states[sess.cursor - 1] if sess.cursor else None
    runnable = tuple(sess.runnable())
    return Snapshot(
        sc.name, sc.title, sc.description, sess.options.label(), banners, sc.snapshot,
        sess.cursor, sess.length, sess.schedule, sess.full_schedule,
        runnable, sess.terminal,
        tuple(outcome(s).items()) if sess.terminal else tuple(
            (t.name, t.result) for t in s.threads if t.result is not None and not t.daemon),
        () if sc.kfunc_lists else
        _named(_table_views(s.world, rec, _freed_tables(recent), sc.kernel),
               _kfunc_names(sc, sc.ids)),
        _array(sess),
        tuple(_lane(s, t.letter, rec, before) for t in s.threads), _modules(s.world), tuple(recent),
        rec, tuple(check_all(s)), window,
        _happened(s, rec, before),
        tuple(ThreadKey(t.letter, t.name, t.letter in runnable) for t in s.threads),
        kernel_short="" if sc.snapshot_short == sc.snapshot else sc.snapshot_short,
        kfunc_lists=_kfunc_lists(sc, s.world) if sc.kfunc_lists else ())
