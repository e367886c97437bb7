"""Module state (COMING/LIVE/GOING, BTF_MODULE_F_LIVE, refcnt) and the race-window timeline."""

from __future__ import annotations

from collections.abc import Hashable

from rich.console import Group, RenderableType
from rich.text import Text

from explorer.tui.widgets.panel import SnapshotPanel
from explorer.views.snapshot import ModuleView, Snapshot

WINDOW_GLYPHS = {
    0: ("·", "dim"),
    1: ("▒", "bold red"),
    2: ("█", "green"),
    3: ("╳", "magenta"),
}
"""Per window code: 0 nothing published, 1 BTF published and not LIVE (the window), 2 LIVE,
3 GOING/freed. Distinct glyphs keep the bar readable without colour (NO_COLOR)."""


def module_line(m: ModuleView) -> Text:
    """``nf_conntrack  COMING  LIVE flag: no  refcnt 0  BTF published``."""
    state = m.state.replace("MODULE_STATE_", "")
    style = {"COMING": "bold yellow", "LIVE": "bold green", "GOING": "bold red"}.get(state, "")
    t = Text()
    t.append(f"{m.name} ", style="bold")
    t.append(state, style=style)
    if m.has_live_flag:
        t.append("  F_LIVE ")
        t.append("set" if m.live_flag else "clear", style="green" if m.live_flag else "yellow")
    else:
        t.append("  no F_LIVE flag (v5.16)", style="dim")
    t.append(f"  refcnt {m.refcnt}  BTF {'published' if m.btf_published else 'hidden'}")
    if m.freed:
        t.append("  FREED", style="bold white on red")
    if m.in_window:
        t.append("  ◀ RACE WINDOW OPEN", style="bold red")
    return t


def window_bar(window: list[tuple[int, int]], cursor: int, width: int) -> tuple[Text, Text]:
    """The timeline bar (one glyph a (step, code) sample, sampled again to ``width``) and a
    cursor line under the step ``cursor``."""
    codes = [c for _, c in window]
    n = len(codes)
    width = max(10, width)
    per = max(1, min(4, width // max(1, n)))
    cols = min(n * per, width)
    bar = Text()
    pos = 0
    for x in range(cols):
        k = x * n // cols
        glyph, style = WINDOW_GLYPHS.get(codes[k], ("?", ""))
        bar.append(glyph, style=style)
        if window[k][0] <= cursor:
            pos = x
    label = f"step {cursor}"
    if pos + 2 + len(label) <= width:
        under = Text(" " * pos + "▲ " + label, style="bold")
    else:
        under = Text(" " * max(0, pos - len(label) - 1) + label + " ▲", style="bold")
    return bar, under


class ModulesPanel(SnapshotPanel):
    """Modules and the window between BTF publication and LIVE, drawn over the steps taken."""

    PANEL_TITLE = "modules & race window"

    def view_key(self, snap: Snapshot) -> Hashable:
        """The modules, and the race-window bar with its cursor (none without modules)."""
        return (snap.modules, snap.window, snap.step) if snap.modules else ()

    def draw(self, snap: Snapshot) -> RenderableType:
        """Module lines, the timeline bar with its cursor and a legend."""
        if not snap.modules:
            return Text("no modules in this scenario (vmlinux is filled at boot, before any "
                        "process exists)", style="dim")
        parts: list[RenderableType] = [module_line(m) for m in snap.modules]
        codes = [(i, int(c)) for i, c in snap.window]
        if codes:
            bar, under = window_bar(codes, snap.step, self.inner_width - 1)
            parts += [bar, under]
        legend = Text()
        for code, label in ((0, "unpublished"), (1, "window: BTF visible, not LIVE"),
                            (2, "LIVE"), (3, "GOING/freed")):
            g, st = WINDOW_GLYPHS[code]
            legend.append(g, style=st)
            legend.append(f" {label}  ", style="dim")
        parts.append(legend)
        return Group(*parts)
