"""Exhaustive exploration: every interleaving, states deduplicated, breadth first.

Like a model checker (Spin, TLC): from the first state, every runnable thread's step is taken in
every state; states already seen are not expanded again; every state is checked against the
invariants. Breadth-first order means the first schedule that reaches an outcome (or a violation)
is a shortest one (``shortest``).

An outcome's (or violation's) *witness*, which ``run --schedule`` replays to the same place, is
the schedule with the fewest thread switches (``L4V7``: one switch), and of those the fewest steps
(:data:`explorer.sim.schedule.WITNESS_RULE`): the easiest to read and to step through. A
shortest-path pass over the state graph after the search finds it (:func:`fewest_switches`);
where it is longer than the shortest schedule, both are reported and the fronts say so.

Speed (pure Python): a state's hash is computed once and its shared parts (world, threads) keep
theirs; a thread's step is a pure function of (world, thread), so each distinct one is computed
once and reused across interleavings; the invariants are checked once per distinct world. The
result is exactly that of the plain search (``tests/test_fast_paths.py`` compares them).
"""

from __future__ import annotations

import heapq
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from explorer.model.state import World
from explorer.sim.engine import (
    SimState,
    ThreadState,
    can_step,
    initial_state,
    outcome,
    thread_step,
)
from explorer.sim.invariants import CachedChecks
from explorer.sim.scenario import Scenario
from explorer.sim.schedule import count_steps, count_switches, format_schedule
from explorer.sim.variants import Options


def describe(schedule: str) -> str:
    """``L4V7`` → ``11 steps, 1 switch``."""
    n, k = count_steps(schedule), count_switches(schedule)
    return f"{n} step{'s' * (n != 1)}, {k} switch{'es' * (k != 1)}"


def witness_note(witness: str, shortest: str) -> str:
    """'' when ``witness`` is also a shortest schedule, else what the shortest one is."""
    if not shortest or not witness or count_steps(witness) <= count_steps(shortest):
        return ""
    return f"{describe(witness)}; a shortest is {shortest} ({describe(shortest)})"


@dataclass(slots=True)
class Outcome:
    results: dict[str, str]
    count: int
    """Distinct terminal states with this outcome (see :data:`COUNT_MEANING`)."""
    witness: str
    """A schedule reaching it by :data:`WITNESS_RULE`."""
    shortest: str = ""
    """A shortest schedule reaching it (breadth first); may have more switches."""


@dataclass(slots=True)
class Violation:
    invariant: str
    message: str
    count: int
    witness: str
    shortest: str = ""


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
    parent: list[int] = field(default_factory=list)
    """State id → the state breadth-first search first reached it from (-1 for the start): a
    shortest path back to the start. Kept as found (no schedule is built per state)."""
    via: list[str] = field(default_factory=list)
    """State id → the thread letter of the step from its ``parent``."""

    def schedule_to(self, state: int) -> str:
        """A shortest schedule (run-length form) from the start to ``state``, rebuilt from the
        parent pointers on demand; ValueError for an id the search did not number."""
        if not 0 <= state < len(self.parent):
            raise ValueError(f"no explored state {state} (states 0..{len(self.parent) - 1})")
        out: list[str] = []
        while state > 0:
            out.append(self.via[state])
            state = self.parent[state]
        return format_schedule("".join(reversed(out)))

    @property
    def states_per_second(self) -> float:
        return self.states / self.seconds if self.seconds > 0 else float("inf")


_UNKNOWN: Any = object()


