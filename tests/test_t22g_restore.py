"""Session 22's try-out (22a #6): `restore` brought a merged book back beside the book it was merged into
(another title, so the title alone did not find it). README: restore refuses when the same book is in the
journal again. The same-book rule is identity.same_work, with the book's keys (ISBNs, source ids): what a
merge keeps of the book it moved to the trash."""

from __future__ import annotations

from pathlib import Path

from conftest import snapshot
from test_t22g_merge_reimport import A_ISBN, A_TITLE, B_ISBN, goodreads, storygraph


def trash_names(home: Path) -> list[str]:
    return sorted(p.name for p in (home / "trash").glob("*.toml"))


def test_a_merged_book_is_not_restored_beside_the_book_it_went_into(run, books, journal_home, tmp_path):
    run("add", A_TITLE, "-a", "Leo Tolstoy", "--isbn", A_ISBN, "--status", "read")
    run("import", str(goodreads(tmp_path)))
    run("merge", "war-and-peace-original-version", "war-and-peace")
    before, trashed = snapshot(books), trash_names(journal_home)
    refused = run("restore", "war-and-peace", code=1).stderr
    assert "'War and Peace' is already in the journal, as 'war-and-peace-original-version'" in refused
    assert "“War and Peace: Original Version”; both have goodreads id 4242" in refused
    assert f"nothing restored, {trashed[0]} stays in the trash" in refused
    assert snapshot(books) == before and trash_names(journal_home) == trashed
    assert "1\t" in run("restore").stdout  # still listed, still there to restore once the other is gone
    run("rm", "war-and-peace-original-version", "--yes")
    assert "Restored “War and Peace”" in run("restore", "war-and-peace").stderr


def test_a_merged_storygraph_book_is_refused_by_its_isbn(run, books, journal_home, tmp_path):
    run("add", A_TITLE, "-a", "Leo Tolstoy", "--isbn", A_ISBN, "--status", "read")
    run("import", str(storygraph(tmp_path)))
    run("merge", "war-and-peace-original-version", "war-and-peace")
    refused = run("restore", "1", code=1).stderr
    assert f"as 'war-and-peace-original-version' (“{A_TITLE}”; both have ISBN {B_ISBN})" in refused
    assert sorted(p.name for p in books.glob("*.toml")) == ["war-and-peace-original-version.toml"]


def test_a_book_of_the_same_title_added_again_is_still_refused(run, books):
    run("add", "Emma", "-a", "Jane Austen")
    run("rm", "emma", "--yes")
    run("add", "Emma", "-a", "Jane Austen", "--status", "read")
    refused = run("restore", "emma", code=1).stderr
    assert "'Emma' is already in the journal, as 'emma' (“Emma”): nothing restored" in refused


def test_a_book_only_like_another_is_restored(run, books):
    """Maybe the same book (one title has a subtitle, no shared id): not the same book, restored."""
    run("add", "War and Peace", "-a", "Leo Tolstoy", "--isbn", B_ISBN)
    run("rm", "war-and-peace", "--yes")
    run("add", A_TITLE, "-a", "Leo Tolstoy", "--isbn", A_ISBN)
    assert "Restored “War and Peace”" in run("restore", "war-and-peace").stderr


# A book merged before this session: its StoryGraph table holds B's `ISBN/UID`, and no list of editions.
MERGED_EARLIER = f'''schema = 2
title = "{A_TITLE}"
authors = ["Leo Tolstoy"]
status = "read"
isbn = "{A_ISBN}"

[[reads]]

[source.storygraph]
"ISBN/UID" = "{B_ISBN}"
Format = "paperback"
'''


def test_a_book_merged_before_is_found_by_its_storygraph_isbn(run, books, tmp_path):
    """identity.book_keys: the ISBN StoryGraph's `ISBN/UID` holds is a key of the book, whatever its own."""
    run("add", "Emma", "-a", "Jane Austen")  # (the journal made)
    (books / "war-and-peace-original-version.toml").write_text(MERGED_EARLIER, encoding="utf-8")
    before = snapshot(books)
    again = run("import", str(storygraph(tmp_path))).stderr
    assert "0 added" in again and "may be the same book" not in again, again
    assert snapshot(books) == before


def test_book_keys_take_an_isbn_from_storygraph_s_column_only():
    from readlog.identity import book_keys
    from readlog.model import Book

    book = Book(title=A_TITLE, isbn=A_ISBN)
    book.extra["source"] = {
        "storygraph": {"ISBN/UID": "978-0-19-283398-3", "editions": [{"ISBN/UID": "9780000000000"}]},
        "goodreads": {"Book Id": "1", "ISBN/UID": "0192833987"},
    }
    # (t23c: what is no ISBN there, an invalid number or StoryGraph's own id, is the edition's id)
    assert book_keys(book) == [f"isbn:{A_ISBN}", f"isbn:{B_ISBN}", "storygraph:9780000000000", "goodreads:1"]
    book.extra["source"]["storygraph"]["ISBN/UID"] = "sg-uid-1234"  # StoryGraph's own id: no ISBN
    assert book_keys(book) == [f"isbn:{A_ISBN}", "storygraph:sg-uid-1234", "storygraph:9780000000000",
                               "goodreads:1"]  # fmt: skip
