"""Exhaustive exploration: outcomes, invariant violations, witnesses, and brute-force checks.

explore() deduplicates states (breadth first); the checks at the end enumerate schedules one by
one by depth-first search WITHOUT any deduplication and compare the outcome sets. The built-in
race scenarios have far too many schedules for that (module_race: 396,933,259,576;
module_init_fails: 44,352,102, with no_live_check 2,958,801,359,880; old_api: 80,216,280), so
for those every schedule with at most K preemptions is enumerated (a CHESS-style bound: a switch
away from a thread that could still run costs one), and two small scenarios written to tmp_path
are enumerated completely.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest

from explorer.model.state import LiveFlag
from explorer.sim.engine import SimState, initial_state, is_terminal, outcome, runnable, step
from explorer.sim.explore import ExploreResult, describe, explore, witness_note
from explorer.sim.invariants import INVARIANTS, check_all
from explorer.sim.scenario import Scenario, load_scenario, load_scenario_file
from explorer.sim.schedule import count_switches, parse_schedule
from explorer.sim.session import run
from explorer.sim.variants import Options, parse_options

Key = tuple[tuple[str, str], ...]


def key(results: dict[str, str]) -> Key:
    return tuple(sorted(results.items()))


def outcome_keys(e: ExploreResult) -> set[Key]:
    return {key(o.results) for o in e.outcomes}


def verifier_results(e: ExploreResult) -> set[str]:
    return {o.results["verifier"] for o in e.outcomes}


_cache: dict[tuple[str, tuple[str, ...]], tuple[Scenario, Options, ExploreResult]] = {}


def explored(name: str, *variants: str) -> tuple[Scenario, Options, ExploreResult]:
    k = (name, variants)
    if k not in _cache:
        sc = load_scenario(name)
        opts = parse_options(list(variants), list(sc.default_faults))
        _cache[k] = (sc, opts, explore(sc, opts))
    return _cache[k]


# -- what the spec says each scenario shows -------------------------------------------------------


def test_module_race_kernel_is_ok_or_enxio() -> None:
    _, _, e = explored("module_race")
    assert e.complete
    assert verifier_results(e) == {"OK", "ENXIO"}
    assert {o.results["loader"] for o in e.outcomes} == {"OK"}
    assert e.violations == []
    assert sum(o.count for o in e.outcomes) >= 2


def test_module_race_without_live_check_sees_half_filled_table() -> None:
    _, _, e = explored("module_race", "no_live_check")
    assert "EACCES" in verifier_results(e)
    assert verifier_results(e) >= {"OK", "ENXIO", "EACCES"}
    names = {v.invariant for v in e.violations}
    assert "table_write_once" in names
    assert "no_use_after_free" not in names, "init succeeds here: nothing is freed"


def test_module_init_fails_kernel_never_uaf_or_ok() -> None:
    _, _, e = explored("module_init_fails")
    assert verifier_results(e) == {"ENXIO", "ENOENT"}
    assert {o.results["loader"] for o in e.outcomes} == {"EINVAL"}
    assert e.violations == []


def test_module_init_fails_without_live_check_is_a_use_after_free() -> None:
    _, _, e = explored("module_init_fails", "no_live_check")
    assert "UAF" in verifier_results(e)
    assert {v.invariant for v in e.violations} >= {"no_use_after_free", "table_write_once"}


def test_live_flag_unlocked_lets_the_verifier_see_live_before_the_cells() -> None:
    _, _, e = explored("module_race", "live_flag_unlocked")
    assert "EACCES" in verifier_results(e)
    assert "M" in "".join(o.witness for o in e.outcomes if o.results["verifier"] == "EACCES")
    assert "live_flag_after_table" in {v.invariant for v in e.violations}


def test_the_mutex_orders_the_table_before_live_on_a_weakly_ordered_cpu() -> None:
    """v5.18 has no smp_wmb/smp_rmb: btf_module_mutex's release (unlock in btf_module_notify)
    and acquire (lock in btf_try_get_module) are what order the table before the flag. Every
    interleaving of loader, verifier and store buffer: no stale table is ever seen."""
    sc, opts, e = explored("live_flag_ordering")
    assert e.complete
    assert any(t.letter == "M" for t in initial_state(sc, opts).threads)
    assert verifier_results(e) == {"ENXIO", "OK"}
    assert e.violations == []
    # ... and the store buffer did hold table stores while the flag waited behind them
    r = run(sc, opts, "L62", complete=False)
    assert r.final.world.pending_table_stores() > 0
    assert any(isinstance(st.target, LiveFlag) for st in r.final.world.pending)
    # without the mutex around the flag, the same CPU shows LIVE with a stale table
    sc, opts, e = explored("live_flag_ordering", "live_flag_unlocked")
    assert "EACCES" in verifier_results(e)
    bad = [v for v in e.violations if v.invariant == "live_flag_after_table"]
    assert bad and "stale table" in bad[0].message


def test_boot_tcp_kernel_and_no_sort() -> None:
    _, _, e = explored("boot_tcp")
    assert [o.results for o in e.outcomes] == [{"boot": "OK", "verifier": "OK"}]
    assert e.violations == []
    _, _, e = explored("boot_tcp", "no_sort")
    assert verifier_results(e) == {"EACCES"}
    assert "vmlinux_cells_sorted" in {v.invariant for v in e.violations}


def test_old_api_gives_eacces_where_the_new_one_gives_enxio() -> None:
    _, _, e = explored("old_api")
    assert verifier_results(e) >= {"OK", "EACCES"}


def test_e2big_and_module_twice() -> None:
    _, _, e = explored("e2big")
    assert [o.results for o in e.outcomes] == [{"boot": "E2BIG"}]
    _, _, e = explored("module_twice")
    assert [o.results for o in e.outcomes] == [{"loader": "EINVAL"}]


# -- witnesses replay to exactly their outcome / violation -----------------------------------------

CASES = [("module_race",), ("module_race", "no_live_check"),
         ("module_race", "live_flag_unlocked"), ("live_flag_ordering",),
         ("module_init_fails",), ("module_init_fails", "no_live_check"), ("boot_tcp",),
         ("boot_tcp", "no_sort"), ("old_api",), ("enomem",), ("e2big",), ("module_twice",)]


@pytest.mark.parametrize("case", CASES, ids=["+".join(c) for c in CASES])
def test_witnesses_replay(case: tuple[str, ...]) -> None:
    sc, opts, e = explored(*case)
    assert e.outcomes
    for o in e.outcomes:
        r = run(sc, opts, o.witness, complete=False)
        assert r.terminal, o.witness
        assert r.outcome == o.results, o.witness
        assert o.count >= 1
    for v in e.violations:
        r = run(sc, opts, v.witness, complete=False)
        assert v.invariant in {name for name, _ in check_all(r.final)}, v.witness
        assert INVARIANTS[v.invariant](r.final) == v.message


def test_explore_counts_match_an_independent_dfs() -> None:
    sc, opts, e = explored("module_init_fails", "no_live_check")
    seen: set[SimState] = set()
    transitions = 0
    todo = [initial_state(sc, opts)]
    seen.add(todo[0])
    terminals: set[Key] = set()
    while todo:
        s = todo.pop()
        r = runnable(s)
        if not r:
            terminals.add(key(outcome(s)))
        for letter in r:
            ns, _ = step(s, letter)
            transitions += 1
            if ns not in seen:
                seen.add(ns)
                todo.append(ns)
    assert e.states == len(seen)
    assert e.transitions == transitions
    assert outcome_keys(e) == terminals
    assert sum(o.count for o in e.outcomes) == sum(1 for s in seen if is_terminal(s))


def test_max_states_marks_incomplete_and_graph() -> None:
    sc = load_scenario("module_race")
    e = explore(sc, Options(), max_states=50)
    assert not e.complete and e.states == 50
    full = explore(sc, Options(), keep_graph=True)
    assert full.complete and len(full.edges) == full.transitions
    assert set(full.terminal.values()) == set(range(len(full.outcomes)))
    cancelled = explore(sc, Options(), cancel=lambda: True)
    assert not cancelled.complete


@pytest.mark.parametrize("limit", [0, 1, 2, 7, 50])
def test_a_cut_off_search_numbers_the_first_states_as_the_whole_search(limit: int) -> None:
    """A small max_states packs states into narrow numbers: the states it keeps are the whole
    search's first ones, reached the same way."""
    sc = load_scenario("module_race")
    full = explore(sc, Options(), keep_graph=True)
    e = explore(sc, Options(), max_states=limit, keep_graph=True)
    n = max(limit, 1)
    assert e.states == n and not e.complete
    assert e.parent == full.parent[:n] and e.via == full.via[:n]
    assert set(e.edges) <= set(full.edges)


