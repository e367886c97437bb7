"""SVG snapshots of the main screens at 80x24 and 160x48 (pytest-textual-snapshot).

Regenerate with ``pytest tests/test_tui_snapshots.py --snapshot-update`` and review the SVGs.
Nothing drawn depends on clocks, timings or randomness.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from explorer.tui.app import ExplorerApp
from explorer.tui.screens.main import MainScreen
from tests.conftest import make_app as _app

SIZES = [(80, 24), (160, 48)]
Before = Callable[[Pilot[Any]], Awaitable[None]]


async def _main(pilot: Pilot[Any]) -> MainScreen:
    """The main screen, once the app has painted."""
    await pilot.pause()
    app = pilot.app
    assert isinstance(app, ExplorerApp)
    return app.main_screen


def _schedule(text: str) -> Before:
    async def before(pilot: Pilot[Any]) -> None:
        assert (await _main(pilot)).load_schedule(text)
        await pilot.pause()

    return before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_race_in_the_window(snap_compare: Any, size: tuple[int, int]) -> None:
    """module_race: the verifier inside the window, the loader filling the table."""
    assert snap_compare(_app(), terminal_size=size, run_before=_schedule("L4V7L30"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_live_check_banner(snap_compare: Any, size: tuple[int, int]) -> None:
    """The NOT THE KERNEL banner and the -EACCES outcome of the what-if."""

    async def before(pilot: Pilot[Any]) -> None:
        m = await _main(pilot)
        m.set_options(["no_live_check"], [])
        m.load_schedule("L4V7L28V*")
        m.active_panel = "trace"
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_lesson_page(snap_compare: Any, size: tuple[int, int]) -> None:
    """Lesson 1, page 3, with its prediction answered: the model at the reveal (25 IDs)."""
    assert snap_compare(_app(lesson="table"), terminal_size=size,
                        press=["right", "right", "right", "3"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_error_path_frees_the_table(snap_compare: Any, size: tuple[int, int]) -> None:
    """e2big: the step where btf_free_kfunc_set_tab() makes the table vanish."""

    async def before(pilot: Pilot[Any]) -> None:
        m = await _main(pilot)
        m.load_scenario("e2big")
        m.controller.run_to_end()
        m.jump(246)
        m.active_panel = "table"
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_heapsort_in_progress(snap_compare: Any, size: tuple[int, int]) -> None:
    """boot_tcp: the kernel's heapsort on the [STRUCT_OPS][CHECK] cell."""

    async def before(pilot: Pilot[Any]) -> None:
        m = await _main(pilot)
        m.load_scenario("boot_tcp")
        m.load_schedule("B150")
        m.active_panel = "array"
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=size, run_before=before)


def test_explore_results(snap_compare: Any) -> None:
    """Explore all on module_race: outcomes with counts and witnesses."""

    async def before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.press("x")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=(80, 24), run_before=before)


def test_help_screen(snap_compare: Any) -> None:
    """The keys."""
    assert snap_compare(_app(), terminal_size=(80, 24), press=["question_mark"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_presenter_race_strip(snap_compare: Any, size: tuple[int, int]) -> None:
    """Presenter mode: one panel at a time under the race strip, the window open."""
    assert snap_compare(_app(presenter=True), terminal_size=size,
                        run_before=_schedule("L4V7L30"))
