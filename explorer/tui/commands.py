"""Command palette entries: every action of the ACTIONS table, scenarios, kernel versions,
what-ifs, faults, lessons, jump to step."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import ClassVar

from textual import on, work
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.command import (
    CommandInput,
    CommandList,
    CommandPalette,
    DiscoveryHit,
    Hit,
    Hits,
    Provider,
)
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import Input

from explorer.tui.messages import RunAction, RunIntent
from explorer.tui.text import highlight_plain, plain
from explorer.tui.widgets.option_list import laid_out
from explorer.views.actions import ACTIONS
from explorer.views.controller import Controller, option_state
from explorer.views.intents import (
    Intent,
    Jump,
    OpenLesson,
    PickKernel,
    PickScenario,
    ToggleOption,
)


class ExplorerCommands(Provider):
    """Everything you can open or switch, by name. Each entry posts a typed message
    (:mod:`explorer.tui.messages`) to the explorer screen, the base of the app's screen stack."""

    def _controller(self) -> Controller | None:
        ctl = getattr(self.app, "controller", None)
        return ctl if isinstance(ctl, Controller) else None

    def _send(self, message: Message) -> Callable[[], object]:
        return partial(self.app.screen_stack[0].post_message, message)

    def _run(self, intent: Intent) -> Callable[[], object]:
        return self._send(RunIntent(intent))

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        c = self._controller()
        if c is None or not self.app.screen_stack:
            return []
        out: list[tuple[str, Callable[[], object], str]] = []
        for s in c.scenarios():
            out.append((f"Scenario: {s.name}", self._run(PickScenario(s.name)),
                        f"Linux {'/'.join(s.versions)}: {s.title}" if s.versions else s.title))
        for v in c.versions():
            now = " (shown now)" if v == c.kernel else ""
            out.append((f"Kernel: linux {v}{now}", self._run(PickKernel(v)),
                        f"{c.scenario_name} in this kernel version (the schedule restarts)"))
        offered = c.offered_options()  # those that apply here, and any that are on
        for o in option_state(c.options):  # a toggle keeps the other faults' counts
            if o.name not in offered:
                continue
            state = "off" if o.on else "on"
            what = (f"What-if {state}: {o.name} (NOT THE KERNEL)" if o.not_kernel
                    else f"Fault {state}: {o.name}")
            out.append((what, self._run(ToggleOption(o.name)), o.title))
        for ls in c.lessons():
            out.append((f"Lesson: {ls.title}", self._run(OpenLesson(ls.slug)),
                        f"{len(ls.pages)} pages"))
        for a in ACTIONS:
            if a.palette:
                out.append((a.description[:1].upper() + a.description[1:],
                            self._send(RunAction(a.id)), f"key {a.key_name}"))
        return out

    async def discover(self) -> Hits:
        """All entries, for an empty query."""
        for text, cb, help_ in self._commands():
            yield DiscoveryHit(plain(text), cb, text=text, help=help_)

    async def search(self, query: str) -> Hits:
        """Fuzzy-matched entries, and ``jump to step N`` for a number."""
        c = self._controller()
        q = query.strip()
        digits = q.split()[-1] if q else ""
        if c is not None and self.app.screen_stack and digits.isdigit():
            n = int(digits)
            yield Hit(1.0, f"Jump to step {n}", self._run(Jump(n)),
                      help=f"history holds 0..{c.session.length}")
        matcher = self.matcher(query)
        for text, cb, help_ in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, highlight_plain(matcher, text), cb, text=text, help=help_)


class ExplorerPalette(CommandPalette):
    """Textual's command palette, hardened: PageUp/PageDown wait until its result list is on
    screen, and keys queued before it closed neither pop the screen below (a second Enter) nor
    start a search on a palette that is being taken down (Textual's gather worker then queried
    a removed CommandList)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pagedown", "page(1)", "Next page", show=False),
        Binding("pageup", "page(-1)", "Previous page", show=False),
    ]

    _dismissing = False

    def action_page(self, direction: int) -> None:
        """One page down (1) or up (-1) in the results, once they are laid out."""
        results = self.query_one(CommandList)
        if not laid_out(results):
            return
        if direction > 0:
            results.action_page_down()  # type: ignore[no-untyped-call]
        else:
            results.action_page_up()  # type: ignore[no-untyped-call]

    def dismiss(self, result: None = None) -> AwaitComplete:
        """Close once; a later call (the palette is no longer on top) does nothing."""
        if not self.is_current:
            return AwaitComplete()
        self._dismissing = True
        self.query_one(CommandInput).disabled = True  # typed-ahead keys start no new search
        return super().dismiss(result)

    @work(exclusive=True, group=CommandPalette._GATHER_COMMANDS_GROUP)
    async def _gather_commands(self, search_value: str) -> None:
        """Textual's gathering, unless the palette is already gone: a key right after Ctrl+P
        (Esc, or one that opens another screen) can take it down before this worker starts,
        and the base worker then failed on the missing CommandList, ending the app."""
        if self._dismissing or not self.is_attached or not self.query(CommandList):
            return
        try:
            await CommandPalette._gather_commands.__wrapped__(  # type: ignore[attr-defined]
                self, search_value)
        except NoMatches:
            if self.is_attached and not self._dismissing:
                raise

    @on(Input.Changed)
    def _ignore_input_while_closing(self, event: Input.Changed) -> None:
        """A change queued before the palette closed starts no search (the base handler would
        start one whose results land in a CommandList that is gone)."""
        if self._dismissing:
            event.prevent_default()
            event.stop()
