"""The array being sorted (lib/sort.c heapsort) or searched (bsearch)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from explorer.tui.widgets.panel import SnapshotPanel
from explorer.views.snapshot import ArrayView, Snapshot


def sort_text(a: ArrayView) -> Text:
    """Elements with i/j highlighted, the heap [0, n) and the sorted tail marked."""
    t = Text()
    for k, v in enumerate(a.ids):
        style = "green" if a.heap_n >= 0 and k >= a.heap_n else ""
        mark = " "
        if k in (a.i, a.j):
            style = "bold black on yellow" if a.op == "cmp" else "bold white on magenta"
            mark = "*"
        if k == a.heap_a and a.active:
            t.append("a", style="bold cyan")
        if k == a.heap_n and a.active:
            t.append("|", style="bold red")
        t.append(f"{mark}{v}{mark}", style=style)
        t.append(" ")
    return t


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


class ArrayPanel(SnapshotPanel):
    """Heapsort or binary search, step by step."""

    PANEL_TITLE = "sort / bsearch"

    def draw(self, snap: Snapshot) -> RenderableType:
        """The current (or latest) sort or bsearch."""
        a = snap.array
        if a is None:
            return Text("no sort or bsearch yet", style="dim")
        head = Text()
        head.append(f"{a.kind} ", style="bold")
        head.append(f"{a.label} ({a.addr})  {a.note}", style="dim")
        if a.kind == "sort":
            info = Text(f"num {len(a.ids)}  heap a={a.heap_a} n={a.heap_n}  last: {a.op or '-'}"
                        f" i={a.i} j={a.j}  comparisons {a.comparisons}  swaps {a.swaps}")
            legend = Text("*x* compared/swapped  a sift-down root  | heap end  green: sorted "
                          "tail", style="dim", overflow="ellipsis", no_wrap=True)
            return Group(head, info, sort_text(a), legend)
        found = "searching" if a.found is None else ("FOUND" if a.found else "NOT FOUND")
        info = Text(f"key {a.key}  base {a.base}  num {a.num}  pivot {a.pivot}  "
                    f"probes {a.comparisons}  ")
        info.append(found, style="bold green" if a.found else "bold red" if a.found is False
                    else "bold")
        legend = Text("underlined: [base, base+num)  *x* pivot", style="dim")
        return Group(head, info, bsearch_text(a), legend)
