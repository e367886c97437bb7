"""Threads of atomic steps over one world, and the rules of who may step.

A :class:`SimState` is the whole state: the world and every thread's stack. It is an immutable,
hashable value, so the same state reached by two schedules is the same key. :func:`step` runs one
atomic step of one thread; :func:`runnable` says which threads may step; a state with no runnable
thread is terminal and has an :func:`outcome` (each thread's result as an errno name, or ``UAF``).
"""

from __future__ import annotations

from dataclasses import field

from explorer.model.constants import UAF, errno_name
from explorer.model.machine import (
    FUNCTIONS,
    Ctx,
    Event,
    Frame,
    Stack,
    ev,
    slot_setters,
    stack_enabled,
    stack_waits_for,
)
from explorer.model.machine import step as machine_step
from explorer.model.records import dataclass
from explorer.model.state import World
from explorer.model.values import cached_hash
from explorer.sim.errors import InputError
from explorer.sim.scenario import Scenario, build_world, thread_frame
from explorer.sim.spec import ModernScenario
from explorer.sim.variants import Options

STORE_BUFFER = "M"
"""Letter of the store-buffer pseudo-thread of a weakly ordered CPU (a scenario with
``cpu = "weak"``, or the ``live_flag_unlocked`` what-if)."""


@cached_hash
@dataclass(frozen=True, slots=True)
class ThreadState:
    """One activity: its name, its key letter, its stack (empty when done) and its result."""

    name: str
    letter: str
    kind: str
    stack: Stack
    result: str | None = None
    daemon: bool = False
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    @property
    def done(self) -> bool:
        return self.result is not None

    @property
    def top(self) -> Frame | None:
        return self.stack[-1] if self.stack else None


_new = object.__new__
_set_name, _set_letter, _set_kind, _set_stack, _set_result, _set_daemon, _set_thread_hash = (
    slot_setters(ThreadState, "name", "letter", "kind", "stack", "result", "daemon", "_hash"))


def _after_step(t: ThreadState, stack: Stack, result: str | None) -> ThreadState:
    """``ThreadState(t.name, t.letter, t.kind, stack, result, t.daemon)``, built the quick way
    (see :func:`explorer.model.machine.make_frame`): one is made every step."""
    n = _new(ThreadState)
    _set_name(n, t.name)
    _set_letter(n, t.letter)
    _set_kind(n, t.kind)
    _set_stack(n, stack)
    _set_result(n, result)
    _set_daemon(n, t.daemon)
    _set_thread_hash(n, 0)
    return n


@cached_hash
@dataclass(frozen=True, slots=True)
class SimState:
    """A whole state: the world plus every thread. Hashable (the hash is computed once)."""

    world: World
    threads: tuple[ThreadState, ...]
    _hash: int = field(default=0, init=False, repr=False, compare=False)

    def thread(self, letter: str) -> ThreadState:
        for t in self.threads:
            if t.letter == letter:
                return t
        raise KeyError(letter)


@dataclass(frozen=True, slots=True)
class StepRecord:
    """What one step did, for the trace log and the fronts."""

    index: int
    """1-based position in the schedule."""
    letter: str
    thread: str
    func: str
    pc: str
    line: str
    events: tuple[Event, ...]
    finished: str | None = None
    """The thread's result if this step ended it."""

    @property
    def summary(self) -> str:
        if self.events:
            return "; ".join(e.text for e in self.events)
        return self.line.strip() or f"{self.func}:{self.pc}"


def initial_state(sc: Scenario, opts: Options) -> SimState:
    """The scenario's first state under the chosen variants and faults."""
    if sc.kernel not in ("5.16", "5.18"):  # a modern snapshot (explorer.sim.modern)
        from explorer.sim import modern

        assert isinstance(sc, ModernScenario)
        w = modern.build_world(sc, opts)
        threads = [ThreadState(t.name, t.letter, t.kind, (modern.thread_frame(sc, t, opts),))
                   for t in sc.threads]
        return SimState(w, tuple(threads))
    w = build_world(sc, opts)
    threads = [ThreadState(t.name, t.letter, t.kind, (thread_frame(sc, t, opts),))
               for t in sc.threads]
    if w.cfg.weak_memory and any(t.kind == "load_module" for t in sc.threads):
        threads.append(ThreadState("store buffer", STORE_BUFFER, "store_buffer", (), daemon=True))
    return SimState(w, tuple(threads))


