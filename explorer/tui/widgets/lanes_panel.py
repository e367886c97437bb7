"""One lane per thread: its kernel function as pseudo-C with the line about to run."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

from rich.console import RenderableType
from rich.text import Text

from explorer.tui.widgets.columns import column_widths, fit_column, join_cells, line_up
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


def window_start(start: int | None, line: int, length: int, rows: int) -> int:
    """The first line of a ``rows``-line code window over a listing of ``length`` lines, whose
    line about to run is ``line``, when the window began at ``start`` before (``None``: it has
    not shown this function yet).

    Like gdb's TUI source window, the window stays where it is while ``line`` is inside it with
    one line of context under it (when the listing has a line under it), so that a step
    repaints the two lines whose markers moved, not the whole listing. Otherwise (a jump, a
    call, time travel to elsewhere) it is anchored afresh with ``line`` a third of the way down;
    but a line above the window (a loop's back edge, a step back) comes one line from the top,
    so that a loop body that fits the window shows whole and the window stays for the next
    round (a third down, heapsort's loop in ``sort()`` flipped the window twice a round).
    A window is never past the listing's end when the listing could fill it. With no line to
    follow (``line`` < 0), the window stays, clamped."""
    rows = max(1, rows)
    last = max(0, length - rows)
    kept = None if start is None else min(max(0, start), last)
    if not 0 <= line < length:
        return kept or 0
    below = 1 if line < length - 1 and rows > 1 else 0
    if kept is not None and kept <= line and line + below < kept + rows:
        return kept
    if kept is not None and line < kept:
        return max(0, min(line - (1 if rows >= 3 else 0), last))
    return max(0, min(line - rows // 3, last))


def frame_key(lane: LaneView) -> Hashable:
    """What a lane's code window follows: one call of one function (a call, a return, or
    another thread's function anchors the window afresh)."""
    return (lane.func, lane.file, lane.stack)


def code_window(lane: LaneView, rows: int, start: int | None = None) -> list[Text]:
    """At most ``rows`` lines of the listing from ``start`` (see :func:`window_start`; by
    default anchored afresh): ``▶`` the line it runs next, ``▷`` the line its last step executed
    (when that step was this thread's)."""
    lines = [ln.replace("\t", "  ") for ln in lane.lines]
    if not lines:
        return []
    rows = max(1, rows)
    start = window_start(start, lane.line, len(lines), rows)
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


def lane_lines(lane: LaneView, code_rows: int, start: int | None = None) -> list[Text]:
    """The lines of a lane: header, function, code window (from ``start``, see
    :func:`code_window`), stack and variables; dimmed when the thread cannot step."""
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
    items: list[Text] = [head, func, *code_window(lane, code_rows, start), stack, vars_]
    if not lane.runnable and not lane.done:
        items = [_dim(x) for x in items]
    return items


def lanes_text(lanes: list[LaneView], width: int, code_rows: int,
               starts: Sequence[int | None] | None = None) -> Text:
    """The lanes side by side in ``width`` columns, as one text of whole lines (see
    :func:`lanes_rows`)."""
    return Text("\n", no_wrap=True, overflow="crop", end="").join(
        join_cells(cells) for cells in lanes_rows(lanes, width, code_rows, starts))


CellsOf = Callable[[LaneView, int, "int | None", int, int], list[Text]]
"""(lane, code rows, window start, column width, gap) -> the lane's column of cells."""


def lane_cells(lane: LaneView, code_rows: int, start: int | None, width: int,
               gap: int) -> list[Text]:
    """A lane's lines (:func:`lane_lines`) as a column's cells ``width`` wide, ``gap`` blank
    cells after each (see :func:`~explorer.tui.widgets.columns.fit_column`)."""
    return fit_column(lane_lines(lane, code_rows, start), width, gap)


def lanes_rows(lanes: list[LaneView], width: int, code_rows: int,
               starts: Sequence[int | None] | None = None,
               cells: CellsOf = lane_cells) -> list[tuple[Text, ...]]:
    """The lanes side by side in ``width`` columns, one column each, a line each as its cells
    (together exactly ``width`` cells, laid out as
    :func:`~explorer.tui.widgets.columns.side_by_side_cells` lays them out); lane ``k``'s code
    window from ``starts[k]`` (default: anchored afresh); ``cells`` makes a lane's column."""
    at = list(starts) if starts is not None else [None] * len(lanes)
    widths = column_widths(len(lanes), width, 1)
    return line_up([cells(lane, code_rows, start, w, gap)
                    for lane, start, (w, gap) in zip(lanes, at, widths, strict=True)], widths)


class LanesPanel(SnapshotPanel):
    """Threads side by side (you are the scheduler: press a lane's letter to step it)."""

    PANEL_TITLE = "threads"

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._windows: dict[str, tuple[Hashable, int]] = {}
        """Per lane letter: the call its code window shows (:func:`frame_key`) and the window's
        first line, as last drawn (see :func:`window_start`)."""
        self._before: dict[str, tuple[Hashable, int]] = {}
        """:attr:`_windows` as the moment before this one left them: a moment drawn again (at
        another height: a layout after a step) starts from these, not from its own first
        drawing, so each window depends only on the moments shown and the panel's height."""
        self._moment: tuple[LaneView, ...] | None = None
        self._cells: dict[str, tuple[Hashable, list[Text]]] = {}
        """Per lane letter: its column of cells as last drawn, and what it was drawn from (a
        lane that did not change is not laid out again when the lane beside it stepped)."""

    def view_key(self, snap: Snapshot) -> Hashable:
        """The lanes (each thread's line, stack and variables)."""
        return snap.lanes

    def draw(self, snap: Snapshot) -> RenderableType:
        """All lanes in columns; the code window fits the panel height."""
        if snap.lanes != self._moment:
            self._moment = snap.lanes
            self._before = dict(self._windows)
        lanes = [ln for ln in snap.lanes if not (ln.daemon and ln.line < 0)]
        if len(lanes) > 1 and self.inner_width // len(lanes) < MIN_LANE_WIDTH:
            # too narrow for columns (a lesson beside three panels): one lane under the other,
            # each line readable, the rows shared
            rows = max(3, (self.inner_height - len(lanes) * (HEADER_ROWS + 1)) // len(lanes))
            width = self.inner_width
            lines = []
            for ln in lanes:
                for line in lane_lines(ln, rows, self._follow(ln, rows)):
                    if line.plain.strip():
                        line = line.copy()
                        line.truncate(width, overflow="ellipsis")
                        lines.append(line)
            return Rows(lines)
        code_rows = max(3, self.inner_height - HEADER_ROWS - 1)
        starts = [self._follow(ln, code_rows) for ln in lanes]
        return Rows(lanes_rows(lanes, self.inner_width, code_rows, starts, self._lane_cells))

    def _lane_cells(self, lane: LaneView, code_rows: int, start: int | None, width: int,
                    gap: int) -> list[Text]:
        """:func:`lane_cells`, kept from the last drawing while the lane and its window stay
        the same."""
        key = (lane, code_rows, start, width, gap)
        was = self._cells.get(lane.letter)
        if was is not None and was[0] == key:
            return was[1]
        got = lane_cells(lane, code_rows, start, width, gap)
        self._cells[lane.letter] = (key, got)
        return got

    def _follow(self, lane: LaneView, rows: int) -> int:
        """Where ``lane``'s code window of ``rows`` lines begins now: where it was while the
        line about to run stays inside it and the lane is in the same call, else anchored
        afresh (:func:`window_start`). Stepping, going back or jumping all follow this rule, so
        the window depends only on the moments drawn, in order."""
        key = frame_key(lane)
        was = self._before.get(lane.letter)
        start = window_start(was[1] if was is not None and was[0] == key else None,
                             lane.line, len(lane.lines), rows)
        self._windows[lane.letter] = (key, start)
        return start
