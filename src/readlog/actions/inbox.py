"""The phone inbox: `inbox.md` in the data dir, one note a line, filed into its book by `readlog inbox`.

A line is `VERB: BOOK | ARG | ...` with the CLI's verb names (`quote: never let me go | p. 53 | the line`),
optionally after the day it was written (`2026-11-20 finish: klara | 4.5`). Blank lines and `#` lines are
left alone. `parse` turns the text into notes (pure, no I/O); `file_inbox` files each through the verb's
action (BOOK rules and all) and removes what it filed.

Each line is filed exactly once, also across a SIGKILL: under the journal lock, before a line is filed its
text and a fingerprint of its book file as it was go to `.inbox-filing`; then the book is written, then the
line leaves `inbox.md`, then the marker goes. A run that finds a marker first finishes that one line: still
in the inbox and its book changed since the fingerprint, the line was filed and is only removed; book
unchanged, it is filed as any other line.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from readlog.errors import InvalidValue, Option, ReadlogError
from readlog.files import atomic_write, fsync_dir, read_regular
from readlog.journal import Journal
from readlog.text import one_line

INBOX = "inbox.md"
MARKER = ".inbox-filing"


@dataclass(frozen=True)
class Verb:
    name: str
    fields: tuple[str, ...]  # after BOOK, in order; "[X]" optional; the last takes the rest of the line
    least: int  # how many of them must be given
    book_optional: bool = False  # `next: | TITLE | AUTHOR`: a book you want to read, from no book

    @property
    def usage(self) -> str:
        book = "[BOOK]" if self.book_optional else "BOOK"
        return f"{self.name}: " + " | ".join([book, *self.fields])


# The grammar, one verb a row (the README's table says the same). The text of reflect, quote, review and
# the note of progress take the rest of the line, `|` and all.
VERBS: dict[str, Verb] = {
    v.name: v
    for v in (
        Verb("start", ("[FORMAT]",), 0),
        Verb("progress", ("AT", "[NOTE]"), 1),
        Verb("finish", ("[RATING]", "[REVIEW]"), 0),
        Verb("abandon", ("[AT]",), 0),
        Verb("pause", (), 0),
        Verb("review", ("[HEADLINE]", "TEXT"), 1),
        Verb("rate", ("RATING",), 1),
        Verb("reflect", ("TEXT",), 1),
        Verb("quote", ("[WHERE]", "TEXT"), 1),
        Verb("next", ("TITLE", "AUTHOR", "[WHY]"), 2, book_optional=True),
    )
}
# the verbs whose optional field comes first: with one field given, it is the one after
_LEADING_OPTIONAL = {"review", "quote"}
_LINE = re.compile(
    r"(?:[-*+]\s+)?(?:(?P<day>\d{4}-\d{2}-\d{2})\s+)?(?P<verb>[A-Za-z]+)\s*:(?P<rest>.*)", re.DOTALL
)
_PAGE = re.compile(r"(?:p|pp|page|pg)?\.?\s*(\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class Note:
    """One line of the inbox that parses: what to file."""

    number: int  # 1-based line number in the file as read
    raw: bytes  # the line's bytes, without its line ending
    verb: str
    book: str  # "" only for `next` without a source book
    args: tuple[str | None, ...]  # one per field of the verb; None where an optional one was not given
    day: str | None = None  # the day it was written, when the line says


@dataclass(frozen=True)
class Invalid:
    """A line that does not parse: it stays in the inbox, with the reason."""

    number: int
    raw: bytes
    reason: str


def parse(data: bytes) -> list[Note | Invalid]:
    """Every note of an inbox, in order; blank and `#` lines are not notes."""
    out: list[Note | Invalid] = []
    for number, raw in enumerate(split_lines(data), start=1):
        parsed = parse_line(raw, number)
        if parsed is not None:
            out.append(parsed)
    return out


def split_lines(data: bytes) -> list[bytes]:
    """The lines of a file without their endings (LF or CRLF); a final newline makes no empty last line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return [line.removesuffix(b"\r") for line in lines]


