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

Speed (pure Python): each distinct world and thread is interned and numbered, and a state is one
integer made of those numbers; a thread's step is a pure function of (world, thread), so each
distinct one is computed once and kept as what it adds to a state's integer; the invariants are
checked once per distinct world (:func:`explore` says how). The result is exactly that of the
plain search (``tests/test_fast_paths.py`` compares them).
"""

from __future__ import annotations

import gc
import heapq
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import field
from typing import Any

from explorer.model.records import dataclass
from explorer.model.state import World
from explorer.sim.engine import (
    SimState,
    ThreadState,
    initial_state,
    outcome,
    thread_can_step,
    thread_step,
)
from explorer.sim.invariants import check_all, in_registration
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


@dataclass(slots=True, kw_only=True)
class Reached:
    """What the search reached in some of its states (an outcome, or an invariant broken)."""

    count: int
    """Distinct states (see :data:`explorer.sim.schedule.COUNT_MEANING`)."""
    witness: str
    """A schedule reaching one by :data:`explorer.sim.schedule.WITNESS_RULE`."""
    shortest: str = ""
    """A shortest schedule reaching one (breadth first); may have more switches."""


@dataclass(slots=True)
class Outcome(Reached):
    """Terminal states where every thread ended the same way."""

    results: dict[str, str]


@dataclass(slots=True)
class Violation(Reached):
    """States that break one invariant (its message is the first such state's)."""

    invariant: str
    message: str


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


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector. A search allocates up to millions of small objects
    (worlds, threads, numbers, lists) that all live until it ends and make no reference
    cycles; the collector would walk them again and again and free nothing (a fifth of the
    time of two_verifiers+no_live_check). Reference counting still frees everything."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def explore(sc: Scenario, opts: Options, *, max_states: int = 2_000_000,
            progress: Callable[[int, int], None] | None = None,
            cancel: Callable[[], bool] | None = None, keep_graph: bool = False) -> ExploreResult:
    """Explore every interleaving of ``sc`` under ``opts``.

    How a state is kept: each distinct world and thread is interned once for the whole search and
    numbered (a thread's number is twice its index, plus one while it is inside a registration,
    which is what the sorted-cells invariant asks). A state is then one integer, its *code*: the
    world's number in the low ``bits``, thread ``k``'s number in the ``bits`` above field ``k``.
    A thread's step depends on its world and itself only, and the same one recurs in many
    interleavings (4 in 5 in module_race), so it is computed once: the memo maps the code's world
    and thread-``k`` fields (``code & masks[k]``) to the *difference* the step makes to a code,
    and a successor is ``code + delta``: no world, thread or state object is built or hashed for
    a step already seen. Every state is checked against the invariants, each answer computed
    once per world and set of threads inside a registration (the code's world field and the
    threads' low bits): every invariant reads only the world and whether a registration is
    mid-way (one that reads more of the state must be added to that key). The state graph is
    kept as one flat list (a state's successors are contiguous: states are expanded in order)
    for the witness pass (:func:`fewest_switches`)."""
    with _no_cycle_collection():
        return _explore(sc, opts, max_states, progress, cancel, keep_graph)


