"""The Textual app of kfunc-explorer and :func:`run_app`, the ``kfunc-explorer tui`` entry.

Imports only Textual and :mod:`explorer.views` so that start-up stays fast.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import BindingType
from textual.reactive import reactive
from textual.theme import Theme

from explorer.tui.keymap import binding, bindings, load_keymap
from explorer.tui.screens.main import MainScreen
from explorer.views.actions import ACTION_BY_ID, ACTIONS, thread_ids
from explorer.views.challenges import ProgressStore
from explorer.views.controller import Controller

if TYPE_CHECKING:
    from textual.command import Provider

DEFAULT_SCENARIO = "module_race"
"""The scenario of ``ExplorerApp()`` when none is named (tests, embedding)."""
WELCOME_SCENARIO = "boot_tcp"
"""``kfunc-explorer tui`` with no scenario and no lesson starts a newcomer in lesson 1, whose
scenario this is (boot: the registry being filled), so the first frame already shows it."""
EXIT_AFTER_PAINT_ENV = "KFUNC_TUI_EXIT_AFTER_PAINT"
"""Set to 1 to quit right after the first paint (start-up benchmarks)."""
PAINT_FILE_ENV = "KFUNC_TUI_PAINT_FILE"
"""With the above: a file to write, at the first paint, the wall clock and the CPU time the
process has used so far (so a benchmark can leave out the exit)."""
SCREENSHOT_DIR_ENV = "KFUNC_SCREENSHOT_DIR"

PRESENTER_THEME = Theme(
    name="kfunc-presenter",
    primary="#ffd700",
    secondary="#00e5ff",
    accent="#ff4fd8",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    success="#00ff66",
    warning="#ffd700",
    error="#ff3030",
    dark=True,
)
"""High contrast for projectors: white on black, saturated accents."""


def explorer_commands() -> type[Provider]:
    """The palette's provider, imported when the palette first opens (not before the first
    frame)."""
    from explorer.tui.commands import ExplorerCommands

    return ExplorerCommands


class ExplorerApp(App[int]):
    """kfunc-explorer: the Linux 5.18 kfunc BTF ID set registry, explorable."""

    CSS_PATH = "app.tcss"
    TITLE = "kfunc-explorer"
    COMMANDS = App.COMMANDS | {explorer_commands}
    BINDINGS: ClassVar[list[BindingType]] = [binding(a) for a in ACTIONS if a.app_wide]
    """The app-wide rows of the ACTIONS table (quit, presenter mode, screenshot)."""

    presenter: reactive[bool] = reactive(False)
    """Large, high-contrast presenter mode."""

    def __init__(self, scenario: str | None = None, lesson: str | None = None,
                 presenter: bool = False, screenshot_dir: str | Path | None = None,
                 exit_after_paint: bool | None = None, kernel: str | None = None,
                 welcome: bool = False, gc_paused: bool = False) -> None:
        """``gc_paused``: the garbage collector was paused for start-up (the ``tui`` command
        pauses it before importing Textual); it is resumed once the first frame is painted."""
        super().__init__()
        self._gc_paused = gc_paused
        welcome = welcome and scenario is None and lesson is None
        self.controller = Controller(scenario or (WELCOME_SCENARIO if welcome else
                                                  DEFAULT_SCENARIO),
                                     progress=ProgressStore(), kernel=kernel)
        self._lesson = lesson
        self._presenter_start = presenter
        self.screenshot_dir = Path(screenshot_dir or os.environ.get(SCREENSHOT_DIR_ENV)
                                   or "screenshots")
        self._exit_after_paint = (os.environ.get(EXIT_AFTER_PAINT_ENV) == "1"
                                  if exit_after_paint is None else exit_after_paint)
        keymap, warning = load_keymap({*ACTION_BY_ID, *thread_ids()})
        if any(ACTION_BY_ID[k].app_wide for k in keymap if k in ACTION_BY_ID):
            self._bindings = bindings([a for a in ACTIONS if a.app_wide], keymap)
        self.main_screen = MainScreen(self.controller, lesson, self.screenshot_dir, keymap,
                                      warning, welcome=welcome)

    def get_default_screen(self) -> MainScreen:
        """The explorer is the app's base screen."""
        return self.main_screen

    def on_mount(self) -> None:
        """Theme, presenter mode, and the start-up benchmark hook."""
        self.register_theme(PRESENTER_THEME)
        self.presenter = self._presenter_start
        if self._gc_paused:
            self.call_after_refresh(self._resume_gc)
        if self._exit_after_paint:
            self.call_after_refresh(self._painted)

    def _resume_gc(self) -> None:
        """The first frame is painted: collect garbage again, leaving out what start-up made.

        Start-up allocates most of the objects the session will keep (Textual, the model, the
        view models, the widgets); collecting while it runs only re-visits them (~15% of the
        CPU to the first frame). Frozen, later collections (during stepping too) skip them."""
        self._gc_paused = False
        gc.freeze()
        gc.enable()

    def _painted(self) -> None:
        """Start-up benchmark hook: note when the first frame was painted, then quit."""
        if out := os.environ.get(PAINT_FILE_ENV):
            Path(out).write_text(f"{time.time()} {time.process_time()}")
        self.exit(0)

    def watch_presenter(self, on: bool) -> None:
        """Switch theme and layout emphasis."""
        self.set_class(on, "-presenter")
        self.theme = "kfunc-presenter" if on else "textual-dark"
        if self.main_screen.is_mounted:
            self.main_screen.relayout()

    def action_ask_quit(self) -> None:
        """``q``: ask first (a live demo must not end on a stray key); y/Enter quits. The
        question names the schedule, so it can be copied (y) before leaving."""
        from explorer.tui.screens.confirm import ConfirmScreen

        if isinstance(self.screen, ConfirmScreen):
            return
        snap = self.main_screen.snap
        detail = (f"You are at step {snap.step} of {snap.scenario}, schedule "
                  f"{snap.full_schedule}: n, then {snap.keys.one('copy_schedule')} copies it."
                  if snap.length else "")

        def done(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(ConfirmScreen("Quit kfunc-explorer?", detail), done)

    def action_toggle_presenter(self) -> None:
        """Presenter mode on/off."""
        self.presenter = not self.presenter

    def action_command_palette(self) -> None:
        """Open the command palette (ours: PageDown is safe while its list is still empty)."""
        from explorer.tui.commands import ExplorerPalette

        if self.use_command_palette and not ExplorerPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(ExplorerPalette(id="--command-palette"))

    def action_save_svg(self) -> None:
        """Save an SVG screenshot (into ``screenshot_dir``)."""
        self.main_screen.action_screenshot()


def run_app(scenario: str | None = None, lesson: str | None = None,
            presenter: bool = False, kernel: str | None = None, gc_paused: bool = False) -> int:
    """Run the TUI. With neither a scenario nor a lesson, a newcomer starts in lesson 1 (the free
    explorer is Esc away). Bad ``scenario``/``lesson`` names: one line on stderr, exit code 2.
    ``gc_paused``: see :class:`ExplorerApp`."""
    if scenario is not None:
        # The names only: Controller.scenarios() would read and parse this machine's whole
        # vmlinux BTF (for my_kernel's status) before the first frame. my_kernel itself, if
        # unreadable here, fails below with the reason (ValueError).
        # A .toml file (as run and explore take) is read by the Controller below, whose error
        # names the file and the place.
        names = Controller.scenario_names()
        if scenario not in names and not scenario.endswith(".toml"):
            print(f"kfunc-explorer: scenario {scenario!r}: no such scenario "
                  f"(scenarios: {', '.join(names)}, or a .toml scenario file)", file=sys.stderr)
            return 2
    try:
        if lesson is not None:  # a name, or its number as `kfunc-explorer lessons` lists it
            slugs = [ls.slug for ls in Controller().lessons()]
            if lesson.isdigit() and 1 <= int(lesson) <= len(slugs):
                lesson = slugs[int(lesson) - 1]
            if lesson not in slugs:
                print(f"kfunc-explorer: lesson {lesson!r}: no such lesson (lessons: "
                      f"{', '.join(f'{k} {s}' for k, s in enumerate(slugs, 1))})",
                      file=sys.stderr)
                return 2
        app = ExplorerApp(scenario, lesson, presenter, kernel=kernel,
                          welcome=scenario is None and lesson is None, gc_paused=gc_paused)
    except ValueError as e:
        print(f"kfunc-explorer: {e}", file=sys.stderr)
        return 2
    rc = app.run()
    return exit_status(app, rc)


def exit_status(app: App[int], result: int | None) -> int:
    """The process's exit status: 1 after an unhandled exception (Textual printed the traceback
    and set ``return_code``), else the app's result (0 when it returned nothing)."""
    if app.return_code:
        return app.return_code
    return int(result or 0)
