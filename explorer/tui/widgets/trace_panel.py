"""The steps taken, thread outcomes and invariant violations."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from explorer.tui.widgets.panel import SnapshotPanel
from explorer.views.snapshot import Snapshot


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


class TracePanel(SnapshotPanel):
    """The newest steps at the bottom; the last step highlighted."""

    PANEL_TITLE = "trace"

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
        for e in snap.trace[-rows:]:
            t = Text(overflow="ellipsis", no_wrap=True)
            t.append(f"{e.index:4} ", style="dim")
            t.append(f"{e.letter} ", style="bold cyan")
            t.append(f"{e.func}:{e.pc} ", style="italic")
            t.append(e.summary.replace("\t", " "))
            if e.result is not None:
                t.append(f"  → {e.result}", style="bold")
            if snap.last is not None and e.index == snap.last.index:
                t.stylize("reverse")
            lines.append(t)
        if not lines:
            lines.append(Text("no steps yet: press a thread's letter to step it; t opens the "
                              "lessons, ? lists every key", style="dim"))
        return Group(*head, *lines)
