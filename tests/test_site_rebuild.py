"""A rebuild from the site's content cache publishes exactly what a build from nothing would: every near miss
of "this book is unchanged" (an edit that keeps the size and puts the mtime back, a book or a part of it made
private, a deletion, a rename, a template, a cache of another readlog, a damaged cache) is checked against a
fresh build with an empty cache, and the cache is shown to be used at all (a planted text does show when
nothing tells it apart), so that these tests can fail."""

from __future__ import annotations

import json
import os
import zlib
from datetime import date
from pathlib import Path

import pytest

from readlog import bookfile
from readlog.exporters.site import build
from readlog.exporters.site.build import MARKER
from readlog.exporters.site.content import SHARDS, cache_path, shard_files
from readlog.model import Book, Quote, Read, Reflection, Review

SLUGS = ["salt-roads", "the-lamp-keeper", "winter-orchard", "quiet-harbour"]


def write_books(books_dir: Path) -> None:
    books_dir.mkdir(parents=True, exist_ok=True)
    for number, slug in enumerate(SLUGS):
        book = Book(title=slug.replace("-", " ").title(), authors=[f"Writer {number % 2}"], status="read")
        book.tags = ["sea", f"shelf-{number}"]
        book.rating = 3.5 + number % 2
        book.reads = [Read(started=date(2023, 1 + number, 2), finished=date(2023, 2 + number, 5))]
        book.review = Review(
            headline=f"Notes on {slug}",
            written=date(2023, 3 + number, 1),
            body=f"Original opening words of {slug}.\n\n## Later\n\nA second paragraph about lighthouses.",
        )
        book.reflections = [Reflection(text=f"Thinking of {slug} on a train.", date=date(2023, 2, 9))]
        book.quotes = [Quote(text=f"The tide keeps its own hours ({slug}).", page=12 + number)]
        (books_dir / f"{slug}.toml").write_text(bookfile.dumps(book), encoding="utf-8")


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


@pytest.fixture(params=["carried over", "linked ahead"])
def site(journal_home: Path, tmp_path: Path, run, request, monkeypatch):
    """A journal of four books with a site built from it (and its content cache), and a way to compare a
    rebuild with a build from nothing. Rebuilt both ways: each unchanged page carried over as the build
    comes to it, and every page of the last build linked in ahead by another process (as a big site's
    rebuild does: build._LinkAhead)."""
    monkeypatch.setattr(build, "AHEAD_FROM", 1 if request.param == "linked ahead" else 10**9)
    write_books(journal_home / "books")
    out = tmp_path / "out"
    run("site", str(out))

    class Site:
        home = journal_home
        books = journal_home / "books"

        def rebuild(self) -> dict[str, bytes]:
            run("site", str(out))
            return files(out)

        def elsewhere(self, name: str) -> dict[str, bytes]:
            """Built into another OUTDIR from the same cache: every page rendered."""
            run("site", str(tmp_path / name))
            return files(tmp_path / name)

        def fresh(self, name: str = "fresh") -> dict[str, bytes]:
            target = tmp_path / name
            run("site", str(target), env={"READLOG_CACHE": str(tmp_path / f"cache-{name}")})
            return files(target)

    return Site()


def everything(pages: dict[str, bytes]) -> str:
    return "\n".join(data.decode("utf-8") for data in pages.values())


def plant(journal_home: Path, old: bytes, new: bytes, version: str | None = None) -> int:
    """Replace `old` by `new` in the cached texts (the CRC made right, so only the stamp or the version can
    tell), and the cache's version with `version` if given; how many shards held it."""
    folder = cache_path(journal_home)
    planted = 0
    for number in range(SHARDS):
        small, texts = shard_files(folder, number)
        if not small.exists():
            continue
        data = texts.read_bytes()
        header = json.loads(small.read_bytes())
        if old in data:
            planted += 1
            grown = len(new) - len(old)
            books = header["books"]
            for record in books.values():  # texts after the planted one move along
                where = record[2]
                at = data.find(old)
                for place in range(0, len(where), 2):
                    start, length = where[place], where[place + 1]
                    if length == -1:
                        continue
                    if start <= at < start + length:
                        where[place + 1] = length + grown
                    elif start > at:
                        where[place] = start + grown
            data = data.replace(old, new, 1)
        if version is not None:
            header["version"] = version
        rewrite(small, texts, header, data)
    return planted


