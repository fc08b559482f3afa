"""Content: the public part of every book of the journal, with a cache so a rebuild re-reads only the files
that changed.

The cache lives with readlog's other caches (never in the published folder), keyed by each file's size,
mtime, inode and ctime (the index's freshness rule: a same-size rewrite with its mtime put back still shows).
It is only a cache: unreadable, damaged, half-written, stale or of another readlog, it is thrown away. It
holds only public parts (a private book is a slug and a stamp). Each of its shards is two files:

- `NN.json`: JSON (a format that only holds data: a planted file can never run code), for each book its
  stamp, the digest of its small part, and the small part itself (everything but the review's text, the
  reflections and the quotes) as the state of its objects, each one of the model's few classes, made again
  without running any code of theirs (see `_untag_state`), and what publishing leaves out of it as
  private (privacy.hidden: counts, for `site` to say);
- `NN.text`: the big texts (review, reflections and quotes, library.json line, and the reviews of other
  editions that are published: privacy.edition_reviews), UTF-8.

The two vouch for each other: the texts' first line is the CRC of the JSON, and the JSON holds the size
and CRC of the texts. What readlog wrote from a parsed and validated book comes back as it was, so it is
not validated again (that was most of a rebuild's time); a damaged shard is thrown away whole, and
reflections and quotes that prove unreadable when first read are taken from the book's file instead. The
folder is 0700 and its files 0600.

A rebuild after one edit parses the small parts only (review texts are cut from the texts as they are); a
book's reflections and quotes are decoded when a page needs them (its own page, when it is rendered again).
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from readlog import __version__, code_stamp
from readlog.errors import BookFileError, BookNotFound, ReadlogError
from readlog.model import Book, Quote, Reflection, Review
from readlog.privacy import Hidden
from readlog.queue import FinderKeys

if TYPE_CHECKING:
    import json
    from collections.abc import Callable, Iterable, Iterator

    from readlog.journal import Journal

# size, mtime_ns, inode, ctime_ns: a file with the same stamp holds the same book
Stamp = tuple[int, int, int, int]
CACHE_FORM = 10  # the shards' form (and their number): a cache of another form is thrown away


@dataclass
class Content:
    books: dict[str, Book]  # slug -> the public part of each book that parsed (private books left out)
    stamps: dict[str, Stamp] = field(default_factory=dict)  # every book that parsed, private ones too
    lines: dict[str, str | None] = field(default_factory=dict)  # slug -> its library.json line, if public
    # slug -> a digest of what lists of books are made from (the public part but the review's text, the
    # reflections and the quotes), for each public book: see context.Site.lists_key
    digests: dict[str, str] = field(default_factory=dict)
    # slug -> the reviews of other editions its page publishes (privacy.edition_reviews), for the public
    # books that have any: the public part leaves the source tables they are kept in out
    editions: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # slug -> what publishing leaves out of it as private (privacy.hidden), for the public books with any
    hidden: dict[str, Hidden] = field(default_factory=dict)
    # slug -> what the site finds a pick's book by (queue.finder_keys), for each public book: worked out
    # by the processes that parse, and kept in the cache, rather than by the build's one process after
    finders: dict[str, FinderKeys] = field(default_factory=dict)
    problems: list[BookFileError] = field(default_factory=list)

    def private_books(self) -> int:
        """How many of the books that parsed are private (left out whole)."""
        return len(self.stamps) - len(self.books)


@functools.cache
def _model_key() -> str:
    """The cache is thrown away when the model's fields change, not only when readlog's version does.
    (Made once a process: every shard read and written compares or writes it.)"""
    from dataclasses import fields

    from readlog import model

    classes = (
        model.Book,
        model.Read,
        model.Progress,
        model.Pause,
        model.Review,
        model.Reflection,
        model.Quote,
        model.Pick,
        model.ReadNext,
    )
    shapes = [(cls.__name__, [f.name for f in fields(cls)]) for cls in classes]
    from readlog.exporters.site.context import LIBRARY_LINE

    return f"{__version__} {shapes} library-line-{LIBRARY_LINE} form-{CACHE_FORM} code-{code_stamp()}"


# The cache is kept in parts, so that one changed book rewrites a small file, not all of it; and a cold
# build's processes share the parsing a part at a time, so the last part one of them takes is what the other
# may wait for at the end (at 10,000 books, 64 parts: about 30 ms of parsing each).
SHARDS = 64


def cache_path(root: Path) -> Path:
    """The folder of the parse cache for the journal at `root`."""
    from readlog.index import cache_dir

    where = str(root.resolve())
    return cache_dir() / f"site-books-{zlib.crc32(where.encode()):08x}"


def shard_files(folder: Path, number: int) -> tuple[Path, Path]:
    """The two files of a shard: its JSON, and its texts."""
    return folder / f"{number:02d}.json", folder / f"{number:02d}.text"


def _shard(slug: str) -> int:
    return zlib.crc32(slug.encode()) % SHARDS


def stamp_books(journal: Journal) -> tuple[list[str], dict[str, Stamp]]:
    """The journal's book slugs, and the stamp of each file still there."""
    slugs = journal.slugs()
    return slugs, _stamps(journal, slugs)


