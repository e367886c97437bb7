"""Explore all: every interleaving of the scenario, in a thread worker, with the outcomes."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from explorer.tui.text import plain
from explorer.tui.widgets.option_list import SafeOptionList
from explorer.views.controller import Controller, ExploreView


class ExploreScreen(ModalScreen[str | None]):
    """Runs :meth:`Controller.explore`; Enter on an outcome returns its witness schedule."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel / close")]

    def __init__(self, controller: Controller) -> None:
        super().__init__()
        self._controller = controller
        self.result: ExploreView | None = None

    def compose(self) -> ComposeResult:
        """Progress line, then the outcomes list."""
        with Vertical(id="explore-box") as box:
            box.border_title = plain(f"Explore all: {self._controller.scenario_name}")
            yield Static("exploring…", id="explore-progress")
            yield SafeOptionList(id="outcomes")
            yield Static("Enter: load the witness schedule   Esc: close", classes="hint")

    def on_mount(self) -> None:
        """Start the worker."""
        self.run_explore()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def run_explore(self) -> None:
        """Explore in a thread; progress and results go back through call_from_thread."""
        worker = get_current_worker()
        last = [0]

        def progress(states: int, transitions: int) -> None:
            if states - last[0] >= 500:
                last[0] = states
                self.app.call_from_thread(self._progress, states, transitions)

        try:
            view = self._controller.explore(progress=progress,
                                            cancel=lambda: worker.is_cancelled)
        except ValueError as e:
            self.app.call_from_thread(self._failed, str(e))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._done, view)

    def _progress(self, states: int, transitions: int) -> None:
        self.query_one("#explore-progress", Static).update(
            plain(f"exploring… {states} states, {transitions} transitions"))

    def _failed(self, msg: str) -> None:
        self.query_one("#explore-progress", Static).update(plain(f"✖ {msg}"))

    def _done(self, view: ExploreView) -> None:
        self.result = view
        done = "complete" if view.complete else "INCOMPLETE (cut off)"
        self.query_one("#explore-progress", Static).update(plain(
            f"{view.states} states, {view.transitions} transitions, {done}; "
            f"options: {view.options}"))
        ol = self.query_one("#outcomes", OptionList)
        opts: list[Option] = []
        for k, o in enumerate(view.outcomes):
            wit = o.hidden or f"witness {o.witness}"
            opts.append(Option(plain(f"{o.label:<40} ×{o.count:<4} {wit}"),
                               id=f"o{k}:{o.witness}", disabled=bool(o.hidden)))
        vh = view.hidden or ("",) * len(view.violations)
        for k, ((inv, msg, count, witness), hidden) in enumerate(
                zip(view.violations, vh, strict=True)):
            wit = hidden or f"witness {witness}"
            opts.append(Option(plain(f"⚠ {inv}: {msg} ({count} states) {wit}"),
                               id=f"v{k}:{witness}", disabled=bool(hidden)))
        # witnesses a challenge hides go last, so the list opens on one that loads
        opts.sort(key=lambda o: o.disabled)
        ol.add_options(opts)
        ol.focus()
        first = next((k for k, o in enumerate(opts) if not o.disabled), None)
        if first is not None:
            ol.highlighted = first

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Return the witness of the chosen outcome or violation."""
        oid = event.option.id or ""
        if self.is_current:  # a second Enter/Esc must not pop the main screen
            self.dismiss(oid.split(":", 1)[1] if ":" in oid else None)

    def action_cancel(self) -> None:
        """Stop the worker (if running) and close."""
        self.workers.cancel_node(self)
        if self.is_current:  # a second Enter/Esc must not pop the main screen
            self.dismiss(None)
