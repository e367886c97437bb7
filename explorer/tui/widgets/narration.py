"""A lesson page's narration: the Markdown that lessons are written in, drawn in one widget.

Lesson text uses a small part of Markdown: paragraphs, inline ``code``, ``**strong**``,
``*emphasis*`` and ``-`` bullet lists (``tests/test_narration.py`` checks every lesson stays
within it). Drawing that as one :class:`~textual.content.Content` (with the inline styles of
Textual's own Markdown widget) puts the text in the same frame as the page: Textual's Markdown
widget builds a widget per block after it is mounted (the first frame showed the page without
its text) and its parser and widgets took longer to import than the rest of the first frame.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from textual.content import Content, Span
from textual.widgets import Static

_INLINE = re.compile(r"`([^`]+)`|\*\*(.+?)\*\*|\*(\S(?:[^*]*?\S)?)\*")
"""Inline code (taken first, as in Markdown), strong, emphasis."""
_ITEM = re.compile(r"\s*(?:[-*+]|(\d+)[.)])\s+")
"""The start of a list item: its bullet, or its number."""

Piece = tuple[str, tuple[str, ...]]
"""Some text and the component classes (``.code_inline``, ``.strong``, ``.em``) it is drawn in."""


def inline(text: str, styles: tuple[str, ...] = ()) -> Iterator[Piece]:
    """The pieces of one paragraph's text, with their inline styles."""
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() > pos:
            yield text[pos:m.start()], styles
        code, strong, em = m.groups()
        if code is not None:
            yield code, (*styles, ".code_inline")
        elif strong is not None:
            yield from inline(strong, (*styles, ".strong"))
        else:
            yield from inline(em, (*styles, ".em"))
        pos = m.end()
    if pos < len(text):
        yield text[pos:], styles


def blocks(markdown: str) -> Iterator[list[Piece]]:
    """The paragraphs and list items of ``markdown``, each as pieces; a list item starts with
    its bullet (``•``) or number. Lines of a paragraph are joined with a space, as Markdown
    does."""
    for para in re.split(r"\n[ \t]*\n", markdown.strip()):
        lines = para.splitlines()
        if not lines:
            continue
        if _ITEM.match(lines[0]):
            items: list[tuple[str, list[str]]] = []
            for line in lines:
                m = _ITEM.match(line)
                if m:
                    items.append((f"{m.group(1)}." if m.group(1) else "•", [line[m.end():]]))
                else:
                    items[-1][1].append(line.strip())
            for mark, words in items:
                yield [(f"{mark} ", ()), *inline(" ".join(words))]
        else:
            yield list(inline(" ".join(line.strip() for line in lines)))


def narration_content(markdown: str) -> Content:
    """``markdown`` as one Content: a blank line after each paragraph; list items one a line."""
    text: list[str] = []
    spans: list[Span] = []
    pos = 0
    previous_item = False
    for k, pieces in enumerate(blocks(markdown)):
        item = pieces[0][0] in ("• ",) or bool(re.fullmatch(r"\d+\. ", pieces[0][0]))
        if k:
            sep = "\n" if item and previous_item else "\n\n"
            text.append(sep)
            pos += len(sep)
        for chunk, styles in pieces:
            spans.extend(Span(pos, pos + len(chunk), s) for s in styles)
            text.append(chunk)
            pos += len(chunk)
        previous_item = item
    return Content("".join(text), spans=spans)


class Narration(Static):
    """The text of a lesson page (its inline styles are the Markdown widget's)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"code_inline", "em", "strong"}

    DEFAULT_CSS = """
    Narration {
        height: auto;
        margin: 0 0 1 0;
        &:dark > .code_inline { background: $warning 10%; color: $text-warning 95%; }
        &:light > .code_inline { background: $error 5%; color: $text-error 95%; }
        &:ansi > .code_inline { background: ansi_default; }
        & > .em { text-style: italic; }
        & > .strong { text-style: bold; }
    }
    """

    def __init__(self, markdown: str = "", *, id: str | None = None) -> None:
        super().__init__(narration_content(markdown), id=id)
        self.markdown = markdown
        """The page's text as written."""

    def show(self, markdown: str) -> None:
        """Draw ``markdown``."""
        self.markdown = markdown
        self.update(narration_content(markdown))
