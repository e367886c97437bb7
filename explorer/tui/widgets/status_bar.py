"""One line: scenario, step, schedule, what-ifs, autoplay."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from explorer.views.snapshot import Snapshot


class StatusBar(Widget):
    """Where we are: ``module_race  step 5/9  schedule L4V1 (→L4V1L4)  options``."""

    DEFAULT_CSS = """
    StatusBar { height: 1; }
    """

    snapshot: reactive[Snapshot | None] = reactive(None, always_update=True)
    autoplay: reactive[str] = reactive("")
    """Autoplay state text, e.g. ``▶ 2/s`` ('' when off)."""

    def render(self) -> RenderableType:
        """The status line."""
        s = self.snapshot
        if s is None:
            return ""
        t = Text(no_wrap=True, overflow="ellipsis")
        t.append(f" {s.scenario} ", style="bold reverse")
        t.append(f" step {s.step}/{s.length} ", style="bold")
        t.append("schedule ")
        t.append(s.schedule or "(empty)", style="bold cyan")
        if s.full_schedule != s.schedule:
            t.append(f" (→{s.full_schedule})", style="dim")
        if s.terminal:
            t.append("  ■ end", style="bold")
        if self.autoplay:
            t.append(f"  {self.autoplay}", style="bold magenta")
        t.append(f"  {s.options}", style="dim")
        if s.kernel:
            t.append(f"  linux {s.kernel}", style="dim")
        return t