def _stamps(journal: Journal, slugs: list[str]) -> dict[str, Stamp]:
    stamps: dict[str, Stamp] = {}
    books_dir = str(journal.books_dir)
    for slug in slugs:
        stamp = _file_stamp(f"{books_dir}/{slug}.toml")
        if stamp is not None:  # (else gone since it was listed)
            stamps[slug] = stamp
    return stamps


def _file_stamp(file: str) -> Stamp | None:
    """The stamp of a book file (of the file a link leads to), None if it is gone."""
    try:
        info = os.lstat(file)
        if stat.S_ISLNK(info.st_mode):
            info = os.stat(file)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns)


# --- books read back from the cache: their big texts decoded when first asked for ------------------------

_Ref = tuple[bytes, int, int, str, str]  # the shard's texts, a text's start and length; journal, slug
_HEAVY = frozenset(("reflections", "quotes"))
_REVIEW = tuple(Review.__dataclass_fields__)  # a review's attributes, in order
_DAMAGED = (ValueError, TypeError, KeyError, AttributeError, RecursionError, ReadlogError)


def _text(ref: _Ref) -> str:
    data, start, length = ref[:3]
    return data[start : start + length].decode("utf-8", "surrogatepass")


def _from_file(ref: _Ref) -> Book:
    """The public part of the book, parsed from its file: where a cached text proves damaged when it is
    first read (its shard's CRC matched, so only a hand-made cache gets here)."""
    from readlog.journal import Journal
    from readlog.privacy import public_book

    root, slug = ref[3:]
    public = public_book(Journal(Path(root)).load(slug).book)
    if public is None:
        raise ReadlogError(f"the site's cache of {slug} is damaged and the book is private now: build again")
    return public


class CachedBook(Book):
    """The public part of a book read back from the cache: its reflections and quotes are decoded when first
    read; everything else is there already."""

    def __getattr__(self, name: str) -> Any:  # only for attributes not yet in the instance
        if name not in _HEAVY or "_heavy" not in self.__dict__:
            raise AttributeError(name)
        ref = self.__dict__.pop("_heavy")
        try:
            reflections, quotes = _decoder().decode(_text(ref))  # (json.loads with the hook makes a decoder)
            if {type(r) for r in reflections} - {Reflection} or {type(q) for q in quotes} - {Quote}:
                raise ValueError("reflections and quotes are the model's")
        except (*_DAMAGED, UnicodeDecodeError):
            parts = _from_file(ref)
            reflections, quotes = parts.reflections, parts.quotes
        self.__dict__["reflections"], self.__dict__["quotes"] = reflections, quotes
        return self.__dict__[name]


PARALLEL_FROM = 1000  # books to parse: fewer are parsed sooner by one process than by two
# A cached book as read: its stamp, the small part of its public copy (None: a private book), where its
# texts are (review body, reflections and quotes, library line, other editions' reviews: start and length,
# -1 for none), the small part's digest, what is left out of it as private (Hidden's counts, None for
# nothing), and its finder keys (`_finder_json`; None: a private book).
_Raw = tuple[Stamp, "dict[str, Any] | None", list[int], "str | None", "list[int] | None", Any]
# a shard as read: its books, and its texts (`_Texts`: read when its books are; or the texts themselves)
_Shard = tuple[dict[str, _Raw], "bytes | _Texts"]
# stamp, public part (None: private), library line, the small part's digest, other editions' reviews, what
# is left out as private (None: nothing, or the whole book), finder keys (None: private)
_Found = tuple[Stamp, "Book | None", "str | None", "str | None", "list[tuple[str, str]]", "Hidden | None",
               "FinderKeys | None"]  # fmt: skip


