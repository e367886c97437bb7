"""The lesson narration widget draws what Markdown would: every lesson page's text, read by
markdown-it (the parser of Textual's Markdown widget and of the notebooks), gives the same words,
blocks and inline styles as :func:`explorer.tui.widgets.narration.blocks`. A lesson that uses
Markdown beyond paragraphs, lists, code, strong and emphasis fails here, by name."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from explorer.sim.lessons import load_lessons
from explorer.tui.widgets.narration import Piece, blocks, narration_content

INLINE_STYLES = {"strong": ".strong", "em": ".em"}
DRAWN = {"paragraph_open", "paragraph_close", "inline", "bullet_list_open", "bullet_list_close",
         "ordered_list_open", "ordered_list_close", "list_item_open", "list_item_close"}


def _merged(pieces: list[Piece]) -> list[Piece]:
    """Adjacent pieces of the same styles as one (the two readers cut text differently)."""
    out: list[Piece] = []
    for text, styles in pieces:
        if not text:
            continue
        if out and out[-1][1] == tuple(sorted(styles)):
            out[-1] = (out[-1][0] + text, out[-1][1])
        else:
            out.append((text, tuple(sorted(styles))))
    return out


def _inline(token: Token) -> list[Piece]:
    pieces: list[Piece] = []
    styles: list[str] = []
    for child in token.children or []:
        kind = child.type
        if kind == "text":
            pieces.append((child.content, tuple(styles)))
        elif kind == "softbreak":
            pieces.append((" ", tuple(styles)))
        elif kind == "code_inline":
            pieces.append((child.content, (*styles, ".code_inline")))
        elif kind.endswith("_open") and kind[:-5] in INLINE_STYLES:
            styles.append(INLINE_STYLES[kind[:-5]])
        elif kind.endswith("_close") and kind[:-6] in INLINE_STYLES:
            styles.remove(INLINE_STYLES[kind[:-6]])
        else:
            raise AssertionError(f"inline Markdown the narration does not draw: {kind}")
    return pieces


def markdown_blocks(text: str) -> list[list[Piece]]:
    """What markdown-it reads in ``text``: its paragraphs and list items, as pieces."""
    out: list[list[Piece]] = []
    mark: list[str] = []
    number = 0
    for tok in MarkdownIt("commonmark").parse(text):
        assert tok.type in DRAWN, f"block Markdown the narration does not draw: {tok.type}"
        if tok.type == "bullet_list_open":
            mark.append("•")
        elif tok.type == "ordered_list_open":
            mark.append("#")
            number = int(tok.attrs.get("start", 1) or 1)
        elif tok.type.endswith("_list_close"):
            mark.pop()
        elif tok.type == "inline":
            lead: list[Piece] = []
            if mark:
                lead = [("• " if mark[-1] == "•" else f"{number}. ", ())]
                number += mark[-1] == "#"
            out.append(_merged(lead + _inline(tok)))
    return out


PAGES = [(f"{ls.slug} page {k + 1}", page.text) for ls in load_lessons(check=False)
         for k, page in enumerate(ls.pages)]


@pytest.mark.parametrize(("where", "text"), PAGES, ids=[w for w, _ in PAGES])
def test_every_lesson_page_reads_as_markdown_would(where: str, text: str) -> None:
    assert [_merged(b) for b in blocks(text)] == markdown_blocks(text), where


def test_blocks_lists_and_inline_styles() -> None:
    text = ("A `code` and **strong `x`** and *em*\nsame paragraph.\n\n"
            "- one\n- **two**\n  more\n\nend")
    assert [_merged(b) for b in blocks(text)] == markdown_blocks(text)
    content = narration_content(text)
    assert content.plain == ("A code and strong x and em same paragraph.\n\n• one\n• two more"
                             "\n\nend")
    styled = {(content.plain[s.start:s.end], s.style) for s in content.spans}
    assert {("code", ".code_inline"), ("em", ".em"), ("strong ", ".strong"), ("x", ".strong"),
            ("x", ".code_inline"), ("two", ".strong")} == styled


def test_markup_characters_are_text() -> None:
    assert narration_content("heap [0, 13) and [STRUCT_OPS][CHECK]").plain == \
        "heap [0, 13) and [STRUCT_OPS][CHECK]"