def rewrite(small: Path, texts: Path, header: dict, data: bytes) -> None:
    """A shard written again as readlog would (a hand-made cache): the texts' first line the CRC of the
    JSON, the JSON with the size and CRC of the texts."""
    header["size"], header["crc"] = len(data), zlib.crc32(data[9:])
    encoded = json.dumps(header).encode()
    texts.write_bytes(b"%08x\n" % zlib.crc32(encoded) + data[9:])
    small.write_bytes(encoded)


def test_a_rebuild_reads_the_cache_so_a_planted_text_shows_when_nothing_tells(site):
    """The proof that the cache is used (and so that the tests below can fail): the stamp unchanged, a text
    planted in the cache is published (after a change elsewhere makes the build run)."""
    assert plant(site.home, b"Original opening words of winter-orchard.", b"PLANTED words") == 1
    (site.books / "salt-roads.toml").write_text(
        (site.books / "salt-roads.toml").read_text().replace("train", "ferry"), encoding="utf-8"
    )
    rebuilt = site.rebuild()
    assert "PLANTED words" in everything(rebuilt)
    assert "ferry" in everything(rebuilt)


def test_an_edit_of_the_same_size_with_its_mtime_put_back_is_published(site):
    path = site.books / "winter-orchard.toml"
    before = os.stat(path)
    text = path.read_bytes()
    edited = text.replace(b"Original opening words", b"Reworked openin phrase")
    assert len(edited) == len(text) and edited != text
    with open(path, "r+b") as handle:  # in place: the same inode
        handle.write(edited)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    rebuilt = site.rebuild()
    assert "Reworked openin phrase of winter-orchard" in everything(rebuilt)
    assert rebuilt == site.fresh()


@pytest.mark.parametrize(
    "part, gone",
    [
        ("book", "Original opening words of the-lamp-keeper"),
        ("review", "Original opening words of the-lamp-keeper"),
        ("reflection", "Thinking of the-lamp-keeper on a train"),
        ("quote", "The tide keeps its own hours (the-lamp-keeper)"),
    ],
)
def test_a_book_or_a_part_of_it_made_private_leaves_every_page(site, part, gone):
    path = site.books / "the-lamp-keeper.toml"
    assert gone in everything(site.rebuild())
    text = path.read_text(encoding="utf-8")
    if part == "book":
        text = "private = true\n" + text
    else:
        header = {"review": "[review]\n", "reflection": "[[reflections]]\n", "quote": "[[quotes]]\n"}[part]
        assert header in text
        text = text.replace(header, header + "private = true\n", 1)
    path.write_text(text, encoding="utf-8")
    rebuilt = site.rebuild()
    assert gone not in everything(rebuilt)
    assert rebuilt == site.fresh()
    # ... and made public again, it is back
    path.write_text(text.replace("private = true\n", ""), encoding="utf-8")
    again = site.rebuild()
    assert gone in everything(again)
    assert again == site.fresh("fresh-again")


def test_a_deleted_book_and_a_renamed_one(site):
    (site.books / "quiet-harbour.toml").unlink()
    rebuilt = site.rebuild()
    assert "books/quiet-harbour.html" not in rebuilt
    assert "quiet-harbour" not in rebuilt["library.json"].decode()
    assert rebuilt == site.fresh()
    os.rename(site.books / "salt-roads.toml", site.books / "salt-paths.toml")
    renamed = site.rebuild()
    assert "books/salt-paths.html" in renamed and "books/salt-roads.html" not in renamed
    assert renamed == site.fresh("fresh-renamed")


def edit_by_hand(out: Path) -> dict[str, bytes]:
    """Pages of the site changed in OUTDIR as a reader might: one edited, one of the same size with a later
    mtime, one emptied, one deleted, and one only touched (its bytes as they were); their bytes before."""
    pages = ["books/salt-roads.html", "books/winter-orchard.html", "tags/sea.html", "tags/shelf-0.html"]
    pages.append("feed.xml")
    before = {path: (out / path).read_bytes() for path in pages}
    edited = out / pages[0]
    edited.write_text(edited.read_text().replace("Original opening words", "My words, by hand"))
    same_size = out / pages[1]
    stamp = os.stat(same_size)
    with open(same_size, "r+b") as handle:  # in place, the same size: only the mtime tells
        handle.write(b"<!-- X -->")
    os.utime(same_size, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 1_000_000_000))
    (out / pages[2]).write_bytes(b"")
    (out / pages[3]).unlink()
    touched = os.stat(out / pages[4])
    os.utime(out / pages[4], ns=(touched.st_atime_ns, touched.st_mtime_ns + 1_000_000_000))
    return before


