"""The race window in one line, for the narrow layout: the bar over the steps taken, the cursor
on it, and the first module's state. (Wide, the modules panel shows it in full.)"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from explorer.tui.widgets.modules_panel import WINDOW_GLYPHS
from explorer.views.snapshot import Snapshot

BAR_SHARE = 2
"""The bar takes 1/BAR_SHARE of the line; the module's state the rest."""


def _state_text(snap: Snapshot) -> Text:
    """The first module's state: `` ◀ OPEN  nf_conntrack COMING  BTF published  F_LIVE clear``."""
    t = Text()
    m = snap.modules[0]
    if m.in_window:
        t.append(" ◀ OPEN", style="bold red")
    state = m.state.replace("MODULE_STATE_", "")
    t.append(f"  {m.name} ", style="bold")
    t.append(state, style={"COMING": "bold yellow", "LIVE": "bold green",
                           "GOING": "bold red"}.get(state, ""))
    t.append(f"  BTF {'published' if m.btf_published else 'hidden'}")
    if m.has_live_flag:
        t.append(f"  F_LIVE {'set' if m.live_flag else 'clear'}")
    if m.freed:
        t.append("  FREED", style="bold white on red")
    return t


def strip_text(snap: Snapshot, width: int) -> Text:
    """``window ····▒▒[▒] ◀ OPEN  nf_conntrack COMING  BTF published  F_LIVE clear``: the
    module's state is never cut (its last word, F_LIVE's set or clear, is what the race lessons
    ask about); the bar takes at most 1/BAR_SHARE of the line and never what the state needs."""
    t = Text(no_wrap=True, overflow="ellipsis")
    if not snap.modules or not snap.window:
        return t
    state = _state_text(snap)
    t.append("window ", style="bold")
    codes = [(i, int(c)) for i, c in snap.window]
    room = width - len("window ") - state.cell_len
    cols = max(4, min(len(codes), width // BAR_SHARE - 8, room))
    pos = 0
    for x in range(cols):
        k = x * len(codes) // cols
        if codes[k][0] <= snap.step:
            pos = x
    for x in range(cols):
        glyph, style = WINDOW_GLYPHS.get(codes[x * len(codes) // cols][1], ("?", ""))
        t.append(glyph, style=f"{style} reverse" if x == pos else style)
    t.append_text(state)
    return t


class WindowStrip(Widget):
    """One line above the narrow layout's panel while the scenario has a module."""

    DEFAULT_CSS = """
    WindowStrip { height: 1; padding: 0 1; display: none; }
    WindowStrip.-on { display: block; }
    """

    snapshot: reactive[Snapshot | None] = reactive(None, always_update=True)

    def render(self) -> Text:
        """The strip (empty without modules)."""
        if self.snapshot is None:
            return Text()
        return strip_text(self.snapshot, self.size.width - 2)
