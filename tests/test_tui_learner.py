"""The learner's path (issue "Predict, then see"): what just happened, why a key does nothing,
predictions that stay on screen, Right that stops on a question, reveals, next lesson."""

from __future__ import annotations

import io

from rich.console import Console
from textual.pilot import Pilot

from explorer.tui.app import ExplorerApp
from explorer.tui.widgets.error_bar import ErrorBar
from explorer.tui.widgets.happened_bar import HappenedBar, happened_renderable
from explorer.tui.widgets.trace_panel import middle_cut, trace_row
from explorer.views.controller import Controller
from tests.test_tui import drive, main_of


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
    assert (h.index, h.letter, h.func) == (16, "B", "sort")
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
    assert h is not None and h.letter == "V" and h.result is not None
    text = _plain(happened_renderable(c.snapshot()), 80)
    assert f"returned {h.result}" in text


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
            assert row.plain.endswith(f"→ {e.result}" if e.result else tail[-3:]), row.plain
    assert snap.trace
    assert middle_cut("abcdefghijklmnopqrstuvwxyz: <", 16).endswith(": <")


def test_the_bar_shows_the_last_step_at_80x24() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        for _ in range(16):
            await pilot.press("b")
        await pilot.pause()
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
        await pilot.press("v")
        await pilot.pause()
        assert m.snap.step == 0
        assert m.query_one(ErrorBar).message == (
            "v: V (verifier) waits for nf_conntrack's BTF to be published "
            "(bpf_btf_get_fd_by_id)")
        await pilot.press("l")
        await pilot.pause()
        assert m.query_one(ErrorBar).message == ""  # a move that worked clears it
        await pilot.press("b")
        await pilot.pause()
        assert m.query_one(ErrorBar).message.startswith("b: no thread B here (threads: l=loader")
        await pilot.press("right")
        await pilot.pause()
        assert m.query_one(ErrorBar).message.startswith(
            "at the newest step: nothing to replay; step a thread: l (loader)")
        assert m.snap.step == 1

    drive(body, scenario="module_race")


def test_keys_at_the_end_say_every_thread_has_ended() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        m = main_of(app)
        assert m.load_schedule("L4V7L28V*")
        await pilot.press("r")
        await pilot.pause()
        assert m.snap.terminal
        await pilot.press("r")
        await pilot.pause()
        assert m.query_one(ErrorBar).message.startswith("r: every thread has ended")
        await pilot.press("home", "left")
        await pilot.pause()
        assert m.query_one(ErrorBar).message == "at step 0: nothing to step back over"

    drive(body, scenario="module_race")