def load_books(
    journal: Journal,
    use_cache: bool = True,
    listed: tuple[list[str], dict[str, Stamp] | None] | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> Content:
    """The public part of every book file; a file that does not parse is reported, never fatal. When many
    files must be parsed (a first build, a new cache), the cache's shards are shared between processes (one
    per core, each taking the next shard as it is free), each parsing and caching its own. `listed`: the
    slugs and stamps (`stamp_books`), if taken already; the slugs and None: each file's stamp is taken
    when it is parsed, if the cache holds no book (a first build: the processes that parse stamp them,
    rather than this one before they start), else now. `meanwhile`: work of this process to do while other
    processes parse, if they do (this one then parses fewer shards)."""
    from readlog.exporters.site import parallel

    folder = cache_path(journal.root)
    if use_cache:
        forget_pickles(folder)
    slugs, stamps = listed if listed is not None else stamp_books(journal)
    empty: _Shard = ({}, b"")
    raw = [_read_shard(folder, number) if use_cache else empty for number in range(SHARDS)]
    if stamps is None and any(records for records, _ in raw):
        stamps = _stamps(journal, slugs)  # (cached books are known by their stamps)
    by_shard: list[list[str]] = [[] for _ in range(SHARDS)]
    for slug in slugs if stamps is None else stamps:
        by_shard[_shard(slug)].append(slug)
    if stamps is None:
        misses = len(slugs)
    else:
        misses = sum(
            1
            for records, names in zip((records for records, _ in raw), by_shard, strict=True)
            for slug in names
            if (records.get(slug) or (None,))[0] != stamps[slug]
        )  # (by shard: each slug's shard is worked out once)
    shares = parallel.workers(enough=misses >= PARALLEL_FROM)
    found: dict[str, _Found | BookFileError] = {}
    cached: list[int] = []
    tasks = parallel.Tasks(SHARDS)
    # A worker tells of each shard it has written (its number, one byte, through a pipe); this process
    # reads those between the shards it parses, rather than all of them at the end with a core idle.
    told, tell = os.pipe() if shares > 1 else (-1, -1)  # (SHARDS < 256: a shard's number is one byte)
    loaded: set[int] = set()
    ends = [told, tell] if shares > 1 else []  # this process's ends of that pipe still open

    def read_told() -> None:
        try:
            numbers = os.read(told, SHARDS)
        except BlockingIOError:
            return
        for number in numbers:
            raw[number] = _read_shard(folder, number)
            found.update(_load_shards(journal, folder, by_shard, [number], raw, stamps, use_cache)[0])
            loaded.add(number)

    def mine() -> Iterator[int]:
        for number in tasks:
            yield number
            read_told()

    def share(number: int) -> tuple[dict[str, _Found | BookFileError], list[int]]:
        if number > 0:
            return _load_shards(journal, folder, by_shard, tasks, raw, stamps, use_cache, tell=tell)
        if shares > 1:
            ends.remove(tell)
            os.close(tell)  # (the workers' copies stay open)
            os.set_blocking(told, False)
            if meanwhile is not None:
                meanwhile()
        return _load_shards(
            journal, folder, by_shard, mine() if shares > 1 else tasks, raw, stamps, use_cache
        )

    try:
        for part, written in parallel.fork_map(shares, share, tasks, later=True):  # (reaped: build_site)
            found.update(part)
            cached += written
    finally:
        for end in ends:  # (the write end too, if the work never began here)
            os.close(end)
    cached = [number for number in cached if number not in loaded]
    if cached:  # a worker's books come back through the shards it wrote: read, as a rebuild reads them
        for number in cached:
            raw[number] = _read_shard(folder, number)
        found.update(_load_shards(journal, folder, by_shard, cached, raw, stamps, use_cache)[0])
    content = Content({})
    for slug in slugs:  # in the journal's order, however the work was shared
        got = found.get(slug)
        if got is None:
            continue
        if isinstance(got, BookFileError):
            content.problems.append(got)
            continue
        stamp, book, line, digest, editions, held, keys = got
        content.stamps[slug], content.lines[slug] = stamp, line
        if book is not None and digest is not None:
            content.books[slug], content.digests[slug] = book, digest
            if keys is not None:
                content.finders[slug] = keys
            if editions:
                content.editions[slug] = editions
            if held:
                content.hidden[slug] = held
    return content


def _load_shards(
    journal: Journal,
    folder: Path,
    by_shard: list[list[str]],
    numbers: Iterable[int],
    raw: list[_Shard],
    stamps: dict[str, Stamp] | None,
    use_cache: bool,
    tell: int = -1,
) -> tuple[dict[str, _Found | BookFileError], list[int]]:
    """The books of these shards of the cache: from the cache where a file's stamp matches, else parsed; a
    shard with a change is written again. `stamps` None: the cache held no book when the build began, each
    file is stamped as it is parsed, and a shard read back is one a process of this build just wrote.

    With `tell` (in a worker process: the write end of a pipe), the books of a shard written whole are left
    out of the answer and the shard's number given instead, and written to `tell` as soon as the shard is:
    the parent reads them from the cache faster than it would unpickle them."""
    from readlog.exporters.site.context import public_line
    from readlog.identity import series_pairs
    from readlog.privacy import edition_reviews, hidden_from, public_book
    from readlog.queue import finder_keys

    found: dict[str, _Found | BookFileError] = {}
    written: list[int] = []
    books_dir = str(journal.books_dir)
    for number in numbers:
        records, kept_texts = raw[number]
        texts = _read_texts(kept_texts)
        if texts is None:  # (damaged, or another write of the shard's: its books are parsed again)
            records, texts = {}, b""
        cached = _validated(records, texts, by_shard[number], stamps, str(journal.root))
        fresh: dict[str, _Raw | _Made] = {}
        changed = False
        for slug in by_shard[number]:
            hit = cached.get(slug)
            if hit is not None:
                public, line, editions, held, keys = hit
                fresh[slug] = record = records[slug]  # written back as it was
                stamp, digest = record[0], record[3]
            else:
                changed = True
                try:
                    book, stamp = _parsed(journal, books_dir, slug)
                except BookFileError as error:
                    found[slug] = error
                    continue
                except BookNotFound as error:
                    if stamps is None:
                        continue  # gone since it was listed (as stamp_books leaves it out)
                    found[slug] = BookFileError(f"{journal.books_dir}/{slug}.toml", str(error))
                    continue
                except ReadlogError as error:
                    found[slug] = BookFileError(f"{journal.books_dir}/{slug}.toml", str(error))
                    continue
                if stamps is not None:
                    stamp = stamps[slug]
                public = public_book(book)
                line = public_line(slug, public)  # (library_line, the public part made once)
                made = _small_part(public)
                editions = edition_reviews(book) if public is not None else []
                kept = _encode(_json()[0](editions)) if editions else None
                held = hidden_from(book, public) or None
                keys = None if public is None else finder_keys(public.title, series_pairs(public.series))
                fresh[slug] = (stamp, *made, _encode(line), kept, _counts(held), _finder_json(keys))
                digest = made[1]
            found[slug] = (stamp, public, line, digest, editions, held, keys)
        if (
            use_cache
            and (changed or fresh.keys() != records.keys())
            and _write_shard(folder, number, fresh, texts)
            and tell != -1
        ):
            for slug in fresh:
                del found[slug]
            written.append(number)
            os.write(tell, bytes([number]))
    return found, written


# A book file opened to be parsed: never through a link (a link is the journal's to follow: Journal.load),
# never waiting on a FIFO. (O_NOFOLLOW and O_NONBLOCK are POSIX's; elsewhere every book is Journal.load's.)
_DIRECT = hasattr(os, "O_NOFOLLOW") and hasattr(os, "O_NONBLOCK")
_OPEN_BOOK = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_OPEN_BOOK |= getattr(os, "O_CLOEXEC", 0)


def _parsed(journal: Journal, books_dir: str, slug: str) -> tuple[Book, Stamp]:
    """The book of `slug`'s file, as `journal.load(slug).book` gives it (the same book, the same errors),
    and the file's stamp (as `stamp_books` takes it, of the very file read where it is read here),
    read straight from the file where it is a plain one: a cold build parses every book, and the journal's
    general path (its Path objects, its link check, its Entry) costs a sixth of a book's parse. A link, a
    name that is not a slug, anything but a regular file, or a file that cannot be opened goes the journal's
    way."""
    from readlog import bookfile
    from readlog.text import is_slug

    path = f"{books_dir}/{slug}.toml"  # (as Journal.path_for makes it: the name its errors give)
    read = _read_plain(path) if _DIRECT and is_slug(slug) else None
    if read is None:
        stamp = _file_stamp(path) or (-1, -1, -1, -1)  # (-1: a stamp no file has, if it came back meanwhile)
        return journal.load(slug).book, stamp
    data, stamp = read
    return bookfile.parse(bookfile.decode(data, path), path), stamp


def _read_plain(path: str) -> tuple[bytes, Stamp] | None:
    """The bytes and stamp of the file at `path` if it is a regular file and no link, else None (the
    journal's read then says why not, in its words)."""
    try:
        fd = os.open(path, _OPEN_BOOK)
    except OSError:
        return None  # a link (ELOOP), gone, unreadable
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None
        stamp = (info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns)
        data = os.read(fd, info.st_size + 1)  # (one more byte: a short read is the file's end)
        if len(data) <= info.st_size:
            return data, stamp
        chunks = [data]  # (it grew since fstat: read on to its end)
        while chunks[-1]:
            chunks.append(os.read(fd, 65536))
        return b"".join(chunks), stamp
    except OSError:
        return None
    finally:
        os.close(fd)


# public part, library line, editions, what is left out as private, finder keys
_Cached = tuple["Book | None", "str | None", "list[tuple[str, str]]", "Hidden | None", "FinderKeys | None"]


def _validated(
    records: dict[str, _Raw], texts: Buffer, slugs: list[str], stamps: dict[str, Stamp] | None, root: str
) -> dict[str, _Cached]:
    """The cached books of these slugs whose file is unchanged (their big texts decoded when first read),
    with their library lines, the other editions' reviews they publish and what they leave out as private;
    none if one of the shard's books is not of the cache's shape (a damaged cache: its books are parsed
    again)."""
    books: dict[str, _Cached] = {}
    try:
        for slug in slugs:
            hit = records.get(slug)
            if hit is not None and (stamps is None or hit[0] == stamps[slug]):
                books[slug] = _cached_book(hit, texts, root, slug)
    except (*_DAMAGED, IndexError):
        return {}
    return books


def _cached_book(record: _Raw, texts: Buffer, root: str, slug: str) -> _Cached:
    _, small, where, digest, counts, finder = record
    body_at, body_length, heavy_at, heavy_length, line_at, line_length, editions_at, editions_length = where
    if (small is None) != (digest is None) or not isinstance(digest, str | None):
        raise ValueError("a public book's digest, and only a public book's")
    for start, length in (
        (body_at, body_length),
        (heavy_at, heavy_length),
        (line_at, line_length),
        (editions_at, editions_length),
    ):
        if length != -1 and not 0 <= start <= start + length <= len(texts):
            raise ValueError("a text outside the shard's texts")
    line = None
    if line_length != -1:
        line = str(texts[line_at : line_at + line_length], "utf-8", "surrogatepass")
    editions: list[tuple[str, str]] = []
    if editions_length != -1:  # (a rare book: most have no other edition's review)
        kept = _decoder().decode(
            str(texts[editions_at : editions_at + editions_length], "utf-8", "surrogatepass")
        )
        editions = [(told, text) for told, text in kept]
        if not editions or any(type(told) is not str or type(text) is not str for told, text in editions):
            raise ValueError("another edition's review is what tells the edition and its text")
    held = None
    if counts is not None:
        held = Hidden(*counts)
        if not held or any(type(n) is not int or n < 0 for n in counts):
            raise ValueError("what is left out as private is counted")
    if small is None:
        if editions or held or finder is not None:
            raise ValueError("a private book publishes no review, and is left out whole")
        return None, line, editions, None, None
    if type(small) is not dict:
        raise ValueError("a cached book is a table")
    title_key, work, places = finder  # (a public book's, always)
    if type(title_key) is not str or type(work) is not str or type(places) is not list:
        raise ValueError("a book's finder keys are its title key, its work key and its places")
    keys = (title_key, work, frozenset(places))
    if not all(type(place) is str for place in keys[2]):
        raise ValueError("a book's places are text")
    book = Book.__new__(Book)
    book.__dict__.update(small)  # (the parts it shares with the record are never changed: see Site)
    review = small.get("review")
    if body_length != -1:
        if type(review) is not Review:
            raise ValueError("a review's text without its review")
        # The review's text decoded now (cheap: no JSON), into a review of its own with every attribute in
        # the model's order, as a parsed one has (code that reads a review's `__dict__` sees all of it).
        state = review.__dict__
        body = str(texts[body_at : body_at + body_length], "utf-8", "surrogatepass")
        book.review = Review.__new__(Review)
        book.review.__dict__.update({name: body if name == "body" else state[name] for name in _REVIEW})
    if heavy_length != -1:
        book.__class__ = CachedBook
        # (its own bytes: the shard's texts are read into a buffer the next shard's are read into)
        book.__dict__["_heavy"] = (
            bytes(texts[heavy_at : heavy_at + heavy_length]),
            0,
            heavy_length,
            root,
            slug,
        )
    else:
        book.reflections, book.quotes = [], []
    return book, line, editions, held, keys


def _finder_json(keys: FinderKeys | None) -> list[Any] | None:
    """A book's finder keys as the cache keeps them: title key, work key, places (sorted: the same JSON
    for the same keys)."""
    return None if keys is None else [keys[0], keys[1], sorted(keys[2])]


def _counts(held: Hidden | None) -> list[int] | None:
    """What is left out of a book as private, as the cache keeps it (None: nothing)."""
    return [held.review, held.editions, held.reflections, held.quotes] if held else None


def forget_pickles(folder: Path) -> None:
    """An older readlog kept this cache as pickles (a format that runs code when read): never read, gone."""
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(".pickle"):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _read_shard(folder: Path, number: int) -> _Shard:
    """A shard of the cache as read: each book's stamp, small part and where its texts are, and its texts
    file, read when its books are (`_read_texts`); empty if it is missing, damaged, half-written or of
    another readlog. The two files vouch for each other: the texts' first line is the CRC of the JSON, the
    JSON holds the size and CRC of the texts."""
    import json

    small_file, text_file = shard_files(folder, number)
    try:
        with open(small_file, "rb") as handle:
            encoded = handle.read()
        text = encoded.decode(json.detect_encoding(encoded), "surrogatepass")  # (as json.loads)
        raw = _decoder().decode(text)
        if not isinstance(raw, dict) or raw.get("version") != _model_key():
            return {}, b""
        texts_size, crc = raw["size"], raw["crc"]
        if type(texts_size) is not int or type(crc) is not int or texts_size < _PREFIX:
            return {}, b""
        data: dict[str, _Raw] = {}
        for slug, (stamp, small, where, digest, counts, finder) in raw["books"].items():
            size, mtime, inode, ctime = map(int, stamp)  # (map: a generator costs ~2 us a book here)
            places = list(map(int, where))
            if len(places) != 8 or not (counts is None or (type(counts) is list and len(counts) == 4)):
                return {}, b""
            if finder is not None and (type(finder) is not list or len(finder) != 3):
                return {}, b""
            data[str(slug)] = ((size, mtime, inode, ctime), small, places, digest, counts, finder)
        return data, _Texts(text_file, b"%08x\n" % zlib.crc32(encoded), texts_size, crc)
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError, ReadlogError):
        return {}, b""  # unreadable, damaged or not ours: only a cache, start again


