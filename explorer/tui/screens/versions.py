"""The registry through time: one scenario side by side in several kernels, and what changed."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from explorer.tui.screens.modal import Modal
from explorer.tui.text import plain
from explorer.tui.widgets.table_panel import kfunc_list_renderable, table_renderable
from explorer.views.actions import DEFAULT_KEYS, Keys
from explorer.views.history import YEARS_LATER, Column, history, side_by_side


def column_renderable(c: Column) -> RenderableType:
    """One version: its label and position, its tables, its last steps."""
    s = c.snapshot
    head = Text()
    head.append(f" {c.label} ", style="bold reverse")
    head.append(f" {c.scenario} on linux {s.kernel}, schedule {c.schedule or '—'} "
                f"(step {s.step})", style="bold")
    parts: list[RenderableType] = [head]
    parts.extend(table_renderable(t, False) for t in s.tables)
    parts.extend(kfunc_list_renderable(kl) for kl in s.kfunc_lists)
    for t in s.trace[-3:]:
        parts.append(Text(f"  {t.index} {t.letter} {t.summary}", style="dim",
                          overflow="ellipsis", no_wrap=True))
    return Group(*parts)


def history_renderable() -> RenderableType:
    """What changed, snapshot by snapshot, with where each fact was read."""
    t = Table(title="the registry's shape through time", expand=True, show_lines=True)
    for col in ("kernel", "hooks", "limit", "a cell holds", "lookup", "read in"):
        t.add_column(col, overflow="fold")
    for h in history():
        kernel = h.kernel + ("" if h.pinned else " (release not pinned)")
        t.add_row(kernel, h.hooks, h.limit, h.cell, h.lookup, h.source)
    return t


class VersionsScreen(Modal[None]):
    """Lesson 10's side-by-side view: tcp_cubic's registration in v5.16, v5.18 and 6.17."""

    DEFAULT_CSS = """
    VersionsScreen #versions-box {
        width: 96%;
        height: 94%;
        border: round $accent;
        border-title-color: $accent;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "close"),
    ]

    def __init__(self, keys: Keys = DEFAULT_KEYS) -> None:
        super().__init__()
        self.keys = keys
        """How the hint names the version picker's key (the user's keymap)."""

    def compose(self) -> ComposeResult:
        """Three columns when the screen is wide, stacked otherwise; then the history."""
        cols = side_by_side(YEARS_LATER)
        grid = Table.grid(padding=(0, 2), expand=True)
        wide = self.app.size.width >= 150
        if wide:
            for _ in cols:
                grid.add_column(ratio=1)
            grid.add_row(*(column_renderable(c) for c in cols))
        else:
            grid.add_column()
            for c in cols:
                grid.add_row(column_renderable(c))
        with VerticalScroll(id="versions-box") as box:
            box.border_title = "the same table, years later"
            yield Static(grid)
            yield Static(history_renderable())
            yield Static(plain(f"Esc closes.  {self.keys.one('pick_kernel')} switches the "
                               "open scenario's kernel version."),
                         classes="hint")

    async def action_dismiss(self, result: None = None) -> None:
        """Close."""
        if self.is_current:
            self.dismiss(None)
