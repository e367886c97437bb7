"""The key footer: rebuilt only when the keys it shows change, fitted to its width."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

PALETTE = "palette"
"""The rank name of the command palette's key (docked right; it has no ACTIONS id)."""


class SteadyFooter(Footer):
    """Textual's :class:`~textual.widgets.Footer`, minus the rebuild on every step, and fitted
    to its width.

    The screen refreshes its bindings after every step (a thread may have blocked or finished,
    so its key is disabled). Textual's footer answers each refresh by removing and re-mounting
    every key widget, which restyles and re-lays out the screen: most of a step's frame time at
    160x48. This footer first compares what it would show (key, label, action, enabled, tooltip
    of each shown binding, and its width) with what it shows, and rebuilds only when that
    differs.

    Textual's footer lays every key out in a row and lets the last ones run under the palette
    key, cut mid-word (``t less▏^p paletteq`` at 80 columns). This one drops whole entries when
    they do not fit, least important first (:attr:`DROP_ORDER`); ``? help``, which lists every
    key, is never dropped.
    """

    DROP_ORDER: ClassVar[tuple[str, ...]] = (
        "pick_scenario", "whatif", "challenges", "explore", "pick_lesson", PALETTE, "quit")
    """Binding ids (ACTIONS rows) dropped first when the footer is short of room, in this
    order; then the thread keys, the last thread first. Any other shown key (``help``) stays."""

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._shown: tuple[tuple[object, ...], ...] | None = None
        self._width = 0

    def _signature(self, screen: Screen[object]) -> tuple[tuple[object, ...], ...]:
        return tuple((key, b.key, b.key_display, b.action, b.description, b.show, b.group,
                      enabled, tooltip)
                     for key, (_node, b, enabled, tooltip) in screen.active_bindings.items())

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Rebuild only if the shown keys changed, whether or not the app has focus.

        Textual's footer waits for app focus before its first build. In a browser
        (``kfunc-explorer serve``) the page starts without it, so the footer stayed empty until
        the first key. Here a change of focus changes no key, so nothing flickers."""
        self._bindings_ready = True
        if not (self.is_attached and screen is self.screen):
            return
        sig = self._signature(screen)
        if sig == self._shown:
            return
        self._shown = sig
        self.call_after_refresh(self.recompose)

    def on_resize(self, event: events.Resize) -> None:
        """A new width may fit more or fewer entries."""
        if event.size.width != self._width:
            self.call_after_refresh(self.recompose)

    # -- what fits ------------------------------------------------------------------------------
    def _entry_width(self, b: Binding, palette: bool = False) -> int:
        """Columns one key takes: ``key label`` plus its margin or padding (the palette key
        also its left border)."""
        key = self.app.get_key_display(b)
        text = f"{key} {b.description}" if b.description else key
        pad = 1 if self.compact else 2
        return cell_len(text) + pad + (pad if palette else 0)

    def _rank(self, b: Binding, threads: list[str]) -> int:
        """Drop order of ``b`` (lower: dropped sooner; -1: never)."""
        if b.id in self.DROP_ORDER:
            return self.DROP_ORDER.index(b.id)
        if b.id in threads:
            return len(self.DROP_ORDER) + threads[::-1].index(b.id)
        return -1

    def fitted(self, width: int) -> tuple[list[tuple[Binding, bool, str]],
                                         tuple[Binding, bool, str] | None]:
        """The keys shown in ``width`` columns (in their order) and the palette key (or None):
        whole entries are dropped, least important first, until the rest fit."""
        active = self.screen.active_bindings
        seen: set[str] = set()
        keys: list[tuple[Binding, bool, str]] = []
        for _node, b, enabled, tooltip in active.values():
            if b.show and b.action not in seen:
                seen.add(b.action)
                keys.append((b, enabled, tooltip))
        palette: tuple[Binding, bool, str] | None = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            hit = active.get(self.app.COMMAND_PALETTE_BINDING)
            if hit is not None:
                palette = (hit[1], hit[2], hit[3])
        threads = [b.id for b, _e, _t in keys if b.id and b.id.startswith("step_")]
        cost = {id(b): self._entry_width(b) for b, _e, _t in keys}
        total = sum(cost.values()) + (self._entry_width(palette[0], True) if palette else 0)
        if width <= 0 or total <= width:
            return keys, palette
        order = sorted([(self._rank(b, threads), i) for i, (b, _e, _t) in enumerate(keys)
                        if self._rank(b, threads) >= 0]
                       + ([(self.DROP_ORDER.index(PALETTE), -1)] if palette else []))
        dropped: set[int] = set()
        for _rank, i in order:
            if total <= width:
                break
            if i < 0:
                assert palette is not None
                total -= self._entry_width(palette[0], True)
                palette = None
            else:
                total -= cost[id(keys[i][0])]
                dropped.add(i)
        return [k for i, k in enumerate(keys) if i not in dropped], palette

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        self._width = self.size.width or self.app.size.width
        keys, palette = self.fitted(self._width)
        yield from self._keys(keys)
        if palette is not None:
            b, enabled, _tooltip = palette
            yield FooterKey(b.key, self.app.get_key_display(b), b.description, b.action,
                            classes="-command-palette", disabled=not enabled,
                            tooltip=b.tooltip or b.description)

    def _keys(self, keys: list[tuple[Binding, bool, str]]) -> Iterator[FooterKey]:
        for b, enabled, tooltip in keys:
            yield FooterKey(b.key, self.app.get_key_display(b), b.description, b.action,
                            disabled=not enabled, tooltip=tooltip).data_bind(
                                compact=Footer.compact)