@dataclass(frozen=True)
class _Texts:
    """A shard's texts file, as its JSON (read first) says it is: its first line (the CRC of that JSON), its
    size and the CRC of the rest."""

    path: Path
    prefix: bytes
    size: int
    crc: int


# a shard's texts: bytes of their own, or read into the process's buffer (`_buffer`)
Buffer: TypeAlias = "bytes | memoryview"
_BUFFER: list[bytearray] = [bytearray()]


def _read_texts(texts: bytes | _Texts) -> Buffer | None:
    """The shard's texts, read into this process's buffer (whatever the last shard read left there is
    overwritten: a rebuild at 10,000 books would otherwise keep 40 MB it no longer needs, whose memory
    costs the system about 40 ms to hand out); None if they are not what the JSON says they are
    (damaged, or another write of the shard's). Texts given as they are are given back."""
    if not isinstance(texts, _Texts):
        return texts
    try:
        with open(texts.path, "rb", buffering=0) as handle:
            if os.fstat(handle.fileno()).st_size != texts.size:
                return None
            view = _buffer(texts.size)
            done = 0
            while done < texts.size:
                got = handle.readinto(view[done:])
                if not got:
                    return None  # (shorter than it was a moment ago)
                done += got
    except OSError:
        return None
    if view[:_PREFIX] != texts.prefix or zlib.crc32(view[_PREFIX:]) != texts.crc:
        return None
    return view


