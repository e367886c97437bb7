"""``?``/F1: every key of the explorer, with what it does."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def _key_label(b: BindingType) -> tuple[str, str]:
    if isinstance(b, Binding):
        return (b.key_display or b.key), b.description
    return str(b[0]), str(b[2] if len(b) > 2 else b[1])


class HelpScreen(ModalScreen[None]):
    """A table of keys, gathered from the bindings of the screen below and the app."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "close"),
    ]

    def __init__(self, bindings: list[BindingType]) -> None:
        super().__init__()
        self._key_list = bindings

    def compose(self) -> ComposeResult:
        """The key table in a scrollable box."""
        t = Table(title="kfunc-explorer keys", expand=True, show_lines=False)
        t.add_column("key", style="bold cyan", no_wrap=True)
        t.add_column("does")
        seen: set[str] = set()
        for b in self._key_list:
            key, desc = _key_label(b)
            if not desc or (key, desc) in seen:  # type: ignore[comparison-overlap]
                continue
            seen.add(key + desc)
            t.add_row(Text(key), Text(desc))
        with VerticalScroll(id="help-box"):
            yield Static(t)
            yield Static("Esc / ? closes.  ctrl+p: command palette (scenarios, what-ifs, "
                         "lessons, jump to step).", id="help-foot")

    async def action_dismiss(self, result: None = None) -> None:
        """Close the help."""
        if self.is_current:  # a second Enter/Esc must not pop the main screen
            self.dismiss(None)
