"""The threads panel's code window: it stays where it is while the line about to run is inside
it with a line of context under it, and jumps (that line a third of the way down) only when the
line leaves that band or the lane enters another call. Pure function first, then the panel."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.tui.app import ExplorerApp
from explorer.tui.widgets.happened_bar import NEXT
from explorer.tui.widgets.lanes_panel import HEADER_ROWS, LanesPanel, frame_key, window_start
from explorer.views.snapshot import LaneView


def _shows(start: int, line: int, length: int, rows: int) -> bool:
    """``line`` is inside the window, with the line under it when the listing has one."""
    below = 1 if line < length - 1 and rows > 1 else 0
    return start <= line and line + below < start + rows


@given(start=st.none() | st.integers(-3, 90), line=st.integers(-1, 89),
       length=st.integers(0, 90), rows=st.integers(1, 40))
def test_the_line_about_to_run_is_shown_with_a_line_under_it(
        start: int | None, line: int, length: int, rows: int) -> None:
    s = window_start(start, line, length, rows)
    assert 0 <= s <= max(0, length - rows)  # never past the end when the listing fills it
    if 0 <= line < length:
        assert _shows(s, line, length, rows)
    assert window_start(s, line, length, rows) == s  # a repaint of the same moment stays


@st.composite
def _inside(draw: st.DrawFn) -> tuple[int, int, int, int]:
    """A listing, a window over it, and a line inside the window's band."""
    length = draw(st.integers(1, 90))
    rows = draw(st.integers(1, 40))
    start = draw(st.integers(0, max(0, length - rows)))
    line = draw(st.integers(start, min(length, start + rows) - 1))
    return start, line, length, rows


@given(_inside())
def test_the_window_stays_while_the_line_stays_inside_it(case: tuple[int, int, int, int]) -> None:
    start, line, length, rows = case
    if _shows(start, line, length, rows):
        assert window_start(start, line, length, rows) == start


@given(length=st.integers(1, 90), rows=st.integers(1, 40),
       lines=st.lists(st.integers(0, 89), min_size=1, max_size=40))
def test_it_moves_only_when_it_must_and_then_anchors_a_third_down(
        length: int, rows: int, lines: list[int]) -> None:
    """Any order of lines (stepping, going back, jumping): where the window moves, the line had
    left the band, and the line lands a third of the way down (or the window's end is the
    listing's)."""
    start: int | None = None
    for line in (k % length for k in lines):
        s = window_start(start, line, length, rows)
        if start is not None and s != start:
            assert not _shows(start, line, length, rows)
        if s != start:
            up = start is not None and line < start
            above = (1 if rows >= 3 else 0) if up else rows // 3
            assert s == max(0, min(line - above, length - rows))
        start = s


def test_stepping_down_a_listing_moves_the_window_by_two_thirds() -> None:
    """A 12-line window over 40 lines, the line stepping down one at a time: the window jumps
    when the line reaches its last row (which leaves no line under it), by 7 lines, and stops
    at the listing's end."""
    starts = []
    start: int | None = None
    for line in range(40):
        start = window_start(start, line, 40, 12)
        starts.append(start)
    assert sorted(set(starts)) == [0, 7, 14, 21, 28]
    assert [starts.index(s) for s in (7, 14, 21, 28)] == [11, 18, 25, 32]
    # going back up inside the window keeps it; above it, the line comes one from the top
    assert window_start(28, 30, 40, 12) == 28
    assert window_start(28, 20, 40, 12) == 19


def test_a_loop_that_fits_keeps_its_window_round_after_round() -> None:
    """heapsort's loop in sort() (lines 6-21 of 27) in an 18-row window: after the first back
    edge the window holds the whole loop and stays for every later round (with the line a third
    down on the back edge, it flipped twice a round)."""
    start: int | None = None
    starts = []
    for _ in range(4):
        for line in range(6, 22):
            start = window_start(start, line, 27, 18)
            starts.append(start)
    assert len(set(starts[16:])) == 1


def _check_panel(panel: LanesPanel, lanes: tuple[LaneView, ...]) -> None:
    """On screen, each lane with a line about to run shows it (``▶``) and the line under it."""
    text = [s.text for s in panel._strips(panel.size.width)]
    for lane in lanes:
        if not 0 <= lane.line < len(lane.lines):
            continue
        want = lane.lines[lane.line].replace("\t", "  ")[:8]
        at = [(y, row.index(NEXT + want)) for y, row in enumerate(text) if NEXT + want in row]
        assert at, (lane.letter, want, text)
        if lane.line + 1 < len(lane.lines):
            y, x = at[0]
            under = lane.lines[lane.line + 1].replace("\t", "  ")[:8]
            assert text[y + 1][x + 1:x + 1 + len(under)] == under, (lane.letter, text)


@pytest.mark.parametrize(("scenario", "size"), [
    ("module_race", (80, 24)), ("boot_tcp", (160, 48)), ("boot_tcp", (80, 24))])
def test_the_panel_moves_a_lanes_window_only_when_it_must(
        scenario: str, size: tuple[int, int]) -> None:
    """Stepping module_race's two threads and boot_tcp's one, then going back and jumping: the
    line about to run is always on screen with the line under it, and a lane's window moves
    within one call only when that line has left it (or its last row). In boot_tcp at 160x48
    the window stays on most steps; at 80x24 the heapsort's loop is longer than the window."""
    app = ExplorerApp(scenario=scenario, exit_after_paint=False)

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            m = app.main_screen
            panel = m.query_one(LanesPanel)
            moved = stayed = 0
            for _ in range(60):
                letter = next(iter(sorted(m.snap.runnable)), None)
                if letter is None:
                    break
                before = dict(panel._windows)
                await pilot.press(letter.lower())
                await pilot.pause()
                _check_panel(panel, m.snap.lanes)
                rows = panel.inner_height - HEADER_ROWS - 1
                for lane in m.snap.lanes:
                    was, now = before.get(lane.letter), panel._windows.get(lane.letter)
                    if was is None or now is None or was[0] != frame_key(lane):
                        continue  # a new call: anchored afresh
                    if now[1] == was[1]:
                        stayed += 1
                    else:
                        moved += 1
                        assert not _shows(was[1], lane.line, len(lane.lines), rows)
            if size == (160, 48):
                assert stayed > 2 * moved, (scenario, stayed, moved)
            for key in ["comma"] * 7 + ["home", "end", "comma", "comma", "home"]:
                await pilot.press(key)
                await pilot.pause()
                _check_panel(panel, m.snap.lanes)

    asyncio.run(main())
