"""The query policy (identity): which book a BOOK a reader typed names, as a table of cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import snapshot
from readlog import identity
from readlog.errors import AmbiguousBook, NotSureBook, ReadlogError

# --- the normalisation every policy shares -------------------------------------------------------------
KEYS = [
    ("The Handmaid's Tale", "handmaids tale"),  # apostrophes join
    ("the handmaids tale", "handmaids tale"),
    ("Catch-22", "catch 22"),  # hyphens separate
    ("Catch—22", "catch 22"),  # so do dashes
    ("catch 22", "catch 22"),
    ("Remains of the Day, The", "remains of the day"),  # a trailing `, The` turned round
    ("Klara & the Sun", "klara and the sun"),  # & is and
    ("Klara and the Sun", "klara and the sun"),
    ("L'Étranger", "etranger"),  # accents, and the French article's elision
    ("Der Process", "process"),
    ("A", "a"),  # an article that is the whole title stays
    ("V.", "v"),
    ("An Unkindness of Ghosts", "unkindness of ghosts"),
]


@pytest.mark.parametrize(("title", "key"), KEYS)
def test_title_key(title: str, key: str) -> None:
    assert identity.title_key(title) == key


def test_typed_title_key_keeps_the_article() -> None:
    assert identity.typed_title_key("The Passage") == "the passage"
    assert identity.typed_title_key("Passage") == "passage"
    assert identity.typed_title_key("Remains of the Day, The") == "the remains of the day"


@pytest.mark.parametrize(
    ("title", "main"),
    [
        ("Sapiens: A Brief History of Humankind", "sapiens"),
        ("The Odyssey", "odyssey"),
        ("Dune (Dune #1)", "dune"),
        ("Mistborn: The Final Empire", "mistborn"),
        ("Catch-22", "catch 22"),
    ],
)
def test_main_title_key(title: str, main: str) -> None:
    assert identity.main_title_key(title) == main


# --- the query policy as a table: near misses first --------------------------------------------------
def _book(slug: str, title: str, author: str, aliases: tuple[str, ...] = (), series=()) -> identity.Candidate:
    keys = tuple(k for a in aliases for k in (identity.typed_title_key(a), identity.title_key(a)))
    return identity.Candidate(slug, title, (author,), keys, tuple(series))


SHELF = [
    _book("the-passage", "The Passage", "Justin Cronin"),
    _book("passage", "Passage", "Connie Willis"),
    _book("v", "V.", "Thomas Pynchon"),
    _book("verity", "Verity", "Colleen Hoover"),
    _book("the-odyssey", "The Odyssey", "Homer"),
    _book("the-magicians", "The Magicians", "Lev Grossman"),
    _book("the-magician-s-nephew", "The Magician's Nephew", "C. S. Lewis"),
    _book("catch-22", "Catch-22", "Joseph Heller"),
    _book("the-handmaid-s-tale", "The Handmaid's Tale", "Margaret Atwood"),
    _book("sapiens", "Sapiens: A Brief History of Humankind", "Yuval Noah Harari"),
    _book("the-shining", "The Shining", "Stephen King"),
    _book("the-shining-girls", "The Shining Girls", "Lauren Beukes"),
    _book("something-wicked", "Something Wicked This Way Comes", "Ray Bradbury"),
    _book("klara-and-the-sun", "Klara and the Sun", "Kazuo Ishiguro"),
    _book("the-remains-of-the-day", "The Remains of the Day", "Kazuo Ishiguro"),
    _book("mistborn-1", "Mistborn: The Final Empire", "Brandon Sanderson"),
    _book("mistborn-2", "Mistborn: The Well of Ascension", "Brandon Sanderson"),
    _book("twilight", "Twilight", "Stephenie Meyer"),
    _book("twilight-wiesel", "Twilight", "Elie Wiesel"),
    _book("les-miserables", "Les Misérables", "Victor Hugo"),
    _book("l-etranger", "L'Étranger", "Albert Camus"),
    _book("nineteen-eighty-four", "Nineteen Eighty-Four", "George Orwell", aliases=("1984",)),
    _book("it", "It", "Stephen King"),
    _book("it-ends-with-us", "It Ends with Us", "Colleen Hoover"),
    _book("dracula", "Dracula", "Bram Stoker"),
    _book("dracula-s-guest", "Dracula's Guest", "Bram Stoker"),
    _book("s", "S.", "Doug Dorst"),
    _book("the-lord-of-the-rings", "The Lord of the Rings", "J. R. R. Tolkien"),
    _book("beloved", "Beloved: A Novel", "Toni Morrison"),
    _book("dune-graphic", "Dune: The Graphic Novel, Book 1", "Brian Herbert"),
    _book("the-drawing-of-the-three", "The Drawing of the Three (The Dark Tower, #2)", "Stephen King"),
]

# (query, the slug a write may take without asking, or None: not sure)
QUERIES = [
    # near misses: a complete title that is also words of a longer one, or only words of a title
    ("the shining", "the-shining"),
    ("shining girl", None),
    ("wicked", None),
    ("the passage", "the-passage"),  # the exact title as typed beats the same without its article
    ("passage", "passage"),
    ("V.", "v"),
    ("v", "v"),
    ("ver", None),  # a prefix is not sure: not Verity
    ("the magician", None),  # not The Magicians in a script
    ("it", "it"),
    ("it ends", None),
    ("dracula", "dracula"),
    ("dracula's", None),
    ("mistborn", None),  # two main titles
    ("twilight", None),  # two whole titles
    ("the road", None),
    ("lord rings", None),
    ("the lord of the r", None),
    ("verty", None),  # a typo
    ("sapiens by brian herbert", None),  # an author the book does not have
    ("dune", None),  # the main title of a part or an adaptation is not sure
    # positives
    ("odyssey", "the-odyssey"),  # without the article
    ("The Odyssey", "the-odyssey"),
    ("catch 22", "catch-22"),  # hyphens separate
    ("CATCH-22", "catch-22"),
    ("the handmaids tale", "the-handmaid-s-tale"),  # apostrophes join
    ("handmaid's tale", "the-handmaid-s-tale"),
    ("sapiens", "sapiens"),  # the main title
    ("Sapiens: A Brief History of Humankind", "sapiens"),
    ("klara & the sun", "klara-and-the-sun"),  # & = and
    ("Remains of the Day, The", "the-remains-of-the-day"),  # a trailing `, The` turned round
    ("remains of the day", "the-remains-of-the-day"),
    ("mistborn the final empire", "mistborn-1"),
    ("twilight by meyer", "twilight"),  # TITLE by AUTHOR: surname
    ("twilight by Elie Wiesel", "twilight-wiesel"),  # full name
    ("the lord of the rings by jrr tolkien", "the-lord-of-the-rings"),  # initials in any spacing
    ("lord of the rings by J.R.R. Tolkien", "the-lord-of-the-rings"),
    ("les miserables", "les-miserables"),  # accents
    ("miserables", "les-miserables"),  # a French article
    ("l'etranger", "l-etranger"),
    ("etranger", "l-etranger"),
    ("1984", "nineteen-eighty-four"),  # an alias
    ("s", "s"),
    ("S.", "s"),
    ("beloved", "beloved"),
    ("the drawing of the three", "the-drawing-of-the-three"),  # a series parenthetical is not the title
]


@pytest.mark.parametrize(("query", "slug"), QUERIES)
def test_the_query_policy(query: str, slug: str | None) -> None:
    if slug is not None:
        found = identity.find_in(query, SHELF)
        assert found.slug == slug and found.how.sure
    else:
        with pytest.raises(ReadlogError) as refused:
            identity.find_in(query, SHELF)
        assert not isinstance(refused.value, identity.Found)


def test_not_sure_candidates_come_likeliest_first() -> None:
    with pytest.raises(AmbiguousBook) as refused:
        identity.find_in("the magician", SHELF)
    assert [c.slug for c in refused.value.candidates][:2] == ["the-magicians", "the-magician-s-nephew"]
    assert "the-magicians (The Magicians by Lev Grossman)" in str(refused.value)
    with pytest.raises(NotSureBook) as refused:
        identity.find_in("ver", SHELF)
    assert [c.slug for c in refused.value.candidates] == ["verity"]


def test_a_read_only_command_may_show_one_not_sure_match() -> None:
    assert identity.find_in("shining girl", SHELF, fuzzy=True).slug == "the-shining-girls"
    assert identity.find_in("verty", SHELF, fuzzy=True).slug == "verity"
    with pytest.raises(AmbiguousBook):
        identity.find_in("mistborn", SHELF, fuzzy=True)


@pytest.mark.parametrize(
    ("typed", "name", "same"),
    [
        ("tolkien", "J. R. R. Tolkien", True),
        ("jrr tolkien", "J. R. R. Tolkien", True),
        ("J.R.R. Tolkien", "John Ronald Reuel Tolkien", True),
        ("Tolkien, J. R. R.", "J. R. R. Tolkien", True),
        ("le guin", "Ursula K. Le Guin", True),
        ("ursula le guin", "Ursula K. Le Guin", True),
        ("brian herbert", "Frank Herbert", False),
        ("frank", "Frank Herbert", False),
        ("k orwell", "George Orwell", False),
    ],
)
def test_an_author_a_query_names(typed: str, name: str, same: bool) -> None:
    assert identity.names_author(typed, [name]) is same


# --- through the command line -------------------------------------------------------------------------
def _write(books: Path, slug: str, title: str, author: str, extra: str = "") -> Path:
    books.mkdir(parents=True, exist_ok=True)
    path = books / f"{slug}.toml"
    path.write_text(f'title = "{title}"\nauthors = ["{author}"]\nstatus = "reading"\n{extra}')
    return path


@pytest.fixture
def shelf(books: Path) -> Path:
    for book in SHELF:
        _write(books, book.slug, book.title.replace('"', '\\"'), book.authors[0])
    _write(books, "nineteen-eighty-four", "Nineteen Eighty-Four", "George Orwell", 'aliases = ["1984"]\n')
    return books


WRITES = [
    ("rate", "BOOK", "2"),
    ("reflect", "BOOK", "a thought"),
    ("quote", "BOOK", "a line"),
    ("finish", "BOOK"),
    ("progress", "BOOK", "12"),
    ("review", "BOOK", "a review"),
    ("abandon", "BOOK"),
    ("pause", "BOOK"),
    ("next", "drop", "BOOK"),
]


@pytest.mark.parametrize("command", WRITES, ids=lambda c: " ".join(c[:2]))
def test_a_script_is_refused_a_not_sure_book_naming_it(run, shelf, command) -> None:
    before = snapshot(shelf.parent)
    for query, named in (
        ("it ends", "it-ends-with-us (It Ends with Us by Colleen Hoover)"),
        ("wicked", "something-wicked (Something Wicked This Way Comes by Ray Bradbury)"),
    ):
        result = run(*[query if part == "BOOK" else part for part in command], code=1)
        assert named in result.stderr, result.stderr
        assert snapshot(shelf.parent) == before, (command, query)


def test_a_whole_title_writes_in_a_script(run, shelf) -> None:
    run("rate", "the handmaids tale", "4")
    run("reflect", "klara & the sun", "The sun as a god.")
    run("rate", "the passage", "2")
    assert "rating = 4" in (shelf / "the-handmaid-s-tale.toml").read_text()
    assert "The sun as a god." in (shelf / "klara-and-the-sun.toml").read_text()
    assert "rating = 2" in (shelf / "the-passage.toml").read_text()
    assert "rating" not in (shelf / "passage.toml").read_text()


def test_no_input_refuses_even_on_a_terminal_and_inbox_refuses(run, shelf, journal_home) -> None:
    before = snapshot(shelf)
    result = run("--no-input", "rate", "it ends", "3", code=1)
    assert "it-ends-with-us (It Ends with Us by Colleen Hoover)" in result.stderr
    result = run("rate", "it ends", "3", "--no-input", code=1)
    inbox = journal_home / "inbox.md"
    inbox.write_text("rate: it ends | 3\nreflect: wicked | something\n")
    result = run("inbox", code=1)
    assert "it-ends-with-us (It Ends with Us by Colleen Hoover)" in result.stderr
    assert "something-wicked (Something Wicked This Way Comes by Ray Bradbury)" in result.stderr
    assert inbox.read_text() == "rate: it ends | 3\nreflect: wicked | something\n"
    assert snapshot(shelf) == before


def test_a_removed_slug_names_restore_and_never_falls_back_to_a_title(run, books) -> None:
    _write(books, "the-stranger", "The Stranger", "Albert Camus")
    _write(books, "the-stranger-stevens", "The Stranger", "Chris Stevens")
    run("rm", "the-stranger", "--yes")
    before = snapshot(books)
    commands = (("reflect", "the-stranger", "x"), ("rate", "the-stranger", "3"), ("show", "the-stranger"))
    for command in commands:
        result = run(*command, code=1)
        assert "`readlog restore the-stranger`" in result.stderr
    assert snapshot(books) == before
    run("restore", "the-stranger")
    run("rate", "the-stranger", "3")
    assert "rating = 3" in (books / "the-stranger.toml").read_text()


def test_an_author_that_contradicts_the_match(run, books) -> None:
    _write(books, "the-road-to-wigan-pier", "The Road to Wigan Pier", "George Orwell")
    _write(books, "dune", "Dune", "Frank Herbert")
    before = snapshot(books)
    result = run("rate", "dune by brian herbert", "3", code=1)
    assert "dune (Dune by Frank Herbert)" in result.stderr
    assert "not a book by 'brian herbert'" in result.stderr
    result = run("start", "dune", "--author", "Frank Herbert")
    assert snapshot(books)["dune.toml"] != before["dune.toml"]  # the same author: that book
    # start: another author means another book, never Orwell's or Herbert's
    run("start", "The Road", "--author", "Cormac McCarthy")
    run("start", "Dune", "--author", "Brian Herbert")
    after = snapshot(books)
    assert after["the-road-to-wigan-pier.toml"] == before["the-road-to-wigan-pier.toml"]
    added = {name: text for name, text in after.items() if name not in before}
    assert len(added) == 2
    assert any(b'"Cormac McCarthy"' in text and b'title = "The Road"' in text for text in added.values())
    assert any(b'"Brian Herbert"' in text and b'title = "Dune"' in text for text in added.values())


def test_an_in_place_edit_counts_for_a_write_by_title(run, books) -> None:
    _write(books, "the-passage", "The Passage", "Justin Cronin")
    willis = _write(books, "passage", "Passage", "Connie Willis")
    run("list")  # the index has seen both
    folder = books.stat().st_mtime_ns
    with open(willis, "r+") as handle:  # as nano saves: the same file, rewritten in place
        text = handle.read().replace('title = "Passage"', 'title = "The Passage"')
        handle.seek(0)
        handle.write(text)
        handle.truncate()
    assert books.stat().st_mtime_ns == folder  # the folder's own stamp did not change
    before = snapshot(books)
    result = run("rate", "the passage", "2", code=1)
    assert "matches several books" in result.stderr
    assert "passage (The Passage by Connie Willis)" in result.stderr
    assert snapshot(books) == before
    run("rate", "the-passage", "2")  # a slug is sure
    assert "rating = 2" in (books / "the-passage.toml").read_text()


def test_aliases_find_a_book(run, shelf) -> None:
    run("rate", "1984", "5")
    assert "rating = 5" in (shelf / "nineteen-eighty-four.toml").read_text()
    shown = run("show", "1984", "--json").stdout
    assert '"slug": "nineteen-eighty-four"' in shown and '"aliases"' in shown


def test_next_drop_suggests(run, books) -> None:
    _write(books, "the-lord-of-the-rings", "The Lord of the Rings", "J. R. R. Tolkien")
    result = run("next", "drop", "lotr", code=1)
    assert "the-lord-of-the-rings (The Lord of the Rings by J. R. R. Tolkien)" in result.stderr


# --- suggestions: the book meant, for near misses that find nothing -------------------------------------
def _series(name: str, number: int) -> str:
    return f'series = [{{name = "{name}", number = "{number}"}}]\n'


LIBRARY = [
    ("the-lord-of-the-rings", "The Lord of the Rings", "J. R. R. Tolkien", ""),
    ("the-hobbit", "The Hobbit", "J. R. R. Tolkien", ""),
    ("to-kill-a-mockingbird", "To Kill a Mockingbird", "Harper Lee", ""),
    ("a-game-of-thrones", "A Game of Thrones", "George R. R. Martin", _series("A Song of Ice and Fire", 1)),
    ("hp-1", "Harry Potter and the Philosopher's Stone", "J. K. Rowling", _series("Harry Potter", 1)),
    ("hp-7", "Harry Potter and the Deathly Hallows", "J. K. Rowling", _series("Harry Potter", 7)),
    ("nineteen-eighty-four", "Nineteen Eighty-Four", "George Orwell", ""),
    ("saga-volume-two", "Saga, Volume Two", "Brian K. Vaughan", 'series = [{name = "Saga", number = "2"}]\n'),
    ("saga-volume-one", "Saga, Volume One", "Brian K. Vaughan", 'series = [{name = "Saga", number = "1"}]\n'),
    ("the-night-watch", "The Night Watch", "Sergei Lukyanenko", 'aliases = ["Nochnoi Dozor"]\n'),
    ("fahrenheit-451", "Fahrenheit 451", "Ray Bradbury", ""),
    ("the-catcher-in-the-rye", "The Catcher in the Rye", "J. D. Salinger", ""),
    ("s", "S.", "Doug Dorst", ""),
    ("a", "A", "Louis Zukofsky", ""),
    ("middlemarch", "Middlemarch", "George Eliot", ""),
]  # fmt: skip  (one book a line: the table reads best wide)

# (what a reader typed, the book they meant)
NEAR_MISSES = [
    ("lotr", "the-lord-of-the-rings"),
    ("LOTR", "the-lord-of-the-rings"),
    ("tkam", "to-kill-a-mockingbird"),
    ("got", "a-game-of-thrones"),
    ("asoiaf", "a-game-of-thrones"),
    ("hp7", "hp-7"),
    ("hp1", "hp-1"),
    ("tolkien", "the-hobbit"),
    ("Rowling", "hp-7"),
    ("Orwell", "nineteen-eighty-four"),
    ("1984", "nineteen-eighty-four"),
    ("saga 2", "saga-volume-two"),
    ("saga two", "saga-volume-two"),
    ("harry potter 7", "hp-7"),
    ("nochnoi", "the-night-watch"),
    ("farenheit 451", "fahrenheit-451"),
    ("fahrenheit four fifty one", None),  # not expected: numbers are spelled from digits only
    ("catcher in the rey", "the-catcher-in-the-rye"),
    ("midlemarch", "middlemarch"),
    ("the hobit", "the-hobbit"),
    ("fellowship of the ring", "the-lord-of-the-rings"),
]


@pytest.fixture
def library(books: Path) -> Path:
    for slug, title, author, extra in LIBRARY:
        _write(books, slug, title, author, extra)
    return books


def test_refusals_name_the_book_meant(run, library) -> None:
    named, total, misses = 0, 0, []
    for query, meant in NEAR_MISSES:
        result = run("rate", query, "3", code=1)
        if meant is None:
            continue
        total += 1
        if f"{meant} (" in result.stderr:
            named += 1
        else:
            misses.append((query, result.stderr))
        # no one-letter title is suggested unless the query is that letter
        assert "s (S. by" not in result.stderr and "a (A by" not in result.stderr, (query, result.stderr)
    assert named / total >= 0.8, misses
    assert not misses, misses  # all of these, in fact


def test_a_one_letter_title_is_suggested_for_its_letter(run, library) -> None:
    run("rate", "s", "3")  # the whole title: sure
    assert "rating = 3" in (library / "s.toml").read_text()


# --- on a terminal: a write asks (a real pseudo-terminal) ----------------------------------------------
def _on_terminal(
    args: list[str], answers: list[tuple[bytes, bytes]], cwd: Path, session: bool = False
) -> tuple[int, str]:
    """Run readlog with stdin, stdout and stderr on a pseudo-terminal; when the output shows each marker,
    type its answer (then Enter; Ctrl-C or Ctrl-D alone). The exit code and everything the terminal showed. With `session`, the
    terminal is readlog's own (a session of its own, the terminal its controlling one), so a typed Ctrl-C
    is the signal it is at a shell, not a character."""
    import os
    import pty
    import select
    import subprocess
    import sys
    import time

    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": "200", "TERM": "dumb"}

    def own_terminal() -> None:  # (in the child, before readlog starts)
        import fcntl
        import signal
        import termios

        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)
        # (.ci/run runs the suite in the background, where SIGINT is ignored and a child inherits that)
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    process = subprocess.Popen(
        [sys.executable, "-m", "readlog", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=cwd,
        preexec_fn=own_terminal if session else None,  # noqa: PLW1509 - no threads start before it
    )
    os.close(slave)
    shown = b""

    def read(until: bytes | None, timeout: float = 30) -> None:
        nonlocal shown
        end = time.monotonic() + timeout
        while time.monotonic() < end and (until is None or until not in shown):
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:
                    return
                if not chunk:
                    return
                shown += chunk
            elif until is None and process.poll() is not None:
                return

    try:
        for marker, answer in answers:
            read(marker)
            assert marker in shown, shown.decode(errors="replace")
            if answer == b"\x03":  # (a ^C as the prompt shows may come before readlog reads: see there)
                from test_t20a_prompt import waiting_for_the_reader

                waiting_for_the_reader(process.pid)
            os.write(master, answer if answer in (b"\x03", b"\x04") else answer + b"\r")  # (^C, ^D: alone)
        process.wait(timeout=60)
        read(None, timeout=5)
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
    return process.returncode, shown.decode(errors="replace")


def test_a_terminal_asks_y_writes_enter_does_not(shelf, tmp_path) -> None:
    before = snapshot(shelf)
    code, shown = _on_terminal(["rate", "it ends", "4"], [(b"[y/N]", b"")], tmp_path)
    assert "Rate “It Ends with Us” by Colleen Hoover? [y/N]" in shown
    assert code == 1 and snapshot(shelf) == before  # Enter: nothing written
    code, shown = _on_terminal(["rate", "it ends", "4"], [(b"[y/N]", b"n")], tmp_path)
    assert code == 1 and snapshot(shelf) == before
    code, shown = _on_terminal(["rate", "it ends", "4"], [(b"[y/N]", b"y")], tmp_path)
    assert code == 0, shown
    assert "rating = 4" in (shelf / "it-ends-with-us.toml").read_text()
    assert "rating" not in (shelf / "it.toml").read_text()


def test_a_terminal_offers_a_numbered_choice_for_several(shelf, tmp_path) -> None:
    before = snapshot(shelf)
    code, shown = _on_terminal(["reflect", "mistborn", "Ash falls."], [(b"Enter for none]", b"")], tmp_path)
    assert "1. mistborn-1 (Mistborn: The Final Empire by Brandon Sanderson)" in shown
    assert "2. mistborn-2 (Mistborn: The Well of Ascension by Brandon Sanderson)" in shown
    assert code == 1 and snapshot(shelf) == before
    code, shown = _on_terminal(["reflect", "mistborn", "Ash falls."], [(b"Enter for none]", b"2")], tmp_path)
    assert code == 0, shown
    assert "Ash falls." in (shelf / "mistborn-2.toml").read_text()
    assert "Ash falls." not in (shelf / "mistborn-1.toml").read_text()


def test_a_terminal_with_no_input_is_not_asked(shelf, tmp_path) -> None:
    before = snapshot(shelf)
    code, shown = _on_terminal(["--no-input", "rate", "it ends", "4"], [], tmp_path)
    assert code == 1 and "[y/N]" not in shown and "it-ends-with-us (It Ends with Us" in shown
    assert snapshot(shelf) == before


def test_a_slug_that_is_also_another_books_title_is_not_sure(run, books) -> None:
    _write(books, "twilight", "Twilight", "Stephenie Meyer")
    _write(books, "twilight-wiesel", "Twilight", "Elie Wiesel")
    run("list")
    before = snapshot(books)
    result = run("rate", "twilight", "3", code=1)
    assert "twilight (Twilight by Stephenie Meyer)" in result.stderr
    assert "twilight-wiesel (Twilight by Elie Wiesel)" in result.stderr
    assert snapshot(books) == before
    run("rate", "twilight-wiesel", "3")  # a slug no other title shares
    run("rate", "twilight by meyer", "4")
    assert "rating = 3" in (books / "twilight-wiesel.toml").read_text()
    assert "rating = 4" in (books / "twilight.toml").read_text()


def test_initials_come_before_a_close_spelling(run, books) -> None:
    _write(books, "never-let-me-go", "Never Let Me Go", "Kazuo Ishiguro")
    _write(books, "a-game-of-thrones", "A Game of Thrones", "George R. R. Martin")
    result = run("rate", "GoT", "3", code=1)
    assert "a-game-of-thrones (A Game of Thrones by George R. R. Martin)" in result.stderr


def test_no_input_keeps_every_question_off_a_terminal(shelf, tmp_path) -> None:
    before = snapshot(shelf)
    code, shown = _on_terminal(["rm", "it-ends-with-us", "--no-input"], [], tmp_path)
    assert code == 1 and "[y/N]" not in shown and "--yes" in shown
    assert snapshot(shelf) == before
