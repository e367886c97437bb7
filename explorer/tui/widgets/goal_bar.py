"""The challenge being played: goal, tries, and the verdict after every step."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from explorer.views.actions import DEFAULT_KEYS, Keys
from explorer.views.challenges import ChallengeState


class GoalBar(Static):
    """One or two lines above the panels while a challenge is on; hidden otherwise."""

    DEFAULT_CSS = """
    GoalBar { height: auto; padding: 0 1; background: $boost; display: none; }
    GoalBar.-on { display: block; }
    GoalBar.-won { background: $success 30%; }
    GoalBar.-lost { background: $error 25%; }
    """

    state: reactive[ChallengeState | None] = reactive(None, always_update=True)

    _shown: ChallengeState | None = None

    def __init__(self, *, id: str | None = None, keys: Keys = DEFAULT_KEYS) -> None:
        super().__init__(id=id)
        self.keys = keys
        """How the bar names keys (the user's keymap)."""

    def watch_state(self, st: ChallengeState | None) -> None:
        """Show (or hide) the goal and the verdict (nothing to do when that is what it shows:
        an update lays out the whole screen, and this runs after every step)."""
        if st == self._shown and (st is not None or not self.has_class("-on")):
            return
        self._shown = st
        self.set_class(st is not None, "-on")
        self.set_class(st is not None and st.status == "won", "-won")
        self.set_class(st is not None and st.status == "lost", "-lost")
        if st is None:
            self.update("")
            return
        t = Text()
        t.append("CHALLENGE ", style="bold")
        c = st.challenge
        t.append(f"{c.title} ", style="bold")
        t.append(f"[{c.scenario}, {c.options_label}]", style="dim")
        if c.not_kernel:
            t.append("  NOT THE KERNEL", style="bold red")
        t.append("\n")
        t.append(" ".join(c.goal_text.split()))
        t.append("\n")
        mark = {"won": "✔ ", "lost": "✘ ", "open": "… "}[st.status]
        t.append(mark + st.summary, style="bold" if st.status != "open" else "")
        if st.status == "lost":
            t.append(f"   {self.keys.one('prev')} step back and choose differently; "
                     f"{self.keys.one('hint')}: hint", style="dim")
        self.update(t)
