"""What a step redraws: only the panels whose part of the snapshot changed, and the lanes drawn
without a Rich table look exactly as the table drew them.

(How long a frame takes is printed by benchmarks/bench_tui.py, never asserted here.)
"""

from __future__ import annotations

import asyncio
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console, Group
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import events
from textual.pilot import Pilot
from textual.strip import Strip
from textual.visual import Visual, visualize

from explorer.tui.app import ExplorerApp
from explorer.tui.screens.main import MainScreen
from explorer.tui.widgets.array_panel import ArrayPanel
from explorer.tui.widgets.columns import side_by_side
from explorer.tui.widgets.happened_bar import HappenedBar
from explorer.tui.widgets.lanes_panel import LanesPanel, lane_lines, lanes_text
from explorer.tui.widgets.modules_panel import ModulesPanel
from explorer.tui.widgets.panel import Rows, SnapshotView, row_key
from explorer.tui.widgets.race_strip import RaceStrip
from explorer.tui.widgets.table_panel import TablePanel
from explorer.tui.widgets.trace_panel import NEWEST_AT, TracePanel, trace_window
from explorer.views.controller import Controller
from explorer.views.snapshot import LaneView


def _looks(strips: list[Strip]) -> list[list[tuple[str, Style | None]]]:
    """How ``strips`` look: each segment's characters and style, without the style's meta
    (Textual's selection offsets)."""
    return [[(seg.text, seg.style and seg.style.clear_meta_and_links()) for seg in strip]
            for strip in strips]


def _grid(lanes: list[LaneView], code_rows: int) -> Table:
    """The lanes as the panel drew them before: a Rich grid, a column per lane."""
    grid = Table.grid(padding=(0, 1), expand=True)
    for _ in lanes:
        grid.add_column(ratio=1, overflow="ellipsis", no_wrap=True)
    grid.add_row(*(Group(*lane_lines(ln, code_rows)) for ln in lanes))
    return grid


def _cells(renderable: object, width: int) -> list[list[tuple[str, Style]]]:
    """Each line as (character, style) pairs: how it looks, whatever the segments' split."""
    console = Console(width=width, color_system="truecolor", force_terminal=True)
    lines = Segment.split_lines(console.render(renderable, console.options))  # type: ignore[arg-type]
    return [[(ch, seg.style or Style()) for seg in line for ch in seg.text] for line in lines]


