"""Folders and files readlog makes in its data and cache dirs: the reader's alone (0700 and 0600), whatever
the umask and whichever command makes them first. A umask can only take bits away, so a folder is made with
0700 and then set to it (a umask of 0077 or 0 gives the same result), and every missing parent below an
existing folder is made the same way."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(folder: Path) -> Path:
    """`folder` and every missing parent made 0700; an existing folder is left as it is."""
    missing: list[Path] = []
    current = folder
    while not current.is_dir():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue
        with contextlib.suppress(OSError):
            os.chmod(path, DIR_MODE)
    return folder


def write_private(path: Path, data: bytes) -> None:
    """`data` to a cache file `path` (0600), swapped in whole, not fsynced (files.atomic_write)."""
    from readlog.files import atomic_write

    atomic_write(path, data, durable=False)
