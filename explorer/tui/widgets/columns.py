"""Texts side by side in equal columns, built as whole lines (the bar's "ran" and "next" line) or
as a line's cells (the threads' lanes: a panel renders and keeps each cell on its own, so a lane
that did not change is not rendered again when the lane beside it did)."""

from __future__ import annotations

from collections.abc import Sequence

from rich._ratio import ratio_distribute
from rich.text import Text


def side_by_side_cells(columns: list[list[Text]], width: int, gap: int) -> list[tuple[Text, ...]]:
    """``columns`` side by side in ``width`` cells, ``gap`` cells apart: a line each, as its
    cells, one a column, each exactly its column's width with the gap after it (a short column
    is blank below its end); joined (:func:`join_cells`), a line is ``width`` cells.

    The same cells as a ``Table.grid(padding=(0, gap), expand=True)`` with a ``ratio=1``,
    ``no_wrap``, ``overflow="ellipsis"`` column each (the same widths, split by Rich's
    ``ratio_distribute``, and the grid's collapsed padding), built directly: a table measures
    every cell and renders each through padding and a group, which was most of a step's frame.
    """
    n = len(columns)
    if n == 0:
        return []
    # a grid collapses padding: each column but the last has ``gap`` columns of right padding
    pads = [gap if k < n - 1 else 0 for k in range(n)]
    widths = ratio_distribute(width, [1] * n, [1 + p for p in pads])
    inner = [max(1, w - p) for w, p in zip(widths, pads, strict=True)]
    cells: list[list[Text]] = []
    for column, cw, pad in zip(columns, inner, pads, strict=True):
        fitted = []
        for line in column:
            text = line.copy()
            text.truncate(cw, overflow="ellipsis", pad=True)  # as a left-justified cell
            cell = Text(no_wrap=True, overflow="crop", end="")
            cell.append_text(text)  # its style a span: the gap after it is not styled
            if pad:
                cell.append(" " * pad)
            fitted.append(cell)
        cells.append(fitted)
    blank = [Text(" " * (cw + pad), no_wrap=True, overflow="crop", end="")
             for cw, pad in zip(inner, pads, strict=True)]
    return [tuple(col[r] if r < len(col) else blank[k] for k, col in enumerate(cells))
            for r in range(max(len(c) for c in cells))]


def join_cells(cells: Sequence[Text]) -> Text:
    """One line of ``cells``, left to right."""
    line = Text(no_wrap=True, overflow="crop", end="")
    for cell in cells:
        line.append_text(cell)
    return line


def side_by_side(columns: list[list[Text]], width: int, gap: int) -> list[Text]:
    """:func:`side_by_side_cells` as whole lines: a text per line of exactly ``width`` cells."""
    return [join_cells(cells) for cells in side_by_side_cells(columns, width, gap)]