def parse_line(raw: bytes, number: int) -> Note | Invalid | None:
    """One line -> a note, an invalid line (with why), or None for a blank or `#` line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Invalid(number, raw, "not UTF-8 text")
    line = text.strip()
    if not line or line.startswith("#"):
        return None
    match = _LINE.fullmatch(line)
    if match is None:
        return Invalid(number, raw, "not `VERB: BOOK | ...` (verbs: " + ", ".join(VERBS) + ")")
    name = match["verb"].lower()
    verb = VERBS.get(name)
    if verb is None:
        return Invalid(number, raw, f"unknown verb {one_line(name)!r} (verbs: {', '.join(VERBS)})")
    parts = [part.strip() for part in match["rest"].split("|", len(verb.fields))]
    book, given = parts[0], parts[1:]
    if not verb.fields and "|" in book:
        return Invalid(number, raw, f"too many fields: {verb.usage}")
    if not book and not verb.book_optional:
        return Invalid(number, raw, f"no BOOK: {verb.usage}")
    if len(given) < verb.least or (verb.least and not any(given)):
        return Invalid(number, raw, f"too few fields: {verb.usage}")
    if name in _LEADING_OPTIONAL and len(given) == 1:
        given = ["", *given]
    args = tuple((value or None) for value in given) + (None,) * (len(verb.fields) - len(given))
    missing = [f for f, value in zip(verb.fields, args, strict=True) if value is None and f[0] != "["]
    if missing:
        return Invalid(number, raw, f"no {', '.join(missing)}: {verb.usage}")
    return Note(number, raw, name, book, args, match["day"])


def where(text: str | None) -> tuple[int | None, str | None]:
    """A quote's place: `p. 53`, `page 53` or `53` is a page; anything else (`ch. 3`, `45%`) a location."""
    if text is None:
        return None, None
    match = _PAGE.fullmatch(text.strip())
    if match:
        from readlog.model import PAGES, whole_number

        return whole_number(match[1], Option("PAGE"), PAGES), None  # bounded: a huge number parks the line
    return None, text


# --- filing ------------------------------------------------------------------------------------------
@dataclass
class Filed:
    note: Note
    slug: str
    title: str

    def describe(self) -> str:
        """What was done, in words: `quote “Never Let Me Go”`, `pick “Piranesi” from “Klara and the Sun”`."""
        verb, title = self.note.verb, f"“{one_line(self.title)}”"
        if verb == "next":
            pick = f"“{one_line(self.note.args[0] or '')}”"
            return f"pick {pick} from {title}" if self.slug else f"want {pick}"
        return f"{_DONE.get(verb, verb)} {title}"


_DONE = {"reflect": "reflect on", "progress": "progress in", "review": "review"}


@dataclass
class Left:
    number: int
    raw: bytes
    reason: str
    found: str = ""  # the book its BOOK found, where the line was left for another reason (a rating of 6)

    @property
    def text(self) -> str:
        return self.raw.decode("utf-8", "replace")


@dataclass
class InboxReport:
    filed: list[Filed] = field(default_factory=list)
    left: list[Left] = field(default_factory=list)
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)  # done on the way (an interrupted run finished)

    def to_json(self) -> dict[str, object]:
        return {
            "dry_run": self.dry_run,
            "filed": [
                {
                    "line": f.note.number,
                    "text": f.note.raw.decode("utf-8"),
                    "verb": f.note.verb,
                    "book": f.slug,
                    "title": f.title,
                }
                for f in self.filed
            ],
            "left": [{"line": item.number, "text": item.text, "reason": item.reason} for item in self.left],
        }


def inbox_path(journal: Journal) -> Path:
    return journal.root / INBOX


def has_notes(journal: Journal) -> bool:
    """Whether the inbox holds anything but blank and `#` lines (cheap: for `sync` to decide)."""
    path = inbox_path(journal)
    if (journal.root / MARKER).exists():
        return True  # an interrupted run to finish
    return path.exists() and bool(parse(_read(path)))


def file_inbox(journal: Journal, dry_run: bool = False) -> InboxReport:
    """File every note of the inbox into its book; remove what was filed; report what was left, and why."""
    report = InboxReport(dry_run=dry_run)
    path = inbox_path(journal)
    if not path.exists() and not (journal.root / MARKER).exists():
        return report
    with journal.locked(), journal.without_questions():
        filed_already = None
        if dry_run:
            filed_already = _filed_by_interrupted_run(journal)
            if filed_already is not None:
                report.notes.append(_filed_note(filed_already, "would remove"))
        else:
            report.notes += _finish_interrupted(journal)
        data = _read(path)
        for item in parse(data):
            if item.raw == filed_already:
                filed_already = None
                continue
            if isinstance(item, Invalid):
                report.left.append(Left(item.number, item.raw, item.reason))
                continue
            slug = ""
            try:
                slug = journal.find(item.book).slug if item.book else ""
                if dry_run and item.verb == "next":  # (the refusals of `next add`: the book is there already)
                    title = _next(journal, item, slug, dry_run=True)
                elif dry_run:
                    title = journal.load(slug, allow_newer=True).book.title if slug else item.args[0] or ""
                else:
                    title = _file_one(journal, item, slug)
            except ReadlogError as error:
                report.left.append(Left(item.number, item.raw, one_line(str(error)), found=slug))
                continue
            except Exception as error:  # a line readlog cannot file is parked, never the end of a sync
                reason = f"readlog could not file this line ({error.__class__.__name__}: {error})"
                report.left.append(Left(item.number, item.raw, one_line(reason)[:300]))
                continue
            report.filed.append(Filed(item, slug, title))
    return report


