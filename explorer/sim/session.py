"""Runs and sessions: replay a schedule, step by hand, travel in time.

A :class:`Session` is a timeline you can step, rewind and branch. Stepping from a past state keeps
the recorded future when the step is the one already taken, and otherwise starts a new branch from
there (the old future is dropped, as in a debugger).

How a long timeline stays small (a 100,000-step session in a few tens of MiB): the session keeps
the letter of every step, and the whole state only at every :data:`SEGMENT`-th step (a
*checkpoint*). The states and records in between are a pure function of the checkpoint and the
letters (the model is deterministic), so a segment is replayed when it is first needed and kept in
a small least-recently-used cache. Back, forward and jump cost at most one segment's replay
(:data:`SEGMENT` steps), and nothing while they stay in cached segments; stepping at the end of the
timeline costs one step, as before. ``states`` and ``records`` read like the lists they replace.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar, overload

from explorer.model.records import dataclass
from explorer.sim.engine import (
    SimState,
    StepRecord,
    initial_state,
    is_terminal,
    outcome,
    runnable,
    step,
)
from explorer.sim.errors import InputError
from explorer.sim.scenario import Scenario
from explorer.sim.schedule import format_schedule, parse_tokens
from explorer.sim.variants import Options

DEFAULT_LIMIT = 200_000

SEGMENT = 16
"""Steps between two checkpoints: the most a jump has to replay."""
CACHED_SEGMENTS = 128
"""Replayed segments kept (128 × 16 = 2,048 steps: a short session is wholly in the cache)."""


@dataclass(frozen=True, slots=True)
class RunResult:
    """A run of a scenario to its end: every step's record, the final state and the schedule
    that was run."""

    scenario: Scenario
    options: Options
    records: tuple[StepRecord, ...]
    final: SimState
    schedule: str
    """The full schedule actually run, one letter a step."""

    @property
    def outcome(self) -> dict[str, str]:
        return outcome(self.final)

    @property
    def terminal(self) -> bool:
        return is_terminal(self.final)


def run(sc: Scenario, opts: Options, schedule: str = "", *, complete: bool = True,
        limit: int = DEFAULT_LIMIT) -> RunResult:
    """Replay ``schedule`` from the first state; then (``complete``) let the first runnable
    thread, in thread order, step until no thread can."""
    records: list[StepRecord] = []
    final = _replay(sc, opts, schedule, complete, limit, records.append)
    return RunResult(sc, opts, tuple(records), final, "".join(r.letter for r in records))


def _replay(sc: Scenario, opts: Options, schedule: str, complete: bool, limit: int,
            on_step: Callable[[StepRecord], None],
            on_state: Callable[[SimState], None] | None = None,
            first: SimState | None = None) -> SimState:
    """Replay a schedule from ``first`` (None: the scenario's first state), handing each record
    (and, with ``on_state``, each state after the first) to the callbacks; returns the last
    state."""
    s = first if first is not None else initial_state(sc, opts)
    letters = "".join(t.letter for t in s.threads)
    n_steps = 0
    done: list[str] = []

    def advance(letter: str) -> None:
        nonlocal s, n_steps
        try:
            s, rec = step(s, letter, n_steps + 1)
        except InputError as e:
            ran = format_schedule("".join(done))
            raise InputError(f"schedule {schedule.strip()!r}: step {n_steps + 1} "
                             f"(after {ran or 'nothing'}): {e}") from None
        n_steps += 1
        done.append(letter)
        on_step(rec)
        if on_state is not None:
            on_state(s)

    for letter, n in parse_tokens(schedule, letters):
        count = 0
        while (n is None and letter in runnable(s) and n_steps < limit) or \
                (n is not None and count < n):
            advance(letter)
            count += 1
    while complete and n_steps < limit:
        r = runnable(s)
        if not r:
            break
        advance(r[0])
    return s


class _Timeline:
    """Letters of every step, a checkpoint state every SEGMENT steps, a cache of replayed
    segments. Segment ``j`` holds states ``j*SEGMENT …`` and the records of the steps from them."""

    __slots__ = ("checkpoints", "last", "letters", "segments")

    def __init__(self, first: SimState) -> None:
        self.letters: list[str] = []
        self.checkpoints: list[SimState] = [first]
        self.segments: OrderedDict[int, tuple[list[SimState], list[StepRecord]]] = \
            OrderedDict({0: ([first], [])})
        self.last = first
        """The state at the end of the timeline (the hot path: stepping on from there)."""

    def __len__(self) -> int:
        return len(self.letters)

    def segment(self, j: int) -> tuple[list[SimState], list[StepRecord]]:
        seg = self.segments.get(j)
        if seg is not None:
            self.segments.move_to_end(j)
            return seg
        s = self.checkpoints[j]
        states, records = [s], []
        lo = j * SEGMENT
        hi = min(lo + SEGMENT, len(self.letters))
        for k in range(lo, hi):
            s, rec = step(s, self.letters[k], k + 1)
            records.append(rec)
            if k + 1 < lo + SEGMENT:
                states.append(s)
        seg = (states, records)
        self._cache(j, seg)
        return seg

    def _cache(self, j: int, seg: tuple[list[SimState], list[StepRecord]]) -> None:
        self.segments[j] = seg
        self.segments.move_to_end(j)
        while len(self.segments) > CACHED_SEGMENTS:
            self.segments.popitem(last=False)

    def state(self, i: int) -> SimState:
        if i == len(self.letters):
            return self.last
        j, r = divmod(i, SEGMENT)
        return self.checkpoints[j] if r == 0 else self.segment(j)[0][r]

    def record(self, k: int) -> StepRecord:
        j, r = divmod(k, SEGMENT)
        return self.segment(j)[1][r]

    def append(self, s: SimState, rec: StepRecord) -> None:
        """Record the step from the last state to ``s``."""
        k = len(self.letters)
        j, r = divmod(k, SEGMENT)
        states, records = self.segment(j)
        self.letters.append(rec.letter)
        records.append(rec)
        if r + 1 == SEGMENT:
            self.checkpoints.append(s)
            self._cache(j + 1, ([s], []))
        else:
            states.append(s)
        self.last = s

    def truncate(self, n: int) -> None:
        """Drop every step after the first ``n``."""
        if n >= len(self.letters):
            return
        last = self.state(n)
        j, r = divmod(n, SEGMENT)
        states, records = self.segment(j)
        del states[r + 1:]
        del records[r:]
        del self.letters[n:]
        del self.checkpoints[j + 1:]
        for k in [k for k in self.segments if k > j]:
            del self.segments[k]
        self.last = last


T = TypeVar("T")


class _View(Sequence[T], Generic[T]):
    """A read-only list-like view of the timeline's states or records."""

    __slots__ = ("_extra", "_get", "_tl")

    def __init__(self, tl: _Timeline, get: Callable[[int], T], extra: int) -> None:
        self._tl, self._get, self._extra = tl, get, extra

    def __len__(self) -> int:
        return len(self._tl) + self._extra

    @overload
    def __getitem__(self, i: int) -> T: ...

    @overload
    def __getitem__(self, i: slice) -> list[T]: ...

    def __getitem__(self, i: int | slice) -> T | list[T]:
        n = len(self)
        if isinstance(i, slice):
            return [self._get(k) for k in range(*i.indices(n))]
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        return self._get(i)

    def __iter__(self) -> Iterator[T]:
        for k in range(len(self)):
            yield self._get(k)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<{len(self)} {type(self).__name__} of a session timeline>"


class Session:
    """A timeline you can step, rewind and branch."""

    def __init__(self, sc: Scenario, opts: Options | None = None) -> None:
        self.scenario = sc
        self.options = opts or Options()
        self.cursor = 0
        self._tl = _Timeline(initial_state(sc, self.options))

    # -- the timeline ------------------------------------------------------------------------
    @property
    def states(self) -> Sequence[SimState]:
        """Every state of the timeline (``length + 1`` of them), list-like and read-only."""
        return _View(self._tl, self._tl.state, 1)

    @property
    def records(self) -> Sequence[StepRecord]:
        """Every step's record (``length`` of them), list-like and read-only."""
        return _View(self._tl, self._tl.record, 0)

    def checkpoint_before(self, i: int) -> int:
        """The last step at or before ``i`` whose state is kept whole (reading it never
        replays): a cheap sample of a long timeline."""
        return i if i == len(self._tl) else i - i % SEGMENT

    # -- where we are ------------------------------------------------------------------------
    @property
    def state(self) -> SimState:
        return self._tl.state(self.cursor)

    @property
    def length(self) -> int:
        """Steps in the recorded timeline."""
        return len(self._tl)

    @property
    def schedule(self) -> str:
        """The schedule up to the cursor, run-length form."""
        return format_schedule("".join(self._tl.letters[: self.cursor]))

    @property
    def full_schedule(self) -> str:
        return format_schedule("".join(self._tl.letters))

    @property
    def last_record(self) -> StepRecord | None:
        return self._tl.record(self.cursor - 1) if self.cursor > 0 else None

    def runnable(self) -> list[str]:
        return runnable(self.state)

    @property
    def terminal(self) -> bool:
        return is_terminal(self.state)

    # -- moving ------------------------------------------------------------------------------
    def step(self, letter: str) -> StepRecord:
        """Step thread ``letter`` from the cursor (InputError if it cannot run)."""
        tl = self._tl
        if self.cursor < len(tl) and tl.letters[self.cursor] == letter:
            self.cursor += 1
            return tl.record(self.cursor - 1)
        s, rec = step(self.state, letter, self.cursor + 1)
        tl.truncate(self.cursor)
        tl.append(s, rec)
        self.cursor += 1
        return rec

    def step_auto(self) -> StepRecord | None:
        """Forward along the recorded future, else step the first runnable thread."""
        if self.cursor < len(self._tl):
            return self.forward()
        r = self.runnable()
        return self.step(r[0]) if r else None

    def step_over(self, letter: str) -> list[StepRecord]:
        """Step ``letter``; if that entered a call, keep stepping it until the call returns
        (or the thread blocks or finishes)."""
        depth = len(self.state.thread(letter).stack)
        out = [self.step(letter)]
        while True:
            t = self.state.thread(letter)
            if t.done or len(t.stack) <= depth or letter not in self.runnable():
                return out
            out.append(self.step(letter))

    def finish(self, letter: str) -> list[StepRecord]:
        """Step ``letter`` until its current function returns (or it blocks or finishes)."""
        depth = len(self.state.thread(letter).stack)
        out: list[StepRecord] = []
        while letter in self.runnable():
            out.append(self.step(letter))
            t = self.state.thread(letter)
            if t.done or len(t.stack) < depth:
                break
        return out

    def back(self) -> bool:
        if self.cursor == 0:
            return False
        self.cursor -= 1
        return True

    def forward(self) -> StepRecord | None:
        if self.cursor >= len(self._tl):
            return None
        self.cursor += 1
        return self._tl.record(self.cursor - 1)

    def jump(self, n: int) -> None:
        """Go to the state after step ``n`` of the recorded timeline (0: the start)."""
        if not 0 <= n <= len(self._tl):
            raise InputError(f"step {n}: out of range (0..{len(self._tl)})")
        self.cursor = n

    def reset(self, opts: Options | None = None) -> None:
        if opts is not None:
            self.options = opts
        self._tl = _Timeline(initial_state(self.scenario, self.options))
        self.cursor = 0

    def load_schedule(self, text: str, *, complete: bool = False) -> None:
        """Replace the timeline with ``text`` replayed from the start; cursor at its end.

        On a bad schedule nothing changes (the error names the position)."""
        first = self._tl.checkpoints[0]  # the scenario's first state: a value, built once
        tl = _Timeline(first)
        pending: list[StepRecord] = []

        def on_state(s: SimState) -> None:
            tl.append(s, pending.pop())

        _replay(self.scenario, self.options, text, complete, DEFAULT_LIMIT, pending.append,
                on_state, first)
        self._tl, self.cursor = tl, len(tl)

    def run_to_end(self, limit: int = DEFAULT_LIMIT) -> int:
        """Let the first runnable thread step until none can; returns steps taken."""
        n = 0
        while n < limit and self.step_auto() is not None:
            n += 1
        return n
