"""Autoplay for presenters: one step on a timer, faster or slower, stopping at the end."""

from __future__ import annotations

from collections.abc import Callable

from textual.timer import Timer
from textual.widget import Widget

SPEEDS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0)
"""Autoplay speeds, steps per second."""
DEFAULT_SPEED_INDEX = 2
"""2 steps a second."""


class Autoplay:
    """Calls ``step`` at the chosen speed while on; ``step`` returns False when nothing is left
    to play, which stops autoplay with a notification.

    The timer belongs to ``owner`` (it dies with it); ``show_status`` gets the status-bar text
    ('' when off)."""

    def __init__(self, owner: Widget, step: Callable[[], bool],
                 show_status: Callable[[str], None]) -> None:
        self._owner = owner
        self._step = step
        self._show_status = show_status
        self._timer: Timer | None = None
        self.speed_index = DEFAULT_SPEED_INDEX
        """Index into :data:`SPEEDS`."""
        self.stop_reason = "every thread has ended"
        """What the notification says when ``step`` returns False (``step`` may change it)."""

    @property
    def on(self) -> bool:
        """Is autoplay running?"""
        return self._timer is not None

    @property
    def speed(self) -> float:
        """Steps per second."""
        return SPEEDS[self.speed_index]

    def toggle(self) -> None:
        """Start or stop."""
        self.set(not self.on)

    def set(self, on: bool) -> None:
        """Start (or restart at the current speed) or stop."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if on:
            self._timer = self._owner.set_interval(1.0 / self.speed, self.tick)
        self._show_status(f"▶ autoplay {self.speed:g}/s" if on else "")

    def faster(self, delta: int) -> None:
        """``delta`` speeds up (negative: slower), clamped; a running timer takes the new speed."""
        self.speed_index = max(0, min(len(SPEEDS) - 1, self.speed_index + delta))
        if self.on:
            self.set(True)

    def tick(self) -> None:
        """One step (the timer calls this); stop at a terminal state."""
        if not self._step():
            self.set(False)
            self._owner.notify(f"autoplay stopped: {self.stop_reason}", title="autoplay",
                               markup=False)
