"""The steps taken, thread outcomes and invariant violations.

The rows stay put while the steps fit (as a debugger's code window does): a step writes one new
row and moves the highlight, not every row. When the newest step falls off the bottom the
window jumps, once, so that it stands about two-thirds down (:func:`trace_window`), and the
border says how many steps are above. The mouse wheel scrolls the window by hand (a presenter
going back over the steps); the next move shows the current step again.
"""

from __future__ import annotations

from collections.abc import Hashable

from rich.console import RenderableType
from rich.text import Text
from textual import events

from explorer.tui.widgets.panel import Rows, SnapshotPanel
from explorer.views.snapshot import Snapshot, TraceEntry


def outcome_text(snap: Snapshot) -> Text:
    """``outcome: loader OK, verifier ENXIO`` (final once every thread ended)."""
    t = Text()
    if not snap.outcome:
        return t
    t.append("outcome: " if snap.terminal else "results so far: ", style="bold")
    for k, (name, res) in enumerate(snap.outcome):
        if k:
            t.append(", ")
        t.append(f"{name} ")
        t.append(res, style="bold green" if res == "OK" else "bold red")
    return t


def middle_cut(text: str, width: int) -> str:
    """``text`` in ``width`` columns, cut in the middle (``…``): the end of a step's summary is
    its result (``: <``, ``-ENXIO``, ``= kmalloc#1``), which must never be what is cut."""
    if len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    tail = min(len(text), max(8, (width - 1) * 2 // 5))
    head = max(0, width - 1 - tail)
    return text[:head] + "…" + text[len(text) - tail:]


def trace_row(e: TraceEntry, width: int) -> Text:
    """One step in ``width`` columns: index, thread, where, and the summary cut in its middle
    (then the function name), so that the result at its end always shows."""
    result = f"  → {e.finished}" if e.finished is not None else ""
    where = f"{e.func}:{e.pc} "
    summary = " ".join(e.summary.split())
    room = width - 7 - len(result)
    if len(where) + len(summary) > room:  # the summary first; ``where`` shrinks to its label
        where = f"{e.pc} " if len(summary) + len(e.pc) + 1 <= room else ""
    t = Text(no_wrap=True, overflow="crop")
    t.append(f"{e.index:4} ", style="dim")
    t.append(f"{e.letter} ", style="bold cyan")
    t.append(where, style="italic")
    t.append(middle_cut(summary, max(4, room - len(where))))
    if result:
        t.append(result, style="bold")
    return t


NEWEST_AT = 2 / 3
"""Where the newest step stands after a jump: two-thirds down, the rest left for the next
steps."""


def trace_window(top: int | None, oldest: int, newest: int, rows: int) -> int:
    """The index of the first step shown in ``rows`` rows when the trace holds the steps
    ``oldest`` to ``newest`` (the current one) and the window started at ``top`` before (None:
    nothing shown yet).

    All the steps, from the first, when they fit. Otherwise the window stays where it was while
    the current step is in it (a step forward writes the row under the last one; a step back
    clears the bottom row); when the current step leaves it, forward or back, or the window
    starts before the oldest step kept, it jumps so that the current step stands
    :data:`NEWEST_AT` down (never above ``oldest``)."""
    rows = max(1, rows)
    if newest - oldest < rows:
        return oldest
    if top is not None and oldest <= top <= newest < top + rows:
        return top
    return max(oldest, newest - round((rows - 1) * NEWEST_AT))


class TracePanel(SnapshotPanel):
    """The steps in a window that stays put while they fit (see :func:`trace_window`); the last
    step highlighted."""

    PANEL_TITLE = "trace"

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._top: int | None = None
        """The first step of the window that follows the current step (None before the first
        step); a scroll by hand leaves it, so the next move goes back to it."""
        self._shown_top: int | None = None
        """The first step shown: :attr:`_top`, or where the window was scrolled by hand."""
        self._rows = 0
        """How many steps the last drawing had room for."""
        self._by_hand: int | None = None
        """The first step shown while the window is scrolled by hand (None: it follows the
        current step)."""

    SCROLL_ROWS = 3
    """Steps a turn of the mouse wheel scrolls."""

    def show(self, snap: Snapshot | None) -> None:
        """Draw ``snap``; a move (a new trace) ends a scroll by hand: the current step shows."""
        if snap is None or self.view_key(snap) != self._key:
            self._by_hand = None
        super().show(snap)

    def scroll_steps(self, delta: int) -> None:
        """Scroll the window by ``delta`` steps (up when negative), within the steps the
        snapshot keeps; it stays there until the next move."""
        snap = self.snapshot
        if snap is None or not snap.trace or self._shown_top is None:
            return
        oldest, newest = snap.trace[0].index, snap.trace[-1].index
        last = max(newest - self._rows + 1, self._top or oldest)  # down to the current step
        top = max(oldest, min(self._shown_top + delta, last))
        if top == self._shown_top:
            return
        self._by_hand = None if top == self._top else top
        self.redraw()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        """The wheel up: earlier steps."""
        event.stop()
        self.scroll_steps(-self.SCROLL_ROWS)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        """The wheel down: later steps, back to the current one."""
        event.stop()
        self.scroll_steps(self.SCROLL_ROWS)

    def view_key(self, snap: Snapshot) -> Hashable:
        """The steps taken, the outcome and the violations."""
        return (snap.trace, snap.last, snap.outcome, snap.terminal, snap.violations)

    def draw(self, snap: Snapshot) -> RenderableType:
        """Violations and outcome first, then as much trace as fits."""
        head: list[Text] = []
        for inv, msg in snap.violations:
            head.append(Text(f"⚠ {inv}: {msg}", style="bold white on red"))
        out = outcome_text(snap)
        if out:
            head.append(out)
        if snap.terminal:
            head.append(Text("■ terminal: every thread has ended", style="bold"))
        rows = max(1, self.inner_height - len(head) - sum(
            len(t.plain) // max(1, self.inner_width) for t in head))
        lines: list[Text] = []
        width = self.inner_width
        trace = snap.trace
        if trace:
            self._top = trace_window(self._top, trace[0].index, trace[-1].index, rows)
            self._rows = rows
            self._shown_top = self._top if self._by_hand is None else self._by_hand
            shown = trace[self._shown_top - trace[0].index:][:rows]
        else:
            self._top = self._shown_top = None
            shown = ()
        self.skipped_above = shown[0].index - 1 if shown else 0
        for e in shown:
            t = trace_row(e, width)
            if snap.last is not None and e.index == snap.last.index:
                t.stylize("reverse")
            lines.append(t)
        if not lines:
            k = snap.keys
            lines.append(Text(f"no steps yet: press a thread's letter to step it; "
                              f"{k.one('pick_lesson')} opens the lessons, {k.one('help')} lists "
                              "every key", style="dim"))
        return Rows([*head, *lines])
