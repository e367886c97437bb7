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