# -- brute force: every schedule, no deduplication -------------------------------------------------


def all_schedules(sc: Scenario, opts: Options,
                  max_preemptions: int | None = None) -> Iterator[tuple[str, Key]]:
    """Depth-first over runnable threads, no dedup: (schedule, outcome) of every maximal
    schedule, or of every one with at most ``max_preemptions`` preemptions."""
    todo: list[tuple[SimState, str, int]] = [(initial_state(sc, opts), "", 0)]
    while todo:
        s, sched, pre = todo.pop()
        letters = runnable(s)
        if not letters:
            yield sched, key(outcome(s))
            continue
        last = sched[-1:] or None
        for letter in letters:
            p = pre + (last is not None and letter != last and last in letters)
            if max_preemptions is not None and p > max_preemptions:
                continue
            ns, _ = step(s, letter)
            todo.append((ns, sched + letter, p))


def count_paths(e: ExploreResult) -> int:
    """Maximal schedules in explore()'s state graph (it must be a DAG)."""
    succ: dict[int, list[int]] = {}
    for a, _, b in e.edges:
        succ.setdefault(a, []).append(b)
    memo: dict[int, int] = {}
    order: list[int] = []
    stack, seen = [0], {0}
    while stack:  # iterative DFS post-order
        i = stack[-1]
        nxt = next((j for j in succ.get(i, []) if j not in seen), None)
        if nxt is None:
            order.append(stack.pop())
        else:
            seen.add(nxt)
            stack.append(nxt)
    for i in order:
        memo[i] = sum(memo[j] for j in succ[i]) if i in succ else 1
    return memo[0]


