"""Plain text for Textual: lesson, scenario and error text is never read as Textual markup.

Textual parses a ``str`` handed to ``Static.update``, an ``Option``, a border title or a command
palette hit as markup, so the kernel's cell names (``[STRUCT_OPS][CHECK]``, ``[TC][CHECK]``)
vanish as unknown style tags, and ``textual.markup.escape`` only escapes tags that start with a
lower-case letter. Everything our text reaches goes through :func:`plain` instead.
"""

from __future__ import annotations

from textual.content import Content
from textual.fuzzy import Matcher


def plain(text: str) -> Content:
    """``text`` exactly as written: no markup, brackets kept."""
    return Content(text)


def highlight_plain(matcher: Matcher, text: str) -> Content:
    """``Matcher.highlight`` without reading ``text`` as markup."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if not score:
        return content
    for offset in offsets:
        if not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
