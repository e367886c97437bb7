"""The learner's path (issue "Predict, then see"): what just happened, why a key does nothing,
predictions that stay on screen, Right that stops on a question, reveals, next lesson."""

from __future__ import annotations

import io

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

from explorer.tui.app import ExplorerApp
from explorer.tui.widgets.error_bar import ErrorBar
from explorer.tui.widgets.happened_bar import HappenedBar, happened_renderable
from explorer.tui.widgets.lesson_panel import LessonPanel
from explorer.tui.widgets.trace_panel import middle_cut, trace_row
from explorer.tui.widgets.window_strip import WindowStrip, strip_text
from explorer.views.controller import Controller
from explorer.views.snapshot import AnswerVerdict
from tests.conftest import drive, press
from tests.test_tui import main_of


def _plain(renderable: object, width: int) -> str:
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


# -- what just happened ---------------------------------------------------------------------


def test_blocked_reason_comes_from_the_model() -> None:
    """Each kernel's own wait: 5.18 bpf_btf_get_fd_by_id needs the published BTF, 6.17's
    verifier waits for LIVE, and before boot ends no process runs."""
    race = Controller("module_race").snapshot()
    v = next(ln for ln in race.lanes if ln.letter == "V")
    assert not v.runnable
    assert v.blocked_reason == ("waits for nf_conntrack's BTF to be published "
                                "(bpf_btf_get_fd_by_id)")
    boot = Controller("boot_tcp").snapshot()
    v = next(ln for ln in boot.lanes if ln.letter == "V")
    assert v.blocked_reason.startswith("waits for the end of boot")
    v6 = Controller("conntrack_flags", kernel="6.17").snapshot()
    assert {ln.letter: ln.blocked_reason for ln in v6.lanes if not ln.runnable} == {
        "V": "waits for nf_conntrack to be LIVE (btf_try_get_module)",
        "K": "waits for nf_conntrack to be LIVE (btf_try_get_module)"}


def test_happened_is_the_whole_last_step_with_changes() -> None:
    c = Controller("boot_tcp")
    assert c.snapshot().happened is None
    c.load_schedule("B16")
    h = c.snapshot().happened
    assert h is not None
    assert (h.step.index, h.step.letter, h.step.func) == (16, "B", "sort")
    assert h.events == ("cmp ids[2]=106106 with ids[5]=106124: <",)
    assert h.line.startswith("while (b != a && cmp(&ids[a], &ids[b]) >= 0)")
    assert h.next_line.startswith("while (b != a) {")
    c.step("B")
    h = c.snapshot().happened
    assert h is not None
    assert ("a", "2", "1") in h.changed and ("b", "5", "1") in h.changed
    lane = next(ln for ln in c.snapshot().lanes if ln.letter == "B")
    assert set(lane.changed) == {"a", "b"}
    assert lane.prev_line >= 0 and lane.prev_line != lane.line


def test_happened_shows_the_result_that_ended_a_thread() -> None:
    c = Controller("module_race")
    c.load_schedule("L4V7L28V*")
    h = c.snapshot().happened
    assert h is not None and h.step.letter == "V" and h.step.finished is not None
    text = _plain(happened_renderable(c.snapshot(), 80), 80)
    assert f"returned {h.step.finished}" in text


def test_trace_rows_never_cut_the_result() -> None:
    """At 40 columns a bsearch/sort comparison still ends with its ``<``/``>=``."""
    c = Controller("boot_tcp")
    c.run_to_end()
    snap = c.snapshot()
    for e in c.snapshot().trace:
        for width in (30, 46, 78):
            row = trace_row(e, width)
            assert len(row.plain) <= width, (width, row.plain)
            tail = e.summary.split()[-1]
            assert row.plain.endswith(f"→ {e.finished}" if e.finished else tail[-3:]), row.plain
    assert snap.trace
    assert middle_cut("abcdefghijklmnopqrstuvwxyz: <", 16).endswith(": <")