BOUNDED = [("module_race", (), 2), ("module_init_fails", (), 3),
           ("module_init_fails", ("no_live_check",), 3), ("old_api", (), 3)]


@pytest.mark.parametrize(("name", "variants", "k"), BOUNDED,
                         ids=[f"{n}{'+' + '+'.join(v) if v else ''}-K{k}" for n, v, k in BOUNDED])
def test_bruteforce_bounded_preemptions_finds_every_outcome(
        name: str, variants: tuple[str, ...], k: int) -> None:
    sc, opts, e = explored(name, *variants)
    found: dict[Key, str] = {}
    n = 0
    for sched, res in all_schedules(sc, opts, k):
        n += 1
        found.setdefault(res, sched)
    assert n > 50
    assert set(found) == outcome_keys(e)
    for res, sched in found.items():  # and each brute-force schedule replays to its outcome
        assert key(run(sc, opts, sched, complete=False).outcome) == res


@pytest.mark.parametrize(("name", "variants"), [("module_race", ("no_live_check",)),
                                                ("module_race", ("live_flag_unlocked",)),
                                                ("old_api", ("init_fails",))])
def test_random_schedules_land_on_explored_outcomes(name: str,
                                                    variants: tuple[str, ...]) -> None:
    sc, opts, e = explored(name, *variants)
    known = outcome_keys(e)
    rng = random.Random(f"{name}{variants}")
    for _ in range(150):
        s = initial_state(sc, opts)
        while letters := runnable(s):
            s, _ = step(s, rng.choice(letters))
        assert key(outcome(s)) in known


TINY = """
name = "tiny_race"
title = "a module with a small init, and a verifier"
[[sets]]
name = "s"
owner = "bpf_testmod"
prog_type = "SCHED_CLS"
check = ["bpf_testmod_test_mod_kfunc"]
[[modules]]
name = "bpf_testmod"
init = []
{init_error}
[[threads]]
name = "loader"
letter = "L"
kind = "load_module"
module = "bpf_testmod"
[[threads]]
name = "verifier"
letter = "V"
kind = "bpf_prog_load"
prog_type = "SCHED_CLS"
kfunc = "bpf_testmod_test_mod_kfunc"
"""


@pytest.mark.parametrize(("init_error", "paths", "verifier"), [
    ("", 98813, {"ENXIO", "EACCES"}),
    ('init_error = "EINVAL"', 184693, {"ENXIO", "ENOENT"}),
])
def test_bruteforce_every_schedule_of_a_tiny_scenario(
        tmp_path: Path, init_error: str, paths: int, verifier: set[str]) -> None:
    f = tmp_path / "tiny.toml"
    f.write_text(TINY.format(init_error=init_error))
    sc = load_scenario_file(f)
    opts = Options()
    e = explore(sc, opts, keep_graph=True)
    found: set[Key] = set()
    n = 0
    for _, res in all_schedules(sc, opts):
        n += 1
        found.add(res)
    assert found == outcome_keys(e)
    assert {dict(k)["verifier"] for k in found} == verifier
    assert n == count_paths(e) == paths