@dataclass
class Dropped:
    number: int
    text: str
    kept_in: Path  # the file in trash/ that holds the line


def waiting_line(journal: Journal, number: int, expected: bytes | None = None) -> Note | Invalid:
    """Line `number` of inbox.md (as the file is now) as a note, or why it is not one; with `expected`,
    refused unless the line is still that text (a phone may have rewritten the file meanwhile)."""
    lines = split_lines(_read(inbox_path(journal)))
    if not 1 <= number <= len(lines):
        raise InvalidValue(f"{INBOX} has no line {number} (it has {len(lines)})", field="N")
    if expected is not None and lines[number - 1] != expected:
        raise ReadlogError(f"line {number} of {INBOX} changed meanwhile; nothing was done: run it again")
    parsed = parse_line(lines[number - 1], number)
    if parsed is None:
        raise InvalidValue(f"line {number} of {INBOX} is blank or a `#` comment: not a note", field="N")
    return parsed


def drop_line(
    journal: Journal, number: int, expected: bytes | None = None, shown: int | None = None
) -> Dropped:
    """Take line `number` out of inbox.md; it goes to trash/ first (`inbox.<time>.md`), never lost.
    `shown`: the number the reader was shown for it, where lines have moved since (the walk)."""
    with journal.locked():
        line = waiting_line(journal, number, expected)
        text = line.raw.decode("utf-8", "replace")
        number = shown or number
        kept = journal.keep("inbox", ".md", f"# line {number} of {INBOX}, dropped\n{text}\n")
        _remove_line(inbox_path(journal), line.raw)
        return Dropped(number, text, kept)


def file_line_to(journal: Journal, number: int, book: str, expected: bytes | None = None) -> Filed:
    """File line `number` of inbox.md into the book `book` names (sure matches only, as every command that
    writes), whatever BOOK the line itself gives; the line then leaves the inbox."""
    from dataclasses import replace

    with journal.locked():
        _finish_interrupted(journal)
        line = waiting_line(journal, number, expected)
        if isinstance(line, Invalid):
            raise ReadlogError(f"{INBOX}:{number}: {line.reason}")
        slug = journal.find(book).slug
        note = replace(line, book=slug)
        title = _file_one(journal, note, slug)
        return Filed(note, slug, title)


def suggested_book(journal: Journal, query: str) -> tuple[str, str] | None:
    """The book a reader most likely meant by BOOK, the way `show` guesses it: (slug, title), or None."""
    if not query:
        return None
    try:
        found = journal.find(query, fuzzy=True)
        return found.slug, journal.load(found.slug, allow_newer=True).book.title
    except ReadlogError:
        return None


def _read(path: Path) -> bytes:
    """The inbox's bytes; a FIFO or device by its name is refused without blocking (see read_regular)."""
    try:
        return read_regular(path)
    except FileNotFoundError:
        return b""
    except OSError as error:
        raise ReadlogError(f"cannot read {path}: {error.strerror}") from None


def _file_one(journal: Journal, note: Note, slug: str) -> str:
    """File one note, the crash-safe way (see the module's docstring); the title of its book."""
    marker = journal.root / MARKER
    book_path = _target(journal, note, slug)
    state = {"line": note.raw.hex(), "book": book_path.name, "was": _print(book_path)}
    atomic_write(marker, json.dumps(state))
    try:
        title = ACTIONS[note.verb](journal, note, slug)
    except Exception:
        _drop(marker)  # an action that fails has written nothing: the line stays, to be filed again
        raise
    _remove_line(inbox_path(journal), note.raw)
    _drop(marker)
    return title


def _target(journal: Journal, note: Note, slug: str) -> Path:
    """The file a note changes, in books/: its book's (the file itself, if the slug is a link to it), or for
    `next` without a source book, the new book's."""
    if slug:
        path = journal.path_for(slug)
        return path.resolve() if path.is_symlink() else path
    from readlog.model import Book

    return journal.path_for(journal.free_slug(Book(title=note.args[0] or "", authors=[note.args[1] or ""])))


