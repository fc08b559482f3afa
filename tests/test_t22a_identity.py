"""Which book is this, the cases session 21 left (brief t22a): a one-word slug that is also another book's
title, answered from what is on disk (no index yet, a stale one); an ISBN or id shared by two volumes
(identity.by_id); the subtitle lookups in an import's matching. Piped (stdin not a terminal) unless said.
Near misses first in each test."""

from __future__ import annotations

import json
import os
import shutil
import tomllib
from pathlib import Path

import pytest

from readlog import identity
from readlog.identity import Same, Work
from test_import_export import GR_HEADER, gr_row, write_csv
from test_t20a_prompt import asked


def said(result) -> str:
    return result.stdout + result.stderr


def _books(books: Path) -> dict[str, dict]:
    return {p.stem: tomllib.loads(p.read_text()) for p in sorted(books.glob("*.toml"))}


def _write(books: Path, slug: str, title: str, author: str) -> Path:
    books.mkdir(parents=True, exist_ok=True)
    path = books / f"{slug}.toml"
    path.write_text(f'title = "{title}"\nauthors = ["{author}"]\nstatus = "reading"\n')
    return path


def _in_place(path: Path, old: str, new: str) -> None:
    """A hand edit as nano makes it: the file rewritten where it is (the folder's own stamp unchanged)."""
    text = path.read_text().replace(old, new)
    with path.open("r+") as handle:
        handle.seek(0)
        handle.write(text)
        handle.truncate()


# --- 1. a one-word slug that is another book's whole title ---------------------------------------------------
def test_a_slug_nobody_else_is_titled_writes_without_an_index(run, books, tmp_path):
    run("add", "Dune", "-a", "Frank Herbert", input="")
    run("add", "Dune Messiah", "-a", "Frank Herbert", input="")  # near miss: starts alike, another title
    shutil.rmtree(tmp_path / "cache")
    run("rate", "dune", "3")
    assert _books(books)["dune"]["rating"] == 3


def test_two_dunes_before_any_index_are_refused_naming_both(run, books, tmp_path):
    run("add", "Dune", "-a", "Frank Herbert", input="")
    run("add", "Dune", "-a", "Someone Else", input="")
    shutil.rmtree(tmp_path / "cache")  # no index at all (a fresh READLOG_CACHE): the files are what counts
    before = _books(books)
    out = run("rate", "dune", "3", code=1)
    assert "dune (Dune by Frank Herbert)" in out.stderr and "dune-else (Dune by Someone Else)" in out.stderr
    assert _books(books) == before
    run("rate", "dune-else", "2")  # near miss: a slug with a hyphen is plainly a slug
    assert _books(books)["dune-else"]["rating"] == 2 and "rating" not in _books(books)["dune"]


def test_a_file_added_by_hand_after_the_index_counts(run, books):
    run("add", "Dune", "-a", "Frank Herbert", input="")
    run("list")  # the index up to date: one Dune
    run("rate", "dune", "4")  # near miss: nobody else is titled Dune yet
    _write(books, "my-dune", "Dune", "Someone Else")  # added by hand (a sync, a copy): the index is stale
    out = run("rate", "dune", "3", code=1)
    assert "my-dune (Dune by Someone Else)" in out.stderr
    assert _books(books)["dune"]["rating"] == 4


def test_another_dune_retitled_in_place_no_longer_stands_in_the_way(run, books):
    run("add", "Dune", "-a", "Frank Herbert", input="")
    run("add", "Dune", "-a", "Someone Else", input="")
    run("list")
    run("rate", "dune", "3", code=1)  # near miss: two Dunes
    _in_place(books / "dune-else.toml", 'title = "Dune"', 'title = "Dune Messiah"')
    run("rate", "dune", "3")  # the index still says two: the files, looked at, say one
    assert _books(books)["dune"]["rating"] == 3


def test_a_slug_nobody_else_is_titled_pays_no_sweep(journal_home, books, run):
    from readlog.journal import Journal

    run("add", "Dune", "-a", "Frank Herbert", input="")
    run("add", "Dune", "-a", "Someone Else", input="")
    run("list")
    journal = Journal(journal_home)
    assert journal.find("dune-else").slug == "dune-else"
    run("add", "Solaris", "-a", "Stanisław Lem", input="")
    journal = Journal(journal_home)
    assert journal.find("solaris").slug == "solaris"
    assert journal.cache.quick  # the index as the writers see it: the folder unchanged, no file looked at