def _buffer(size: int) -> memoryview:
    """`size` bytes of this process's buffer for texts (a bigger one made when it is too small: never
    resized, as a view of it may still be held)."""
    if len(_BUFFER[0]) < size:
        _BUFFER[0] = bytearray(max(size, 2 * len(_BUFFER[0])))
    return memoryview(_BUFFER[0])[:size]


@functools.cache
def _decoder() -> json.JSONDecoder:
    """The shards' JSON decoder, made once (json.loads with a hook makes one each call)."""
    import json

    return json.JSONDecoder(object_hook=_untag_state)


# stamp, then _small_part's small JSON, digest, heavy texts and review text, the library line, the other
# editions' reviews (JSON), what is left out as private (_counts), the finder keys (_finder_json)
_Made = tuple[Stamp, str, "str | None", "bytes | None", "bytes | None", "bytes | None", "bytes | None",
              "list[int] | None", "list[Any] | None"]  # fmt: skip


def _write_shard(folder: Path, number: int, data: dict[str, _Raw | _Made], old_texts: Buffer) -> bool:
    """Best effort: a cache that cannot be written only makes the next build slower. Each book's small part
    is encoded on its own (its digest is of those bytes) and the JSON put together around them."""
    import json

    from readlog.private import private_dir, write_private

    parts: list[Buffer] = []
    at = _PREFIX

    def put(data: Buffer | None) -> list[int]:
        nonlocal at
        if data is None:
            return [-1, -1]
        parts.append(data)
        at += len(data)
        return [at - len(data), len(data)]

    books: list[str] = []
    plain, tagged = _json()
    try:
        for slug, entry in data.items():
            if len(entry) == 6:  # unchanged: as it was read, its texts copied over
                stamp, small, where, digest, counts, finder = entry
                small_json = tagged(small)
                places: list[int] = []
                for start, length in zip(where[::2], where[1::2], strict=True):
                    places += put(old_texts[start : start + length] if length != -1 else None)
            else:
                stamp, small_json, digest, heavy, body, line, editions, counts, finder = entry
                places = [*put(body), *put(heavy), *put(line), *put(editions)]
            books.append(f"{plain(slug)}: [{plain(list(stamp))}, {small_json}, {plain(places)}, "
                         f"{plain(digest)}, {plain(counts)}, {plain(finder)}]")  # fmt: skip
        texts = b"".join(parts)
        head = {"version": _model_key(), "size": _PREFIX + len(texts), "crc": zlib.crc32(texts)}
        payload = json.dumps(head, ensure_ascii=False)[:-1] + ', "books": {' + ", ".join(books) + "}}"
        encoded = payload.encode("utf-8", "surrogatepass")
        private_dir(folder)
        small_file, text_file = shard_files(folder, number)
        write_private(text_file, b"%08x\n" % zlib.crc32(encoded) + texts)
        write_private(small_file, encoded)
    except (OSError, ValueError, TypeError):
        return False
    _write_back_now(text_file, small_file)
    return True


