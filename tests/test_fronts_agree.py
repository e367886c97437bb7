"""Both fronts drive the same intents: random intent sequences, applied through the TUI's
gestures (keys, the palette, the jump prompt) and the notebook's (buttons, boxes, the scenario
menu, the lesson widget's prev/next and Check), give equal snapshots after every step."""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable

import pytest

pytest.importorskip("ipywidgets")

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.pilot import Pilot

from explorer.notebook import Explorer, LessonWidget, lesson
from explorer.notebook.widgets import TAB_OF_PANEL
from explorer.tui.app import ExplorerApp
from explorer.tui.commands import ExplorerCommands
from explorer.tui.screens.main import MainScreen
from explorer.tui.screens.prompt import PromptScreen
from explorer.views import intents as it
from explorer.views.actions import ACTIONS
from explorer.views.snapshot import Snapshot
from tests.conftest import drive, explore_outcomes, option_texts

SCENARIOS = ("module_race", "module_init_fails", "enomem", "two_verifiers")
OPTIONS = ("no_live_check", "live_flag_unlocked", "no_sort", "init_fails", "kzalloc_fails",
           "krealloc_fails")
LETTERS = "LVB"

KEYS: dict[it.Intent, str] = {a.intent: a.key.split(",")[0] for a in ACTIONS
                              if a.intent is not None}
"""The TUI's default key for each fixed intent that has one (the ACTIONS table's)."""

intents = st.one_of(
    st.sampled_from(LETTERS).map(it.Step),
    st.sampled_from(LETTERS).map(it.StepOver),
    st.sampled_from([it.Command.BACK, it.Command.FORWARD, it.Jump(0), it.Command.JUMP_END,
                     it.Command.RUN_TO_END, it.Finish(), it.Command.STEP_AUTO]),
    st.integers(0, 12).map(it.Jump),
    st.integers(0, 30).map(it.Goto),
    st.sampled_from(["L4V7", "L2V", "l3", "V", "Q1", "L*"]).map(it.LoadSchedule),
    st.sampled_from(OPTIONS).map(it.ToggleOption),
    st.builds(it.SetFaultCount, st.sampled_from(["kzalloc_fails", "krealloc_fails"]),
              st.integers(1, 3)),
    st.sampled_from(SCENARIOS).map(it.PickScenario),
)


async def tui_apply(app: ExplorerApp, pilot: Pilot[int], intent: it.Intent) -> Snapshot:
    """``intent`` as a person does it in the TUI."""
    m = app.main_screen
    assert isinstance(app.screen, MainScreen)
    key = KEYS.get(intent)
    if key is not None:
        await pilot.press(key)
    elif isinstance(intent, it.Step):
        await pilot.press(intent.letter.lower())
    elif isinstance(intent, it.StepOver):
        await pilot.press(intent.letter.upper())
    elif isinstance(intent, it.Jump):  # g, then the step number, in the prompt
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*str(intent.n), "enter")
    elif isinstance(intent, it.LoadSchedule):  # p, then the schedule, in the prompt
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        await pilot.press("ctrl+u", *intent.text, "enter")
    elif isinstance(intent, (it.ToggleOption, it.PickScenario)):  # the palette's entry
        provider = ExplorerCommands(app.screen)
        want = (f"Scenario: {intent.name}" if isinstance(intent, it.PickScenario)
                else f": {intent.name}")
        hit = next((cb for text, cb, _ in provider._commands()
                    if text == want or (isinstance(intent, it.ToggleOption)
                                        and text.startswith(("What-if", "Fault"))
                                        and text.split(" (")[0].endswith(want))), None)
        if hit is None:  # not offered here: only the programmatic door
            m.run(intent)
        else:
            hit()
    else:
        m.run(intent)
    await pilot.pause()
    assert isinstance(app.screen, MainScreen), app.screen
    return m.snap


