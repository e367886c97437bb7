"""The optimised paths give exactly what the straightforward ones give.

- ``explore`` memoises thread steps and invariant checks and uses cached hashes; here a plain
  breadth-first search (``engine.step`` and ``check_all`` on every state, as explore used to be)
  must agree with it on everything it reports: states, transitions, outcomes with their counts and
  shortest schedules, violations with theirs, and the graph.
- ``FMap``/``Vars`` update their hash incrementally; it must equal the hash computed afresh.
- ``evolve`` must equal ``dataclasses.replace``.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.model.state import Btf, Config, IdSet, World, empty_world
from explorer.model.values import FMap, Vars, evolve
from explorer.sim.engine import SimState, initial_state, outcome, runnable, step
from explorer.sim.explore import ExploreResult, explore
from explorer.sim.invariants import check_all
from explorer.sim.scenario import builtin_names, load_scenario
from explorer.sim.schedule import format_schedule
from explorer.sim.variants import parse_options


def reference_explore(name: str, variants: list[str]) -> dict[str, object]:
    """Breadth-first search the plain way: every step through ``engine.step``, every state
    through ``check_all``; the same bookkeeping as :func:`explore` promises."""
    sc = load_scenario(name)
    opts = parse_options(variants, [] if variants and variants[0].endswith("_fails")
                         else list(sc.default_faults))
    init = initial_state(sc, opts)
    ids: dict[SimState, int] = {init: 0}
    parent, via = [-1], [""]
    queue = deque([(0, init)])
    transitions = 0
    outcomes: dict[tuple[tuple[str, str], ...], list[object]] = {}
    violations: dict[str, list[object]] = {}
    edges: list[tuple[int, str, int]] = []
    terminal: dict[int, tuple[tuple[str, str], ...]] = {}
    violating: set[int] = set()

    def witness(i: int) -> str:
        out = []
        while i > 0:
            out.append(via[i])
            i = parent[i]
        return format_schedule("".join(reversed(out)))

    def check(i: int, s: SimState) -> None:
        for inv, msg in check_all(s):
            violating.add(i)
            if inv in violations:
                violations[inv][2] += 1  # type: ignore[operator]
            else:
                violations[inv] = [inv, msg, 1, witness(i)]

    check(0, init)
    while queue:
        i, s = queue.popleft()
        letters = runnable(s)
        if not letters:
            res = outcome(s)
            k = tuple(sorted(res.items()))
            if k not in outcomes:
                outcomes[k] = [res, 0, witness(i)]
            outcomes[k][1] += 1  # type: ignore[operator]
            terminal[i] = k
            continue
        for letter in letters:
            ns, _ = step(s, letter)
            transitions += 1
            j = ids.get(ns)
            if j is None:
                j = ids[ns] = len(parent)
                parent.append(i)
                via.append(letter)
                queue.append((j, ns))
                check(j, ns)
            edges.append((i, letter, j))
    listed = sorted((tuple(o) for o in outcomes.values()),
                    key=lambda o: (-o[1], o[2]))  # type: ignore[operator]
    return {"states": len(ids), "transitions": transitions, "outcomes": listed,
            "violations": [tuple(v) for v in violations.values()],
            "edges": edges, "terminal": terminal, "violating": violating}


def summary(e: ExploreResult) -> dict[str, object]:
    return {"states": e.states, "transitions": e.transitions,
            "outcomes": sorted(((o.results, o.count, o.shortest) for o in e.outcomes),
                               key=lambda o: (-o[1], o[2])),
            "violations": [(v.invariant, v.message, v.count, v.shortest) for v in e.violations],
            "edges": e.edges, "violating": e.violating,
            # each terminal state with its own outcome (ids index ``e.outcomes`` as listed)
            "terminal": {i: tuple(sorted(e.outcomes[k].results.items()))
                         for i, k in e.terminal.items()}}


def _cases() -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for name in builtin_names():
        sc = load_scenario(name)
        out += [(name, []), *((name, [v]) for v in sc.variants), *((name, [f]) for f in sc.faults)]
    return out


@pytest.mark.parametrize("case", _cases(), ids=lambda c: f"{c[0]}-{'+'.join(c[1]) or 'kernel'}")
def test_explore_equals_plain_breadth_first_search(case: tuple[str, list[str]]) -> None:
    name, variants = case
    sc = load_scenario(name)
    opts = parse_options(variants, [] if variants and variants[0].endswith("_fails")
                         else list(sc.default_faults))
    got = summary(explore(sc, opts, keep_graph=True))
    want = reference_explore(name, variants)
    assert got == want


# -- hashes and copies ----------------------------------------------------------------------------

KEYS = st.sampled_from(["a", "b", "c", "vmlinux", "kmalloc#1", "kmalloc#2"])
VALUES = st.one_of(st.integers(-3, 3), st.none(), st.text(max_size=3),
                   st.tuples(st.integers(0, 9), st.integers(0, 9)),
                   st.builds(Btf, st.sampled_from(["vmlinux", "m"]), st.booleans()))


@settings(max_examples=300, deadline=None, database=None)
@given(start=st.dictionaries(KEYS, VALUES), ops=st.lists(
    st.tuples(st.booleans(), KEYS, VALUES), max_size=12), hash_first=st.booleans())
def test_incremental_fmap_hash_equals_fresh_hash(start: dict[str, object],
                                                 ops: list[tuple[bool, str, object]],
                                                 hash_first: bool) -> None:
    m = FMap(start)
    v = Vars(start)
    if hash_first:
        hash(m), hash(v)
    for is_set, k, val in ops:
        m = m.set(k, val) if is_set else m.remove(k)
        v = v.set(**{k: val})
        assert m == FMap(dict(m)) and hash(m) == hash(FMap(dict(m)))
        assert v == Vars(dict(v)) and hash(v) == hash(Vars(dict(v)))


@settings(max_examples=100, deadline=None, database=None)
@given(live=st.booleans(), nth=st.integers(0, 4), next_addr=st.integers(1, 50),
       btf=st.builds(Btf, st.sampled_from(["vmlinux", "m"]), st.booleans()))
def test_evolve_equals_replace(live: bool, nth: int, next_addr: int, btf: Btf) -> None:
    cfg = Config(live_check=live, fail_kzalloc_nth=nth)
    assert evolve(Config(), live_check=live, fail_kzalloc_nth=nth) == cfg
    w = empty_world(cfg)
    hash(w)  # a cached hash must not be carried into the copy
    a = evolve(w, next_addr=next_addr, btfs=w.btfs.set(btf.name, btf))
    b = replace(w, next_addr=next_addr, btfs=w.btfs.set(btf.name, btf))
    assert a == b and hash(a) == hash(b) and isinstance(a, World)
    s = IdSet("kmalloc#1", 2, (3, 1), "kmalloc")
    assert evolve(s, cnt=1) == replace(s, cnt=1)
