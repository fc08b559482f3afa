"""The same-work policy where a user meets it: `add` (sure: no duplicate; maybe: asks on a terminal,
refuses in a script; `--new`), imports (maybe: kept as its own book), `check` (lists the pairs with the
command that merges them) and `readlog merge A B`."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from conftest import snapshot


def book_file(books: Path, slug: str) -> dict:
    return tomllib.loads((books / f"{slug}.toml").read_text())


def slugs(books: Path) -> list[str]:
    return sorted(p.stem for p in books.glob("*.toml"))


# --- add ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "author"),
    [
        ("gilead", "Robinson"),  # case, surname alone
        ("Gilead (Gilead #1)", "Marilynne Robinson"),  # a series parenthetical
        ("Gilead: A Novel", "Robinson, Marilynne"),  # a label subtitle, Last, First
        ("The Gilead", "M. Robinson"),  # an article, an initial
    ],
)
def test_add_of_a_book_surely_in_the_journal_refers_to_it(run, books, unchanged, title, author):
    run("add", "Gilead", "-a", "Marilynne Robinson")
    unchanged_now = snapshot(books)
    result = run("add", title, "-a", author, code=1)
    assert "already in the journal as 'gilead'" in result.stderr
    assert snapshot(books) == unchanged_now


@pytest.mark.parametrize(
    ("title", "author"),
    [
        ("Gilead", "Brian Robinson"),  # another person with the surname
        ("Gilead Revisited", "Marilynne Robinson"),  # only starts alike
        ("Gilead: Part Two", "Marilynne Robinson"),  # a part (`Gilead: Book 2` is a place: a maybe, t28h)
    ],
)
def test_add_of_another_work_is_a_new_book(run, books, title, author):
    run("add", "Gilead", "-a", "Marilynne Robinson")
    run("add", title, "-a", author)
    assert len(slugs(books)) == 2


def test_add_of_a_maybe_refuses_in_a_script_naming_the_book(run, books):
    run("add", "Educated: A Memoir of Mountains and Schools", "-a", "Tara Westover")
    before = snapshot(books)
    result = run("add", "Educated", "-a", "Westover", code=1)
    assert "may be the same book as educated-a-memoir-of-mountains-and-schools" in result.stderr
    assert "(Educated: A Memoir of Mountains and Schools by Tara Westover)" in result.stderr
    assert "--new" in result.stderr
    assert snapshot(books) == before
    run("add", "Educated", "-a", "Westover", "--new")  # the reader says it is another book
    assert slugs(books) == ["educated", "educated-a-memoir-of-mountains-and-schools"]


def test_add_new_makes_a_separate_book_even_of_a_sure_match(run, books):
    run("add", "Gilead", "-a", "Marilynne Robinson")
    run("add", "Gilead", "-a", "Marilynne Robinson", "--new")
    assert slugs(books) == ["gilead", "gilead-robinson"]


def test_next_add_of_a_maybe_is_refused_too(run, books):
    run("add", "Educated: A Memoir of Mountains and Schools", "-a", "Tara Westover")
    before = snapshot(books)
    result = run("next", "add", "Educated", "-a", "Tara Westover", code=1)
    assert "may be the same book" in result.stderr
    assert snapshot(books) == before


def _on_terminal(args: list[str], answer: bytes, home: Path, tmp_path: Path) -> tuple[int, str]:
    """readlog on a pseudo-terminal; when it asks [y/N], type `answer` and Enter."""
    import pty
    import select
    import subprocess
    import sys
    import time

    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": "200", "TERM": "dumb", "READLOG_HOME": str(home),
           "READLOG_CACHE": str(tmp_path / "cache")}  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "readlog", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=tmp_path,
    )
    os.close(slave)
    shown = b""
    asked = False
    end = time.monotonic() + 60
    try:
        while time.monotonic() < end:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                shown += chunk
                if not asked and b"[y/N]" in shown:
                    os.write(master, answer + b"\r")
                    asked = True
            elif process.poll() is not None:
                break
        process.wait(timeout=30)
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
    return process.returncode, shown.decode(errors="replace")


@pytest.mark.parametrize("answer", [b"", b"n"])
def test_add_of_a_maybe_asks_on_a_terminal_and_enter_adds_nothing(run, books, journal_home, tmp_path, answer):
    run("add", "Educated: A Memoir of Mountains and Schools", "-a", "Tara Westover")
    before = snapshot(books)
    code, shown = _on_terminal(
        ["add", "Educated", "-a", "Tara Westover", "--finished", "2024-01-01"], answer, journal_home, tmp_path
    )
    assert "may be the same book as educated-a-memoir-of-mountains-and-schools" in shown
    assert "Add it as a separate book? [y/N]" in shown
    assert code == 1 and snapshot(books) == before


def test_add_of_a_maybe_on_a_terminal_y_adds_a_separate_book(run, books, journal_home, tmp_path):
    run("add", "Educated: A Memoir of Mountains and Schools", "-a", "Tara Westover")
    code, shown = _on_terminal(
        ["add", "Educated", "-a", "Tara Westover", "--finished", "2024-01-01"], b"y", journal_home, tmp_path
    )
    assert code == 0, shown
    assert slugs(books) == ["educated", "educated-a-memoir-of-mountains-and-schools"]


# --- import, check, merge -------------------------------------------------------------------------------------
GR_HEADER = (
    "Book Id,Title,Author,Author l-f,ISBN,ISBN13,My Rating,Date Read,Date Added,Exclusive Shelf,My Review"
)
SG_HEADER = "Title,Authors,ISBN/UID,Format,Read Status,Date Added,Last Date Read,Dates Read,Read Count,Star Rating,Review"


def test_a_maybe_in_an_import_is_kept_as_its_own_book_and_check_names_the_merge(run, books, tmp_path):
    goodreads = tmp_path / "goodreads.csv"
    goodreads.write_text(
        GR_HEADER + "\n"
        '101,Educated: A Memoir of Mountains and Schools,Tara Westover,"Westover, Tara",,,5,2021/03/04,'
        "2021/01/01,read,Stayed with me.\n"
        '102,Gilead,Marilynne Robinson,"Robinson, Marilynne",,,4,2020/02/02,2020/01/01,read,\n'
    )
    storygraph = tmp_path / "storygraph.csv"
    storygraph.write_text(
        SG_HEADER + "\n"
        "Educated,Tara Westover,,paperback,read,2022/05/05,2022/06/06,2022/05/05-2022/06/06,1,4.5,\n"
        "Gilead: A Novel,Marilynne Robinson,,audio,read,2022/07/07,2022/08/08,2022/07/07-2022/08/08,1,5,\n"
    )
    run("import", str(goodreads))
    result = run("import", str(storygraph))
    assert "may be the same book as educated-a-memoir-of-mountains-and-schools" in result.stderr
    # Gilead: A Novel is surely Gilead: joined; Educated only maybe: its own book
    assert slugs(books) == ["educated", "educated-a-memoir-of-mountains-and-schools", "gilead"]
    check = run("check", code=0)
    assert "maybe the same book as educated-a-memoir-of-mountains-and-schools.toml" in check.stdout
    assert "readlog merge educated-a-memoir-of-mountains-and-schools educated" in check.stdout
    assert "1 maybe the same book" in check.stderr

    run("merge", "educated-a-memoir-of-mountains-and-schools", "educated")
    assert slugs(books) == ["educated-a-memoir-of-mountains-and-schools", "gilead"]
    merged = book_file(books, "educated-a-memoir-of-mountains-and-schools")
    assert len(merged["reads"]) == 2
    assert "maybe the same book" not in run("check").stdout


def test_merge_keeps_every_reading_review_reflection_and_quote(run, books, journal_home):
    run("add", "The Gilead Letters", "-a", "Marilynne Robinson", "-r", "4", "--finished", "2020-02-02",
        "--review", "Quiet and huge.", "--tag", "faith")  # fmt: skip
    run("add", "The Gilead Letters", "-a", "M. Robinson", "-r", "5", "--finished", "2023-03-03", "--review", "Even better.",
        "--tag", "iowa", "--new")  # fmt: skip
    run("reflect", "the-gilead-letters", "The letter form works.")
    run("reflect", "the-gilead-letters-robinson", "Ames and his son.")
    run(
        "quote",
        "the-gilead-letters",
        "It has seemed to me sometimes as though the Lord breathes on this poor gray ember",
    )
    run("quote", "the-gilead-letters-robinson", "There are a thousand thousand reasons to live this life.")
    trashed_before = (
        set((journal_home / "trash").glob("*.toml")) if (journal_home / "trash").exists() else set()
    )
    result = run("merge", "the-gilead-letters", "the-gilead-letters-robinson")
    assert "Merged the-gilead-letters-robinson into the-gilead-letters" in result.stderr
    assert "kept rating 4 (the-gilead-letters-robinson had 5)" in result.stderr
    assert slugs(books) == ["the-gilead-letters"]
    book = book_file(books, "the-gilead-letters")
    assert [str(r["finished"]) for r in book["reads"]] == ["2020-02-02", "2023-03-03"]
    assert book["review"]["body"].strip() == "Quiet and huge."
    texts = [r["text"].strip() for r in book["reflections"]]
    assert "The letter form works." in texts and "Ames and his son." in texts
    assert "Even better." in texts  # B's review, kept as a reflection
    assert len(book["quotes"]) == 2
    assert book["tags"] == ["faith", "iowa"]
    assert book["rating"] == 4
    trashed = set((journal_home / "trash").glob("the-gilead-letters-robinson.*.toml")) - trashed_before
    assert len(trashed) == 1  # B went to the trash: `readlog restore` can bring it back
    assert "the-gilead-letters-robinson" in run("restore").stdout


def test_merge_refuses_the_same_book_twice_and_a_partial_title(run, books):
    run("add", "Gilead", "-a", "Marilynne Robinson")
    run("add", "Home", "-a", "Marilynne Robinson")
    before = snapshot(books)
    assert "same file" in run("merge", "gilead", "Gilead", code=1).stderr
    run("merge", "gilead", "hom", code=1)  # not a sure BOOK: nothing merged
    run("merge", "gilead", "no-such-book", code=1)
    assert snapshot(books) == before


def test_merge_of_two_imported_editions_keeps_both_ids(run, books, tmp_path):
    first = tmp_path / "one.csv"
    first.write_text(
        GR_HEADER + '\n201,Home,Marilynne Robinson,"Robinson, Marilynne",,,4,2019/01/01,2019/01/01,read,\n'
    )
    run("import", str(first))
    run("add", "Home: A Novel of Gilead", "-a", "Marilynne Robinson", "--finished", "2024-04-04", "--new")
    run("merge", "home", "home-a-novel-of-gilead")
    again = run("import", str(first))  # the Goodreads id still finds the merged book
    assert slugs(books) == ["home"]
    assert "Home" in again.stdout or again.stderr is not None


# --- a real cross-source join: one reader's Goodreads, then StoryGraph -----------------------------------------
REAL = Path(
    os.environ.get("READLOG_TEST_IMPORTS")
    or Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "imports"
)


@pytest.mark.skipif(
    not (REAL / "goodreads-more").is_dir(),
    reason=f"the real exports are not here ({REAL}; READLOG_TEST_IMPORTS)",
)
def test_real_goodreads_then_storygraph_never_joins_a_maybe(run, books):
    """Just Mercy (StoryGraph) and Just Mercy: A Story of Justice and Redemption (Goodreads) by one author
    are a maybe: two books, listed by `check` with the merge that joins them; never silently one."""
    run("import", str(REAL / "goodreads-more" / "goodreads_aaronj1335_reading_2026-06-25.csv"))
    run("import", str(REAL / "storygraph_tranguyeenn_optimization-books-engine.csv"))
    mercy = [s for s in slugs(books) if s.startswith("just-mercy")]
    assert len(mercy) == 2, mercy
    from readlog.cli import app

    check = run.runner.invoke(app, ["check"])
    line = next(
        line for line in check.stdout.splitlines() if "maybe the same book" in line and "Mercy" in line
    )
    assert "readlog merge just-mercy" in line
