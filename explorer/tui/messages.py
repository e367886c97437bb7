"""The TUI's typed messages: how the command palette asks the explorer screen for things
without importing it (no palette <-> screen import circle).

The palette posts these to the app's base screen (the explorer); it handles them.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class LoadScenario(Message):
    """Open scenario ``name`` (leaving any lesson)."""

    name: str


@dataclass
class SetOptions(Message):
    """Switch to exactly these what-ifs and faults (``name`` or ``name:n``)."""

    variants: list[str]
    faults: list[str]


@dataclass
class OpenLesson(Message):
    """Start lesson ``slug``."""

    slug: str


@dataclass
class ExploreAll(Message):
    """Explore every interleaving."""


@dataclass
class JumpTo(Message):
    """Jump to step ``n`` of the history."""

    n: int
