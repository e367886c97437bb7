"""Where the program's data lives: the one resolver for lessons, notebooks, scenarios and any
other data directory, the same from a clone, an editable install and an installed wheel.

* ``explorer/scenarios`` (and any other data directory inside the package) ships as package data.
* ``lessons/`` and ``notebooks/`` stay at the top of the repository, their source of truth. A wheel
  carries copies under ``explorer/_data/<name>`` (``setup.py`` puts them there at build time); a
  clone or an editable install has no ``_data`` and reads the top-level directories directly.

Everything is found from the package's own directory, so nothing outside the installed package is
touched in a wheel install (which is also what Pyodide needs). A package imported from a directory
is read there directly: that directory is what :func:`importlib.resources.files` gives for it, and
importing ``importlib.resources`` (with ``zipfile``) cost the first frame a few milliseconds.
Anything else (a zip import) goes through ``files``.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = "explorer"
PACKAGED = "_data"
"""The directory inside the package that a wheel's copies of top-level data directories go to."""
TOP_LEVEL = ("lessons", "notebooks", "challenges")
"""Data directories kept at the top of the repository (copied into ``_data`` by ``setup.py``)."""


def _package_root() -> Path:
    here = Path(__file__).parent  # this module lives at the top of the package
    if here.is_dir():
        return here
    from importlib.resources import files

    return Path(str(files(PACKAGE)))


def data_dir(name: str) -> Path:
    """The directory of data ``name``: ``lessons``, ``notebooks``, ``scenarios``, ...

    A directory inside the package wins (``explorer/<name>``, then the wheel's
    ``explorer/_data/<name>``); otherwise the repository's top-level ``<name>/`` beside the package
    (a clone or an editable install). Where none exists, the packaged path is returned, so that
    callers report it (e.g. "no lessons in …") instead of guessing.
    """
    root = _package_root()
    for d in (root / name, root / PACKAGED / name, root.parent / name):
        if d.is_dir():
            return d
    return root / PACKAGED / name


def lessons_dir() -> Path:
    """The lesson source (``lessons/*.toml``)."""
    return data_dir("lessons")


def notebooks_dir() -> Path:
    """The Jupyter lessons (``notebooks/*.ipynb``)."""
    return data_dir("notebooks")


def scenarios_dir() -> Path:
    """The built-in scenarios (``explorer/scenarios/*.toml``)."""
    return data_dir("scenarios")


def lesson_notebooks() -> list[Path]:
    """The lesson notebooks (``NN-name.ipynb``), in lesson order."""
    return sorted(notebooks_dir().glob("[0-9][0-9]-*.ipynb"))
