"""Tags: counted, kept to one spelling, renamed across the journal."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator, Sequence

from readlog.errors import Option, ReadlogError, UsageError
from readlog.journal import Journal
from readlog.lazyclass import dataclass_when_used
from readlog.model import Book, Entry, parse_line
from readlog.text import control_codes, tag_key


@dataclass_when_used
class Tag:
    name: str  # the spelling the journal uses most (the first typed, when a new tag is added)
    count: int  # books with it
    spellings: list[str]  # every way it is written in the book files


def journal_tags(journal: Journal) -> list[Tag]:
    """Tags with the number of books that have them, most used first; spellings of one tag together."""
    groups: dict[str, list[tuple[str, int]]] = {}
    for name, count in journal.fresh_index().tag_counts():
        groups.setdefault(tag_key(name), []).append((name, count))
    tags = []
    for spellings in groups.values():
        spellings.sort(key=lambda s: (-s[1], s[0]))
        tags.append(Tag(spellings[0][0], sum(n for _, n in spellings), [s for s, _ in spellings]))
    return sorted(tags, key=lambda t: (-t.count, t.name.casefold()))


def canonical_tags(journal: Journal, tags: Sequence[str]) -> list[str]:
    """`tags` as the journal already spells them (`sci fi` becomes `Sci-Fi` if that is there), each once; a
    spelling with a control character (`Sci\tFi`, in a file an older readlog or a hand wrote: `check` names
    it) is never given to another book: the typed one is, unless the journal spells that tag cleanly too."""
    known: dict[str, str] = {}
    for found in journal_tags(journal) if tags else ():
        clean = [spelling for spelling in found.spellings if not control_codes(spelling)]
        if clean:
            known[tag_key(found.name)] = clean[0]
    out: list[str] = []
    seen: set[str] = set()
    for tag in tags:
        key = tag_key(tag)
        if key and key not in seen:
            seen.add(key)
            out.append(known.get(key, tag))
    return out


def split_tags(tags: Sequence[str], option: str) -> list[str]:
    """Tags as typed: `--tag a --tag "b, c"` is three tags; each once, each a line as a title or a name is
    (model.parse_line: control characters dropped, runs of spaces one, the ends trimmed)."""
    out: list[str] = []
    for tag in tags:
        for part in tag.split(","):
            name = parse_line(part, option)
            if name and name not in out:
                out.append(name)
    return out


@dataclass_when_used
class Tagged:
    entry: Entry
    changed: list[str]  # the tags added (or, with `remove`, taken off), as the book has them now (or had)
    unchanged: list[str]  # the tags given that were there already (or, with `remove`, were not there)


def tag_book(journal: Journal, query: str, tags: Sequence[str], remove: bool = False) -> Tagged:
    """`readlog tag BOOK TAG...`: add the tags to the book (BOOK found as every write finds it), spelled as
    the journal already spells them (`add --tag`'s rule); with `remove`, take them off whatever their
    spelling. Nothing is written when nothing changes."""
    given = split_tags(tags, Option("TAG"))
    if not any(tag_key(tag) for tag in given):
        raise UsageError("TAG: give a tag with letters in it", "TAG")
    given = [tag for tag in given if tag_key(tag)]
    slug = journal.find(query).slug
    wanted = given if remove else canonical_tags(journal, given)
    changed: list[str] = []
    unchanged: list[str] = []

    def change(book: Book) -> None:
        changed.clear()
        unchanged.clear()
        keys = {tag_key(tag) for tag in wanted}
        if remove:
            changed.extend(tag for tag in book.tags if tag_key(tag) in keys)
            gone = {tag_key(tag) for tag in changed}
            unchanged.extend(tag for tag in wanted if tag_key(tag) not in gone)
            book.tags = [tag for tag in book.tags if tag_key(tag) not in keys]
            return
        have = {tag_key(tag) for tag in book.tags}
        for tag in wanted:
            (unchanged if tag_key(tag) in have else changed).append(tag)
            have.add(tag_key(tag))
        book.tags = [*book.tags, *changed]

    entry = journal.modify(slug, change)
    return Tagged(entry, changed, unchanged)


@contextlib.contextmanager
def _counted() -> Iterator[None]:
    """One book's write and its count, which Ctrl-C waits for (the book is written in a moment): a count
    said after a stop is then exactly the books written."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def rename_tag(journal: Journal, old: str, new: str) -> tuple[int, str]:
    """Every book tagged OLD (any spelling of it) is tagged NEW instead; returns how many books changed and
    NEW as written (one line: `Sci\nFi` is `Sci Fi`)."""
    new = parse_line(new, Option("NEW"), required=True)
    if not tag_key(new):
        raise UsageError("NEW: give a tag with letters in it", "NEW")
    key = tag_key(old)
    with journal.locked():
        spellings = [t for tag in journal_tags(journal) if tag_key(tag.name) == key for t in tag.spellings]
        if not spellings:
            raise ReadlogError(f"no book is tagged {old!r}: `readlog tags` lists the tags")
        slugs = journal.fresh_index().slugs_tagged(spellings)

        def retag(book: Book) -> None:
            tags: list[str] = []
            for tag in book.tags:
                tag = new if tag_key(tag) == key else tag
                if tag_key(tag) not in {tag_key(t) for t in tags}:
                    tags.append(tag)
            book.tags = tags

        done = 0
        try:
            for slug in slugs:
                with _counted():
                    journal.modify(slug, retag)
                    done += 1
        except (KeyboardInterrupt, OSError) as stopped:  # Ctrl-C, a full disk: how far it got
            stopped.add_note(
                f"tags rename stopped: {done:,} of {len(slugs):,} books renamed (each whole); the same "
                "command again renames the rest"
            )
            raise
    return len(slugs), new
