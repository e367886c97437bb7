"""Issue 10 (lesson 08): the TUI's table names the kfunc beside each ID of the cell just written,
where the screen has rows to spare; a small screen keeps the one line of IDs."""

from __future__ import annotations

import io

from rich.console import Console
from textual.pilot import Pilot

from explorer.tui.app import ExplorerApp
from explorer.tui.widgets.table_panel import NAMES_MIN_HEIGHT
from explorer.views.snapshot import CellView
from tests.conftest import drive


def _table_text(app: ExplorerApp) -> str:
    panel = app.main_screen.panel("table")
    width = panel.content_region.width or 78
    console = Console(width=width, record=True, color_system=None, file=io.StringIO())
    console.print(panel.draw(app.main_screen.snap))
    return console.export_text()


async def _at_the_last_write(app: ExplorerApp, pilot: Pilot[int]) -> tuple[str, CellView]:
    """boot_tcp at B512: the fourth STRUCT_OPS registration has just set cnt = 25. The table as
    drawn, and the cell just written."""
    m = app.main_screen
    m.controller.load_schedule("B512")
    m.refresh_view()
    await pilot.pause()
    cell = next(c for tv in m.snap.tables for row in tv.rows for c in row if c.highlight and c.ids)
    return _table_text(app), cell


def test_a_tall_screen_names_the_written_cells_kfuncs() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        text, cell = await _at_the_last_write(app, pilot)
        assert (cell.hook, cell.type, len(cell.ids)) == ("STRUCT_OPS", "CHECK", 25)
        i, name = cell.labelled()[0]
        assert f"{i} {name}" in text, text
        assert "+18 more" in text  # 4 lines of 2 columns: 7 named, then the count of the rest

    drive(body, size=(200, NAMES_MIN_HEIGHT + 20), scenario="boot_tcp")


def test_a_small_screen_keeps_one_line_of_ids() -> None:
    async def body(app: ExplorerApp, pilot: Pilot[int]) -> None:
        text, cell = await _at_the_last_write(app, pilot)
        assert str(cell.ids[0]) in text and cell.labelled()[0][1] not in text

    drive(body, size=(80, 24), scenario="boot_tcp")


def test_a_v5_18_grid_at_40_columns_keeps_every_cell_whole() -> None:
    """QA at 120x34: the middle column gives the table 40 columns, the padded grid needs 46, and
    Rich cut every cell (`→mo…`) on the page that asks for nf_conntrack's [TC][RET_NULL] count.
    Narrower than the whole grid, the padding goes first."""
    from rich.console import Console

    from explorer.tui.widgets.table_panel import GRID_5_18_WIDTH, table_renderable
    from explorer.views import intents as it
    from explorer.views.controller import Controller

    c = Controller("module_race")
    snap = c.apply(it.Command.RUN_TO_END)
    module = next(tv for tv in snap.tables if tv.is_module)
    for width in (40, GRID_5_18_WIDTH - 1, GRID_5_18_WIDTH, 60):
        con = Console(width=width, record=True, color_system=None)
        con.print(table_renderable(module, module.freed_before, width))
        rows = [ln for ln in con.export_text().splitlines() if ln.startswith(("XDP", "TC "))]
        assert len(rows) == 2 and all("…" not in r and "→mod2=" in r for r in rows), (width, rows)
