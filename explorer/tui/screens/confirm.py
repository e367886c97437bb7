"""Ask before quitting: ``q`` opens this; ``y``/Enter quits, ``n``/Esc stays."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from explorer.tui.screens.modal import Modal
from explorer.tui.text import plain


class ConfirmScreen(Modal[bool]):
    """A yes/no question; dismisses with True for yes."""

    DEFAULT_CSS = """
    ConfirmScreen #confirm-box {
        max-width: 64;
    }
    ConfirmScreen #confirm-question {
        text-style: bold;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,enter", "answer(True)", "yes"),
        Binding("n,escape", "answer(False)", "no"),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self._question = question
        self._detail = detail

    def compose(self) -> ComposeResult:
        """The question, what it would lose, and the keys."""
        with Vertical(id="confirm-box", classes="modal-box") as box:
            box.border_title = "kfunc-explorer"
            yield Static(plain(self._question), id="confirm-question")
            if self._detail:
                yield Static(plain(self._detail), id="confirm-detail")
            yield Static("y / Enter: yes     n / Esc: no", classes="hint")

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        if self.is_current:  # a second key must not pop the screen below
            self.dismiss(yes)
