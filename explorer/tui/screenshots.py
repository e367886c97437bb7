"""SVG screenshots of the explorer, named for what they show."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App

from explorer.views.snapshot import Snapshot


def screenshot_name(snap: Snapshot, directory: Path) -> str:
    """``kfunc-<scenario>-step<N>-<k>.svg``, ``k`` counting the SVGs already in ``directory``."""
    n = len(list(directory.glob("*.svg")))
    return f"kfunc-{snap.scenario}-step{snap.step}-{n + 1}.svg"


def save_screenshot(app: App[Any], directory: Path, snap: Snapshot) -> str:
    """Save the app's screen as SVG into ``directory`` (created if needed); the path saved."""
    directory.mkdir(parents=True, exist_ok=True)
    return app.save_screenshot(filename=screenshot_name(snap, directory), path=str(directory))