def _print(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def _drop(marker: Path) -> None:
    marker.unlink(missing_ok=True)
    fsync_dir(marker.parent)


def _filed_by_interrupted_run(journal: Journal) -> bytes | None:
    """The line a run killed mid-line filed but did not remove, per its marker: the line, if it is still
    in the inbox and its book changed since the marker's fingerprint."""
    try:
        state = json.loads((journal.root / MARKER).read_text(encoding="utf-8"))
        raw, name, was = bytes.fromhex(state["line"]), state["book"], state["was"]
        book = journal.path_for(Path(name).stem)  # by name in books/: the data dir may have moved since
    except (ValueError, KeyError, TypeError, OSError, ReadlogError):
        return None  # none, or unreadable: the line is filed again if it is still there
    if _print(book) != was and raw in split_lines(_read(inbox_path(journal))):
        return raw
    return None


def _finish_interrupted(journal: Journal) -> list[str]:
    """A run killed mid-line left its marker: remove that line if its book was written, then the marker."""
    marker = journal.root / MARKER
    if not marker.exists():
        return []
    raw = _filed_by_interrupted_run(journal)
    notes = []
    if raw is not None:
        _remove_line(inbox_path(journal), raw)
        notes.append(_filed_note(raw, "removed"))
    _drop(marker)
    return notes


def _filed_note(raw: bytes, done: str) -> str:
    return f"{done} “{one_line(raw.decode('utf-8', 'replace'))}” from {INBOX}: an interrupted run filed it"


def _remove_line(path: Path, raw: bytes) -> None:
    """Rewrite the inbox without the first line that is `raw`, re-read now (a folder sync may have added
    lines since); every other byte stays as it is. An inbox that is a link (to a file a phone app syncs)
    stays one: the file it points to is rewritten."""
    path = path.resolve() if path.is_symlink() else path
    data = _read(path)
    bom = b"\xef\xbb\xbf" if data.startswith(b"\xef\xbb\xbf") else b""
    pieces = data[len(bom) :].split(b"\n")  # each keeps its "\r", if any; the last is after the last "\n"
    for index, piece in enumerate(pieces):
        if piece.removesuffix(b"\r") != raw:
            continue
        if index < len(pieces) - 1:
            rest = b"\n".join(pieces[:index] + pieces[index + 1 :])
        elif piece:  # the last line, without a newline: the line before keeps its own
            rest = b"\n".join(pieces[:index]) + (b"\n" if index else b"")
        else:
            return
        atomic_write(path, bom + rest)
        return


# --- one function per verb: the arguments of the line to the action's parameters -------------------------
def _start(journal: Journal, note: Note, slug: str) -> str:
    from readlog.actions.lifecycle import start

    return start(journal, slug, on=note.day, fmt=note.args[0]).entry.book.title


def _progress(journal: Journal, note: Note, slug: str) -> str:
    from readlog.actions.lifecycle import progress

    at, text = note.args
    assert at is not None
    return progress(journal, slug, at, on=note.day, note=text).entry.book.title


def _finish(journal: Journal, note: Note, slug: str) -> str:
    from readlog.actions.books import ReviewText
    from readlog.actions.lifecycle import finish

    rating, body = note.args
    review = ReviewText(None, body) if body else None
    return finish(journal, slug, on=note.day, rating=rating, review=review).entry.book.title


def _abandon(journal: Journal, note: Note, slug: str) -> str:
    from readlog.actions.lifecycle import abandon

    return abandon(journal, slug, on=note.day, at=note.args[0]).book.title


def _pause(journal: Journal, note: Note, slug: str) -> str:
    from readlog.actions.lifecycle import pause

    return pause(journal, slug, on=note.day).book.title


def _review(journal: Journal, note: Note, slug: str) -> str:
    from readlog.actions.books import ReviewText, write_review

    headline, body = note.args
    return write_review(journal, slug, ReviewText(headline, body)).entry.book.title


def _rate(journal: Journal, note: Note, slug: str) -> str:
    from readlog.actions.books import rate

    assert note.args[0] is not None
    return rate(journal, slug, note.args[0]).entry.book.title


def _reflect(journal: Journal, note: Note, slug: str) -> str:
    from readlog.actions.books import add_reflection

    assert note.args[0] is not None
    return add_reflection(journal, slug, note.args[0], note.day).book.title


def _quote(journal: Journal, note: Note, slug: str) -> str:
    from readlog.actions.books import add_quote

    place, text = note.args
    assert text is not None
    page, location = where(place)
    return add_quote(journal, slug, text, page, location).book.title


def _next(journal: Journal, note: Note, slug: str, dry_run: bool = False) -> str:
    from readlog.actions.queue import add_pick

    title, author, why = note.args
    assert title is not None and author is not None
    return add_pick(journal, title, [author], slug or None, why, dry_run=dry_run).book.title


ACTIONS: dict[str, Callable[[Journal, Note, str], str]] = {
    "start": _start,
    "progress": _progress,
    "finish": _finish,
    "abandon": _abandon,
    "pause": _pause,
    "review": _review,
    "rate": _rate,
    "reflect": _reflect,
    "quote": _quote,
    "next": _next,
}
assert set(ACTIONS) == set(VERBS)