@pytest.mark.parametrize("gap", [1, 2])
@pytest.mark.parametrize("width", [20, 57, 78, 158])
def test_side_by_side_looks_like_a_grid(gap: int, width: int) -> None:
    """The bar's "ran"/"next" line (gap 2) and the lanes (gap 1): short, exact and long texts,
    styled, in columns of a grid with ``padding=(0, gap)``."""
    texts = [Text("▷ ran ", style="green") + Text("sort: ", style="italic")
             + Text("while (b != a && cmp(&ids[a], &ids[b]) >= 0)", style="green"),
             Text("▶ next ", style="bold") + Text("b = (b - 1) / 2;"),
             Text("x" * (width // 2 - gap)), Text("")]
    for left, right in [(texts[0], texts[1]), (texts[2], texts[0]), (texts[3], texts[2])]:
        grid = Table.grid(padding=(0, gap), expand=True)
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        grid.add_row(left, right)
        ours = side_by_side([[left], [right]], width, gap)
        assert len(ours) == 1 and ours[0].cell_len == width
        assert _cells(ours[0], width) == _cells(grid, width)


@pytest.mark.parametrize(("scenario", "schedule"), [
    ("module_race", "L4V7L30"), ("boot_tcp", "B150"), ("module_race", ""),
    ("two_verifiers", "")])
@pytest.mark.parametrize("width", [40, 76, 93, 117])
def test_lanes_text_looks_like_the_grid(scenario: str, schedule: str, width: int) -> None:
    c = Controller(scenario)
    if schedule:
        c.load_schedule(schedule)
    lanes = [ln for ln in c.snapshot().lanes if not (ln.daemon and ln.line < 0)]
    assert _cells(lanes_text(lanes, width, 12), width) == _cells(_grid(lanes, 12), width)


def test_a_step_redraws_only_the_panels_it_changed() -> None:
    app = ExplorerApp(scenario="boot_tcp", exit_after_paint=False)

    async def main() -> None:
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            m = app.main_screen
            panels = {type(p): p for p in m.query(SnapshotView)}
            assert HappenedBar in panels and len(panels) == 6
            assert RaceStrip not in panels  # presenter mode's race strip: made when first shown
            before = {k: p.draws for k, p in panels.items()}
            await pilot.press("b")
            await pilot.pause()
            after = {k: p.draws for k, p in panels.items()}
            # boot_tcp has no modules: that panel is not drawn again
            assert after[ModulesPanel] == before[ModulesPanel]
            # the thread moved and the trace grew: drawn once more each
            assert after[LanesPanel] == before[LanesPanel] + 1
            assert after[TracePanel] == before[TracePanel] + 1
            assert after[HappenedBar] == before[HappenedBar] + 1
            table = panels[TablePanel].draws
            m.refresh_view()  # the same snapshot again: nothing is drawn
            await pilot.pause()
            assert {k: p.draws for k, p in panels.items()} == after
            assert panels[TablePanel].draws == table

    asyncio.run(main())


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_lines_repainted_alone_show_what_a_whole_repaint_shows(size: tuple[int, int]) -> None:
    """A step repaints only the lines of a panel that changed; the screen must then be what
    repainting every widget whole gives (a line left stale would show here): every 20 steps,
    right after each jump of the trace's window, and after steps back across it."""
    app = ExplorerApp(scenario="boot_tcp", exit_after_paint=False)

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            m = app.main_screen
            jumped = 0
            for n, key in enumerate(["b"] * 60 + ["comma"] * 12):
                if n == 30 and size[0] < 120:  # narrow: the threads first, then the trace
                    m.active_panel = "trace"
                    await pilot.pause()
                trace = next(iter(m.query(TracePanel)), None)
                top = trace._top if trace is not None and trace.display else None
                await pilot.press(key)
                await pilot.pause()
                if top is not None and trace is not None and trace._top != top:
                    jumped += 1
                elif n % 20 != 19:
                    continue
                partial = app.export_screenshot()
                for widget in app.screen.walk_children():
                    widget.refresh()
                await pilot.pause()
                assert app.export_screenshot() == partial, f"after {n + 1} keys"
            assert jumped >= 2

    asyncio.run(main())


@pytest.mark.parametrize("scenario", ["boot_tcp", "module_race"])
def test_the_bar_keeps_its_height_at_its_width(scenario: str) -> None:
    """The what-just-happened bar never shrinks below three lines once it needed them while the
    width stays (a bar that followed each step's wrapping moved every panel under it, and laid
    out the screen, on a third of the steps at 80 columns); a step that needs four lines grows
    it for that step only."""
    app = ExplorerApp(scenario=scenario, exit_after_paint=False)

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            m = app.main_screen
            bar = m.query_one(HappenedBar)
            heights = [bar.region.height]
            for _ in range(60):
                letter = next(iter(m.snap.runnable), None)
                if letter is None:
                    break
                await pilot.press(letter.lower())
                await pilot.pause()
                heights.append(bar.region.height)
            steady = [min(h, 3) for h in heights]
            assert steady == sorted(steady) and heights[0] >= 2, heights
            assert max(heights) <= 4
            after_four = [b for a, b in itertools.pairwise(heights) if a == 4]
            assert all(h in (3, 4) for h in after_four), heights

    asyncio.run(main())


def test_rows_kept_from_earlier_steps_draw_as_rows_drawn_afresh() -> None:
    """The threads and trace panels keep each row's strips from the step before (by content);
    after many steps they must look as drawing every row afresh does (characters and styles:
    Textual's selection offsets depend on which cells were rendered together)."""
    app = ExplorerApp(scenario="boot_tcp", exit_after_paint=False)

    async def main() -> None:
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            m = app.main_screen
            panels = [m.query_one(LanesPanel), m.query_one(TracePanel)]
            for _ in range(40):
                await pilot.press("b")
                await pilot.pause()
            for panel in panels:
                width = panel.size.width
                kept = panel._strips(width)
                assert len(panel._row_cache) > 1  # drawn as rows, some kept
                panel._row_cache = {}
                panel._lines = None
                assert _looks(panel._strips(width)) == _looks(kept), type(panel).__name__

    asyncio.run(main())


def test_the_array_panel_keeps_its_height_through_one_sort() -> None:
    """The heapsort's wrapped array line and its tree change height from step to step; in the
    wide layout the panel takes the column's rest (it shows the array, the tree as fits), so
    its bottom and the panels under it stay put through the sort."""
    app = ExplorerApp(scenario="boot_tcp", exit_after_paint=False)

    async def main() -> None:
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            m = app.main_screen
            array = m.query_one("#array")
            heights = []
            for _ in range(100):
                await pilot.press("b")
                await pilot.pause()
                if m.snap.array is not None:
                    heights.append((array.region.bottom, m.query_one("#modules").region.y))
            assert len(heights) > 50
            assert len(set(heights)) == 1, heights

    asyncio.run(main())


@given(top=st.none() | st.integers(-5, 300), oldest=st.integers(1, 100),
       span=st.integers(0, 250), rows=st.integers(1, 40))
def test_the_trace_window_shows_the_current_step(top: int | None, oldest: int, span: int,
                                                 rows: int) -> None:
    """Whatever the window was before, the current (newest) step is in it and nothing before
    the oldest step kept; all the steps from the first when they fit; the window stays put
    while the current step is in it; otherwise it jumps so that the step stands two-thirds
    down."""
    newest = oldest + span
    got = trace_window(top, oldest, newest, rows)
    assert oldest <= got <= newest < got + rows
    if span < rows:
        assert got == oldest
    elif top is not None and oldest <= top <= newest < top + rows:
        assert got == top
    else:
        assert got == max(oldest, newest - round((rows - 1) * NEWEST_AT))


@pytest.mark.parametrize("rows", [1, 2, 6, 16])
def test_the_trace_window_jumps_every_third_of_a_window(rows: int) -> None:
    """Step by step from the first step: the window starts at the first step, then moves only
    when the newest step would leave it, and then by about a third of its rows (a step writes
    one row, not all of them)."""
    top = None
    tops = []
    for newest in range(1, 200):
        top = trace_window(top, 1, newest, rows)
        tops.append(top)
    jumps = [b - a for a, b in itertools.pairwise(tops) if b != a]
    assert tops[:rows] == [1] * rows
    step = rows - round((rows - 1) * NEWEST_AT)  # the rows left free below the newest, plus 1
    assert jumps and all(j == step for j in jumps), jumps
    assert len(jumps) == (199 - (rows + 1)) // step + 1


async def _shown(app: ExplorerApp, pilot: Pilot[None], panel: str) -> MainScreen:
    """The main screen with ``panel`` shown (its tab, in the narrow layout)."""
    await pilot.pause()
    m = app.main_screen
    if app.size.width < 120:
        m.active_panel = panel
        await pilot.pause()
    return m


def _trace_rows(panel: TracePanel) -> list[str]:
    return [s.text.rstrip() for s in panel._strips(panel.size.width)]


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_the_trace_stays_put_and_says_what_is_above(size: tuple[int, int]) -> None:
    """Stepping: a row, once drawn, stays on its line until the window jumps, and the jump
    leaves the newest step two-thirds down; the highlighted row is always the current step and
    the border counts the steps above. Stepping back past the window's top, and jumping to the
    start and the end, show the current step too."""
    app = ExplorerApp(scenario="boot_tcp", exit_after_paint=False)

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            m = await _shown(app, pilot, "trace")
            panel = m.query_one(TracePanel)

            def check() -> list[str]:
                rows = _trace_rows(panel)
                step = m.snap.step
                if step:
                    current = [y for y, r in enumerate(rows) if r.lstrip().startswith(f"{step} ")]
                    assert len(current) == 1, (step, rows)
                    line = panel._strips(panel.size.width)[current[0]]
                    assert any(seg.style and seg.style.reverse for seg in line), step
                    first = int(rows[0].split()[0])
                    above = f"↑ {first - 1} line{'s' * (first > 2)} above" if first > 1 else None
                    assert panel.border_subtitle == above, (panel.border_subtitle, first)
                return rows

            def where(rows: list[str]) -> dict[int, int]:  # step index -> line
                return {int(r.split()[0]): y for y, r in enumerate(rows)
                        if r.split() and r.split()[0].isdigit()}

            before = where(check())
            jumps = 0
            for _ in range(45):
                await pilot.press("b")
                await pilot.pause()
                now = where(check())
                if before and min(now) == min(before):  # stayed put: every row on its line
                    assert all(now[k] == y for k, y in before.items()), (before, now)
                elif before:  # jumped: the current step two-thirds down the rows
                    jumps += 1
                    head = min(now.values())
                    rows = panel.size.height - head
                    assert now[m.snap.step] - head == round((rows - 1) * NEWEST_AT), now
                before = now
            assert 1 <= jumps <= 45 // 3
            for key in ["comma"] * 25 + ["home", "end", "full_stop"]:
                await pilot.press(key)
                await pilot.pause()
                check()

    asyncio.run(main())


def test_a_lane_that_did_not_change_is_not_rendered_again() -> None:
    """The lanes are kept per cell: when one thread steps, the cells of a lane that did not
    change are the strips drawn before, although every row they share with it is new."""
    app = ExplorerApp(scenario="module_race", exit_after_paint=False)

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            m = app.main_screen
            panel = m.query_one(LanesPanel)
            checked = 0
            for _ in range(12):
                before = {ln.letter: ln for ln in m.snap.lanes}
                cache = dict(panel._row_cache)
                await pilot.press("l")
                await pilot.pause()
                if before["V"] != next(ln for ln in m.snap.lanes if ln.letter == "V"):
                    continue
                rows = [r for r in panel._row_cache if isinstance(r, tuple)
                        and r and isinstance(r[0], tuple) and r[0][:1] == ("cell",)]
                assert rows
                for cells in rows:
                    if not cells[1][1][0].strip():
                        continue  # blank under the lane's end: the other lane grew
                    assert cells[1] in cache and panel._row_cache[cells[1]] is cache[cells[1]]
                checked += 1
            assert checked > 5

    asyncio.run(main())


def test_a_panel_not_drawn_again_shows_what_drawing_afresh_shows() -> None:
    """A panel draws again only when its view key changes (the table's leaves out the IDs of
    the cells it does not list, which a sort reorders on every swap): after every step, each
    panel's lines must be those drawing the current snapshot afresh gives."""
    app = ExplorerApp(scenario="boot_tcp", exit_after_paint=False)

    async def main() -> None:
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            m = app.main_screen
            panels = [p for p in m.query(SnapshotView) if not isinstance(p, LanesPanel)]
            skipped = 0
            for _ in range(120):
                draws = [p.draws for p in panels]
                await pilot.press("b")
                await pilot.pause()
                for panel, before in zip(panels, draws, strict=True):
                    if panel.draws != before:
                        continue
                    skipped += 1
                    width = panel.size.width
                    kept = panel._strips(width)
                    panel._lines = None
                    panel._generation += 1
                    assert panel._strips(width) == kept, (type(panel).__name__, m.snap.step)
            assert skipped > 120  # the table and the modules, most steps

    asyncio.run(main())


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_the_sort_rows_stay_on_their_lines_through_one_sort(size: tuple[int, int]) -> None:
    """The narration and the marked array wrap to more or fewer lines from step to step; each
    row keeps the most lines it has taken in one sort, so the legend and the tree under them
    stay on their lines, moving down only when a row first needs one more line (they moved
    up and down, and all were repainted, on a third of the steps)."""
    app = ExplorerApp(scenario="boot_tcp", exit_after_paint=False)

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            m = await _shown(app, pilot, "array")
            panel = m.query_one(ArrayPanel)
            legend: dict[object, list[int]] = {}
            for _ in range(150):
                await pilot.press("b")
                await pilot.pause()
                a = m.snap.array
                if a is None or a.kind != "sort":
                    continue
                rows = [s.text for s in panel._strips(panel.size.width)]
                at = [y for y, r in enumerate(rows) if r.startswith("*x* compared")]
                legend.setdefault(panel.steady_key(m.snap), []).extend(at)
            assert legend
            for ys in legend.values():
                assert ys == sorted(ys) and len(set(ys)) <= 3, ys

    asyncio.run(main())


def test_cells_rendered_together_look_like_cells_rendered_alone() -> None:
    """The cells a drawing lacks are rendered in one pass, a line each; every cell must look as
    it does rendered on its own (characters and styles; the selection offsets aside)."""
    app = ExplorerApp(scenario="module_race", exit_after_paint=False)

    async def main() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            panel = app.main_screen.query_one(LanesPanel)
            seen = 0
            for n in range(30):
                await pilot.press("v" if n % 3 == 0 else "l")
                await pilot.pause()
                drawn = panel.render()
                assert isinstance(drawn, Rows)
                for row in drawn.rows:
                    assert isinstance(row, tuple)
                    for cell in row:
                        kept = panel._row_cache[("cell", row_key(cell))]
                        alone = Visual.to_strips(panel, visualize(panel, cell, markup=False),
                                                 cell.cell_len, None, panel.visual_style)
                        assert _looks(kept) == _looks(alone), cell.plain
                        seen += 1
            assert seen > 500

    asyncio.run(main())


def test_the_mouse_wheel_scrolls_the_trace_back_until_the_next_move() -> None:
    """A presenter scrolls the trace back over the steps with the wheel: the window moves by
    three steps a turn, never past the oldest step kept or below the current one, the border
    counts the steps above, the screen is what a whole repaint shows; the next step shows the
    current step again."""
    app = ExplorerApp(scenario="boot_tcp", exit_after_paint=False)

    async def main() -> None:
        async with app.run_test(size=(160, 48)) as pilot:
            m = await _shown(app, pilot, "trace")
            panel = m.query_one(TracePanel)
            for _ in range(40):
                await pilot.press("b")
                await pilot.pause()

            def first() -> int:
                return int(_trace_rows(panel)[0].split()[0])

            def wheel(up: bool) -> None:
                kind = events.MouseScrollUp if up else events.MouseScrollDown
                panel.post_message(kind(panel, 2, 2, 0, 0, 0, False, False, False))

            top = first()
            assert top > 1
            wheel(up=True)
            await pilot.pause()
            assert first() == top - TracePanel.SCROLL_ROWS
            assert panel.border_subtitle == f"↑ {first() - 1} lines above"
            partial = app.export_screenshot()
            panel.refresh()
            await pilot.pause()
            assert app.export_screenshot() == partial
            for _ in range(30):
                wheel(up=True)
            await pilot.pause()
            assert first() == 1 and panel.border_subtitle is None
            for _ in range(30):
                wheel(up=False)
            await pilot.pause()
            rows = _trace_rows(panel)
            assert rows[-1].split()[0] == str(m.snap.step)  # no further than the current step
            wheel(up=True)
            await pilot.pause()
            await pilot.press("b")
            await pilot.pause()
            assert any(r.split()[:1] == [str(m.snap.step)] for r in _trace_rows(panel))
            # where the window would be had it not been scrolled
            assert first() == trace_window(top, 1, m.snap.step, panel._rows)

    asyncio.run(main())
