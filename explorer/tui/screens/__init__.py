"""The TUI's screens: the explorer itself and its modal helpers.

The modal screens are imported when first opened, not before the explorer's first frame: write
``from explorer.tui import screens`` and ``screens.HelpScreen(...)`` where one is pushed. Each
name below resolves, on first use, to the class in its own module (PEP 562); type checkers see
the classes themselves.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from explorer.tui.screens.challenges import ChallengesScreen
    from explorer.tui.screens.explore import ExploreScreen
    from explorer.tui.screens.help import HelpScreen
    from explorer.tui.screens.picker import PickerScreen
    from explorer.tui.screens.prompt import PromptScreen
    from explorer.tui.screens.sortlab import SortLabScreen
    from explorer.tui.screens.versions import VersionsScreen
    from explorer.tui.screens.whatif import WhatIfScreen

LAZY_SCREENS = {
    "ChallengesScreen": "challenges",
    "ExploreScreen": "explore",
    "HelpScreen": "help",
    "PickerScreen": "picker",
    "PromptScreen": "prompt",
    "SortLabScreen": "sortlab",
    "VersionsScreen": "versions",
    "WhatIfScreen": "whatif",
}
"""Screen class → its module in this package, imported on first use."""

__all__ = ["ChallengesScreen", "ExploreScreen", "HelpScreen", "PickerScreen", "PromptScreen",
           "SortLabScreen", "VersionsScreen", "WhatIfScreen"]


def __getattr__(name: str) -> object:
    module = LAZY_SCREENS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value
