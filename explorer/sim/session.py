"""Runs and sessions: replay a schedule, step by hand, travel in time.

A :class:`Session` keeps every state of its timeline (states are immutable and share structure,
so this is cheap), which makes back, forward and jump-to-step O(1). Stepping from a past state
keeps the recorded future when the step is the one already taken, and otherwise starts a new branch
from there (the old future is dropped, as in a debugger).
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class RunResult:
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
    states, records = _replay(sc, opts, schedule, complete, limit, keep_states=False)
    return RunResult(sc, opts, tuple(records), states[-1],
                     "".join(r.letter for r in records))


def _replay(sc: Scenario, opts: Options, schedule: str, complete: bool, limit: int, *,
            keep_states: bool) -> tuple[list[SimState], list[StepRecord]]:
    """The states (every one, or just the first and last) and records of a replay."""
    s = initial_state(sc, opts)
    states = [s]
    letters = "".join(t.letter for t in s.threads)
    records: list[StepRecord] = []
    for letter, n in parse_tokens(schedule, letters):
        count = 0
        while (n is None and letter in runnable(s) and len(records) < limit) or \
                (n is not None and count < n):
            try:
                s, rec = step(s, letter, len(records) + 1)
            except InputError as e:
                done = format_schedule("".join(r.letter for r in records))
                raise InputError(f"schedule {schedule.strip()!r}: step {len(records) + 1} "
                                 f"(after {done or 'nothing'}): {e}") from None
            records.append(rec)
            if keep_states:
                states.append(s)
            count += 1
    while complete and len(records) < limit:
        r = runnable(s)
        if not r:
            break
        s, rec = step(s, r[0], len(records) + 1)
        records.append(rec)
        if keep_states:
            states.append(s)
    if not keep_states and records:
        states.append(s)
    return states, records


class Session:
    """A timeline you can step, rewind and branch."""

    def __init__(self, sc: Scenario, opts: Options | None = None) -> None:
        self.scenario = sc
        self.options = opts or Options()
        self.states: list[SimState] = [initial_state(sc, self.options)]
        self.records: list[StepRecord] = []
        self.cursor = 0

    # -- where we are ------------------------------------------------------------------------
    @property
    def state(self) -> SimState:
        return self.states[self.cursor]

    @property
    def length(self) -> int:
        """Steps in the recorded timeline."""
        return len(self.records)

    @property
    def schedule(self) -> str:
        """The schedule up to the cursor, run-length form."""
        return format_schedule("".join(r.letter for r in self.records[: self.cursor]))

    @property
    def full_schedule(self) -> str:
        return format_schedule("".join(r.letter for r in self.records))

    @property
    def last_record(self) -> StepRecord | None:
        return self.records[self.cursor - 1] if self.cursor > 0 else None

    def runnable(self) -> list[str]:
        return runnable(self.state)

    @property
    def terminal(self) -> bool:
        return is_terminal(self.state)

    # -- moving ------------------------------------------------------------------------------
    def step(self, letter: str) -> StepRecord:
        """Step thread ``letter`` from the cursor (InputError if it cannot run)."""
        if self.cursor < len(self.records) and self.records[self.cursor].letter == letter:
            self.cursor += 1
            return self.records[self.cursor - 1]
        s, rec = step(self.state, letter, self.cursor + 1)
        del self.states[self.cursor + 1:]
        del self.records[self.cursor:]
        self.states.append(s)
        self.records.append(rec)
        self.cursor += 1
        return rec

    def step_auto(self) -> StepRecord | None:
        """Forward along the recorded future, else step the first runnable thread."""
        if self.cursor < len(self.records):
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
        if self.cursor >= len(self.records):
            return None
        self.cursor += 1
        return self.records[self.cursor - 1]

    def jump(self, n: int) -> None:
        """Go to the state after step ``n`` of the recorded timeline (0: the start)."""
        if not 0 <= n <= len(self.records):
            raise InputError(f"step {n}: out of range (0..{len(self.records)})")
        self.cursor = n

    def reset(self, opts: Options | None = None) -> None:
        if opts is not None:
            self.options = opts
        self.states = [initial_state(self.scenario, self.options)]
        self.records = []
        self.cursor = 0

    def load_schedule(self, text: str, *, complete: bool = False) -> None:
        """Replace the timeline with ``text`` replayed from the start; cursor at its end.

        On a bad schedule nothing changes (the error names the position)."""
        states, records = _replay(self.scenario, self.options, text, complete, DEFAULT_LIMIT,
                                  keep_states=True)
        self.states, self.records, self.cursor = states, records, len(records)

    def run_to_end(self, limit: int = DEFAULT_LIMIT) -> int:
        """Let the first runnable thread step until none can; returns steps taken."""
        n = 0
        while n < limit and self.step_auto() is not None:
            n += 1
        return n
