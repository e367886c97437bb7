"""The "NOT THE KERNEL" banner shown while a what-if variant is on."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static

from explorer.tui.text import plain


class Banner(Static):
    """Hidden when there is nothing to say; loud when a what-if changes the kernel."""

    DEFAULT_CSS = """
    Banner { display: none; height: auto; }
    Banner.-on { display: block; }
    """

    banners: reactive[tuple[str, ...]] = reactive(())

    def watch_banners(self, banners: tuple[str, ...]) -> None:
        """Show the banners, or hide the widget when there are none."""
        self.set_class(bool(banners), "-on")
        self.update(plain("\n".join(f"⚠ {b}" for b in banners)))