def explore(sc: Scenario, opts: Options, *, max_states: int = 2_000_000,
            progress: Callable[[int, int], None] | None = None,
            cancel: Callable[[], bool] | None = None, keep_graph: bool = False) -> ExploreResult:
    """Explore every interleaving of ``sc`` under ``opts``."""
    t0 = time.perf_counter()
    parent: list[int] = [-1]
    via: list[str] = [""]
    transitions = 0
    outcomes: dict[tuple[tuple[str, str], ...], Outcome] = {}
    violations: dict[str, Violation] = {}
    edges: list[tuple[int, str, int]] = []
    terminal: dict[int, int] = {}
    violated: dict[str, list[int]] = {}  # invariant -> the states that break it
    violating: set[int] = set()
    complete = True
    # Thread steps already taken: (world, thread) -> (world, thread) after its step, or None
    # when it cannot step. A thread's step depends on nothing else, and the same one recurs in
    # many interleavings (4 in 5 in module_race), so each is computed once.
    # Each distinct world and thread is kept once (interned) for the whole search, so two are
    # equal exactly when they are the same object: the memo above and the table of seen states
    # are keyed by the objects' ids (a state: its world's id and its threads' ids), which hash
    # and compare in C instead of field by field.
    worlds: dict[World, World] = {}
    thread_states: dict[ThreadState, ThreadState] = {}
    memo: dict[tuple[int, int], tuple[World, ThreadState] | None] = {}
    first = initial_state(sc, opts)
    init = SimState(worlds.setdefault(first.world, first.world),
                    tuple(thread_states.setdefault(t, t) for t in first.threads))
    ids: dict[tuple[int, ...], int] = {(id(init.world), *map(id, init.threads)): 0}
    queue: deque[tuple[int, SimState]] = deque([(0, init)])

    def witness(i: int) -> str:
        out: list[str] = []
        while i > 0:
            out.append(via[i])
            i = parent[i]
        return format_schedule("".join(reversed(out)))

    check_all = CachedChecks()

    def check(i: int, s: SimState) -> None:
        for name, msg in check_all(s):
            violating.add(i)
            violated.setdefault(name, []).append(i)
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
        w = s.world
        threads = s.threads
        wid = id(w)
        tids = tuple(map(id, threads))
        moves: list[tuple[str, tuple[int, ...], World, ThreadState, int]] = []
        for k, t in enumerate(threads):
            move = (wid, tids[k])
            nxt = memo.get(move, _UNKNOWN)
            if nxt is _UNKNOWN:
                if can_step(s, t):
                    nw, nt, _ = thread_step(w, t)
                    nxt = (worlds.setdefault(nw, nw), thread_states.setdefault(nt, nt))
                else:
                    nxt = None
                memo[move] = nxt
            if nxt is not None:
                nw, nt = nxt
                moves.append((t.letter, (id(nw), *tids[:k], id(nt), *tids[k + 1:]), nw, nt, k))
        if not moves:
            res = outcome(s)
            key = tuple(sorted(res.items()))
            o = outcomes.get(key)
            if o is None:
                outcomes[key] = o = Outcome(res, 0, witness(i))
            o.count += 1
            terminal[i] = list(outcomes).index(key)
            continue
        for letter, key_, nw, nt, k in moves:
            transitions += 1
            j = ids.get(key_)
            if j is None:
                if len(ids) >= max_states:
                    complete = False
                    continue
                j = len(parent)
                ids[key_] = j
                ns = SimState(nw, threads if nt is threads[k] else
                              (*threads[:k], nt, *threads[k + 1:]))
                parent.append(i)
                via.append(letter)
                queue.append((j, ns))
                check(j, ns)
                if progress is not None and j % 2000 == 0:
                    progress(j, transitions)
            edges.append((i, letter, j))
    targets = [[t for t, k in terminal.items() if k == n] for n in range(len(outcomes))]
    targets += list(violated.values())
    found = fewest_switches(len(parent), edges, targets)
    reached: list[Outcome | Violation] = [*outcomes.values(), *violations.values()]
    for item, easiest in zip(reached, found, strict=True):
        item.shortest = item.witness
        item.witness = easiest
    if not keep_graph:
        edges, terminal = [], {}
    found_order = list(outcomes.values())
    ordered = sorted(found_order, key=lambda o: (-o.count, o.witness))
    if terminal:  # ``terminal`` numbered outcomes as found; number them as listed
        where = [ordered.index(o) for o in found_order]
        terminal = {i: where[k] for i, k in terminal.items()}
    return ExploreResult(sc.name, opts.label(), len(ids), transitions,
                         time.perf_counter() - t0, ordered,
                         list(violations.values()), complete, edges, terminal, violating,
                         parent, via)


def fewest_switches(n: int, edges: list[tuple[int, str, int]],
                    targets: list[list[int]]) -> list[str]:
    """Per target group (states), a schedule from state 0 into the group by
    :data:`WITNESS_RULE`.

    A shortest-path search over (state, thread that stepped last), a step costing one switch
    where its thread differs from the last one; the cost (switches, steps) is one integer,
    ``switches * big + steps``. Costs are few and far apart, so nodes wait in one list per cost
    (Dial's buckets) and only the costs go through a heap. A node one switch or more behind its
    state's best is dropped: switching from that best is never worse."""
    letters = sorted({letter for _, letter, _ in edges})
    index = {c: k + 1 for k, c in enumerate(letters)}  # 0: no thread stepped yet (state 0)
    width = len(letters) + 1
    succ: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for a, letter, b in edges:
        succ[a].append((index[letter], b))
    big = n + 1
    inf = 1 << 62
    dist = [inf] * (n * width)
    prev = [-1] * (n * width)
    best = [inf] * n
    best_node = [-1] * n
    dist[0] = 0
    buckets: dict[int, list[int]] = {0: [0]}
    costs = [0]
    pop, push = heapq.heappop, heapq.heappush
    while costs:
        c = pop(costs)
        step, switch = c + 1, c + big + 1
        for node in buckets.pop(c):
            if dist[node] != c:
                continue
            i, last = divmod(node, width)
            if best[i] == inf:
                best[i] = c
                best_node[i] = node
            elif best[i] + big <= c:
                continue
            for k, j in succ[i]:
                nc = step if k == last or last == 0 else switch
                m = j * width + k
                if nc < dist[m]:
                    dist[m] = nc
                    prev[m] = node
                    bucket = buckets.get(nc)
                    if bucket is None:
                        buckets[nc] = [m]
                        push(costs, nc)
                    else:
                        bucket.append(m)
    out: list[str] = []
    for group in targets:
        reached = [(best[t], t) for t in group if best[t] != inf]
        if not reached:  # a cut-off search kept no path there
            out.append("")
            continue
        node = best_node[min(reached)[1]]
        steps: list[str] = []
        while node > 0:
            steps.append(letters[node % width - 1])
            node = prev[node]
        out.append(format_schedule("".join(reversed(steps))))
    return out
