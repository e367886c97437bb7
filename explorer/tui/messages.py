"""The TUI's typed messages: how the command palette asks the explorer screen for things
without importing it (no palette <-> screen import circle).

The palette posts these to the app's base screen (the explorer); it handles them.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from explorer.views.intents import Intent


@dataclass
class RunIntent(Message):
    """Apply ``intent`` (:mod:`explorer.views.intents`) through the explorer screen."""

    intent: Intent


@dataclass
class ExploreAll(Message):
    """Explore every interleaving (the explore screen, with its progress)."""
