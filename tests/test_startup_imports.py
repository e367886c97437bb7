"""What the TUI's start-up path imports and does (not how long it takes: that is
benchmarks/bench_tui.py).

Building the CLI parser and importing the TUI app must not load the BTF reader (it parses only
when my_kernel or ``btf`` is used), importlib.metadata (only ``--version`` needs it), nor the
explorer, lessons and custom-cell code (loaded on first use); the ``--scenario`` check
must not read the machine's BTF.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pytest
from textual.dom import DOMNode

import explorer.btf.reader as reader
import explorer.sim.kernel_scenario as kernel_scenario
import explorer.tui.app
from explorer.cli import main
from explorer.tui.app import ExplorerApp
from explorer.views.controller import Controller


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport json, sys\n"
                          "print(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True, timeout=120)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_cli_parser_and_tui_app_leave_the_btf_reader_unloaded() -> None:
    mods = _modules_after("from explorer.cli import _parser\n_parser()\n"
                          "import explorer.tui.app")
    assert "explorer.tui.app" in mods
    assert "explorer.btf.reader" not in mods
    assert "explorer.notebook" not in mods
    # exploring, lessons and custom cells load when first used, not before the first frame
    # (the TUI's goal bar needs the challenges' view models from the start)
    for later in ("explorer.sim.explore", "explorer.sim.lessons", "explorer.sim.custom"):
        assert later not in mods, later


def test_cli_parser_does_not_look_up_the_version() -> None:
    mods = _modules_after("from explorer.cli import _parser\n_parser()")
    assert "importlib.metadata" not in mods


def test_default_vmlinux_is_the_readers() -> None:
    assert kernel_scenario.DEFAULT_VMLINUX == reader.DEFAULT_VMLINUX


def test_scenario_names_match_the_catalogue_without_reading_btf() -> None:
    assert Controller.scenario_names() == [c.name for c in Controller.scenarios()]


FIRST_FRAME = """
import json, sys
from explorer.tui.app import ExplorerApp
app = ExplorerApp(exit_after_paint=True, welcome=WELCOME)
shown = []
exit = app.exit
def leave(*args, **kwargs):
    lesson = [w for w in app.main_screen.query("#lesson") if w.display]
    shown.append(str(lesson[0].query_one("#narration").render()) if lesson else "")
    exit(*args, **kwargs)
app.exit = leave
app.run(headless=True, size=(100, 30))
print(json.dumps([sorted(sys.modules), shown[0]]))
"""

NOT_BEFORE_THE_FIRST_FRAME = (
    # the modal screens: imported when first opened (explorer.tui.screens resolves them lazily)
    "explorer.tui.screens.challenges", "explorer.tui.screens.explore",
    "explorer.tui.screens.help", "explorer.tui.screens.picker", "explorer.tui.screens.prompt",
    "explorer.tui.screens.sortlab", "explorer.tui.screens.versions",
    "explorer.tui.screens.whatif", "explorer.tui.screens.modal",
    # the command palette's provider: when the palette opens
    "explorer.tui.commands",
    # Textual's Markdown widget and its parser: the narration draws the lessons' Markdown itself
    "textual.widgets._markdown", "markdown_it",
    # lessons, exploring, custom cells, BTF, notebooks: never for the first frame
    "explorer.sim.lessons", "explorer.sim.explore", "explorer.sim.custom",
    "explorer.btf.reader", "explorer.notebook", "ipywidgets",
    # the data resolver finds a directory package in place (files() imported zipfile)
    "importlib.resources", "zipfile",
    # the 6.17 model: loaded by what builds a 6.17 world or frame (the first frames are 5.18)
    "explorer.model.v6.registry",
    # this machine's BTF as a scenario (the picker lists it); the challenge catalogue and its
    # checker (the first frame needs the progress store only)
    "explorer.sim.kernel_scenario", "explorer.sim.challenges",
    # the views only other screens, the notebooks or the CLI draw: DOT graphs, the CLI's
    # reports, the version history, this machine's 6.17 kernel; Graphviz itself
    "explorer.views.dot", "explorer.views.report", "explorer.views.history",
    "explorer.sim.kernel_v6", "graphviz",
)


def _first_frame(welcome: bool) -> tuple[set[str], str]:
    """The modules imported by the first frame, and the lesson narration it shows ('' none)."""
    out = subprocess.run([sys.executable, "-c", FIRST_FRAME.replace("WELCOME", str(welcome))],
                         capture_output=True, text=True, check=True, timeout=120,
                         env={**os.environ, "XDG_STATE_HOME": tempfile.mkdtemp()})
    mods, narration = json.loads(out.stdout.strip().splitlines()[-1])
    return set(mods), narration


def test_the_first_frame_imports_only_what_it_draws() -> None:
    mods, narration = _first_frame(welcome=False)
    assert "explorer.tui.screens.main" in mods
    assert "explorer.tui.widgets.lesson_panel" in mods  # imported, but made on the first page
    loaded = [m for m in NOT_BEFORE_THE_FIRST_FRAME if m in mods]
    assert loaded == [] and narration == ""


def test_a_newcomers_first_frame_is_lesson_1_with_its_text() -> None:
    """``kfunc-explorer tui`` with nothing named: the first frame is lesson 1's first page, its
    narration drawn (no placeholder, no frame of the bare explorer first)."""
    mods, narration = _first_frame(welcome=True)
    assert "Boot has not run any initcall yet" in narration
    loaded = [m for m in NOT_BEFORE_THE_FIRST_FRAME if m in mods]
    assert loaded == ["explorer.sim.lessons"]  # listing the lessons (their model check waits)


def test_lazy_screens_resolve_to_their_classes() -> None:
    from explorer.tui import screens
    from explorer.tui.screens.help import HelpScreen

    assert screens.HelpScreen is HelpScreen
    assert sorted(screens.__all__) == sorted(screens.LAZY_SCREENS)
    for name in screens.__all__:
        assert getattr(screens, name).__name__ == name


class _CountingApp(ExplorerApp):
    """The explorer, counting the main screen's layouts after its first one and the nodes of
    each styling pass, until its first paint."""

    CSS_PATH = str(Path(explorer.tui.app.__file__).with_name("app.tcss"))

    def on_mount(self) -> None:
        self.layouts = 0
        self.passes: list[int] = []
        update_nodes = self.stylesheet.update_nodes

        def counted(nodes: Iterable[DOMNode], animate: bool = False) -> None:
            nodes = list(nodes)
            self.passes.append(len(nodes))
            update_nodes(nodes, animate)

        self.stylesheet.update_nodes = counted  # type: ignore[method-assign]
        self.main_screen.screen_layout_refresh_signal.subscribe(
            self, lambda _: setattr(self, "layouts", self.layouts + 1), immediate=True)

    def _painted(self) -> None:
        widgets = list(self.main_screen.walk_children())
        self.widgets = len(widgets)
        self.built = [type(w).__name__ for w in widgets]
        super()._painted()


def test_the_first_frame_is_styled_and_laid_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual restyles a screen when it is resumed and lays it out again for every Resize, even
    of the size it has: the explorer's first frame is styled as it is mounted and laid out once
    for its size (plus once for what its widgets asked while mounting), not again for the
    resume's restyle nor for the same-size resizes Textual sends at start."""
    for welcome in (True, False):
        monkeypatch.setenv("XDG_STATE_HOME", tempfile.mkdtemp())
        app = _CountingApp(exit_after_paint=True, welcome=welcome)
        app.run(headless=True, size=(80, 24))
        assert app.layouts <= 1, welcome
        assert app.passes and max(app.passes) < app.widgets // 2, (welcome, app.passes)


