"""What a step redraws: only the panels whose part of the snapshot changed, and the lanes drawn
without a Rich table look exactly as the table drew them.

(How long a frame takes is printed by benchmarks/bench_tui.py, never asserted here.)
"""

from __future__ import annotations

import asyncio
import itertools

import pytest
from rich.console import Console, Group
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from explorer.tui.app import ExplorerApp
from explorer.tui.widgets.columns import side_by_side
from explorer.tui.widgets.happened_bar import HappenedBar
from explorer.tui.widgets.lanes_panel import LanesPanel, lane_lines, lanes_text
from explorer.tui.widgets.modules_panel import ModulesPanel
from explorer.tui.widgets.panel import SnapshotView
from explorer.tui.widgets.race_strip import RaceStrip
from explorer.tui.widgets.table_panel import TablePanel
from explorer.tui.widgets.trace_panel import TracePanel
from explorer.views.controller import Controller
from explorer.views.snapshot import LaneView


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
    repainting every widget whole gives (a line left stale would show here)."""
    app = ExplorerApp(scenario="boot_tcp", exit_after_paint=False)

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            for n in range(60):
                await pilot.press("b")
                await pilot.pause()
                if n % 20 != 19:
                    continue
                partial = app.export_screenshot()
                for widget in app.screen.walk_children():
                    widget.refresh()
                await pilot.pause()
                assert app.export_screenshot() == partial, f"after {n + 1} steps"

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
    after many steps they must be what drawing every row afresh gives."""
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
                assert panel._strips(width) == kept, type(panel).__name__

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
