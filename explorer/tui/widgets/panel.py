"""The base of every model panel: a widget that draws one :class:`Snapshot`.

A step changes a few panels, not all of them, and rarely their heights. So a panel compares the
part of the snapshot it draws (:meth:`SnapshotPanel.view_key`) with what it shows, and does
nothing when they are equal; otherwise it renders once, keeps the lines (strips) for Textual to
paint, and asks for a layout only when its height is ``auto`` and the number of lines changed;
otherwise only the lines that differ from those shown are repainted.
(Textual's own path renders a ``layout=True`` widget twice a frame: once to measure its height,
once to paint it, and re-lays out the whole screen.)

Two more things keep a step's frame small. A panel that draws :class:`Rows` (the threads, the
trace) has each row rendered on its own and kept by content, so the rows a step did not change
(or only moved) are not rendered again. And an ``auto``-height view may name a
:meth:`SnapshotView.steady_key`: while it stays the same, the view keeps the most lines it has
needed, so a wrapped line or a heap tree one row shorter does not move every panel under it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import Visual, visualize
from textual.widget import Widget

from explorer.tui.widgets.columns import join_cells
from explorer.views.snapshot import Snapshot

_NOTHING: Any = object()
"""The view key before anything is drawn (equal to no key)."""


Row = Text | tuple[Text, ...]
"""A row of :class:`Rows`: a text, or texts side by side (a line's cells, see
:func:`~explorer.tui.widgets.columns.side_by_side_cells`)."""


class Rows(Group):
    """What a panel draws as separate texts (usually one a line), each rendered on its own and
    its strips kept by content: a step changes a few rows of a panel, or moves them (the
    trace), and the others are not rendered again. A row of cells (the threads' lanes side by
    side) has each cell kept on its own and the cells joined, so a row in which one lane
    changed renders that lane's cell alone. Still a Rich group, for whoever renders it
    whole."""

    def __init__(self, rows: Iterable[Row]) -> None:
        self.rows = list(rows)
        super().__init__()

    @property
    def renderables(self) -> list[RenderableType]:
        """The rows as whole texts (only when rendered whole: a selection, Rich)."""
        if self._render is None:
            self._render = [row_text(row) for row in self.rows]
        return self._render


def row_text(row: Row) -> Text:
    """``row`` as one text."""
    return row if isinstance(row, Text) else join_cells(row)


def _fitted(row: Text, width: int) -> Text:
    """``row`` cut to ``width`` as Rich cuts a ``no_wrap`` text (with its ``overflow``: an
    ellipsis or a crop). Textual draws a Rich text through its own Content, which wraps by the
    widget's CSS and ignores the text's ``no_wrap``: a row meant to be one line took two."""
    if not row.no_wrap or row.cell_len <= width or "\n" in row.plain:
        return row
    cut = row.copy()
    cut.truncate(width, overflow=row.overflow)
    return cut


def row_key(row: Text) -> Hashable:
    """Everything that decides how ``row`` looks (its characters, spans and wrapping)."""
    return (row.plain, tuple(row.spans), row.style, row.justify, row.overflow, row.no_wrap,
            row.end, row.tab_size)


class SnapshotView(Widget):
    """A widget that draws the part of a snapshot it is about (see :meth:`view_key`), redrawn
    only when that part changed."""

    DEFAULT_CSS = """
    SnapshotView { height: auto; }
    """

    STEADY_ROWS = False
    """Keep each row of a :class:`Rows` drawing at the most lines it has taken under the same
    :meth:`steady_key` (see :meth:`_steady_rows`)."""

    STEADY_MOST: int | None = None
    """The most lines a steady height keeps (see :meth:`steady_key`); a drawing taller than that
    is shown at its height and the steady height stays. ``None``: no limit."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._snapshot: Snapshot | None = None
        self._key: Hashable = _NOTHING
        self._generation = 0
        """Counts the view keys shown; part of the key of the kept lines."""
        self._lines: tuple[tuple[Hashable, ...], list[Strip]] | None = None
        self._drawing_size: Size | None = None
        self._rows_drawn_at: tuple[int, VisualStyle] | None = None
        self._row_cache: dict[Hashable, list[Strip]] = {}
        self._row_heights: tuple[Hashable, list[int]] = (None, [])
        """((width, steady key), the most lines each row has taken): see :meth:`_steady_rows`."""
        self._tallest: tuple[Hashable, int] = (None, 0)
        """((width, steady key), the most lines drawn with them): see :meth:`steady_key`."""
        self._above: str | None = None
        """The border subtitle of the window drawn last (see :meth:`_window`)."""
        self._above_pending = False
        self._painting: tuple[list[Strip], int] | None = None
        """The kept lines and the width while :meth:`render_lines` runs."""
        self.skipped_above = 0
        """Lines the last drawing itself left out above (a panel that windows its own rows,
        as the trace does); the border counts them with those :meth:`_window` leaves out."""
        self.draws = 0
        """How many times :meth:`draw` ran (tests check that unchanged panels are not redrawn)."""

    @property
    def snapshot(self) -> Snapshot | None:
        """The moment drawn; set by the screen after every step."""
        return self._snapshot

    @snapshot.setter
    def snapshot(self, snap: Snapshot | None) -> None:
        self.show(snap)

    def view_key(self, snap: Snapshot) -> Hashable:
        """The part of ``snap`` this panel draws (plain, comparable data). Subclasses narrow it:
        the whole snapshot changes every step."""
        return snap

    def show(self, snap: Snapshot | None) -> None:
        """Draw ``snap`` if what this panel shows of it differs from what it shows now."""
        self._snapshot = snap
        key = None if snap is None else self.view_key(snap)
        if key == self._key:
            return
        self._key = key
        self._generation += 1
        if not self.is_mounted or not self.display:
            self.refresh()  # laid out when it is shown
            return
        if not self.size.width:
            self.refresh(layout=self._auto_height())
            return
        before = self._lines
        strips = self._strips(self.size.width)  # rendered once; kept for the paint
        if self._auto_height() and len(strips) != self.size.height:
            self.refresh(layout=True)
            return
        self._refresh_changed(before, strips)

    def redraw(self) -> None:
        """Draw the snapshot shown again (its view key is the same; something else the drawing
        reads changed, e.g. a window scrolled by hand), repainting the lines that differ."""
        self._generation += 1
        if not self.is_mounted or not self.display or not self.size.width:
            self.refresh()
            return
        before = self._lines
        self._refresh_changed(before, self._strips(self.size.width))

    def _refresh_changed(self, before: tuple[tuple[Hashable, ...], list[Strip]] | None,
                         strips: list[Strip]) -> None:
        """Repaint only the lines that differ from the lines drawn before (the whole widget
        when those were drawn at another size, style or selection). Textual then re-renders and
        composites those lines alone: a step changes a few lines of a panel, not all of them."""
        assert self._lines is not None
        if before is None or before[0][1:] != self._lines[0][1:]:
            self.refresh()
            return
        old = before[1]
        width = self.size.width
        changed = [y for y in range(max(len(old), len(strips)))
                   if y >= len(old) or y >= len(strips) or old[y] != strips[y]]
        if not changed:
            return
        if len(changed) > self.size.height // 2:
            self.refresh()
            return
        start = changed[0]
        for prev, y in zip(changed, [*changed[1:], -1], strict=True):  # runs of lines
            if y != prev + 1:
                self.refresh(Region(0, start, width, prev - start + 1))
                start = y

    def render(self) -> RenderableType:
        """Draw the snapshot (or :meth:`placeholder` before the first one)."""
        if self._snapshot is None:
            return self.placeholder()
        self.draws += 1
        return self.draw(self._snapshot)

    def steady_key(self, snap: Snapshot) -> Hashable | None:
        """While this stays the same (and the width), an ``auto``-height view keeps the most
        lines it has needed, blank at the bottom when it needs fewer, so that its height
        changing does not move what is under it and lay out the screen again after a step.
        ``None`` (the default): the height follows the content."""
        return None

    def draw(self, snap: Snapshot) -> RenderableType:
        """Subclasses draw ``snap`` here."""
        raise NotImplementedError

    def placeholder(self) -> RenderableType:
        """Drawn before the first snapshot."""
        return Text("…", style="dim")

    # -- kept lines -------------------------------------------------------------------------
    def _auto_height(self) -> bool:
        height = self.styles.height
        return height is not None and height.is_auto

    def _strips(self, width: int) -> list[Strip]:
        """The panel's content lines at ``width``, rendered at most once per view key, size,
        style and selection."""
        style = self.visual_style
        height = None if self._auto_height() else self.size.height
        key = (self._generation, width, height, style, self.text_selection)
        if self._lines is not None and self._lines[0] == key:
            return self._lines[1]
        self._drawing_size = Size(width, height or 0)
        try:
            drawn = self.render()
        finally:
            self._drawing_size = None
        if isinstance(drawn, Rows) and self.text_selection is None:
            strips = self._row_strips(drawn, width, style)
        else:
            if isinstance(drawn, Rows):  # a selection is drawn across rows: one text
                drawn = Text("\n", end="").join(row_text(row) for row in drawn.rows)
            strips = Visual.to_strips(self, visualize(self, drawn, markup=False), width, None,
                                      style)
        if height is None and self._snapshot is not None:
            self._steady(strips, width, style)
        start = 0
        if height is not None and len(strips) > height and self._snapshot is not None:
            start = self._window(strips, width, height)
            strips = strips[start:]
        self._say_above(start + self.skipped_above)
        self._lines = (key, strips)
        return strips

    def focus_lines(self, snap: Snapshot, lines: list[str], width: int) -> tuple[int, int] | None:
        """The lines (first, last: indices into ``lines``, the plain text of the content at
        ``width``) a fixed-height panel keeps in view when its content is taller than it (see
        :meth:`_window`): the row a lesson asks about or the last step wrote. None (the
        default): the top."""
        return None

    def _window(self, strips: list[Strip], width: int, height: int) -> int:
        """The first of ``height`` lines to show out of ``strips``: the top, unless
        :meth:`focus_lines` names lines below it; then its first line for sure, down to its last
        as far as they fit, and the lines above it when they are fewer than ``height``."""
        assert self._snapshot is not None
        focus = self.focus_lines(self._snapshot, [s.text for s in strips], width)
        start = 0
        if focus is not None and focus[1] >= height:
            first, last = focus
            start = max(0, min(first, last + 1 - height, len(strips) - height))
        return start

    def _say_above(self, start: int) -> None:
        """Have the border say how many lines the window leaves out above (none: nothing)."""
        self._above = f"↑ {start} line{'s' * (start > 1)} above" if start else None
        if self.border_subtitle != self._above and not self._above_pending:
            self._above_pending = True  # after this paint (a border set in it may be lost)
            self.call_later(self._show_above)

    def _show_above(self) -> None:
        """The border's subtitle: the lines above of the latest window (not of the window
        drawn when this was asked for: the panel may have been drawn again since)."""
        self._above_pending = False
        self.border_subtitle = self._above

    def _steady(self, strips: list[Strip], width: int, style: VisualStyle) -> None:
        """Pad ``strips`` (in place) to the most lines drawn at ``width`` under the same
        :meth:`steady_key`, or remember a new most."""
        assert self._snapshot is not None
        steady = self.steady_key(self._snapshot)
        if steady is None:
            return
        at, tallest = self._tallest
        most = self.STEADY_MOST
        if most is not None and len(strips) > most:  # taller than kept for: for this draw only
            return
        if at != (width, steady) or len(strips) > tallest:
            self._tallest = ((width, steady), len(strips))
        elif len(strips) < tallest:
            strips.extend([Strip.blank(width, style.rich_style)] * (tallest - len(strips)))

    def _row_strips(self, rows: Rows, width: int, style: VisualStyle) -> list[Strip]:
        """The strips of each row, reusing those of a row (or a cell) drawn the same last time
        (at the same width and style): most rows of a panel are the same after a step, or
        moved."""
        if self._rows_drawn_at != (width, style):
            self._rows_drawn_at = (width, style)
            self._row_cache = {}
        cache = self._row_cache
        kept: dict[Hashable, list[Strip]] = {}

        def strips_of(text: Text, key: Hashable, at: int) -> list[Strip]:
            got = kept.get(key) or cache.get(key)
            if got is None:
                got = Visual.to_strips(self, visualize(self, _fitted(text, at), markup=False),
                                       at, None, style)
            kept[key] = got
            return got

        self._render_cells(rows, kept, cache, style)
        per_row: list[list[Strip]] = []
        for row in rows.rows:
            if isinstance(row, Text):
                per_row.append(strips_of(row, row_key(row), width))
                continue
            keys = tuple(("cell", row_key(cell)) for cell in row)
            got = kept.get(keys) or cache.get(keys)
            if got is None:
                parts = [strips_of(cell, key, cell.cell_len)
                         for cell, key in zip(row, keys, strict=True)]
                got = ([Strip.join(p[0] for p in parts)] if all(len(p) == 1 for p in parts)
                       else strips_of(row_text(row), row_key(row_text(row)), width))
            else:  # keep its cells too: the next step may change the lane beside them
                kept.update((key, cache[key]) for key in keys if key in cache)
            kept[keys] = got
            per_row.append(got)
        self._row_cache = kept  # the rows of this drawing only: the cache never grows
        return self._steady_rows(per_row, width, style)

    def _steady_rows(self, per_row: list[list[Strip]], width: int,
                     style: VisualStyle) -> list[Strip]:
        """The rows' strips, one after the other; with :attr:`STEADY_ROWS`, each row padded
        (blank lines under it) to the most lines the row in its place has taken at ``width``
        under the same :meth:`steady_key`, so that a row wrapping to one line fewer does not
        move every row under it (and repaint them all)."""
        steady = self.steady_key(self._snapshot) if (
            self.STEADY_ROWS and self._snapshot is not None) else None
        if steady is None:
            return [strip for got in per_row for strip in got]
        at, most = self._row_heights
        if at != (width, steady):
            most = []
        most = [max(len(got), most[k] if k < len(most) else 0)
                for k, got in enumerate(per_row)] + most[len(per_row):]
        self._row_heights = ((width, steady), most)
        blank = Strip.blank(width, style.rich_style)
        strips: list[Strip] = []
        for got, lines in zip(per_row, most, strict=False):
            strips.extend(got)
            strips.extend([blank] * (lines - len(got)))
        return strips

    def _render_cells(self, rows: Rows, kept: dict[Hashable, list[Strip]],
                      cache: dict[Hashable, list[Strip]], style: VisualStyle) -> None:
        """Render, into ``kept``, every cell of ``rows`` that neither it nor ``cache`` has, in
        one pass (each a line of one text): Textual's work per render, more than a cell's own,
        is then done once a drawing rather than once a cell (a code window that moves brings
        a new cell on every row). A cell that would not take exactly one line is left to be
        rendered on its own."""
        missing: dict[Hashable, Text] = {}
        for row in rows.rows:
            if isinstance(row, Text):
                continue
            keys = tuple(("cell", row_key(cell)) for cell in row)
            if keys in cache:
                continue
            for key, cell in zip(keys, row, strict=True):
                if key not in cache and key not in missing and "\n" not in cell.plain:
                    missing[key] = cell
        if len(missing) < 2:
            return
        cells = list(missing.values())
        joined = Text("\n", end="").join(cells)
        strips = Visual.to_strips(self, visualize(self, joined, markup=False),
                                  max(c.cell_len for c in cells), None, style)
        if len(strips) == len(cells) and all(
                s.cell_length == c.cell_len for s, c in zip(strips, cells, strict=True)):
            kept.update((key, [strip]) for key, strip in zip(missing, strips, strict=True))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The number of lines at ``width`` (rendered once, and kept for the paint)."""
        if not width:
            return 0
        return len(self._strips(width))

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines of ``crop``: the kept lines are looked up once for all of them (Textual
        asks :meth:`render_line` for each line, and finding the kept lines costs more than a
        line)."""
        width = self.size.width
        self._painting = (self._strips(width), width)
        try:
            return super().render_lines(crop)
        finally:
            self._painting = None

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the kept lines (blank below the content)."""
        strips, width = self._painting or (self._strips(self.size.width), self.size.width)
        if 0 <= y < len(strips):
            return strips[y]
        return Strip.blank(width, self.visual_style.rich_style)

    @property
    def inner_width(self) -> int:
        """Columns available to the content (at least 20)."""
        if self._drawing_size is not None:
            return max(20, self._drawing_size.width)
        return max(20, self.content_region.width or self.size.width or 40)

    @property
    def inner_height(self) -> int:
        """Rows available to the content (at least 4)."""
        if self._drawing_size is not None and self._drawing_size.height:
            return max(4, self._drawing_size.height)
        return max(4, self.content_region.height or self.size.height or 10)


class SnapshotPanel(SnapshotView):
    """A bordered model panel (class ``panel``, titled :attr:`PANEL_TITLE`)."""

    DEFAULT_CSS = """
    SnapshotPanel { height: auto; }
    """

    PANEL_TITLE = ""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        # the class is given here, not added on mount: adding it then restyled each panel
        super().__init__(id=id, classes=f"panel {classes or ''}".strip())

    def on_mount(self) -> None:
        """Give the panel its border title."""
        self.border_title = self.PANEL_TITLE
