"""Review 27a #1, #2 and #5's title typo: regressions of t27c's which-book rules. `merge` joined two books
whose authors' names are a letter apart (Joan Smith's *Collected Poems*, John Smith's *A History of Rome*)
without a question, dropping John Smith; `start "never let" -a "Kazuo Ishiguro"` beside *Never Let Me Go*
added and started a book "never let" without a word; `add "Silken Prey"` beside Sandford's *Silent Prey*
was a maybe (two real novels of one series). Near misses beside each."""

from __future__ import annotations

import pytest

from conftest import snapshot
from readlog.identity import Work, plainly_apart, title_typo
from test_query_policy import _on_terminal
from test_t23c_merge import slugs, toml

SEPARATE = b"Add it as a separate book? [y/N]"


# --- 1. merge: names a letter apart ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b", "first", "second"),
    [
        (("Collected Poems", "Joan Smith"), ("A History of Rome", "John Smith"), "collected-poems",
         "a-history-of-rome"),
        (("Life Studies", "Robert Lowell"), ("Selected Poems", "Robert Powell"), "life-studies",
         "selected-poems"),
    ],
)  # fmt: skip
def test_merge_of_two_titles_by_names_a_letter_apart_is_plainly_two_books(run, books, a, b, first, second):
    """Review 27a #1: merged with no question, even in a script, and B's author dropped. Now refused as
    plainly two books, naming `--force`; `--force` keeps both names."""
    for title, author in (a, b):
        run("add", title, "-a", author, "--finished", "2024-04-01")
    before = snapshot(books)
    err = run("merge", first, second, "--no-input", code=1).stderr
    assert "different titles and different authors" in err and "plainly two books" in err, err
    assert f"`readlog merge {first} {second} --force` merges them anyway" in err, err
    assert snapshot(books) == before
    err = run("merge", first, second, "--force").stderr
    assert "kept author" not in err, err
    assert toml(books, first)["authors"] == [a[1], b[1]]


def test_merge_of_one_title_by_names_that_may_be_one_person_asks_and_keeps_a_spelling_said(
    run, books, tmp_path
):
    """The maybe `check` lists (Joan's and John's *Home*, kept two by `--new`; Stephen and Steven King's
    *The Stand*): refused in a script naming `--force` and the name kept; asked on a terminal (Enter:
    nothing); merged, A's spelling is kept and said."""
    run("add", "The Stand", "-a", "Stephen King", "--finished", "2024-04-01")
    run("add", "The Stand", "-a", "Steven King", "--new", "--rating", "4")
    before = snapshot(books)
    err = run("merge", "the-stand", "the-stand-king", "--no-input", code=1).stderr
    assert "may be one person's spelled two ways, or two people's" in err, err
    force = "`readlog merge the-stand the-stand-king --force` merges them, keeping the author Stephen King"
    assert force in err, err
    assert snapshot(books) == before
    args = ["merge", "the-stand", "the-stand-king"]
    code, shown = _on_terminal(args, [(b"(B's file goes to the trash)? [y/N]", b"")], tmp_path)
    assert code == 1 and "Merge them, keeping the author Stephen King" in shown, shown
    assert snapshot(books) == before
    code, shown = _on_terminal(args, [(b"(B's file goes to the trash)? [y/N]", b"y")], tmp_path)
    assert code == 0 and "note: kept author Stephen King (the-stand-king had Steven King)" in shown, shown
    assert slugs(books) == ["the-stand"] and toml(books, "the-stand")["authors"] == ["Stephen King"]


def test_merge_of_joan_and_john_smiths_home_names_a_force_that_works(run, books):
    """Review 27a #1's `merge home.toml home-smith` (kept two by `--new`): joined silently, keeping Joan
    Smith only. Now refused; the `--force` it names gives `home.toml` as typed (`home` is also the title
    of John Smith's *Home*: refused as several books), and works."""
    run("add", "Home", "-a", "Joan Smith", "--finished", "2024-04-01")
    run("add", "Home", "-a", "John Smith", "--new")
    err = run("merge", "home.toml", "home-smith", "--no-input", code=1).stderr
    force = "`readlog merge home.toml home-smith --force` merges them, keeping the author Joan Smith"
    assert force in err, err
    err = run("merge", "home.toml", "home-smith", "--force", "--no-input").stderr
    assert "note: kept author Joan Smith (home-smith had John Smith)" in err, err
    assert slugs(books) == ["home"]


def test_respelled_pair_and_plainly_apart_rules():
    from readlog.identity import respelled_pair

    joan, john = ("Joan Smith",), ("John Smith",)
    assert plainly_apart(Work("Collected Poems", joan), Work("A History of Rome", john))
    assert not respelled_pair(Work("Collected Poems", joan), Work("A History of Rome", john))
    assert plainly_apart(Work("Home", joan), Work("Home", john)) is None
    assert respelled_pair(Work("Home", joan), Work("Home", john))
    assert respelled_pair(Work("Home: A Novel", joan), Work("Home", john))
    # near misses: one person, two people plainly, an edition shared
    assert not respelled_pair(Work("Home", joan), Work("Home", ("J. Smith",)))
    assert not respelled_pair(Work("Dune", ("Frank Herbert",)), Work("Dune", ("Brian Herbert",)))
    isbn = frozenset({"isbn:9780441013593"})
    assert not respelled_pair(Work("Home", joan, isbn), Work("Home", john, isbn))


