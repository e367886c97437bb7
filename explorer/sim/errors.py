"""The one error type the simulator raises for bad user input."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input from a user: a scenario or lesson file, a schedule, a variant name, a key.

    ``str()`` is one line that names the file (or the option) and the place, e.g.
    ``scenarios/race.toml: threads[1].kind: unknown kind 'x' (allowed: ...)``.
    """
