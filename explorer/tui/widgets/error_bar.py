"""A one-line error panel: bad schedules, names, what-ifs. Never a traceback."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

from explorer.tui.text import plain


class ErrorBar(Static):
    """Shows the last error message until the next successful action (or Escape)."""

    DEFAULT_CSS = """
    ErrorBar { display: none; height: auto; }
    ErrorBar.-on { display: block; }
    ErrorBar.-why { background: $warning 25%; text-style: none; }
    """

    message: reactive[str] = reactive("")

    def __init__(self, *, id: str | None = None, dismiss_key: str = "Esc") -> None:
        super().__init__(id=id)
        self.dismiss_key = dismiss_key
        """The key that dismisses an error, as the user bound it (the ``dismiss`` action)."""

    def watch_message(self, message: str) -> None:
        """Show or hide the bar."""
        self.set_class(bool(message), "-on")
        if self.has_class("-why"):  # why a key did nothing: no error, nothing to dismiss
            self.update(plain(f"→ {message}" if message else ""))
        else:
            self.update(plain(f"✖ {message}  ({self.dismiss_key} to dismiss)" if message else ""))
