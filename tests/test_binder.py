"""Binder (repo2docker) builds with a Python this project supports."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_binder_runtime_meets_requires_python() -> None:
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()
    m = re.fullmatch(r"python-(\d+)\.(\d+)", runtime)
    assert m, f"binder/runtime.txt: {runtime!r} is not python-X.Y"
    need = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    n = re.search(r">=\s*(\d+)\.(\d+)", need)
    assert n, need
    assert (int(m[1]), int(m[2])) >= (int(n[1]), int(n[2])), (runtime, need)
