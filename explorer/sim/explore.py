"""Exhaustive exploration: every interleaving, states deduplicated, breadth first.

Like a model checker (Spin, TLC): from the first state, every runnable thread's step is taken in
every state; states already seen are not expanded again; every state is checked against the
invariants. Breadth-first order means the first schedule that reaches an outcome (or a violation)
is a shortest one: its *witness*, which ``run --schedule`` replays to the same place.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from explorer.sim.engine import SimState, initial_state, outcome, runnable, step
from explorer.sim.invariants import check_all
from explorer.sim.scenario import Scenario
from explorer.sim.schedule import format_schedule
from explorer.sim.variants import Options


@dataclass(slots=True)
class Outcome:
    results: dict[str, str]
    count: int
    witness: str


@dataclass(slots=True)
class Violation:
    invariant: str
    message: str
    count: int
    witness: str


@dataclass(slots=True)
class ExploreResult:
    scenario: str
    options: str
    states: int
    transitions: int
    seconds: float
    outcomes: list[Outcome]
    violations: list[Violation]
    complete: bool = True
    """False when ``max_states`` or a cancel cut the search short."""
    edges: list[tuple[int, str, int]] = field(default_factory=list)
    """With ``keep_graph``: (from state, thread letter, to state)."""
    terminal: dict[int, int] = field(default_factory=dict)
    """With ``keep_graph``: terminal state id → index into ``outcomes``."""
    violating: set[int] = field(default_factory=set)

    @property
    def states_per_second(self) -> float:
        return self.states / self.seconds if self.seconds > 0 else float("inf")


def explore(sc: Scenario, opts: Options, *, max_states: int = 2_000_000,
            progress: Callable[[int, int], None] | None = None,
            cancel: Callable[[], bool] | None = None, keep_graph: bool = False) -> ExploreResult:
    """Explore every interleaving of ``sc`` under ``opts``."""
    t0 = time.perf_counter()
    init = initial_state(sc, opts)
    ids: dict[SimState, int] = {init: 0}
    parent: list[int] = [-1]
    via: list[str] = [""]
    queue: deque[tuple[int, SimState]] = deque([(0, init)])
    transitions = 0
    outcomes: dict[tuple[tuple[str, str], ...], Outcome] = {}
    violations: dict[str, Violation] = {}
    edges: list[tuple[int, str, int]] = []
    terminal: dict[int, int] = {}
    violating: set[int] = set()
    complete = True

    def witness(i: int) -> str:
        out: list[str] = []
        while i > 0:
            out.append(via[i])
            i = parent[i]
        return format_schedule("".join(reversed(out)))

    def check(i: int, s: SimState) -> None:
        for name, msg in check_all(s):
            violating.add(i)
            v = violations.get(name)
            if v is None:
                violations[name] = Violation(name, msg, 1, witness(i))
            else:
                v.count += 1

    check(0, init)
    while queue:
        if cancel is not None and cancel():
            complete = False
            break
        i, s = queue.popleft()
        letters = runnable(s)
        if not letters:
            res = outcome(s)
            key = tuple(sorted(res.items()))
            o = outcomes.get(key)
            if o is None:
                outcomes[key] = o = Outcome(res, 0, witness(i))
            o.count += 1
            if keep_graph:
                terminal[i] = list(outcomes).index(key)
            continue
        for letter in letters:
            ns, _ = step(s, letter)
            transitions += 1
            j = ids.get(ns)
            if j is None:
                if len(ids) >= max_states:
                    complete = False
                    continue
                j = len(parent)
                ids[ns] = j
                parent.append(i)
                via.append(letter)
                queue.append((j, ns))
                check(j, ns)
                if progress is not None and j % 2000 == 0:
                    progress(j, transitions)
            if keep_graph:
                edges.append((i, letter, j))
    return ExploreResult(sc.name, opts.label(), len(ids), transitions,
                         time.perf_counter() - t0,
                         sorted(outcomes.values(), key=lambda o: (-o.count, o.witness)),
                         list(violations.values()), complete, edges, terminal, violating)
