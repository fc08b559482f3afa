"""What changed between two versions of a book, in words: for commit messages
(`finish "Klara and the Sun" (4.5); reflect on "Never Let Me Go"`) and for `readlog log`
(`finished, rated 4.5`, `review edited, +120 words`, `reflection added`). Pure: no I/O.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from readlog.model import Book

from readlog.identity import STATUS_VERBS as _STATUS_VERBS  # noqa: E402 - status -> (imperative, past)


class Change:
    """One change to a book: `verb`, imperative, before the title ("finish", "reflect on"); `past`, for one
    book's history ("finished, rated 4.5"); `detail`, after the title ("(4.5)", ", +120 words"). (A plain
    class: a dataclass runs generated code when this module is imported, on every sync that commits.)"""

    __slots__ = ("verb", "past", "detail")

    def __init__(self, verb: str, past: str, detail: str = ""):
        self.verb, self.past, self.detail = verb, past, detail

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Change) and (self.verb, self.past, self.detail) == (
            other.verb,
            other.past,
            other.detail,
        )

    __hash__ = None  # type: ignore[assignment]  # (as a dataclass with eq: mutable, not hashable)

    def __repr__(self) -> str:
        return f"Change(verb={self.verb!r}, past={self.past!r}, detail={self.detail!r})"

    def line(self, title: str) -> str:
        return f'{self.verb} "{title}"{self.detail}'


def read_version(raw: bytes | None, path: str) -> Book | None:
    """A version of a book file from git, or None where it is absent or does not parse."""
    from readlog import bookfile
    from readlog.errors import ReadlogError

    if raw is None:
        return None
    try:
        return bookfile.parse(bookfile.decode(raw, path), path, allow_newer=True)
    except ReadlogError:
        return None


def problem(raw: bytes | None, path: str) -> str | None:
    """Why a version of a book file is no book (None: it is one, or it is absent), in the parser's words
    without the path: `line 2: invalid TOML: ...`, `title: missing: every book needs a title`."""
    from readlog import bookfile
    from readlog.errors import ReadlogError

    if raw is None:
        return None
    try:
        bookfile.parse(bookfile.decode(raw, path), path, allow_newer=True)
    except ReadlogError as error:
        said = str(error)
        rest = said[len(path) :] if said.startswith(path) else said
        where = re.match(r":(\d+)(?::\d+)?: ", rest)
        return f"line {where[1]}: {rest[where.end() :]}" if where else rest.removeprefix(": ")
    return None


def another_book(old: Book, new: Book) -> bool:
    """Whether a file that held `old` holds another book now (two files' contents swapped, one book's
    text pasted over another's), rather than the same book edited: no id shared, the titles not one work
    (identity.same_work: NO) and the authors not one person either. A title mended by hand (`Dnue` made
    `Dune`), a subtitle added or an author's name spelled out (the title kept) keeps the book: an edit."""
    from readlog.identity import Same, Work, authors_compatible, same_work

    if old.title == new.title:  # (most edits: asked first, as sync describes every book it commits)
        return False
    return same_work(Work.of(old), Work.of(new)) is Same.NO and not authors_compatible(
        old.authors, new.authors
    )


def rating_words(rating: float | None) -> str:
    return "" if rating is None else f"{rating:g}"


def words(text: str | None) -> int:
    return len(text.split()) if text else 0


def count_words(count: int, sign: bool = False) -> str:
    """`1 word`, `120 words`; with `sign`, `+1 word`, `-3 words`."""
    number = f"{count:+d}" if sign else str(count)
    return f"{number} word{'' if abs(count) == 1 else 's'}"


# The subject of the commit `sync init` makes of a journal that has none yet (repo.commit)
FIRST_SYNC = "readlog: the journal as it was when syncing began"


def first_message(books: int) -> str:
    return f"{FIRST_SYNC} ({books} book{'s' if books != 1 else ''})"


def as_it_was(book: Book, subject: str) -> str:
    """A book in the journal's first commit, for its history: what it held then, never "added" (it was
    in the journal before; an import of years ago is not "added" on the day syncing began)."""
    held = [book.status] if book.status else []
    if book.rating is not None:
        held.append(f"rated {rating_words(book.rating)}")
    if book.review and not book.review.is_empty():
        held.append(f"a review of {count_words(words(book.review.body))}")
    when = "in the journal when syncing began" if subject.startswith(FIRST_SYNC) else "in the first commit"
    return when + (f" ({', '.join(held)})" if held else "")


def changes(old: Book | None, new: Book | None) -> list[Change]:
    if old is None and new is None:
        return []
    if new is None:
        return [Change("remove", "removed")]
    if old is None:
        found = [Change("add", "added")]
        rating = new.rating
        if new.status == "read" or new.last_finished is not None:
            detail = f" ({rating_words(rating)})" if rating is not None else ""
            found.append(
                Change("finish", "finished" + (f", rated {rating_words(rating)}" if rating else ""), detail)
            )
        if new.review and not new.review.is_empty():
            found.append(Change("review", f"reviewed, {count_words(words(new.review.body))}"))
        return found
    found = []
    # a reading is new by its dates, not its contents: logging progress or a format changes it too
    old_starts = {r.started for r in old.reads if r.started is not None}
    old_finishes = {r.finished for r in old.reads if r.finished is not None}
    finished = [r for r in new.reads if r.finished is not None and r.finished not in old_finishes]
    started = [r for r in new.reads if r.started is not None and r.started not in old_starts and r.is_open]
    rated = new.rating != old.rating and new.rating is not None
    status_changed = new.status != old.status and new.status is not None
    if finished or (status_changed and new.status == "read"):
        rating = new.rating if new.rating is not None else (finished[-1].rating if finished else None)
        detail = f" ({rating_words(rating)})" if rating is not None else ""
        past = "finished" + (f", rated {rating_words(rating)}" if rating is not None else "")
        found.append(Change("finish", past, detail))
        rated = False
    elif started or (status_changed and new.status == "reading"):
        found.append(Change("start", "started"))
    elif status_changed and new.status in _STATUS_VERBS:
        verb, past = _STATUS_VERBS[new.status]
        found.append(Change(verb, past))
    if rated:
        found.append(Change("rate", f"rated {rating_words(new.rating)}", f" {rating_words(new.rating)}"))
    elif new.rating is None and old.rating is not None:
        found.append(Change("clear the rating of", "rating cleared"))
    elif not finished and new.rating == old.rating:
        found += _readings_rated(old, new)  # `rate` during a re-read: that reading's own rating
    found += _tags(old, new)
    found += _progress(old, new)
    found += _review(old, new)
    found += _items(old.reflections, new.reflections, "reflect on", "reflection", "edit a reflection on")
    found += _items(old.quotes, new.quotes, "quote", "quote", "edit a quote from")
    for pick in new.next:
        if all(p.title != pick.title for p in old.next):
            found.append(Change("pick", f"pick added: “{pick.title}”", f' → "{pick.title}"'))
    settled = _settled(old, new)
    if settled:  # a value `resolve` put in place is the resolve, not a reading finished or a rating given
        found = [c for c in found if not (c.verb in _SETTLES and _SETTLES[c.verb] & settled)]
    found += _conflicts(old, new)
    if not found and _differs(old, new):
        from readlog import fields as table

        fields = [
            name
            for name, field in table.FIELDS.items()
            if field.describe and table.value(old, field) != table.value(new, field)
        ]
        shown = f" ({', '.join(fields)})" if fields else ""
        found.append(Change("edit", f"edited{shown}", shown))  # `edit "Dune" (pages, year)`
    return found


def _readings_rated(old: Book, new: Book) -> list[Change]:
    """A rating given to one reading, or taken from it, the book's own left as it was (`rate` during a
    re-read rates that reading: the book takes it when it is finished): `rated 4.5 (reading 2)`. A reading
    is the same one by its dates. The book's rating put on the past reading it was given for (as that
    `rate` does, the re-read's own rating to come) is no rating given."""
    before = {(r.started, r.finished): r.rating for r in old.reads}
    found = []
    for number, reading in enumerate(new.reads, 1):
        dates = (reading.started, reading.finished)
        if dates not in before or before[dates] == reading.rating:
            continue
        if before[dates] is None and reading.rating == new.rating and not reading.is_open:
            continue
        which = f"(reading {number})"
        if reading.rating is None:
            found.append(Change("clear the rating of", f"rating cleared {which}", f" {which}"))
        else:
            given = rating_words(reading.rating)
            found.append(Change("rate", f"rated {given} {which}", f" {given} {which}"))
    return found


# the fields (a conflict's field, up to its first `.` or `[`) each kind of change comes from
_SETTLES = {
    "finish": frozenset({"reads", "status"}),
    "start": frozenset({"reads", "status"}),
    "rate": frozenset({"rating"}),
    "clear the rating of": frozenset({"rating"}),
    "progress in": frozenset({"reads"}),
    "tag": frozenset({"tags"}),
    "untag": frozenset({"tags"}),
    "review": frozenset({"review"}),
    "edit the review of": frozenset({"review"}),
    "remove the review of": frozenset({"review"}),
    "reflect on": frozenset({"reflections"}),
    "edit a reflection on": frozenset({"reflections"}),
    "remove a reflection from": frozenset({"reflections"}),
    "quote": frozenset({"quotes"}),
    "edit a quote from": frozenset({"quotes"}),
    "remove a quote from": frozenset({"quotes"}),
    "pick": frozenset({"next"}),
}


def _settled(old: Book, new: Book) -> set[str]:
    """The fields whose conflicts this version settled (by their first part: `reads[1].finished`: reads)."""
    after = _conflict_fields(new)
    return {re.split(r"[.\[]", f, maxsplit=1)[0] for f in _conflict_fields(old) if f not in after}


def _tags(old: Book, new: Book) -> list[Change]:
    added = [t for t in new.tags if t not in old.tags]
    removed = [t for t in old.tags if t not in new.tags]
    found = []
    if added:
        names = ", ".join(added)
        found.append(Change("tag", f"tagged {names}", f" ({names})"))
    if removed:
        names = ", ".join(removed)
        found.append(Change("untag", f"untagged {names}", f" ({names})"))
    return found


def merged_into(removed: Book, old: Book | None, new: Book) -> bool:
    """Whether a book file removed (`removed`, as it was) went into another book that changed in the same
    commit, from `old` to `new`, as `readlog merge A B` leaves them: B's file gone, A changed and holding
    B: one of B's ids (an ISBN, a source's id) or else surely the same work (identity.same_work: a maybe,
    `Dune` and `Dune: Deluxe Edition` kept apart by the reader, is a removal, as it was). `old` None: A
    is new in that commit too (made by hand, then B merged into it before a sync): its every id is new."""
    from readlog.identity import VOLUME_KEY, Same, Work, book_keys, same_work

    if old == new:
        return False
    keys = {key for key in book_keys(removed) if not key.startswith(VOLUME_KEY)}  # (a place is no id)
    if keys & (set(book_keys(new)) - (set(book_keys(old)) if old is not None else set())):
        return True
    return same_work(Work.of(removed), Work.of(new)) is Same.SURE


def _differs(old: Book, new: Book) -> bool:
    return old != new


def _progress(old: Book, new: Book) -> list[Change]:
    """Where the reader got to, from the progress entries this version added (the last one)."""
    before = [p for r in old.reads for p in r.progress]
    added = [p for r in new.reads for p in r.progress if p not in before]
    if not added:
        return []
    last = added[-1]
    where = (
        f"p. {last.page}"
        if last.page is not None
        else f"{last.percent:g}%"
        if last.percent is not None
        else f"{last.minutes // 60}:{last.minutes % 60:02d}"
        if last.minutes is not None
        else ""
    )
    return [
        Change(
            "progress in",
            f"progress: {where}" if where else "progress logged",
            f" ({where})" if where else "",
        )
    ]


def _review(old: Book, new: Book) -> list[Change]:
    before = old.review if old.review and not old.review.is_empty() else None
    after = new.review if new.review and not new.review.is_empty() else None
    if before == after:
        return []
    if after is None:
        return [Change("remove the review of", "review removed")]
    if before is None:
        count = count_words(words(after.body))
        return [Change("review", f"reviewed, {count}", f", {count}")]
    delta = words(after.body) - words(before.body)
    amount = count_words(delta, sign=True) if delta else "same length"
    return [Change("edit the review of", f"review edited, {amount}", f", {amount}")]


def _items(old: list[Any], new: list[Any], verb: str, noun: str, edit_verb: str) -> list[Change]:
    added = [item for item in new if item not in old]
    removed = [item for item in old if item not in new]
    edited = min(len(added), len(removed)) if len(new) == len(old) else 0
    added, removed = added[edited:], removed[edited:]
    found = []
    if added:
        plural = f"{len(added)} {noun}s added" if len(added) > 1 else f"{noun} added"
        found.append(Change(verb, plural))
    if edited:
        found.append(Change(edit_verb, f"{noun} edited" if edited == 1 else f"{edited} {noun}s edited"))
    if removed:
        found.append(Change(f"remove a {noun} from", f"{noun} removed"))
    return found


def _conflicts(old: Book, new: Book) -> list[Change]:
    before = _conflict_fields(old)
    after = _conflict_fields(new)
    found = []
    recorded = [f for f in after if f not in before]
    settled = [f for f in before if f not in after]
    if recorded:
        names = ", ".join(recorded)
        found.append(Change("record a conflict in", f"conflict recorded: {names}", f" ({names})"))
    if settled:
        names = ", ".join(settled)
        found.append(Change("resolve", f"conflict resolved: {names}", f" ({names})"))
    return found


def _conflict_fields(book: Book) -> list[str]:
    value = book.extra.get("conflicts")
    if not isinstance(value, list):
        return []
    return [str(c.get("field")) for c in value if isinstance(c, dict)]


_MORE_BOOKS = re.compile(r"(\d+) more books")


def message(lines: list[str], limit: int = 3) -> str:
    """A commit message: a subject of the first few changes, and every change in the body."""
    if not lines:
        return "readlog: no changes"
    subject = "; ".join(lines[:limit])
    # the books past those described one by one: `describe` counts them in a line of its own, with the
    # files that are no books (`update imports.toml`) after it
    counted = next((found for line in lines[limit:] if (found := _MORE_BOOKS.fullmatch(line))), None)
    if counted:
        rest = len(lines) - limit - 1
        subject += (f"; {rest} more changes" if rest else "") + f"; and {counted[1]} more books"
    elif len(lines) > limit:
        subject += f"; and {len(lines) - limit} more"
    body = "\n".join(f"- {line}" for line in lines) if len(lines) > limit else ""
    return subject + ("\n\n" + body if body else "")
