"""What just happened (as Python Tutor shows it): the last step whole, with its result, the
line just executed, the next line, and the values the step changed."""

from __future__ import annotations

from collections.abc import Hashable

from rich.console import RenderableType
from rich.text import Text

from explorer.tui.widgets.columns import side_by_side
from explorer.tui.widgets.panel import Rows, SnapshotView
from explorer.views.snapshot import Happened, Snapshot

RAN = "▷"
"""Marks the line the last step executed (here and in the threads panel)."""
NEXT = "▶"
"""Marks the line a thread runs next."""
CHANGED_STYLE = "bold black on yellow"
"""Values the last step changed (here and in the threads panel)."""


def event_line(h: Happened) -> Text:
    """``step 16 · B boot: cmp ids[2]=106106 with ids[5]=106124: <  a 2→1`` — wraps, never cut:
    the events and the result come first."""
    t, r = Text(), h.step
    t.append(f"step {r.index} ", style="bold")
    t.append(f"{r.letter} ", style="bold cyan")
    t.append(f"{r.thread}: ", style="bold")
    t.append("; ".join(h.events) if h.events else (h.line or f"{r.func}:{r.pc}"))
    if r.finished is not None:
        t.append("  → returned ")
        t.append(r.finished, style="bold green" if r.finished == "OK" else "bold red")
    for name, old, new in h.changed:
        t.append("  ")
        t.append(f"{name} {old}→{new}" if old else f"{name}={new}", style=CHANGED_STYLE)
    return t


def code_row(h: Happened, width: int) -> Text:
    """The line just executed and the thread's next line, side by side in ``width`` cells (each
    cut, not wrapped: the threads panel shows them in full)."""
    ran = Text(f"{RAN} ran ", style="green")
    ran.append(f"{h.step.func}: ", style="italic")
    ran.append(h.line or h.step.pc, style="green")
    nxt = Text(f"{NEXT} next ", style="bold")
    if h.next_line:
        if h.next_func != h.step.func:
            nxt.append(f"{h.next_func}: ", style="italic")
        nxt.append(h.next_line)
    else:
        nxt.append("(the thread has ended)", style="dim")
    return side_by_side([[ran], [nxt]], width, 2)[0]


def happened_renderable(snap: Snapshot, width: int) -> Rows:
    """The bar's content for ``snap``, ``width`` cells wide."""
    h = snap.happened
    if h is None:
        return Rows([Text("step 0: nothing has run yet; a thread's letter steps it "
                          f"({snap.keys.one('help')} lists keys)", style="dim", no_wrap=True,
                          overflow="ellipsis")])
    return Rows([event_line(h), code_row(h, width)])


class HappenedBar(SnapshotView):
    """Two lines or more under the status line, redrawn after every move (that changed the last
    step: see :class:`SnapshotView`).

    Its height is steady (see :meth:`SnapshotView.steady_key`): it keeps the most lines it has
    needed at its width in the scene shown, two or three, blank at the bottom when a step's line
    is shorter. A bar that grew and shrank with each step's wrapping moved every panel under it up
    and down (at 80 columns a third of the steps did), and each move laid out the whole screen
    again. A step that needs four lines (1–15% of them at 80 columns) grows it for that step
    only: kept, a fourth line would cost the threads panel a row of code for the rest of the
    scene.
    """

    STEADY_MOST = 3

    DEFAULT_CSS = """
    HappenedBar { height: auto; min-height: 2; max-height: 4; padding: 0 1; background: $boost; }
    """

    def steady_key(self, snap: Snapshot) -> Hashable:
        """One height a scene (at one width): a scenario in one kernel under the same what-ifs,
        or one lesson page (a challenge opens its scenario). Kept for the whole session, one
        long step left blank rows under every later scene, and took them from the panels."""
        lesson = snap.lesson
        return (snap.scenario, snap.kernel, snap.options,
                None if lesson is None else (lesson.slug, lesson.index))

    def view_key(self, snap: Snapshot) -> Hashable:
        """The last step, and the scene (a new one may take fewer lines)."""
        return snap.happened, self.steady_key(snap)

    def draw(self, snap: Snapshot) -> RenderableType:
        """The last step, whole."""
        return happened_renderable(snap, self.inner_width)

    def placeholder(self) -> RenderableType:
        """Nothing before the first snapshot."""
        return ""