def test_the_bar_shows_the_last_step_at_80x24() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        for _ in range(16):
            await press(pilot, "b")
        bar = m.query_one(HappenedBar)
        assert bar.region.height >= 2 and bar.region.width == 80
        text = _plain(bar.render(), bar.content_region.width)
        assert "cmp ids[2]=106106 with ids[5]=106124: <" in text
        assert "▷ ran" in text and "▶ next" in text

    drive(body, scenario="boot_tcp")


# -- a key that does nothing says why --------------------------------------------------------


def test_a_blocked_step_key_says_what_the_thread_waits_for() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        await press(pilot, "v")
        assert m.snap.step == 0
        assert m.query_one(ErrorBar).message == (
            "v: V (verifier) waits for nf_conntrack's BTF to be published "
            "(bpf_btf_get_fd_by_id)")
        await press(pilot, "l")
        assert m.query_one(ErrorBar).message == ""  # a move that worked clears it
        await press(pilot, "b")
        assert m.query_one(ErrorBar).message.startswith("b: no thread B here (threads: l=loader")
        await press(pilot, "right")
        assert m.query_one(ErrorBar).message.startswith(
            "at the newest step: nothing to replay; step a thread: l (loader)")
        assert m.snap.step == 1

    drive(body, scenario="module_race")


def test_keys_at_the_end_say_every_thread_has_ended() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        assert m.load_schedule("L4V7L28V*")
        await press(pilot, "r")
        assert m.snap.terminal
        await press(pilot, "r")
        assert m.query_one(ErrorBar).message.startswith("r: every thread has ended")
        await press(pilot, "home", "left")
        assert m.query_one(ErrorBar).message == "at step 0: nothing to step back over"

    drive(body, scenario="module_race")


# -- predict, then see -------------------------------------------------------------------------


def _prediction_pages() -> list[tuple[str, int]]:
    return [(ls.slug, k) for ls in Controller("module_race").lessons()
            for k, p in enumerate(ls.pages) if p.predict is not None]


def test_every_question_and_its_choices_are_on_screen_at_80x24() -> None:
    """The question and every choice lie inside the screen and the lesson box, unscrolled, each
    choice wide enough for its whole label."""

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        for slug, k in _prediction_pages():
            assert m.open_lesson(slug, k)
            await pilot.pause()
            panel = m.query_one(LessonPanel)  # made when the first lesson page opens
            box = panel.region
            assert box.bottom <= 24
            q = panel.query_one("#question")
            assert q.region.height >= 1 and box.contains_region(q.region), (slug, k)
            shown = [b for b in panel.query("#choices ChoiceButton") if b.display]
            assert len(shown) == len(m.lesson.pages[k].predict.choices)  # type: ignore[union-attr]
            for b in shown:
                assert b.region.height == 1 and box.contains_region(b.region), (slug, k, b.label)
                # the whole label fits: a width kept from the last page's label wrapped it and
                # showed only its number (lesson errors page 3 read '1  2', QA session 3)
                assert b.content_region.width >= len(str(b.label)), (slug, k, b.label)
            assert not panel.query_one("#verdict").display  # no explanation before the answer

    drive(body, size=(80, 24))


def test_right_stops_once_on_an_open_question_then_goes_on() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        assert m.page_index == 0 and m.lesson is not None and m.lesson.pages[0].predict
        await press(pilot, "right")
        assert m.page_index == 0
        assert m.query_one(ErrorBar).message.startswith("predict first: press 1–2")
        await press(pilot, "right")
        assert m.page_index == 1

    drive(body, lesson="table")