def nb_apply(ex: Explorer, intent: it.Intent) -> Snapshot:
    """``intent`` as a person does it in the notebook."""
    if isinstance(intent, it.Step):
        b = ex.thread_buttons.get(intent.letter)
        if b is not None:
            b.click()
        else:
            ex.step_thread(intent.letter)
    elif intent == it.Command.BACK:
        ex.btn_back.click()
    elif intent == it.Jump(0):
        ex.btn_start.click()
    elif intent == it.Command.STEP_AUTO:
        ex.btn_step.click()
    elif intent == it.Command.RUN_TO_END:
        ex.btn_end.click()
    elif isinstance(intent, it.Goto):
        ex.goto(intent.n)
    elif isinstance(intent, it.LoadSchedule):
        ex.schedule_text.value = intent.text
        ex.btn_load.click()
    elif isinstance(intent, it.ToggleOption):
        box = {**ex.variant_boxes, **ex.fault_boxes}[intent.name]
        box.value = not box.value
    elif isinstance(intent, it.PickScenario):
        if ex.scenario_pick.value == intent.name:  # the menu cannot re-pick: do it directly
            ex.run(intent, sync=True)
        else:
            ex.scenario_pick.value = intent.name
    else:
        ex.run(intent, sync=True)
    return ex.ctl.snapshot()


TuiGesture = Callable[[ExplorerApp, Pilot[int], it.Intent], Awaitable[Snapshot]]


async def both(app: ExplorerApp, pilot: Pilot[int], seq: list[it.Intent],
               nb: Callable[[it.Intent], Snapshot], tui: TuiGesture = tui_apply) -> Snapshot:
    """Apply ``seq`` through both fronts' gestures (``tui``, ``nb``), asserting equal snapshots
    after every intent; the last snapshot."""
    snap = app.main_screen.snap
    for k, intent in enumerate(seq):
        snap = await tui(app, pilot, intent)
        other = nb(intent)
        assert snap == other, (k, intent, snap.lesson, other.lesson, snap.schedule,
                               other.schedule, snap.options, other.options)
    return snap


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(intents, min_size=1, max_size=10))
def test_random_intents_give_equal_snapshots_in_both_fronts(seq: list[it.Intent]) -> None:
    ex = Explorer("module_race", diagrams=False)

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        assert app.main_screen.snap == ex.ctl.snapshot()
        await both(app, pilot, seq, lambda i: nb_apply(ex, i))

    drive(body, size=(100, 30), scenario="module_race")


LESSONS = ("table", "sort", "modules")

lesson_intents = st.one_of(
    st.sampled_from([it.Command.NEXT, it.Command.NEXT, it.Command.PREV,
                     it.Command.LEAVE_LESSON]),
    st.integers(0, 4).map(it.Answer),
    st.integers(0, 6).map(it.GotoPage),
    st.builds(it.OpenLesson, st.sampled_from(LESSONS), st.integers(0, 3)),
    st.sampled_from([it.Step("B"), it.Step("L"), it.Command.BACK, it.Jump(0),
                     it.Command.STEP_AUTO]),
    st.sampled_from(["B*", "L4V7"]).map(it.LoadSchedule),
    st.sampled_from(["module_race", "boot_tcp"]).map(it.PickScenario),
)


async def tui_lesson_apply(app: ExplorerApp, pilot: Pilot[int], intent: it.Intent) -> Snapshot:
    """A lesson intent as a person does it in the TUI: → and ← turn pages, 1–4 answer."""
    m = app.main_screen
    if intent in (it.Command.NEXT, it.Command.PREV):
        await pilot.press("right" if intent is it.Command.NEXT else "left")
    elif isinstance(intent, it.Answer) and intent.index < 4:
        await pilot.press(str(intent.index + 1))
    elif isinstance(intent, (it.Answer, it.GotoPage, it.OpenLesson)) \
            or intent is it.Command.LEAVE_LESSON:
        m.run(intent)  # the lesson picker and Esc are the doors; they run these intents
    else:
        return await tui_apply(app, pilot, intent)
    await pilot.pause()
    assert isinstance(app.screen, MainScreen), app.screen
    return m.snap


