"""The user's keymap: rebind any action of the ACTIONS table by its id, as Posting does.

The file is ``$XDG_CONFIG_HOME/kfunc-explorer/keymap.toml`` (``~/.config/…`` when XDG_CONFIG_HOME
is unset); each line maps an action id to a key, or to several comma-separated (Textual's key
names, or the key itself for one character)::

    back = "h"                 # one key
    forward = "l,full_stop"    # or several
    whatif = "ctrl+w"          # frees w for a thread W
    step_W = "ctrl+s"          # thread keys: step_<LETTER> and step_over_<LETTER>

A ``[keymap]`` table holding the same lines works too. A missing file is no keymap. A bad file
(not TOML, an unknown id, a value that is not a key) is one warning line naming the file and every
bad line's place; every good line still applies.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

from textual.binding import Binding, BindingsMap

from explorer.views.actions import Action

APP_DIR = "kfunc-explorer"
KEYMAP_FILE = "keymap.toml"

CHARACTER_KEYS = {"?": "question_mark", ".": "full_stop", ",": "comma", "[": "left_square_bracket",
                  "]": "right_square_bracket", "+": "plus", "-": "minus", "/": "slash",
                  ";": "semicolon", ":": "colon", "!": "exclamation_mark", "#": "number_sign",
                  "*": "asterisk", "=": "equals_sign", "_": "underscore", "<": "less_than_sign",
                  ">": "greater_than_sign", "'": "apostrophe", '"': "quotation_mark",
                  "\\": "backslash", " ": "space"}
"""A key written as its character → Textual's name for it."""


def config_dir() -> Path:
    """``$XDG_CONFIG_HOME/kfunc-explorer`` (default ``~/.config/kfunc-explorer``)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / APP_DIR


def keymap_path() -> Path:
    """Where the user's keymap lives."""
    return config_dir() / KEYMAP_FILE


def _key(text: str) -> str:
    """One key as Textual names it (``?`` → ``question_mark``; ``ctrl+k`` stays)."""
    k = text.strip()
    return CHARACTER_KEYS.get(k, k)


def _valid(key: str) -> bool:
    *mods, base = key.split("+")
    return bool(base) and all(m in ("ctrl", "shift", "alt", "meta", "super") for m in mods) \
        and (len(base) == 1 or base.replace("_", "").isalnum())


def _id_list(ids: Iterable[str]) -> str:
    """The action ids, the 52 thread keys written as step_<LETTER> and step_over_<LETTER> (the
    full list filled 14 lines of an 80-column screen)."""
    return ", ".join(sorted({re.sub(r"^(step(?:_over)?)_[A-Z]$", r"\1_<LETTER>", i)
                             for i in ids}))


def parse_keymap(text: str, source: str, known: Iterable[str]) -> tuple[dict[str, str], str]:
    """(action id → Textual keys, comma-separated; the first problem as one line, or '')."""
    ids = set(known)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        return {}, f"{source}: {e}"
    entries = [(k, v, k) for k, v in data.items() if k != "keymap"]
    section = data.get("keymap", {})
    if not isinstance(section, dict):
        return {}, f"{source}: keymap: expected a table of action id = \"key\""
    entries += [(k, v, f"keymap.{k}") for k, v in section.items()]
    out: dict[str, str] = {}
    problems: list[str] = []
    unknown = False
    for action_id, keys, place in entries:
        if action_id not in ids:
            near = difflib.get_close_matches(action_id, ids, n=1)
            hint = f" (did you mean {near[0]}?)" if near else ""
            problems.append(f"{place}: unknown action id{hint}")
            unknown = True
            continue
        if not isinstance(keys, str) or not keys.strip():
            problems.append(f"{place}: expected a key such as \"ctrl+k\" or \"h\"")
            continue
        parts = [_key(k) for k in keys.split(",") if k.strip()] or [_key(keys)]
        bad = next((p for p in parts if not _valid(p)), None)
        if bad is not None:
            problems.append(f"{place}: {bad!r} is not a key (e.g. \"h\", \"ctrl+k\", \"f2\")")
            continue
        out[action_id] = ",".join(parts)
    if not problems:
        return out, ""
    ids_note = f" (ids: {_id_list(ids)})" if unknown else ""
    return out, f"{source}: " + "; ".join(problems) + ids_note


def load_keymap(known: Iterable[str], path: Path | None = None) -> tuple[dict[str, str], str]:
    """The user's keymap and a one-line warning ('' when all is well or there is no file)."""
    p = path or keymap_path()
    try:
        text = p.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return {}, ""
    except OSError as e:
        return {}, f"{p}: cannot read: {e.strerror or e}"
    except UnicodeDecodeError as e:
        return {}, f"{p}: byte {e.start}: not UTF-8 text"
    return parse_keymap(text, str(p), known)


def binding(action: Action, keymap: dict[str, str] | None = None) -> Binding:
    """The Textual binding of an ACTIONS row (id, keys after the user's ``keymap``, footer
    label or description)."""
    return Binding(action.bound_keys(keymap), action.action, action.footer or action.description,
                   show=bool(action.footer), id=action.id, priority=action.priority,
                   tooltip=action.description)


def bindings(actions: Iterable[Action], keymap: dict[str, str] | None = None) -> BindingsMap:
    """A bindings map of ``actions`` (in order: the first binding of a key is tried first)."""
    return BindingsMap([binding(a, keymap) for a in actions])
