"""The lesson flow of the explorer screen: the narration panel in step with the lesson.

The lesson itself (which page, what the learner answered, the verdict) lives in the controller
and arrives in every :class:`~explorer.views.snapshot.Snapshot` as ``lesson``; the screen turns
keys into intents (:class:`~explorer.views.intents.OpenLesson`, ``GotoPage``, ``Answer``…).
:class:`LessonFlow` keeps the narration panel in step with ``Snapshot.lesson`` and says which
model panel a newly opened page looks at, or, once a prediction is answered (locked, and the model
stepped to its reveal), the panel that proves the answer.
"""

from __future__ import annotations

from textual.widget import Widget

from explorer.tui.widgets.lesson_panel import LessonPanel
from explorer.views.controller import Controller, LessonView, grade
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
            self.panel.show_page(self.lesson, state.index, state.number)
            opened = state.panel
        if state.verdict != self._verdict:
            self._verdict = v = state.verdict
            if v is None:
                self.panel.show_verdict("", None)
            else:  # answered: locked, and the model at the reveal, shown by its panel
                pr = state.page.predict
                truth = next((k for k, c in enumerate(pr.choices) if grade(c, v.truth)),
                             None) if pr is not None else None
                self.panel.show_locked(v.index, truth, v.text, v.right)
                if v.revealed_at >= 0 and pr is not None:
                    opened = state.reveal_panel
        return opened
