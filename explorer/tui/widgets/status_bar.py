"""One line: scenario, step, schedule, what-ifs, autoplay; it fits the width it has.

At 80 columns a long schedule, what-ifs and the kernel version do not all fit. Rather than cut
the line's end (the autoplay state and the what-ifs went first), the parts that matter least give
way first: a long note on the kernel says itself in brief (``v5.18 (its registry, fed your
running kernel's BTF IDs)`` → ``v5.18 (your BTF IDs)``), ``linux v5.18`` shortens to ``v5.18``,
then the recorded future goes, then the what-if names shorten to a count; a long schedule
keeps its end (``…L2V4``: the steps just taken); last, the scenario's name is cut
(``live_fl…``). The step, the kernel version and its what-if label (``(weakly ordered CPU)``:
NOT THE KERNEL) always show: every scenario names its kernel snapshot.
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
    brief = s.kernel_short or s.kernel

    def build(*, with_kernel: bool, long_note: bool = False, with_future: bool, short_opts: bool,
              sched_room: int | None, name_room: int | None = None) -> Text:
        t = Text(no_wrap=True, overflow="ellipsis", end="")
        name = s.scenario
        if name_room is not None and len(name) > name_room:
            name = name[:max(1, name_room - 1)] + "…"
        t.append(f" {name} ", style="bold reverse")
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
        if s.kernel:  # the long form, or just the version (and its what-if label)
            label = s.kernel if long_note else brief
            t.append(f"  linux {label}" if with_kernel else f"  {label}", style="dim")
        return t

    for k in range(5):
        t = build(long_note=k < 1, with_kernel=k < 2, with_future=k < 3, short_opts=k >= 4,
                  sched_room=None)
        if t.cell_len <= width:
            return t
    fixed = build(with_kernel=False, with_future=False, short_opts=True, sched_room=1)
    room = max(4, width - fixed.cell_len + 1)
    t = build(with_kernel=False, with_future=False, short_opts=True, sched_room=room)
    if t.cell_len <= width:
        return t
    # still too wide: the scenario's name gives way (the kernel and what-ifs may not)
    over = t.cell_len - width
    return build(with_kernel=False, with_future=False, short_opts=True, sched_room=room,
                 name_room=max(6, len(s.scenario) - over))


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
