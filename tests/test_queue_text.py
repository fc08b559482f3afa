"""The whole queue for a script (`next` piped or `--format csv`, no limit) is kept as the text it prints
(cli.queue._queue_tsv, _queue_csv): it must be byte for byte what the queue built and written row by row
prints (a limit past the queue's length builds it every time), for awkward values too, made and kept."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from readlog.bookfile import dumps
from readlog.model import Book, Pick, Read

AWKWARD = ["tab\there", "new\nline", "two  spaces", " leading", "trailing ", "bell\x07", "c1\x85x", "sym\u2424b",
           "no\u00a0break", 'quote "and" comma, here', "plain"]  # fmt: skip


def _write(books: Path, slug: str, book: Book) -> None:
    books.mkdir(parents=True, exist_ok=True)
    (books / f"{slug}.toml").write_text(dumps(book), encoding="utf-8")


@pytest.mark.parametrize("fmt", ["tsv", "csv"])
def test_the_kept_text_is_the_built_one(run, books, fmt):
    picks = [
        Pick(f"Pick {value}", [f"Writer {n}"], value, date(2025, 1, 6)) for n, value in enumerate(AWKWARD)
    ]
    _write(books, "source", Book(title="Source", authors=["A"], status="read", reads=[Read(finished=date(2025, 1, 5))], next=picks))  # fmt: skip
    for n, value in enumerate(AWKWARD):
        _write(
            books, f"want-{n}", Book(title=f"Want {value}", authors=[value, "B"], status="want", why=value)
        )
    _write(books, "now", Book(title="Now", authors=["C"], status="reading", reads=[Read(date(2025, 2, 1))]))
    built = run("next", "--format", fmt, "--limit", "1000").stdout
    assert run("next", "--format", fmt).stdout == built  # made (and kept)
    assert run("next", "--format", fmt).stdout == built  # kept
    assert (
        run("next", "--format", fmt, "--all").stdout
        == run("next", "--format", fmt, "--all", "--limit", "999").stdout
    )
    assert len(built.splitlines()) >= 2 * len(AWKWARD)
    if fmt == "tsv":
        assert "Want tab here\t" in built and "two spaces" in built and "  " not in built