@pytest.mark.parametrize("book_changed", [False, True])
def test_pages_changed_by_hand_in_outdir_are_written_again_and_said(site, run, tmp_path, book_changed):
    """A page of OUTDIR changed or deleted by hand, though nothing it is made from changed, is written again
    by the next build, which says how many (the reader's edit is gone): whether no book changed (the build
    that would have nothing to do) or one did (the other pages carried over, or linked in ahead). A page
    only touched is kept and not counted; the build after has nothing to mend."""
    out = tmp_path / "out"
    before = edit_by_hand(out)
    if book_changed:
        path = site.books / "quiet-harbour.toml"
        path.write_text(path.read_text().replace("train", "ferry"), encoding="utf-8")
    said = run("site", str(out)).stderr
    assert "readlog: rewrote 4 pages changed by hand in" in said
    assert files(out) == site.fresh()
    assert all((out / path).read_bytes() == data for path, data in before.items())
    again = run("site", str(out))
    assert "changed by hand" not in again.stderr and ", 0 written," in again.stderr


@pytest.mark.parametrize("book_changed", [False, True])
def test_without_the_pages_stamps_each_page_is_compared_with_its_file_once(site, run, tmp_path, book_changed):
    """The files' stamps are kept in the cache dir, never in OUTDIR (whose files stay the same bytes for the
    same journal). Without them (an older readlog kept none, the cache was cleared), every page is rendered
    and compared with its file: only those changed by hand are written (and said), the others stay the
    files they were; the stamps kept again, the build after has nothing to do."""
    out = tmp_path / "out"
    (kept,) = (tmp_path / "cache" / build.PAGE_STAMPS).glob("*.json")
    assert "books/salt-roads.html" in json.loads(kept.read_text())["files"]
    assert (
        "mtime" not in (out / MARKER).read_text()
        and str(os.stat(out / "index.html").st_mtime_ns) not in (out / MARKER).read_text()
    )
    kept.unlink()
    edit_by_hand(out)
    if book_changed:
        path = site.books / "quiet-harbour.toml"
        path.write_text(path.read_text().replace("train", "ferry"), encoding="utf-8")
    inodes = {path: os.stat(out / path).st_ino for path in files(out)}
    said = run("site", str(out)).stderr
    assert "readlog: rewrote 4 pages changed by hand in" in said
    assert files(out) == site.fresh()
    new = {path for path in files(out) if os.stat(out / path).st_ino != inodes.get(path)}
    written = {"books/quiet-harbour.html", "library.json"} if book_changed else set()
    assert new == written | {"books/salt-roads.html", "books/winter-orchard.html", "tags/sea.html",
                             "tags/shelf-0.html"}  # fmt: skip
    assert kept.exists() and ", 0 written," in run("site", str(out)).stderr


def test_a_changed_template_is_used_though_no_book_changed(site):
    from importlib import resources

    template = Path(str(resources.files("readlog.exporters.site") / "templates" / "book.html")).read_text()
    (site.home / "site").mkdir()
    (site.home / "site" / "book.html").write_text(template.replace("<article", "<!-- mine --><article"))
    rebuilt = site.rebuild()
    assert b"<!-- mine -->" in rebuilt["books/salt-roads.html"]
    assert rebuilt == site.fresh()


def test_a_cache_of_another_readlog_is_never_read(site):
    assert (
        plant(site.home, b"Original opening words of winter-orchard.", b"PLANTED words", "0.0.1 other") == 1
    )
    (site.books / "salt-roads.toml").write_text(
        (site.books / "salt-roads.toml").read_text().replace("train", "ferry"), encoding="utf-8"
    )
    rebuilt = site.rebuild()
    assert "PLANTED" not in everything(rebuilt)
    assert rebuilt == site.fresh()