_CTX: dict[str, Ctx] = {}


def _ctx(name: str) -> Ctx:
    """The (immutable) context of the activity ``name``, made once."""
    c = _CTX.get(name)
    if c is None:
        c = _CTX[name] = Ctx(name)
    return c


def thread_can_step(w: World, t: ThreadState) -> bool:
    """Whether thread ``t`` may step in world ``w`` (it depends on nothing else)."""
    if t.daemon:
        return bool(w.pending)
    return not t.done and stack_enabled(w, t.stack, _ctx(t.name))


def can_step(s: SimState, t: ThreadState) -> bool:
    return thread_can_step(s.world, t)


def waits_for(s: SimState, t: ThreadState) -> str:
    """Why thread ``t`` cannot step now, derived from the model: what its current step waits
    for (``nf_conntrack's BTF to be published``), ``its end`` for a finished thread, or the
    store buffer's emptiness; '' when it can step."""
    if can_step(s, t):
        return ""
    if t.daemon:
        return "a store to drain (the store buffer is empty)"
    if t.done:
        return f"nothing: it has ended ({t.result})"
    return stack_waits_for(s.world, t.stack, _ctx(t.name)) or "another thread"


def runnable(s: SimState) -> list[str]:
    """Letters of the threads that may take a step now, in thread order."""
    return [t.letter for t in s.threads if can_step(s, t)]


def is_terminal(s: SimState) -> bool:
    return not runnable(s)


def deadlocked(s: SimState) -> bool:
    return is_terminal(s) and any(not t.done and not t.daemon for t in s.threads)


def outcome(s: SimState) -> dict[str, str]:
    """Each (non-daemon) thread's result; ``BLOCKED`` for one that can never run."""
    return {t.name: t.result if t.result is not None else "BLOCKED"
            for t in s.threads if not t.daemon}


def _line(func: str, pc: str) -> str:
    fn = FUNCTIONS[func]
    i = fn.line_of(pc)
    return fn.lines[i].text if i >= 0 else ""


def thread_step(w: World, t: ThreadState) -> tuple[World, ThreadState, tuple[Event, ...]]:
    """One step of thread ``t`` (which can step) in world ``w``: the new world, the thread after
    the step and the step's events. A pure function of ``(w, t)``, which the exhaustive explorer
    memoises (the same thread step recurs in many interleavings)."""
    if t.daemon:
        st = w.pending[0]
        evs = (ev("write", f"store {st.target} = {st.value} becomes visible to other CPUs"),)
        return w.drain_one(), t, evs
    r = machine_step(w, t.stack, _ctx(t.name))
    result = None
    if r.finished:
        result = UAF if t.name in r.world.uaf_by else errno_name(int(r.value or 0))
    return r.world, _after_step(t, r.stack, result), r.events


def with_thread(s: SimState, w: World, old: ThreadState, new: ThreadState) -> SimState:
    """The state with world ``w`` and thread ``old`` replaced by ``new``."""
    if new is old:
        return SimState(w, s.threads)
    return SimState(w, tuple(new if x is old else x for x in s.threads))


def successor(s: SimState, letter: str) -> SimState:
    """The state after one step of thread ``letter``, which must be :func:`runnable` (no checks,
    no record). Equal to ``step(s, letter)[0]``."""
    for t in s.threads:
        if t.letter == letter:
            w, nt, _ = thread_step(s.world, t)
            return with_thread(s, w, t, nt)
    raise KeyError(letter)


def step(s: SimState, letter: str, index: int = 0) -> tuple[SimState, StepRecord]:
    """One atomic step of thread ``letter``; raises :class:`InputError` if it cannot run now."""
    try:
        t = s.thread(letter)
    except KeyError:
        raise InputError(f"no thread {letter!r} (threads: "
                         f"{', '.join(f'{x.letter}={x.name}' for x in s.threads)})") from None
    if not can_step(s, t):
        why = "has finished" if t.done else "is blocked" if not t.daemon else "has nothing to do"
        raise InputError(f"thread {letter} ({t.name}) cannot step now: it {why}")
    w, nt, events = thread_step(s.world, t)
    ns = with_thread(s, w, t, nt)
    if t.daemon:
        return ns, StepRecord(index, letter, t.name, "store buffer", "drain", "", events)
    top = t.stack[-1]
    return ns, StepRecord(index, letter, t.name, top.func, top.pc, _line(top.func, top.pc),
                          events, nt.result)