def test_on_a_terminal_two_dunes_before_any_index_are_asked(run, journal_home, tmp_path):
    run("add", "Dune", "-a", "Frank Herbert", input="")
    run("add", "Dune", "-a", "Someone Else", input="")
    shutil.rmtree(tmp_path / "cache")
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env = {**base, "READLOG_HOME": str(journal_home), "TERM": "xterm", "READLOG_PAGER": ""}
    out = asked(["rate", "dune", "3"], env, b"\n", columns=100)
    assert "is the title of more than one book" in out
    assert "rating" not in _books(journal_home / "books")["dune"]


# --- 2. one ISBN, two volumes ---------------------------------------------------------------------------------
VAUGHAN = "Brian K. Vaughan"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Saga, Vol. 1", "Saga, Volume One", Same.SURE),  # near miss: one volume written two ways
        ("Saga, Vol. 1", "Saga", Same.SURE),  # a number on one side only decides nothing
        ("Saga (Saga, #2)", "Saga: Volume 2 (Saga, Book 2)", Same.SURE),
        ("Saga, Vol. 1", "Saga, Vol. 2", Same.MAYBE),
        ("Saga (Saga, #1)", "Saga (Saga, #2)", Same.MAYBE),
        ("It: Chapter One", "It: Chapter Two", Same.MAYBE),
    ],
)
def test_a_shared_isbn_against_two_volumes(a, b, same):
    keys = frozenset({"isbn:9781607066019"})
    assert identity.same_work(Work(a, (VAUGHAN,), keys), Work(b, (VAUGHAN,), keys)) is same
    assert identity.same_work(Work(b, (VAUGHAN,), keys), Work(a, (VAUGHAN,), keys)) is same


def test_a_shared_source_id_is_the_services_record_whatever_its_title_says():
    # Goodreads renumbers (The Magician's Nephew: Narnia #6, then #1): its Book Id is still its record.
    a, b = (
        "The Magician's Nephew (Chronicles of Narnia, #6)",
        "The Magician's Nephew (Chronicles of Narnia, #1)",
    )
    lewis = ("C. S. Lewis",)
    isbn = frozenset({"isbn:9780064405058"})
    both = isbn | {"goodreads:65605"}
    assert identity.same_work(Work(a, lewis, isbn), Work(b, lewis, isbn)) is Same.MAYBE  # near miss: an ISBN
    assert identity.same_work(Work(a, lewis, both), Work(b, lewis, both)) is Same.SURE


def _saga(number: int, book_id: str, rating: str = "4") -> dict[str, str]:
    return gr_row(
        Book_Id=book_id, Title=f"Saga, Vol. {number}", Author=VAUGHAN, ISBN='="1607066017"', My_Rating=rating
    )


def test_a_row_of_another_volume_with_a_journal_books_isbn_is_kept_as_its_own_book(run, books, tmp_path):
    run("import", str(write_csv(tmp_path / "one.csv", GR_HEADER, [_saga(1, "3001", "5")])), input="")
    again = run("import", str(write_csv(tmp_path / "one-again.csv", GR_HEADER, [_saga(1, "3009")])), input="")
    assert "1 updated" in said(again) and list(_books(books)) == ["saga-vol-1"]  # near miss: that volume
    out = run("import", str(write_csv(tmp_path / "two.csv", GR_HEADER, [_saga(2, "3002", "2")])), input="")
    shelf = _books(books)
    assert shelf["saga-vol-1"]["rating"] == 5 and shelf["saga-vol-2"]["rating"] == 2
    assert "Saga, Vol. 2: may be the same book as saga-vol-1 (its ISBN, another volume)" in said(out)
    assert "kept as its own book" in said(out)
    out = run("import", str(tmp_path / "two.csv"), input="")  # again: the book it made, by its ids
    assert "1 skipped" in said(out) and sorted(_books(books)) == ["saga-vol-1", "saga-vol-2"]
    assert "maybe the same book as saga-vol-1.toml" in said(run("check"))


