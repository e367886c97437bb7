"""Regression tests of notebook defects: header, stale diagrams, zoom, dark theme, code wrapping."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable

import pytest

pytest.importorskip("ipywidgets")

from explorer.notebook import Explorer, render
from explorer.notebook.widgets import ZOOMS


def test_header_names_the_kernel_once() -> None:
    ex = Explorer("boot_tcp", diagrams=False)
    assert "kernel, kernel" not in ex.header.value
    assert re.search(r"\[boot_tcp, Linux v?5\.18\]", ex.header.value), ex.header.value
    ex.set_options(("no_sort",))
    assert re.search(r"\[boot_tcp, no_sort, Linux v?5\.18\]", ex.header.value)


def test_lanes_show_each_function_s_summary_not_its_developer_notes() -> None:
    """A lane's doc line is its function's one-line summary: the notebook showed seven functions'
    later docstring paragraphs (notes for developers, with raw ``reST`` marks) under the code."""
    importlib.import_module("explorer.model.v6.registry")
    from explorer.model import FUNCTIONS
    for fn in FUNCTIONS.values():
        assert "\n" not in fn.doc and "``" not in fn.doc, (fn.name, fn.doc)
    ex = Explorer("boot_tcp", kernel="6.17", diagrams=False)
    html = render.lanes_html(ex.ctl.snapshot())
    assert "``" not in html and "do_initcalls" in html
    assert "boot: built-in initcalls register their BTF_KFUNCS sets (6.17 API)" in html


def test_switching_scenario_leaves_no_stale_module_diagram() -> None:
    ex = Explorer("module_race", schedule="L4", diagrams=True)
    ex.tabs.selected_index = 3  # modules
    assert ex.module_svg.value  # the module's state machine
    ex.scenario_pick.value = "boot_tcp"  # no modules
    assert ex.module_svg.value == ""
    assert "No modules" in ex.modules_html.value


def test_diagrams_fit_scroll_and_zoom() -> None:
    assert re.search(r"\.kx-diagram \{[^}]*overflow: auto", render.STYLE)
    assert re.search(r"\.kx-diagram svg \{[^}]*max-width: 100%", render.STYLE)
    ex = Explorer("boot_tcp", schedule="B40", diagrams=True)
    assert "kx-diagram" in ex.pointer_svg.value or "DOT source" in ex.pointer_svg.value
    ex.zoom.value = "100%"
    assert all(ZOOMS["100%"] in v._dom_classes for v in ex.diagram_views)
    ex.zoom.value = "200%"
    assert all(ZOOMS["200%"] in v._dom_classes and ZOOMS["100%"] not in v._dom_classes
               for v in ex.diagram_views)
    ex.zoom.value = "fit"
    assert not any(c in v._dom_classes for v in ex.diagram_views for c in ZOOMS.values() if c)


def test_highlights_carry_their_own_text_colour_for_dark_themes() -> None:
    for cls in ("kx-cur", "kx-kmalloc", "kx-module", "kx-freed", "kx-cmp", "kx-swap",
                "kx-pivot", "kx-range", "kx-tail"):
        rule = re.search(r"\." + cls + r" \{([^}]*)\}", render.STYLE)
        assert rule and "color: #111" in rule.group(1), cls


def test_code_lines_never_break_mid_word() -> None:
    rule = re.search(r"\.kx-lane pre \{([^}]*)\}", render.STYLE)
    assert rule and "white-space: pre;" in rule.group(1) and "overflow-x: auto" in rule.group(1)


def test_lesson_widget_reveals_the_model_only_after_check() -> None:
    from explorer.notebook import LessonWidget, lesson
    from explorer.views.controller import Controller

    ls = lesson("bsearch")
    lw = LessonWidget(ls, diagrams=False)
    assert lw.explorer is not None and lw.prediction is not None
    assert not lw.revealed and lw.explorer.layout.display == "none"
    assert lw.locked.layout.display is None  # the "predict first" note shows
    truth = Controller.page_answer(ls.pages[0])
    lw.prediction.choices.value = truth
    lw.prediction.check.click()
    assert lw.revealed and lw.explorer.layout.display is None
    assert lw.locked.layout.display == "none"
    lw.next.click()  # page 2 asks nothing: the model shows at once
    assert ls.pages[1].predict is None and lw.revealed
    lw.prev.click()  # the answer is remembered, the page stays revealed
    assert lw.revealed and lw.prediction is not None
    assert lw.prediction.choices.value == truth and lw.prediction.correct is True


def test_pages_after_a_prediction_stay_closed_until_it_is_checked(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.notebook import lesson as get_lesson
    from explorer.notebook.widgets import PredictionWidget
    from explorer.views.controller import Controller

    ls = get_lesson("bsearch")
    shown: list[object] = []
    L = importlib.import_module("explorer.notebook.lesson")

    monkeypatch.setattr(L, "display", shown.append)
    for k in range(len(ls.pages)):  # Run All
        L.show_page(ls, k, diagrams=False)
    gates = [o for o in shown if isinstance(o, L.PageGate)]
    assert [g.index for g in gates] == [1, 2, 3, 4]  # everything after page 1's question
    # the button is as wide as its words: JupyterLab cut the default width to "open page 5 any…"
    assert all(g.button.layout.width == "max-content" for g in gates)
    titles = " ".join(getattr(o, "text", "") for o in shown)
    assert ls.pages[2].title not in titles  # "Found in five probes" is not on show
    first = next(o for o in shown if isinstance(o, PredictionWidget))
    first.choices.value = Controller.page_answer(ls.pages[0])
    first.check.click()
    assert [g.opened for g in gates] == [True, True, True, False]  # page 4 asks again
    gates[-1].button.click()  # "open anyway"
    assert gates[-1].opened


def test_show_lesson_is_the_intro_then_every_page_each_closed_after_a_prediction(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The notebooks' one narration cell: the same outputs as show_intro and a show_page cell
    a page, so Run All gives no answer away here either."""
    from explorer.notebook import lesson as get_lesson

    ls = get_lesson("bsearch")
    L = importlib.import_module("explorer.notebook.lesson")

    def run(show: Callable[[], None]) -> list[object]:
        shown: list[object] = []
        monkeypatch.setattr(L, "display", shown.append)
        show()
        return shown

    def cells() -> None:
        L.show_intro(ls)
        for k in range(len(ls.pages)):
            L.show_page(ls, k, diagrams=False)

    one = run(lambda: L.show_lesson(ls, diagrams=False))
    many = run(cells)
    assert [type(o) for o in one] == [type(o) for o in many]
    assert getattr(one[0], "text", "").startswith(f"# {ls.title}")
    assert [g.index for g in one if isinstance(g, L.PageGate)] == [1, 2, 3, 4]