def test_an_unsorted_cell_is_named_as_the_views_name_it() -> None:
    """The no_sort witness names [STRUCT_OPS][CHECK], not the raw indices [2][0]."""
    from explorer.sim.invariants import vmlinux_cells_sorted
    from explorer.sim.scenario import load_scenario
    from explorer.sim.session import run
    from explorer.sim.variants import parse_options

    r = run(load_scenario("boot_tcp"), parse_options(["no_sort"], []), "B*", complete=False)
    msg = vmlinux_cells_sorted(r.final)
    assert msg is not None and msg.startswith("vmlinux cell [STRUCT_OPS][CHECK] is not sorted: ")


# -- the witness: fewest thread switches, then fewest steps ---------------------------------------


def switches(schedule: str) -> int:
    return sum(1 for a, b in pairwise(schedule) if a != b)


def test_witness_has_the_fewest_switches_of_every_schedule(tmp_path: Path) -> None:
    """Brute force over every schedule of the tiny race: per outcome, the witness has the
    fewest thread switches of all, and the fewest steps of those; ``shortest`` the fewest steps."""
    f = tmp_path / "tiny.toml"
    f.write_text(TINY.format(init_error=""))
    sc = load_scenario_file(f)
    e = explore(sc, Options())
    best: dict[Key, tuple[int, int]] = {}
    shortest: dict[Key, int] = {}
    for sched, res in all_schedules(sc, Options()):
        cost = (switches(sched), len(sched))
        best[res] = min(best.get(res, cost), cost)
        shortest[res] = min(shortest.get(res, len(sched)), len(sched))
    for o in e.outcomes:
        steps = parse_schedule(o.witness)
        assert (switches(steps), len(steps)) == best[key(o.results)], o.witness
        assert len(parse_schedule(o.shortest)) == shortest[key(o.results)], o.shortest


def test_module_race_witnesses_read_easily() -> None:
    """QA: the half-filled-table witness is L4V7 (one switch), not a long zig-zag; the ENXIO
    witness switches twice (the verifier runs inside the loader's race window)."""
    _, _, e = explored("module_race", "no_live_check")
    assert [v.witness for v in e.violations] == ["L4V7"]
    _, _, e = explored("module_race")
    enxio = next(o for o in e.outcomes if o.results["verifier"] == "ENXIO")
    assert switches(parse_schedule(enxio.witness)) == 2
    assert witness_note(enxio.witness, enxio.shortest) == ""  # also a shortest one


def test_a_longer_witness_says_what_the_shortest_is() -> None:
    _, _, e = explored("live_flag_ordering")
    notes = [witness_note(o.witness, o.shortest) for o in e.outcomes]
    assert any("a shortest is" in n for n in notes)
    for o, n in zip(e.outcomes, notes, strict=True):
        if n:
            assert count_switches(o.witness) < count_switches(o.shortest)
            assert n.endswith(f"a shortest is {o.shortest} ({describe(o.shortest)})")


def test_schedule_to_reaches_every_explored_state_by_a_shortest_path() -> None:
    """Each state id's schedule (rebuilt from the parent pointers) replays to that very state:
    the schedules reach ``states`` distinct states, terminal ids end in their outcome, and no
    edge offers a shorter way in (breadth first: the path is a shortest one)."""
    from explorer.sim.schedule import parse_schedule

    sc = load_scenario("module_init_fails")
    opts = parse_options([], list(sc.default_faults))
    e = explore(sc, opts, keep_graph=True)
    start = initial_state(sc, opts)
    depth: list[int] = []
    reached: set[SimState] = set()
    for i in range(e.states):
        s = start
        steps = parse_schedule(e.schedule_to(i))
        for letter in steps:
            s, _ = step(s, letter)
        depth.append(len(steps))
        reached.add(s)
        if i in e.terminal:
            assert is_terminal(s) and outcome(s) == e.outcomes[e.terminal[i]].results
    assert len(reached) == e.states and depth[0] == 0
    assert all(depth[b] <= depth[a] + 1 for a, _, b in e.edges)
    with pytest.raises(ValueError, match="no explored state"):
        e.schedule_to(e.states)