def test_an_answer_is_locked_and_reveals_the_model_state() -> None:
    """Lesson 01 page 3 asks how many IDs [STRUCT_OPS][CHECK] holds after boot: answering
    steps the model to the end of boot, where the table shows 25/32; a second pick is refused."""

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        m.goto_page(2)
        await pilot.pause()
        page = m.lesson.pages[2]  # type: ignore[union-attr]
        assert page.predict is not None and m.snap.schedule == page.schedule
        await pilot.press("1")  # "6": wrong
        await pilot.pause()
        panel = m.query_one(LessonPanel)
        verdict = str(panel.query_one("#verdict", Static).render())
        assert verdict.startswith("✘ Not quite: you said 6, the model says 25.")
        assert page.predict.explain in verdict
        cell = next(c for row in m.snap.tables[0].rows for c in row
                    if (c.hook, c.type) == ("STRUCT_OPS", "CHECK"))
        assert cell.fill == "25/32" and m.snap.length > 47
        assert m.active_panel == "table"
        buttons = [b for b in panel.query("#choices ChoiceButton") if b.display]
        assert all(b.disabled for b in buttons)
        assert buttons[0].has_class("-picked") and buttons[2].has_class("-truth")
        await press(pilot, "3")
        assert m.query_one(ErrorBar).message == "your answer is locked: 6 (one answer a question)"
        assert "you said 6" in str(panel.query_one("#verdict", Static).render())

    drive(body, lesson="table")


