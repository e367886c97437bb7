"""The lesson flow of the explorer screen: the narration panel in step with the lesson.

The lesson itself (which page, what the learner answered, the verdict) lives in the controller
and arrives in every :class:`~explorer.views.snapshot.Snapshot` as ``lesson``; the screen turns
keys into intents (:class:`~explorer.views.intents.OpenLesson`, ``GotoPage``, ``Answer``…).
:class:`LessonFlow` keeps the narration panel in step with ``Snapshot.lesson`` and says which
model panel a newly opened page looks at, or, once a prediction is answered (locked, and the model
stepped to its reveal), the panel that proves the answer.

The narration panel is made when the first lesson page opens (a session that never opens one
never builds, styles or lays it out: it is a dozen widgets).
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget

from explorer.tui.widgets.lesson_panel import LessonPanel
from explorer.views.controller import Controller, grade
from explorer.views.snapshot import AnswerVerdict, LessonState


class LessonFlow:
    """Mirrors the controller's lesson into the narration panel, which ``place`` mounts (in
    the explorer screen) when the first page opens."""

    def __init__(self, place: Callable[[Widget], object], controller: Controller) -> None:
        self._place = place
        self._controller = controller
        self._panel: LessonPanel | None = None
        self._state: LessonState | None = None
        self._page: tuple[str, int] | None = None
        self._verdict: AnswerVerdict | None = None
        self._drawn: tuple[tuple[str, int] | None, AnswerVerdict | None] = (None, None)
        """The page and verdict the panel shows (it catches up once it is composed)."""

    def new_panel(self) -> LessonPanel:
        """The narration widget, for the screen to compose (a lesson opens at start)."""
        self._panel = LessonPanel(id="lesson")
        self._panel.call_later(self._draw)  # once it is composed
        self._panel.display = False
        return self._panel

    @property
    def panel(self) -> LessonPanel:
        """The narration widget (made and mounted on first use)."""
        if self._panel is not None:
            return self._panel
        panel = self.new_panel()
        self._place(panel)
        return panel

    def update(self, state: LessonState | None) -> str | None:
        """Show ``state``; the model panel to bring forward when a page was opened, else None."""
        self._state = state = state if self._controller.lesson is not None else None
        opened = None
        if state is None:
            self._page, self._verdict = None, None
            self._drawn = (None, None)  # opened again, the page is drawn again
        else:
            if self._page != (state.slug, state.index):
                self._page, self._verdict = (state.slug, state.index), None
                opened = state.panel
            if state.verdict != self._verdict:
                self._verdict = v = state.verdict
                if v is not None and v.revealed_at >= 0 and state.page.predict is not None:
                    opened = state.reveal_panel  # the model at the reveal
        if state is not None or self._panel is not None:
            self.panel.display = state is not None
            self._draw()
        return opened

    def _draw(self) -> None:
        """Bring the panel to :attr:`_state` (nothing until the panel is composed)."""
        panel, state, lesson = self._panel, self._state, self._controller.lesson
        if panel is None or not panel.is_mounted or state is None or lesson is None:
            return
        page, verdict = self._drawn
        if page != (state.slug, state.index):
            panel.show_page(lesson, state.index, state.number, self._controller.keys)
            if panel.screen.focused is None:  # ↑/↓ scroll a long narration
                panel.query_one("#lesson-scroll").focus()
            page, verdict = (state.slug, state.index), None
        if state.verdict != verdict:
            v = verdict = state.verdict
            if v is None:
                panel.show_verdict("", None)
            else:  # answered: locked, the pick and the model's answer marked
                pr = state.page.predict
                truth = next((k for k, c in enumerate(pr.choices) if grade(c, v.truth)),
                             None) if pr is not None else None
                panel.show_locked(v.index, truth, v.said(self._controller.keys), v.right)
        self._drawn = page, verdict
