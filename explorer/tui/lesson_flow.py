"""The lesson flow of the explorer screen: the narration panel in step with the lesson.

The lesson itself (which page, what the learner answered, the verdict) lives in the controller
and arrives in every :class:`~explorer.views.snapshot.Snapshot` as ``lesson``; the screen turns
keys into intents (:class:`~explorer.views.intents.OpenLesson`, ``GotoPage``, ``Answer``…).
:class:`LessonFlow` keeps the narration panel in step with ``Snapshot.lesson`` and says which
model panel a newly opened page looks at.
"""

from __future__ import annotations

from textual.widget import Widget

from explorer.tui.widgets.lesson_panel import LessonPanel
from explorer.views.controller import Controller, LessonView
from explorer.views.snapshot import AnswerVerdict, LessonState


class LessonFlow:
    """Mirrors the controller's lesson into the narration panel of ``host`` (the explorer
    screen), which gets the ``-lesson`` class while a lesson is open."""

    def __init__(self, host: Widget, controller: Controller) -> None:
        self._host = host
        self._controller = controller
        self._page: tuple[str, int] | None = None
        self._verdict: AnswerVerdict | None = None

    @property
    def lesson(self) -> LessonView | None:
        """The open lesson (None: free exploration)."""
        return self._controller.lesson

    @property
    def page_index(self) -> int:
        """The page shown of :attr:`lesson`."""
        return self._controller.page_index

    @property
    def panel(self) -> LessonPanel:
        """The narration widget."""
        return self._host.query_one("#lesson", LessonPanel)

    def update(self, state: LessonState | None) -> str | None:
        """Show ``state``; the model panel to bring forward when a page was opened, else None."""
        if state is None or self.lesson is None:
            if self._page is not None:
                self._page, self._verdict = None, None
                self.panel.display = False
                self._host.remove_class("-lesson")
            return None
        opened = None
        if self._page != (state.slug, state.index):
            self._page, self._verdict = (state.slug, state.index), None
            self.panel.display = True
            self._host.add_class("-lesson")
            self.panel.show_page(self.lesson, state.index)
            opened = state.panel
        if state.verdict != self._verdict:
            self._verdict = state.verdict
            v = state.verdict
            self.panel.show_verdict("", None) if v is None else self.panel.show_verdict(
                v.text, v.right)
        return opened
