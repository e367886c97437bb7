"""The sort lab: your own IDs through lib/sort.c's heapsort (then bsearch for a key), step by step,
with the heap tree; or registered into vmlinux's table as a cell of your own."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from explorer.tui.screens.modal import Modal
from explorer.tui.widgets.array_panel import bsearch_text, phase_line, sort_view
from explorer.views.heap import SortLab, parse_ids, parse_key

THREAD_ABOVE = 200
"""Inputs longer than this sort in a worker thread (the model's sort of 1,000 IDs takes ~2 s)."""


class LabView(Widget, can_focus=True):
    """The lab's current frame: phase, narration, array and tree."""

    DEFAULT_CSS = "LabView { height: auto; min-height: 6; }"

    def __init__(self, lab: SortLab, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lab = lab

    def render(self) -> RenderableType:
        """The frame at the lab's cursor."""
        a = self.lab.frame()
        width = max(20, self.content_region.width or 76)
        if a.kind == "sort":
            return sort_view(a, width)
        found = "searching" if a.found is None else ("FOUND" if a.found else "NOT FOUND")
        info = Text(f"bsearch for {a.key}: base {a.base}  num {a.num}  pivot {a.pivot}  "
                    f"probes {a.comparisons}  {found}")
        return Group(info, phase_line(a), bsearch_text(a))


class SortLabScreen(Modal[tuple[str, str] | None]):
    """Type IDs (and a key), Enter, then → / ← to step. Dismisses with (ids, key) to register
    them as your own cell (ctrl+r), or None."""

    DEFAULT_CSS = """
    SortLabScreen #lab-box {
        max-width: 140;
    }
    SortLabScreen #lab-inputs {
        height: auto;
    }
    SortLabScreen #lab-ids {
        width: 3fr;
    }
    SortLabScreen #lab-key {
        width: 1fr;
    }
    SortLabScreen #lab-error {
        color: $error;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "close", id="lab.close"),
        Binding("right,n", "step", "step", id="lab.step"),
        Binding("left", "back", "back", id="lab.back"),
        Binding("home", "start", "start", id="lab.start"),
        Binding("end", "end", "end", id="lab.end"),
        Binding("ctrl+r", "register", "register as my cell", id="lab.register"),
    ]

    def __init__(self, ids: str = "5 3 9 1 7", key: str = "") -> None:
        super().__init__()
        self._ids_text, self._key_text = ids, key
        self.lab = SortLab()
        self.error = ""

    def compose(self) -> ComposeResult:
        """Inputs, the error line, the lab view, the keys."""
        with Vertical(id="lab-box", classes="modal-box") as box:
            box.border_title = "Sort lab: the kernel's heapsort of your IDs"
            with Horizontal(id="lab-inputs"):
                yield Input(self._ids_text, placeholder="IDs, e.g. 5 3 9 1 7 (at most 1000)",
                            id="lab-ids", compact=True)
                yield Input(self._key_text, placeholder="key to search (optional)",
                            id="lab-key", compact=True)
            yield Static("", id="lab-error")
            yield Static("", id="lab-status")
            yield LabView(self.lab, id="lab-view")
            yield Static("→ / n step   ← back   Home / End   Tab: inputs ↔ steps (Enter sorts)"
                         "   ctrl+r: register as my cell   Esc: close", classes="hint")

    def on_mount(self) -> None:
        """Sort what is in the inputs, and open on the steps (the inputs are a Tab away, so the
        hint's → / n step rather than type into the IDs)."""
        self._load()
        self.query_one(LabView).focus()

    def _load(self) -> bool:
        """Parse the inputs (bad input: one line, the lab keeps what it had), then sort; a
        long input sorts in a worker thread so the screen stays live."""
        try:
            ids = parse_ids(self.query_one("#lab-ids", Input).value)
            key = parse_key(self.query_one("#lab-key", Input).value)
        except ValueError as e:
            self._show_error(str(e))
            return False
        self._show_error("")
        if len(ids) <= THREAD_ABOVE:
            self._install(SortLab(ids, key))
        else:
            self.query_one("#lab-status", Static).update(f"sorting {len(ids)} IDs…")
            self._build(ids, key)
        return True

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _build(self, ids: tuple[int, ...], key: int | None) -> None:
        lab = SortLab(ids, key)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._install, lab)

    def _install(self, lab: SortLab) -> None:
        self.lab = lab
        self.query_one(LabView).lab = lab
        self._redraw()

    def _show_error(self, msg: str) -> None:
        self.error = msg
        self.query_one("#lab-error", Static).update(Text(f"✖ {msg}", style="bold red")
                                                    if msg else "")

    def _redraw(self) -> None:
        self.query_one("#lab-status", Static).update(
            f"step {self.lab.cursor}/{self.lab.length}  ({len(self.lab.ids)} IDs"
            + (f", key {self.lab.key}" if self.lab.key is not None else "") + ")")
        self.query_one(LabView).refresh(layout=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in either input: sort again, and move to the steps."""
        if self._load():
            self.query_one(LabView).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Arrow keys belong to an input while it has focus."""
        return not (action in ("step", "back", "start", "end")
                    and isinstance(self.focused, Input))

    def action_step(self) -> None:
        """One event forward."""
        self.lab.step()
        self._redraw()

    def action_back(self) -> None:
        """One event back."""
        self.lab.back()
        self._redraw()

    def action_start(self) -> None:
        """To step 0."""
        self.lab.jump(0)
        self._redraw()

    def action_end(self) -> None:
        """To the last step."""
        self.lab.jump(self.lab.length)
        self._redraw()

    _answered = False
    """Set by the first dismiss: keys queued before the pop must not answer twice."""

    def action_register(self) -> None:
        """Close, registering the inputs as your own vmlinux cell."""
        if self._load() and self.is_current and not self._answered:
            self._answered = True
            self.dismiss((self.query_one("#lab-ids", Input).value,
                          self.query_one("#lab-key", Input).value))

    def action_cancel(self) -> None:
        """Close."""
        if self.is_current and not self._answered:
            self._answered = True
            self.dismiss(None)
