"""Figures made from every book (the tags' counts) are kept for the index as it is (issue 25: counting the
distinct books of every tag took 250 ms at 100,000 books) and made again whenever the books change: by
readlog, by hand behind its back, by an import."""

from __future__ import annotations

import json
import sqlite3

from readlog.index import index_path


def tags(run) -> dict[str, int]:
    return {row["tag"]: row["books"] for row in json.loads(run("tags", "--json").stdout)}


def kept(journal_home) -> dict:
    db = sqlite3.connect(index_path(journal_home))
    row = db.execute("SELECT value FROM meta WHERE key = 'kept:tags'").fetchone()
    db.close()
    return json.loads(row[0]) if row else {}


def test_tag_counts_follow_every_change(run, journal_home, books, tmp_path):
    run("add", "Salt", "-a", "A. Writer", "--tag", "sea", "--tag", "Essays")
    run("add", "Tide", "-a", "B. Writer", "--tag", "sea")
    assert tags(run) == {"sea": 2, "Essays": 1}
    first = kept(journal_home)
    assert first["value"] == [["Essays", 1], ["sea", 2]]
    assert tags(run) == {"sea": 2, "Essays": 1}  # read back
    run("add", "Reef", "-a", "C. Writer", "--tag", "sea")  # readlog's own write
    assert tags(run) == {"sea": 3, "Essays": 1}
    assert kept(journal_home)["key"] != first["key"]
    salt = books / "salt.toml"  # by hand: the same tag twice counts the book once; a new tag shows
    salt.write_text(salt.read_text().replace('tags = ["sea", "Essays"]', 'tags = ["sea", "sea", "coast"]'))
    assert tags(run) == {"sea": 3, "coast": 1}
    (books / "tide.toml").unlink()
    assert tags(run) == {"sea": 2, "coast": 1}
    export = tmp_path / "goodreads_library_export.csv"
    export.write_text(
        'Book Id,Title,Author,Bookshelves,Exclusive Shelf\n1,Harbour,D. Writer,"sea, coast",read\n',
        encoding="utf-8",
    )
    run("import", str(export))
    counted = tags(run)
    assert counted["sea"] == 3 and counted["coast"] == 2, counted


def test_a_damaged_kept_figure_is_made_again(run, journal_home):
    run("add", "Salt", "-a", "A. Writer", "--tag", "sea")
    assert tags(run) == {"sea": 1}
    db = sqlite3.connect(index_path(journal_home), isolation_level=None)
    for value in ("{", "[]", '{"key": 1}', '{"value": [["sea", 9]]}'):
        db.execute("UPDATE meta SET value = ? WHERE key = 'kept:tags'", (value,))
        assert tags(run) == {"sea": 1}
    db.close()


def stats(run, journal_home, *options: str) -> tuple[dict, dict]:
    """`stats --json` as kept, and as made afresh (the kept answers thrown away first)."""
    kept_now = json.loads(run("stats", "--json", *options).stdout)
    db = sqlite3.connect(index_path(journal_home), isolation_level=None)
    db.execute("DELETE FROM meta WHERE key = 'kept:stats'")
    db.close()
    return kept_now, json.loads(run("stats", "--json", *options).stdout)


def test_stats_kept_are_the_stats_made_afresh(run, journal_home, books):
    import sys

    from conftest import REPO

    sys.path.insert(0, str(REPO / "bench"))
    from generate import generate

    generate(journal_home, 120)
    run("reindex")
    for options in ((), ("--year", "2020"), ("--year", "2024")):
        kept_now, afresh = stats(run, journal_home, *options)
        assert kept_now == afresh
        run("stats", "--json", *options)  # made and kept
        assert json.loads(run("stats", "--json", *options).stdout) == afresh  # read back
    before = json.loads(run("stats", "--json").stdout)
    run("add", "Late Bloom", "-a", "E. Writer", "--status", "read", "--rating", "5", "--tag", "garden")
    kept_now, afresh = stats(run, journal_home)
    assert kept_now == afresh != before
    one = sorted(books.glob("*.toml"))[3]  # by hand: a book's rating changed behind readlog's back
    text = one.read_text(encoding="utf-8")
    one.write_text(
        text.replace("rating = ", "rating = 1 # was ", 1) if "rating = " in text else text + "\nrating = 1\n"
    )
    kept_now, afresh = stats(run, journal_home, "--year", "2020")
    assert kept_now == afresh
    kept_now, afresh = stats(run, journal_home)
    assert kept_now == afresh


def test_long_stats_answers_are_asked_again_not_kept(run, journal_home, monkeypatch):
    from readlog.index import queries

    monkeypatch.setattr(queries, "KEPT_ROWS", 1)
    for n in range(3):
        run("add", f"Book {n}", "-a", f"Writer {n}", "--status", "read", "--tag", f"t{n}")
    first = json.loads(run("stats", "--json").stdout)
    db = sqlite3.connect(index_path(journal_home))
    answers = json.loads(db.execute("SELECT value FROM meta WHERE key = 'kept:stats'").fetchone()[0])[
        "answers"
    ]
    db.close()
    assert "name_counts:author:read" not in answers and "undated" in answers
    assert json.loads(run("stats", "--json").stdout) == first
