"""The base of every model panel: a widget that draws one :class:`Snapshot`."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from explorer.views.snapshot import Snapshot


class SnapshotPanel(Widget):
    """A bordered panel redrawn whenever :attr:`snapshot` is set (every step)."""

    DEFAULT_CSS = """
    SnapshotPanel { height: auto; }
    """

    snapshot: reactive[Snapshot | None] = reactive(None, always_update=True, layout=True)
    """The moment drawn; set by the screen after every step."""

    PANEL_TITLE = ""

    def on_mount(self) -> None:
        """Give the panel its border title."""
        self.border_title = self.PANEL_TITLE
        self.add_class("panel")

    def render(self) -> RenderableType:
        """Draw the snapshot (or a placeholder before the first one)."""
        if self.snapshot is None:
            return Text("…", style="dim")
        return self.draw(self.snapshot)

    def draw(self, snap: Snapshot) -> RenderableType:
        """Subclasses draw ``snap`` here."""
        raise NotImplementedError

    @property
    def inner_width(self) -> int:
        """Columns available to the content (at least 20)."""
        return max(20, self.content_region.width or self.size.width or 40)

    @property
    def inner_height(self) -> int:
        """Rows available to the content (at least 4)."""
        return max(4, self.content_region.height or self.size.height or 10)
