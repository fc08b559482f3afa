"""Finding and counting: list, search, stats, goal, reindex."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from readlog.errors import BookFileError, Option, UsageError
from readlog.journal import Journal
from readlog.model import YEARS, Summary, parse_date, parse_int, parse_rating, parse_status, sort_key
from readlog.stopping import Stopped

if TYPE_CHECKING:
    from readlog.identity import Candidate
    from readlog.index import BookFilter, Hit, Index
    from readlog.index.rows import Listed
    from readlog.stats import Stats


def whole_title_of_each(query: str, candidates: Sequence[Candidate]) -> bool:
    """Is BOOK the whole title (or another sure name) of each of these books (two *Dune*s), rather than words
    of their titles? (identity.names_surely: a terminal's question says which.)"""
    from readlog.identity import names_surely

    return all(names_surely(query, book) for book in candidates)


def title_as_typed_of_each(query: str, candidates: Sequence[Candidate]) -> bool:
    """Is BOOK each book's title as typed (case and spaces aside): `dune` of two *Dune*s, but not `péche` of
    *Pêche* and *Péché*, which it names only folded alike? (identity.typed_exactly: the question's words.)"""
    from readlog.identity import typed_exactly

    return all(typed_exactly(query, book.title) for book in candidates)


def book_filter(
    status: Sequence[str],
    tag: str | None,
    author: str | None,
    rating: str | None,
    year: int | None,
    date_from: str | None,
    date_to: str | None,
) -> BookFilter:
    """`readlog list`'s options, validated, as a filter for the index."""
    from readlog.index import BookFilter

    for name, value in (("--tag", tag), ("--author", author), ("--from", date_from), ("--to", date_to)):
        if value is not None and not value.strip():  # (a script's empty variable: try-out 33b #9)
            raise UsageError(f"{name}: the value is empty; leave {name} out to list every book", name)
    if any(not value.strip(", ") for value in status):
        raise UsageError("--status: the value is empty; leave --status out to list every book", "--status")
    statuses = [
        parse_status(s.strip(), Option("--status")) for value in status for s in value.split(",") if s.strip()
    ]
    found = BookFilter(
        status=statuses or None,
        tag=tag.strip() if tag and tag.strip() else None,
        author=author if author and author.strip() else None,
        rating=parse_rating_filter(rating) if rating is not None else None,  # (`''`: told, try-out 32b #12)
        year=parse_int(year, Option("--year"), YEARS) if year is not None else None,
        date_from=sort_key(parse_date(date_from, Option("--from"), partial=True)) if date_from else None,
        date_to=_end_of(sort_key(parse_date(date_to, Option("--to"), partial=True))) if date_to else None,
    )
    if found.date_from and found.date_to and found.date_from > found.date_to:
        raise UsageError(f"--from {date_from} is after --to {date_to}: no book can match", "--from")
    return found


def unfiltered(where: BookFilter) -> bool:
    """No option of `list` narrows the books: an empty list then means an empty journal."""
    from readlog.index import BookFilter

    return where == BookFilter()


def _end_of(day: str) -> str:
    """`--to 2024` or `--to 2024-05` include the whole year or month."""
    return day + "\uffff" if len(day) < 10 else day


def parse_rating_filter(text: str) -> tuple[str, float]:
    match = re.fullmatch(r"\s*(>=|<=|==|>|<|=)?\s*(\S+)\s*", text)  # (`==` before `=`: try-out 32b #12)
    if not match or match[2][0] in "<>=":  # (`>>4`: told as typed, not as its rest, '>4', try-out 31c)
        raise UsageError(f"--rating: {text!r} is not a rating filter (e.g. '>=4', '<3', '4.5')", "--rating")
    operator = {"==": "=", None: "="}.get(match[1], match[1])
    return operator, float(parse_rating(match[2], Option("--rating")))


SORT_KEYS = ("newest", "title", "author", "rating", "finished", "added")


def select_books(
    journal: Journal, where: BookFilter, sort: str, limit: int
) -> tuple[Iterator[Summary], int, list[BookFileError]]:
    """`readlog list`: the books, read from the index as they are used; how many there are in all; and the
    files that could not be read."""
    _check_selection(sort, limit)
    entries, total = journal.fresh_index().select(where, sort, limit or None)
    return entries, total, journal.problems()


def select_listed(
    journal: Journal, where: BookFilter, sort: str, limit: int
) -> tuple[Iterator[Listed], int, list[BookFileError]]:
    """`select_books` for `list --json`: the same books in the same order, each read from the index as
    the listing prints it (its listed fields and last finished day), not as a whole book."""
    _check_selection(sort, limit)
    entries, total = journal.fresh_index().select_listed(where, sort, limit or None)
    return entries, total, journal.problems()


def select_rows(
    journal: Journal, where: BookFilter, sort: str, limit: int
) -> tuple[Iterator[list[str]], int, list[BookFileError]]:
    """`select_books` for `list --format tsv|csv`: the same books in the same order, each as its line
    (LIST_COLUMNS), made from the few columns it prints as the index stores them."""
    _check_selection(sort, limit)
    values, total = journal.fresh_index().select_columns(where, sort, limit or None, _LIST_SOURCES)
    return _list_rows(values), total, journal.problems()


def select_lines(
    journal: Journal, where: BookFilter, sort: str, limit: int
) -> tuple[Iterator[str | tuple[str, int] | list[str]], int, list[BookFileError]]:
    """`select_rows` for `list` piped (tsv), made by SQL a batch at a time: the same books in the same
    order, as blocks: lines the index found to be their tsv as they are (a str: the kept listing's, `plain`
    in index.schema), joined by newlines; or (text, n): n lines joined by newlines, each line the book's
    LIST_COLUMNS values joined by tabs, no value holding a tab or a newline, each value as select_rows has it
    (not yet made one line for tsv: cli.app.write_blocks does that); or, for a book whose values SQL cannot
    give as select_rows does (authors stored other than json.dumps writes them, a rating not in quarters) or
    that hold a tab or a newline, that book's values as select_rows gives them. 100,000 books: a tuple of six
    values, a list and a join per book in Python were most of a listing's time beyond its query."""
    from readlog import fields
    from readlog.model import _names_load

    _check_selection(sort, limit)
    index = journal.fresh_index()
    if fields.FIELDS["authors"].kind.load is not _names_load:  # never so today; then as select_rows does
        values, total = index.select_columns(where, sort, limit or None, _LIST_SOURCES)
        return _list_rows(values), total, journal.problems()
    batches, total = index.select_lines(where, sort, limit or None)
    return _blocks(index, batches), total, journal.problems()


_PLAIN = operator.itemgetter(2)
_LINE = operator.itemgetter(0)


def _blocks(
    index: Index, batches: Iterator[list[tuple[Any, ...]]]
) -> Iterator[str | tuple[str, int] | list[str]]:
    for batch in batches:
        if len(batch[0]) == 1:  # the kept listing's: a line vouched for, or the rowid of a book that is not
            try:
                yield "\n".join(map(_LINE, batch))
            except TypeError:  # (a rowid among them)
                yield from _unvouched(index, batch)
            continue
        if all(map(_PLAIN, batch)):  # every line vouched for when the listing was made
            yield "\n".join(map(_LINE, batch))
            continue
        lines = [line for line, _, _ in batch]
        if None not in lines:
            block = "\n".join(lines)
            count = len(lines)
            # every line has its five tabs (a value with a tab would add one) and no value a newline
            if block.count("\t") == 5 * count and block.count("\n") == count - 1:
                yield block, count
                continue
        odd = {rowid for line, rowid, _ in batch if line is None or line.count("\t") != 5 or "\n" in line}
        values = index.values_of(sorted(odd), _LIST_SOURCES)
        for line, rowid, _ in batch:
            if rowid in odd or line is None:
                yield from _list_rows(iter([values[rowid]]))
            else:
                yield line.split("\t")


def _unvouched(index: Index, batch: list[tuple[Any, ...]]) -> Iterator[str | list[str]]:
    """A batch of the kept listing holding books whose lines were not vouched for (edited since it was made,
    or odd): each of those as select_rows gives its values, the rest as their lines."""
    values = index.values_of(sorted(value for (value,) in batch if isinstance(value, int)), _LIST_SOURCES)
    for (value,) in batch:
        if isinstance(value, str):
            yield value
        else:
            yield from _list_rows(iter([values[value]]))


def _check_selection(sort: str, limit: int) -> None:
    if sort not in SORT_KEYS:
        raise UsageError(f"--sort: {sort!r} is not a sort key: use one of {', '.join(SORT_KEYS)}", "--sort")
    if limit < 0:
        raise UsageError(f"--limit: {limit} is negative (0 means no limit)", "--limit")


LIST_COLUMNS = ("slug", "title", "authors", "status", "rating", "finished")


_LIST_SOURCES = ("slug", "title", "authors", "status", "rating", "last_finished")  # LIST_COLUMNS' columns


def _list_rows(values: Iterator[tuple[Any, ...]]) -> Iterator[list[str]]:
    """Lines of `list --format tsv|csv` from values of _LIST_SOURCES: the authors as the field loads them,
    joined; the rating as `show` has it (4.5, 5: the same text for 5 and 5.0)."""
    from readlog import fields

    names = fields.FIELDS["authors"].kind.load
    for slug, title, authors, status, rating, finished in values:
        yield [slug, title, "; ".join(names(authors)), status or "", "" if rating is None else f"{rating:g}",
               finished or ""]  # fmt: skip


def list_item(entry: Listed) -> dict[str, object]:
    """One book as `list --json` gives it: its slug, the fields marked `listed` (title, authors,
    status, rating), when it was last finished; a field listed later after those."""
    from readlog.model import _jsonable

    item: dict[str, object] = {"slug": entry.slug}
    later: dict[str, object] = {}
    for name, value in entry.values.items():
        (item if name in _LISTED else later)[name] = _jsonable(value)
    return {**item, "finished": entry.finished or None, **later}


_LISTED = ("title", "authors", "status", "rating")  # list --json's keys before `finished`, as always

IN_PROGRESS = frozenset({"reading", "paused"})


def lists_progress(where: BookFilter) -> bool:
    """A listing of books being read (`--status reading`, `paused`, or both, alone): its lines for scripts
    give each book's progress too (a `progress` column, `percent_done` in JSON), as its table does."""
    return bool(where.status) and IN_PROGRESS.issuperset(where.status or ())


def progress_of(journal: Journal, where: BookFilter, sort: str, limit: int) -> dict[str, int | None]:
    """Each listed book's progress (a whole percentage; None where its length is unknown), by slug: for a
    listing `lists_progress` says gives it (a few books, read whole)."""
    from readlog.reading import percent_done

    entries, _ = journal.fresh_index().select(where, sort, limit or None)
    return {entry.slug: percent_done(entry.book) for entry in entries}


def with_progress(rows: Iterator[list[str]], progress: dict[str, int | None]) -> Iterator[list[str]]:
    """`select_rows`' lines with the `progress` column after LIST_COLUMNS: `25%`, or empty."""
    for row in rows:
        share = progress.get(row[0])
        yield [*row, "" if share is None else f"{share}%"]


SEARCH_PARTS = {
    "all": ("title", "review", "reflection", "quote", "pick"),
    "titles": ("title",),
    "review": ("review",),
    "reflections": ("reflection",),
    "quotes": ("quote",),
    "picks": ("pick",),
}


def search(journal: Journal, query: str, where: str = "all", limit: int = 20) -> tuple[list[Hit], Index]:
    """Ranked full-text search over the journal's titles, reviews, reflections, quotes and picks."""
    if where not in SEARCH_PARTS:
        raise UsageError(f"--in: {where!r} is not a part: use one of {', '.join(SEARCH_PARTS)}", "--in")
    if limit < 1:
        raise UsageError(f"--limit: {limit} is too small (at least 1)", "--limit")
    if not query.strip():
        raise UsageError("search: give some words to look for", "QUERY")
    index = journal.fresh_index()
    if not query.isascii():
        import unicodedata

        query = unicodedata.normalize("NFC", query)  # (the journal's text is NFC: model.parse_text)
    return index.search(query, SEARCH_PARTS[where], limit), index


def reindex(journal: Journal, progress: Callable[[int, int], None] | None = None) -> int:
    """Throw the index away and build it again from the files; returns how many files it read. Stopped by
    SIGTERM or SIGHUP, its transaction is rolled back (nothing of it half-written) and `Stopped` is raised:
    its `end` says so in one line and ends the process by the signal, as an import or a site build does."""
    from readlog.stopping import Ending, ending_raised

    try:
        with ending_raised():
            return journal.rebuild_index(progress)
    except Ending as stop:
        import signal

        name = signal.Signals(stop.signum).name
        words = f"reindex stopped ({name}): the index was not rebuilt; the next command brings it up to date"
        raise Stopped(stop.signum, words) from None


def reading_stats(journal: Journal, year: int | None = None) -> Stats:
    from readlog import stats

    if year is not None:
        parse_int(year, Option("--year"), YEARS)
    index = journal.fresh_index()
    ledger = index.kept_ledger(index)  # its answers kept until a book changes (issue 25)
    numbers = stats.compute(ledger, year, journal.goals())
    ledger.save()
    return numbers


def clear_goal(journal: Journal, year: int) -> bool:
    """Remove YEAR's goal; False when there was none."""
    return journal.clear_goal(year)


def set_goal(journal: Journal, books: int, year: int) -> None:
    from readlog import goals

    parse_int(books, Option("goal"), goals.BOOKS)  # (the BOOKS typed: a usage error, exit 2)
    parse_int(year, Option("--year"), goals.YEARS)
    journal.set_goal(year, books)