def nb_lesson_apply(lw: LessonWidget, intent: it.Intent) -> Snapshot:
    """A lesson intent as a person does it in the notebook's lesson widget: prev/next, a
    choice and Check; what it has no button for (a page number, another lesson) programmatically,
    through the same intent."""
    open_ = lw.ctl.lesson is not None
    if intent is it.Command.NEXT and open_:
        lw.next.click()
    elif intent is it.Command.PREV and open_ and not lw.prev.disabled:
        lw.prev.click()
    elif isinstance(intent, it.Answer) and open_ and lw.prediction is not None \
            and not lw.prediction.check.disabled \
            and intent.index < len(lw.prediction.choices.options):
        lw.prediction.choices.value = lw.prediction.choices.options[intent.index]
        lw.prediction.check.click()
    elif isinstance(intent, (it.Answer, it.GotoPage, it.OpenLesson)) or intent in (
            it.Command.NEXT, it.Command.PREV, it.Command.LEAVE_LESSON):
        lw.go(intent)
    else:
        assert lw.explorer is not None
        return nb_apply(lw.explorer, intent)
    return lw.ctl.snapshot()


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from(LESSONS), st.lists(lesson_intents, min_size=1, max_size=10))
def test_random_lesson_intents_give_equal_snapshots_in_both_fronts(
        slug: str, seq: list[it.Intent]) -> None:
    """In a lesson: pages, answers (locked and kept, each front its own store in one fresh
    state directory), Next stopping on an open question, leaving and reopening, stepping."""
    with tempfile.TemporaryDirectory() as state, pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_STATE_HOME", state)
        lw = LessonWidget(lesson(slug), diagrams=False)

        async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
            assert app.main_screen.snap == lw.ctl.snapshot()
            await both(app, pilot, seq, lambda i: nb_lesson_apply(lw, i), tui_lesson_apply)

        drive(body, size=(100, 30), lesson=slug)


# -- one test per divergence the review found --------------------------------------------------

def test_a_bad_schedule_after_back_keeps_the_timeline_in_both_fronts() -> None:
    """Found by the property test: the notebook put the position shown back into the schedule
    box after a bad schedule, so the replay button then replayed it and cut the recorded
    future; the TUI kept it. Both keep it, and the notebook keeps the learner's text."""
    seq: list[it.Intent] = [*[it.Step("L")] * 7, it.Command.BACK, it.LoadSchedule("Q1")]
    ex = Explorer("module_race", diagrams=False)

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        await both(app, pilot, seq, lambda i: nb_apply(ex, i))
        assert app.main_screen.snap.full_schedule == "L7"

    drive(body, scenario="module_race")
    assert ex.schedule_text.value == "Q1"
    assert "⚠" in ex.message.value


def test_a_refused_thread_key_keeps_the_lesson_stop_in_both_fronts() -> None:
    """Found by the lesson property test (QA session 3): on a page that asks nothing, after an
    answer key the note 'this page asks nothing' stayed in the TUI (it refuses a thread key
    the scenario lacks before asking the model) but the notebook lost it (the controller
    cleared the note, then refused the step). A refused intent leaves everything as it was."""
    seq: list[it.Intent] = [it.OpenLesson("modules", 4), it.Answer(0), it.Step("B")]
    lw = LessonWidget(lesson("table"), diagrams=False)

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        last = await both(app, pilot, seq, lambda i: nb_lesson_apply(lw, i), tui_lesson_apply)
        assert last.lesson is not None and last.lesson.stop == "asks_nothing"

    drive(body, size=(100, 30), lesson="table")


def test_fault_counts_survive_a_toggle_in_both_fronts() -> None:
    ex = Explorer("module_race", diagrams=False)
    ex.run(it.SetFaultCount("kzalloc_fails", 2), sync=True)
    ex.variant_boxes["no_live_check"].value = True
    assert ex.ctl.snapshot().options == "no_live_check+kzalloc_fails:2"

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = app.main_screen
        m.run(it.SetFaultCount("kzalloc_fails", 2))
        await tui_apply(app, pilot, it.ToggleOption("no_live_check"))
        assert m.snap.options == "no_live_check+kzalloc_fails:2"
        assert m.snap == ex.ctl.snapshot()

    drive(body, scenario="module_race")