def test_a_newcomers_first_frame_builds_only_what_its_page_shows(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Lesson 1's first page looks at the table and asks with two choices: the first frame has
    the table panel and two choice buttons, not the default threads panel nor six buttons."""
    monkeypatch.setenv("XDG_STATE_HOME", tempfile.mkdtemp())
    app = _CountingApp(exit_after_paint=True, welcome=True)
    app.run(headless=True, size=(80, 24))
    assert "TablePanel" in app.built and "LanesPanel" not in app.built
    assert app.built.count("ChoiceButton") == 2


V6_ON_DEMAND = """
import json, sys
from explorer.views.controller import Controller
from explorer.views.intents import Command
c = Controller("boot_tcp")
snap = c.apply(Command.RUN_TO_END)
filled = [t.btf for t in snap.tables if t.tab is not None]
before = "explorer.model.v6.registry" in sys.modules
c.set_kernel("6.17")
snap = c.apply(Command.RUN_TO_END)
print(json.dumps([filled, before, "explorer.model.v6.registry" in sys.modules,
                  sorted({t.kernel for t in snap.tables})]))
"""


def test_the_6_17_model_loads_with_a_6_17_scenario_only() -> None:
    """A 5.18 session never imports the 6.17 model; switching to 6.17 imports it (registering
    its functions) and its tables show as 6.17 tables."""
    out = subprocess.run([sys.executable, "-c", V6_ON_DEMAND], capture_output=True, text=True,
                         check=True, timeout=120)
    filled, before, after, kernels = json.loads(out.stdout.strip().splitlines()[-1])
    assert filled and (before, after) == (False, True)  # a 5.18 table was built, then 6.17's
    assert kernels == ["6.17"]


def test_the_collector_paused_for_start_up_runs_again_from_the_first_frame(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``kfunc-explorer tui`` pauses the garbage collector while it starts (collecting then only
    re-visits what start-up keeps); the app resumes it once its first frame is painted, with
    start-up's objects frozen. A bad name, which ends before any frame, leaves it running."""
    monkeypatch.setenv("XDG_STATE_HOME", tempfile.mkdtemp())
    gc.disable()
    try:
        app = _CountingApp(exit_after_paint=True, gc_paused=True)
        app.run(headless=True, size=(80, 24))
        assert gc.isenabled() and gc.get_freeze_count() > 0
        gc.unfreeze()
        assert main(["tui", "--scenario", "no_such_scenario"]) == 2
        assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()
