"""What-if variants (NOT the kernel) and fault injection, toggled live."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from explorer.tui.text import plain
from explorer.views.controller import Choice


class WhatIfScreen(ModalScreen[tuple[list[str], list[str]] | None]):
    """Space/Enter toggles; Esc applies the selection and closes."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "apply", "apply & close")]

    def __init__(self, variants: list[Choice], faults: list[Choice], on: set[str]) -> None:
        super().__init__()
        self._variants = variants
        self._faults = faults
        self._on = on

    def compose(self) -> ComposeResult:
        """One selection list: variants first, then faults."""
        items: list[Selection[str]] = []
        for c in self._variants:
            items.append(Selection(plain(f"[NOT THE KERNEL] {c.name}: {c.title}"), f"v:{c.name}",
                                   c.name in self._on))
        for c in self._faults:
            items.append(Selection(plain(f"[fault] {c.name}: {c.title}"), f"f:{c.name}",
                                   c.name in self._on))
        with Vertical(id="whatif-box") as box:
            box.border_title = "What-ifs and faults"
            yield SelectionList[str](*items, id="whatif")
            yield Static("Space/Enter: toggle   Esc: apply and close", classes="hint")

    def action_apply(self) -> None:
        """Return (variants, faults) selected."""
        sel = self.query_one("#whatif", SelectionList).selected
        if self.is_current:  # a second Enter/Esc must not pop the main screen
            self.dismiss(([s[2:] for s in sel if s.startswith("v:")],
                      [s[2:] for s in sel if s.startswith("f:")]))
