"""The whole queue a script reads (`next` piped, `--format csv`, `--json`, no limit) is kept in the index
while the journal is unchanged (actions.queue.whole_queue): it must follow every change at once (a write
of readlog's, a hand edit of the same size with its time put back, a file removed), keep `--all` apart,
and give exactly what building the queue gives."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

from readlog.bookfile import dumps
from readlog.model import Book, Pick, Read


def write(books: Path, slug: str, book: Book) -> Path:
    books.mkdir(parents=True, exist_ok=True)
    path = books / f"{slug}.toml"
    path.write_text(dumps(book), encoding="utf-8")
    return path


def journal(books: Path) -> Path:
    source = Book(
        title="The Source",
        authors=["Ann Author"],
        status="read",
        reads=[Read(finished=date(2025, 1, 5))],
        next=[
            Pick("Alpha Pick", ["Bea Writer"], "Because of the river.", date(2025, 1, 6)),
            Pick("Read Already", ["Cal Poet"], None, date(2025, 1, 6)),
        ],
    )
    write(books, "read-already", Book(title="Read Already", authors=["Cal Poet"], status="read"))
    write(books, "wanted", Book(title="Wanted Book", authors=["Dee Novelist"], status="want", why="A friend"))
    write(
        books,
        "now",
        Book(title="Now Reading", authors=["Eve"], status="reading", reads=[Read(date(2025, 2, 1))]),
    )
    return write(books, "the-source", source)


def lines(run, *args: str) -> list[str]:
    return run("next", "--format", "tsv", *args).stdout.splitlines()


def test_the_kept_queue_is_the_built_one_and_follows_every_change(run, books, tmp_path):
    source = journal(books)
    first = lines(run)
    assert first == lines(run)  # kept: the same
    assert any(line.startswith("Alpha Pick\t") for line in first)
    assert not any(line.startswith("Read Already\t") for line in first)
    # the same queue built in another cache (nothing kept there)
    elsewhere = {"READLOG_CACHE": str(tmp_path / "other-cache")}
    assert run("next", "--format", "tsv", env=elsewhere).stdout.splitlines() == first

    # a hand edit of the same size, its time put back: the kept queue must not be shown
    stat = source.stat()
    text = source.read_text(encoding="utf-8")
    assert "Alpha Pick" in text
    source.write_text(text.replace("Alpha Pick", "Omega Pick"), encoding="utf-8")
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    edited = lines(run)
    assert any(line.startswith("Omega Pick\t") for line in edited)
    assert not any(line.startswith("Alpha Pick\t") for line in edited)

    # a write of readlog's own
    run("next", "add", "Brand New", "--author", "Fay Essayist")
    assert any(line.startswith("Brand New\t") for line in lines(run))

    # a file removed behind readlog's back
    (books / "wanted.toml").unlink()
    assert not any(line.startswith("Wanted Book\t") for line in lines(run))


def test_all_and_json_are_kept_apart(run, books):
    journal(books)
    plain, with_read = lines(run), lines(run, "--all")
    assert any(line.startswith("Read Already\t") for line in with_read)
    assert not any(line.startswith("Read Already\t") for line in plain)
    assert lines(run) == plain and lines(run, "--all") == with_read  # each kept as its own
    items = json.loads(run("next", "--json").stdout)
    assert json.loads(run("next", "--json").stdout) == items
    assert [item["title"] for item in items] == [line.split("\t")[0] for line in plain]  # the same books
    csv = run("next", "--format", "csv").stdout.splitlines()
    assert csv[0] == "title,authors,from,status,why,reading" and len(csv) == len(plain) + 1


def test_a_limited_queue_is_built_as_before(run, books):
    journal(books)
    lines(run)  # the whole queue kept
    limited = lines(run, "--limit", "1")
    assert [line.split("\t")[0] for line in limited] == ["Now Reading", "Alpha Pick", "Wanted Book"]
