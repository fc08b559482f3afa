"""Python objects as bytes, for readlog's own use: a big import's rows held compressed in memory, a ranking
query's rows sent back by the child process readlog forked for it, an import's index rows sent from the
worker that made them to the process that records them. The one module that uses pickle (and marshal).

Pickle runs code when it reads, so bytes are unpacked here only when this process made them, or its own
forked child did and sent them through a pipe. Nothing packed is ever written to a file or read from one
(caches on disk are JSON or SQLite)."""

from __future__ import annotations

import marshal
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


def pack_plain(value: Any) -> bytes:
    """`pack(value)` for a value made of built-in types alone (tuples, lists, str, int, float, bool, None:
    a book's index rows) through marshal, which writes and reads those in two thirds of pickle's time; a
    value marshal refuses (any other type, a subclass of one of those) is pickled. Unpacked by
    `unpack_plain`, which tells the two apart by the first byte (pickle's is 0x80; no marshal type's is)."""
    try:
        return marshal.dumps(value, 4)
    except ValueError:
        return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)


def unpack_plain(data: bytes) -> Any:
    """The value `pack_plain` made these bytes from (in this process, or in a child it forked)."""
    if data[:1] == b"\x80":
        return pickle.loads(data)  # noqa: S301 - only bytes readlog itself packed (see the module's docstring)
    return marshal.loads(data)
