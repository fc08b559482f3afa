"""The derived index: always agrees with the files, whoever changed them; search, filters and stats on it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import snapshot
from readlog import bookfile
from readlog.journal import Journal


def truth(books: Path) -> list[tuple[str, str, str | None]]:
    """What the files say, read directly: the index must agree with this."""
    rows = []
    for path in sorted(books.glob("*.toml")):
        book = bookfile.parse(path.read_text(), str(path))
        rows.append((path.stem, book.title, book.status))
    return rows


def listed(run) -> list[tuple[str, str, str | None]]:
    return sorted((r["slug"], r["title"], r["status"]) for r in json.loads(run("list", "--json").stdout))


def index_files(journal_home: Path) -> list[Path]:
    return list((journal_home.parent / "cache").glob("index-*.sqlite3"))


def test_index_agrees_with_the_files_whoever_changes_them(run, books, journal_home):
    run("add", "Dune", "-a", "Frank Herbert")
    run("add", "Piranesi", "-a", "Susanna Clarke", "--status", "reading")
    assert listed(run) == truth(books)  # after add
    run("reflect", "dune", "Spice and sand.")
    run("add", "Emma", "-a", "Jane Austen")
    assert listed(run) == truth(books)  # after edits by readlog
    path = books / "dune.toml"
    path.write_text(path.read_text().replace('title = "Dune"', 'title = "Dune Messiah"'))
    assert listed(run) == truth(books)  # after a hand edit
    (books / "emma.toml").unlink()
    assert listed(run) == truth(books)  # after a delete
    os.rename(books / "piranesi.toml", books / "the-house.toml")
    assert listed(run) == truth(books)  # after a rename
    for index in index_files(journal_home):
        index.unlink()
    assert listed(run) == truth(books)  # after the index is deleted
    assert [slug for slug, *_ in listed(run)] == ["dune", "the-house"]


def test_a_change_behind_readlogs_back_shows_in_search(run, books):
    run("add", "Dune", "-a", "Frank Herbert", "--review", "Sand everywhere.")
    assert json.loads(run("search", "sand", "--json").stdout)[0]["slug"] == "dune"
    path = books / "dune.toml"
    path.write_text(path.read_text().replace("Sand everywhere.", "Water is precious."))
    assert json.loads(run("search", "sand", "--json").stdout) == []
    assert json.loads(run("search", "precious", "--json").stdout)[0]["part"] == "review"


def test_a_corrupt_index_is_rebuilt(run, journal_home):
    run("add", "Dune", "-a", "Frank Herbert")
    run("list")
    (index,) = index_files(journal_home)
    index.write_bytes(b"this is not a database" * 100)
    assert "Dune" in run("list").stdout


def test_without_a_writable_cache_readlog_still_works(run, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("READLOG_CACHE", str(blocker / "cache"))
    run("add", "Dune", "-a", "Frank Herbert", "--review", "Sand.")
    assert "Dune" in run("list").stdout
    assert json.loads(run("search", "sand", "--json").stdout)[0]["slug"] == "dune"


@pytest.fixture
def library(run):
    run(
        "add",
        "The Sea",
        "-a",
        "John Banville",
        "--review",
        "## Grief\n\nThe sea takes and gives back memory.\n",
        "-r",
        "4",
    )
    run(
        "add",
        "Atonement",
        "-a",
        "Ian McEwan",
        "--review",
        "A memorable book about the cost of a lie by the sea.",
    )
    run("add", "Emma", "-a", "Jane Austen", "--review", "Matchmaking, memories of nothing at sea.", "-r", "3")
    run("reflect", "atonement", "The sea, the sea: I keep remembering it.")
    run(
        "quote",
        "emma",
        "Silly things do cease to be silly if they are done by sensible people.",
        "--page",
        "200",
    )
    run(
        "next",
        "add",
        "Saturday",
        "-a",
        "Ian McEwan",
        "--from",
        "atonement",
        "--why",
        "The same author, one day in London.",
    )


def test_search_ranks_snippets_and_parts(run, library):
    hits = json.loads(run("search", "sea", "--json").stdout)
    assert hits[0]["slug"] == "the-sea" and hits[0]["part"] == "title"  # the title outranks passing mentions
    assert {h["part"] for h in hits} >= {"title", "review", "reflection"}
    review = next(h for h in hits if h["slug"] == "atonement" and h["part"] == "review")
    start, end = review["highlights"][0]
    assert review["snippet"][start:end].lower() == "sea"
    out = run("search", "sea", "--format", "table").stdout
    assert "[review: ]" not in out and "Atonement — Ian McEwan" in out and "[reflection: 20" in out


def test_search_phrases_prefixes_and_parts(run, library):
    phrase = json.loads(run("search", '"the sea takes"', "--json").stdout)
    assert [(h["slug"], h["part"]) for h in phrase] == [("the-sea", "review")]
    prefix = {(h["slug"], h["part"]) for h in json.loads(run("search", "memor*", "--json").stdout)}
    assert prefix == {("the-sea", "review"), ("atonement", "review"), ("emma", "review")}
    quotes = json.loads(run("search", "silly", "--in", "quotes", "--json").stdout)
    assert [(h["slug"], h["label"]) for h in quotes] == [("emma", "p. 200")]
    assert json.loads(run("search", "silly", "--in", "review", "--json").stdout) == []
    picks = json.loads(run("search", "london", "--in", "picks", "--json").stdout)
    assert [(h["slug"], h["label"]) for h in picks] == [("atonement", "Saturday")]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "*",
        "AND",
        "(",
        ")",
        "sea AND",
        "NEAR(sea memory)",
        "title:sea",
        "-sea",
        '"unclosed',
        "^sea",
        "sea OR",
        "' OR 1=1 --",
    ],
)
def test_search_special_characters_are_safe(run, library, query):
    result = run("search", "--json", "--", query)
    assert isinstance(json.loads(result.stdout), list)
    assert "sqlite" not in result.stderr.lower()


def test_search_without_fts5_still_finds(run, library, journal_home):
    from readlog.index import Index
    from readlog.journal import BookLoader

    journal = Journal(journal_home)
    index = Index(journal.books_dir, BookLoader(journal_home), None, use_fts=False)
    index.sync()
    hits = index.search("memor*", ("review",))
    assert {h.slug for h in hits} == {"the-sea", "atonement", "emma"}
    assert all("\ue000" in h.snippet for h in hits)
    assert index.fts_notice


def test_reindex(run, library):
    assert "Indexed 3 book files" in run("reindex").stderr
    assert json.loads(run("search", "sea", "--json").stdout)


@pytest.fixture
def shelf(books):
    books.mkdir(parents=True)
    files = {
        "a": 'title = "Alpha"\nauthors = ["Ann Lee"]\nstatus = "read"\nrating = 4.5\ntags = ["sf"]\npages = 300\nadded = 2023-01-01\n[[reads]]\nstarted = 2023-12-20\nfinished = 2024-01-10\n',
        "b": 'title = "Beta"\nauthors = ["Bo Park"]\nstatus = "read"\nrating = 3\ntags = ["essays"]\npages = 120\nadded = 2023-02-01\n[[reads]]\nfinished = 2023-06-01\n[[reads]]\nstarted = 2024-03-01\nfinished = 2024-03-05\n',
        "c": 'title = "Gamma"\nauthors = ["Ann Lee", "Cy Ode"]\nstatus = "read"\nrating = 5\ntags = ["sf", "classic"]\npages = 500\nadded = 2024-05-01\n[[reads]]\nstarted = 2024-05-01\nfinished = 2024-05-31\n',
        "d": 'title = "Delta"\nauthors = ["Di Ray"]\nstatus = "want"\nadded = 2024-06-01\n',
        "e": 'title = "Epsilon"\nauthors = ["Ed Sun"]\nstatus = "abandoned"\nrating = 1.5\nadded = 2022-01-01\n',
    }
    for slug, text in files.items():
        (books / f"{slug}.toml").write_text(text)
    return books


def titles(run, *args):
    return [r["title"] for r in json.loads(run("list", "--json", *args).stdout)]


def test_list_filters_and_sorts(run, shelf):
    assert titles(run, "--status", "read") == ["Gamma", "Beta", "Alpha"]
    assert titles(run, "--status", "want,abandoned", "--sort", "title") == ["Delta", "Epsilon"]
    assert titles(run, "--tag", "SF", "--sort", "title") == ["Alpha", "Gamma"]
    assert titles(run, "--author", "lee", "--sort", "title") == ["Alpha", "Gamma"]
    assert titles(run, "--rating", ">=4.5", "--sort", "rating") == ["Gamma", "Alpha"]
    assert titles(run, "--rating", "<3", "--sort", "title") == ["Epsilon"]
    assert titles(run, "--rating", "3") == ["Beta"]
    assert titles(run, "--year", "2024", "--sort", "title") == ["Alpha", "Beta", "Gamma"]
    assert titles(run, "--year", "2023") == ["Beta"]
    assert titles(run, "--from", "2024-03", "--to", "2024-04", "--sort", "title") == ["Beta"]
    assert titles(run, "--to", "2023", "--sort", "title") == ["Beta"]
    assert titles(run, "--sort", "author") == ["Alpha", "Gamma", "Beta", "Delta", "Epsilon"]
    assert titles(run, "--sort", "finished") == ["Gamma", "Beta", "Alpha", "Delta", "Epsilon"]
    assert titles(run, "--sort", "added") == ["Delta", "Gamma", "Beta", "Alpha", "Epsilon"]
    assert titles(run, "--sort", "title", "--limit", "2") == ["Alpha", "Beta"]


def test_list_limits_the_table_and_says_so(run, shelf):
    result = run("list", "--limit", "2", "--format", "table")
    assert len(result.stdout.strip().splitlines()) == 3  # header + 2 rows
    assert "showing 2 of 5 books" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rating", ">=6"], "is not a rating"),
        (["--rating", "good"], "is not a number"),
        (["--sort", "colour"], "Invalid value for '--sort': 'colour' is not one of"),
        (["--from", "2024-02-30"], "--from: '2024-02-30' is not a valid date"),
        (["--status", "done"], "--status: 'done' is not a status"),
        (["--limit", "-1"], "Invalid value for '--limit': -1 is not in the range x>=0"),
        (["--from", "2025", "--to", "2024"], "--from 2025 is after --to 2024"),
    ],
)
def test_list_bad_filters_are_usage_errors(run, shelf, args, message):
    assert message in run("list", *args, code=2).stderr


STATS_AT_100 = """\
╭─ Books by year ──────────────────────────────────────────────────────────────────────────────────╮
│                                                                                                  │
│  2023 █████████████                            1 book · 120 pages                                │
│  2024 ████████████████████████████████████████ 3 books · 920 pages                               │
╰──────────────────────────────────────────────────────────────────────────────────────────────────╯
"""


def test_stats_rendered_and_json(run, shelf, journal_home):
    out = run("stats").stdout
    assert out.startswith(STATS_AT_100)
    for part in (
        "2024 by month",
        "Jan ████",
        "Ratings",
        "★★★★★    5",
        "Top authors",
        "Ann Lee",
        "Top tags",
        "sf",
    ):
        assert part in out, part
    assert "4 readings finished  ·  18.3 days to finish on average  ·  1 book read more than once" in out
    data = json.loads(run("stats", "--json").stdout)
    assert data["books_per_year"] == {"2023": 1, "2024": 3}
    assert data["pages_per_year"] == {"2023": 120, "2024": 920}
    assert data["books_per_month"]["2024-05"] == 1 and len(data["books_per_month"]) == 12
    assert data["ratings"] == {"3": 1, "4.5": 1, "5": 1}
    assert data["top_authors"][0] == {"name": "Ann Lee", "books": 2}
    assert data["average_days_to_finish"] == 18.3 and data["rereads"] == 1
    in_2023 = json.loads(run("stats", "--year", "2023", "--json").stdout)
    assert in_2023["finished"] == 1 and in_2023["ratings"] == {"3": 1}


def test_goal(run, shelf, journal_home):
    (journal_home / "goals.toml").write_text("# my reading goals\n[goals]\n2023 = 12\n")
    result = run("goal", "2", "--year", "2024")
    out = result.stdout
    assert "Goal for 2024: 2 books" in result.stderr and "3 of 2 books" in out and "Goal reached." in out
    assert (journal_home / "goals.toml").read_text() == "# my reading goals\n[goals]\n2023 = 12\n2024 = 2\n"
    data = json.loads(run("stats", "--year", "2023", "--json").stdout)
    assert data["goal"]["target"] == 12 and data["goal"]["done"] == 1 and data["goal"]["remaining"] == 11
    assert "no goal for 2019" in run("goal", "--year", "2019", code=1).stderr
    assert (
        "goal: 0 is out of range" in run("goal", "0", code=2).stderr
    )  # a typed value out of its range: usage


def test_writes_that_skip_the_sweep_still_see_a_title_edited_in_place(run, books):
    """A write command trusts the index without looking at every file only while the books folder is
    unchanged; a title edited in place (same inode, as nano saves) is caught by checking the file found."""
    run("add", "Dune", "-a", "Frank Herbert")
    run("add", "Emma", "-a", "Jane Austen")
    run("list")
    path = books / "dune.toml"
    with open(path, "r+", encoding="utf-8") as handle:  # in place: the folder's own stamp does not change
        text = handle.read().replace('title = "Dune"', 'title = "Arrakis"')
        handle.seek(0)
        handle.write(text)
        handle.truncate()
    before = path.read_bytes()
    assert (
        "no book in the journal is 'dune by herbert'" in run("reflect", "dune by herbert", "x", code=1).stderr
    )
    assert path.read_bytes() == before
    run("reflect", "arrakis", "found by its new title")
    assert "found by its new title" in path.read_text()
    # And readlog's own writes keep the index current without a sweep: the next list needs no parse.
    run("rate", "emma", "4")
    assert "★★★★☆" in run("list", "--format", "table").stdout


def test_the_index_agrees_after_a_git_checkout_of_an_older_version(run, books, tmp_path):
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    run("add", "Dune", "-a", "Frank Herbert", "--review", "first version about sand")
    git = ["git", "-C", str(books), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "one"], check=True)
    run("review", "dune", "second version about wind", "--replace")
    assert "Dune" in run("search", "wind", "--format", "table").stdout
    subprocess.run([*git, "checkout", "-q", "--", "dune.toml"], check=True)
    table = ("--format", "table")
    assert (
        "Dune" in run("search", "sand", *table).stdout
        and "No matches" in run("search", "wind", *table).stdout
    )


def test_a_cold_build_of_many_files_uses_worker_processes_and_agrees(run, books, journal_home):
    from readlog.index import PARALLEL_FROM

    books.mkdir(parents=True)
    count = PARALLEL_FROM + 50
    for n in range(count):
        (books / f"book-{n:05d}.toml").write_text(
            f'title = "Book {n}"\nauthors = ["Author {n % 7}"]\nstatus = "read"\nrating = {n % 5 + 1}\n'
        )
    (books / "broken.toml").write_text('title = "Broken"\nrating = \n')
    (books / "bad-field.toml").write_text('title = "Bad"\nrating = 9\n')
    out = run("reindex").stderr
    assert f"Indexed {count + 2} book files" in out
    listed = json.loads(run("list", "--json").stdout)
    assert len(listed) == count and {b["rating"] for b in listed} == {1, 2, 3, 4, 5}
    result = run("list", "--limit", "1")
    assert "broken.toml:2:10: invalid TOML" in result.stderr and "bad-field.toml" in result.stderr
    assert "Book 1234" in run("search", "1234").stdout


def test_the_queue_total_counts_what_the_whole_queue_lists(run, books):
    """`next` says how many items the whole queue holds; it counts them from the picks alone, and must
    agree with the queue it would list (read picks left out, each book once, wanted books after)."""
    for n in range(8):
        run("add", f"Source {n}", "-a", "Writer")
        for m in range(4):
            run("next", "add", f"Pick {(n + m) % 6}", "-a", "Someone", "--from", f"source {n}")
    run("add", "Pick 2", "-a", "Someone")  # read: its pick drops out of the queue
    for n in range(5):
        run("next", "add", f"Wanted {n}", "-a", "Else")
    run("next", "add", "Pick 4", "-a", "Someone")  # wanted and picked: listed once, under its pick
    # A pick naming a journal book's title by another author is not that book: an open item of its own.
    run("next", "add", "Source 3", "-a", "Stranger", "--from", "source 0")
    run("next", "add", "Source 3", "-a", "Stranger", "--from", "source 1")  # the same one twice: once
    run("next", "add", "Wanted 1", "--from", "source 2", "-a", "Else")  # picked, and wanted: once
    run("next", "add", "Reading Now", "-a", "Someone", "--from", "source 5")
    run("add", "Reading Now", "-a", "Someone", "--status", "reading")
    for flags in ([], ["--all"]):
        whole = json.loads(run("next", "--limit", "0", "--json", *flags).stdout)
        queued = [item for item in whole if "series" not in item]
        keys = [(item["slug"] or item["title"], tuple(item["authors"])) for item in queued]
        assert len(keys) == len(set(keys))  # each item once
        cut = run("next", "--limit", "2", "--format", "table", *flags)
        assert f"of {len(whole)} in your queue" in cut.stderr
        titles = [item["title"] for item in queued]
        assert titles.count("Source 3") == 1 and titles.count("Wanted 1") == 1
        assert ("Pick 2" in titles) == bool(flags)  # a read pick: only with --all


def test_an_index_error_names_the_index_file_and_the_way_to_mend_it(run, journal_home, monkeypatch):
    """An index that fails at a query (pages damaged on disk, where SQLite only finds it when it reads them):
    one line naming the index file and `readlog reindex`, exit 1, no traceback, the book files untouched."""
    import sqlite3

    run("add", "Dune", "-a", "Frank Herbert", "--review", "Sand everywhere.")
    run("list")
    (index,) = index_files(journal_home)
    before = snapshot(journal_home / "books")

    def damaged(self: object, *args: object, **kwargs: object) -> None:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(Journal, "fresh_index", damaged)
    failed = run("search", "sand", code=1)
    assert failed.stdout == ""
    assert failed.stderr == (
        f"readlog: error: the index cache at {index} could not be used (database disk image is malformed); "
        "`readlog reindex` rebuilds it\n"
    )
    assert snapshot(journal_home / "books") == before
