"""The modal helpers' common frame: a box in the middle of the screen, with their key hints.

The modal screens' styles live with them (here and in each screen's ``DEFAULT_CSS``), not in the
app's stylesheet: Textual parses them when a modal first opens, not before the first frame.
"""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

ResultT = TypeVar("ResultT")


class Modal(ModalScreen[ResultT]):
    """A modal screen whose ``.modal-box`` is a titled box in the middle of the screen."""

    DEFAULT_CSS = """
    Modal {
        align: center middle;
    }
    Modal .modal-box {
        width: 90%;
        max-width: 110;
        height: auto;
        max-height: 90%;
        border: round $accent;
        border-title-color: $accent;
        background: $surface;
        padding: 0 1;
    }
    Modal .hint {
        color: $text-muted;
    }
    """
