"""Serve the static JupyterLite site (``build/lite``) on 127.0.0.1: ``./dev.sh lite-serve``.

    python lite/serve.py [--port 8000] [--dir build/lite]

Any static web server works (the site is plain files); this one only makes sure the module and
WebAssembly files get the MIME types browsers insist on, and binds to localhost.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import sys
import threading
from pathlib import Path
from typing import ClassVar

ROOT = Path(__file__).resolve().parent.parent
TYPES = {".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
         ".json": "application/json", ".whl": "application/zip", ".ipynb": "application/json"}


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def log_message(self, format: str, *args: object) -> None:
        if self.server.verbose:  # type: ignore[attr-defined]
            super().log_message(format, *args)


def make_server(directory: Path, port: int = 0, verbose: bool = False) -> http.server.HTTPServer:
    """A threading server for ``directory`` on 127.0.0.1 (port 0: any free port)."""
    handler = functools.partial(Handler, directory=str(directory))
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    srv.verbose = verbose  # type: ignore[attr-defined]
    return srv


def serve_in_thread(directory: Path) -> tuple[http.server.HTTPServer, str]:
    """Start a server in a daemon thread; returns it and its base URL (``shutdown()`` it)."""
    srv = make_server(directory)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}/"


def main() -> int:
    ap = argparse.ArgumentParser(description="Serve the static JupyterLite site on 127.0.0.1.")
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--dir", type=Path, default=ROOT / "build" / "lite")
    args = ap.parse_args()
    if not (args.dir / "index.html").is_file():
        print(f"./dev.sh lite-serve: {args.dir} has no site: build it with ./dev.sh lite",
              file=sys.stderr)
        return 1
    try:
        srv = make_server(args.dir, args.port, verbose=True)
    except OSError as e:
        print(f"./dev.sh lite-serve: port {args.port}: {e.strerror}", file=sys.stderr)
        return 1
    print(f"Serving the lessons at http://127.0.0.1:{args.port}/lab/index.html?path=01-table.ipynb"
          " (Ctrl-C stops)", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        srv.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
