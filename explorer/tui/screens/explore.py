"""Explore all: every interleaving of the scenario, in a thread worker, with the outcomes.

Each row is one line (never wrapped, cut with … where the screen is narrow): ``×N``, the witness
schedule, the outcome. Two lines above the list say what ``×N`` counts and which rule picks the
witness; the line below the list gives the highlighted row in full (its witness's length and
switches, a shortest schedule where that is shorter, or why a challenge hides it).
"""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from explorer.tui.screens.modal import Modal
from explorer.tui.text import plain
from explorer.tui.widgets.option_list import SafeOptionList
from explorer.views.controller import COUNT_MEANING, WITNESS_RULE, Controller, ExploreView

HINT = "Enter: load it, at its end ({start}, then {play}: play it)   Esc: close"
"""The key line: ``{start}`` and ``{play}`` are the user's keys (jump_start, autoplay)."""


class ExploreScreen(Modal[str | None]):
    """Runs :meth:`Controller.explore`; Enter on an outcome returns its witness schedule."""

    DEFAULT_CSS = """
    ExploreScreen #explore-box {
        width: 96%;
    }
    /* one line a row, cut with … rather than wrapped (80 columns) */
    ExploreScreen #outcomes, ExploreScreen #explore-progress, ExploreScreen #explore-legend {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    ExploreScreen #outcomes {
        height: auto;
        max-height: 12;
    }
    ExploreScreen #explore-detail {
        color: $text;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel / close")]

    def __init__(self, controller: Controller) -> None:
        super().__init__()
        self._controller = controller
        self.result: ExploreView | None = None
        self._details: dict[str, str] = {}
        """Option id → the full text of its row (the detail line)."""

    def compose(self) -> ComposeResult:
        """Progress line, what the columns mean, the outcomes list, the highlighted row."""
        with Vertical(id="explore-box", classes="modal-box") as box:
            box.border_title = plain(f"Explore all: {self._controller.scenario_name}")
            yield Static("exploring…", id="explore-progress")
            yield Static(plain(f"×N = {COUNT_MEANING}\nwitness = {WITNESS_RULE}"),
                         id="explore-legend", classes="hint")
            yield SafeOptionList(id="outcomes")
            yield Static("", id="explore-detail")
            yield Static("", id="explore-hidden", classes="hint")
            k = self._controller.keys
            yield Static(plain(HINT.format(start=k.one("jump_start"), play=k.one("autoplay"))),
                         classes="hint")

    def on_mount(self) -> None:
        """Start the worker."""
        self.query_one("#explore-legend").display = False
        self.query_one("#explore-detail").display = False
        self.query_one("#explore-hidden").display = False
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
            f"{view.states} states, {view.transitions} transitions, {done}; {view.options}"))
        self.query_one("#explore-legend").display = True
        width = max([len(o.witness or "hidden") for o in view.outcomes]
                    + [len(v[3] or "hidden") for v in view.violations] + [7])
        opts: list[Option] = []
        for k, o in enumerate(view.outcomes):
            oid = f"o{k}:{o.witness}"
            opts.append(Option(plain(f"×{o.count:<3} {o.witness or 'hidden':<{width}}  "
                                     f"{o.label}" + (f"  ({o.hidden})" if o.hidden else "")),
                               id=oid, disabled=bool(o.hidden)))
            self._details[oid] = "\n".join(filter(None, (
                o.label, o.hidden or f"witness {o.witness}: {o.note or o.about}")))
        vh = view.hidden or ("",) * len(view.violations)
        notes = view.violation_notes or ("",) * len(view.violations)
        about = view.violation_about or ("",) * len(view.violations)
        for k, ((inv, msg, count, witness), hidden, note, ab) in enumerate(
                zip(view.violations, vh, notes, about, strict=True)):
            vid = f"v{k}:{witness}"
            opts.append(Option(plain(f"⚠ {witness or 'hidden':<{width + 3}}  {inv} "
                                     f"({count} states)" + (f"  ({hidden})" if hidden else "")),
                               id=vid, disabled=bool(hidden)))
            self._details[vid] = "\n".join(filter(None, (
                f"⚠ {inv}: {msg}", hidden or f"witness {witness}: {note or ab}")))
        # witnesses a challenge hides go last, so the list opens on one that loads
        opts.sort(key=lambda o: o.disabled)
        reasons = dict.fromkeys(h for h in (*(o.hidden for o in view.outcomes), *vh) if h)
        why_hidden = self.query_one("#explore-hidden", Static)
        why_hidden.update(plain("\n".join(reasons)))
        why_hidden.display = bool(reasons)
        ol = self.query_one("#outcomes", OptionList)
        ol.add_options(opts)
        ol.focus()
        first = next((k for k, o in enumerate(opts) if not o.disabled), None)
        if first is not None:
            ol.highlighted = first
        elif opts:
            self._show_detail(opts[0].id or "")

    def _show_detail(self, oid: str) -> None:
        detail = self.query_one("#explore-detail", Static)
        detail.update(plain(self._details.get(oid, "")))
        detail.display = bool(self._details.get(oid))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """The highlighted row in full below the list."""
        self._show_detail(event.option.id or "")

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
