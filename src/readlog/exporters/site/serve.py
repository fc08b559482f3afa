"""`readlog site OUTDIR --serve`: the site on 127.0.0.1 through the standard library's HTTP server, rebuilt
when a book file (or a template override) changes. A preview for the reader, not a web server."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from readlog.exporters.site.build import OVERRIDES


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the standard library's name
        pass


def open_server(outdir: Path, port: int) -> ThreadingHTTPServer:
    """Bound to 127.0.0.1 only; port 0 takes any free port (see `server.server_address`)."""
    handler = functools.partial(_Quiet, directory=str(outdir))
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


def fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    """What a rebuild depends on, cheaply: the name, size and mtime of every book file and override."""
    seen = []
    for folder in (root / "books", root / OVERRIDES):
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    stat = entry.stat()
                    seen.append((entry.path, stat.st_size, stat.st_mtime_ns))
        except OSError:
            continue
    return tuple(sorted(seen))


def serve(
    server: ThreadingHTTPServer,
    root: Path,
    rebuild: Callable[[], None],
    stop: threading.Event,
    interval: float = 0.5,
) -> None:
    """Serve until `stop` is set, calling `rebuild` whenever the journal changes."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        last = fingerprint(root)
        while not stop.wait(interval):
            now = fingerprint(root)
            if now != last:
                last = now
                rebuild()
    finally:
        server.shutdown()
        server.server_close()
