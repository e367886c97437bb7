"""Challenges: goals you reach by choosing the schedule (you are the scheduler).

A challenge names a scenario, the what-ifs and faults it runs under, and a goal: which results
threads must end with (``verifier = "UAF"``), an invariant some state along the way must violate
(``violates = "table_write_once"``), and at most how many steps that may take (``within``). They
are data: TOML files in ``scenarios/challenges/`` (format: the README there), validated like
scenarios, with every problem reported as one line naming the file and the place.

:func:`judge` decides a timeline (won, lost, or still open, and why); :func:`check_schedule` replays
a schedule and judges it; :func:`solve` finds a shortest winning schedule by breadth-first search
over (state, violation seen) pairs, which proves a challenge winnable.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from explorer.model.constants import UAF
from explorer.model.records import dataclass
from explorer.sim.engine import SimState, StepRecord, initial_state, is_terminal, runnable, step
from explorer.sim.errors import InputError
from explorer.sim.invariants import INVARIANTS
from explorer.sim.scenario import SCENARIO_DIR, _known, _str, _strlist, _tables, load_scenario
from explorer.sim.schedule import format_schedule
from explorer.sim.session import Session
from explorer.sim.spec import Setup
from explorer.sim.tomlfile import read_toml
from explorer.sim.variants import parse_options

CHALLENGE_DIR = SCENARIO_DIR / "challenges"
RESULTS = ("OK", "ENXIO", "EACCES", "EINVAL", "ENOENT", "E2BIG", "ENOMEM", "EOVERFLOW", UAF,
           "BLOCKED")
"""What a thread may end with (errno names, ``UAF``, or ``BLOCKED`` for one that never ran)."""


@dataclass(frozen=True, slots=True)
class Goal:
    results: tuple[tuple[str, str], ...] = ()
    """(thread name, result) pairs that must all hold at the end."""
    violates: str | None = None
    """An invariant (see :mod:`explorer.sim.invariants`) that some state must violate."""
    within: int | None = None
    """At most this many steps until the goal holds."""

    def describe(self) -> str:
        parts = [f"{t} ends {r}" for t, r in self.results]
        if self.violates:
            parts.append(f"{self.violates} is violated")
        text = " and ".join(parts)
        return text + (f", within {self.within} steps" if self.within is not None else "")


@dataclass(frozen=True, slots=True)
class Challenge(Setup):
    name: str
    title: str
    goal_text: str
    """The goal in the learner's words (what the fronts show)."""
    goal: Goal
    hint: str = ""
    explain: str = ""
    """Shown after a win: what the learner just saw, in kernel terms."""
    path: str = ""
    order: int = 100
    """Where it sits in the list (then by file and place in the file)."""

    @property
    def condition(self) -> str:
        """The win condition in the checker's words (``verifier ends UAF``)."""
        return self.goal.describe()


# -- loading -------------------------------------------------------------------------------------


def _err(path: str, where: str, msg: str) -> InputError:
    return InputError(f"{path}: {where}: {msg}")


