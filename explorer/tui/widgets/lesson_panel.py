"""A lesson page: narration (Markdown), and a prediction to make before the model answers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from explorer.tui.text import plain
from explorer.tui.widgets.option_list import SafeOptionList
from explorer.views.controller import LessonView


class LessonPanel(VerticalScroll):
    """Narration beside the live model; Right/PageDown next page, Left/PageUp back."""

    DEFAULT_CSS = """
    LessonPanel { height: auto; }
    LessonPanel #question { text-style: bold; margin-top: 1; }
    LessonPanel OptionList { height: auto; max-height: 6; }
    LessonPanel #verdict { height: auto; }
    """

    class Picked(Message):
        """The learner picked choice ``index`` of the page's prediction."""

        def __init__(self, index: int) -> None:
            self.index = index
            super().__init__()

    def compose(self) -> ComposeResult:
        """Question, choices, verdict; the narration is mounted above them on the first page
        (Textual's Markdown and its parser are not imported before the first frame)."""
        yield Static(id="question")
        yield SafeOptionList(id="choices")
        yield Static(id="verdict")

    def show_page(self, lesson: LessonView, index: int) -> None:
        """Show page ``index`` of ``lesson`` (prediction unanswered)."""
        page = lesson.pages[index]
        # The page counter sits in the subtitle: a long lesson title in the narrow wide-layout
        # column is cut at the right, and the counter must never be what is cut.
        self.border_title = plain(lesson.title)
        self.border_subtitle = f"page {index + 1}/{len(lesson.pages)}  ←/PgUp  →/PgDn"
        self._show_narration(f"### {page.title}\n\n{page.text}")
        question = self.query_one("#question", Static)
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        pr = page.predict
        question.display = choices.display = pr is not None
        if pr is not None:
            question.update(plain(f"Predict: {pr.question}"))
            choices.add_options([Option(plain(f"{k + 1}. {c}"), id=str(k))
                                 for k, c in enumerate(pr.choices)])
        self.show_verdict("")
        self.scroll_home(animate=False)

    def _show_narration(self, markdown: str) -> None:
        """The page's text as Markdown (the widget is made on the first page)."""
        from textual.widgets import Markdown

        try:
            self.query_one("#narration", Markdown).update(markdown)
        except NoMatches:
            self.mount(Markdown(markdown, id="narration"), before="#question")

    def show_verdict(self, text: str, right: bool | None = None) -> None:
        """The model's answer to the prediction ('' hides it)."""
        v = self.query_one("#verdict", Static)
        v.display = bool(text)
        v.set_class(right is True, "-right")
        v.set_class(right is False, "-wrong")
        v.update(plain(text))
        if text:
            self.call_after_refresh(self.scroll_end, animate=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A choice was picked (Enter or click)."""
        event.stop()
        self.post_message(self.Picked(event.option_index))
