"""Regression tests of TUI defects: bracketed kernel names eaten as markup, PageDown crashes."""

from __future__ import annotations

import asyncio
import contextlib

from textual import events
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from explorer.tui.app import ExplorerApp, exit_status
from explorer.tui.screens.explore import ExploreScreen
from explorer.tui.screens.main import MainScreen
from explorer.tui.screens.picker import PickerScreen
from explorer.tui.screens.whatif import WhatIfScreen
from explorer.tui.widgets.error_bar import ErrorBar
from explorer.tui.widgets.lesson_panel import LessonPanel
from explorer.views.controller import Controller
from tests.conftest import drive, option_texts
from tests.test_tui import main_of


def _static_text(widget: Static) -> str:
    return str(widget.render())


def test_lesson_01_question_keeps_the_cell_name() -> None:
    """Lesson 01 asked "how many IDs does  hold?": [STRUCT_OPS][CHECK] was read as markup."""

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        assert m.lesson is not None
        k = next(i for i, p in enumerate(m.lesson.pages)
                 if p.predict is not None and "[STRUCT_OPS][CHECK]" in p.predict.question)
        m.goto_page(k)
        await pilot.pause()
        panel = m.query_one(LessonPanel)
        question = _static_text(panel.query_one("#question", Static))
        assert "how many IDs does [STRUCT_OPS][CHECK] hold?" in question
        pr = m.lesson.pages[k].predict
        assert pr is not None
        assert panel.choice_texts() == [f"{n + 1} {c}" for n, c in enumerate(pr.choices)]

    drive(body, lesson="table")


def test_every_prediction_and_verdict_shows_its_text_exactly() -> None:
    """All lessons: question, choices and the explanation appear as written, brackets and all."""
    lessons = Controller("module_race").lessons()
    bracketed = [(ls.slug, k) for ls in lessons for k, p in enumerate(ls.pages)
                 if p.predict is not None and "[" in (p.predict.question + "".join(
                     p.predict.choices) + p.predict.explain)]
    assert len(bracketed) >= 6

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        for slug, k in bracketed:
            assert m.open_lesson(slug, k)
            await pilot.pause()
            panel = m.query_one(LessonPanel)  # made when the first lesson page opens
            assert m.lesson is not None
            pr = m.lesson.pages[k].predict
            assert pr is not None
            assert _static_text(panel.query_one("#question", Static)) == f"Predict: {pr.question}"
            assert panel.choice_texts() == [f"{n + 1} {c}" for n, c in enumerate(pr.choices)]
            m.check_prediction(0)
            await pilot.pause()
            verdict = _static_text(panel.query_one("#verdict", Static))
            assert pr.explain.splitlines()[0] in verdict

    drive(body, size=(160, 50))


def test_errors_whatifs_and_pickers_keep_brackets() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        m.show_error("cell [TC][CHECK]: [bold]not markup[/bold]")
        await pilot.pause()
        assert "cell [TC][CHECK]: [bold]not markup[/bold]" in _static_text(m.query_one(ErrorBar))
        await pilot.press("escape", "w")
        await pilot.pause()
        assert isinstance(app.screen, WhatIfScreen)
        sel = app.screen.query_one("#whatif", OptionList)
        prompts = option_texts(sel)
        assert any(p.startswith("☐ [NOT THE KERNEL] ") for p in prompts)
        assert any(p.startswith("☐ [fault] ") for p in prompts)
        await pilot.press("escape")
        await pilot.pause()
        app.push_screen(PickerScreen("[pick]", [("a", "[STRUCT_OPS][CHECK] a")]))
        await pilot.pause()
        assert option_texts(app.screen.query_one(OptionList)) == ["[STRUCT_OPS][CHECK] a"]

    drive(body)


def test_x_then_pagedown_at_once_does_not_crash() -> None:
    """``x`` then PageDown within ~50 ms raised KeyError: 0 in OptionList._move_page."""

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        app.post_message(events.Key("x", "x"))
        for _ in range(150):
            await asyncio.sleep(0.002)
            app.post_message(events.Key("pagedown", None))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ExploreScreen) and app.screen.result is not None
        ol = app.screen.query_one("#outcomes", OptionList)
        assert ol.option_count > 0
        await pilot.press("pagedown", "pageup")
        assert ol.highlighted == 0

    app = drive(body)
    assert app.return_code is None


def test_pagedown_in_a_fresh_palette_does_not_crash() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        app.post_message(events.Key("ctrl+p", None))
        for _ in range(40):
            await asyncio.sleep(0.002)
            app.post_message(events.Key("pagedown", None))
            app.post_message(events.Key("pageup", None))
        await pilot.pause(0.3)
        assert CommandPalette.is_open(app)
        assert app.screen.query_one(CommandList).option_count > 0
        await pilot.press("pagedown", "escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)

    app = drive(body)
    assert app.return_code is None


def test_exit_status_is_1_after_a_traceback() -> None:
    """Textual prints the traceback of an unhandled exception; the process must not exit 0."""
    app = ExplorerApp(exit_after_paint=False)

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()

            def boom() -> None:
                raise RuntimeError("boom")

            app.call_later(boom)
            await pilot.pause()

    with contextlib.suppress(RuntimeError):
        asyncio.run(main())
    assert app.return_code == 1
    assert exit_status(app, None) == 1
    ok = ExplorerApp(exit_after_paint=False)
    assert exit_status(ok, None) == 0 and exit_status(ok, 3) == 3
