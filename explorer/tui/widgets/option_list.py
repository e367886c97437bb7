"""An OptionList whose PageUp/PageDown are safe before the list has been laid out."""

from __future__ import annotations

from textual.widgets import OptionList


def laid_out(option_list: OptionList) -> bool:
    """Whether ``option_list`` has a content region yet (it has none while hidden or zero high).

    Textual 8's ``OptionList._move_page`` indexes the line cache, which is only filled once the
    list has a non-empty region; a PageUp/PageDown that arrives between ``add_options`` and the
    next layout (``x`` then PageDown within ~50 ms, or PageDown in a command palette whose list is
    still hidden) raised ``KeyError: 0``.
    """
    return bool(option_list.scrollable_content_region)


class SafeOptionList(OptionList):
    """OptionList; PageUp/PageDown do nothing until the list is on screen."""

    def action_page_up(self) -> None:
        """Up one page (once laid out)."""
        if laid_out(self):
            super().action_page_up()  # type: ignore[no-untyped-call]

    def action_page_down(self) -> None:
        """Down one page (once laid out)."""
        if laid_out(self):
            super().action_page_down()  # type: ignore[no-untyped-call]
