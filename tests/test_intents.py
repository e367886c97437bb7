"""Typed intents and Controller.apply: the one place an action acts, for every front."""

from __future__ import annotations

import dataclasses
import typing

import pytest

from explorer.views import intents as it
from explorer.views.actions import ACTION_BY_ID, ACTIONS
from explorer.views.controller import Controller, grade, option_state
from explorer.views.snapshot import PANEL_FOR_FOCUS, PANELS, panel_for_focus


def faults_of(c: Controller) -> dict[str, int]:
    return {o.name: o.count for o in c.snapshot().option_state if o.kind == "fault" and o.on}


def test_every_intent_is_a_frozen_hashable_value() -> None:
    for name in it.__all__:
        cls = getattr(it, name)
        if name in ("Intent", "Command"):
            continue
        assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen, name
    assert set(typing.get_args(it.Intent)) == {getattr(it, n) for n in it.__all__
                                               if n != "Intent"}
    assert it.Step("L") == it.Step("L") and len({it.Step("L"), it.Step("L"), it.Command.BACK}) == 2
    assert it.Step("L") != it.StepOver("L") and it.Jump(0) != it.Goto(0)


def test_a_command_is_named_as_the_action_that_runs_it() -> None:
    for c in it.Command:  # where a row of that id applies an intent (x opens a screen first)
        row = ACTION_BY_ID.get(c.value)
        assert row is None or row.intent in (c, None), c
    assert {a.intent for a in ACTIONS} >= {it.Command.BACK, it.Command.NEXT, it.Jump(0)}


def test_apply_returns_the_next_snapshot() -> None:
    c = Controller("module_race")
    snap = c.apply(it.Step("l"))
    assert snap == c.snapshot()
    assert snap.step == 1 and snap.schedule == "L"
    assert c.apply(it.Command.BACK).step == 0
    assert c.apply(it.Command.FORWARD).step == 1
    assert c.apply(it.Command.RUN_TO_END).terminal
    end = c.snapshot().length
    assert c.apply(it.Jump(0)).step == 0
    assert c.apply(it.Command.JUMP_END).step == end
    assert c.apply(it.Jump(2)).step == 2
    assert c.apply(it.Command.RESET).length == 0


def test_a_bad_intent_is_one_line_and_changes_nothing() -> None:
    c = Controller("module_race")
    c.apply(it.LoadSchedule("L4"))
    before = c.snapshot()
    for bad in (it.Step("Q"), it.LoadSchedule("L4Z"), it.PickScenario("nope"),
                it.OpenLesson("nope"), it.ToggleOption("nope"), it.PickKernel("1.0"),
                it.LoadCustom("5 x 9"), it.Jump(999)):
        with pytest.raises(ValueError) as e:
            c.apply(bad)
        assert "\n" not in str(e.value), bad
        assert c.snapshot() == before, bad


def test_snapshot_carries_thread_keys_from_the_scenario() -> None:
    snap = Controller("module_race").snapshot()
    assert [(t.letter, t.step_key, t.over_key) for t in snap.threads] == [
        ("L", "l", "L"), ("V", "v", "V")]
    assert [t.letter for t in snap.threads if t.runnable] == list(snap.runnable)


def test_toggles_keep_fault_counts() -> None:
    """krealloc_fails:2 stays :2 whatever else is switched (the what-if screen and the
    palette dropped it to :1)."""
    c = Controller("module_race")
    c.apply(it.SetFaultCount("krealloc_fails", 2))
    assert faults_of(c) == {"krealloc_fails": 2}
    c.apply(it.ToggleOption("no_live_check"))
    c.apply(it.ToggleOption("init_fails"))
    assert faults_of(c) == {"krealloc_fails": 2, "init_fails": 1}
    c.apply(it.SetOptions(("krealloc_fails", "no_sort")))
    assert faults_of(c) == {"krealloc_fails": 2}
    assert c.snapshot().options == "no_sort+krealloc_fails:2"
    c.apply(it.ToggleOption("krealloc_fails"))
    assert faults_of(c) == {}
    c.apply(it.ToggleOption("krealloc_fails"))
    assert faults_of(c) == {"krealloc_fails": 1}
    on = [o.spec for o in option_state(c.options) if o.on]
    assert on == ["no_sort", "krealloc_fails"]


def test_set_options_is_one_rule_for_counts() -> None:
    """One "exactly these" intent (there were two, and only one kept counts): ``name:n`` sets a
    count, a bare fault already on keeps its count, a new one counts 1; catalogue order."""
    c = Controller("module_race")
    c.apply(it.SetOptions(("krealloc_fails:3", "no_sort", "no_live_check")))
    assert c.snapshot().options == "no_live_check+no_sort+krealloc_fails:3"
    c.apply(it.SetOptions(("krealloc_fails", "kzalloc_fails")))
    assert faults_of(c) == {"kzalloc_fails": 1, "krealloc_fails": 3}
    c.apply(it.SetOptions(("krealloc_fails:1",)))
    assert faults_of(c) == {"krealloc_fails": 1}
    before = c.snapshot()
    for bad in (("nope",), ("krealloc_fails:x",), ("init_fails:2",), ("no_sort:2",)):
        with pytest.raises(ValueError) as e:
            c.apply(it.SetOptions(bad))
        assert "\n" not in str(e.value) and c.snapshot() == before, bad


