"""Rich renderables for sync: a book's recorded conflicts (for `show`) and the history (`log`); and what a
sync says when it is done, as lines. Pure: models in, renderables (or lines) out; user text always in
`Text`, never in markup."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import RenderableType

    from readlog.model import Book
    from readlog.sync.history import LogEntry
    from readlog.sync.repo import SyncReport


def render_conflicts(book: Book, slug: str, me: str | None = None) -> RenderableType | None:
    """A panel naming each field both devices changed, with both values ("here" is this device, named
    `me`), the one in place marked; None when there are none."""
    from rich.panel import Panel
    from rich.text import Text

    from readlog.sync.conflicts import (
        named,
        pending,
        perspective,
        resolve_command,
        show_sides,
        with_ending,
        with_status,
    )
    from readlog.text import one_line

    recorded = pending(book)
    if not recorded:
        return None
    endings = with_status(recorded)  # named on the status's line: one choice
    recorded = [conflict for conflict in recorded if conflict not in endings]
    lines = Text()
    for number, conflict in enumerate(recorded):
        if number:
            lines.append("\n")
        lines.append(named(conflict.field), style="bold")
        sides = perspective(conflict, me)
        where, here, other = show_sides(sides.here, sides.other)
        if conflict.field == "status" and endings:
            here, other = with_ending(here, other, endings, me)
        if where:
            lines.append(f" ({where})")
        lines.append(": here ")
        lines.append(one_line(here))
        if not sides.swapped:  # the one `show`'s header, stats and the site use until it is resolved
            lines.append(" (in place)")
        lines.append(", other device ")
        if sides.other_device:
            lines.append(f"({one_line(sides.other_device)}) ")
        lines.append(one_line(other))
        if sides.swapped:  # this device took the other's merge as it was: the other's value is in place
            lines.append(" (in place)")
        if conflict.when is not None:
            lines.append(f"  ({one_line(str(conflict.when))[:16].replace('T', ' ')})", style="dim")
    lines.append("\n")
    fields = {conflict.field for conflict in recorded}
    # the one field, when there is one, as the command takes it (quoted for a shell: `'reads[1].finished'`)
    lines.append(resolve_command(slug, fields.pop() if len(fields) == 1 else None), style="dim")
    return Panel(lines, title="Sync conflicts", title_align="left", border_style="red")


def field_names(fields: list[str]) -> str:
    """Fields as sync, `check`, `show` and `resolve` name them, joined: a tab as `$'a\\tb'` (`named`)."""
    from readlog.sync.conflicts import named

    return ", ".join(map(named, fields))


def render_log(entries: list[LogEntry], book: bool) -> RenderableType:
    """One line per change: `2026-11-20 finished, rated 4.5` (a book) or the commit's words (the journal)."""
    from rich.text import Text

    from readlog.text import one_line

    out = Text()
    for number, entry in enumerate(entries):
        if number:
            out.append("\n")
        out.append(entry.date[:10], style="dim")
        out.append(" ")
        out.append(one_line(", ".join(entry.changes) if book else entry.message))
    return out


# The hidden files `sync init` writes (the same on every device), not the reader's: never counted as merged.
_OWN_FILES = frozenset((".gitattributes", ".gitignore"))


def merged_words(paths: list[str]) -> str:
    """What a merge brought, in words (try-out 31c #7: `.gitattributes` was counted among "3 files"): the
    books counted (`3 books`), every other file named (`goals.toml`, a cover; more than three counted as
    `5 other files`), readlog's own hidden files left out (`_OWN_FILES`); "" when only they came."""
    from readlog.sync import is_book_path

    books = {path for path in paths if is_book_path(path) and not path.startswith("books/.")}
    others = [path for path in paths if path not in books and path not in _OWN_FILES]
    if not all(path.isprintable() for path in others):  # (the quoting's module only then: the quick sync)
        from readlog.sync.conflicts import named

        others = [named(path) for path in others]
    said = [f"{len(books)} book{'s' if len(books) != 1 else ''}"] if books else []
    if len(others) > 3:
        said.append(f"{len(others)} other files")
    else:
        said += others
    return " and ".join(said) if len(said) < 3 else ", ".join(said[:-1]) + " and " + said[-1]


def report_lines(report: SyncReport) -> tuple[list[tuple[str, str | None]], int]:
    """What a sync did, in the command line's words: (text, style) lines for stderr, in order (style None:
    a confirmation, always plain; else the colour it has on a terminal), and the exit code (1 when
    something needs the reader). `readlog sync` through the command line and from the entry point
    (readlog.__main__, plain lines) both say it through here, so they cannot say it differently."""
    lines: list[tuple[str, str | None]] = [(f"readlog: note: {note}", "yellow") for note in report.notes]
    if report.filed:
        count = len(report.filed)
        lines.append((f"Filed {count} note{'s' if count != 1 else ''} from inbox.md", None))
    lines += [(f"readlog: {line}", "yellow") for line in report.parked]
    if report.committed:
        lines.append((f"Committed: {report.committed}", None))
    merged = merged_words(report.merged)
    if merged:
        lines.append((f"Merged {merged} from {report.remote}", None))
    if report.pushed:
        lines.append((f"Pushed to {report.remote}", None))
    lines += [(line, "red") for line in report.attention]
    if report.held:
        lines.append((report.held, "red"))
    if report.attention:
        count = len(report.attention)  # (`held` follows from them: no thing more to do)
        lines.append((f"{count} thing{'s need' if count != 1 else ' needs'} you", "red"))
        return lines, 1
    if report.remote:
        lines.append((f"all in sync with {report.remote}", "green"))
    else:
        done = "committed" if report.committed else "nothing new to commit"
        lines.append((f"{done}; no remote to sync with (`readlog sync init URL` adds one)", "green"))
    return lines, 0
