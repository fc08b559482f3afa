"""Moving history in and out: import, export, and the formats each knows (for their help)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from readlog.errors import BookFileError, ReadlogError, UsageError
from readlog.identity import Candidate
from readlog.journal import Journal
from readlog.model import Book
from readlog.text import one_line

if TYPE_CHECKING:
    from readlog.exporters import Exporter
    from readlog.highlights.apply import Choose, Unsure  # noqa: F401 - named for cli/ (Unsure)
    from readlog.importers import ImportReport


@dataclass
class Formats:
    """What the registries hold, for the help of import and export (plugins included)."""

    books: list[str]  # labels of the formats that bring in books (Goodreads, StoryGraph, ...)
    quotes: list[str]  # labels of the highlights formats (quotes of books: Kindle, KOReader, ...)
    names: list[str]  # every import format's name, as --from takes it


def _refuse_special(file: Path) -> None:
    """What is not a regular file or a folder (a named pipe, a device, a socket) is refused at once: reading
    a pipe waits for a writer that may never come, in silence. (What is not there is the import's to say.)"""
    import stat

    try:
        mode = file.stat().st_mode
    except OSError:
        return
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return
    kind = (
        "a named pipe"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "not a regular file"
    )
    raise ReadlogError(f"{file} is {kind}, not a file or a folder: give the export or highlights file")


def import_formats() -> Formats:
    """The import registry, plugins too; a plugin that cannot be loaded is left out here (importing says
    what is wrong with it), so the help still shows."""
    from readlog.importers import REGISTRY, registry

    try:
        known = registry()
    except ReadlogError:
        known = REGISTRY
    return Formats(
        list(dict.fromkeys(i.label for i in known if i.adds_books)),
        list(dict.fromkeys(i.label for i in known if not i.adds_books)),
        [i.name for i in known],
    )


def export_formats() -> list[str]:
    """The export registry's names, plugins too (a broken plugin left out, as for imports)."""
    from readlog.exporters import REGISTRY, registry

    try:
        return list(registry())
    except ReadlogError:
        return list(REGISTRY)


@dataclass
class Message:
    kind: Literal["warning", "line"]  # a warning (stderr); a line: data in a dry run, else a confirmation
    text: str


@dataclass
class Imported:
    report: ImportReport
    messages: list[Message]  # in the order they are to be shown
    summary: str  # the last line: what was added, updated, skipped, rejected

    @property
    def failed(self) -> bool:
        """Some rows could not be imported (exit 1; the rest was imported)."""
        return bool(self.report.rejected)

    def to_json(self, dry_run: bool) -> dict[str, object]:
        """`import --json`: the counts, then each book added or updated (its slug: null in a dry run,
        which writes none, for a book it would add), each row rejected, and each book whose to-read position
        an --update dropped (no row of the export: in no count)."""
        report = self.report

        def books(titles: list[str], slugs: list[str | None]) -> list[dict[str, str | None]]:
            slugs = slugs + [None] * (len(titles) - len(slugs))
            return [{"slug": slug, "title": title} for title, slug in zip(titles, slugs, strict=False)]

        return {
            "format": report.format,
            "dry_run": dry_run,
            "counts": {
                "added": len(report.added),
                "updated": len(report.updated),
                "skipped": len(report.skipped),
                "rejected": len(report.rejected),
                "joined": report.joined,
            },
            "added": books(report.added, report.added_slugs),
            "updated": books(report.updated, report.updated_slugs),
            # (books the export no longer queues: no rows of it, each named by its slug)
            "dropped_positions": [{"slug": slug, "title": title} for slug, title in report.dropped_positions],
            "rejected": [{"line": r.line, "reason": r.reason} for r in report.rejected],
        }


def import_file(
    journal: Journal,
    file: Path,
    source: str | None = None,
    dry_run: bool = False,
    update: bool = False,
    progress: Callable[[int, int], None] | None = None,
    create: str | None = None,
    force: bool = False,
    rejects: Path | None = None,
    stopped: Callable[[str], None] | None = None,
    encoding: str | None = None,
    choose: Choose | None = None,
) -> Imported:
    """Import an export (books) or a highlights file or folder (quotes) through the one registry; with
    `rejects`, the rows that could not be imported are written there (checked before anything is done).
    `choose`: on a terminal, which journal book a file's book that may be one is (Unsure: the slug, or
    None for none of them), asked before anything is written."""
    from readlog import importers

    _refuse_special(file)
    if rejects is not None:  # (the export and the journal are what this run reads: never written over)
        importers.check_rejects_target(rejects, force, reads=[file, journal.root])
    report = importers.run_import(
        journal, file, source, dry_run, update, progress, create, force, stopped, encoding, choose
    )
    if rejects is not None and report.rejected:
        importers.write_rejects(report, rejects, force)
    messages = [
        # (line 0: the file as a whole, a truncated database say: no line to name)
        Message("warning", f"readlog: rejected {file}{f':{r.line}' if r.line else ''}: {one_line(r.reason)}")
        for r in report.rejected
    ]
    messages += [Message("warning", f"readlog: {one_line(w)}") for w in report.warnings]
    if report.highlights is not None:
        from readlog.highlights.apply import summary

        lines = summary(report.highlights, dry_run)
        return Imported(report, messages + [Message("line", line) for line in lines[:-1]], lines[-1])
    messages += [Message("line", f"note: {one_line(line)}") for line in _tidied(report.tidied)]
    messages += [Message("line", one_line(into)) for into in report.into]
    messages += [Message("line", f"kept: {one_line(kept)}") for kept in report.kept]
    messages += [Message("line", f"kept out: {one_line(out)}") for out in report.kept_out]
    if report.older:
        messages.append(
            Message(
                "warning",
                f"readlog: {file}: older than the last {report.format} export imported: applied (--force)",
            )
        )
    messages += [Message("line", f"changed: {one_line(change)}") for change in report.changes]
    if dry_run:
        # (the rows left as they are only counted, in the last line: hundreds of them hid the few that matter)
        for verb, titles in (("add", report.added), ("update", report.updated)):
            messages += [Message("line", f"{verb}: {title}") for title in titles]
    if report.edition_reviews:
        n = report.edition_reviews
        editions = f"{n} other edition{'s' if n != 1 else ''} of books added"
        messages.append(
            Message(
                "line",
                f"{editions} had a review of {'their' if n != 1 else 'its'} own: kept with that edition "
                "(`readlog show BOOK` shows it)",
            )
        )
    # (skipped books that were here before, not this export's twins; said only when the export says something
    # else of them: not after a re-run of an import that was stopped, nor of the same export again)
    if report.as_they_are and not update and not report.as_imported:
        import shlex

        again = f"readlog import --update {shlex.quote(str(file))}"
        messages.append(
            Message(
                "line",
                f"books already in the journal were left as they are: `{again}` merges what the export says "
                "of them (new readings, ratings, shelves), keeping what you wrote",
            )
        )
    would = "would be " if dry_run else ""
    summary_line = (
        f"{report.format} export: {len(report.added)} {would}added, {len(report.updated)} {would}updated, "
        f"{len(report.skipped)} {would}skipped (already here), {len(report.rejected)} rejected"
        + (f", {report.joined} {would}joined to another row's book (editions)" if report.joined else "")
        + (f" (written to {rejects})" if rejects is not None and report.rejected else "")
    )
    return Imported(report, messages, summary_line)


def _tidied(lines: list[str]) -> list[str]:
    """What an import said of the temp files it cleared (checkup.clear_stray_temps): those kept in trash/
    counted in one line, not one each (a killed import leaves a temp file of each book it was writing)."""
    moved = [line for line in lines if line.startswith("moved")]
    if len(moved) <= 1:
        return lines
    return [line for line in lines if line not in moved] + [
        f"{len(moved)} of them held text that is nowhere else: kept in trash/ (`*.unsaved.*`)"
    ]


@dataclass
class Exported:
    written: list[Path]  # files written (with --output)
    text: str | None  # the export itself, when not written to a file
    problems: list[BookFileError]  # books that could not be read, left out
    guessed: Candidate | None = None  # BOOK was a near spelling of this book's title
    losses: list[str] = field(default_factory=list)  # what the format cannot hold ("start dates: 3 books")
    books: int = 0  # the books the export was to hold: those in it and `problems`


def export_format(fmt: str, book: str | None, output: Path | None) -> Exporter:
    """The exporter `--format` names, or the usage error (exit 2) of a format that is not one, or of a
    whole-journal markdown export (a folder of files) without --output: checked before the journal is."""
    from readlog.exporters import registry

    known = registry()
    if fmt not in known:
        raise UsageError(f"--format: {fmt!r} is not a format: use one of {', '.join(known)}", "--format")
    if fmt == "markdown" and book is None and output is None:
        raise UsageError(
            "a whole-journal markdown export is a folder of files: give --output FOLDER", "--output"
        )
    return known[fmt]


def export(journal: Journal, book: str | None, fmt: str, output: Path | None, force: bool) -> Exported:
    """Render an export; write it to `output` (atomically, never over a file unless `force`) or return it."""
    from readlog.files import atomic_write

    exporter = export_format(fmt, book, output)
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
    if fmt == "markdown" and book is None and output is not None:  # (no output: refused above)
        from readlog.markdown import book_markdown

        hidden = [e for e in entries if e.book.private]  # posts are publishing: private books stay out
        entries = [e for e in entries if not e.book.private]
        notes = _left_out([e.book for e in entries], len(hidden), single=False)
        output.mkdir(parents=True, exist_ok=True)
        targets = [(output / f"{e.slug}.{exporter.extension}", e) for e in entries]
        # The post an earlier export wrote of a book that is private now: removed, or it stays published.
        stale = [p for e in hidden if (p := output / f"{e.slug}.{exporter.extension}").is_file()]
        clashes = [str(p) for p, _ in targets if p.exists()] + [str(p) for p in stale]
        if clashes and not force:
            gone = f"; {len(stale)} the post of a book now private, which --force removes" if stale else ""
            files = f"{len(clashes)} file{'s' if len(clashes) > 1 else ''}"
            raise ReadlogError(
                f"{files} already in {output} (e.g. {clashes[0]}{gone}): use --force to overwrite"
            )
        for done, (path, entry) in enumerate(targets):
            try:
                atomic_write(
                    path, book_markdown(entry.book, with_front_matter=True), sync_dir=False, private=False
                )
            except KeyboardInterrupt as stop:  # how far it got (each post whole: atomic_write)
                stop.add_note(
                    f"{done} of {len(targets)} posts written in {output}, each whole; the same export with "
                    "--force writes them all"
                )
                raise
        for path in stale:
            path.unlink()
        if stale:
            notes.append(
                f"removed {len(stale)} post{'s' if len(stale) > 1 else ''} of a book now private "
                f"({', '.join(p.name for p in stale[:3])}{' and more' if len(stale) > 3 else ''})"
            )
        return Exported(
            [p for p, _ in targets],
            None,
            problems,
            guessed,
            notes,
            len(entries) + len(problems) + len(hidden),
        )
    from readlog.exporters import to_json

    if exporter.render is to_json and book is None:  # (a backup of the whole journal: imports.toml with it)
        from readlog.importers import last_imports

        text = to_json(entries, False, last_imports(journal.root), journal.goals_text())
    else:
        text = exporter.render(entries, book is not None)
    losses = goodreads_losses([e.book for e in entries]) if fmt == "goodreads" else []
    if fmt == "markdown":
        losses = _left_out([e.book for e in entries], 0, single=book is not None)
    books = len(entries) + len(problems)
    if output is None:
        return Exported([], text, problems, guessed, losses, books)
    if output.is_dir():  # before --force's advice: --force cannot make a folder a file
        raise ReadlogError(f"{output} is a folder: give a file name (e.g. {output / 'journal.json'})")
    if output.exists() and not force:
        raise ReadlogError(f"{output} already exists: use --force to overwrite it")
    atomic_write(output, text, private=False)
    return Exported([output], None, problems, guessed, losses, books)


def _left_out(books: list[Book], private_books: int, single: bool) -> list[str]:
    """What a Markdown export leaves out as private, said (a post is publishing: privacy.public_book, and
    the other editions' reviews a private review takes along: privacy.hidden); `single`: one post (`export
    BOOK`), not a folder of them."""
    from readlog.privacy import hidden, left_out_lines

    titled = [(book.title, held) for book in books if (held := hidden(book))]
    return left_out_lines(titled, private_books, "their posts", single=single)


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


def volume_note(title: str, candidate: Candidate) -> str | None:
    """For the question an import asks of a book that may be `candidate`: that the two name different
    volumes (`its title names volume 3, make-it-stick's no volume`), or None (identity.volumes_apart)."""
    from readlog.identity import volumes_apart

    apart = volumes_apart(title, candidate.title)
    if apart is None:
        return None
    return f"its title names {apart[0]}, {candidate.slug}'s {apart[1]}"
