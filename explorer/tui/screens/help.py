"""``?``/F1: every key of the explorer, with what it does, from the ACTIONS table."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from explorer.tui.screens.modal import Modal


class HelpScreen(Modal[None]):
    """A table of keys by section: the loaded scenario's thread keys and every fixed key, as
    people write them (``?``, ``.``, ``[``), after the user's keymap."""

    DEFAULT_CSS = """
    HelpScreen #help-box {
        width: 90%;
        max-width: 100;
        height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "close", id="help_close"),
    ]

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self._rows = rows
        """(section, keys, what it does), in order."""

    def compose(self) -> ComposeResult:
        """The key table in a scrollable box."""
        t = Table(title="kfunc-explorer keys", expand=True, show_lines=False)
        t.add_column("key", style="bold cyan", no_wrap=True)
        t.add_column("does")
        section = ""
        for group, keys, desc in self._rows:
            if group != section:
                section = group
                t.add_row(Text(group, style="bold"), Text(""))
            t.add_row(Text(f"  {keys}"), Text(desc))
        with VerticalScroll(id="help-box"):
            yield Static(t)
            yield Static("Esc / ? closes.  Ctrl+P: command palette (every action, scenarios, "
                         "kernel versions, what-ifs, lessons, jump to step).  Rebind a key in "
                         "$XDG_CONFIG_HOME/kfunc-explorer/keymap.toml: action_id = \"key\".",
                         id="help-foot")

    async def action_dismiss(self, result: None = None) -> None:
        """Close the help."""
        if self.is_current:  # a second Enter/Esc must not pop the main screen
            self.dismiss(None)
