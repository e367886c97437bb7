"""The explorer screen's concerns in their own modules: autoplay, screenshots, lesson flow."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from explorer.tui.app import ExplorerApp
from explorer.tui.autoplay import SPEEDS
from explorer.tui.screenshots import screenshot_name
from explorer.tui.widgets.lesson_panel import LessonPanel
from explorer.views.controller import Controller
from explorer.views.snapshot import PANEL_FOR_FOCUS as FOCUS_TO_PANEL
from tests.conftest import drive


def test_screenshot_name_counts_the_svgs_already_there(tmp_path: Path) -> None:
    snap = Controller("module_race").snapshot()
    assert screenshot_name(snap, tmp_path) == "kfunc-module_race-step0-1.svg"
    (tmp_path / "a.svg").write_text("<svg/>")
    (tmp_path / "notes.txt").write_text("")
    assert screenshot_name(snap, tmp_path) == "kfunc-module_race-step0-2.svg"


def test_autoplay_speed_is_clamped_and_shown_while_playing() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = app.main_screen
        await pilot.press(*["plus"] * 10)
        assert m.player.speed == SPEEDS[-1]
        await pilot.press(*["minus"] * 10)
        assert m.player.speed == SPEEDS[0]
        await pilot.press("a")
        assert m.autoplay and m.query_one("#status").autoplay == "▶ autoplay 0.5/s"
        await pilot.press("plus")
        assert m.query_one("#status").autoplay == "▶ autoplay 1/s"
        await pilot.press("escape")  # Escape stops autoplay first
        assert not m.autoplay and m.query_one("#status").autoplay == ""

    drive(body)


def test_lesson_flow_turns_pages_and_shows_the_focused_panel() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = app.main_screen
        lessons = m.controller.lessons()
        ls = next(ls for ls in lessons if any(p.focus in FOCUS_TO_PANEL for p in ls.pages[1:]))
        assert m.open_lesson(ls.slug)
        assert m.lesson is not None and m.lesson.slug == ls.slug and m.page_index == 0
        assert m.query_one(LessonPanel).display
        k = next(k for k, p in enumerate(ls.pages) if k and p.focus in FOCUS_TO_PANEL)
        m.goto_page(k)
        await pilot.pause()
        assert m.page_index == k
        assert m.active_panel == FOCUS_TO_PANEL[ls.pages[k].focus]
        m.goto_page(10_000)  # clamped to the last page
        assert m.page_index == len(ls.pages) - 1
        await pilot.press("escape")
        assert m.lesson is None and not m.query_one(LessonPanel).display
        assert not m.open_lesson("nope")
        assert "no such lesson" in m.query_one("#error").message

    drive(body)