def _explore(sc: Scenario, opts: Options, max_states: int,
             progress: Callable[[int, int], None] | None, cancel: Callable[[], bool] | None,
             keep_graph: bool) -> ExploreResult:
    t0 = time.perf_counter()
    first = initial_state(sc, opts)
    letters = [t.letter for t in first.threads]
    shift = node_bits(letters)
    # Field width: the first state's world and threads, then at most one new world and one new
    # thread per computed step, at most len(letters) of them from each of at most max_states
    # expanded states: under (max_states + 1) * len(letters) of each; a thread's number is
    # twice its index plus its registration bit. (The first state is expanded even when
    # max_states < 1.)
    bits = max(1, (2 * (max(max_states, 1) + 1) * len(letters)).bit_length())
    fmask = (1 << bits) - 1
    shifts = [bits * (k + 1) for k in range(len(letters))]
    masks = [fmask | fmask << sh for sh in shifts]
    # The invariants' answer depends on the world and on whether a thread is mid-registration:
    # the world's field and each thread's registration bit.
    check_mask = fmask | sum(1 << sh for sh in shifts)
    worlds: list[World] = []
    world_no: dict[World, int] = {}
    thread_list: list[ThreadState] = []
    thread_no: dict[ThreadState, int] = {}

    def number_world(w: World) -> int:
        n = world_no.get(w)
        if n is None:
            n = world_no[w] = len(worlds)
            worlds.append(w)
        return n

    def number_thread(t: ThreadState) -> int:
        n = thread_no.get(t)
        if n is None:
            n = thread_no[t] = len(thread_list) << 1 | in_registration(t)
            thread_list.append(t)
        return n

    def state_of(code: int) -> SimState:
        return SimState(worlds[code & fmask],
                        tuple(thread_list[(code >> sh & fmask) >> 1] for sh in shifts))

    def delta(code: int, k: int) -> int | None:
        """What thread ``k``'s step does to ``code`` (None: it cannot step)."""
        sh = shifts[k]
        wn, tn = code & fmask, code >> sh & fmask
        w, t = worlds[wn], thread_list[tn >> 1]
        if not thread_can_step(w, t):
            return None
        nw, nt, _ = thread_step(w, t)
        return number_world(nw) - wn + (number_thread(nt) - tn << sh)

    code0 = number_world(first.world)
    for t, sh in zip(first.threads, shifts, strict=True):
        code0 |= number_thread(t) << sh
    codes = [code0]
    ids: dict[int, int] = {code0: 0}
    parent: list[int] = [-1]
    via: list[str] = [""]
    steps: dict[int, int | None] = {}
    checks: dict[int, list[tuple[str, str]]] = {}
    adj: list[int] = []
    """Successor nodes ``j << shift | k + 1`` (state j, reached by thread k), state by state."""
    start: list[int] = [0]
    """State i's successors are ``adj[start[i]:start[i + 1]]``."""
    outcomes: dict[tuple[tuple[str, str], ...], Outcome] = {}
    outcome_index: dict[tuple[tuple[str, str], ...], int] = {}
    violations: dict[str, Violation] = {}
    terminal: dict[int, int] = {}
    violated: dict[str, list[int]] = {}  # invariant -> the states that break it
    violating: set[int] = set()
    complete = True

    def witness(i: int) -> str:
        out: list[str] = []
        while i > 0:
            out.append(via[i])
            i = parent[i]
        return format_schedule("".join(reversed(out)))

    def check(i: int, code: int) -> None:
        found = checks.get(code & check_mask)
        if found is None:
            found = checks[code & check_mask] = check_all(state_of(code))
        for name, msg in found:
            violating.add(i)
            violated.setdefault(name, []).append(i)
            v = violations.get(name)
            if v is None:
                violations[name] = Violation(name, msg, count=1, witness=witness(i))
            else:
                v.count += 1

    check(0, code0)
    # Per thread: its index, the code's fields its step reads, its letter, its node tag.
    moves = [(k, mask, letters[k], k + 1) for k, mask in enumerate(masks)]
    cut = 0  # steps to states past max_states (counted, not kept)
    cut_from = -1  # the last state that had such a step
    add_state, add_parent, add_via, add_edge = codes.append, parent.append, via.append, adj.append
    for i, code in enumerate(codes):  # codes grows as states are found: breadth first
        if cancel is not None and not i & 63 and cancel():
            complete = False
            break
        before = len(adj)
        for k, mask, letter, tag in moves:
            try:
                d = steps[code & mask]
            except KeyError:
                d = steps[code & mask] = delta(code, k)
            if d is None:
                continue
            nxt = code + d
            j = ids.get(nxt)
            if j is None:
                j = len(codes)
                if j >= max_states:
                    complete = False
                    cut += 1
                    cut_from = i
                    continue
                ids[nxt] = j
                add_state(nxt)
                add_parent(i)
                add_via(letter)
                if checks.get(nxt & check_mask, True):  # not yet checked, or some broken
                    check(j, nxt)
                if progress is not None and j % 2000 == 0:
                    progress(j, len(adj) + cut + 1)
            add_edge(j << shift | tag)
        start.append(len(adj))
        if len(adj) == before and cut_from != i:  # no thread can step: an end state
            res = outcome(state_of(code))
            okey = tuple(sorted(res.items()))
            o = outcomes.get(okey)
            if o is None:
                outcome_index[okey] = len(outcomes)
                outcomes[okey] = o = Outcome(res, count=0, witness=witness(i))
            o.count += 1
            terminal[i] = outcome_index[okey]
    transitions = len(adj) + cut
    targets = [[t for t, k in terminal.items() if k == n] for n in range(len(outcomes))]
    targets += list(violated.values())
    found = fewest_switches(len(codes), letters, start, adj, targets)
    reached: list[Reached] = [*outcomes.values(), *violations.values()]
    for item, easiest in zip(reached, found, strict=True):
        item.shortest = item.witness
        item.witness = easiest
    edges: list[tuple[int, str, int]] = []
    if keep_graph:
        low = (1 << shift) - 1
        edges = [(a, letters[(m & low) - 1], m >> shift)
                 for a in range(len(start) - 1) for m in adj[start[a]:start[a + 1]]]
    else:
        terminal = {}
    found_order = list(outcomes.values())
    ordered = sorted(found_order, key=lambda o: (-o.count, o.witness))
    if terminal:  # ``terminal`` numbered outcomes as found; number them as listed
        where = [ordered.index(o) for o in found_order]
        terminal = {i: where[k] for i, k in terminal.items()}
    return ExploreResult(sc.name, opts.label(), len(codes), transitions,
                         time.perf_counter() - t0, ordered,
                         list(violations.values()), complete, edges, terminal, violating,
                         parent, via)


