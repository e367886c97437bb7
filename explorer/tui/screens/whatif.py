"""What-if variants (NOT the kernel) and fault injection, toggled live.

Only what applies to the loaded scenario is offered (``no_sort`` changes how vmlinux sets are
concatenated at boot, so it is not offered for ``module_race``); the line under the list names
what is left out and why. Each row is one line: ``☑``/``☐`` (on/off, readable without colour),
the kind, the name and the title; the highlighted row's description is shown in full below.
"""

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
from explorer.views.controller import Choice

ON, OFF = "☑", "☐"


class WhatIfScreen(Modal[tuple[list[str], list[str]] | None]):
    """Space/Enter toggles; Esc applies the selection and closes."""

    DEFAULT_CSS = """
    /* one line a row, cut with … rather than wrapped (80 columns) */
    WhatIfScreen #whatif {
        height: auto;
        max-height: 20;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    WhatIfScreen #whatif-detail {
        padding: 1 0 0 0;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "apply", "apply & close"),
        Binding("space", "toggle_highlighted", "toggle", show=False),
    ]

    def __init__(self, variants: list[Choice], faults: list[Choice], on: set[str],
                 scenario: str = "", left_out: list[str] | None = None) -> None:
        super().__init__()
        self._choices: dict[str, Choice] = {f"v:{c.name}": c for c in variants}
        self._choices.update({f"f:{c.name}": c for c in faults})
        self.selected: set[str] = {k for k, c in self._choices.items() if c.name in on}
        """Option ids switched on (``v:no_sort``, ``f:init_fails``)."""
        self._scenario = scenario
        self._left_out = left_out or []

    def _prompt(self, key: str) -> str:
        c = self._choices[key]
        kind = "[NOT THE KERNEL]" if key.startswith("v:") else "[fault]"
        return f"{ON if key in self.selected else OFF} {kind} {c.name}: {c.title}"

    def compose(self) -> ComposeResult:
        """One list: variants first, then faults; the highlighted one's description below."""
        with Vertical(id="whatif-box", classes="modal-box") as box:
            box.border_title = plain("What-ifs and faults"
                                     + (f" for {self._scenario}" if self._scenario else ""))
            if self._choices:
                yield SafeOptionList(*(Option(plain(self._prompt(k)), id=k)
                                       for k in self._choices), id="whatif")
            else:
                yield Static(plain(f"No what-if or fault applies to {self._scenario or 'this'} "
                                   "scenario."), id="whatif-none")
            yield Static("", id="whatif-detail")
            if self._left_out:
                yield Static(plain(f"not offered here (they do not apply to "
                                   f"{self._scenario or 'this scenario'}): "
                                   f"{', '.join(self._left_out)}"), classes="hint",
                             id="whatif-left-out")
            yield Static(f"Space/Enter: toggle {ON}/{OFF}   Esc: apply and close",
                         classes="hint")

    def on_mount(self) -> None:
        """Open on the first row."""
        if self._choices:
            ol = self.query_one("#whatif", OptionList)
            ol.highlighted = 0
            ol.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """The highlighted entry's description in full."""
        c = self._choices.get(event.option.id or "")
        self.query_one("#whatif-detail", Static).update(plain(c.description if c else ""))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter toggles the entry."""
        self._toggle(event.option.id or "")

    def action_toggle_highlighted(self) -> None:
        """Space toggles the highlighted entry."""
        if not self._choices:
            return
        ol = self.query_one("#whatif", OptionList)
        if ol.highlighted is not None:
            self._toggle(ol.get_option_at_index(ol.highlighted).id or "")

    def _toggle(self, key: str) -> None:
        if key not in self._choices:
            return
        self.selected ^= {key}
        self.query_one("#whatif", OptionList).replace_option_prompt(key, plain(self._prompt(key)))

    def action_apply(self) -> None:
        """Return (variants, faults) selected, in the order offered."""
        if self.is_current:  # a second Enter/Esc must not pop the main screen
            self.dismiss(([k[2:] for k in self._choices if k.startswith("v:") and
                           k in self.selected],
                          [k[2:] for k in self._choices if k.startswith("f:") and
                           k in self.selected]))