def _write_back_now(*paths: Path) -> None:
    """Have the system start writing these new files to the disk now, without waiting for it: a big build
    ends with one system-wide sync (build._make_durable), which then does not wait for the cache as well (a
    cold build at 10,000 books writes 50 MB of it, while the pages are rendered and the disk is idle). Their
    pages stay in memory: dirty or being written, they are not the ones POSIX_FADV_DONTNEED drops."""
    if not hasattr(os, "posix_fadvise"):  # pragma: no cover - systems without it sync later, all at once
        return
    for path in paths:
        with contextlib.suppress(OSError):
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def json_encoder(default: Callable[[Any], Any] | None = None) -> Callable[[Any], str]:
    """`lambda value: json.dumps(value, ensure_ascii=False, default=default, check_circular=False)`, with
    the encoder made once: `json.dumps` with options makes one per call, which costs four times what
    encoding a book's small value does (a cold build encodes about seven values a book)."""
    from json import JSONEncoder, encoder

    c_make_encoder = getattr(encoder, "c_make_encoder", None)
    if c_make_encoder is None:  # pragma: no cover - a Python without json's C speedups
        return JSONEncoder(ensure_ascii=False, default=default, check_circular=False).encode
    coder = JSONEncoder(ensure_ascii=False, default=default)  # (its `default` when none is given)
    make = c_make_encoder(
        None, coder.default, encoder.encode_basestring, None, ": ", ", ", False, False, True
    )  # (as JSONEncoder.iterencode makes it: no circular check, no indent, keys as given, NaN allowed)
    return lambda value: "".join(make(value, 0))


