"""Pilot tests of the TUI: every control, asserting on the model state shown."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static, Tabs

from explorer.tui.app import ExplorerApp, run_app
from explorer.tui.screens import explore
from explorer.tui.screens.explore import ExploreScreen
from explorer.tui.screens.help import HelpScreen
from explorer.tui.screens.main import MainScreen
from explorer.tui.widgets.banner import Banner
from explorer.tui.widgets.error_bar import ErrorBar
from explorer.tui.widgets.lesson_panel import LessonPanel
from explorer.views.controller import Controller
from tests.conftest import drive, explore_outcomes, option_texts


def text_of(widget: Widget, width: int = 160) -> str:
    """What a widget draws, as plain text."""
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    renderable = widget.content if isinstance(widget, Static) else widget.render()
    console.print(renderable)
    return console.export_text()


def main_of(app: ExplorerApp) -> MainScreen:
    return app.main_screen


def test_step_keys_advance_one_thread_and_show_its_function() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        for _ in range(5):
            await pilot.press("l")
        m = main_of(app)
        assert m.snap.step == 5
        assert m.snap.schedule == "L5"
        lane = m.snap.lanes[0]
        assert lane.letter == "L" and lane.func == "do_init_module"
        shown = text_of(m.panel("lanes"))
        assert "do_init_module()" in shown and "▶" in shown
        assert "step 5/5" in text_of(m.query_one("#status"))
        await pilot.press("v")
        assert m.snap.schedule == "L5V"

    drive(body)


def test_blocked_thread_key_is_disabled() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        assert "V" not in m.snap.runnable
        assert m.check_action("step", ("V",)) is None  # shown dimmed, disabled
        assert m.check_action("step", ("B",)) is False  # no such thread: hidden
        await pilot.press("v")
        assert m.snap.step == 0
        assert "■" in text_of(m.panel("lanes"))

    drive(body)


def test_back_forward_jump_start_end_and_prompt() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        await pilot.press(*"llllllll")
        await pilot.press("comma", "comma")
        assert m.snap.step == 6 and m.snap.full_schedule == "L8"
        await pilot.press("full_stop")
        assert m.snap.step == 7
        await pilot.press("left")
        assert m.snap.step == 6
        await pilot.press("right")
        assert m.snap.step == 7
        await pilot.press("home")
        assert m.snap.step == 0
        await pilot.press("end")
        assert m.snap.step == 8
        await pilot.press("g", "3", "enter")
        assert m.snap.step == 3
        await pilot.press("g", "9", "9", "enter")
        assert m.snap.step == 3
        assert "out of range" in m.query_one(ErrorBar).message

    drive(body)


def test_step_over_and_finish() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        await pilot.press("L")
        first = m.snap.step
        assert first >= 1
        await pilot.press(*"llll")
        before = m.snap.step
        depth = len(m.snap.lanes[0].stack)
        await pilot.press("f")
        assert m.snap.step > before
        assert len(m.snap.lanes[0].stack) < depth or m.snap.lanes[0].done
        await pilot.press("r")
        assert m.snap.terminal
        assert "outcome:" in text_of(m.panel("trace"))

    drive(body)


def test_paste_bad_schedule_shows_error_and_keeps_state() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        await pilot.press("l", "l")
        await pilot.press("p", "ctrl+a", "backspace", *"Z9", "enter")
        err = m.query_one(ErrorBar)
        assert err.message and "\n" not in err.message
        assert err.display
        assert m.snap.step == 2 and m.snap.schedule == "L2"
        await pilot.press("escape")
        assert not err.message
        await pilot.press("p", "ctrl+a", "backspace", *"L4V7", "enter")
        assert m.snap.schedule == "L4V7" and m.snap.step == 11
        assert not err.message

    drive(body)


def test_copy_schedule_to_clipboard() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        await pilot.press("l", "l", "l")
        await pilot.press("y")
        assert app.clipboard == "L3"

    drive(body)


def test_variant_switch_shows_not_the_kernel_banner() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        await pilot.press("l", "l")
        banner = m.query_one(Banner)
        assert not banner.display
        await pilot.press("w")
        await pilot.press("enter")  # toggle the first entry: a variant
        await pilot.press("escape")  # apply
        assert m.snap.banners
        assert banner.display and "NOT THE KERNEL" in str(banner.render())
        assert m.snap.step == 2  # the schedule still replays
        m.set_options([], [])
        await pilot.pause()
        assert not m.snap.banners and not banner.display

    drive(body)


def test_fault_via_whatif_screen() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        n_var = len(app.controller.applicable_variants())
        faults = [f.name for f in app.controller.applicable_faults()]
        await pilot.press("w")
        for _ in range(n_var + faults.index("init_fails")):
            await pilot.press("down")
        await pilot.press("enter", "escape")
        assert "init_fails" in m.snap.options
        await pilot.press("r")
        assert m.snap.terminal

    drive(body)


def test_explore_lists_outcomes_with_enxio_and_loads_witness() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        app.controller.progress.give_up("early_verifier")  # else its witness stays hidden
        await pilot.press("x")
        assert isinstance(app.screen, ExploreScreen)
        screen, ol = await explore_outcomes(app, pilot)
        assert screen.result is not None
        labels = option_texts(ol)
        assert any("ENXIO" in lb for lb in labels)
        k = next(i for i, lb in enumerate(labels) if "ENXIO" in lb)
        witness = screen.result.outcomes[k].witness
        ol.highlighted = k
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is m
        assert m.snap.full_schedule.startswith(witness) or m.snap.schedule == witness
        # it stands at its end, where the explore screen's key line says it does
        assert m.snap.step == m.snap.length and "at its end" in explore.HINT
        await pilot.press("end")
        assert ("verifier", "ENXIO") in m.snap.outcome or any(
            r == "ENXIO" for _, r in m.snap.outcome)

    drive(body)


def test_explore_can_be_cancelled() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        await pilot.press("x", "escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)

    drive(body)


def test_scenario_picker_and_table_vanishing_on_error_path() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        names = [c.name for c in Controller.scenarios()]
        await pilot.press("s")
        for _ in range(names.index("e2big")):
            await pilot.press("down")
        await pilot.press("enter")
        assert m.snap.scenario == "e2big"
        await pilot.press("b")
        assert m.snap.step == 1
        await pilot.press("r")
        assert m.snap.terminal and ("boot", "E2BIG") in m.snap.outcome
        m.jump(246)
        await pilot.pause()
        assert m.snap.tables[0].tab is None and m.snap.tables[0].highlight == "free"
        assert "just freed" in text_of(m.panel("table"))
        await pilot.press("end")
        assert "freed on the error path" in text_of(m.panel("table"))

    drive(body)


def test_sort_and_table_panels_follow_steps() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        assert m.load_scenario("boot_tcp")
        await pilot.pause()
        for _ in range(59):
            m.controller.step("B")
        await pilot.press("b")
        assert m.snap.tables[0].tab is not None
        table = text_of(m.panel("table"))
        assert "/32" in table and "»" in table
        # run until a sort compares two elements
        while m.snap.array is None or not m.snap.array.active or m.snap.array.op != "cmp":
            m.controller.step("B")
            m.snap = m.controller.snapshot()
        await pilot.press("b", "comma")
        arr = text_of(m.panel("array"))
        assert arr.startswith("sort") and "comparisons" in arr and "*" in arr

    drive(body, size=(160, 48))


def test_lesson_pages_and_prediction() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        await pilot.press("t", "enter")
        panel = m.query_one(LessonPanel)
        assert m.lesson is not None and panel.display and m.page_index == 0
        page = m.lesson.pages[0]
        assert page.predict is not None
        truth = Controller.page_answer(page)
        wrong = next(i for i, c in enumerate(page.predict.choices) if c != truth)
        right = page.predict.choices.index(truth)
        await pilot.press(str(wrong + 1))
        verdict = panel.query_one("#verdict")
        assert verdict.has_class("-wrong") and "Not quite" in str(verdict.render())
        assert page.predict.explain[:20] in str(verdict.render())
        await pilot.press(str(right + 1))  # the answer is locked
        assert verdict.has_class("-wrong")
        assert m.query_one(ErrorBar).message.startswith("your answer is locked")
        await pilot.press("right")  # answered: Right goes on
        assert m.page_index == 1 and m.snap.schedule == m.lesson.pages[1].schedule
        await pilot.press("pagedown")
        assert m.page_index == 2 and m.snap.schedule == m.lesson.pages[2].schedule
        await pilot.press("pagedown")  # an open question: Right stops once
        assert m.page_index == 2 and "predict first" in m.query_one(ErrorBar).message
        await pilot.press("pagedown")  # the last page: Right offers the next lesson
        assert m.page_index == 2 and "end of this lesson" in m.query_one(ErrorBar).message
        await pilot.press("left")
        assert m.page_index == 1
        await pilot.press("pageup", "pageup")
        assert m.page_index == 0
        assert m.snap.schedule != page.schedule  # an answered page opens at its reveal
        await pilot.press("escape")
        assert m.lesson is None and not panel.display

    drive(body)


def test_lesson_from_command_line_argument_and_bad_lesson_in_app() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        assert m.lesson is not None and m.lesson.slug == "table"
        assert not m.open_lesson("nope")
        assert "no such lesson" in m.query_one(ErrorBar).message

    drive(body, lesson="table")


def test_run_app_bad_names_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(scenario="nope") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope" in err
    assert run_app(lesson="nope") == 2
    assert "no such lesson" in capsys.readouterr().err
    assert run_app(lesson="99") == 2  # numbers as `kfunc-explorer lessons` lists them
    err = capsys.readouterr().err
    assert "no such lesson" in err and "1 table" in err


def test_run_app_takes_a_lesson_number(monkeypatch: pytest.MonkeyPatch) -> None:
    """QA: `tui --lesson 1` was refused though `lessons` lists lessons by number."""
    opened: list[str | None] = []
    monkeypatch.setattr(ExplorerApp, "run", lambda self: opened.append(self._lesson) or 0)
    assert run_app(lesson="1") == 0 and opened == ["table"]
    assert run_app(lesson="sort") == 0 and opened[-1] == "sort"


def test_run_app_opens_a_scenario_file_as_run_and_explore_do(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """QA session 3: `tui FILE.toml` said "no such scenario" for a file `run` accepts; a bad file
    is one line naming the file and the place (exit 2), as in `run`."""
    opened: list[str] = []
    monkeypatch.setattr(ExplorerApp, "run",
                        lambda self: opened.append(self.controller.scenario_name) or 0)
    src = Path(__file__).resolve().parent.parent / "explorer" / "scenarios" / "module_race.toml"
    mine = tmp_path / "mine.toml"
    mine.write_text(src.read_text().replace('name = "module_race"', 'name = "mine"', 1))
    assert run_app(scenario=str(mine)) == 0 and opened == ["mine"]
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\n[[threads\n')
    assert run_app(scenario=str(bad)) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{bad}: " in err and "line 2" in err


def test_autoplay_advances_and_stops_at_end() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        await pilot.press("plus", "plus", "plus", "plus")  # 32 steps/s
        await pilot.press("a")
        assert m.autoplay
        await pilot.pause(0.4)
        assert m.snap.step > 0
        assert "autoplay" in text_of(m.query_one("#status"))
        await pilot.press("a")
        assert not m.autoplay
        m.controller.run_to_end()
        m.refresh_view()
        m.autoplay = True
        m.autoplay_tick()
        assert not m.autoplay

    drive(body)


def test_screenshot_key_writes_svg(tmp_path: Path) -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        await pilot.press("l", "f9")
        await pilot.pause()

    drive(body, screenshot_dir=tmp_path)
    svgs = list(tmp_path.glob("*.svg"))
    assert len(svgs) == 1 and svgs[0].read_text().lstrip().startswith("<svg")


def test_help_screen_lists_keys() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = text_of(app.screen.query_one("#help-box Static"))
        for words in ("step L", "explore", "paste a schedule", "autoplay", "jump to step N"):
            assert words in shown
        # keys as people type them, never Textual's internal names; only this scenario's threads
        for key in ("? / F1", ".", ",", "[", "]", "+", "← / PgUp", "Ctrl+K", "Ctrl+T"):
            assert f" {key} " in shown, key
        for internal in ("question_mark", "full_stop", "left_square_bracket", "step B"):
            assert internal not in shown, internal
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)

    drive(body)


def test_command_palette_scenario_and_jump() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        await pilot.press(*"llllll")
        await pilot.press("ctrl+p")
        await pilot.press(*"jump 2")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert m.snap.step == 2
        await pilot.press("ctrl+p")
        await pilot.press(*"Scenario: module_twice")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert m.snap.scenario == "module_twice"

    drive(body)


def test_palette_whatif_toggle_keeps_fault_counts() -> None:
    """The palette posts typed messages to the explorer screen; toggling a what-if there kept
    krealloc_fails:2 as krealloc_fails:1 before."""

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        assert m.set_options([], ["krealloc_fails:2"])
        await pilot.press("ctrl+p")
        await pilot.press(*"What-if on: no_sort")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert m.snap.options == "no_sort+krealloc_fails:2"

    drive(body, scenario="enomem")


def test_whatif_screen_keeps_fault_counts() -> None:
    """Applying the what-if screen turned krealloc_fails:2 into krealloc_fails:1."""

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        assert m.set_options([], ["krealloc_fails:2"])
        await pilot.press("w")
        await pilot.press("enter")  # toggle the first entry: a variant
        await pilot.press("escape")  # apply
        assert m.snap.options.endswith("+krealloc_fails:2"), m.snap.options

    drive(body, scenario="enomem")


def test_home_and_end_jump_while_the_narration_has_focus() -> None:
    """In a lesson, Home/End scrolled the focused narration instead of jumping."""

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        m.goto_page(1)  # page 2 places the model after some steps
        m.query_one("#lesson-scroll").focus()
        await pilot.pause()
        assert m.snap.step > 0
        await pilot.press("home")
        assert m.snap.step == 0
        await pilot.press("end")
        assert m.snap.step == m.snap.length > 0

    drive(body, lesson="table")


def test_presenter_mode_and_responsive_layout() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        assert app.has_class("-presenter") and app.theme == "kfunc-presenter"
        assert not m.wide and m.query_one(Tabs).display
        assert m.panel("lanes").display and not m.panel("table").display
        await pilot.press("right_square_bracket")
        assert m.active_panel == "table" and m.panel("table").display
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        # presenter mode keeps one (larger) panel at a time at every size
        assert m.wide and m.query_one(Tabs).display and m.has_class("-narrow")
        assert m.panel("table").display and not m.panel("lanes").display
        await pilot.press("f5")
        await pilot.pause()
        assert not app.has_class("-presenter")
        assert m.wide and not m.query_one(Tabs).display
        assert all(m.query_one(f"#{p}").display for p in ("lanes", "table", "array", "trace"))

    drive(body, presenter=True)
