"""Schedules: short shareable strings that say which thread steps, in order.

``LLLVVL`` and ``L3V2L`` mean the same: a letter is a thread, a number after it repeats it, and
``*`` after it (``B*``) means "as long as that thread can step". The canonical form (what the tools
print) is the run-length one, always with counts. Letter case does not matter (``l4v7`` is
``L4V7``), and spaces, commas and dots are ignored, so a schedule typed quickly or pasted from a
chat or a slide still parses.
"""

from __future__ import annotations

import re
from itertools import pairwise

from explorer.sim.errors import InputError

_TOKEN = re.compile(r"([A-Z])(\*|\d*)")
MAX_STEPS = 1_000_000
WITNESS_RULE = "fewest thread switches, then fewest steps"
"""How exploring picks an outcome's witness among the schedules that reach it (the fronts show
it): the easiest schedule to read and to step through."""
COUNT_MEANING = "end states with this outcome; many schedules reach each"
"""What an explored outcome's count (×N) means (the fronts show it)."""


def parse_schedule(text: str, letters: str | None = None) -> str:
    """Expand ``text`` to one letter per step; check letters against ``letters`` if given."""
    out: list[str] = []
    for letter, n in parse_tokens(text, letters):
        if n is None:
            raise InputError(f"schedule {text!r}: '{letter}*' needs a running model; "
                             "give a count here")
        out.append(letter * n)
    return "".join(out)


def parse_tokens(text: str, letters: str | None = None) -> list[tuple[str, int | None]]:
    """``L3V*`` (or ``l3v*``) → ``[("L", 3), ("V", None)]`` (None: as long as the thread can
    step)."""
    src = re.sub(r"[\s,.]", "", text).upper()
    out: list[tuple[str, int | None]] = []
    pos = 0
    total = 0
    while pos < len(src):
        m = _TOKEN.match(src, pos)
        if not m:
            raise InputError(f"schedule {text!r}: position {pos + 1}: expected a thread letter "
                             f"(A-Z), found {src[pos]!r}")
        letter, count = m.group(1), m.group(2)
        if letters is not None and letter not in letters:
            raise InputError(f"schedule {text!r}: position {pos + 1}: no thread {letter!r} "
                             f"(threads: {', '.join(letters)})")
        if count == "*":
            out.append((letter, None))
            pos = m.end()
            continue
        n = int(count) if count else 1
        if n == 0:
            raise InputError(f"schedule {text!r}: position {pos + 1}: a count must be 1 or more")
        total += n
        if total > MAX_STEPS:
            raise InputError(f"schedule {text!r}: more than {MAX_STEPS} steps")
        out.append((letter, n))
        pos = m.end()
    return out


def format_schedule(steps: str) -> str:
    """Run-length form: ``LLLVVL`` → ``L3V2L``."""
    out: list[str] = []
    i = 0
    while i < len(steps):
        j = i
        while j < len(steps) and steps[j] == steps[i]:
            j += 1
        n = j - i
        out.append(steps[i] + (str(n) if n > 1 else ""))
        i = j
    return "".join(out)


def count_steps(schedule: str) -> int:
    """Steps in a (valid, counted) schedule: ``L4V7`` → 11."""
    return len(parse_schedule(schedule))


def count_switches(schedule: str) -> int:
    """Thread switches in a (valid, counted) schedule: ``L4V7`` → 1, ``L61V6L2V4`` → 3."""
    steps = parse_schedule(schedule)
    return sum(1 for a, b in pairwise(steps) if a != b)
