"""What the TUI's start-up path imports (not how long it takes: that is benchmarks/bench_tui.py).

Building the CLI parser and importing the TUI app must not load the BTF reader (it parses only
when my_kernel or ``btf`` is used), importlib.metadata (only ``--version`` needs it), nor the
explorer, lessons and custom-cell code (loaded on first use); the ``--scenario`` check
must not read the machine's BTF.
"""

from __future__ import annotations

import json
import subprocess
import sys

import explorer.btf.reader as reader
import explorer.sim.kernel_scenario as kernel_scenario
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
app = ExplorerApp(exit_after_paint=True)
app.run(headless=True, size=(100, 30))
print(json.dumps(sorted(sys.modules)))
"""

NOT_BEFORE_THE_FIRST_FRAME = (
    # the modal screens: imported when first opened (explorer.tui.screens resolves them lazily)
    "explorer.tui.screens.challenges", "explorer.tui.screens.explore",
    "explorer.tui.screens.help", "explorer.tui.screens.picker", "explorer.tui.screens.prompt",
    "explorer.tui.screens.sortlab", "explorer.tui.screens.versions",
    "explorer.tui.screens.whatif",
    # the command palette's provider: when the palette opens
    "explorer.tui.commands",
    # the lesson narration: Textual's Markdown widget and its parser, on the first lesson page
    "textual.widgets._markdown", "markdown_it",
    # lessons, exploring, custom cells, BTF, notebooks: never for the first frame
    "explorer.sim.lessons", "explorer.sim.explore", "explorer.sim.custom",
    "explorer.btf.reader", "explorer.notebook", "ipywidgets",
)


def test_the_first_frame_imports_only_what_it_draws() -> None:
    out = subprocess.run([sys.executable, "-c", FIRST_FRAME], capture_output=True, text=True,
                         check=True, timeout=120)
    mods = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert "explorer.tui.screens.main" in mods
    loaded = [m for m in NOT_BEFORE_THE_FIRST_FRAME if m in mods]
    assert loaded == []


def test_lazy_screens_resolve_to_their_classes() -> None:
    from explorer.tui import screens
    from explorer.tui.screens.help import HelpScreen

    assert screens.HelpScreen is HelpScreen
    assert sorted(screens.__all__) == sorted(screens.LAZY_SCREENS)
    for name in screens.__all__:
        assert getattr(screens, name).__name__ == name