@pytest.mark.usefixtures("witnesses_shown")
def test_violation_witness_marks_the_step_that_breaks_the_invariant() -> None:
    ex = Explorer("module_race", variants=("no_live_check",), diagrams=False)
    ev = ex.explore()
    name, _msg, _n, witness = ev.violations[0]
    ex.witness_buttons[-1].click()
    assert ex.snap.schedule == witness and ex.snap.violations
    assert ex.tabs.selected_index == 4  # the trace
    assert f"loaded to its end (step {ex.snap.step}, where {name} breaks)" in ex.message.value
    broken = ex.ctl.first_violation()
    assert broken is not None and broken[1] == name
    step = broken[0]
    ex.ctl.jump(step - 1)  # one step earlier every invariant still holds
    assert not ex.ctl.snapshot().violations
    ex.ctl.jump(step)
    assert ex.ctl.snapshot().violations
    ex.refresh()
    html = ex.trace_html.value
    assert f"step {step} is where invariant <b>{name}</b> first breaks" in html
    assert html.count("kx-broke") == 1 and f"<td>{step}</td>" in html
    ex.set_schedule("")  # no violation: no mark
    assert "kx-broke" not in ex.trace_html.value


def test_trace_rows_jump_copy_button_and_arrow_keys_hook() -> None:
    ex = Explorer("boot_tcp", schedule="B40", diagrams=False)
    html = ex.trace_html.value
    assert "kx-jump input" in html and "jump to step 40" in html  # every row is clickable
    ex.jump_box.value = "12"  # what a click on row 12 writes into the hidden box
    assert ex.snap.step == 12 and ex.jump_box.value == ""
    ex.jump_box.value = "999"  # past the end: clamped, never an error
    assert ex.snap.step == 40 and not ex.message.value
    ex.jump_box.value = "x"
    assert ex.snap.step == 40
    assert "kx-copy" in ex.full_schedule.value and "data-text='B40'" in ex.full_schedule.value
    assert "ArrowLeft" in ex.full_schedule.value and "kx-back" in ex.btn_back._dom_classes
    assert "kx-step" in ex.btn_step._dom_classes and "kx-explorer" in ex._dom_classes


