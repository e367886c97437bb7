"""The simulator: schedules, stepping, sessions (time travel, branching) and replay."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.sim.engine import StepRecord, initial_state, is_terminal, outcome, runnable, step
from explorer.sim.errors import InputError
from explorer.sim.scenario import load_scenario
from explorer.sim.schedule import MAX_STEPS, format_schedule, parse_schedule, parse_tokens
from explorer.sim.session import Session, run
from explorer.sim.variants import Options, parse_options

# -- schedules ------------------------------------------------------------------------------


def test_schedule_long_and_run_length_forms_are_equal() -> None:
    assert parse_schedule("LLLVVL") == parse_schedule("L3V2L") == "LLLVVL"
    assert format_schedule("LLLVVL") == "L3V2L"
    assert parse_schedule("L3 V2, L.") == "LLLVVL", "spaces, commas and dots are ignored"
    assert parse_schedule("") == ""
    assert parse_schedule("L12") == "L" * 12


def test_schedule_letter_case_does_not_matter() -> None:
    """QA: a pasted ``l4v7`` was refused; every front parses schedules here."""
    assert parse_schedule("l4v7") == parse_schedule("L4v7") == parse_schedule("L4V7")
    assert parse_tokens("l3v*", "LV") == [("L", 3), ("V", None)]
    with pytest.raises(InputError, match=r"position 3: no thread 'Q' \(threads: L, V\)"):
        parse_tokens("l3q", "LV")
    assert run(load_scenario("module_race"), Options(), "l4v7",
               complete=False).records[-1].letter == "V"


def test_schedule_star_token() -> None:
    assert parse_tokens("L3V*B") == [("L", 3), ("V", None), ("B", 1)]
    with pytest.raises(InputError, match=r"'B\*' needs a running model"):
        parse_schedule("B*")


@pytest.mark.parametrize(("text", "letters", "pattern"), [
    ("L3-", None, r"position 3: expected a thread letter \(A-Z\), found '-'"),
    ("3L", None, r"position 1: expected a thread letter"),
    ("LV?", "LV", r"position 3: expected a thread letter"),
    ("L3Q", "LV", r"position 3: no thread 'Q' \(threads: L, V\)"),
    ("L0", None, r"position 1: a count must be 1 or more"),
    ("LV0", "LV", r"position 2: a count must be 1 or more"),
])
def test_schedule_errors_name_the_position(text: str, letters: str | None, pattern: str) -> None:
    with pytest.raises(InputError, match=pattern) as ei:
        parse_tokens(text, letters)
    assert "\n" not in str(ei.value)
    assert repr(text) in str(ei.value)


def test_schedule_too_long() -> None:
    with pytest.raises(InputError, match="more than"):
        parse_tokens(f"L{MAX_STEPS}V")


@given(st.text(alphabet="LVBM", max_size=60))
def test_format_schedule_round_trip(steps: str) -> None:
    short = format_schedule(steps)
    assert parse_schedule(short) == steps
    assert format_schedule(parse_schedule(short)) == short
    letters = [c for c in short if c.isalpha()]
    assert all(x != y for x, y in itertools.pairwise(letters)), "one token a run"
    assert "1" not in [t[1:] for t in re.findall(r"[A-Z]\d*", short)], "no count of 1"


@given(st.lists(st.tuples(st.sampled_from("LVB"), st.integers(1, 30)), max_size=10))
def test_parse_of_run_length_text(tokens: list[tuple[str, int]]) -> None:
    text = "".join(f"{c}{n}" for c, n in tokens)
    assert parse_schedule(text) == "".join(c * n for c, n in tokens)


# -- engine -------------------------------------------------------------------------------------


def test_step_of_unknown_thread_raises() -> None:
    sc = load_scenario("module_race")
    s = initial_state(sc, Options())
    with pytest.raises(InputError, match="no thread 'Q'"):
        step(s, "Q")


def test_step_of_blocked_thread_raises() -> None:
    sc = load_scenario("boot_tcp")
    s = initial_state(sc, Options())
    assert runnable(s) == ["B"], "no verifier before do_initcalls ends"
    with pytest.raises(InputError, match="cannot step now: it is blocked"):
        step(s, "V")


def test_step_of_finished_thread_raises() -> None:
    sc = load_scenario("module_race")
    r = run(sc, Options(), "L3V*", complete=False)
    assert r.final.thread("V").done
    assert r.outcome["verifier"] == "ENXIO"
    assert r.outcome["loader"] == "BLOCKED" or not r.terminal
    with pytest.raises(InputError, match="has finished"):
        step(r.final, "V")
    s = Session(sc)
    s.load_schedule("L3V*")
    with pytest.raises(InputError, match="has finished"):
        s.step("V")


def test_step_record_fields() -> None:
    sc = load_scenario("module_race")
    s = initial_state(sc, Options())
    s1, rec = step(s, "L", 1)
    assert isinstance(rec, StepRecord)
    assert rec.index == 1 and rec.letter == "L" and rec.thread == "loader"
    assert rec.func == "load_module" and rec.pc == "entry"
    assert "layout_and_allocate" in rec.line
    assert [e.kind for e in rec.events] == ["state"]
    assert "MODULE_STATE_COMING" in rec.summary
    assert rec.finished is None
    assert s1 != s and s1.world.module("nf_conntrack").state == "MODULE_STATE_COMING"
    # the last step of a thread carries its result
    r = run(sc, Options(), "L3V*", complete=False)
    last_v = [x for x in r.records if x.letter == "V"][-1]
    assert last_v.finished == "ENXIO"
    assert all(x.finished is None for x in r.records if x is not last_v)
    assert [x.index for x in r.records] == list(range(1, len(r.records) + 1))


def test_states_are_values() -> None:
    sc = load_scenario("module_race")
    a = initial_state(sc, Options())
    b = initial_state(sc, Options())
    assert a == b and hash(a) == hash(b)
    sa = run(sc, Options(), "L3", complete=False).final
    sb = run(sc, Options(), "LLL", complete=False).final
    assert sa == sb and hash(sa) == hash(sb)
    assert step(sa, "V")[0] != step(sa, "L")[0]


# -- run ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["module_race", "boot_tcp", "old_api"])
def test_run_is_deterministic(name: str) -> None:
    sc = load_scenario(name)
    a = run(sc, Options(), "L3V3" if sc.thread_by_letter("V") and sc.thread_by_letter("L")
            else "")
    b = run(sc, Options(), a.schedule)
    c = run(sc, Options(), format_schedule(a.schedule))
    assert a.records == b.records == c.records
    assert a.final == b.final == c.final
    assert a.terminal and is_terminal(a.final)
    assert a.outcome == outcome(a.final)


def test_run_default_order_is_first_runnable_thread() -> None:
    sc = load_scenario("module_race")
    r = run(sc, Options())
    assert r.schedule == "L" * r.schedule.count("L") + "V" * r.schedule.count("V")
    assert r.outcome == {"loader": "OK", "verifier": "OK"}


def test_run_bad_schedule_names_the_step() -> None:
    sc = load_scenario("module_race")
    with pytest.raises(InputError, match=r"step \d+ \(after L3V10\)") as ei:
        run(sc, Options(), "L3V20")
    assert "has finished" in str(ei.value)


def test_run_limit() -> None:
    sc = load_scenario("boot_tcp")
    r = run(sc, Options(), limit=10)
    assert len(r.records) == 10 and not r.terminal


# -- sessions ------------------------------------------------------------------------------


def test_session_back_forward_jump() -> None:
    sc = load_scenario("module_race")
    s = Session(sc)
    start = s.state
    assert s.back() is False and s.forward() is None
    recs = [s.step("L") for _ in range(5)]
    assert s.cursor == s.length == 5 and s.schedule == "L5"
    after5 = s.state
    assert s.back() is True and s.cursor == 4
    assert s.last_record == recs[3]
    assert s.forward() == recs[4] and s.state == after5
    s.jump(0)
    assert s.state == start and s.schedule == "" and s.full_schedule == "L5"
    s.jump(3)
    assert s.state == run(sc, Options(), "L3", complete=False).final
    with pytest.raises(InputError, match=r"out of range \(0\.\.5\)"):
        s.jump(6)
    with pytest.raises(InputError):
        s.jump(-1)
    assert s.cursor == 3


def test_session_same_step_keeps_future_other_step_branches() -> None:
    sc = load_scenario("module_race")
    s = Session(sc)
    s.load_schedule("L4V2")
    assert s.full_schedule == "L4V2" and s.cursor == 6
    s.jump(2)
    rec = s.step("L")  # the step already recorded: follow the timeline
    assert rec.index == 3 and s.full_schedule == "L4V2" and s.length == 6
    rec = s.step("V")  # a different step: a new branch, the old future is dropped
    assert rec.letter == "V" and rec.index == 4
    assert s.full_schedule == "L3V" and s.length == 4 and s.cursor == 4
    assert s.state == run(sc, Options(), "L3V", complete=False).final


def test_session_step_auto_follows_recorded_future_then_runs() -> None:
    sc = load_scenario("module_race")
    s = Session(sc)
    s.load_schedule("L3V2")
    s.jump(3)
    assert s.step_auto() is not None and s.full_schedule == "L3V2"
    assert s.step_auto() is not None and s.cursor == 5
    rec = s.step_auto()  # past the recorded future: first runnable thread (L)
    assert rec is not None and rec.letter == "L" and s.full_schedule == "L3V2L"
    n = s.run_to_end()
    assert s.terminal and n > 0
    assert outcome(s.state) == run(sc, Options(), s.full_schedule).outcome


def test_session_load_schedule_failure_leaves_session_unchanged() -> None:
    sc = load_scenario("module_race")
    s = Session(sc)
    s.load_schedule("L5V3")
    s.jump(4)
    before = (list(s.states), list(s.records), s.cursor)
    for bad in ("L5X", "L0", "L5V40", "l5-"):
        with pytest.raises(InputError):
            s.load_schedule(bad)
        assert (s.states, s.records, s.cursor) == before


def test_session_load_schedule_complete_and_states() -> None:
    sc = load_scenario("module_race")
    s = Session(sc)
    s.load_schedule("L3V2", complete=True)
    assert s.terminal and s.cursor == s.length
    for i in range(s.length + 1):  # every kept state equals a fresh replay of its prefix
        if i % 13 == 0 or i == s.length:
            s.jump(i)
            want = run(sc, Options(), s.schedule, complete=False).final
            assert s.state == want


def test_session_step_over_and_finish() -> None:
    sc = load_scenario("module_race")
    s = Session(sc)
    s.step("L")  # load_module:entry -> notify
    recs = s.step_over("L")  # notify calls btf_module_notify: run it until it returns
    assert recs[0].func == "load_module" and recs[0].pc == "notify"
    assert {r.func for r in recs[1:]} == {"btf_module_notify"}
    assert s.state.thread("L").top is not None
    assert s.state.thread("L").top.func == "load_module"
    depth = len(s.state.thread("L").stack)
    s.step("L")
    s.step("L")  # into do_init_module
    recs = s.finish("L")
    assert recs and len(s.state.thread("L").stack) < depth + 2


def test_session_reset_with_options() -> None:
    sc = load_scenario("module_race")
    s = Session(sc)
    s.load_schedule("L5")
    s.reset(parse_options(["no_live_check"]))
    assert s.length == 0 and s.cursor == 0
    assert not s.state.world.cfg.live_check
    assert s.options.label() == "no_live_check"


def test_live_flag_unlocked_adds_the_store_buffer_thread() -> None:
    sc = load_scenario("module_race")
    s = initial_state(sc, parse_options(["live_flag_unlocked"]))
    assert [t.letter for t in s.threads] == ["L", "V", "M"]
    assert runnable(s) == ["L"], "V waits for the BTF; M has nothing to drain yet"
    with pytest.raises(InputError, match="has nothing to do"):
        step(s, "M")
    assert "M" not in outcome(s) and "store buffer" not in outcome(s)
    while "M" not in runnable(s):
        s, _ = step(s, "L")
    pending = s.world.pending
    assert pending
    s2, rec = step(s, "M")
    assert rec.thread == "store buffer" and rec.events[0].kind == "write"
    assert s2.world.pending == pending[1:]
