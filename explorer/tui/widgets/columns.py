"""Texts side by side in equal columns, built as whole lines (the threads' lanes, the bar's
"ran" and "next" lines)."""

from __future__ import annotations

from rich._ratio import ratio_distribute
from rich.text import Text


def side_by_side(columns: list[list[Text]], width: int, gap: int) -> list[Text]:
    """``columns`` side by side in ``width`` cells, ``gap`` cells apart: a text per line of
    exactly ``width`` cells (a short column is blank below its end).

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
    for column, cw in zip(columns, inner, strict=True):
        fitted = []
        for line in column:
            cell = line.copy()
            cell.truncate(cw, overflow="ellipsis", pad=True)  # as a left-justified cell
            fitted.append(cell)
        cells.append(fitted)
    out: list[Text] = []
    for r in range(max(len(c) for c in cells)):
        line = Text(no_wrap=True, overflow="crop", end="")
        for k, col in enumerate(cells):
            if r < len(col):
                line.append_text(col[r])
            else:
                line.append(" " * inner[k])
            if pads[k]:
                line.append(" " * pads[k])
        out.append(line)
    return out
