"""Python objects as bytes, for readlog's own use: a big import's rows held compressed in memory, a ranking
query's rows sent back by the child process readlog forked for it. The one module that uses pickle.

Pickle runs code when it reads, so bytes are unpacked here only when this process made them, or its own
forked child did and sent them through a pipe. Nothing packed is ever written to a file or read from one
(caches on disk are JSON or SQLite)."""

from __future__ import annotations

import pickle
from typing import Any


def pack(value: Any, compress: bool = False) -> bytes:
    """`value` as bytes (zlib-compressed, quickly, with `compress`)."""
    data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    if compress:
        import zlib

        return zlib.compress(data, 1)
    return data


def unpack(data: bytes, compressed: bool = False) -> Any:
    """The value `pack` made these bytes from (in this process, or in a child it forked)."""
    if compressed:
        import zlib

        data = zlib.decompress(data)
    return pickle.loads(data)  # noqa: S301 - only bytes readlog itself packed (see the module's docstring)
