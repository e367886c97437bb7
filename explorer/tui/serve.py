"""``kfunc-explorer serve``: the TUI in a browser, through textual-serve."""

from __future__ import annotations

import shlex
import sys


def serve(host: str = "127.0.0.1", port: int = 8000) -> int:
    """Serve ``python -m explorer tui`` on ``host:port`` (localhost unless told otherwise)."""
    from textual_serve.server import Server

    command = f"{shlex.quote(sys.executable)} -m explorer tui"
    Server(command, host=host, port=port, title="kfunc-explorer").serve()
    return 0
