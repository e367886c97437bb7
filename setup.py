"""Build hook: a wheel carries the top-level data directories inside the package.

``lessons/`` and ``notebooks/`` (and ``challenges/`` once it exists) stay at the top of the
repository as their source of truth; at build time they are copied into ``explorer/_data/`` in the
build tree, where :mod:`explorer.resources` finds them in an installed wheel. An editable install
builds nothing of the sort: it reads the top-level directories in place. Everything else about the
project is declared in ``pyproject.toml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
TOP_LEVEL_DATA = {
    "lessons": ("*.toml", "README.md"),
    "notebooks": ("[0-9][0-9]-*.ipynb",),
    "challenges": ("*.toml", "README.md"),
}
"""Top-level data directory -> the files of it a wheel carries (a missing directory is skipped)."""


class BuildPyWithData(build_py):
    """``build_py`` that also copies the top-level data directories into ``explorer/_data``."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for name, patterns in TOP_LEVEL_DATA.items():
            src = HERE / name
            if not src.is_dir():
                continue
            dest = Path(self.build_lib) / "explorer" / "_data" / name
            if dest.exists():
                shutil.rmtree(dest)
            dest.mkdir(parents=True)
            for pattern in patterns:
                for f in sorted(src.glob(pattern)):
                    shutil.copy2(f, dest / f.name)


setup(cmdclass={"build_py": BuildPyWithData})