def test_a_renumbered_series_keeps_its_book_by_the_services_id(run, books, tmp_path):
    def nephew(number: int, rating: str) -> dict[str, str]:
        title = f"The Magician's Nephew (Chronicles of Narnia, #{number})"
        return gr_row(
            Book_Id="65605", Title=title, Author="C. S. Lewis", ISBN='="0064405052"', My_Rating=rating
        )

    run("import", str(write_csv(tmp_path / "old.csv", GR_HEADER, [nephew(6, "3")])), input="")
    out = run(
        "import", str(write_csv(tmp_path / "new.csv", GR_HEADER, [nephew(1, "4")])), "--update", input=""
    )
    assert "1 updated" in said(out) and "may be" not in said(out)
    assert [book["rating"] for book in _books(books).values()] == [4]


def test_two_volumes_of_one_export_with_one_isbn_are_two_books(run, books, tmp_path):
    path = write_csv(tmp_path / "both.csv", GR_HEADER, [_saga(1, "3001", "5"), _saga(2, "3002", "2")])
    out = run("import", str(path), input="")
    assert "Saga, Vol. 2: has the ISBN of 'Saga, Vol. 1' (line 2) but names another volume" in said(out)
    shelf = _books(books)
    assert shelf["saga-vol-1"]["rating"] == 5 and shelf["saga-vol-2"]["rating"] == 2
    run("import", str(path), input="")
    assert sorted(_books(books)) == ["saga-vol-1", "saga-vol-2"]


def test_add_of_another_volume_with_the_same_isbn_is_not_already_here(run, books):
    run("add", "Saga, Vol. 1", "-a", VAUGHAN, "--isbn", "9781607066019", input="")
    out = run("add", "Saga, Volume One", "-a", VAUGHAN, "--isbn", "9781607066019", input="", code=1)
    assert "already in the journal" in out.stderr  # near miss: the same volume
    out = run("add", "Saga, Vol. 2", "-a", VAUGHAN, "--isbn", "9781607066019", input="", code=1)
    assert "may be the same book as saga-vol-1" in out.stderr and "already" not in out.stderr


CLIP = """{title} ({author})
- Your Highlight on page 8 | location {at}-{end} | Added on Monday, 1 January 2024 10:0{n}:00

{text}
==========
"""


def test_highlights_held_by_another_volume_go_where_the_merge_put_the_rest(run, books, tmp_path):
    first = CLIP.format(
        title="Saga, Vol. 2", author="Vaughan, Brian K.", at=11, end=12, n=1, text="Line one."
    )
    clips = tmp_path / "My Clippings.txt"
    clips.write_text(first)
    run("add", "Saga, Vol. 1", "-a", VAUGHAN, input="")
    run("import", str(clips), "--create", "read", input="")
    run("merge", "saga-vol-1", "saga-vol-2", input="")  # (as an older readlog could leave them, too)
    clips.write_text(first + CLIP.format(title="Saga, Vol. 2", author="Vaughan, Brian K.", at=21, end=22, n=2,
                                         text="Line two."))  # fmt: skip
    out = run("import", str(clips), "--create", "read", input="")  # (t23c: there, and said; was: nowhere)
    assert "Saga, Vol. 2: added to saga-vol-1 (Saga, Vol. 1 by Brian K. Vaughan), which holds" in said(out)
    assert sorted(_books(books)) == ["saga-vol-1"]
    assert [q["text"] for q in _books(books)["saga-vol-1"]["quotes"]] == ["Line one.", "Line two."]
    run("add", "Saga, Vol. 2", "-a", VAUGHAN, input="")
    run("import", str(clips), input="")  # the book of its own it names: its title is sure now
    assert [q["text"] for q in _books(books)["saga-vol-2"]["quotes"]] == ["Line one.", "Line two."]


# --- 3. a subtitle that is the other's title, in an import ----------------------------------------------------
COREY = "James S. A. Corey"


