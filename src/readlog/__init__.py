"""readlog: a reading journal you own, kept as plain TOML files."""

__version__ = "0.1.0"

_CODE: list[str] = []  # code_stamp's answer, once a process


def code_stamp() -> str:
    """A digest of readlog's own code as installed: the path, size and mtime of each of its Python files.

    What readlog keeps beside the journal (the site's caches, the figures kept for the index as it is)
    is made by its code, and a readlog run from a checkout keeps one version number across many changes:
    a cache made by other code could publish a note to self newer code hides, or hand a script the old
    shape of `next --json`. So a changed, added or removed module makes them again. (Stats, not contents:
    ~0.5 ms against ~30 ms for reading every file; an install or a checkout gives a changed file a new
    mtime; a CRC, not hashlib, whose import alone costs more than the walk: this is asked on every `next`.)"""
    if not _CODE:
        import os
        import zlib

        found: list[str] = []

        def walk(folder: str) -> None:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name != "__pycache__":
                            walk(entry.path)
                    elif entry.name.endswith(".py"):
                        info = entry.stat()
                        found.append(f"{entry.path}\0{info.st_size}\0{info.st_mtime_ns}")

        walk(os.path.dirname(os.path.abspath(__file__)))
        stamp = "\n".join(sorted(found)).encode()
        _CODE.append(f"{zlib.crc32(stamp):08x}{len(stamp):x}")
    return _CODE[0]