_JSON: list[Callable[[Any], str]] = []  # [plain, with model objects and dates tagged]: made when first used


def _json() -> list[Callable[[Any], str]]:
    if not _JSON:
        _JSON.extend((json_encoder(), json_encoder(_tag)))
    return _JSON


def _encode(text: str | None) -> bytes | None:
    return None if text is None else text.encode("utf-8", "surrogatepass")


def _small_part(public: Book | None) -> tuple[str, str | None, bytes | None, bytes | None]:
    """A public book's small part (its attributes but the review's text, the reflections and the quotes) as
    JSON, that JSON's digest, its reflections and quotes (their objects' state) as JSON, and its review's
    text."""
    import hashlib

    if public is None:
        return "null", None, None, None
    tagged = _json()[1]
    small = public.__dict__.copy()  # (less its heavy parts: cheaper than a comprehension that skips them)
    small.pop("reflections", None)
    small.pop("quotes", None)
    heavy_text = None
    if public.reflections or public.quotes:
        heavy = [public.reflections, public.quotes]
        heavy_text = tagged(heavy).encode("utf-8", "surrogatepass")
    body = None
    review = public.review
    if review is not None:
        # a copy without its text (as copy.copy then a pop of `body`, its attributes in the same order,
        # without copy's generic protocol: a few microseconds a book)
        small["review"] = bare = object.__new__(type(review))
        state = bare.__dict__
        state.update(review.__dict__)
        body = _encode(state.pop("body", None))
    small_json = tagged(small)
    digest = hashlib.blake2b(small_json.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    return small_json, digest, heavy_text, body


# Dates and times (a TOML file's own types) are kept tagged, so a book comes back with the same types; the
# small part of a book is kept as the state of its objects, each tagged with its class, one of the model's
# few (a name outside them is a damaged cache): read back, each is made without running any code of it
# (`__new__`, then its attributes), as it was when readlog wrote it. The JSON coders do the walking (in
# C): `_tag` is called only for the values JSON has no type for, `_untag_state` for each object read back.
_TAGS = {"date": "\x00date", "datetime": "\x00datetime", "time": "\x00time"}
_CLASS = "\x00class"
_DATED = "\x00dates"  # an object's attributes that are dates, written as ISO text (a tag each costs more)
_PREFIX = 9  # the texts' first line: the CRC of the JSON, in hex


def _classes() -> dict[str, type]:
    from readlog import model

    return {cls.__name__: cls for cls in (Book, model.Read, model.Progress, model.Pause, Review, model.Pick,
                                          model.ReadNext, Reflection, Quote)}  # fmt: skip


_MODEL: dict[str, type] = {}
_NAMES: dict[type, str] = {}  # each of the model's classes -> its name (what `_tag` writes)


def _tag(value: object) -> object:
    cls = type(value)
    if cls is date:  # (the commonest: a book's `added`)
        return {_TAGS["date"]: value.isoformat()}  # type: ignore[attr-defined]
    name = _NAMES.get(cls)
    if name is None and not _NAMES:
        _NAMES.update({model: name for name, model in _classes().items()})
        name = _NAMES.get(cls)
    if name is not None:
        state = value.__dict__
        dated = [key for key, held in state.items() if type(held) is date]  # (a datetime: below)
        if not dated:
            return {_CLASS: name, **state}
        return {_CLASS: name, _DATED: dated, **state, **{key: state[key].isoformat() for key in dated}}
    if isinstance(value, datetime):  # (before date: a datetime is a date too)
        return {_TAGS["datetime"]: value.isoformat()}
    if isinstance(value, date):
        return {_TAGS["date"]: value.isoformat()}
    if isinstance(value, time):
        return {_TAGS["time"]: value.isoformat()}
    raise TypeError(f"{type(value).__name__} is not a value of a book")


def _untag_state(table: dict[str, Any]) -> object:
    """A date, time or datetime back from its tag; one of the model's objects made again from its state;
    any other table as it is."""
    if len(table) == 1:
        ((key, text),) = table.items()
        parse = _DATES.get(key)
        if parse is not None:
            return parse(text)
        return table
    name = table.pop(_CLASS, None)
    if name is not None:
        if not _MODEL:
            _MODEL.update(_classes())
        cls = _MODEL[name]  # (KeyError: not one of the model's classes, a damaged cache)
        dated = table.pop(_DATED, None)
        if dated is not None:
            for key in dated:
                table[key] = _date(table[key])
        made: Any = object.__new__(cls)  # the class's own code is not run: its state comes whole
        made.__dict__.update(table)
        return made
    return table


_DATES = {_TAGS["date"]: date.fromisoformat, _TAGS["datetime"]: datetime.fromisoformat,
          _TAGS["time"]: time.fromisoformat}  # fmt: skip
_date = date.fromisoformat
