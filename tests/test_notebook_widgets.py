"""The notebook widgets' callbacks, driven without a browser: assert on the controller's state."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("ipywidgets")

from explorer.notebook import (
    Diagram,
    Explorer,
    LessonWidget,
    PredictionWidget,
    lesson,
    lessons,
    my_kernel_panel,
    page_diagrams,
    render,
)


def test_step_back_and_thread_buttons() -> None:
    ex = Explorer("module_race", diagrams=False)
    assert ex.snap.step == 0
    assert set(ex.thread_buttons) == {"L", "V"}
    assert not ex.thread_buttons["L"].disabled
    assert ex.thread_buttons["V"].disabled  # the module's BTF is not published yet
    ex.thread_buttons["L"].click()
    ex.thread_buttons["L"].click()
    assert ex.snap.schedule == "L2"
    for _ in range(2):
        ex.btn_step.click()
    assert ex.snap.schedule == "L4"
    assert not ex.thread_buttons["V"].disabled  # BTF published: the race window is open
    ex.thread_buttons["V"].click()
    assert ex.snap.schedule == "L4V"
    ex.btn_back.click()
    assert ex.snap.step == 4 and ex.snap.length == 5  # time travel keeps the future
    ex.btn_start.click()
    assert ex.snap.step == 0 and ex.btn_back.disabled
    ex.btn_end.click()
    assert ex.snap.terminal and ex.btn_step.disabled


def test_schedule_text_replays_and_reports_errors_in_one_line() -> None:
    ex = Explorer("module_race", diagrams=False)
    ex.schedule_text.value = "L4V7"
    assert ex.snap.schedule == "L4V7"
    assert "ENXIO" in ex.lanes_html.value or "-ENXIO" in ex.trace_html.value
    ex.schedule_text.value = "L4X7"
    assert "no thread" in ex.message.value and "\n" not in ex.message.value
    assert ex.snap.schedule == "L4V7"  # the state is kept
    ex.set_schedule("L63V40")
    assert ex.message.value == ""
    assert ex.snap.terminal and dict(ex.snap.outcome) == {"loader": "OK", "verifier": "OK"}


def test_slider_moves_along_and_beyond_the_timeline() -> None:
    ex = Explorer("boot_tcp", diagrams=False)
    for v in range(1, 11):  # dragging the slider right, one value at a time
        ex.slider.value = v
    assert ex.snap.step == 10 and ex.slider.value == 10
    assert ex.slider.max == 11  # one past the recorded end while the run is not over
    ex.slider.value = 3
    assert ex.snap.step == 3
    ex.btn_end.click()
    assert ex.snap.terminal and ex.slider.max == ex.snap.length


def test_variant_banner_fault_picker_and_scenario_picker() -> None:
    ex = Explorer("boot_tcp", schedule="B40", diagrams=False)
    ex.variant_boxes["no_sort"].value = True
    assert ex.ctl.options.variants == ("no_sort",)
    assert ex.snap.schedule == "B40"  # the schedule still replays
    assert "NOT THE KERNEL" in ex.header.value
    ex.variant_boxes["no_sort"].value = False
    assert "NOT THE KERNEL" not in ex.header.value
    ex.fault_boxes["kzalloc_fails"].value = True
    assert ex.ctl.options.has_fault("kzalloc_fails")
    ex.scenario_pick.value = "module_twice"
    assert ex.ctl.scenario_name == "module_twice"
    assert set(ex.thread_buttons) == {"L"}


def test_fault_count_is_kept_when_another_box_changes() -> None:
    ex = Explorer("enomem", diagrams=False)
    assert dict(ex.ctl.options.faults) == {"krealloc_fails": 4}
    assert ex.fault_boxes["krealloc_fails"].value
    ex.variant_boxes["no_sort"].value = True
    assert dict(ex.ctl.options.faults) == {"krealloc_fails": 4}


@pytest.mark.usefixtures("witnesses_shown")
def test_explore_and_witness_buttons() -> None:
    ex = Explorer("module_race", variants=("no_live_check",), diagrams=True)
    ev = ex.explore()
    labels = {o.label for o in ev.outcomes}
    assert "loader OK, verifier EACCES" in labels
    assert "<svg" in ex.state_graph.value or "DOT source" in ex.state_graph.value
    k = next(i for i, o in enumerate(ev.outcomes) if o.label.endswith("EACCES"))
    ex.witness_buttons[k].click()
    assert ex.snap.terminal and dict(ex.snap.outcome)["verifier"] == "EACCES"
    assert ex.snap.schedule == ev.outcomes[k].witness
    violation = ex.witness_buttons[-1]
    assert "table_write_once" in violation.description
    violation.click()
    assert ex.snap.violations


def test_prediction_check_locks_the_answer_as_the_tui_does(
        _private_state_dir: Path) -> None:
    """Check applies the Answer intent: graded by the model, locked (one answer a question, as
    the TUI's 1–4 keys), kept in the XDG state directory; another cell showing the same question
    opens locked, and so does one in a later kernel (a fresh store reading the file)."""
    from explorer.notebook import answers
    from explorer.views.lesson_answers import AnswerStore

    ls = lesson("bsearch")
    w = PredictionWidget(ls, 3)  # the no_sort what-if page
    assert w.check_answer() is None and "pick" in w.result.value
    w.choices.value = "OK"
    w.check.click()
    assert w.correct is False and "EACCES" in w.result.value and "locked" in w.result.value
    assert w.choices.disabled and w.check.disabled
    w.choices.value = "EACCES"  # a second try changes nothing
    assert w.check_answer() is False and w.choices.value == "OK"
    again = PredictionWidget(ls, 3)  # the same question in another cell
    assert again.correct is False and again.choices.value == "OK" and again.check.disabled
    stored = AnswerStore(_private_state_dir / "kfunc-explorer" / "lesson-answers.json")
    assert stored.get(ls.slug, 3, ls.pages[3].predict.question) == "OK"  # type: ignore[union-attr]
    answers._STORES.clear()  # a later kernel
    assert PredictionWidget(ls, 3).correct is False
    with pytest.raises(ValueError):
        PredictionWidget(ls, 1)  # asks nothing


def test_an_answer_in_one_widget_locks_the_question_in_every_other() -> None:
    """The narration's prediction and the lesson widget's share one store: answering in the
    lesson widget locks the narration's, and the other way round (the lesson widget then
    reopens the page at its reveal)."""
    from explorer.views.controller import Controller

    ls = lesson("bsearch")
    cell = PredictionWidget(ls, 0)
    lw = LessonWidget(ls, diagrams=False)
    assert lw.prediction is not None and cell.verdict is None
    truth = Controller.page_answer(ls.pages[0])
    lw.prediction.choices.value = truth
    lw.prediction.check.click()
    assert cell.correct is True and cell.choices.value == truth and cell.check.disabled
    later = PredictionWidget(ls, 3)
    lw.show(3)
    assert lw.prediction is not None and not lw.revealed
    later.choices.value = "OK"
    later.check.click()
    assert lw.revealed and lw.prediction.correct is False and lw.prediction.check.disabled
    st = lw.ctl.snapshot().lesson
    assert st is not None and st.verdict is not None and st.verdict.revealed_at == \
        lw.explorer.snap.step  # type: ignore[union-attr]


def test_every_prediction_answer_is_one_of_its_choices() -> None:
    from explorer.views.controller import Controller

    for ls in lessons():
        for i, p in enumerate(ls.pages):
            if p.predict is not None:
                assert Controller.page_answer(p) in p.predict.choices, (ls.slug, i)


def test_lesson_widget_pages_open_the_explorer() -> None:
    """next ▶ runs the Next intent: it stops once on an open question (and says so in the
    notebook's words), goes on when clicked again, and stops once on the last page before
    opening the next lesson, as → does in the TUI."""
    ls = lesson("sort")
    lw = LessonWidget(ls, diagrams=False)
    assert lw.prev.disabled and lw.prediction is not None
    lw.next.click()
    assert lw.index == 0 and "Predict first" in lw.note.value and "next ▶" in lw.note.value
    assert not lw.revealed
    lw.next.click()  # again: goes on without answering
    assert lw.index == 1 and lw.explorer is not None and lw.note.value == ""
    assert lw.explorer.snap.schedule == ls.pages[1].schedule
    assert lw.explorer.tabs.selected_index == 1  # focus "sort"
    assert "heapsort" in lw.text.value
    last = len(ls.pages) - 1
    for _ in range(2 * len(ls.pages)):
        if lw.index == last:
            break
        lw.next.click()
    assert lw.index == last
    while "End of this lesson" not in lw.note.value:  # an open question stops first
        lw.next.click()
    assert lw.index == last and lw.lesson.slug == "sort"
    assert "lesson 3" in lw.note.value
    lw.next.click()
    assert lw.lesson.slug == "bsearch" and lw.index == 0 and lw.lesson.title in lw.title.value
    assert lw.explorer.snap.scenario == lw.lesson.pages[0].scenario


def test_lesson_widget_check_steps_the_explorer_to_the_reveal() -> None:
    """Check moves the explorer to the page's schedule plus its ``predict.then``: on lesson 1
    page 1 the table is allocated after answering (it was NULL before); paging away and back
    returns to the reveal; stepping back still reaches the page's own state."""
    from explorer.views import intents as it

    ls = lesson("table")
    lw = LessonWidget(ls, diagrams=False)
    assert lw.explorer is not None and lw.prediction is not None
    before = lw.explorer.snap
    assert before.step == 0 and before.tables[0].tab is None
    lw.prediction.choices.value = "allocated"
    lw.prediction.check.click()  # the button's callback, as a click runs it
    after = lw.explorer.snap
    assert lw.revealed and after.step == 47 and after.schedule == "B47"
    assert after.tables[0].tab is not None
    lw.next.click()
    assert lw.explorer.snap.step == 7  # page 2's own state
    lw.prev.click()
    assert lw.explorer.snap.step == 47  # answered: back at the reveal
    lw.explorer.run(it.Jump(0))
    assert lw.explorer.snap.step == 0 and lw.explorer.snap.tables[0].tab is None
    lw.show(2)
    assert lw.explorer.snap.step == 47
    lw.prediction.choices.value = "25"
    lw.prediction.check.click()  # then = "B*": every initcall runs
    cell = lw.explorer.snap.tables[0].rows[2][0]
    assert lw.explorer.snap.step > 47 and cell.cnt == 25


def test_lesson_widget_banner_on_what_if_pages() -> None:
    ls = lesson("bsearch")
    lw = LessonWidget(ls, diagrams=False)
    lw.show(3)
    assert "NOT THE KERNEL" in lw.text.value
    assert lw.explorer is not None and lw.explorer.snap.not_the_kernel


def test_diagrams_render_or_fall_back(monkeypatch: pytest.MonkeyPatch) -> None:
    ls = lesson("sort")
    ds = page_diagrams(ls, 1)
    assert any("heap" in d.source for d in ds)
    html = ds[0]._repr_html_()
    assert "<svg" in html or render.esc(render.GRAPHVIZ_HINT) in html
    render.render_dot.cache_clear()
    monkeypatch.setattr(render.shutil, "which", lambda _name: None)
    fallback = Diagram("digraph { a -> b }")._repr_html_()
    assert render.esc(render.GRAPHVIZ_HINT) in fallback and "a -&gt; b" in fallback
    render.render_dot.cache_clear()


def test_diagram_falls_back_when_graphviz_cannot_run(monkeypatch: pytest.MonkeyPatch) -> None:
    graphviz = pytest.importorskip("graphviz")

    def boom(*_a: object, **_k: object) -> str:
        raise graphviz.ExecutableNotFound(("dot",))

    render.render_dot.cache_clear()
    monkeypatch.setattr(render.shutil, "which", lambda _name: "/usr/bin/dot")
    monkeypatch.setattr(graphviz.Source, "pipe", boom)
    r = render.render_dot("digraph { x }")
    assert r.svg is None and r.hint == render.GRAPHVIZ_HINT and "digraph" in r.html()
    render.render_dot.cache_clear()


def test_my_kernel_panel_says_why_when_absent() -> None:
    w = my_kernel_panel((False, "/sys/kernel/btf/vmlinux: cannot read: No such file"))
    assert "not available here" in w.value and "cannot read" in w.value


def test_grading_is_one_rule_in_both_fronts() -> None:
    """The TUI compared case-insensitively, the notebook exactly: both now use
    Controller.grade (space and letter case do not matter)."""
    from explorer.views.controller import Controller

    assert Controller.grade(" eacces ", "EACCES") and not Controller.grade("OK", "EACCES")
    ls = lesson("bsearch")
    w = PredictionWidget(ls, 3)
    w.choices.options = ("OK", "eacces")  # a learner-facing spelling that differs in case
    w.choices.value = "eacces"
    assert w.check_answer() is True


def test_an_unknown_thread_is_a_one_line_error_for_step_over_and_finish() -> None:
    """step_over/finish of a letter the scenario lacks raised KeyError (not a one-line error)."""
    from explorer.views.controller import Controller

    c = Controller()
    for act in (c.step, c.step_over, c.finish):
        with pytest.raises(ValueError, match=r"no thread 'B' \(threads: L=loader, V=verifier\)"):
            act("B")
    assert c.snapshot().step == 0


def test_the_schedule_box_takes_lower_case() -> None:
    """QA: a schedule typed as ``l4v7`` was refused (the one parser now ignores letter case)."""
    ex = Explorer("module_race", diagrams=False)
    ex.schedule_text.value = "l4v7"
    assert ex.message.value == "" and ex.snap.schedule == "L4V7"


@pytest.mark.usefixtures("witnesses_shown")
def test_a_click_on_a_state_graph_node_loads_that_state() -> None:
    """Issue 10 (notebook 4): the state graph's nodes carry a shortest schedule to their state
    (on hover), and a click (the browser writes the node's number into the hidden state box)
    replays it, staying on the explore tab."""
    from explorer.sim.schedule import parse_schedule
    from explorer.views import dot

    ex = Explorer("module_race", diagrams=True)
    ev = ex.explore()
    ex.tabs.selected_index = 5
    r = ev.raw
    end = next(i for i, k in r.terminal.items() if ev.outcomes[k].label.endswith("ENXIO"))
    src = dot.state_graph(ev)
    assert f'tooltip="s{end}: {r.schedule_to(end)}"' in src
    if "<svg" in ex.state_graph.value:
        assert "kx-stategraph" in ex.state_graph.value and "Click a state" in ex.state_graph.value
    ex.state_box.value = str(end)
    assert ex.state_box.value == ""  # cleared for the next click
    snap = ex.snap
    assert snap.terminal and dict(snap.outcome)["verifier"] == "ENXIO"
    assert snap.schedule == r.schedule_to(end) and ex.tabs.selected_index == 5
    assert f"s{end}" in ex.state_info.value and "ENXIO" in ex.state_info.value
    mid = next(b for a, _, b in r.edges if b not in r.terminal and a != 0)
    assert ex.load_state(mid) and not ex.snap.terminal
    assert ex.snap.step == len(parse_schedule(r.schedule_to(mid))) > 0
    assert not ex.load_state(r.states + 5)  # no such state: a message, the state kept
    assert "no explored state" in ex.message.value and ex.snap.schedule == r.schedule_to(mid)
    ex.scenario_pick.value = "boot_tcp"  # another scenario: the graph and its info go
    assert ex.state_info.value == "" and not ex.load_state(0)


def test_a_state_that_would_solve_an_untried_challenge_stays_closed() -> None:
    from explorer.views.challenges import ProgressStore
    from explorer.views.controller import Controller

    ctl = Controller(progress=ProgressStore())
    ev = ctl.explore(keep_graph=True)
    r = ev.raw
    enxio = next(i for i, k in r.terminal.items() if ev.outcomes[k].label.endswith("ENXIO"))
    with pytest.raises(ValueError, match="early_verifier"):
        ctl.state_schedule(ev, enxio)
    assert ctl.state_schedule(ev, 0) == ""


def test_the_scenario_menu_leaves_the_lesson_and_back_reopens_it() -> None:
    """Picking another scenario in the lesson widget's explorer leaves the lesson (PickScenario,
    as s does in the TUI): the widget says so, shows the model, and 'back to the lesson'
    reopens the page (OpenLesson)."""
    ls = lesson("table")
    lw = LessonWidget(ls, diagrams=False)
    lw.next.click()
    lw.next.click()
    assert lw.index == 1 and lw.explorer is not None
    assert lw.explorer.scenario_pick.value != "module_race"
    lw.explorer.scenario_pick.value = "module_race"
    assert lw.ctl.snapshot().lesson is None and lw.revealed
    assert "left the lesson" in lw.note.value and lw.next.disabled and lw.prev.disabled
    assert lw.back.layout.display is None
    lw.back.click()
    st = lw.ctl.snapshot().lesson
    assert st is not None and st.index == 1 and lw.back.layout.display == "none"
    assert lw.explorer.scenario_pick.value == ls.pages[1].scenario
    assert lw.explorer.snap.schedule == ls.pages[1].schedule and not lw.next.disabled


def test_a_lesson_widget_without_an_explorer_still_locks_and_pages() -> None:
    from explorer.views import intents as it
    from explorer.views.controller import Controller

    ls = lesson("bsearch")
    lw = LessonWidget(ls, explorer=False)
    assert lw.explorer is None and lw.prediction is not None
    lw.prediction.choices.value = Controller.page_answer(ls.pages[0])
    lw.prediction.check.click()
    assert lw.prediction.correct is True and "now shows it" not in lw.prediction.result.value
    lw.next.click()
    assert lw.index == 1
    assert not lw.go(it.OpenLesson("nope"))  # a bad intent: one line, the page kept
    assert "no such lesson" in lw.note.value and lw.index == 1


def test_show_explore_is_a_clickable_explorer_that_gives_no_challenge_away(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 10: notebook 06's static exploration was not clickable and printed L61V10L2, the
    schedule that wins early_verifier. It is a live explorer now, its explore tab open: the
    state graph loads a clicked state, and a witness that would solve an untried challenge is
    withheld (its button disabled), as in the TUI."""
    import importlib

    L = importlib.import_module("explorer.notebook.lesson")
    shown: list[object] = []
    monkeypatch.setattr(L, "display", shown.append)
    L.show_explore("module_race", (), diagrams=False)
    (ex,) = shown
    assert isinstance(ex, Explorer) and ex.tabs.selected_index == 5
    ev = ex.last_explore
    assert ev is not None
    win = next(o.witness for o in ev.raw.outcomes if dict(o.results)["verifier"] == "ENXIO")
    assert win and win not in ex.explore_out.value
    enxio = next(k for k, o in enumerate(ev.outcomes) if o.label.endswith("ENXIO"))
    assert ev.outcomes[enxio].hidden and ex.witness_buttons[enxio].disabled
    ex.state_box.value = "0"  # a click on the start state
    assert "loaded state <b>s0</b>" in ex.state_info.value
