"""The compact session timeline (checkpoints + replayed segments) against the straightforward one.

:class:`explorer.sim.session.Session` keeps whole states only every SEGMENT steps and replays the
rest on demand through a small cache. Here the same operations run on it and on a reference that
keeps every state and record in plain lists (how sessions used to work); at every point both give
the same cursor, state, records, schedules and step results. Segments and cache are made tiny so
that replay, eviction, truncation across segment boundaries and checkpoint reads all happen.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import explorer.sim.session as session_mod
from explorer.sim.engine import SimState, StepRecord, initial_state, runnable, step
from explorer.sim.errors import InputError
from explorer.sim.scenario import load_scenario
from explorer.sim.schedule import format_schedule
from explorer.sim.session import Session
from explorer.sim.variants import Options, parse_options


class ListSession:
    """The reference: every state and record in a list."""

    def __init__(self, first: SimState) -> None:
        self.states = [first]
        self.records: list[StepRecord] = []
        self.cursor = 0

    def step(self, letter: str) -> StepRecord:
        if self.cursor < len(self.records) and self.records[self.cursor].letter == letter:
            self.cursor += 1
            return self.records[self.cursor - 1]
        s, rec = step(self.states[self.cursor], letter, self.cursor + 1)
        del self.states[self.cursor + 1:]
        del self.records[self.cursor:]
        self.states.append(s)
        self.records.append(rec)
        self.cursor += 1
        return rec


@pytest.fixture
def tiny_segments() -> Iterator[None]:
    seg, cache = session_mod.SEGMENT, session_mod.CACHED_SEGMENTS
    session_mod.SEGMENT, session_mod.CACHED_SEGMENTS = 3, 2
    try:
        yield
    finally:
        session_mod.SEGMENT, session_mod.CACHED_SEGMENTS = seg, cache


OPS = st.lists(st.one_of(
    st.tuples(st.just("step"), st.integers(0, 3)),
    st.tuples(st.just("auto"), st.integers(1, 6)),
    st.tuples(st.just("back"), st.integers(1, 8)),
    st.tuples(st.just("jump"), st.integers(0, 10_000)),
    st.tuples(st.just("forward"), st.integers(1, 5)),
), max_size=40)


def _check_same(s: Session, ref: ListSession) -> None:
    assert s.cursor == ref.cursor
    assert s.length == len(ref.records)
    assert s.state == ref.states[ref.cursor]
    assert list(s.records) == ref.records
    assert len(s.states) == len(ref.states)
    assert s.schedule == format_schedule("".join(r.letter for r in ref.records[: ref.cursor]))
    assert s.last_record == (ref.records[ref.cursor - 1] if ref.cursor else None)


@pytest.mark.usefixtures("tiny_segments")
@settings(max_examples=60, deadline=None, database=None)
@given(variant=st.sampled_from(["kernel", "no_live_check"]), ops=OPS)
def test_session_matches_list_reference(variant: str, ops: list[tuple[str, int]]) -> None:
    sc = load_scenario("module_race")
    opts = parse_options([variant], list(sc.default_faults))
    s = Session(sc, opts)
    ref = ListSession(initial_state(sc, opts))
    for op, n in ops:
        if op == "step":
            letters = runnable(ref.states[ref.cursor])
            if not letters:
                with pytest.raises(InputError):
                    s.step("L")
                continue
            letter = letters[n % len(letters)]
            assert s.step(letter) == ref.step(letter)
        elif op == "auto":
            for _ in range(n):
                got = s.step_auto()
                if ref.cursor < len(ref.records):
                    ref.cursor += 1
                    want: StepRecord | None = ref.records[ref.cursor - 1]
                else:
                    r = runnable(ref.states[ref.cursor])
                    want = ref.step(r[0]) if r else None
                assert got == want
        elif op == "back":
            for _ in range(n):
                assert s.back() == (ref.cursor > 0)
                ref.cursor = max(0, ref.cursor - 1)
        elif op == "forward":
            for _ in range(n):
                rec = s.forward()
                if ref.cursor < len(ref.records):
                    ref.cursor += 1
                    assert rec == ref.records[ref.cursor - 1]
                else:
                    assert rec is None
        else:
            target = n % (len(ref.records) + 1)
            s.jump(target)
            ref.cursor = target
        _check_same(s, ref)
    # every state of the timeline, read in an order that defeats the tiny cache
    order = list(range(len(ref.states)))
    for i in order[::2] + order[1::2][::-1]:
        assert s.states[i] == ref.states[i]


@pytest.mark.usefixtures("tiny_segments")
def test_load_schedule_and_views_match_list_reference() -> None:
    sc = load_scenario("module_race")
    s = Session(sc, Options())
    s.load_schedule("L4V2L3", complete=True)
    ref = ListSession(initial_state(sc, Options()))
    for rec in s.records:
        ref.step(rec.letter)
    _check_same(s, ref)
    assert s.records[2:9] == ref.records[2:9]
    assert s.states[-1] == ref.states[-1] and s.records[-1] == ref.records[-1]
    assert [s.checkpoint_before(i) for i in (0, 1, 3, 5, s.length)] == [0, 0, 3, 3, s.length]
    with pytest.raises(IndexError):
        s.states[len(ref.states)]