def test_switching_scenario_keeps_what_applies_in_both_fronts() -> None:
    ex = Explorer("module_race", diagrams=False)
    ex.variant_boxes["no_live_check"].value = True
    ex.scenario_pick.value = "module_init_fails"

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        await tui_apply(app, pilot, it.ToggleOption("no_live_check"))
        snap = await tui_apply(app, pilot, it.PickScenario("module_init_fails"))
        assert snap == ex.ctl.snapshot()

    drive(body, scenario="module_race")


def test_thread_buttons_and_keys_come_from_the_same_threads() -> None:
    ex = Explorer("two_verifiers", diagrams=False)
    snap = ex.ctl.snapshot()
    assert list(ex.thread_buttons) == [t.letter for t in snap.threads]
    for t in snap.threads:
        assert f"(TUI key {t.step_key})" in ex.thread_buttons[t.letter].tooltip


def test_notebook_stepping_buttons_are_the_actions_rows() -> None:
    from explorer.views.actions import buttons

    ex = Explorer("module_race", diagrams=False)
    row = {a.id: a for a in buttons()}
    for key, btn in (("jump_start", ex.btn_start), ("back", ex.btn_back),
                     ("step_auto", ex.btn_step), ("run_to_end", ex.btn_end)):
        assert btn.description == row[key].button
        assert f"TUI key {row[key].key_name}" in btn.tooltip


@pytest.mark.usefixtures("witnesses_shown")
def test_a_violation_witness_loads_alike_in_both_fronts_with_the_violation_shown() -> None:
    """One rule (views/intents.LoadSchedule): a witness replays to its end, the state it
    witnesses. The TUI stood at step 0 (the violation hidden until played); the notebook
    replayed to the end. Both now stand at the breaking state, the history behind it."""
    ex = Explorer("module_race", variants=("no_live_check",), diagrams=False)
    ev = ex.explore()
    name, _msg, _n, witness = ev.violations[0]
    assert witness, "the witness is withheld"
    ex.witness_buttons[-1].click()  # the notebook's "load violation" button
    nb = ex.ctl.snapshot()
    assert nb.schedule == witness and nb.step == nb.length and nb.violations[0][0] == name

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        await tui_apply(app, pilot, it.ToggleOption("no_live_check"))
        await pilot.press("x")
        _, ol = await explore_outcomes(app, pilot)
        ol.highlighted = next(k for k, text in enumerate(option_texts(ol)) if name in text)
        await pilot.press("enter")
        await pilot.pause()
        m = app.main_screen
        assert app.screen is m and m.snap == nb
        broken = m.controller.first_violation()
        assert broken is not None and broken[0] == nb.step and broken[1] == name
        # both show the trace, whose first line names the violation (the TUI at 80x24 stayed
        # on the threads tab, where nothing said what broke)
        assert m.active_panel == "trace" and m.panel("trace").display
        assert ex.tabs.selected_index == TAB_OF_PANEL["trace"]

    drive(body, scenario="module_race")


def test_the_notebook_withholds_the_witnesses_the_tui_withholds() -> None:
    """The notebook's explorer had no challenge progress, so 'explore all' showed (and loaded)
    the witness that wins a challenge not tried yet (early_verifier's ENXIO); the TUI withheld
    it. Both read the one progress file now and withhold the same witnesses."""
    ex = Explorer("module_race", diagrams=False)
    nb = ex.explore()
    hidden = [k for k, o in enumerate(nb.outcomes) if o.hidden]
    assert hidden and all(ex.witness_buttons[k].disabled for k in hidden)
    assert all(nb.outcomes[k].witness == "" for k in hidden)

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        tui = app.controller.explore()
        assert [(o.label, o.witness, o.hidden) for o in tui.outcomes] == \
            [(o.label, o.witness, o.hidden) for o in nb.outcomes]

    drive(body, scenario="module_race")


# -- the lesson flow: the same intents, the same lesson state ----------------------------------

async def _both(app: ExplorerApp, pilot: Pilot[int], lw: LessonWidget,
                seq: list[it.Intent]) -> Snapshot:
    """:func:`both`, in a lesson: the TUI's lesson keys and the lesson widget's buttons."""
    return await both(app, pilot, seq, lambda i: nb_lesson_apply(lw, i), tui_lesson_apply)


