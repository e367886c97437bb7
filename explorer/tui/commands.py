"""Command palette entries: scenarios, what-ifs, faults, lessons, jump to step."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on
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
from textual.widgets import Input

from explorer.tui.text import highlight_plain, plain
from explorer.tui.widgets.option_list import laid_out

if TYPE_CHECKING:
    from explorer.tui.screens.main import MainScreen


class ExplorerCommands(Provider):
    """Everything you can open or switch, by name."""

    def _main(self) -> MainScreen | None:
        from explorer.tui.screens.main import MainScreen

        screen = getattr(self.app, "main_screen", None)
        return screen if isinstance(screen, MainScreen) else None

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        main = self._main()
        if main is None:
            return []
        c = main.controller
        out: list[tuple[str, Callable[[], object], str]] = []
        for s in c.scenarios():
            out.append((f"Scenario: {s.name}", partial(main.load_scenario, s.name), s.title))
        opts = c.options
        on_v = set(opts.variants)
        on_f = {f for f, _ in opts.faults}
        for v in c.variants():
            new_v = sorted(on_v ^ {v.name})
            state = "off" if v.name in on_v else "on"
            out.append((f"What-if {state}: {v.name} (NOT THE KERNEL)",
                        partial(main.set_options, new_v, sorted(on_f)), v.title))
        for f in c.faults():
            new_f = sorted(on_f ^ {f.name})
            state = "off" if f.name in on_f else "on"
            out.append((f"Fault {state}: {f.name}",
                        partial(main.set_options, sorted(on_v), new_f), f.title))
        for ls in c.lessons():
            out.append((f"Lesson: {ls.title}", partial(main.open_lesson, ls.slug),
                        f"{len(ls.pages)} pages"))
        out.append(("Explore all interleavings", main.action_explore, "outcomes and witnesses"))
        return out

    async def discover(self) -> Hits:
        """All entries, for an empty query."""
        for text, cb, help_ in self._commands():
            yield DiscoveryHit(plain(text), cb, text=text, help=help_)

    async def search(self, query: str) -> Hits:
        """Fuzzy-matched entries, and ``jump to step N`` for a number."""
        main = self._main()
        q = query.strip()
        digits = q.split()[-1] if q else ""
        if main is not None and digits.isdigit():
            n = int(digits)
            yield Hit(1.0, f"Jump to step {n}", partial(main.jump, n),
                      help=f"history holds 0..{main.snap.length}")
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

    @on(Input.Changed)
    def _ignore_input_while_closing(self, event: Input.Changed) -> None:
        """A change queued before the palette closed starts no search (the base handler would
        start one whose results land in a CommandList that is gone)."""
        if self._dismissing:
            event.prevent_default()
            event.stop()
