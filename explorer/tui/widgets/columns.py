"""Texts side by side in equal columns, built as whole lines (the bar's "ran" and "next" line) or
as a line's cells (the threads' lanes: a panel renders and keeps each cell on its own, so a lane
that did not change is not rendered again when the lane beside it did)."""

from __future__ import annotations

from collections.abc import Sequence

from rich._ratio import ratio_distribute
from rich.text import Text


def column_widths(n: int, width: int, gap: int) -> list[tuple[int, int]]:
    """Each of ``n`` equal columns in ``width`` cells as (its text's width, the gap after it):
    the widths of a ``Table.grid(padding=(0, gap), expand=True)`` with a ``ratio=1`` column
    each (split by Rich's ``ratio_distribute``; a grid collapses padding, so each column but
    the last has ``gap`` cells of right padding)."""
    pads = [gap if k < n - 1 else 0 for k in range(n)]
    widths = ratio_distribute(width, [1] * n, [1 + p for p in pads])
    return [(max(1, w - p), p) for w, p in zip(widths, pads, strict=True)]


def fit_column(lines: Sequence[Text], width: int, gap: int) -> list[Text]:
    """``lines`` as a column's cells: each cut (with an ellipsis) or padded to ``width`` cells,
    as a left-justified ``no_wrap`` grid cell, then ``gap`` blank cells (not styled)."""
    cells = []
    for line in lines:
        text = line.copy()
        text.truncate(width, overflow="ellipsis", pad=True)
        cell = Text(no_wrap=True, overflow="crop", end="")
        cell.append_text(text)  # its style a span: the gap after it is not styled
        if gap:
            cell.append(" " * gap)
        cells.append(cell)
    return cells


def line_up(columns: Sequence[Sequence[Text]], widths: Sequence[tuple[int, int]]
            ) -> list[tuple[Text, ...]]:
    """Fitted columns (:func:`fit_column`, at ``widths``) as lines of cells, a short column blank
    below its end."""
    if not columns:
        return []
    blank = [Text(" " * (w + gap), no_wrap=True, overflow="crop", end="") for w, gap in widths]
    return [tuple(col[r] if r < len(col) else blank[k] for k, col in enumerate(columns))
            for r in range(max(len(c) for c in columns))]


def side_by_side_cells(columns: list[list[Text]], width: int, gap: int) -> list[tuple[Text, ...]]:
    """``columns`` side by side in ``width`` cells, ``gap`` cells apart: a line each, as its
    cells, one a column, each exactly its column's width with the gap after it; joined
    (:func:`join_cells`), a line is ``width`` cells.

    The same cells as a ``Table.grid(padding=(0, gap), expand=True)`` with a ``ratio=1``,
    ``no_wrap``, ``overflow="ellipsis"`` column each, built directly: a table measures every
    cell and renders each through padding and a group, which was most of a step's frame.
    """
    widths = column_widths(len(columns), width, gap)
    return line_up([fit_column(col, w, g) for col, (w, g) in zip(columns, widths, strict=True)],
                   widths)


def join_cells(cells: Sequence[Text]) -> Text:
    """One line of ``cells``, left to right."""
    line = Text(no_wrap=True, overflow="crop", end="")
    for cell in cells:
        line.append_text(cell)
    return line


def side_by_side(columns: list[list[Text]], width: int, gap: int) -> list[Text]:
    """:func:`side_by_side_cells` as whole lines: a text per line of exactly ``width`` cells."""
    return [join_cells(cells) for cells in side_by_side_cells(columns, width, gap)]
