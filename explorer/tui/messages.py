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
class RunAction(Message):
    """Run the row ``action_id`` of the ACTIONS table (:mod:`explorer.views.actions`), as its
    key would."""

    action_id: str
