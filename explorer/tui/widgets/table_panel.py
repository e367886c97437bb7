"""``struct btf`` → ``kfunc_set_tab`` → the hook × type grid, one per BTF."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from explorer.tui.widgets.panel import SnapshotPanel
from explorer.views.snapshot import CellView, KfuncListView, Snapshot, TableView

TYPE_HEADS = ("CHECK", "ACQ", "REL", "NULL?")
"""Short column heads for BTF_KFUNC_TYPE_CHECK, _ACQUIRE, _RELEASE and _RET_NULL."""

TABLE_WIDTH = 40
GRID_5_18_WIDTH = 46
"""Columns the v5.18 grid needs with its cell padding (below it the padding goes)."""
NAMES_MIN_HEIGHT = 40
"""From this terminal height on the panel has rows to spare: the cell the last step wrote lists
its IDs beside the kfunc each names, in up to :data:`NAME_ROWS` lines; below it, one line of
IDs (the notebook's table always shows names)."""
NAME_ROWS = 4


def cell_text(c: CellView) -> Text:
    """One cell: NULL, ``cnt/max`` (kmalloc'd copy), ``→mod`` (module memory) or FREED."""
    if c.is_null:
        t = Text("NULL", style="dim")
    elif c.freed:
        t = Text("FREED", style="bold white on red")
    elif c.region == "module":
        t = Text(f"→mod{c.cnt}", style="bold cyan")
    else:
        t = Text(c.fill, style="bold green")
    if c.shared_with:
        t.append("=", style="bold magenta")
    if c.pending:
        t.append("~sb", style="yellow")
    if c.highlight:
        t.stylize("reverse")
        t = Text("»", style="bold yellow") + t
    return t


def ids_lines(c: CellView, width: int, rows: int, prefix: str) -> list[Text]:
    """``prefix``, then the cell's IDs with the kfunc each names in aligned columns: at most
    ``rows`` lines of ``width`` columns; the last slot says how many more did not fit."""
    entries = [f"{i} {n}" if n else str(i) for i, n in c.labelled()]
    out = [Text(prefix, style="yellow", overflow="ellipsis", no_wrap=True)]
    if not entries:
        return out
    colw = min(max(map(len, entries)) + 2, max(8, width - 2))
    per = max(1, (width - 2) // colw)
    if len(entries) > per * rows:
        shown = entries[:per * rows - 1]
        entries = [*shown, f"+{len(entries) - len(shown)} more"]
    for k in range(0, len(entries), per):
        line = "  " + "".join(e[:colw - 1].ljust(colw) for e in entries[k:k + per])
        out.append(Text(line.rstrip(), style="yellow", overflow="ellipsis", no_wrap=True))
    return out


def _written(prefix: str, c: CellView, width: int, name_rows: int) -> list[Text]:
    """The cell the last step wrote: its IDs with names where there are rows to spare, else one
    line of IDs."""
    if name_rows > 0:
        return ids_lines(c, width, name_rows, f"  {prefix} {c.addr} {c.symbol}:")
    ids = " ".join(str(i) for i in c.ids[:12]) + (" …" if len(c.ids) > 12 else "")
    return [Text(f"  {prefix} {c.addr} {c.symbol}: {ids}", style="yellow", overflow="ellipsis",
                 no_wrap=True)]


def table_renderable(tv: TableView, freed_before: bool, width: int = TABLE_WIDTH,
                     name_rows: int = 0) -> RenderableType:
    """The ``struct btf`` line, then the grid (or why there is none); with ``name_rows``, the
    cell just written lists its IDs with their kfunc names in that many lines of ``width``."""
    head = Text()
    head.append(f"struct btf {tv.btf}", style="bold")
    head.append(" (module)" if tv.is_module else " (vmlinux)", style="dim")
    if not tv.published:
        head.append(" unpublished", style="dim italic")
    tab_line = Text("  ->kfunc_set_tab = ")
    if tv.tab is None:
        tab_line.append("NULL", style="bold")
        if tv.highlight == "free":
            tab_line.append("  ✖ just freed: btf_free_kfunc_set_tab() (error path)",
                            style="bold white on red")
        elif freed_before:
            tab_line.append("  (freed on the error path)", style="bold red")
    else:
        tab_line.append(tv.tab, style="bold")
        if tv.highlight in ("alloc", "write"):
            tab_line.append("  ★ kzalloc'd now", style="bold yellow")
    if tv.pending_tab is not None:
        tab_line.append(f"  ~sb store buffer: {tv.pending_tab}", style="yellow")
    if tv.tab is None:
        return Group(head, tab_line)
    if tv.kernel != "5.18":
        return Group(head, tab_line, *_set8_rows(tv, width, name_rows))
    # Whole, the grid takes GRID_5_18_WIDTH columns: hook 10, four cells of 6 ("→mod2="), the
    # box's four dividers and a space either side of each. Narrower, the spaces go first, so a
    # count is never cut (QA: lesson 4 asks for one in a 40-column middle column at 120x34).
    pad = 1 if width >= GRID_5_18_WIDTH else 0
    grid = Table(box=box.SIMPLE_HEAD, padding=(0, pad), pad_edge=False, show_edge=False,
                 header_style="bold")
    grid.add_column("hook", no_wrap=True)
    for h in TYPE_HEADS:
        grid.add_column(h, no_wrap=True, justify="center")
    for row in tv.rows:
        grid.add_row(Text(row[0].hook, style="bold"), *(cell_text(c) for c in row))
    parts: list[RenderableType] = [head, tab_line, grid]
    seen: set[str] = set()
    for row in tv.rows:
        for c in row:
            if c.shared_with and c.addr is not None and c.addr not in seen:
                seen.add(c.addr)
                cells = ", ".join((f"{c.hook}/{c.type}", *c.shared_with))
                parts.append(Text(f"  = {c.symbol}: {cells}", style="magenta",
                                  overflow="ellipsis", no_wrap=True))
    for row in tv.rows:
        for c in row:
            if c.highlight and not c.is_null and not c.freed:
                parts += _written(f"[{c.hook}][{c.type}]", c, width, name_rows)
    return Group(*parts)


def _set8_rows(tv: TableView, width: int = TABLE_WIDTH,
               name_rows: int = 0) -> list[RenderableType]:
    """A 6.17 table: one ``btf_id_set8`` a hook (non-NULL hooks listed), flags and filters."""
    grid = Table(box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False, show_edge=False,
                 header_style="bold")
    grid.add_column("hook", no_wrap=True)
    grid.add_column("set8", no_wrap=True, justify="center")
    grid.add_column("flags · filters", no_wrap=True, overflow="ellipsis")
    shown, empty = tv.set8_rows()
    for c, flt in shown:
        flagged = sum(1 for f in c.flags if f)
        note = Text(f"{flagged} flagged" if flagged else "", style="magenta")
        if flt:
            note.append((" · " if flagged else "") + f"{len(flt)} filter(s)", style="yellow")
        grid.add_row(Text(c.hook, style="bold"), cell_text(c), note)
    parts: list[RenderableType] = [grid]
    if empty:
        parts.append(Text(f"  NULL: {', '.join(empty)}", style="dim", overflow="ellipsis",
                          no_wrap=True))
    for i, row in enumerate(tv.rows):
        c = row[0]
        if c.highlight and not c.is_null and not c.freed:
            parts += _written(f"[{c.hook}]", c, width, name_rows)
        if i < len(tv.filters) and tv.filters[i]:
            parts.append(Text(f"  [{c.hook}] filters: {', '.join(tv.filters[i])}",
                              style="yellow", overflow="ellipsis", no_wrap=True))
    return parts


def _drawn(c: CellView) -> CellView:
    """``c`` as the panel draws it: a cell's IDs and their names show only while the last step
    wrote it (under the grid), so another cell keeps none of them (its flags only sorted, for
    6.17's count of flagged IDs). A sort reorders a cell's IDs on every swap, and the panel,
    which shows its count, was drawn again each time."""
    if (c.highlight and not c.is_null and not c.freed) or not c.ids:
        return c
    return replace(c, ids=(), names=(), flags=tuple(sorted(c.flags)))


def kfunc_list_renderable(kl: KfuncListView) -> Text:
    """v5.16: one ``kfunc_btf_id_list`` and the module sets on it (head first), each with its
    kfuncs: what ``bpf_check_mod_kfunc_call`` walks under the list's mutex."""
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append(kl.name, style="bold")
    t.append(f" ({kl.KIND})")
    if not kl.sets:
        t.append(f"\n  ({kl.EMPTY})", style="dim")
    for symbol, kfuncs in kl.sets:
        t.append("\n  → ")
        t.append(symbol, style="bold cyan")
        t.append(f": {', '.join(kfuncs) or '(no IDs)'}")
    return t


def drawn_tables(snap: Snapshot) -> tuple[TableView, ...]:
    """The tables of ``snap`` with only what the panel draws of each cell (see :func:`_drawn`)."""
    return tuple(replace(tv, rows=tuple(tuple(map(_drawn, row)) for row in tv.rows))
                 for tv in snap.tables)


def _focus_cell(snap: Snapshot) -> tuple[str | None, str]:
    """(btf, hook) of the row to keep in view: the cell or table the lesson page asks about
    (hook '' for a table), else the cell the last step wrote, else the table it allocated or
    freed; (None, '') for none."""
    pr = snap.lesson.page.predict if snap.lesson is not None else None
    if pr is not None and pr.kind in ("cell", "table"):
        return pr.btf, pr.hook if pr.kind == "cell" else ""
    for tv in snap.tables:
        for row in tv.rows:
            if any(c.highlight for c in row):
                return tv.btf, row[0].hook
    return next(((tv.btf, "") for tv in snap.tables if tv.highlight), (None, ""))


class TablePanel(SnapshotPanel):
    """Every ``struct btf``'s ``kfunc_set_tab`` grid; the last written cell is highlighted."""

    PANEL_TITLE = "kfunc_set_tab"

    def view_key(self, snap: Snapshot) -> Hashable:
        """The tables (a table's write, allocation or free changes them), whether the screen
        is tall enough for kfunc names, and the row kept in view (:meth:`focus_lines`)."""
        return drawn_tables(snap), self.name_rows, _focus_cell(snap), snap.kfunc_lists

    def steady_key(self, snap: Snapshot) -> Hashable:
        """One height while the same tables are shown (a table allocated or freed changes it):
        the IDs of the cell just written come and go from step to step, and the panels under
        this one stay put."""
        return tuple((tv.btf, tv.tab is not None, len(tv.rows)) for tv in snap.tables)

    def focus_lines(self, snap: Snapshot, lines: list[str], width: int) -> tuple[int, int] | None:
        """The row a lesson's question asks about (its table's ``kfunc_set_tab`` line for a
        question about the table), else the row of the cell the last step wrote (or the table it
        allocated or freed), with the IDs written under the grid when they fit."""
        btf, hook = _focus_cell(snap)
        if btf is None:
            return None
        head = next((k for k, ln in enumerate(lines) if f"struct btf {btf} (" in ln), None)
        if head is None:
            return None
        if not hook:
            return head, head + 1
        row = next((k for k in range(head + 1, len(lines))
                    if lines[k].split(" ", 1)[0] == hook), None)
        if row is None:
            return head, head + 1
        ids = next((k for k in range(row + 1, len(lines))
                    if lines[k].lstrip().startswith(f"[{hook}]")), row)
        return row, ids

    @property
    def name_rows(self) -> int:
        """Lines for the written cell's IDs with names: :data:`NAME_ROWS` on a tall screen."""
        return NAME_ROWS if self.app.size.height >= NAMES_MIN_HEIGHT else 0

    def draw(self, snap: Snapshot) -> RenderableType:
        """Tables side by side when there is room, else stacked (v5.16: its lists, and the
        border names them: that kernel had no kfunc_set_tab)."""
        self.border_title = "kfunc lists (v5.16)" if snap.kfunc_lists else self.PANEL_TITLE
        if snap.kfunc_lists:
            return Group(*map(kfunc_list_renderable, snap.kfunc_lists),
                         Text(KfuncListView.NOTE, style="dim"))
        per_row = max(1, min(len(snap.tables), self.inner_width // TABLE_WIDTH))
        width = TABLE_WIDTH if per_row > 1 else self.inner_width
        items = [table_renderable(tv, tv.freed_before, width, self.name_rows)
                 for tv in snap.tables]
        limit = max((tv.rows[0][0].limit for tv in snap.tables if tv.rows), default=32)
        legend = Text(f"NULL  n/{limit} kmalloc'd copy  →mod points into module memory  "
                      "= one array shared by several cells  » last step  ~sb in store buffer",
                      style="dim", overflow="ellipsis", no_wrap=True)
        if per_row == 1:
            return Group(*items, legend)
        grid = Table.grid(padding=(0, 2))
        for _ in range(per_row):
            grid.add_column(width=TABLE_WIDTH)
        for k in range(0, len(items), per_row):
            row = items[k:k + per_row]
            grid.add_row(*row, *([""] * (per_row - len(row))))
        return Group(grid, legend)
