"""Rich text for the heap tree and the marked array (:mod:`explorer.views.heap` lays them out).

Roles map to styles here; the symbols (``*x*``, ``▸``, ``│``, ``✓``) already carry the meaning,
so the colours only repeat it.
"""

from __future__ import annotations

from rich.text import Text

from explorer.views.heap import HeapTree, Segment

ROLE_STYLES = {
    "play": "bold black on yellow",
    "swap": "bold white on magenta",
    "tail": "green",
    "root": "bold cyan",
    "heap": "",
    "index": "dim",
    "edge": "dim",
    "note": "dim italic",
    "": "",
}


def segments_text(segs: tuple[Segment, ...], op: str = "") -> Text:
    """One line of segments; the pair in play is yellow for a compare, magenta for a swap."""
    t = Text(no_wrap=False)
    for text, role in segs:
        style = ROLE_STYLES["swap"] if role == "play" and op == "swap" else ROLE_STYLES[role]
        t.append(text, style=style)
    return t


def tree_text(tree: HeapTree, op: str = "") -> Text:
    """The tree, one line per row (never wrapped: it was laid out for the width)."""
    out = Text(no_wrap=True, overflow="crop")
    for k, row in enumerate(tree.rows):
        if k:
            out.append("\n")
        out.append_text(segments_text(row, op))
    return out
