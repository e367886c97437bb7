"""SteadyFooter: the same keys as Textual's Footer, rebuilt only when they change."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from explorer.tui.widgets.footer import SteadyFooter


class Keys(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("b", "step", "step B"),
                                             Binding("v", "other", "step V")]
    blocked = False

    def compose(self) -> ComposeResult:
        yield Static("x")
        yield SteadyFooter(compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "step" and self.blocked else True

    def action_step(self) -> None:
        pass

    def action_other(self) -> None:
        pass


def _keys(app: Keys) -> dict[str, FooterKey]:
    return {k.key: k for k in app.query(FooterKey)}


def test_footer_rebuilds_only_when_its_keys_change() -> None:
    asyncio.run(_footer_rebuilds_only_when_its_keys_change())


async def _footer_rebuilds_only_when_its_keys_change() -> None:
    app = Keys()
    async with app.run_test() as pilot:
        await pilot.pause()
        first = _keys(app)
        assert {"b", "v"} <= set(first) and not first["b"].has_class("-disabled")
        for _ in range(3):  # nothing changed: the very same key widgets stay
            app.refresh_bindings()
            await pilot.pause()
            assert _keys(app) == first
        app.blocked = True  # the B key becomes disabled: rebuilt, and shown disabled
        app.refresh_bindings()
        await pilot.pause()
        now = _keys(app)
        assert now["b"] is not first["b"] and now["b"].has_class("-disabled")
        assert not now["v"].has_class("-disabled")


class Unfocused(Keys):
    """As in a browser (textual-serve): the page opens without app focus."""

    def on_load(self) -> None:
        self.set_reactive(App.app_focus, False)


def test_footer_shows_before_the_app_has_focus() -> None:
    """QA: in the browser the footer stayed empty until the first key (Textual's Footer waits
    for app focus before its first build)."""

    async def body() -> None:
        app = Unfocused()
        async with app.run_test() as pilot:
            await pilot.pause()
            assert not app.app_focus
            assert {"b", "v"} <= set(_keys(app))

    asyncio.run(body())


def _footer_line(app: App[object]) -> str:
    """The footer's row as drawn: each key's text placed at its column (a key drawn over
    another, or past the edge, would garble it)."""
    footer = app.screen.query_one(SteadyFooter)
    row = [" "] * footer.region.width
    for k in footer.query(FooterKey):
        text = k.render().plain
        x = k.region.x - footer.region.x
        for i, ch in enumerate(text[:k.region.width]):
            if 0 <= x + i < len(row):
                row[x + i] = ch
    return "".join(row)


def test_footer_at_80_columns_drops_whole_entries_and_keeps_help() -> None:
    """QA: at 80 columns the footer read ``… t less▏^p paletteq``: a label cut mid-word, `?
    help` and `q quit` gone. Whole entries go, least important first; help always stays."""
    from conftest import drive

    from explorer.tui.app import ExplorerApp

    seen: dict[tuple[int, int], tuple[set[str], str]] = {}

    async def body(app: ExplorerApp, pilot: object) -> None:
        await app.workers.wait_for_complete()
        footer = app.screen.query_one(SteadyFooter)
        keys = {k.description: k for k in footer.query(FooterKey)}
        right = sum(k.region.width for k in keys.values() if not k.has_class("-command-palette"))
        assert right <= footer.region.width
        seen[app.size.width, app.size.height] = (set(keys), _footer_line(app))

    drive(body, size=(80, 24))
    drive(body, size=(160, 48))
    small, line = seen[80, 24]
    assert {"help", "quit", "step L", "step V"} <= small, small
    assert "? help" in line and "q quit" in line, line
    for label in small:  # every label shown whole
        assert label in line, (label, line)
    big, _ = seen[160, 48]
    assert small < big and {"scenario", "what-if", "palette"} <= big
