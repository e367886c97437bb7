"""The lesson flow of the explorer screen: open a lesson, turn pages, grade predictions.

:class:`LessonFlow` owns which lesson is open and on which page; the screen keeps the keys and
asks it to act. A page places the model (``Controller.open_page``) and names the model panel it
looks at; a prediction is graded by the controller's one grading rule.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget

from explorer.tui.widgets.lesson_panel import LessonPanel
from explorer.views.controller import Controller, LessonView

FOCUS_TO_PANEL = {"table": "table", "sort": "array", "bsearch": "array", "lanes": "lanes",
                  "trace": "trace", "outcomes": "trace"}
"""The model panel a lesson page's ``focus`` looks at (``lanes`` when it names none)."""


class LessonFlow:
    """The open lesson and page of ``host`` (the explorer screen).

    ``run(fn, *args)`` calls the controller and shows an error if it fails (False);
    ``show_error`` shows a one-line error; ``show_panel`` brings a model panel to the front.
    """

    def __init__(self, host: Widget, controller: Controller,
                 run: Callable[..., bool], show_error: Callable[[str], None],
                 show_panel: Callable[[str], None]) -> None:
        self._host = host
        self._controller = controller
        self._run = run
        self._show_error = show_error
        self._show_panel = show_panel
        self.lesson: LessonView | None = None
        """The open lesson (None: free exploration)."""
        self.page_index = 0
        """The page shown of :attr:`lesson`."""

    @property
    def panel(self) -> LessonPanel:
        """The narration widget."""
        return self._host.query_one("#lesson", LessonPanel)

    def open(self, slug: str, page: int = 0) -> bool:
        """Start lesson ``slug`` at ``page``; an unknown slug is one line in the error panel."""
        try:
            lessons = {ls.slug: ls for ls in self._controller.lessons()}
        except ValueError as e:
            self._show_error(str(e))
            return False
        if slug not in lessons:
            self._show_error(f"lesson {slug!r}: no such lesson (lessons: "
                             f"{', '.join(lessons) or 'none'})")
            return False
        self.lesson = lessons[slug]
        self.panel.display = True
        self._host.add_class("-lesson")
        self.page_index = -1
        self.goto(page)
        return True

    def leave(self) -> None:
        """Close the narration."""
        self.lesson = None
        self.panel.display = False
        self._host.remove_class("-lesson")
        self._host.refresh_bindings()

    def goto(self, index: int) -> None:
        """Open page ``index`` of the current lesson (clamped): places the model there."""
        if self.lesson is None:
            return
        index = max(0, min(index, len(self.lesson.pages) - 1))
        if index == self.page_index:
            return
        page = self.lesson.pages[index]
        if not self._run(self._controller.open_page, page):
            return
        self.page_index = index
        self.panel.show_page(self.lesson, index)
        self._show_panel(FOCUS_TO_PANEL.get(page.focus, "lanes"))

    def check_prediction(self, index: int) -> None:
        """Ask the model for the answer and say right or wrong, with the explanation."""
        if self.lesson is None:
            return
        page = self.lesson.pages[self.page_index]
        pr = page.predict
        if pr is None or not 0 <= index < len(pr.choices):
            return
        try:
            truth = self._controller.page_answer(page)
        except ValueError as e:
            self._show_error(str(e))
            return
        pick = pr.choices[index]
        right = self._controller.grade(pick, truth)
        verdict = (f"✔ Right: {truth}." if right else
                   f"✘ Not quite: you said {pick}, the model says {truth}.")
        if pr.explain:
            verdict += f"\n{pr.explain}"
        self.panel.show_verdict(verdict, right)
