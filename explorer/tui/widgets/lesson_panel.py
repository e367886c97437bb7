"""A lesson page: narration (Markdown, scrolls), and a prediction pinned below it.

The question and its choices never scroll away (the box at 80x24 still shows them): the narration
above them scrolls instead. The explanation appears only once the learner has answered, at the
end of the narration (scrolled into view), and the answer is locked: the choices stay on screen,
disabled, the pick and the model's answer marked.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.css.scalar import Scalar
from textual.message import Message
from textual.widgets import Button, Static

from explorer.tui.text import plain
from explorer.tui.widgets.narration import Narration
from explorer.views.actions import DEFAULT_KEYS, Keys
from explorer.views.controller import LessonView


class ChoiceButton(Button, inherit_css=False):
    """A choice: Textual's compact Button, styled by the rules of that look only.

    Button's own stylesheet (every variant, the flat style, ANSI colours) was the largest the
    first frame parsed, ~10 ms before a lesson page could show. These are its rules for a
    compact button of the default variant (ANSI ones included), copied from Textual 8.2; the
    SVG snapshot of a lesson page checks they draw the same."""

    DEFAULT_CSS = """
    ChoiceButton:ansi.-style-default {
        border: tall $border-blurred;
        background: ansi_default;
        &:disabled {
            text-opacity: 1;
            text-style: bold dim;
            border: tall $border-blurred !important;
            background: ansi_default !important;
            pointer: not-allowed;
            &:hover {
                background: ansi_default;
            }
        }
        &:hover {
            background: $ansi-background;
            border: tall $border;
        }
        &.-active {
            background: $ansi-background !important;
            border: blank $background !important;
            tint: transparent;
        }
    }
    ChoiceButton {
        width: auto;
        min-width: 16;
        height: auto;
        line-pad: 1;
        text-align: center;
        content-align: center middle;
        pointer: pointer;
        &.-style-default {
            text-style: bold;
            color: $button-foreground;
            background: $surface;
            border: none;
            border-top: tall $surface-lighten-1;
            border-bottom: tall $surface-darken-1;
            &.-textual-compact {
                border: none !important;
            }
            &:disabled {
                text-opacity: 0.6;
                pointer: not-allowed;
            }
            &:focus {
                text-style: $button-focus-text-style;
                background-tint: $foreground 5%;
            }
            &:hover {
                border-top: tall $surface;
                background: $surface-darken-1;
            }
            &.-active {
                background: $surface;
                border-bottom: tall $surface-lighten-1;
                border-top: tall $surface-darken-1;
                tint: $background 30%;
            }
        }
    }
    """


class LessonPanel(Vertical):
    """Narration beside (or above) the live model; Right/PageDown next page, Left/PageUp back."""

    DEFAULT_CSS = """
    LessonPanel { height: auto; }
    LessonPanel #lesson-scroll { height: 1fr; scrollbar-size-vertical: 1; }
    LessonPanel #lesson-title { color: $accent; text-style: bold; }
    LessonPanel #page-title { color: $primary; text-style: bold; }
    LessonPanel #predict { height: auto; }
    LessonPanel #question { text-style: bold; }
    LessonPanel #choices { height: auto; }
    LessonPanel #choices.-stack { layout: grid; grid-size: 2; grid-rows: 1; }
    LessonPanel #choices ChoiceButton { margin-right: 1; min-width: 6; }
    LessonPanel #choices ChoiceButton.-picked { text-style: bold underline; color: $warning; }
    LessonPanel #choices ChoiceButton.-truth { text-style: bold; color: $success; }
    LessonPanel #choices ChoiceButton.-picked:disabled,
    LessonPanel #choices ChoiceButton.-truth:disabled {
        text-opacity: 100%; opacity: 100%;
    }
    LessonPanel #verdict { height: auto; margin-top: 1; }
    LessonPanel #verdict.-right { color: $success; text-style: bold; }
    LessonPanel #verdict.-wrong { color: $warning; text-style: bold; }
    """

    class Picked(Message):
        """The learner picked choice ``index`` of the page's prediction."""

        def __init__(self, index: int) -> None:
            self.index = index
            super().__init__()

    def compose(self) -> ComposeResult:
        """Title, narration and the verdict (scrolling), then question and choices (pinned)."""
        with VerticalScroll(id="lesson-scroll"):
            yield Static(id="lesson-title")
            yield Static(id="page-title")
            yield Narration(id="narration")
            yield Static(id="verdict")
        with Vertical(id="predict"):
            yield Static(id="question")
            yield Horizontal(id="choices")  # a button a choice, made when a page first needs it

    @property
    def asking(self) -> bool:
        """The page has a prediction not answered yet."""
        return self.has_class("-asking")

    def show_page(self, lesson: LessonView, index: int, number: int = 0,
                  keys: Keys = DEFAULT_KEYS) -> None:
        """Show page ``index`` of ``lesson`` (lesson ``number`` of the list), prediction open;
        the border names the page keys as ``keys`` (the user's keymap) binds them."""
        page = lesson.pages[index]
        self._number = f"lesson {number}" if number else "lesson"
        self._title = f"{self._number}: {lesson.title}"
        self._lesson_title = lesson.title
        self.border_subtitle = (f"page {index + 1}/{len(lesson.pages)}  "
                                f"{keys.all('prev').replace(' / ', '/')}  "
                                f"{keys.all('next').replace(' / ', '/')}")
        self._place_title()
        self.query_one("#page-title", Static).update(plain(page.title))
        self._show_narration(page.text)
        pr = page.predict
        self.query_one("#predict").display = pr is not None
        self.set_class(pr is not None, "-asking")
        texts = pr.choices if pr is not None else ()
        if pr is not None:
            self.query_one("#question", Static).update(plain(f"Predict: {pr.question}"))
        self._show_choices([plain(f" {keys.one(f'answer_{k + 1}')} {t} ")  # its answer key
                            for k, t in enumerate(texts)])
        self._place_choices()
        self.show_verdict("")
        self.query_one("#lesson-scroll", VerticalScroll).scroll_home(animate=False)

    def _buttons(self) -> list[ChoiceButton]:
        """The choice buttons made so far (hidden ones too), in order."""
        return list(self.query_one("#choices", Horizontal).query(ChoiceButton))

    def _show_choices(self, labels: list[Content]) -> None:
        """A button a choice (the lead space of a label takes ✔/✘ once answered): the buttons
        a page needs beyond those made for earlier pages are made now, the others hidden."""
        buttons = self._buttons()
        for k, b in enumerate(buttons):
            b.display = k < len(labels)
            b.disabled = False
            b.remove_class("-picked", "-truth")
            if k < len(labels):
                b.label = labels[k]
                b.refresh(layout=True)  # a new label needs a new width (Button won't ask)
        if len(labels) > len(buttons):
            self.query_one("#choices", Horizontal).mount_all(
                ChoiceButton(labels[k], name=str(k), compact=True)
                for k in range(len(buttons), len(labels)))

    def _show_narration(self, markdown: str) -> None:
        """The page's text (drawn in this frame: :mod:`explorer.tui.widgets.narration`)."""
        self.query_one("#narration", Narration).show(markdown)

    _title = _lesson_title = ""
    _number = "lesson"

    _title_shown = ""

    def _width(self) -> int:
        """The panel's content width. Before its first layout (a page shown in the first frame)
        it is the width its rules give it on this screen, so that the first frame places the
        title and the choices as every later one does, and is not laid out again."""
        if self.size.width:
            return self.size.width
        screen = self.screen.size
        styles = self.styles

        def cells(scalar: Scalar | None, default: int) -> int:
            if scalar is None or scalar.is_auto or scalar.is_fraction:
                return default
            return int(scalar.resolve(screen, screen))

        width = cells(styles.width, screen.width)
        width = min(max(width, cells(styles.min_width, 0)), cells(styles.max_width, width))
        return max(0, width - styles.gutter.width)

    def _place_title(self) -> None:
        """The lesson title in the border when it fits whole; else a short border and the full
        title wrapped at the top of the narration (a title is never cut)."""
        room = self._width() - 6
        fits = room > 0 and len(self._title) <= room
        self.border_title = plain(self._title if fits else self._number)
        title = self.query_one("#lesson-title", Static)
        title.display = not fits
        if self._title_shown != self._lesson_title:  # an update lays the panel out again
            self._title_shown = self._lesson_title
            title.update(plain(self._lesson_title))

    def _place_choices(self) -> None:
        """Choices in one row when they fit the width, else two a row (never cut off)."""
        shown = [b for b in self._buttons() if b.display]
        need = sum(len(str(b.label)) + 4 for b in shown)
        self.query_one("#choices").set_class(need > self._width() - 4, "-stack")

    def on_resize(self) -> None:
        """Re-place the title and the choices for the new width."""
        self._place_title()
        self._place_choices()

    def choice_texts(self) -> list[str]:
        """The choices shown, as labelled (``1 OK``; ``✔ 1 OK`` once locked)."""
        return [str(b.label).strip() for b in self._buttons() if b.display]

    def show_locked(self, pick: int, truth: int | None, verdict: str, right: bool) -> None:
        """The prediction is answered: choices disabled, the pick (and the model's answer when
        it is another) marked, the verdict with the explanation below."""
        self.set_class(False, "-asking")
        for k, b in enumerate(self._buttons()):
            b.disabled = True
            b.set_class(k == pick, "-picked")
            b.set_class(k == truth, "-truth")
            if b.display and k in (pick, truth):  # marks that read without colour
                mark = "✔" if k == truth else "✘"
                b.label = plain(mark + str(b.label)[1:])
        self.show_verdict(verdict, right)

    def show_verdict(self, text: str, right: bool | None = None) -> None:
        """The model's answer to the prediction ('' hides it)."""
        v = self.query_one("#verdict", Static)
        v.display = bool(text)
        v.set_class(right is True, "-right")
        v.set_class(right is False, "-wrong")
        v.update(plain(text))
        if text:  # the verdict ends the narration: bring its first line into view
            self.call_after_refresh(v.scroll_visible, top=True, animate=False)

    @on(Button.Pressed, "#choices ChoiceButton")
    def _pressed(self, event: Button.Pressed) -> None:
        """A choice was clicked (or Enter on a focused choice)."""
        event.stop()
        if event.button.name is not None:
            self.post_message(self.Picked(int(event.button.name)))
