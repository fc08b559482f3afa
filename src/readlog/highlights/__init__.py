"""E-reader highlights: Kindle `My Clippings.txt`, KOReader (JSON export, `metadata.*.lua` sidecars), Kobo
`KoboReader.sqlite`, Readwise CSV. Each format is told from the content (the first bytes) and parsed by a
pure function into plain records (records.py); `apply.py` matches them to journal books and writes quotes.

A folder is searched for the files these formats use (a KOReader folder of `*.sdr` directories, a Kobo's
`.kobo/KoboReader.sqlite`, a Kindle's `documents/My Clippings.txt`).
"""

from __future__ import annotations

from pathlib import Path

from readlog.errors import ReadlogError
from readlog.highlights.records import Highlight, Parsed, Reject

__all__ = ["Highlight", "Parsed", "Reject", "format_of", "is_highlights", "read"]

HEAD = 4096


def format_of(head: bytes, name: str) -> str | None:
    """Which highlights format these first bytes are, if any."""
    from readlog.highlights import kindle, kobo, koreader, readwise

    if kobo.sniff(head):
        return kobo.NAME
    if koreader.sniff_json(head):
        return "koreader-json"
    if readwise.sniff(head):
        return readwise.NAME
    if kindle.sniff(head):
        return kindle.NAME
    if name.endswith(".lua") and koreader.sniff_lua(head, name):
        return "koreader-lua"
    return None


def is_highlights(path: Path) -> bool:
    """A folder (of sidecars, or a device), or a file whose content is a highlights format."""
    if path.is_dir():
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD)
    except OSError:
        return False
    return format_of(head, path.name) is not None


def read(path: Path) -> tuple[str, Parsed]:
    """The highlights of a file or folder: (format name, records)."""
    if path.is_dir():
        return _folder(path)
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD)
    except OSError as error:
        raise ReadlogError(f"cannot read {path}: {error.strerror}") from None
    fmt = format_of(head, path.name)
    if fmt is None:
        raise ReadlogError(f"{path} is not a highlights file (Kindle, KOReader, Kobo or Readwise)")
    parsed = _file(path, fmt)
    if parsed.fallback_lines:
        from readlog.text import fallback_message

        parsed.warnings.append(f"{path}: {fallback_message(parsed.fallback_lines)}")
    return fmt.split("-")[0], parsed


def _file(path: Path, fmt: str) -> Parsed:
    from readlog.highlights import kindle, kobo, koreader, readwise

    if fmt == kobo.NAME:
        return kobo.parse(path)
    raw = path.read_bytes()
    if fmt == "koreader-json":
        return koreader.parse_json(raw)
    if fmt == "koreader-lua":
        fallback = path.parent.name.removesuffix(".sdr") if path.parent.name.endswith(".sdr") else path.stem
        return koreader.parse_lua(raw, fallback)
    if fmt == readwise.NAME:
        return readwise.parse(raw)
    return kindle.parse(raw)


def _folder(folder: Path) -> tuple[str, Parsed]:
    files = sorted(
        p
        for pattern in ("**/metadata.*.lua", "**/KoboReader.sqlite", "**/My Clippings.txt")
        for p in folder.glob(pattern)
        if p.is_file() and not p.name.endswith(".old")
    )
    if not files:
        raise ReadlogError(
            f"{folder} holds no highlights: no KOReader metadata.*.lua sidecars, Kobo KoboReader.sqlite "
            "or Kindle My Clippings.txt"
        )
    formats: list[str] = []
    merged: Parsed | None = None
    for path in files:
        fmt, parsed = read(path)
        formats.append(fmt)
        for reject in parsed.rejects:
            reject.reason = f"{path.relative_to(folder)}: {reject.reason}"
        if merged is None:
            merged = parsed
        else:
            merged.extend(parsed)
    assert merged is not None
    return "+".join(dict.fromkeys(formats)), merged
