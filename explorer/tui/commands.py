"""Command palette entries: scenarios, what-ifs, faults, lessons, jump to step."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

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
            yield DiscoveryHit(text, cb, help=help_)

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
                yield Hit(score, matcher.highlight(text), cb, help=help_)