def test_an_answer_is_locked_in_both_fronts() -> None:
    """The notebook's Check let a learner try again until right (its own answers dict); the
    TUI locks the first pick. Both lock it now: a second answer changes nothing, says why."""
    lw = LessonWidget(lesson("table"), diagrams=False)

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        snap = await _both(app, pilot, lw, [it.Answer(1), it.Answer(0)])
        assert snap.lesson is not None and snap.lesson.verdict is not None
        assert snap.lesson.verdict.index == 1 and snap.lesson.stop == "locked"
        assert lw.prediction is not None and lw.prediction.check.disabled
        assert lw.prediction.choices.value == lw.prediction.choices.options[1]

    drive(body, lesson="table")


def test_answers_are_kept_for_the_next_session_of_either_front() -> None:
    """The notebook kept answers in the widget (gone with the kernel); the TUI in the XDG state
    directory. Both read and write that file: an answer given in the TUI opens locked, at its
    reveal, in a notebook started afterwards, and the other way round."""
    from explorer.notebook import PredictionWidget, answers

    ls = lesson("table")

    async def answer_in_tui(app: ExplorerApp, pilot: Pilot[int]) -> None:
        await pilot.press("1")
        await pilot.pause()

    tui = drive(answer_in_tui, lesson="table").main_screen.snap
    answers._STORES.clear()  # a notebook kernel started afterwards
    lw = LessonWidget(ls, diagrams=False)
    assert lw.ctl.snapshot() == tui and lw.revealed
    assert PredictionWidget(ls, 0).correct is (tui.lesson.verdict.right)  # type: ignore[union-attr]
    lw.show(2)
    assert lw.prediction is not None
    lw.prediction.choices.value = lw.prediction.choices.options[3]
    lw.prediction.check.click()
    nb = lw.ctl.snapshot()

    async def reopen(app: ExplorerApp, pilot: Pilot[int]) -> None:
        app.main_screen.goto_page(2)
        await pilot.pause()
        assert app.main_screen.snap == nb

    drive(reopen, lesson="table")


def test_next_stops_once_on_an_open_question_in_both_fronts() -> None:
    """The notebook's next ▶ turned the page past an open question; the TUI's → stops once
    (predict first), then goes on. Both stop once now; the pages after it stay closed in the
    notebook's narration until the question is answered or opened anyway. A last page whose
    question is open stopped on 'ask' and 'end' in turn, for ever, in both (found writing this
    test): past its end stop, Next opens the next lesson."""
    lw = LessonWidget(lesson("table"), diagrams=False)

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        stopped = await _both(app, pilot, lw, [it.Command.NEXT])
        assert stopped.lesson is not None and stopped.lesson.index == 0
        assert stopped.lesson.stop == "ask" and not lw.revealed
        on = await _both(app, pilot, lw, [it.Command.NEXT])
        assert on.lesson is not None and on.lesson.index == 1 and on.lesson.stop == ""
        end = await _both(app, pilot, lw, [it.Command.NEXT, it.Command.NEXT, it.Command.NEXT])
        assert end.lesson is not None and end.lesson.index == 2 and end.lesson.stop == "end"
        nxt = await _both(app, pilot, lw, [it.Command.NEXT])
        assert nxt.lesson is not None and nxt.lesson.slug == "sort"

    drive(body, lesson="table")


def test_the_notebook_words_every_stop_its_own_way() -> None:
    """Snapshot.lesson.note is worded with the TUI's keys; the notebook words the stop code
    with its buttons instead (no 'press', no Esc, no arrow keys)."""
    from explorer.notebook.widgets import STOP_NOTES
    from explorer.views.snapshot import LESSON_STOPS

    assert set(STOP_NOTES) == set(LESSON_STOPS)
    for text in STOP_NOTES.values():
        assert "press" not in text and "Esc" not in text and "→" not in text
    lw = LessonWidget(lesson("table"), diagrams=False)
    lw.next.click()
    st = lw.ctl.snapshot().lesson
    assert st is not None and st.note.startswith("predict first: press")
    assert "Predict first: pick a choice and Check" in lw.note.value
    assert "press" not in lw.note.value