def parse_challenges(data: dict[str, Any], path: str,
                     default_scenario: str = "") -> list[Challenge]:
    """Validate a decoded challenge file (``[[challenge]]`` tables)."""
    _known(data, {"challenge"}, path, "")
    out = []
    for where, c in _tables(data, "challenge", path):
        _known(c, {"name", "title", "scenario", "variants", "faults", "goal", "hint", "explain",
                   "order", "win"}, path, where)
        order = c.get("order", 100)
        if not isinstance(order, int) or isinstance(order, bool):
            raise _err(path, f"{where}.order", f"{order!r}: a whole number")
        name = _str(c, "name", path, where)
        if not name.replace("_", "").isalnum() or not name.isascii():
            raise _err(path, f"{where}.name", f"{name!r} is not a simple name (letters, digits, _)")
        scen_name = _str(c, "scenario", path, where, default_scenario)
        if not scen_name:
            raise _err(path, where, "missing required key 'scenario'")
        try:
            sc = load_scenario(scen_name)
        except InputError as e:
            raise _err(path, f"{where}.scenario", str(e)) from None
        variants = _strlist(c, "variants", path, where)
        faults = _strlist(c, "faults", path, where)
        try:
            parse_options(variants, faults)
        except InputError as e:
            raise _err(path, f"{where}.variants/faults", str(e)) from None
        win = c.get("win")
        if not isinstance(win, dict):
            raise _err(path, f"{where}.win", "expected a table: [challenge.win]")
        _known(win, {"results", "violates", "within"}, path, f"{where}.win")
        res = win.get("results", {})
        if not isinstance(res, dict):
            raise _err(path, f"{where}.win.results", "expected a table of thread = result")
        threads = {t.name for t in sc.threads}
        results = []
        for tname, r in res.items():
            if tname not in threads:
                raise _err(path, f"{where}.win.results.{tname}", f"no thread {tname!r} in "
                           f"{sc.name} (threads: {', '.join(sorted(threads))})")
            if r not in RESULTS:
                raise _err(path, f"{where}.win.results.{tname}",
                           f"{r!r} (allowed: {', '.join(RESULTS)})")
            results.append((tname, str(r)))
        violates = win.get("violates")
        if violates is not None and violates not in INVARIANTS:
            raise _err(path, f"{where}.win.violates",
                       f"{violates!r} (allowed: {', '.join(INVARIANTS)})")
        within = win.get("within")
        if within is not None and (not isinstance(within, int) or isinstance(within, bool)
                                   or within < 1):
            raise _err(path, f"{where}.win.within", f"{within!r}: a whole number >= 1")
        if not results and violates is None:
            raise _err(path, f"{where}.win", "a goal needs results, violates, or both")
        out.append(Challenge(name, _str(c, "title", path, where, name),
                             _str(c, "goal", path, where).strip(),
                             Goal(tuple(results), violates, within),
                             _str(c, "hint", path, where, "").strip(),
                             _str(c, "explain", path, where, "").strip(), path, order,
                             scenario=sc.name, variants=variants, faults=faults))
    return out


def load_challenge_file(path: str | Path) -> list[Challenge]:
    p = Path(path)
    data = read_toml(p)
    return parse_challenges(data, str(p), p.stem)


@cache
def builtin_challenges() -> tuple[Challenge, ...]:
    """Every built-in challenge, in file then file order; names are unique."""
    out: list[Challenge] = []
    seen: dict[str, str] = {}
    for p in sorted(CHALLENGE_DIR.glob("*.toml")):
        for c in load_challenge_file(p):
            if c.name in seen:
                raise InputError(f"{p}: challenge {c.name!r} is already defined in {seen[c.name]}")
            seen[c.name] = str(p)
            out.append(c)
    return tuple(sorted(out, key=lambda c: c.order))


def get_challenge(name: str) -> Challenge:
    for c in builtin_challenges():
        if c.name == name:
            return c
    raise InputError(f"unknown challenge {name!r} (allowed: "
                     f"{', '.join(c.name for c in builtin_challenges())})")


# -- judging -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verdict:
    won: bool
    decided: bool
    """True once the timeline can no longer change the answer (won, or lost for good)."""
    why: str
    steps: int
    """Steps of the timeline judged (for a win: the step at which the goal first held)."""
    schedule: str


def _results_hold(s: SimState, goal: Goal) -> bool:
    by_name = {t.name: t.result for t in s.threads}
    return all(by_name.get(t) == r for t, r in goal.results)


def _wrong_end(s: SimState, goal: Goal) -> str | None:
    """A named thread finished with another result: no later step can fix that."""
    by_name = {t.name: t for t in s.threads}
    for t, r in goal.results:
        th = by_name[t]
        if th.result is not None and th.result != r:
            return f"{t} ended {th.result}, not {r}"
    return None


