"""The challenges: pick one to play, or give it up to see a shortest winning schedule."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from explorer.tui.screens.modal import Modal
from explorer.views.challenges import ChallengeView, ProgressStore, challenge_views


class ChallengesScreen(Modal[tuple[str, str] | None]):
    """Every challenge with your progress; dismisses with ("play" | "give_up", name)."""

    DEFAULT_CSS = """
    ChallengesScreen #challenge-list {
        height: auto;
        max-height: 20;
    }
    /* the key line stays on screen at 80x24: docked, the list scrolls (at most half the
       screen) */
    ChallengesScreen #challenges-box > .hint {
        dock: bottom;
    }
    ChallengesScreen #challenges-box #challenge-list {
        max-height: 50vh;
    }
    ChallengesScreen #challenge-detail {
        padding: 1 0 0 0;
    }
    ChallengesScreen #challenges-warning {
        color: $error;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "close", id="challenges.close"),
        Binding("u", "give_up", "give up: show a shortest win", id="challenges.give_up"),
    ]

    def __init__(self, progress: ProgressStore) -> None:
        super().__init__()
        self._progress = progress
        self._views: list[ChallengeView] = challenge_views()

    def compose(self) -> ComposeResult:
        """The list, the highlighted challenge's goal, the keys."""
        with Vertical(id="challenges-box", classes="modal-box") as box:
            box.border_title = "Challenges: you are the scheduler"
            if self._progress.warning:
                yield Static(f"✖ {self._progress.warning}", id="challenges-warning")
            yield OptionList(*(Option(self._row(v), id=v.name) for v in self._views),
                             id="challenge-list")
            yield Static("", id="challenge-detail")
            yield Static("Enter: play   u: give up (loads a shortest win)   Esc: close",
                         classes="hint", id="challenges-keys")

    def _row(self, v: ChallengeView) -> str:
        status = self._progress.get(v.name).status
        return f"{status:<22} {v.title}  [{v.scenario}, {v.options_label}]"

    def on_mount(self) -> None:
        """Focus the list on the first challenge not won yet."""
        ol = self.query_one(OptionList)
        ol.focus()
        first = next((k for k, v in enumerate(self._views)
                      if not self._progress.get(v.name).won), 0)
        ol.highlighted = first
        self._detail(first)

    def _detail(self, k: int | None) -> None:
        if k is None or not 0 <= k < len(self._views):
            return
        v = self._views[k]
        p = self._progress.get(v.name)
        wi = "  (what-if: NOT THE KERNEL)" if v.variants else ""
        steps = f"; {p.steps} steps over {p.tries} tries" if p.tries else ""
        self.query_one("#challenge-detail", Static).update(
            f"{v.name}{wi}\n{' '.join(v.goal_text.split())}\nwin: {v.condition}{steps}")

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Show the goal of the highlighted challenge."""
        self._detail(event.option_index)

    _answered = False
    """Set by the first dismiss: keys queued before the pop must not answer twice."""

    def _answer(self, result: tuple[str, str] | None) -> None:
        if self.is_current and not self._answered:
            self._answered = True
            self.dismiss(result)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Play it."""
        if event.option.id:
            self._answer(("play", event.option.id))

    def action_give_up(self) -> None:
        """Give the highlighted challenge up."""
        ol = self.query_one(OptionList)
        if ol.highlighted is not None:
            self._answer(("give_up", self._views[ol.highlighted].name))

    def action_cancel(self) -> None:
        """Close."""
        self._answer(None)