@pytest.mark.parametrize("damage", ["texts cut", "texts flipped", "places outside", "json of texts"])
def test_a_damaged_cache_is_only_a_slower_build(site, damage):
    folder = cache_path(site.home)
    for number in range(SHARDS):
        small, texts = shard_files(folder, number)
        if not small.exists():
            continue
        data = texts.read_bytes()
        if damage == "texts cut":
            texts.write_bytes(data[: len(data) // 2])
        elif damage == "texts flipped":
            texts.write_bytes(data.replace(b"Original", b"Ruined!!"))  # the same size, another CRC
        elif damage == "places outside":
            header = json.loads(small.read_bytes())
            for record in header["books"].values():
                record[2] = [len(data) + 5, 10, -1, -1, -1, -1]
            rewrite(small, texts, header, data)
        else:
            header = json.loads(small.read_bytes())
            for record in header["books"].values():
                record[2][2:4] = [10, 4]  # reflections and quotes: four bytes that are not their JSON
            rewrite(small, texts, header, data)
    (site.books / "salt-roads.toml").write_text(
        (site.books / "salt-roads.toml").read_text().replace("train", "ferry"), encoding="utf-8"
    )
    if damage == "json of texts":
        # Found only when a page asks for them (a CRC that matches: only a hand-made cache gets here): the
        # book is parsed from its file instead. A new OUTDIR, so that every book page is rendered.
        assert site.elsewhere("other") == site.fresh()
        return
    rebuilt = site.rebuild()
    assert "Ruined" not in everything(rebuilt)
    assert rebuilt == site.fresh()


def state(value: object) -> object:
    """A value with its types, all the way down (a book's objects as their class and attributes)."""
    if isinstance(value, list):
        return [state(v) for v in value]
    if isinstance(value, dict):
        return {k: state(v) for k, v in value.items()}
    if hasattr(value, "__dataclass_fields__"):
        fields = sorted(value.__dataclass_fields__)  # type: ignore[attr-defined]
        return (type(value).__mro__[1 if type(value).__name__.startswith("Cached") else 0].__name__,
                {name: state(getattr(value, name)) for name in fields})  # fmt: skip
    return (type(value).__name__, value)


def test_books_read_back_from_the_cache_are_the_books_parsed(journal_home, tmp_path):
    """Every book of the example journal and of this file's, read back from the cache (small parts as
    objects, texts decoded when asked for), is its public part as parsed: the same values of the same types."""
    import shutil

    from readlog.exporters.site.content import load_books
    from readlog.journal import Journal
    from readlog.privacy import public_book

    shutil.copytree(
        Path(__file__).resolve().parent.parent / "examples" / "journal" / "books", journal_home / "books"
    )
    write_books(journal_home / "books")
    journal = Journal(journal_home)
    parsed = {slug: public_book(journal.load(slug).book) for slug in journal.slugs()}
    first = load_books(journal)
    again = load_books(journal)  # from the cache
    assert any(type(book).__name__ == "CachedBook" for book in again.books.values())
    assert {s for s, b in parsed.items() if b is not None} == set(first.books) == set(again.books)
    assert first.lines == again.lines
    from readlog.identity import series_pairs
    from readlog.model import book_to_dict
    from readlog.queue import finder_keys

    # where a pick leads is found by each book's finder keys, kept with it: those of the book as parsed
    keys = {slug: finder_keys(book.title, series_pairs(book.series)) for slug, book in first.books.items()}
    assert first.finders == again.finders == keys
    for slug, book in again.books.items():
        assert state(book) == state(parsed[slug]), slug
        # what code that reads the objects' attributes directly (as book_to_dict does a review's) sees too
        assert json.dumps(book_to_dict(book), default=str) == json.dumps(
            book_to_dict(parsed[slug]), default=str
        )


def test_lists_are_made_again_when_a_book_they_show_changes_and_only_then(site, run, tmp_path):
    """Lists of books are known by what every public book is but its texts: a review's text changed
    rewrites the book's page and the two pages that show the text (the home page's excerpt, the feed), no
    other; a rating changed rewrites every list that shows it. Each time, as a build from nothing."""
    path = site.books / "quiet-harbour.toml"
    path.write_text(path.read_text().replace("Original opening words", "Fresh first words"), encoding="utf-8")
    done = run("site", str(tmp_path / "out"))
    assert "3 written" in done.stderr + done.stdout, done.stderr
    rebuilt = files(tmp_path / "out")
    assert b"Fresh first words" in rebuilt["index.html"] and b"Fresh first words" in rebuilt["feed.xml"]
    assert rebuilt == site.fresh()

    path.write_text(path.read_text().replace("rating = 4.5", "rating = 2"), encoding="utf-8")
    rebuilt = site.rebuild()
    assert "★★☆☆☆" in rebuilt["tags/sea.html"].decode() and "★★☆☆☆" in rebuilt["years/2023.html"].decode()
    assert rebuilt == site.fresh("fresh-rated")

    path.write_text("private = true\n" + path.read_text(), encoding="utf-8")
    rebuilt = site.rebuild()
    assert "Quiet Harbour" not in everything(rebuilt)
    assert rebuilt == site.fresh("fresh-private")


def test_a_book_that_does_not_parse_is_told_of_on_every_build_and_published_once_mended(site, run, tmp_path):
    """A build that skipped a broken file never takes the nothing-changed shortcut next time (that would
    say nothing of the file): each build warns again, and the mended book is published. (Its page in the
    last build is not taken out unasked: refused, then `--force`: try-out 31a #4.)"""
    path = site.books / "winter-orchard.toml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace('title = "Winter Orchard"', "title = [1, 2"), encoding="utf-8")
    refused = run("site", str(tmp_path / "out"), code=1).stderr
    assert "(books/winter-orchard.html); use --force" in refused
    assert "books/winter-orchard.html" in files(tmp_path / "out")
    for force in (["--force"], []):
        done = run("site", str(tmp_path / "out"), *force)
        assert "skipped" in done.stderr and "winter-orchard" in done.stderr, done.stderr
        assert "books/winter-orchard.html" not in files(tmp_path / "out")
    path.write_text(good, encoding="utf-8")
    done = run("site", str(tmp_path / "out"))
    assert "skipped" not in done.stderr
    assert files(tmp_path / "out") == site.fresh()
    # ... and now nothing changed: the shortcut, and still no warning
    done = run("site", str(tmp_path / "out"))
    assert "0 written" in done.stderr + done.stdout and "skipped" not in done.stderr


def test_a_big_build_in_one_process_keeps_its_objects_only_until_the_next_and_leaves_the_collector_on(
    journal_home, tmp_path, run
):
    """A build of KEEP_FROM books or more leaves its objects out of cyclic collection when it ends (not
    freed one by one), until the next build lets them go: a process that builds again and again (`--serve`,
    a test run) holds one build's objects, not every build's, and what became cyclic garbage meanwhile is
    collected then. A smaller build, and a failed one, freeze nothing."""
    import gc
    import weakref

    from readlog.exporters.site.build import KEEP_FROM

    class Loop:
        me: object = None

    books = journal_home / "books"
    write_books(books)
    gc.unfreeze()
    run("site", str(tmp_path / "small"))
    assert gc.isenabled() and gc.get_freeze_count() == 0
    template = (books / f"{SLUGS[0]}.toml").read_text(encoding="utf-8")
    for number in range(KEEP_FROM):
        (books / f"copy-{number}.toml").write_text(template.replace("Salt Roads", f"Copy {number}"))
    gc.collect()
    before = len(gc.get_objects())
    loop = Loop()
    loop.me = loop
    gone = weakref.ref(loop)
    run("site", str(tmp_path / "one"))
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    assert frozen > before  # the process's objects, the build's with them
    del loop
    gc.collect()
    assert gone() is not None  # frozen with the build's objects...
    run("site", str(tmp_path / "again"))
    assert gc.isenabled()
    assert gc.get_freeze_count() < frozen + (frozen - before) / 2  # one build's, not the sum of two
    gc.collect()
    assert gone() is None  # ...and collected once the next build let them go

    gc.unfreeze()
    run("site", str(journal_home / "inside"), code=1)  # refused: inside the journal
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_pages_linked_ahead_that_the_build_does_not_make_are_gone_with_their_folders(
    site, run, tmp_path, monkeypatch
):
    """A rebuild of a big site links every page of the last build in ahead: a page this build does not
    make (a book deleted, a tag no book has now) is taken out again, a folder left empty too; a page gone
    from the last build is made again; and the manifest (in OUTDIR) never leads a link outside the site."""
    monkeypatch.setattr(build, "AHEAD_FROM", 1)
    linked: list[frozenset[str]] = []
    wait = build._LinkAhead.wait
    monkeypatch.setattr(build._LinkAhead, "wait", lambda self: linked.append(wait(self)) or linked[-1])
    out = tmp_path / "out"
    manifest = json.loads((out / MARKER).read_text())
    manifest["pages"].update({"../escaped.html": "x", "books/../../escaped.html": "x", "/tmp/x.html": "x"})
    (out / MARKER).write_text(json.dumps(manifest))
    (out / "books" / "winter-orchard.html").unlink()  # (gone from the last build: made again)
    (site.books / "quiet-harbour.toml").unlink()  # its page and its tag's (shelf-3) are not made again
    rebuilt, ahead = site.rebuild(), linked[-1]
    assert rebuilt == site.fresh()
    assert {"books/quiet-harbour.html", "tags/shelf-3.html", "books/salt-roads.html"} <= ahead
    assert "books/winter-orchard.html" not in ahead
    assert not any("escaped" in path for path in ahead)
    assert not list(tmp_path.rglob("escaped.html")) and not (out / "tags" / "shelf-3.html").exists()
    for path in site.books.glob("*.toml"):  # no book has a tag now: no tag pages, no tags/ folder
        lines = path.read_text().splitlines(keepends=True)
        path.write_text("".join(line for line in lines if not line.startswith("tags = ")))
    rebuilt, ahead = site.rebuild(), linked[-1]
    assert rebuilt == site.fresh("fresh-untagged")
    assert "tags/sea.html" in ahead and not (out / "tags").exists()


def test_a_rebuild_asks_only_the_changed_books_pages_their_keys(site, monkeypatch):
    """A book page whose file has its last build's stamp, in a site whose lists are as they were, is that
    build's page: its key (where its picks lead) is not worked out again, only the changed book's is; when
    a book's small part changes (what lists show, where picks lead), every book page's key is asked."""
    from readlog.exporters.site import context

    asked: list[str] = []
    key = context.book_page_key
    monkeypatch.setattr(
        context, "book_page_key", lambda s, slug, stamp: asked.append(slug) or key(s, slug, stamp)
    )
    path = site.books / "winter-orchard.toml"
    path.write_text(path.read_text().replace("Original opening", "A new opening"))
    rebuilt = site.rebuild()
    assert asked == ["winter-orchard"]
    assert rebuilt == site.fresh() and "A new opening" in everything(rebuilt)
    asked.clear()
    path.write_text(path.read_text().replace("rating = 3.5", "rating = 2"))
    rebuilt = site.rebuild()
    assert sorted(asked) == sorted(SLUGS)
    assert rebuilt == site.fresh("fresh-rated")


def test_a_rebuild_finds_picks_books_by_the_keys_the_cache_keeps_not_working_them_out_again(
    site, monkeypatch
):
    """What the site finds a pick's book by (each public book's title key, work key and places:
    queue.finder_keys) is worked out when a book file is parsed, by the processes that parse, and kept in
    the content cache: a rebuild works out only the changed book's, not every book's again in its one
    process before the pages are made (at 10,000 books, 60 ms of that process's 0.2 s between parsing
    and rendering). The pick still leads where it did."""
    from readlog import queue
    from readlog.exporters.site import context

    picking = site.books / "salt-roads.toml"
    picking.write_text(picking.read_text() + '\n[[next]]\ntitle = "Quiet Harbour"\nauthors = ["Writer 1"]\n')
    site.rebuild()
    asked: list[str] = []
    keys = queue.finder_keys
    for module in (queue, context):
        monkeypatch.setattr(
            module, "finder_keys", lambda title, series: asked.append(title) or keys(title, series)
        )
    path = site.books / "winter-orchard.toml"
    path.write_text(path.read_text().replace("Original opening", "A new opening"))
    rebuilt = site.rebuild()
    assert asked == ["Winter Orchard"]  # (the changed book's, as its file is parsed)
    assert 'href="../books/quiet-harbour.html"' in rebuilt["books/salt-roads.html"].decode()
    assert rebuilt == site.fresh()


@pytest.mark.parametrize("change", ["title", "status", "review"])
def test_a_pick_leads_where_its_book_is_now_though_only_that_book_changed(site, change):
    """A book page's pick links to the book it names, as that book is now: its title changed (the pick
    names no book), its status, its review gone (no page to link to: its place on the shelves), though
    the picking book's own file is unchanged."""
    picking = site.books / "salt-roads.toml"
    picking.write_text(picking.read_text() + '\n[[next]]\ntitle = "Quiet Harbour"\nauthors = ["Writer 1"]\n')
    before = site.rebuild()["books/salt-roads.html"]
    assert site.rebuild()["books/salt-roads.html"] == site.fresh()["books/salt-roads.html"] == before
    assert 'href="../books/quiet-harbour.html"' in before.decode()
    named = site.books / "quiet-harbour.toml"
    text = named.read_text()
    if change == "title":
        text = text.replace('title = "Quiet Harbour"', 'title = "Loud Harbour"')
    elif change == "status":
        text = text.replace('status = "read"', 'status = "reading"')
    else:
        text = text[: text.index("[review]")]
    named.write_text(text)
    rebuilt = site.rebuild()
    assert rebuilt == site.fresh(f"fresh-{change}")
    assert rebuilt["books/salt-roads.html"] != before


def test_a_big_old_site_is_deleted_by_a_process_of_its_own_with_nothing_left_beside_the_site(
    site, tmp_path, monkeypatch
):
    """After the swap, a big old site (thousands of files) is moved into readlog's cache and deleted there
    by a process the build does not wait for: `site` returns with nothing beside OUTDIR but OUTDIR, and the
    old site is gone soon after. A small one is deleted by the build itself, as before."""
    import shutil
    import time

    trash = Path(os.environ["READLOG_CACHE"]) / build.TRASH
    site.rebuild()
    assert not trash.exists()  # (four pages: deleted here)
    monkeypatch.setattr(build, "DISCARD_FROM", 1)
    deleted: list[str] = []
    rmtree = shutil.rmtree
    monkeypatch.setattr(shutil, "rmtree", lambda path, **kw: deleted.append(str(path)) or rmtree(path, **kw))
    path = site.books / "winter-orchard.toml"
    path.write_text(path.read_text().replace("Original opening", "A new opening"))
    rebuilt = site.rebuild()
    assert deleted == [] and [p.name for p in (tmp_path / "out").parent.glob(".out*")] == []
    assert rebuilt == site.fresh() and "A new opening" in everything(rebuilt)
    for _ in range(300):
        if not any(trash.iterdir()):
            break
        time.sleep(0.1)
    assert not any(trash.iterdir())


def test_a_trash_that_is_a_link_is_not_used_and_what_it_leads_to_is_left_alone(site, tmp_path, monkeypatch):
    """A `site-trash` that is a link (made by hand) would have its deleter empty the folder it leads to
    (review 26b): the old site is deleted in place instead, and that folder keeps what it holds."""
    precious = tmp_path / "precious"
    (precious / "keep").mkdir(parents=True)
    (precious / "keep" / "file.txt").write_text("data")
    cache = Path(os.environ["READLOG_CACHE"])
    cache.mkdir(parents=True, exist_ok=True)
    (cache / build.TRASH).symlink_to(precious)
    monkeypatch.setattr(build, "DISCARD_FROM", 1)
    site.rebuild()
    path = site.books / "winter-orchard.toml"
    path.write_text(path.read_text().replace("Original opening", "A new opening"))
    rebuilt = site.rebuild()
    assert rebuilt == site.fresh() and [p.name for p in (tmp_path / "out").parent.glob(".out*")] == []
    import time

    time.sleep(1)  # (a deleter, had one started, has emptied the folder by now)
    assert sorted(p.name for p in precious.iterdir()) == ["keep"]
    assert (precious / "keep" / "file.txt").read_text() == "data"


def test_a_rebuild_that_renders_only_a_book_page_sets_up_no_jinja(site, monkeypatch):
    """Book pages are written by bookpage, without Jinja: a rebuild after a review that no list shows
    changed (here the home page and the feed show only the newest) makes no Jinja environment (its import
    and set-up were a fiftieth of a second of such a rebuild at 10,000 books), and its pages are a build's
    from nothing, which renders the other pages with one."""
    from readlog.exporters.site import context, engine

    monkeypatch.setattr(context, "HOME_REVIEWS", 1)
    monkeypatch.setattr(context, "FEED_ENTRIES", 1)
    made: list[object] = []
    environment = engine.environment
    monkeypatch.setattr(engine, "environment", lambda *given: made.append(given) or environment(*given))
    path = site.books / "salt-roads.toml"
    for opening in ("A new opening", "Another opening"):  # (the first: the home page and feed made again)
        made.clear()
        path.write_text(
            path.read_text().replace("Original opening", opening).replace("A new opening", opening)
        )
        rebuilt = site.rebuild()
    assert made == []
    assert rebuilt == site.fresh() and "Another opening" in rebuilt["books/salt-roads.html"].decode()
    assert made


def test_a_rebuild_whose_library_is_the_same_never_puts_library_json_together(site, monkeypatch):
    """library.json (every public book, 10 MB at 10,000 books) is known by the digest of its text's parts:
    a rebuild after a review's text changed (which the library leaves out) never joins the text, and one
    after a rating changed writes the library anew, as a build from nothing makes it."""
    from readlog.exporters.site import context

    joined: list[int] = []
    library_json = context.library_json
    monkeypatch.setattr(context, "library_json", lambda *given: joined.append(1) or library_json(*given))
    path = site.books / "winter-orchard.toml"
    path.write_text(path.read_text().replace("Original opening", "A new opening"))
    rebuilt = site.rebuild()
    assert joined == []
    assert rebuilt == site.fresh() and '"rating": 3.5' in rebuilt["library.json"].decode()
    path.write_text(path.read_text().replace("rating = 3.5", "rating = 2"))
    joined.clear()
    rebuilt = site.rebuild()
    assert (
        joined and rebuilt == site.fresh("fresh-rated") and '"rating": 2' in rebuilt["library.json"].decode()
    )


def test_a_cached_book_holds_its_own_reflections_and_quotes_not_its_shards_texts(journal_home):
    """A shard's texts are read into one buffer per process, each shard's over the last's (a rebuild at
    10,000 books kept 40 MB it no longer needed, whose memory cost the system about 40 ms to hand out): a
    book read back from the cache keeps the bytes of its own reflections and quotes, which decode as
    parsed though every other shard was read after its."""
    from readlog.exporters.site.content import load_books
    from readlog.journal import Journal

    write_books(journal_home / "books")
    journal = Journal(journal_home)
    parsed = load_books(journal).books
    again = load_books(journal).books
    held = [book.__dict__["_heavy"] for book in again.values() if "_heavy" in book.__dict__]
    assert len(held) == len(SLUGS)
    assert all(len(texts) == length for texts, _, length, *_ in held)
    assert all(state(again[slug]) == state(parsed[slug]) for slug in SLUGS)


def test_texts_of_a_later_write_of_the_shard_are_not_taken_for_those_its_json_told_of(site):
    """A shard's texts are read after its JSON, when its books are: texts another build wrote in between
    (its JSON's CRC on their first line) are not these; the shard's books are parsed again."""
    from readlog.exporters.site import content

    folder = cache_path(site.home)
    number = content._shard("winter-orchard")
    records, texts = content._read_shard(folder, number)
    assert "winter-orchard" in records and content._read_texts(texts) is not None
    path = site.books / "winter-orchard.toml"
    path.write_text(path.read_text().replace("Original opening", "A new opening"))
    site.rebuild()  # (the shard written again)
    assert content._read_texts(texts) is None


def test_a_big_build_has_malloc_keep_what_it_frees_once_a_process_and_a_small_one_asks_nothing(
    site, monkeypatch
):
    """A first build of ROOMY_FROM books or more tells glibc's malloc to keep the memory it frees and to
    serve blocks of up to 32 MB from it (a cold build at 10,000 books took a third of its 145,000 page
    faults asking the kernel again for memory it had just given back); once a process, and not for a small
    build or a rebuild (whose memory only grows). The pages are the same either way."""
    told: list[tuple[int, int]] = []
    monkeypatch.setattr(build, "_glibc_mallopt", lambda: lambda what, value: told.append((what, value)) or 1)
    monkeypatch.setattr(build, "_ROOMY", [])
    small = site.elsewhere("small")
    assert told == []
    monkeypatch.setattr(build, "ROOMY_FROM", len(SLUGS))
    big = site.elsewhere("big")
    assert told == [(build._M_MMAP_THRESHOLD, 32 << 20), (build._M_TRIM_THRESHOLD, 1 << 30)]
    assert site.elsewhere("again") == big == small == site.fresh()
    assert len(told) == 2
    monkeypatch.setattr(build, "_ROOMY", [])
    told.clear()
    (site.books / "salt-roads.toml").write_text(
        (site.books / "salt-roads.toml").read_text().replace("Original opening", "A new opening")
    )
    rebuilt = site.rebuild()
    assert told == []
    assert rebuilt == site.fresh("fresh-again")


@pytest.mark.skipif(not os.confstr_names.get("CS_GNU_LIBC_VERSION"), reason="glibc's malloc only")
def test_glibcs_mallopt_takes_what_a_big_build_tells_it():
    mallopt = build._glibc_mallopt()
    if not os.confstr("CS_GNU_LIBC_VERSION"):
        assert mallopt is None
        return
    assert mallopt is not None
    assert mallopt(build._M_MMAP_THRESHOLD, 32 << 20) == 1 and mallopt(build._M_TRIM_THRESHOLD, 1 << 30) == 1


def test_a_page_made_for_its_rendering_lets_its_context_go_once_it_is_written(site, monkeypatch):
    """A book page's context (or a list's) is made when the page is rendered and let go once it is written:
    kept to the end of the build, 8,000 of them at 10,000 books were memory the kernel handed out afresh
    rather than the next page's."""
    rendered: list[object] = []
    write_page = build._write_page

    def record(env, page, *rest):  # type: ignore[no-untyped-def]
        made = page.make is not None
        written = write_page(env, page, *rest)
        if made and page.make is None:  # (its context was made: the page was rendered)
            rendered.append(page)
        return written

    monkeypatch.setattr(build, "_write_page", record)
    pages = site.elsewhere("again")
    assert pages == site.fresh()
    assert {page.path for page in rendered} >= {f"books/{slug}.html" for slug in SLUGS}  # type: ignore[attr-defined]
    assert all(page.context == {} for page in rendered)  # type: ignore[attr-defined]