def test_answers_survive_leaving_the_lesson_and_the_program() -> None:
    async def first(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        m.goto_page(2)
        await pilot.press("3")
        await pilot.press("escape", "escape")
        assert m.lesson is None
        assert m.open_lesson("table", 2)
        await pilot.pause()
        panel = m.query_one(LessonPanel)
        assert "✔ Right: 25." in str(panel.query_one("#verdict", Static).render())
        assert m.snap.length > 47  # reopened at the reveal

    drive(first, lesson="table")

    async def later(app: ExplorerApp, pilot: Pilot[int]) -> None:  # a new program, same state
        m = main_of(app)
        m.goto_page(2)
        await pilot.pause()
        assert m.controller.locked_pick(2) == "25"
        await pilot.press("1")
        assert m.query_one(ErrorBar).message.startswith("your answer is locked: 25")
        await pilot.press("right")  # answered: no stop for the question; the last page offers
        await pilot.pause()
        assert m.query_one(ErrorBar).message.startswith("end of this lesson: → opens lesson 2")
        await press(pilot, "right")
        assert m.lesson is not None and m.lesson.slug == "sort" and m.page_index == 0

    drive(later, lesson="table")


def test_the_last_lesson_says_so() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        assert m.lesson is not None
        last = len(m.lesson.pages) - 1
        m.goto_page(last)
        await pilot.pause()
        for _ in range(3):
            await press(pilot, "right")
        assert m.page_index == last and m.lesson.slug == "years-later"
        assert m.query_one(ErrorBar).message.startswith("that was the last lesson")

    drive(body, lesson="years-later")


def test_lesson_06_never_gives_the_answer_before_the_question() -> None:
    """Pages 3 and 6 told the outcome in their text, then asked for it."""
    race = next(ls for ls in Controller("module_race").lessons() if ls.slug == "race")
    for k in (2, 5):
        page = race.pages[k]
        assert page.predict is not None
        text = page.text.lower()
        assert "use-after-free" not in text and "takes a reference" not in text, k
        assert page.predict.answer.lower() in page.predict.explain.lower()


# -- the first minute -------------------------------------------------------------------------


def test_a_newcomer_starts_in_lesson_1_with_the_explorer_one_key_away() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert m.lesson is not None and m.lesson.slug == "table" and m.page_index == 0
        assert m.snap.scenario == "boot_tcp" and m.snap.step == 0
        assert "Esc: free explorer" in m.query_one(ErrorBar).message
        await press(pilot, "escape")
        assert m.lesson is None and m.snap.scenario == "boot_tcp"
        assert not m.query_one(LessonPanel).display

    drive(body, welcome=True)


def test_a_named_scenario_opens_directly() -> None:
    from explorer.cli import _parser

    args = _parser().parse_args(["tui", "e2big"])
    assert args.scenario_arg == "e2big"

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert m.lesson is None and m.snap.scenario == "e2big"

    drive(body, scenario="e2big", welcome=True)


# -- each page shows the panel its text is about ----------------------------------------------


def test_race_pages_show_the_race_window_at_80x24() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        assert m.lesson is not None
        for k, page in enumerate(m.lesson.pages):
            m.goto_page(k)
            await pilot.pause()
            strip = m.query_one(WindowStrip)
            modules = m.panel("modules")
            if "window" not in (page.title + page.text).lower():
                continue
            shown = strip.region.height == 1 or (modules.display and modules.region.height > 2)
            assert shown, (k, page.title)
            if strip.region.height:
                assert "window " in _plain(strip.render(), 78)

    drive(body, lesson="race")


def test_the_race_strip_never_cuts_the_module_state_at_80_columns() -> None:
    """The strip's last words are what lessons 4-7 ask about: F_LIVE set or clear, FREED. At 80
    columns the bar took half the line and cut them ('F_LIVE' alone read as set while clear)."""
    cases = [("module_race", "L15", "COMING", "F_LIVE clear"),
             ("module_race", "L63", "LIVE", "F_LIVE set"),
             ("module_twice", "L37", "GOING", "F_LIVE clear  FREED"),
             ("module_init_fails", "L24V", "GOING", "F_LIVE clear  FREED")]
    for scenario, schedule, state, flag in cases:
        ctl = Controller(scenario)
        ctl.load_schedule(schedule)
        line = strip_text(ctl.snapshot(), 78)
        shown = _plain(line, 78).rstrip("\n")
        assert line.cell_len <= 78 and shown.endswith(flag), (scenario, schedule, shown)
        assert f" {state} " in shown and shown.startswith("window ") and "▒" in shown, shown


def test_a_verdict_reflows_its_explanation() -> None:
    """Lesson 9 p1's explanation is a multi-line TOML string: at 80x24 the verdict read 'table is
    complete' / 'before the' and stopped there, a line break of the file, not of the sentence."""
    v = AnswerVerdict(0, "OK", "OK", True, "the table is complete before the\nverifier asks.\n")
    assert v.said() == "✔ Right: OK.\nthe table is complete before the verifier asks."
    assert AnswerVerdict(1, "ENXIO", "OK", False).said() == (
        "✘ Not quite: you said ENXIO, the model says OK.")


def test_lesson_titles_are_never_cut() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        for ls in m.controller.lessons():
            assert m.open_lesson(ls.slug)
            await pilot.pause()
            panel = m.query_one(LessonPanel)  # made when the first lesson page opens
            border = str(panel.border_title or "")
            inside = panel.query_one("#lesson-title", Static)
            assert ls.title in border or (inside.display and ls.title in str(inside.render()))
            if ls.title in border:
                assert len(border) <= panel.region.width - 4

    drive(body, size=(160, 48))


def test_lanes_stack_when_too_narrow_for_columns() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        await pilot.pause()
        lanes = m.query_one("#lanes")
        text = _plain(lanes.render(), lanes.content_region.width)
        head = next(line for line in text.splitlines() if "[l] loader" in line)
        assert "[v] verifier" not in head  # one lane under the other
        assert "[v] verifier" in text

    drive(body, size=(120, 34), lesson="race")


def test_the_wide_middle_column_fits_after_lesson_9s_first_answer() -> None:
    """QA4 F5: at 120x34, lesson 9 answered 1 (module_race at its end: a finished bsearch, a
    table with two shared-array rows, the modules panel) was two rows taller than the screen: a
    scrollbar, and the modules panel lost its legend's end and its bottom border."""

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        await press(pilot, "1")
        assert m.snap.step == 103 and m.has_class("-wide")
        col = m.query_one("#col-left")
        assert col.max_scroll_y == 0, (col.region, col.virtual_size)
        modules = m.query_one("#modules")
        assert modules.region.bottom <= col.region.bottom

    drive(body, size=(120, 34), lesson="challenges")
