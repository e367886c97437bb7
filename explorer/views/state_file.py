"""One small JSON file of the learner's in the XDG state directory, kept safe.

Challenge progress (:class:`explorer.views.challenges.ProgressStore`) and locked lesson answers
(:class:`explorer.views.lesson_answers.AnswerStore`) are each a :class:`StateFile`, and share its
rules:

- **Where.** ``$XDG_STATE_HOME/kfunc-explorer/<name>`` (``~/.local/state`` when the variable is
  unset or empty).
- **A file that cannot be used** (unreadable, not JSON, another version, a bad entry) is never
  overwritten: it is renamed to ``<name>.corrupt-<YYYYmmddTHHMMSS>`` in the same directory, with
  ``-1``, ``-2``, … added when that name is taken (an earlier set-aside file is never replaced),
  and the learner starts afresh.
- **A file that cannot be moved aside** (a read-only directory, say) is left exactly as it is,
  and nothing is written for the rest of the session: what the learner does is kept in memory
  only.
- **Saving** writes ``<name>.tmp`` and renames it over the file, so a crash never leaves half a
  file. A failure (an unwritable directory, a full disk) keeps the data in memory, removes the
  temporary file, and the next save tries again.

Each case is one line in :attr:`StateFile.warning` for the front to show; nothing here raises.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = ["StateFile", "state_dir"]

E = TypeVar("E", bound="DataclassInstance")


def state_dir() -> Path:
    """``$XDG_STATE_HOME/kfunc-explorer`` (default ``~/.local/state/kfunc-explorer``)."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "kfunc-explorer"


class StateFile(Generic[E]):
    """A table of the learner's entries (``E``: a dataclass whose fields are its JSON keys),
    kept in ``NAME`` as ``{"version": VERSION, TABLE: {key: entry, ...}}``.

    A subclass names the file and says how one entry is read (:meth:`_entry`); ``entries`` is
    the table, ``warning`` one line when something went wrong (else '')."""

    NAME: ClassVar[str]
    WHAT: ClassVar[str]
    """What the file keeps, in the warning's words (``progress``, ``lesson answers``)."""
    VERSION: ClassVar[int]
    TABLE: ClassVar[str]

    def __init__(self, path: Path | None = None, *, persist: bool = True) -> None:
        self.path = path or state_dir() / self.NAME
        self.warning = ""
        self.writable = persist
        """False: nothing is written (``persist`` off, or an unusable file that could not be
        moved aside: it is never written over). What the learner does lives in memory."""
        self.entries: dict[str, E] = self._load() if persist else {}

    def _entry(self, key: str, raw: dict[str, Any]) -> E:
        """One entry from its JSON table; ValueError (one line, naming ``key``) if unusable."""
        raise NotImplementedError

    def _load(self) -> dict[str, E]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):  # no file (or no directory) yet
            return {}
        except (OSError, UnicodeDecodeError) as e:
            self._set_aside(f"cannot read it ({getattr(e, 'strerror', None) or e})")
            return {}
        try:
            return self._table(json.loads(text))
        except (ValueError, TypeError) as e:  # json.JSONDecodeError is a ValueError
            self._set_aside(str(e).splitlines()[0] if str(e) else f"not valid {self.WHAT} JSON")
            return {}

    def _table(self, raw: object) -> dict[str, E]:
        if not isinstance(raw, dict) or raw.get("version") != self.VERSION:
            raise ValueError(f"not a {self.WHAT} file of version {self.VERSION}")
        got = raw.get(self.TABLE)
        if not isinstance(got, dict):
            raise ValueError(f"{self.TABLE!r} is not a table")
        out = {}
        for key, e in got.items():
            if not isinstance(e, dict):
                raise ValueError(f"entry {key!r} is not a table")
            out[str(key)] = self._entry(str(key), e)
        return out

    def _aside_name(self) -> Path:
        stamp = time.strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        k = 1
        while aside.exists():
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{k}")
            k += 1
        return aside

    def _set_aside(self, why: str) -> None:
        aside = self._aside_name()
        try:
            self.path.rename(aside)
        except OSError as e:
            self.writable = False
            self.warning = (f"{self.path}: {why}; could not move it aside ({e.strerror or e}), so "
                            f"it is left as it is and {self.WHAT} will not be saved this session")
            return
        self.warning = (f"{self.path}: {why}; moved aside to {aside.name}, starting with no "
                        f"{self.WHAT}")

    def save(self) -> None:
        """Write the entries (unless :attr:`writable` is False); a failure is a :attr:`warning`
        and the entries stay in memory (the next save tries again)."""
        if not self.writable:
            return
        data = {"version": self.VERSION,
                self.TABLE: {k: asdict(e) for k, e in sorted(self.entries.items())}}
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as e:
            self.warning = f"{self.path}: cannot save {self.WHAT} ({e.strerror or e})"
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
