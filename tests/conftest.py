"""Shared test setup: no test reads or writes the real user's state directory; the Pilot
driver of the TUI tests."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from textual.pilot import Pilot
from textual.widgets import OptionList

from explorer.tui.app import ExplorerApp
from explorer.tui.screens.explore import ExploreScreen

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    # CI runs the same examples each time: a red there is this change's, not a new random
    # draw's. Local runs keep drawing new examples, which is how divergences are found.
    settings.load_profile("ci")

Body = Callable[[ExplorerApp, Pilot[int]], Awaitable[None]]
"""A Pilot test's body: what it does to the running app."""


@pytest.fixture(autouse=True)
def _private_state_dir(tmp_path_factory: pytest.TempPathFactory,
                       monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test touches the real user's files: challenge progress goes to a fresh XDG state
    directory (returned), and the keymap is read from a fresh, empty XDG config directory."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))
    d = tmp_path_factory.mktemp("xdg-state")
    monkeypatch.setenv("XDG_STATE_HOME", str(d))
    return d


@pytest.fixture()
def witnesses_shown(_private_state_dir: Path) -> None:
    """Every challenge given up in the fresh state directory, so exploring shows every witness
    (each front withholds one that would solve a challenge not tried yet)."""
    from explorer.views.challenges import ProgressStore, challenge_views

    store = ProgressStore(_private_state_dir / "kfunc-explorer" / ProgressStore.NAME)
    for c in challenge_views():
        store.give_up(c.name)


def make_app(**kw: Any) -> ExplorerApp:
    """The app factory of every TUI test (Pilot and snapshot): a fresh ``ExplorerApp(**kw)``
    that never quits after its first paint, whatever the environment says."""
    kw.setdefault("exit_after_paint", False)
    return ExplorerApp(**kw)


def drive(body: Body, size: tuple[int, int] = (80, 24), **kw: Any) -> ExplorerApp:
    """Run ``body`` against a fresh app (:func:`make_app`) of ``size``; return the app
    afterwards."""
    app = make_app(**kw)

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await body(app, pilot)

    asyncio.run(main())
    return app


async def press(pilot: Pilot[int], *keys: str) -> None:
    """Press ``keys`` in turn, then let the app settle (what a person's key press waits for)."""
    for k in keys:
        await pilot.press(k)
    await pilot.pause()


def option_texts(ol: OptionList) -> list[str]:
    """The text of every option of an option list (a selection list is one too)."""
    return [str(ol.get_option_at_index(k).prompt) for k in range(ol.option_count)]


async def explore_outcomes(app: ExplorerApp, pilot: Pilot[int]) -> tuple[ExploreScreen, OptionList]:
    """Once Explore all is asked for: wait for its worker; the results screen and its outcomes."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ExploreScreen) and screen.result is not None
    return screen, screen.query_one("#outcomes", OptionList)
