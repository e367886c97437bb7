"""Ask for one line of text: a step number, a schedule to replay."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from explorer.tui.screens.modal import Modal
from explorer.tui.text import plain


class PromptScreen(Modal[str | None]):
    """Enter submits the text, Escape cancels (None)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]

    def __init__(self, title: str, placeholder: str = "", value: str = "") -> None:
        super().__init__()
        self._title = title
        self._placeholder = placeholder
        self._value = value

    def compose(self) -> ComposeResult:
        """The input line."""
        with Vertical(id="prompt-box", classes="modal-box") as box:
            box.border_title = plain(self._title)
            yield Input(value=self._value, placeholder=self._placeholder, id="prompt")
            yield Static("Enter: ok   Esc: cancel", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Return the text."""
        if self.is_current:  # a second Enter/Esc must not pop the main screen
            self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Return nothing."""
        if self.is_current:  # a second Enter/Esc must not pop the main screen
            self.dismiss(None)