@pytest.mark.parametrize(
    ("journal", "row"),
    [
        ("The Expanse: Leviathan Wakes", "Leviathan Wakes"),
        ("Leviathan Wakes", "The Expanse: Leviathan Wakes"),
    ],
)
def test_an_import_row_whose_title_is_a_journal_books_subtitle_is_parked(run, books, tmp_path, journal, row):
    run("add", journal, "-a", COREY, input="")
    run("add", "Caliban's War", "-a", COREY, input="")
    near = gr_row(Book_Id="7", Title="Caliban's War", Author=COREY, My_Rating="3")  # the same title
    other = gr_row(Book_Id="8", Title=row, Author="Someone Else", My_Rating="2")  # another author
    path = write_csv(
        tmp_path / "e.csv", GR_HEADER, [near, gr_row(Book_Id="9", Title=row, Author=COREY), other]
    )
    out = run("import", str(path), input="")
    slug = journal.lower().replace(" ", "-").replace(":", "")
    assert f"{row}: may be the same book as {slug}: kept as its own book" in said(out)
    assert said(out).count("may be the same book") == 1
    assert "1 updated" in said(out) or "1 skipped" in said(out)
    count = len(_books(books))
    out = run("import", str(path), input="")  # again: the book it kept, by its title and ids
    assert len(_books(books)) == count and "may be the same book" not in said(out)


# --- 4. the queue's picks name books by the one title rule ----------------------------------------------------
PRATA = "Stephen Prata"


def _queue(run) -> dict[str, str | None]:
    return {item["title"]: item["slug"] for item in json.loads(run("next", "--json").stdout)}


def test_a_pick_of_cplusplus_never_names_the_c_book(run, books):
    run("add", "The C Programming Language", "-a", "Brian Kernighan", "--status", "read", input="")
    for title in ("C++ Primer Plus", "C# Primer Plus", "c primer plus."):  # the last: case and a full stop
        run("next", "add", title, "-a", PRATA, "--from", "the-c-programming-language", input="")
    # (the book after its picks: `next add` stores a pick of a journal book under the book's title)
    run("add", "C Primer Plus", "-a", PRATA, "--status", "want", input="")
    assert _queue(run) == {"C++ Primer Plus": None, "C# Primer Plus": None, "c primer plus.": "c-primer-plus"}
    shown = run("show", "the-c-programming-language").stdout
    assert shown.count("[on your list]") == 1 and "c primer plus. — Stephen Prata  [on your list]" in shown
    run("next", "drop", "C++ Primer Plus", input="")
    assert set(_queue(run)) == {"C# Primer Plus", "c primer plus."}


def test_a_pick_of_c_never_names_the_cplusplus_book(run, books):
    run("add", "The C Programming Language", "-a", "Brian Kernighan", "--status", "read", input="")
    picks = [("C Primer Plus", PRATA), ("C++ primer plus", PRATA), ("The Hobbit", "Tolkien")]  # near misses
    for title, author in picks:  # (the last two: the same titles, written otherwise)
        run("next", "add", title, "-a", author, "--from", "the-c-programming-language", input="")
    # (the books after the picks: `next add` stores a pick of a journal book under the book's title)
    run("add", "C++ Primer Plus", "-a", PRATA, "--status", "want", input="")
    run("add", "Hobbit, The", "-a", "J. R. R. Tolkien", "--status", "want", input="")
    queue = _queue(run)
    assert queue["C Primer Plus"] is None
    assert queue["C++ primer plus"] == "cplusplus-primer-plus" and queue["The Hobbit"] == "hobbit-the"


def test_picks_on_a_built_site_name_their_books_by_the_same_rule():
    from readlog.queue import BookFinder

    finder = BookFinder(
        [("c-primer-plus", "C Primer Plus", [PRATA], ()), ("c-sharp", "C# in Depth", ["Jon Skeet"], ())]
    )
    assert finder.find("C Primer Plus", [PRATA]) == "c-primer-plus"  # near miss
    assert finder.find("C++ Primer Plus", [PRATA]) is None
    assert finder.find("C in Depth", ["Jon Skeet"]) is None and finder.find("c# in depth", []) == "c-sharp"