def fewest_switches(n: int, letters: list[str], start: list[int], adj: list[int],
                    targets: list[list[int]]) -> list[str]:
    """Per target group (states), a schedule from state 0 into the group by
    :data:`WITNESS_RULE`, over the graph of ``n`` states that :func:`explore` keeps: state i's
    successors are the nodes ``adj[start[i]:start[i + 1]]`` (states past ``len(start) - 1``
    were not expanded), node ``j << node_bits(letters) | k`` being state j reached by the step
    of thread ``letters[k - 1]``.

    A shortest-path search over those nodes, (state, thread that stepped last), a step costing
    one switch where its thread differs from the last one; the cost (switches, steps) is one
    integer, ``switches * big + steps``. Costs are few and far apart, so nodes wait in one list
    per cost (Dial's buckets) and only the costs go through a heap. A node one switch or more
    behind its state's best is dropped: switching from that best is never worse."""
    shift = node_bits(letters)
    low = (1 << shift) - 1
    expanded = len(start) - 1
    big = n + 1
    inf = 1 << 62
    size = n << shift
    dist = [inf] * size
    prev = [-1] * size
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
            i = node >> shift
            b = best[i]
            if b == inf:
                best[i] = c
                best_node[i] = node
            elif b + big <= c:
                continue
            if i >= expanded:
                continue
            last = node & low
            other = switch if last else step  # state 0: no thread has stepped yet
            for m in adj[start[i]:start[i + 1]]:
                nc = step if m & low == last else other
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
            steps.append(letters[(node & low) - 1])
            node = prev[node]
        out.append(format_schedule("".join(reversed(steps))))
    return out


def node_bits(letters: list[str]) -> int:
    """Bits of a graph node (state, thread that stepped last) that hold the thread: 0 for none
    (state 0), ``k + 1`` for ``letters[k]``."""
    return len(letters).bit_length()
