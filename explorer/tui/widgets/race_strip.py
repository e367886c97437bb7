"""The race window for a projector: presenter mode's strip above the panel.

Four rows, readable from the back of a room and without colour (NO_COLOR, a washed-out
projector): a headline in words (``RACE WINDOW OPEN: nf_conntrack's BTF is visible, its init has
not finished``), a bar two rows high whose phases differ by glyph (``·`` unpublished, ``▒`` the
window, ``█`` LIVE, ``╳`` GOING/freed) and are named under the bar where they fit, and ``▲`` under
the current step. Colour only repeats what the glyphs and words already say.
"""

from __future__ import annotations

from collections.abc import Hashable

from rich.console import Group, RenderableType
from rich.text import Text

from explorer.tui.widgets.modules_panel import WINDOW_GLYPHS
from explorer.tui.widgets.panel import SnapshotPanel
from explorer.views.snapshot import ModuleView, Snapshot

TALL_FROM = 40
"""From this many screen rows the bar is drawn two rows high."""
PHASE_NAMES = {0: "unpublished", 1: "RACE WINDOW", 2: "LIVE", 3: "GOING / freed"}
"""Per window code (see :data:`WINDOW_GLYPHS`): the name written under its run of the bar."""


def headline(m: ModuleView) -> Text:
    """The module's phase in words, with the phase's glyph in front."""
    if m.freed or m.state.endswith("GOING"):
        code, words = 3, f"{m.name} is GOING (init failed): its BTF and table go away"
    elif m.in_window:
        code, words = 1, f"RACE WINDOW OPEN: {m.name}'s BTF is visible, init still running"
    elif m.btf_published:
        code, words = 2, f"window closed: {m.name} is LIVE"
    else:
        code, words = 0, f"{m.name}'s BTF is not published yet: no verifier can see it"
    glyph, style = WINDOW_GLYPHS[code]
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append(f" {glyph}{glyph} ", style=f"bold {style}")
    t.append(words, style="bold reverse" if code == 1 else "bold")
    return t


def strip_rows(window: list[tuple[int, int]], cursor: int, width: int,
               bar_rows: int = 2) -> list[Text]:
    """The bar (``bar_rows`` identical rows), the phase names under their runs, and the cursor
    row."""
    n = len(window)
    width = max(10, width)
    cols = min(width, max(n, 1) * max(1, min(6, width // max(1, n))))
    codes = [window[x * n // cols][1] for x in range(cols)]
    pos = 0
    for x in range(cols):
        if window[x * n // cols][0] <= cursor:
            pos = x
    bar = Text(no_wrap=True, overflow="crop")
    for c in codes:
        glyph, style = WINDOW_GLYPHS.get(c, ("?", ""))
        bar.append(glyph, style=f"{style} bold")
    names = [" "] * cols
    x = 0
    while x < cols:  # each run of one phase: its name, centred, where it fits
        end = x
        while end < cols and codes[end] == codes[x]:
            end += 1
        name = PHASE_NAMES.get(codes[x], "")
        if len(name) <= end - x:
            start = x + (end - x - len(name)) // 2
            names[start:start + len(name)] = list(name)
        x = end
    label = f"step {cursor}"
    if pos + 2 + len(label) <= width:
        under = " " * pos + "▲ " + label
    else:
        under = " " * max(0, pos - len(label) - 1) + label + " ▲"
    return [*(bar.copy() for _ in range(max(1, bar_rows))),
            Text("".join(names), style="bold", no_wrap=True, overflow="crop"),
            Text(under, style="bold", no_wrap=True, overflow="crop")]


class RaceStrip(SnapshotPanel):
    """Presenter mode's race window (hidden when the scenario has no module)."""

    PANEL_TITLE = "race window"

    def view_key(self, snap: Snapshot) -> Hashable:
        """The first module, the window samples and the step."""
        return (snap.modules[:1], snap.window, snap.step) if snap.modules else ()

    def on_resize(self) -> None:
        """The bar's height follows the screen's: draw again."""
        self._key = None
        if self.snapshot is not None:
            self.show(self.snapshot)

    def draw(self, snap: Snapshot) -> RenderableType:
        """Headline, bar, phase names, cursor."""
        if not snap.modules:
            return Text("no module in this scenario: no race window", style="dim")
        rows: list[RenderableType] = [headline(snap.modules[0])]
        codes = [(i, int(c)) for i, c in snap.window]
        if codes:  # a bar two rows high where the screen has the room
            tall = self.screen.size.height >= TALL_FROM if self.is_mounted else False
            rows += strip_rows(codes, snap.step, self.inner_width - 1, 2 if tall else 1)
        return Group(*rows)
