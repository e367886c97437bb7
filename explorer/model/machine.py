"""A small PlusCal-like machine for kernel functions.

Every modelled kernel function is a set of *labelled atomic steps* over an immutable world. A
running activity is a stack of :class:`Frame` values (function, label, local variables); one
:func:`step` executes exactly one label of the top frame and returns the new world and stack. As
in PlusCal/TLA+, a whole state (world + stacks) is a value that can be hashed and compared, which is
what the scheduler, time travel and exhaustive exploration in ``explorer.sim`` build on.

Each function carries an annotated pseudo-C listing (our own words, written to follow the kernel
function it names); every label marks the line that the step about to run executes, so a front can
highlight it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import field
from typing import TYPE_CHECKING, Any, ClassVar

from explorer.model.records import dataclass
from explorer.model.values import FMap, Value, Vars, cached_hash

if TYPE_CHECKING:
    from explorer.model.state import World


@dataclass(frozen=True, slots=True)
class Event:
    """Something a step did that a front may show: a comparison, a swap, a probe, a write…

    ``kind`` is one of: ``cmp``, ``swap``, ``probe``, ``alloc``, ``free``, ``write``, ``read``,
    ``publish``, ``state``, ``ref``, ``error``, ``note``, ``barrier``, ``lock``.
    """

    kind: str
    text: str
    data: tuple[tuple[str, Value], ...] = ()

    def get(self, key: str, default: Value = None) -> Value:
        for k, v in self.data:
            if k == key:
                return v
        return default


def ev(kind: str, text: str, **data: Value) -> Event:
    """Build an :class:`Event` with keyword data."""
    return Event(kind, text, tuple(data.items()))


@cached_hash
@dataclass(frozen=True, slots=True)
class Frame:
    """One activation of a kernel function: its name, the label about to run, its locals.

    Part of every state, so hashed once (a caller's frame is shared by the states above it)."""

    func: str
    pc: str
    vars: Vars
    ret_pc: str = ""
    """The caller's label to resume at when this frame returns."""
    ret_var: str = ""
    """The caller's variable that receives the return value ('' to discard)."""
    _hash: int = field(default=0, init=False, repr=False, compare=False)


def slot_setters(cls: type, *names: str) -> tuple[Callable[[Any, Any], None], ...]:
    """The setters of the slots ``names`` of ``cls`` (they set a frozen dataclass's field)."""
    return tuple(cls.__dict__[n].__set__ for n in names)


_new = object.__new__
_set_func, _set_pc, _set_vars, _set_ret_pc, _set_ret_var, _set_frame_hash = slot_setters(
    Frame, "func", "pc", "vars", "ret_pc", "ret_var", "_hash")


def make_frame(func: str, pc: str, vars: Vars, ret_pc: str, ret_var: str) -> Frame:
    """``Frame(func, pc, vars, ret_pc, ret_var)``, built the quick way for the step loop: a
    frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``, several
    times slower than the slots' own setters used here (one frame is made every step)."""
    f = _new(Frame)
    _set_func(f, func)
    _set_pc(f, pc)
    _set_vars(f, vars)
    _set_ret_pc(f, ret_pc)
    _set_ret_var(f, ret_var)
    _set_frame_hash(f, 0)
    return f


@dataclass(slots=True)
class Effect:
    """What one step did: the new world and one of continue / call / return.

    A transient record: made by :func:`goto`, :func:`call`, :func:`tail_call` or :func:`ret`,
    read at once by :func:`step`, never kept or hashed. So it is not a frozen dataclass, whose
    ``__init__`` costs several times a plain one's (one is made every step)."""

    world: World
    vars: Vars
    pc: str | None
    events: tuple[Event, ...] = ()
    call: tuple[str, Vars, str, str] | None = None  # (func, args, ret_pc, ret_var)
    tail: bool = False
    """A tail call: the callee replaces this frame and returns straight to our caller."""
    returned: bool = False
    value: Value = None


def goto(pc: str, world: World, vars: Vars, *events: Event) -> Effect:
    """Continue at label ``pc``."""
    return Effect(world, vars, pc, events)


def call(
    func: str, args: Mapping[str, Value], ret_pc: str, ret_var: str, world: World, vars: Vars,
    *events: Event,
) -> Effect:
    """Call ``func``; on return continue at ``ret_pc`` with the value in ``ret_var``."""
    return Effect(world, vars, None, events, call=(func, Vars(args), ret_pc, ret_var))


def tail_call(func: str, args: Mapping[str, Value], world: World, *events: Event) -> Effect:
    """``return func(args);``: the callee takes this frame's place."""
    return Effect(world, Vars(), None, events, call=(func, Vars(args), "", ""), tail=True)


def ret(value: Value, world: World, *events: Event) -> Effect:
    """Return ``value`` to the caller."""
    return Effect(world, Vars(), None, events, returned=True, value=value)


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a pseudo-C listing; ``label`` is set where a step begins."""

    text: str
    label: str | None = None


def parse_listing(src: str) -> tuple[Line, ...]:
    """Parse a listing: a line ``@label<TAB>code`` starts step ``label``; others are plain."""
    lines: list[Line] = []
    for raw in src.strip("\n").splitlines():
        if raw.startswith("@"):
            label, _, rest = raw[1:].partition("\t")
            lines.append(Line("\t" + rest if rest else "", label.strip()))
        else:
            lines.append(Line(raw))
    return tuple(lines)


@dataclass(frozen=True, slots=True)
class Ctx:
    """What a step knows of the activity running it."""

    thread: str


FUNCTIONS: dict[str, KernelFunction] = {}
"""Every modelled kernel function, by registry key (its name, or ``name@version``)."""


class KernelFunction:
    """Base of every modelled kernel function.

    A subclass names its kernel function in its header, ``class BtfFreeKfuncSetTab(KernelFunction,
    name="btf_free_kfunc_set_tab", file="kernel/bpf/btf.c")`` (``version="6.17"`` when another
    kernel's form of the function is modelled too), gives ``doc`` (one line) as its docstring,
    ``listing_src`` (annotated pseudo-C with ``@label`` marks) and implements :meth:`step`.
    Defining it registers one instance in :data:`FUNCTIONS`.
    ``fused`` functions (sort, bsearch) run their silent labels together so that one step is one
    comparison, swap or probe.
    """

    name: ClassVar[str]
    file: ClassVar[str]
    doc: ClassVar[str] = ""
    listing_src: ClassVar[str] = ""
    fused: ClassVar[bool] = False
    key: ClassVar[str] = ""
    """Registry key when it differs from ``name`` (e.g. the 5.16 form of a function)."""

    _lines: ClassVar[tuple[Line, ...]] = ()
    _label_line: ClassVar[dict[str, int]] = {}

    def __init_subclass__(cls, *, name: str = "", file: str = "", version: str = "",
                          **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if cls.listing_src:
            cls._lines = parse_listing(cls.listing_src)
            cls._label_line = {ln.label: i for i, ln in enumerate(cls._lines) if ln.label}
        if not name:
            return
        cls.name, cls.file = name, file
        cls.key = f"{name}@{version}" if version else ""
        if "doc" not in cls.__dict__ and cls.__doc__:  # the summary: later paragraphs are notes
            cls.doc = " ".join(cls.__doc__.strip().split("\n\n", 1)[0].split())
        FUNCTIONS[cls.key or name] = cls()

    @property
    def lines(self) -> tuple[Line, ...]:
        return self._lines

    def line_of(self, pc: str) -> int:
        """The listing line (0-based) a label marks; -1 if the label is not in the listing."""
        return self._label_line.get(pc, -1)

    def enabled(self, w: World, f: Frame, ctx: Ctx) -> bool:
        """Whether the step at ``f.pc`` can run now (False: blocked, e.g. waiting on a lock)."""
        return True

    def waits_for(self, w: World, f: Frame, ctx: Ctx) -> str:
        """Why the step at ``f.pc`` cannot run now, in a few words naming what it waits for
        (e.g. ``nf_conntrack's BTF to be published``); '' when :meth:`enabled` holds. A function
        that overrides :meth:`enabled` says its reason here."""
        return "" if self.enabled(w, f, ctx) else "another thread"

    def step(self, w: World, f: Frame, ctx: Ctx) -> Effect:
        raise NotImplementedError




def function(name: str) -> KernelFunction:
    return FUNCTIONS[name]


Stack = tuple[Frame, ...]


@dataclass(slots=True)
class StepResult:
    """The outcome of one :func:`step` of a stack (a transient record, like :class:`Effect`)."""

    world: World
    stack: Stack
    events: tuple[Event, ...]
    func: str
    pc: str
    finished: bool = False
    value: Value = None
    sub_steps: int = 1


def new_frame(func: str, args: Mapping[str, Value], ret_pc: str = "", ret_var: str = "") -> Frame:
    return make_frame(func, "entry", Vars(args), ret_pc, ret_var)


def stack_enabled(w: World, stack: Stack, ctx: Ctx) -> bool:
    """Whether the activity whose stack this is can take a step now."""
    if not stack:
        return False
    top = stack[-1]
    return FUNCTIONS[top.func].enabled(w, top, ctx)


def stack_waits_for(w: World, stack: Stack, ctx: Ctx) -> str:
    """What the activity whose stack this is waits for ('' if it can step or has ended)."""
    if not stack:
        return ""
    top = stack[-1]
    return FUNCTIONS[top.func].waits_for(w, top, ctx)


def _apply(stack: Stack, eff: Effect) -> tuple[Stack, bool, Value]:
    """Apply an effect to the stack: continue, push a callee, or pop with a value."""
    top = stack[-1]
    if eff.call is not None:
        func, args, ret_pc, ret_var = eff.call
        if eff.tail:
            return (*stack[:-1], make_frame(func, "entry", args, top.ret_pc, top.ret_var)), \
                False, None
        caller = make_frame(top.func, ret_pc, eff.vars, top.ret_pc, top.ret_var)
        return (*stack[:-1], caller, make_frame(func, "entry", args, ret_pc, ret_var)), False, None
    if eff.returned:
        rest = stack[:-1]
        if not rest:
            return (), True, eff.value
        caller = rest[-1]
        vars = caller.vars.set(**{top.ret_var: eff.value}) if top.ret_var else caller.vars
        return (*rest[:-1], make_frame(caller.func, top.ret_pc, vars, caller.ret_pc,
                                       caller.ret_var)), False, None
    assert eff.pc is not None
    return (*stack[:-1], make_frame(top.func, eff.pc, eff.vars, top.ret_pc, top.ret_var)), \
        False, None


def step(w: World, stack: Stack, ctx: Ctx) -> StepResult:
    """Run one atomic step of the activity ``stack`` (its top frame's current label).

    In a ``fused`` function, silent labels (no event) that follow are run too, so the step ends
    just before the next comparison, swap or probe, or at the function's return.
    """
    top = stack[-1]
    fn = FUNCTIONS[top.func]
    eff = fn.step(w, top, ctx)
    events = eff.events
    world = eff.world
    n = 1
    if not fn.fused or eff.returned or eff.call is not None:
        new_stack, finished, value = _apply(stack, eff)
        return StepResult(world, new_stack, events, top.func, top.pc, finished, value, n)
    # The top frame goes on: run its silent labels up to the next event, call or return.
    assert eff.pc is not None
    cur = make_frame(top.func, eff.pc, eff.vars, top.ret_pc, top.ret_var)
    while True:
        nxt = fn.step(world, cur, ctx)
        if nxt.events or nxt.call is not None:
            break
        world = nxt.world
        n += 1
        if nxt.returned:
            new_stack, finished, value = _apply((*stack[:-1], cur), nxt)
            return StepResult(world, new_stack, events, top.func, top.pc, finished, value, n)
        assert nxt.pc is not None
        cur = make_frame(cur.func, nxt.pc, nxt.vars, cur.ret_pc, cur.ret_var)
    return StepResult(world, (*stack[:-1], cur), events, top.func, top.pc, False, None, n)


def run_to_completion(w: World, stack: Stack, ctx: Ctx, limit: int = 1_000_000) -> StepResult:
    """Run one activity alone until it returns; for direct calls, tests and boot prefill."""
    events: list[Event] = []
    res: StepResult | None = None
    for _ in range(limit):
        if not stack_enabled(w, stack, ctx):
            raise RuntimeError(f"{stack[-1].func}:{stack[-1].pc} blocks with no other activity")
        res = step(w, stack, ctx)
        events.extend(res.events)
        w, stack = res.world, res.stack
        if res.finished:
            return StepResult(w, (), tuple(events), res.func, res.pc, True, res.value)
    raise RuntimeError("step limit reached")


__all__ = [
    "FUNCTIONS",
    "Ctx",
    "Effect",
    "Event",
    "FMap",
    "Frame",
    "KernelFunction",
    "Line",
    "Stack",
    "StepResult",
    "Value",
    "Vars",
    "call",
    "ev",
    "goto",
    "make_frame",
    "new_frame",
    "ret",
    "run_to_completion",
    "slot_setters",
    "stack_enabled",
    "stack_waits_for",
    "step",
    "tail_call",
]
