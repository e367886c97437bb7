"""The TUI's kernel-version picker and the 6.17 table, driven with Pilot."""

from __future__ import annotations

import io
from functools import partial

from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import OptionList

from explorer.tui.app import ExplorerApp
from explorer.tui.screens.picker import PickerScreen
from tests import conftest
from tests.conftest import option_texts

drive = partial(conftest.drive, size=(100, 30))  # these screens want room


def _table_text(app: ExplorerApp) -> str:
    panel = app.main_screen.panel("table")
    console = Console(width=120, record=True, color_system=None, file=io.StringIO())
    console.print(panel.draw(app.main_screen.snap))
    return console.export_text()


def test_ctrl_k_lists_the_versions_and_switches_to_617() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = app.main_screen
        assert m.snap.kernel == "v5.18"
        await pilot.press("b", "b", "b")
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        opts = app.screen.query_one(OptionList)
        labels = option_texts(opts)
        assert labels == ["linux 5.18  (shown now)", "linux 6.17"]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert m.snap.kernel == "v6.17" and m.snap.step == 0  # the schedule restarts
        await pilot.press("r")
        await pilot.pause()
        assert m.snap.terminal and dict(m.snap.outcome) == {"boot": "OK", "verifier": "OK"}
        text = _table_text(app)
        assert "STRUCT_OPS" in text and "25/256" in text and "NULL: COMMON, XDP" in text

    drive(body, scenario="boot_tcp")


def test_617_only_scenario_and_thread_keys_for_its_letters() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = app.main_screen
        assert m.snap.kernel == "v6.17"
        await pilot.press("r")
        await pilot.pause()
        assert dict(m.snap.outcome)["fentry_destroy"] == "EACCES"
        text = _table_text(app)
        assert "1 filter(s)" in text and "tracing_iter_filter" in text
        await pilot.press("ctrl+k")
        await pilot.pause()
        opts = app.screen.query_one(OptionList)
        assert opts.option_count == 1  # hooks_filters exists in 6.17 only
        await pilot.press("escape")

    drive(body, scenario="hooks_filters", kernel="6.17")


def test_lesson_09_pages_switch_kernels() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = app.main_screen
        kernels = []
        for _ in range(3):
            kernels.append(m.snap.kernel)
            await pilot.press("right")
            await pilot.pause()
        assert kernels == ["v5.16", "v5.18", "v6.17"]

    drive(body, lesson="years-later")


def test_ctrl_t_shows_three_kernels_side_by_side_and_the_history() -> None:
    from textual.widgets import Static

    from explorer.tui.screens.versions import VersionsScreen

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, VersionsScreen)
        console = Console(width=170, record=True, color_system=None, file=io.StringIO())
        for s in app.screen.query(Static):
            console.print(s.content)
        text = console.export_text()
        for needle in ("old_api on linux v5.16", "boot_tcp on linux v5.18",
                       "boot_tcp on linux v6.17", "6/32", "6/256", "release not pinned",
                       "nhatz11/linux-6.17"):
            assert needle in text, needle
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, VersionsScreen)

    drive(body, size=(170, 50))


def test_s_lists_every_scenario_with_its_versions_and_opens_a_617_only_one_at_617() -> None:
    """Issue 12 follow-up: the scenario picker lists the 6.17-only scenarios (hooks_filters,
    conntrack_flags) with each scenario's kernel versions, and picking one opens it in 6.17."""
    from explorer.views.controller import Controller

    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = app.main_screen
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, PickerScreen)
        opts = app.screen.query_one(OptionList)
        labels = [str(opts.get_option_at_index(k).prompt) for k in range(opts.option_count)]
        names = [c.name for c in Controller.scenarios()]
        assert [lb.split()[0] for lb in labels] == names
        by = dict(zip(names, labels, strict=True))
        assert by["hooks_filters"].split()[1] == "6.17"
        assert by["conntrack_flags"].split()[1] == "6.17"
        assert by["boot_tcp"].split()[1] == "5.18/6.17"
        assert by["old_api"].split()[1] == "5.16"
        for _ in range(names.index("hooks_filters")):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert m.snap.scenario == "hooks_filters" and m.snap.kernel == "v6.17"
        assert m.controller.kernel == "6.17"
        await pilot.press("r")
        await pilot.pause()
        assert m.snap.terminal and "COMMON" in _table_text(app)

    drive(body, size=(120, 40), scenario="boot_tcp")