def test_a_site_finds_a_picks_book_with_one_title_key(monkeypatch):
    """The site asks for every pick's book (thousands): the pick's title key is worked out once, the books'
    once when the finder is made, and only the authors are compared after (pick_names_book's other half),
    with its answers."""
    from readlog import identity, queue

    books = [
        ("kindred", "Kindred", ["Octavia E. Butler"], ()),
        ("kindred-2", "Kindred", ["Someone Else"], ()),
    ]
    finder = queue.BookFinder(books)
    keys: list[str] = []
    real = identity.pick_title_key
    for module in (identity, queue):
        monkeypatch.setattr(module, "pick_title_key", lambda title: keys.append(title) or real(title))
    assert finder.find("kindred", ["Butler"]) == "kindred" and keys == ["kindred"]
    assert finder.find("Kindred", ["Someone Else"]) == "kindred-2"
    assert finder.find("Kindred", []) == "kindred" and finder.find("Kindred", ["Nobody"]) is None
    assert len(keys) == 4


# --- 5. a new book's slug keeps the symbols that make another title, as words -----------------------------------
@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Catch-22", "catch-22"),  # near misses: symbols that make no other title
        ("V.", "v"),
        ("Dune #1", "dune-1"),
        ("C++ Primer Plus", "cplusplus-primer-plus"),
        ("C# in Depth", "csharp-in-depth"),
        (".NET Core", "dotnet-core"),
        ("A+ Guide", "aplus-guide"),
    ],
)
def test_a_new_books_slug(run, books, title, slug):
    run("add", title, "-a", "An Author", input="")
    assert list(_books(books)) == [slug]


def test_an_existing_slug_never_changes_and_c_and_cplusplus_never_share_one(run, books, tmp_path):
    old = _write(books, "c-primer-plus", "C++ Primer Plus", PRATA)  # as an older readlog named it
    run("rate", "c-primer-plus", "2")
    run("check")
    assert sorted(_books(books)) == ["c-primer-plus"] and "rating = 2" in old.read_text()
    run("add", "C Primer Plus", "-a", PRATA, input="")  # the old slug is taken: the C book gets another
    assert sorted(_books(books)) == ["c-primer-plus", "c-primer-plus-prata"]


def test_an_import_of_c_and_cplusplus_names_them_apart(run, books, tmp_path):
    rows = [
        gr_row(Book_Id=n, Title=t, Author=PRATA)
        for n, t in (("1", "C++ Primer Plus"), ("2", "C Primer Plus"))
    ]
    run("import", str(write_csv(tmp_path / "p.csv", GR_HEADER, rows)), input="")
    assert {slug: b["title"] for slug, b in _books(books).items()} == {
        "c-primer-plus": "C Primer Plus",
        "cplusplus-primer-plus": "C++ Primer Plus",
    }


@pytest.mark.parametrize(
    "broken", ["cplusplus-primer-plus", "c-primer-plus"]
)  # this readlog's, an older one's
def test_a_broken_file_with_either_slug_of_a_title_is_never_guessed_past(run, books, broken):
    run("add", "C++ Primer Plus", "-a", PRATA, "--new", input="")
    (mine,) = books.glob("*.toml")
    (books / f"{broken}-2.toml").write_text('title = "C++ Primer Plus\n')  # does not parse
    out = run("rate", "C++ Primer Plus", "3", code=1)
    assert f"{broken}-2.toml" in out.stderr and "rating" not in mine.read_text()


def test_a_slug_that_is_another_books_title_is_reached_by_its_file_name(run, books):
    """`dune` is the slug of dune.toml and the title of both Dunes: refused in a script, and the refusal
    names the way to the book in that file, `dune.toml`, which is sure (a script can always reach it)."""
    books.mkdir(parents=True, exist_ok=True)
    for slug in ("dune", "dune-2"):
        (books / f"{slug}.toml").write_text('title = "Dune"\nauthors = ["Frank Herbert"]\n', encoding="utf-8")
    refused = run("rate", "dune", "3", code=1).stderr
    assert "give `dune.toml` for the book in that file" in refused
    assert "rating" not in (books / "dune.toml").read_text(encoding="utf-8")
    run("rate", "dune.toml", "3")
    assert "rating = 3" in (books / "dune.toml").read_text(encoding="utf-8")
    assert "rating" not in (books / "dune-2.toml").read_text(encoding="utf-8")
    assert "no book in the journal is 'gone.toml'" in run("rate", "gone.toml", "3", code=1).stderr
    run("rm", "dune-2", "--yes")
    assert "readlog restore dune-2" in run("show", "dune-2.toml", code=1).stderr