# --- 2. start: words of a longer title --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("here", "author", "typed"),
    [
        ("Never Let Me Go", "Kazuo Ishiguro", "never let"),
        ("Dune Messiah", "Frank Herbert", "Dune"),  # (try-out 27a #6: a whole title of its own)
        ("The Fellowship of the Ring", "J.R.R. Tolkien", "The Fellowship"),
    ],
)
def test_start_of_words_of_a_longer_title_is_refused_in_a_script_naming_the_book_and_new(
    run, books, here, author, typed
):
    """Review 27a #2: a book of the words typed was added and started, nothing said. Now refused naming
    the book, `start SLUG` and `start --new` (advice that works: try-out 27a #6); `--new` adds it."""
    run("add", here, "-a", author, "--status", "want")
    (slug,) = slugs(books)
    before = snapshot(books)
    err = run("start", typed, "-a", author, "--no-input", code=1).stderr
    assert f"{typed!r} is words of the title of {slug} ({here} by {author}): nothing was added" in err, err
    assert (
        f"`readlog start {slug}` starts it, `readlog start " in err
        and f"--new` adds {typed!r} as a separate" in err
    )
    assert snapshot(books) == before
    err = run("start", typed, "-a", author, "--new", "--no-input").stderr
    assert f"Added “{typed}” and started reading it" in err, err
    assert len(slugs(books)) == 2 and toml(books, slug)["status"] == "want"


def test_start_of_words_of_a_longer_title_asks_for_the_book_then_a_new_one(run, books, tmp_path):
    """On a terminal: the book is asked about first (as before t27c); a no asks whether to add the words
    typed as a separate book; a second no writes nothing."""
    run("add", "Never Let Me Go", "-a", "Kazuo Ishiguro", "--status", "want")
    before = snapshot(books)
    args = ["start", "never let", "-a", "Kazuo Ishiguro"]
    first = b"Start \xe2\x80\x9cNever Let Me Go\xe2\x80\x9d by Kazuo Ishiguro? [y/N]"
    code, shown = _on_terminal(args, [(first, b""), (SEPARATE, b"")], tmp_path)
    assert code == 1 and "'never let' is words of the title of never-let-me-go" in shown, shown
    assert snapshot(books) == before
    code, shown = _on_terminal(args, [(first, b""), (SEPARATE, b"y")], tmp_path)
    assert code == 0 and "Added “never let” and started reading it" in shown, shown
    assert toml(books, "never-let-me-go")["status"] == "want"
    run("rm", "never-let", "--yes")
    code, shown = _on_terminal(args, [(first, b"y")], tmp_path)
    assert code == 0 and "Started reading “Never Let Me Go”" in shown, shown
    assert slugs(books) == ["never-let-me-go"]


def test_start_of_a_whole_title_in_the_journal_or_of_another_author_is_not_asked(run, books):
    """Near misses: the whole title starts its book; another author's words add that author's book."""
    run("add", "Never Let Me Go", "-a", "Kazuo Ishiguro", "--status", "want")
    run("start", "never let me go", "-a", "Kazuo Ishiguro", "--no-input")
    assert toml(books, "never-let-me-go")["status"] == "reading"
    run("start", "Never Let", "-a", "Ann Writer", "--no-input")
    assert slugs(books) == ["never-let", "never-let-me-go"]


# --- 3. title typos: one edit ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("here", "typed", "typo"),
    [
        ("Dune Messiah", "Dune Mesiah", True),
        ("Dune Messiah", "Dune Messaih", True),  # (a swap of two letters: one edit)
        ("The Tombs of Atuan", "The Tomb of Atuan", True),
        ("Rivers of London", "Rivers of Londin", True),
        ("Silent Prey", "Silken Prey", False),  # (Sandford's Prey #4 and #23: two edits)
        ("Dead Witch Walking", "The Good, the Bad, and the Undead", False),
        ("Dune Messiah", "Dnue Mesiah", False),  # (two words off)
    ],
)
def test_a_title_typo_is_one_edit_either_way(here, typed, typo):
    a, b = Work.named(here, ["John Sandford"]), Work.named(typed, ["John Sandford"])
    assert title_typo(a, b) is typo and title_typo(b, a) is typo


def test_add_of_a_real_series_title_two_letters_off_is_added_without_a_question(run, books):
    """Review 27a #5: *Silken Prey* beside *Silent Prey* was refused in a script as a maybe."""
    run("add", "Silent Prey", "-a", "John Sandford", "--finished", "2024-05-01")
    run("add", "Silken Prey", "-a", "John Sandford", "--no-input")
    assert slugs(books) == ["silent-prey", "silken-prey"]
    run("add", "Rivers of London", "-a", "Ben Aaronovitch", "--finished", "2024-05-01")
    err = run("add", "Rivers of Londin", "-a", "Ben Aaronovitch", "--no-input", code=1).stderr
    assert "may be the same book as rivers-of-london (Rivers of London by Ben Aaronovitch)" in err, err
