"""One line: scenario, step, schedule, what-ifs, autoplay; it fits the width it has.

At 80 columns a long schedule, what-ifs and the kernel version do not all fit. Rather than cut
the line's end (the autoplay state and the what-ifs went first), the parts that matter least give
way first: the kernel version, then the recorded future, then the what-if names shorten to a
count; a long schedule keeps its end (``…L2V4``: the steps just taken), and the scenario and the
step always show.
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from explorer.views.snapshot import Snapshot


def _tail(text: str, room: int) -> str:
    """``text``, or its end after ``…`` in ``room`` cells."""
    if len(text) <= room:
        return text
    return "…" + text[len(text) - max(1, room - 1):]


def status_text(s: Snapshot, autoplay: str, width: int) -> Text:
    """The status line of ``s`` in at most ``width`` cells (see the module docstring)."""
    opts = "" if s.options == "kernel" else s.options
    n_opts = len(opts.split("+")) if opts else 0
    future = s.full_schedule if s.full_schedule != s.schedule else ""
    kernel = f"linux {s.kernel}" if s.kernel else ""

    def build(*, with_kernel: bool, with_future: bool, short_opts: bool,
              sched_room: int | None) -> Text:
        t = Text(no_wrap=True, overflow="ellipsis", end="")
        t.append(f" {s.scenario} ", style="bold reverse")
        t.append(f" step {s.step}/{s.length} ", style="bold")
        sched = s.schedule or "(empty)"
        if sched_room is not None:
            sched = _tail(sched, sched_room)
        t.append(sched, style="bold cyan")
        if future and with_future:
            t.append(f" (→{future})", style="dim")
        if s.terminal:
            t.append("  ■ end", style="bold")
        if autoplay:
            t.append(f"  {autoplay}", style="bold magenta")
        if opts:
            t.append("  ")
            t.append(f"{n_opts} what-if{'s' * (n_opts > 1)}" if short_opts else opts,
                     style="bold yellow")
        if kernel and with_kernel:
            t.append(f"  {kernel}", style="dim")
        return t

    for k in range(4):
        t = build(with_kernel=k < 1, with_future=k < 2, short_opts=k >= 3, sched_room=None)
        if t.cell_len <= width:
            return t
    fixed = build(with_kernel=False, with_future=False, short_opts=True, sched_room=1)
    room = max(4, width - fixed.cell_len + 1)
    return build(with_kernel=False, with_future=False, short_opts=True, sched_room=room)


class StatusBar(Widget):
    """Where we are: ``module_race  step 5/9  L4V1 (→L4V1L4)  no_live_check  linux v5.18``."""

    DEFAULT_CSS = """
    StatusBar { height: 1; }
    """

    snapshot: reactive[Snapshot | None] = reactive(None, always_update=True)
    autoplay: reactive[str] = reactive("")
    """Autoplay state text, e.g. ``▶ 2/s`` ('' when off)."""

    def render(self) -> RenderableType:
        """The status line, fitted to the bar's width."""
        s = self.snapshot
        if s is None:
            return ""
        return status_text(s, self.autoplay, self.size.width or 80)
