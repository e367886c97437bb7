"""Reading a user's TOML file (scenario, lesson, challenge): every problem with the file itself is
one :class:`InputError` line that names it; what the data means is each loader's to check."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from explorer.sim.errors import InputError


def read_toml(path: Path) -> dict[str, Any]:
    """The parsed table of ``path``; InputError if it cannot be read, is not UTF-8 or not TOML."""
    return parse_toml(read_text(path), path)


def read_text(path: Path) -> str:
    """The text of ``path``; InputError if it cannot be read or is not UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from None
    except UnicodeDecodeError as e:
        raise InputError(f"{path}: byte {e.start}: not UTF-8 text") from None


def parse_toml(text: str, path: Path) -> dict[str, Any]:
    """The parsed table of ``text``, read from ``path``; InputError (naming it) if not TOML."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"{path}: {e}") from None
