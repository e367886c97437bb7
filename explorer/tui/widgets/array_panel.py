"""The array being sorted (lib/sort.c heapsort, with its implicit heap tree) or searched."""

from __future__ import annotations

from collections.abc import Hashable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from explorer.tui.widgets.heap_render import segments_text, tree_text
from explorer.tui.widgets.panel import Rows, SnapshotPanel
from explorer.views.heap import HeapTree, array_segments, heap_tree
from explorer.views.snapshot import ArrayView, Snapshot

SORT_LEGEND = "*x* compared/swapped  ▸ sift-down root  │ heap end  ✓ sorted tail"


def sort_text(a: ArrayView) -> Text:
    """Elements with the pair in play, the sift root, the heap boundary and the tail marked."""
    return segments_text(array_segments(a.ids, heap_n=a.heap_n, heap_a=a.heap_a, i=a.i, j=a.j,
                                        active=a.active), a.op)


def bsearch_text(a: ArrayView) -> Text:
    """Elements with the range [base, base+num) underlined and the pivot highlighted."""
    t = Text()
    for k, v in enumerate(a.ids):
        style = ""
        if a.base <= k < a.base + a.num:
            style = "underline"
        mark = " "
        if k == a.pivot:
            style = "bold black on yellow"
            mark = "*"
        t.append(f"{mark}{v}{mark}", style=style)
        t.append(" ")
    return t


def phase_line(a: ArrayView) -> Text:
    """``BUILD HEAP`` / ``SORT DOWN`` / ``SORTED`` and the narration of the last step."""
    t = Text()
    if a.phase_label:
        t.append(f" {a.phase_label.upper()} ", style="bold reverse")
        t.append(" ")
    t.append(a.narration or "—")
    return t


def sort_info(a: ArrayView) -> Text:
    """The sort's size, heap range, last operation and counts."""
    return Text(f"num {len(a.ids)}  heap [0, {a.heap_n})  a={a.heap_a}  last: {a.op or '-'}"
                f" i={a.i} j={a.j}  comparisons {a.comparisons}  swaps {a.swaps}")


SIDE_MIN = 110
"""From this width on the heap tree stands beside the array, not under it."""

COMPACT_NOTE = "(tree shows indices: the values are in the array)"


def _tree(a: ArrayView, width: int) -> HeapTree:
    return heap_tree(a.ids, heap_n=a.heap_n, heap_a=a.heap_a, i=a.i, j=a.j, active=a.active,
                     width=width)


def sort_rows(a: ArrayView, width: int) -> list[Text]:
    """Info, phase and narration, the array, the legend, then the tree a row a text (under
    the array): drawn as :class:`Rows`, a step re-renders only the rows it changed (the counts,
    the narration, the marked array and the tree rows of the pair in play)."""
    tree = _tree(a, width)
    rows = [sort_info(a), phase_line(a), sort_text(a),
            Text(SORT_LEGEND, style="dim", overflow="ellipsis", no_wrap=True)]
    for row in tree.rows:
        t = segments_text(row, a.op)
        t.no_wrap, t.overflow = True, "crop"  # laid out for the width: never wrapped
        rows.append(t)
    if tree.compact:
        rows.append(Text(COMPACT_NOTE, style="dim", no_wrap=True, overflow="crop"))
    return rows


def sort_view(a: ArrayView, width: int) -> RenderableType:
    """Info, phase and narration, the array, and the tree (beside it when there is room)."""
    if width < SIDE_MIN:
        return Group(*sort_rows(a, width))
    info = sort_info(a)
    legend = Text(SORT_LEGEND, style="dim", overflow="ellipsis", no_wrap=True)
    tree_w = width // 2 - 1
    tree = _tree(a, tree_w)
    tree_r = tree_text(tree, a.op)
    if tree.compact:
        tree_r.append("\n" + COMPACT_NOTE, style="dim")
    left = Group(info, phase_line(a), sort_text(a), legend)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(ratio=1)
    grid.add_column(width=tree_w)
    grid.add_row(left, tree_r)
    return grid


class ArrayPanel(SnapshotPanel):
    """Heapsort or binary search, step by step."""

    PANEL_TITLE = "sort / bsearch"
    STEADY_ROWS = True  # the narration and the array wrap to more or fewer lines step by step

    def show(self, snap: Snapshot | None) -> None:
        """Draw ``snap``; class ``-empty`` while there is no sort or search to show (the wide
        layout then gives the panel its one line, not the column's rest)."""
        self.set_class(snap is None or snap.array is None, "-empty")
        super().show(snap)

    def view_key(self, snap: Snapshot) -> Hashable:
        """The sort or bsearch shown."""
        return snap.array

    def steady_key(self, snap: Snapshot) -> Hashable:
        """One height for one sort or search (its tree and its wrapped array line vary from
        step to step): the panels under it stay put."""
        a = snap.array
        return None if a is None else (a.kind, a.label, a.addr, len(a.ids))

    def draw(self, snap: Snapshot) -> RenderableType:
        """The current (or latest) sort or bsearch."""
        a = snap.array
        if a is None:
            return Text("no sort or bsearch yet", style="dim")
        width = self.inner_width
        if a.kind == "sort" and width >= SIDE_MIN:
            return Group(head_text(a), sort_view(a, width))
        if a.kind == "sort":  # a row a text: the rows a step did not change are kept
            return Rows([head_text(a), *sort_rows(a, width)])
        legend = Text("underlined: [base, base+num)  *x* pivot", style="dim")
        return Rows([head_text(a), bsearch_info(a), phase_line(a), bsearch_text(a), legend])

    def focus_lines(self, snap: Snapshot, lines: list[str], width: int) -> tuple[int, int] | None:
        """The array (from its first line), below the head, the counts and the phase line
        (the tree, when beside the array, is left at the top)."""
        a = snap.array
        if a is None or (a.kind == "sort" and width >= SIDE_MIN):
            return None
        info = sort_info(a) if a.kind == "sort" else bsearch_info(a)
        ids = sort_text(a) if a.kind == "sort" else bsearch_text(a)
        console = self.app.console
        first = sum(len(t.wrap(console, width)) for t in (head_text(a), info, phase_line(a)))
        return first, first + len(ids.wrap(console, width)) - 1


def head_text(a: ArrayView) -> Text:
    """``sort`` or ``bsearch``, the array's label, address and note."""
    head = Text()
    head.append(f"{a.kind} ", style="bold")
    head.append(f"{a.label} ({a.addr})  {a.note}", style="dim")
    return head


def bsearch_info(a: ArrayView) -> Text:
    """The search's key, range, pivot, probes and whether it has found the key."""
    found = "searching" if a.found is None else ("FOUND" if a.found else "NOT FOUND")
    info = Text(f"key {a.key}  base {a.base}  num {a.num}  pivot {a.pivot}  "
                f"probes {a.comparisons}  ")
    info.append(found, style="bold green" if a.found else "bold red" if a.found is False
                else "bold")
    return info
