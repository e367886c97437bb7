"""The key footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class SteadyFooter(Footer):
    """Textual's :class:`~textual.widgets.Footer`, minus the rebuild on every step.

    The screen refreshes its bindings after every step (a thread may have blocked or finished,
    so its key is disabled). Textual's footer answers each refresh by removing and re-mounting
    every key widget, which restyles and re-lays out the screen: most of a step's frame time at
    160x48. This footer first compares what it would show (key, label, action, enabled, tooltip
    of each shown binding) with what it shows, and rebuilds only when that differs.
    """

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._shown: tuple[tuple[object, ...], ...] | None = None

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
