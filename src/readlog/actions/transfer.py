"""Moving history out: export."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from readlog.errors import BookFileError, InvalidValue, ReadlogError, UsageError
from readlog.identity import Candidate
from readlog.journal import Journal
from readlog.model import Book


@dataclass
class Exported:
    written: list[Path]  # files written (with --output)
    text: str | None  # the export itself, when not written to a file
    problems: list[BookFileError]  # books that could not be read, left out
    guessed: Candidate | None = None  # BOOK was a near spelling of this book's title
    losses: list[str] = field(default_factory=list)  # what the format cannot hold ("start dates: 3 books")


def export(journal: Journal, book: str | None, fmt: str, output: Path | None, force: bool) -> Exported:
    """Render an export; write it to `output` (atomically, never over a file unless `force`) or return it."""
    from readlog.exporters import registry
    from readlog.files import atomic_write

    known = registry()
    if fmt not in known:
        raise UsageError(f"--format: {fmt!r} is not a format: use one of {', '.join(known)}", "--format")
    exporter = known[fmt]
    problems: list[BookFileError] = []
    guessed: Candidate | None = None
    if book is not None:
        from readlog.actions.books import show_book

        shown = show_book(journal, book)
        entries = [shown.entry]
        if shown.guessed:
            guessed = shown.found.candidate
    else:
        entries = []
        for slug in journal.slugs():
            try:
                entries.append(journal.load(slug, allow_newer=True))
            except BookFileError as error:
                problems.append(error)
            except ReadlogError as error:
                problems.append(BookFileError(str(journal.books_dir / f"{slug}.toml"), str(error)))
    if fmt == "markdown" and book is None:
        if output is None:
            raise InvalidValue("a whole-journal markdown export is a folder of files: give --output FOLDER")
        from readlog.markdown import book_markdown

        entries = [e for e in entries if not e.book.private]  # posts are publishing: private books stay out
        output.mkdir(parents=True, exist_ok=True)
        targets = [(output / f"{e.slug}.{exporter.extension}", e) for e in entries]
        clashes = [str(p) for p, _ in targets if p.exists()]
        if clashes and not force:
            raise ReadlogError(
                f"{len(clashes)} files already in {output} (e.g. {clashes[0]}): use --force to overwrite"
            )
        for path, entry in targets:
            atomic_write(
                path, book_markdown(entry.book, with_front_matter=True), sync_dir=False, private=False
            )
        return Exported([p for p, _ in targets], None, problems, guessed)
    text = exporter.render(entries, book is not None)
    losses = goodreads_losses([e.book for e in entries]) if fmt == "goodreads" else []
    if output is None:
        return Exported([], text, problems, guessed, losses)
    if output.is_dir():  # before --force's advice: --force cannot make a folder a file
        raise ReadlogError(f"{output} is a folder: give a file name (e.g. {output / 'journal.json'})")
    if output.exists() and not force:
        raise ReadlogError(f"{output} already exists: use --force to overwrite it")
    atomic_write(output, text, private=False)
    return Exported([output], None, problems, guessed, losses)


def goodreads_losses(books: list[Book]) -> list[str]:
    """One line per kind of thing a Goodreads CSV cannot hold: how many books, and the first few titles."""
    from readlog.exporters.goodreads import goodreads_losses as losses_of

    by_kind: dict[str, list[str]] = {}
    for book in books:
        for kind in losses_of(book):
            by_kind.setdefault(kind, []).append(book.title)
    lines = []
    for kind, titles in by_kind.items():
        shown = ", ".join(titles[:3]) + (f" and {len(titles) - 3} more" if len(titles) > 3 else "")
        count = f"{len(titles)} book{'s' if len(titles) > 1 else ''}"
        lines.append(f"Goodreads' CSV cannot hold {kind} ({count}: {shown}): kept in readlog only")
    return lines
