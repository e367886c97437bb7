"""Pick one entry (a scenario, a lesson) from a list."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from explorer.tui.screens.modal import Modal
from explorer.tui.text import plain
from explorer.tui.widgets.option_list import SafeOptionList


class PickerScreen(Modal[str | None]):
    """A titled list; Enter picks (returns the entry's name), Escape cancels (None)."""

    DEFAULT_CSS = """
    PickerScreen #picker {
        height: auto;
        max-height: 20;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]

    def __init__(self, title: str, entries: list[tuple[str, str]]) -> None:
        """``entries``: (name returned, text shown)."""
        super().__init__()
        self._title = title
        self._entries = entries

    def compose(self) -> ComposeResult:
        """Title and options."""
        with Vertical(id="picker-box", classes="modal-box") as box:
            box.border_title = plain(self._title)
            yield SafeOptionList(*(Option(plain(text), id=name) for name, text in self._entries),
                             id="picker")
            yield Static("Enter: pick   Esc: cancel", classes="hint")

    _answered = False
    """Set by the first dismiss: a second Enter/Esc queued before the pop must not answer
    again (the result future is already set: InvalidStateError) nor pop the main screen."""

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Return the picked entry's name."""
        if self.is_current and not self._answered:
            self._answered = True
            self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        """Return nothing."""
        if self.is_current and not self._answered:
            self._answered = True
            self.dismiss(None)
