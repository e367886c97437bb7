"""``kfunc-explorer notebooks DIR`` and ``kfunc-explorer lab [DIR]``: the lesson notebooks, copied
out of the installed package into a directory of the user's, and opened in JupyterLab.

A copy never loses anyone's work: a notebook in DIR that differs from the one we copied there
(recorded in ``DIR/.kfunc-explorer-notebooks.json``) is refused unless ``--force``, and even then
the user's version is kept beside it as ``NAME.ipynb.bak``. Notebooks that are still as we copied
them are updated to the installed version; identical ones are left alone.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from explorer.resources import lesson_notebooks, notebooks_dir

MANIFEST = ".kfunc-explorer-notebooks.json"
"""Per-directory record of what was copied (name -> sha256), to tell our copies from user edits."""
DEFAULT_LAB_DIR = "kfunc-explorer-lessons"
NOTEBOOK_EXTRA = "pip install 'kfunc-explorer[notebook]'"


class NotebookCopyError(ValueError):
    """A copy that would lose someone's work, or a destination that cannot be used: one line."""


@dataclass(frozen=True, slots=True)
class Copied:
    name: str
    action: str
    """``copied``, ``updated``, ``unchanged``, ``replaced`` (``--force``) or ``kept`` (lab)."""
    backup: str = ""


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_manifest(dest: Path) -> dict[str, str]:
    try:
        data = json.loads((dest / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items()}


def copy_notebooks(dest: Path, *, force: bool = False, keep_changed: bool = False) -> list[Copied]:
    """Copy every lesson notebook into ``dest`` (created if missing).

    A notebook in ``dest`` that was changed since we copied it (or that we did not copy) raises
    :class:`NotebookCopyError` naming it before anything is written, unless ``force`` (the user's
    version is saved as ``NAME.ipynb.bak``) or ``keep_changed`` (it is left as it is).
    """
    sources = lesson_notebooks()
    if not sources:
        raise NotebookCopyError(f"no lesson notebooks in {notebooks_dir()} (a broken install?)")
    if dest.exists() and not dest.is_dir():
        raise NotebookCopyError(f"{dest}: not a directory")
    recorded = _read_manifest(dest) if dest.is_dir() else {}
    plan: list[tuple[Path, bytes, str]] = []
    changed: list[str] = []
    for src in sources:
        new = src.read_bytes()
        target = dest / src.name
        if not target.exists():
            plan.append((src, new, "copied"))
            continue
        try:
            old = target.read_bytes()
        except OSError as e:
            raise NotebookCopyError(f"{target}: cannot read: {e.strerror or e}") from None
        if old == new:
            plan.append((src, new, "unchanged"))
        elif recorded.get(src.name) == _sha(old):
            plan.append((src, new, "updated"))
        else:
            changed.append(src.name)
            plan.append((src, new, "replaced" if force else "kept"))
    if changed and not (force or keep_changed):
        were = "was" if len(changed) == 1 else "were"
        raise NotebookCopyError(
            f"{dest}: {', '.join(changed)} {were} changed since copied there; nothing copied "
            "(--force replaces changed notebooks and saves yours as NAME.ipynb.bak)")
    try:
        dest.mkdir(parents=True, exist_ok=True)
        out: list[Copied] = []
        manifest = dict(recorded)
        for src, new, action in plan:
            target = dest / src.name
            backup = ""
            if action == "replaced":
                backup = src.name + ".bak"
                shutil.copy2(target, dest / backup)
            if action in ("copied", "updated", "replaced"):
                target.write_bytes(new)
            if action != "kept":
                manifest[src.name] = _sha(new)
            out.append(Copied(src.name, action, backup))
        (dest / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n",
                                     encoding="utf-8")
    except OSError as e:
        raise NotebookCopyError(f"{e.filename or dest}: cannot write: {e.strerror or e}") from None
    return out


def print_copied(dest: Path, copied: list[Copied]) -> None:
    counts: dict[str, int] = {}
    for c in copied:
        counts[c.action] = counts.get(c.action, 0) + 1
    summary = ", ".join(f"{n} {a}" for a, n in counts.items())
    print(f"{len(copied)} lesson notebooks in {dest}: {summary}.")
    for c in copied:
        if c.action == "replaced":
            print(f"  {c.name}: replaced; your version is saved as {c.backup}")
        elif c.action == "kept":
            print(f"  {c.name}: changed by you, kept as it is")


def open_hint(dest: Path) -> str:
    first = next((c.name for c in sorted(lesson_notebooks())), "01-table.ipynb")
    lab = ("kfunc-explorer lab " + str(dest) if jupyterlab_installed()
           else f"{NOTEBOOK_EXTRA}, then: kfunc-explorer lab {dest}")
    return (f"Open them: {lab}\n"
            f"       or: jupyter lab {dest / first}   (then Run > Run All Cells)")


def jupyterlab_installed() -> bool:
    return importlib.util.find_spec("jupyterlab") is not None


def exec_lab(dest: Path, extra: list[str]) -> None:
    """Replace this process with JupyterLab opened on ``dest`` (never returns)."""
    argv = [sys.executable, "-m", "jupyterlab", *extra, str(dest)]
    sys.stdout.flush()
    os.execv(sys.executable, argv)
