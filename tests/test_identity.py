"""Every write lands on the book the reader meant: BOOK lookup through every writing command.

A journal of real titles, and titles that are not in it but share words with ones that are: each near miss,
through each command that writes, changes nothing, exits 1 and names a book (a candidate or a suggestion).
And the positive half: slugs, whole titles, `TITLE by AUTHOR`, accents and case still find their book; words
of a title are not sure, so a script is refused naming the book (tests/test_query_policy.py has the rest).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import snapshot, write_editor
from readlog.errors import AmbiguousBook, BookNotFound, NotSureBook
from readlog.identity import Candidate, Match, find_in

JOURNAL = [
    ("Dune", "Frank Herbert"),
    ("The Road", "Cormac McCarthy"),
    ("It", "Stephen King"),
    ("1984", "George Orwell"),
    ("Emma", "Jane Austen"),
    ("Middlemarch", "George Eliot"),
    ("Jesus' Son", "Denis Johnson"),
    ("Never Let Me Go", "Kazuo Ishiguro"),
    ("The Lord of the Rings", "J. R. R. Tolkien"),
    ("The Great Gatsby", "F. Scott Fitzgerald"),
    ("To Kill a Mockingbird", "Harper Lee"),
    ("Pride and Prejudice", "Jane Austen"),
    ("Jane Eyre", "Charlotte Brontë"),
    ("Wuthering Heights", "Emily Brontë"),
    ("Moby-Dick", "Herman Melville"),
    ("War and Peace", "Leo Tolstoy"),
    ("Anna Karenina", "Leo Tolstoy"),
    ("Crime and Punishment", "Fyodor Dostoevsky"),
    ("The Brothers Karamazov", "Fyodor Dostoevsky"),
    ("Beloved", "Toni Morrison"),
    ("The Color Purple", "Alice Walker"),
    ("Invisible Man", "Ralph Ellison"),
    ("Catch-22", "Joseph Heller"),
    ("Slaughterhouse-Five", "Kurt Vonnegut"),
    ("The Catcher in the Rye", "J. D. Salinger"),
    ("Brave New World", "Aldous Huxley"),
    ("Fahrenheit 451", "Ray Bradbury"),
    ("Lolita", "Vladimir Nabokov"),
    ("Ulysses", "James Joyce"),
    ("Dubliners", "James Joyce"),
    ("Mrs Dalloway", "Virginia Woolf"),
    ("To the Lighthouse", "Virginia Woolf"),
    ("The Sun Also Rises", "Ernest Hemingway"),
    ("A Farewell to Arms", "Ernest Hemingway"),
    ("The Old Man and the Sea", "Ernest Hemingway"),
    ("Of Mice and Men", "John Steinbeck"),
    ("East of Eden", "John Steinbeck"),
    ("The Grapes of Wrath", "John Steinbeck"),
    ("Frankenstein", "Mary Shelley"),
    ("Dracula", "Bram Stoker"),
    ("Rebecca", "Daphne du Maurier"),
    ("Persuasion", "Jane Austen"),
    ("Little Women", "Louisa May Alcott"),
    ("The Hobbit", "J. R. R. Tolkien"),
    ("The Name of the Wind", "Patrick Rothfuss"),
    ("Gone Girl", "Gillian Flynn"),
    ("The Secret History", "Donna Tartt"),
    ("Atonement", "Ian McEwan"),
    ("Normal People", "Sally Rooney"),
    ("The Goldfinch", "Donna Tartt"),
    ("Blood Meridian", "Cormac McCarthy"),
    ("Good Omens", "Terry Pratchett"),
    ("One Hundred Years of Solitude", "Gabriel García Márquez"),
    ("Cien años de soledad", "Gabriel García Márquez"),
    ("Les Misérables", "Victor Hugo"),
    ("The Stranger", "Albert Camus"),
    ("The Trial", "Franz Kafka"),
    ("Things Fall Apart", "Chinua Achebe"),
    ("The Remains of the Day", "Kazuo Ishiguro"),
    ("Piranesi", "Susanna Clarke"),
    ("Klara and the Sun", "Kazuo Ishiguro"),
    ("Station Eleven", "Emily St. John Mandel"),
]

NEAR_MISSES = [
    "Dune Messiah",
    "Children of Dune",
    "On the Road",
    "It Ends with Us",
    "1Q84",
    "Emma in the Night",
    "March",
    "The Fellowship of the Ring",
    "The Great Alone",
    "To Kill a Kingdom",
    "Pride and Prejudice and Zombies",
    "Jane Steele",
    "Wide Sargasso Sea",
    "Peace Talks",
    "Anna and the French Kiss",
    "The Brothers Grimm",
    "Beloved Strangers",
    "The Color of Magic",
    "Invisible Cities",
    "Brave New Girl",
    "Fahrenheit 911",
    "Reading Lolita in Tehran",
    "Mrs Dalloway's Party",
    "The Sun Is Also a Star",
    "Farewell to Manzanar",
    "The Old Man and the Boy",
    "Of Mice and Magic",
    "East of the Sun",
    "The Grapes of Math",
    "Frankenstein in Baghdad",
    "Dracula's Guest",
    "Rebecca's Tale",
    "Little Fires Everywhere",
    "The Hobbit Companion",
    "The Name of the Rose",
    "Gone with the Wind",
    "The Secret Garden",
    "Normal Rules Don't Apply",
    "The Road Less Traveled",
    "The Good Earth",
    "Eleven Minutes",
    "The Good Girl",
    "Station Twelve",
    "Klara and the Moon",
]

# Every command that writes to a named book, with BOOK in the place of the query.
WRITERS = [
    ("reflect", "BOOK", "A thought that must not land in the wrong book."),
    ("quote", "BOOK", "A line that must not land in the wrong book."),
    ("review", "BOOK", "A review that must not land in the wrong book.", "--replace"),
    ("rate", "BOOK", "2"),
    ("start", "BOOK"),
    ("progress", "BOOK", "12"),
    ("finish", "BOOK", "--rating", "3"),
    ("abandon", "BOOK"),
    ("pause", "BOOK"),
    ("edit", "BOOK"),
    ("rm", "BOOK", "--yes"),
    ("next", "add", "Some Pick", "--author", "Someone", "--from", "BOOK"),
    ("next", "drop", "Some Pick", "--from", "BOOK"),
]


def _file(title: str, author: str, status: str) -> str:
    quoted = title.replace('"', '\\"')
    return f'title = "{quoted}"\nauthors = ["{author}"]\nstatus = "{status}"\n'


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    """The journal of real titles, written as a reader would have them (some read, some being read)."""
    from readlog.text import slugify

    root = tmp_path_factory.mktemp("library") / "journal"
    (root / "books").mkdir(parents=True)
    for number, (title, author) in enumerate(JOURNAL):
        status = ("read", "reading", "want")[number % 3]
        slug = slugify(title)
        assert not (root / "books" / f"{slug}.toml").exists(), slug
        (root / "books" / f"{slug}.toml").write_text(_file(title, author, status))
    return root


@pytest.fixture
def journal_copy(library, tmp_path) -> Path:
    import shutil

    root = tmp_path / "library"
    shutil.copytree(library, root)
    return root


def test_the_table_is_what_it_says():
    assert len(JOURNAL) >= 60 and len(NEAR_MISSES) >= 40
    from readlog.text import normalize

    titles = {normalize(t) for t, _ in JOURNAL}
    assert not titles & {normalize(t) for t in NEAR_MISSES}  # none of them is in the journal


@pytest.mark.parametrize("query", NEAR_MISSES)
def test_a_near_miss_never_writes_to_another_book(run, journal_copy, tmp_path, monkeypatch, query):
    # An editor that would change the file, so a wrong `edit` would show as a change.
    monkeypatch.setenv(
        "EDITOR", write_editor(tmp_path, "import sys\nopen(sys.argv[1], 'a').write('# x\\n')\n")
    )
    for command in WRITERS:
        args = [query if part == "BOOK" else part for part in command]
        before = snapshot(journal_copy)
        result = run("--data-dir", str(journal_copy), *args, code=1)
        assert snapshot(journal_copy) == before, (query, command)
        named = "did you mean:" in result.stderr or "is not the whole title" in result.stderr
        assert named or "matches several books" in result.stderr, (query, command, result.stderr)
        assert " (" in result.stderr, (query, command, result.stderr)  # names a book: SLUG (Title by ...)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_add_reread_of_a_near_miss_adds_its_own_book(run, journal_copy):
    """Never into *Dune*; and (t27i) no book is added by `--reread`, which says the book is in the journal:
    refused, naming *Dune*; `--new` adds its own."""
    before = snapshot(journal_copy / "books")
    args = ("--data-dir", str(journal_copy), "add", "Dune Messiah", "-a", "Frank Herbert", "--reread")
    err = run(*args, code=1).stderr
    assert "'Dune Messiah' by Frank Herbert is not in the journal; the closest is" in err, err
    assert snapshot(journal_copy / "books") == before
    run(*args, "--new")
    after = snapshot(journal_copy / "books")
    assert {k: v for k, v in after.items() if k in before} == before  # Dune untouched
    assert set(after) - set(before) == {"dune-messiah.toml"}


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("dune", "dune"),
        ("DUNE", "dune"),
        ("the-road", "the-road"),
        ("The Road", "the-road"),
        ("it", "it"),
        ("1984", "1984"),
        ("emma", "emma"),
        ("emma by austen", "emma"),
        ("Emma by Jane Austen", "emma"),
        ("Never Let Me Go!", "never-let-me-go"),
        ("CIEN AÑOS DE SOLEDAD", "cien-anos-de-soledad"),
        ("les miserables", "les-miserables"),
        ("jesus son", "jesus-son"),
        ("moby dick", "moby-dick"),
        ("remains of the day by ishiguro", "the-remains-of-the-day"),
        ("station eleven by mandel", "station-eleven"),
        ("lord of the rings", "the-lord-of-the-rings"),
        ("catcher in the rye", "the-catcher-in-the-rye"),
    ],
)
def test_sure_matches_still_find_their_book(run, journal_copy, query, slug):
    before = snapshot(journal_copy / "books")
    run("--data-dir", str(journal_copy), "rate", query, "4.25")
    after = snapshot(journal_copy / "books")
    changed = [name for name in after if after[name] != before.get(name)]
    assert changed == [f"{slug}.toml"], (query, changed)


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("never let", "never-let-me-go"),
        ("lord rings", "the-lord-of-the-rings"),
        ("the lord of the r", "the-lord-of-the-rings"),
        ("cien anos", "cien-anos-de-soledad"),
        ("slaughterhouse", "slaughterhouse-five"),
        ("one hundred years", "one-hundred-years-of-solitude"),
        ("remains by ishiguro", "the-remains-of-the-day"),
    ],
)
def test_words_of_a_title_are_refused_in_a_script_naming_the_book(run, journal_copy, query, slug):
    before = snapshot(journal_copy)
    result = run("--data-dir", str(journal_copy), "rate", query, "4.25", code=1)
    assert snapshot(journal_copy) == before
    assert f"is not the whole title of a book: it is words of the title of {slug} (" in result.stderr


def test_read_only_commands_show_a_typo_sized_winner_and_say_so(run, journal_copy):
    result = run("--data-dir", str(journal_copy), "show", "Nevr Let Me Goo", "--json")
    assert '"slug": "never-let-me-go"' in result.stdout
    assert "showing never-let-me-go (Never Let Me Go by Kazuo Ishiguro)" in result.stderr
    for query in ("no such book anywhere", "children of dune", "march"):
        result = run("--data-dir", str(journal_copy), "show", query, code=1)
        assert result.stdout == "" and "no book in the journal is" in result.stderr, query
    exported = run("--data-dir", str(journal_copy), "export", "Midlemarch", "--format", "json")
    assert '"title": "Middlemarch"' in exported.stdout and "exporting middlemarch" in exported.stderr


def test_an_ambiguous_query_names_the_books_and_writes_nothing(run, journal_copy):
    before = snapshot(journal_copy)
    result = run("--data-dir", str(journal_copy), "reflect", "the", "x", code=1)
    assert (
        "matches several books" in result.stderr
        and "the-hobbit (The Hobbit by J. R. R. Tolkien)" in result.stderr
    )
    assert snapshot(journal_copy) == before


# --- the rules themselves, without the CLI ----------------------------------------------------------------
BOOKS = [Candidate(slug, title, (author,)) for slug, title, author in [
    ("dune", "Dune", "Frank Herbert"),
    ("dune-messiah", "Dune Messiah", "Frank Herbert"),
    ("good-book", "Good Book", "Someone"),
    ("emma", "Emma", "Jane Austen"),
    ("emma-2", "Emma", "Someone Else"),
    ("middlemarch", "Middlemarch", "George Eliot"),
    ("jesus-son", "Jesus' Son", "Denis Johnson"),
]]  # fmt: skip


def _find(query: str, fuzzy: bool = False):
    return find_in(query, BOOKS, fuzzy=fuzzy)


def test_lookup_rules():
    assert _find("dune").slug == "dune" and _find("dune").how is Match.TITLE
    with pytest.raises(NotSureBook):
        _find("dune m")  # words of a title: a write does not take it
    assert (
        _find("dune m", fuzzy=True).slug == "dune-messiah" and _find("dune m", fuzzy=True).how is Match.WORDS
    )
    assert _find("emma by austen").slug == "emma" and _find("emma by austen").how is Match.TITLE
    with pytest.raises(AmbiguousBook):
        _find("emma")
    for query in ("march", "us", "children of dune", "no such book anywhere", "the book thief"):
        with pytest.raises(BookNotFound):
            _find(query)
        with pytest.raises(BookNotFound):
            _find(query, fuzzy=True)
    assert _find("midlemarch", fuzzy=True).how is Match.TYPO
    with pytest.raises(NotSureBook):
        _find("midlemarch")  # a write never takes a typo


# --- shell completion --------------------------------------------------------------------------------------
def test_completion_offers_matching_slugs(run, journal_copy, tmp_path):
    run("--data-dir", str(journal_copy), "list")  # builds the index completion reads
    env = {
        **os.environ,
        "READLOG_HOME": str(journal_copy),
        "_READLOG_COMPLETE": "complete_bash",
        "COMP_WORDS": "readlog reflect the-gr",
        "COMP_CWORD": "2",
    }
    done = subprocess.run(
        [sys.executable, "-m", "readlog"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert set(done.stdout.split()) == {"the-grapes-of-wrath", "the-great-gatsby"}, (done.stdout, done.stderr)
    env["COMP_WORDS"] = "readlog show never"
    done = subprocess.run(
        [sys.executable, "-m", "readlog"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stdout.split() == ["never-let-me-go"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(run, shell):
    script = run("completion", shell).stdout
    assert "_READLOG_COMPLETE" in script
    assert run("completion", "tcsh", code=2).stderr.startswith("readlog: error: SHELL:")  # a usage error