def test_finish_runs_the_thread_stepped_last() -> None:
    c = Controller("module_race")
    c.apply(it.Step("L"))
    snap = c.apply(it.Finish())
    assert set(snap.schedule) <= set("L0123456789")
    assert snap.step > 1


def test_goto_walks_the_history_then_steps_on_and_always_ends() -> None:
    c = Controller("module_race")
    assert c.apply(it.Goto(3)).step == 3
    assert c.apply(it.Goto(1)).step == 1 and c.snapshot().length == 3
    end = c.apply(it.Goto(10**6))
    assert end.terminal and end.step == end.length


def test_lesson_state_pages_panel_and_verdict() -> None:
    c = Controller("module_race")
    ls = next(ls for ls in c.lessons() if ls.slug == "sort")
    snap = c.apply(it.OpenLesson("sort"))
    assert snap.lesson is not None and snap.lesson.index == 0
    assert snap.lesson.count == len(ls.pages) and snap.lesson.verdict is None
    assert snap.lesson.panel == panel_for_focus(ls.pages[0].focus)
    snap = c.apply(it.Command.NEXT)  # page 0 asks: Next stops once and says why
    assert snap.lesson is not None and snap.lesson.index == 0
    assert snap.lesson.note.startswith("predict first")
    snap = c.apply(it.Command.NEXT)
    assert snap.lesson is not None and snap.lesson.index == 1 and not snap.lesson.note
    assert snap.lesson.panel == "array"  # focus "sort"
    snap = c.apply(it.Command.PREV)
    assert snap.lesson is not None and snap.lesson.index == 0
    pr = ls.pages[0].predict
    assert pr is not None
    truth = c.page_answer(ls.pages[0])
    right = next(k for k, ch in enumerate(pr.choices) if grade(ch, truth))
    snap = c.apply(it.Answer(right))
    assert snap.lesson is not None and snap.lesson.verdict is not None
    assert snap.lesson.verdict.right and snap.lesson.verdict.said().startswith("✔ Right")
    assert snap.lesson.verdict.revealed_at == snap.step > 0  # the model at the reveal state
    wrong = next(k for k in range(len(pr.choices)) if k != right)
    v = c.apply(it.Answer(wrong)).lesson  # locked: the first answer stands
    assert v is not None and v.verdict is not None and v.verdict.right
    assert v.note.startswith("your answer is locked")
    assert c.apply(it.GotoPage(99)).lesson.index == len(ls.pages) - 1  # type: ignore[union-attr]
    assert c.apply(it.Command.LEAVE_LESSON).lesson is None
    assert c.apply(it.Command.NEXT).lesson is None  # outside a lesson: forward in history


def test_picking_a_scenario_or_kernel_leaves_the_lesson() -> None:
    c = Controller("module_race")
    c.apply(it.OpenLesson("table"))
    assert c.apply(it.PickScenario("module_race")).lesson is None
    c.apply(it.OpenLesson("table"))
    kernels = c.versions()
    other = next((k for k in kernels if k != c.kernel), None)
    if other is not None:
        assert c.apply(it.PickKernel(other)).lesson is None


def test_grading_ignores_case_and_space() -> None:
    assert grade(" NULL ", "null") and grade("-ENOMEM", "-enomem")
    assert not grade("NULL", "0")


def test_one_focus_to_panel_map() -> None:
    from explorer.sim.lessons import FOCUS

    assert set(PANEL_FOR_FOCUS) == set(FOCUS)
    assert set(PANEL_FOR_FOCUS.values()) <= set(PANELS)


def test_challenge_intents() -> None:
    from explorer.views.challenges import challenge_views

    c = Controller("module_race")
    name = challenge_views()[0].name
    c.apply(it.StartChallenge(name))
    assert c.play is not None
    snap = c.apply(it.Command.GIVE_UP)
    assert c.play is None and snap.step == 0 and c.last_give_up
    c.apply(it.StartChallenge(name))
    c.apply(it.Command.STOP_CHALLENGE)
    assert c.play is None


def test_notebook_tabs_follow_the_same_focus_map() -> None:
    from explorer.notebook.widgets import TAB_OF_PANEL, TABS, focus_tab

    assert set(TAB_OF_PANEL) == set(PANELS)
    for focus, panel in PANEL_FOR_FOCUS.items():
        assert focus_tab(focus) == TAB_OF_PANEL[panel]
        assert TABS[focus_tab(focus)].startswith(panel if panel != "array" else "sort")


def test_a_step_back_or_forward_with_nothing_to_do_is_no_move() -> None:
    """The TUI skips such a key and the notebook's button applied it, which cleared the lesson's
    stop in one front only (found by the cross-front lesson test): now the controller itself
    leaves everything as it was, so Next after it goes on in both."""
    c = Controller("module_race")
    c.apply(it.OpenLesson("sort"))
    end = c.apply(it.Command.RUN_TO_END)
    assert end.terminal and not end.runnable
    stopped = c.apply(it.Command.NEXT)  # page 0 asks: Next stops once
    assert stopped.lesson is not None and stopped.lesson.stop == "ask"
    for idle in (it.Command.STEP_AUTO, it.Command.FORWARD):
        assert c.apply(idle) == stopped
    on = c.apply(it.Command.NEXT)
    assert on.lesson is not None and on.lesson.index == 1
    fresh = Controller("module_race")
    assert fresh.apply(it.Command.BACK) == fresh.snapshot() and fresh.snapshot().step == 0