def test_cells_name_the_kfunc_beside_each_id_and_show_every_id() -> None:
    """Issue 10 (notebook 6): which kfuncs ended in [STRUCT_OPS][CHECK]? Each ID shows with the
    kfunc it names; past 8, the rest sit behind a "more" toggle instead of being cut off."""
    ex = Explorer("boot_tcp", schedule="B735", diagrams=False)
    html = ex.table_html.value
    cell = next(c for tv in ex.snap.tables for row in tv.rows for c in row
                if (c.hook, c.type) == ("STRUCT_OPS", "CHECK"))
    assert len(cell.ids) == 25 and all(cell.names)
    for i, name in cell.labelled():  # all 25 IDs, each beside its name
        assert f"{i} <span class='kx-fn'>{name}</span>" in html, (i, name)
    assert "<summary>17 more</summary>" in html
    assert "105720 <span class='kx-fn'>tcp_reno_ssthresh</span>" in html
    # a module's cells: its own BTF's IDs (after vmlinux's), named from the module's BTF
    ex.scenario_pick.value = "module_race"
    ex.set_schedule("L63")
    assert "128293 <span class='kx-fn'>bpf_ct_release</span>" in ex.table_html.value


def test_v6_cells_name_the_kfunc_and_its_flags() -> None:
    ex = Explorer("conntrack_flags", diagrams=False)
    ex.ctl.run_to_end()
    ex.refresh()
    html = ex.table_html.value
    assert re.search(r"\d+ <span class='kx-fn'>bpf_ct_release</span> "
                     r"<span class='kx-flags'>KF_RELEASE</span>", html), html
    assert "(ID kfunc KF_* flags)" in html


def test_explorations_stay_closed_while_the_lessons_questions_are_open(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Notebook 06's explore cells showed every outcome of module_race (only OK and ENXIO) at
    Run All, under the lesson's 'how does V end?' questions. With the lesson named, the
    exploration opens once every question is answered, or with 'explore anyway'."""
    from explorer.notebook import Explorer
    from explorer.notebook import lesson as get_lesson
    from explorer.notebook.widgets import PredictionWidget

    ls = get_lesson("race")
    L = importlib.import_module("explorer.notebook.lesson")
    shown: list[object] = []
    monkeypatch.setattr(L, "display", shown.append)
    L.show_explore("module_race", (), diagrams=False, lesson=ls)
    (gate,) = shown
    assert isinstance(gate, L.AnswerGate) and not gate.opened
    asks = [k for k, p in enumerate(ls.pages) if p.predict is not None]
    for k in asks:
        assert not gate.opened
        w = PredictionWidget(ls, k)
        w.choices.value = w.choices.options[0]
        w.check.click()
    assert gate.opened and isinstance(shown[-1], Explorer)  # filled into its output
    shown.clear()
    L.show_explore("module_race", (), diagrams=False, lesson=ls)  # answered: open at once
    assert isinstance(shown[0], Explorer)
    other = L.AnswerGate(get_lesson("ordering"), 7, "x", "explore anyway", lambda: None)
    other.button.click()
    assert other.opened
