"""One lane per thread: its kernel function as pseudo-C with the line about to run."""

from __future__ import annotations

from collections.abc import Hashable

from rich.console import RenderableType
from rich.text import Text

from explorer.tui.widgets.columns import side_by_side
from explorer.tui.widgets.happened_bar import CHANGED_STYLE, NEXT, RAN
from explorer.tui.widgets.panel import Rows, SnapshotPanel
from explorer.views.snapshot import LaneView, Snapshot

HEADER_ROWS = 4
"""Rows of a lane that are not code: header, function, stack, variables."""
MIN_LANE_WIDTH = 30
"""Below this many columns a lane, lanes stack instead of standing side by side."""


def lane_status(lane: LaneView) -> Text:
    """``▶ runnable``, ``■ blocked: why``, or ``✔ done: result``."""
    if lane.done or (lane.result is not None and not lane.daemon):
        return Text(f"✔ done: {lane.result}", style="bold green" if lane.result == "OK"
                    else "bold red")
    if lane.runnable:
        return Text("▶ runnable", style="bold green")
    return Text(f"■ {lane.blocked_reason or 'blocked'}", style="dim")


def code_window(lane: LaneView, rows: int) -> list[Text]:
    """At most ``rows`` lines of the listing, keeping the current line in view: ``▶`` the line
    it runs next, ``▷`` the line its last step executed (when that step was this thread's)."""
    lines = [ln.replace("\t", "  ") for ln in lane.lines]
    if not lines:
        return []
    rows = max(1, rows)
    cur = lane.line if lane.line >= 0 else 0
    start = max(0, min(cur - rows // 3, len(lines) - rows))
    out: list[Text] = []
    for k in range(start, min(len(lines), start + rows)):
        if k == lane.line:
            out.append(Text(NEXT + lines[k], style="bold reverse", overflow="ellipsis",
                            no_wrap=True))
        elif k == lane.prev_line:
            out.append(Text(RAN + lines[k], style="green", overflow="ellipsis", no_wrap=True))
        else:
            out.append(Text(" " + lines[k], overflow="ellipsis", no_wrap=True))
    return out


def _dim(t: Text) -> Text:
    """A dimmed copy of ``t``."""
    d = t.copy()
    d.stylize("dim")
    return d


def lane_lines(lane: LaneView, code_rows: int) -> list[Text]:
    """The lines of a lane: header, function, code window, stack and variables; dimmed when
    the thread cannot step."""
    head = Text()
    head.append(f"[{lane.letter.lower()}] ", style="bold cyan")
    head.append(f"{lane.name} ", style="bold")
    head.append_text(lane_status(lane))
    func = Text(f"{lane.func}()  {lane.file}" if lane.func else "", style="italic",
                overflow="ellipsis", no_wrap=True)
    stack = Text("stack: " + " › ".join(lane.stack) if lane.stack else "", style="dim",
                 overflow="ellipsis", no_wrap=True)
    vars_ = Text(overflow="ellipsis", no_wrap=True)
    for n, (k, v) in enumerate(lane.vars):
        if n:
            vars_.append("  ")
        vars_.append(f"{k}={v}", style=CHANGED_STYLE if k in lane.changed else "dim")
    items: list[Text] = [head, func, *code_window(lane, code_rows), stack, vars_]
    if not lane.runnable and not lane.done:
        items = [_dim(x) for x in items]
    return items


def lanes_text(lanes: list[LaneView], width: int, code_rows: int) -> Text:
    """The lanes side by side in ``width`` columns, as one text of whole lines (see
    :func:`lanes_rows`)."""
    return Text("\n", no_wrap=True, overflow="crop", end="").join(
        lanes_rows(lanes, width, code_rows))


def lanes_rows(lanes: list[LaneView], width: int, code_rows: int) -> list[Text]:
    """The lanes side by side in ``width`` columns, one column each (see
    :func:`~explorer.tui.widgets.columns.side_by_side`), a text per line of exactly ``width``
    cells."""
    return side_by_side([lane_lines(lane, code_rows) for lane in lanes], width, 1)


class LanesPanel(SnapshotPanel):
    """Threads side by side (you are the scheduler: press a lane's letter to step it)."""

    PANEL_TITLE = "threads"

    def view_key(self, snap: Snapshot) -> Hashable:
        """The lanes (each thread's line, stack and variables)."""
        return snap.lanes

    def draw(self, snap: Snapshot) -> RenderableType:
        """All lanes in columns; the code window fits the panel height."""
        lanes = [ln for ln in snap.lanes if not (ln.daemon and ln.line < 0)]
        if len(lanes) > 1 and self.inner_width // len(lanes) < MIN_LANE_WIDTH:
            # too narrow for columns (a lesson beside three panels): one lane under the other,
            # each line readable, the rows shared
            rows = max(3, (self.inner_height - len(lanes) * (HEADER_ROWS + 1)) // len(lanes))
            width = self.inner_width
            lines = []
            for ln in lanes:
                for line in lane_lines(ln, rows):
                    if line.plain.strip():
                        line = line.copy()
                        line.truncate(width, overflow="ellipsis")
                        lines.append(line)
            return Rows(lines)
        code_rows = max(3, self.inner_height - HEADER_ROWS - 1)
        return Rows(lanes_rows(lanes, self.inner_width, code_rows))
