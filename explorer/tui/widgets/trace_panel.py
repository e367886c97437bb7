"""The steps taken, thread outcomes and invariant violations."""

from __future__ import annotations

from collections.abc import Hashable

from rich.console import RenderableType
from rich.text import Text

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


class TracePanel(SnapshotPanel):
    """The newest steps at the bottom; the last step highlighted."""

    PANEL_TITLE = "trace"

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
        for e in snap.trace[-rows:]:
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