def judge(ch: Challenge, states: Sequence[SimState], records: Sequence[StepRecord]) -> Verdict:
    """Judge the timeline ``states[0..k]`` (``records`` are its k steps)."""
    goal = ch.goal
    sched = format_schedule("".join(r.letter for r in records))
    seen_at: int | None = None
    for k, s in enumerate(states):
        if goal.violates and seen_at is None and INVARIANTS[goal.violates](s) is not None:
            seen_at = k
        if (goal.violates is None or seen_at is not None) and _results_hold(s, goal):
            if goal.within is not None and k > goal.within:
                return Verdict(False, True, f"the goal held at step {k}, but it must within "
                               f"{goal.within} steps: find a shorter schedule", k, sched)
            why = [f"{t} ended {r}" for t, r in goal.results]
            if goal.violates:
                why.append(f"{goal.violates} was violated at step {seen_at}")
            return Verdict(True, True, f"won at step {k}: " + "; ".join(why),
                           k, format_schedule("".join(r.letter for r in records[:k])))
        if goal.within is not None and k >= goal.within:
            return Verdict(False, True, f"after {goal.within} steps the goal does not hold yet "
                           f"(goal: {goal.describe()})", k, sched)
        wrong = _wrong_end(s, goal)
        if wrong:
            return Verdict(False, True, wrong + (f" (at step {k})" if k else ""), k, sched)
    last = states[-1]
    n = len(states) - 1
    if is_terminal(last):
        missing = "no state violated " + str(goal.violates) if goal.violates and seen_at is None \
            else "the run ended without " + goal.describe()
        return Verdict(False, True, missing, n, sched)
    return Verdict(False, False, "not yet: " + goal.describe(), n, sched)


def check_schedule(ch: Challenge, schedule: str) -> Verdict:
    """Replay ``schedule`` (then, like ``run``, the rest in thread order) and judge it.

    A schedule that names no thread or a thread that cannot step raises :class:`InputError`."""
    sess = Session(load_scenario(ch.scenario), ch.options)
    sess.load_schedule(schedule)
    given = sess.length
    sess.run_to_end()
    v = judge(ch, sess.states, sess.records)
    if sess.length > given and not (v.won and v.steps <= given):
        v = Verdict(v.won, v.decided, v.why + f" (your schedule ran {given} step"
                    f"{'' if given == 1 else 's'}; the rest ran in thread order)", v.steps,
                    v.schedule)
    return v


@dataclass(frozen=True, slots=True)
class Solution:
    schedule: str
    steps: int
    states: int


def solve(ch: Challenge, *, max_states: int = 500_000) -> Solution | None:
    """A shortest winning schedule, by breadth-first search; None when there is none."""
    goal = ch.goal
    inv = INVARIANTS[goal.violates] if goal.violates else None
    init = initial_state(load_scenario(ch.scenario), ch.options)
    start = (init, inv is None or inv(init) is not None)
    parent: dict[tuple[SimState, bool], tuple[tuple[SimState, bool] | None, str]] = {
        start: (None, "")}
    queue: deque[tuple[tuple[SimState, bool], int]] = deque([(start, 0)])
    while queue:
        node, depth = queue.popleft()
        s, seen = node
        if seen and _results_hold(s, goal):
            letters = []
            cur: tuple[SimState, bool] | None = node
            while cur is not None:
                prev, letter = parent[cur]
                letters.append(letter)
                cur = prev
            return Solution(format_schedule("".join(reversed(letters))), depth, len(parent))
        if _wrong_end(s, goal) or (goal.within is not None and depth >= goal.within):
            continue
        for letter in runnable(s):
            ns, _ = step(s, letter)
            nxt = (ns, seen or (inv is not None and inv(ns) is not None))
            if nxt in parent:
                continue
            if len(parent) >= max_states:
                return None
            parent[nxt] = (node, letter)
            queue.append((nxt, depth + 1))
    return None


def in_thread_order(ch: Challenge) -> Verdict:
    """The verdict of the schedule that just lets the first runnable thread step (no choices)."""
    return check_schedule(ch, "")
