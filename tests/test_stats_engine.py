"""One stats engine: `readlog stats` and the site's year pages are the same arithmetic over the same answers
(the index's in SQL, the books' in memory), so they agree on every figure, for every year, including the
readings that are easy to count twice or not at all: re-reads (in one year and across years), readings
stopped unfinished, a book finished once after a stopped attempt, a re-read still open, books read with no
date, dates given as a year or a month alone, books with no page count, ties among authors, and more authors
than the top ten."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readlog import bookfile, stats
from readlog.index.aggregates import Finished
from readlog.journal import Journal
from readlog.model import Book, Read
from readlog.stats import BooksLedger, Ledger

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def book(title: str, authors: list[str], status: str, reads: list[dict[str, str]], **more: object) -> str:
    lines = ["schema = 1", f"title = {json.dumps(title)}", f"authors = {json.dumps(authors)}"]
    lines.append(f'status = "{status}"')
    for key, value in more.items():
        lines.append(f"{key} = {json.dumps(value)}")
    for read in reads:
        lines.append("\n[[reads]]")
        lines += [f"{key} = {value}" for key, value in read.items()]  # TOML dates, bare
    return "\n".join(lines) + "\n"


SHELF = {
    # read in 2023, read again in 2025: a re-read in each of those years
    "salt-roads": book(
        "Salt Roads",
        ["Ines Varga"],
        "read",
        [
            {"started": "2023-01-05", "finished": "2023-02-10"},
            {"started": "2025-03-01", "finished": "2025-03-20"},
        ],
        rating=4.5,
        tags=["sea", "travel"],
        pages=320,
    ),
    # finished in a month given alone, started on a day: not timed; no page count
    "the-lantern-keeper": book(
        "The Lantern Keeper",
        ["Ines Varga"],
        "read",
        [{"started": "2024-05-02", "finished": '"2024-06"'}],
        rating=4,
        tags=["sea"],
    ),
    # finished in a year given alone: in 2024's count and pages, in no month
    "winter-orchard": book(
        "Winter Orchard", ["Tomás Ruiz"], "read", [{"finished": '"2024"'}], rating=3.25, pages=210
    ),
    # stopped unfinished: abandoned in 2024, never read
    "glass-harbour": book(
        "Glass Harbour",
        ["Émile Durand", "Tomás Ruiz"],
        "abandoned",
        [{"started": "2024-02-01", "stopped": "2024-03-15"}],
        pages=500,
        tags=["sea"],
    ),
    # a stopped attempt in 2023, then finished in 2024: one finished reading, no re-read
    "quiet-machines": book(
        "Quiet Machines",
        ["Ade Okafor"],
        "read",
        [
            {"started": "2023-03-01", "stopped": "2023-04-02"},
            {"started": "2024-09-01", "finished": "2024-09-30"},
        ],
        rating=5,
        pages=150,
        tags=["machines"],
    ),
    # finished in 2022, being read again now: counts in 2022, its open reading nowhere
    "the-long-field": book(
        "The Long Field",
        ["Ade Okafor"],
        "reading",
        [{"started": "2022-10-01", "finished": "2022-11-11"}, {"started": "2025-01-10"}],
        rating=3.5,
        pages=400,
    ),
    # read, with no date at all: in no year, month or page count, but in the all-time ratings
    "no-dates-at-all": book("No Dates At All", ["Wren Ashby"], "read", [], rating=2, tags=["memoir"]),
    # finished twice in 2024: two readings that year, and a re-read
    "twice-in-one-year": book(
        "Twice In One Year",
        ["Wren Ashby"],
        "read",
        [
            {"started": "2024-01-01", "finished": "2024-01-10"},
            {"started": "2024-12-01", "finished": "2024-12-20"},
        ],
        pages=100,
        tags=["memoir", "sea"],
    ),
    "someday-maybe": book("Someday Maybe", ["Ines Varga"], "want", [], tags=["sea"]),
}
# 2025: twelve short books by eleven authors, so the top ten has a cut and ties ordered by name
# (code points: "bell hooks" after every capital, "Åsa" and "Ørsted" after "bell")
NAMES = ["Zoe Park", "bell hooks", "Åsa Lind", "Ørsted Holm", "Amir Haddad", "Amir Haddad", "Cleo Marsh"]
NAMES += ["Dov Stern", "Eun Seo", "Faye Lowe", "Gil Moss", "Hal Ives"]
for number, name in enumerate(NAMES, 1):
    SHELF[f"short-{number}"] = book(
        f"Short {number}",
        [name],
        "read",
        [{"started": f"2025-{number:02d}-01", "finished": f"2025-{number:02d}-{number + 2:02d}"}],
        rating=[1, 1.5, 2.75, 3, 5][number % 5],
        pages=number * 10,
        tags=["short", f"t{number % 3}"],
    )
YEARS = (2022, 2023, 2024, 2025)


@pytest.fixture
def shelf(journal_home: Path) -> Path:
    folder = journal_home / "books"
    folder.mkdir(parents=True)
    for slug, text in SHELF.items():
        (folder / f"{slug}.toml").write_text(text, encoding="utf-8")
    return journal_home


class YearPage(HTMLParser):
    """The figures a year page shows: its numbers, its month table, and its ratings, authors and tags."""

    def __init__(self, html: str):
        super().__init__()
        self.numbers: dict[str, str] = {}
        self.months: list[list[str]] = []
        self.lists: dict[str, list[dict[str, str]]] = {"ratings": [], "authors": [], "tags": []}
        self._section = ""
        self._stack: list[tuple[str, str]] = []  # open (tag, class)
        self._dt = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section":
            self._section = found.get("aria-labelledby") or ""
        if tag == "tr" and self._section == "months":
            self.months.append([])
        if tag == "li" and self._section in self.lists:
            self.lists[self._section].append({})
        self._stack.append((tag, found.get("class") or ""))

    def handle_endtag(self, tag: str) -> None:
        while self._stack and self._stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if not self._stack or not data.strip():
            return
        tag, css = self._stack[-1]
        if tag == "dt":
            self._dt = data.strip()
        elif tag == "dd":
            self.numbers[self._dt] = data.strip()
        elif tag in ("th", "td") and self._section == "months" and self.months:
            self.months[-1].append(data.strip())
        elif self._section in self.lists and self.lists[self._section] and (tag == "a" or tag == "span"):
            self.lists[self._section][-1][css or tag] = data.strip()


def _pages(shown: str) -> int | None:
    """A page count as a year page shows it: `?` (no book has one: `null` in `stats --json`), `600+` (some
    have)."""
    return None if shown == "?" else int(shown.removesuffix("+"))


def page_figures(html: str) -> dict[str, object]:
    """A year page's figures in `stats --json`'s words."""
    page = YearPage(html)
    rows = [row for row in page.months if row and row[0] in MONTHS]
    days = page.numbers.get("Days per book")
    return {
        "finished": int(page.numbers["Books finished"]),
        "pages": _pages(page.numbers["Pages"]),
        "average_days_to_finish": float(days) if days is not None else None,
        "rereads": int(page.numbers.get("Re-reads", "0")),
        "books_per_month": [int(row[1]) for row in rows],
        "pages_per_month": [_pages(row[2]) for row in rows],
        "ratings": {
            item["visually-hidden"].removesuffix(" out of 5"): int(item["count"].split()[0])
            for item in page.lists["ratings"]
        },
        "top_authors": [{"name": item["a"], "books": int(item["count"])} for item in page.lists["authors"]],
        "top_tags": [{"tag": item["a"], "books": int(item["count"])} for item in page.lists["tags"]],
    }


def stats_figures(data: dict[str, object], year: int) -> dict[str, object]:
    """The same figures from `readlog stats --year YEAR --json`."""
    months = data["books_per_month"]
    pages = data["pages_per_month"]
    assert isinstance(months, dict) and isinstance(pages, dict) and isinstance(data["pages_per_year"], dict)
    assert list(months) == [f"{year}-{n:02d}" for n in range(1, 13)]
    return {
        "finished": data["finished"],
        "pages": data["pages_per_year"].get(str(year), 0),
        "average_days_to_finish": data["average_days_to_finish"],
        "rereads": data["rereads"],
        "books_per_month": list(months.values()),
        "pages_per_month": list(pages.values()),
        "ratings": data["ratings"],
        "top_authors": data["top_authors"],
        "top_tags": data["top_tags"],
    }


def test_the_year_pages_show_the_figures_of_stats_year_json(run, shelf, tmp_path):
    out = tmp_path / "site"
    run("site", str(out), "--all")
    for year in YEARS:
        data = json.loads(run("stats", "--year", str(year), "--json").stdout)
        html = (out / "years" / f"{year}.html").read_text(encoding="utf-8")
        assert page_figures(html) == stats_figures(data, year), year
    # the index of years counts what stats counts
    listing = (out / "years.html").read_text(encoding="utf-8")
    everything = json.loads(run("stats", "--json").stdout)
    for year in YEARS:
        assert f'href="years/{year}.html"' in listing
    assert sorted(everything["books_per_year"]) == [str(y) for y in YEARS]  # no page for "no date"


def test_the_figures_are_the_ones_a_reader_would_count(run, shelf):
    """Not only equal: right. Worked out by hand from SHELF."""
    y2024 = json.loads(run("stats", "--year", "2024", "--json").stdout)
    # twice-in-one-year (2), the-lantern-keeper, winter-orchard, quiet-machines; glass-harbour is abandoned
    assert y2024["finished"] == 5 and y2024["abandoned"] == 1
    assert y2024["pages_per_year"]["2024"] == 100 + 100 + 0 + 210 + 150
    assert y2024["books_per_month"]["2024-01"] == 1 and y2024["books_per_month"]["2024-12"] == 1
    assert (
        y2024["books_per_month"]["2024-06"] == 1 and sum(y2024["books_per_month"].values()) == 4
    )  # not "2024"
    assert y2024["rereads"] == 1  # twice-in-one-year; not quiet-machines (a stopped attempt is no reading)
    assert y2024["average_days_to_finish"] == round((9 + 19 + 29) / 3, 1)  # the lantern keeper is not timed
    assert y2024["ratings"] == {"3.25": 1, "4": 1, "5": 1}
    assert [a["name"] for a in y2024["top_authors"]] == [
        "Ade Okafor",
        "Ines Varga",
        "Tomás Ruiz",
        "Wren Ashby",
    ]
    y2025 = json.loads(run("stats", "--year", "2025", "--json").stdout)
    assert y2025["finished"] == 13 and y2025["rereads"] == 1  # salt-roads, read in 2023 too
    names = [a["name"] for a in y2025["top_authors"]]
    assert names[0] == "Amir Haddad" and len(names) == 10
    assert names[1:] == [
        "Cleo Marsh",
        "Dov Stern",
        "Eun Seo",
        "Faye Lowe",
        "Gil Moss",
        "Hal Ives",
        "Ines Varga",
    ] + [
        "Zoe Park",
        "bell hooks",
    ]  # ties by code point: "Åsa Lind" and "Ørsted Holm" fall off the top ten
    y2022 = json.loads(run("stats", "--year", "2022", "--json").stdout)
    assert y2022["finished"] == 1 and y2022["ratings"] == {
        "3.5": 1
    }  # a book being read again counts its year
    y2023 = json.loads(run("stats", "--year", "2023", "--json").stdout)
    # salt-roads' 2023 reading is its first: no re-read of 2023 (try-out 28a #4), 2025's is one
    assert y2023["abandoned"] == 1 and y2023["finished"] == 1 and y2023["rereads"] == 0
    ever = json.loads(run("stats", "--json").stdout)
    assert ever["finished"] == 1 + 1 + 5 + 13 and ever["undated"] == 1 and ever["abandoned"] == 2
    assert ever["rereads"] == 2  # salt-roads and twice-in-one-year (the long field is being read, not read)
    assert ever["ratings"]["2"] == 1  # the undated book is read: in the all-time ratings
    assert json.loads(run("stats", "--year", "1999", "--json").stdout)["ratings"] == {}


def answers(ledger: Ledger, year: int | None) -> Iterator[object]:
    """Every answer stats asks a ledger for, in a form that compares (order aside)."""
    yield sorted(ledger.finished_periods())
    yield sorted(ledger.abandoned())
    yield sorted(ledger.rereads())
    yield ledger.undated()
    scope = None if year is None else sorted(ledger.finished_in(year))
    yield scope
    yield ledger.rereads_in(year) if year is not None else None
    yield sorted(ledger.rating_counts(scope))
    yield sorted(ledger.name_counts("author", scope))
    yield sorted(ledger.name_counts("tag", scope))


@pytest.mark.parametrize("year", [None, 1999, *YEARS])
def test_the_index_and_the_books_answer_alike(shelf, year):
    journal = Journal(shelf)
    books = {slug: journal.load(slug).book for slug in journal.slugs()}
    assert list(answers(journal.fresh_index(), year)) == list(answers(BooksLedger(books), year))


def test_the_site_counts_only_what_it_publishes(run, shelf, tmp_path):
    """A private book is in `stats` (the reader's own numbers) and in no page: the pages count the public
    books with the same engine, so they differ from `stats` by exactly that book."""
    private = book(
        "Kept To Myself",
        ["Ines Varga"],
        "read",
        [{"started": "2024-03-01", "finished": "2024-03-05"}],
        pages=77,
        private=True,
    )
    (shelf / "books" / "kept-to-myself.toml").write_text(private, encoding="utf-8")
    out = tmp_path / "site"
    run("site", str(out))
    data = json.loads(run("stats", "--year", "2024", "--json").stdout)
    shown = page_figures((out / "years" / "2024.html").read_text(encoding="utf-8"))
    assert shown["finished"] == data["finished"] - 1 and shown["pages"] == data["pages_per_year"]["2024"] - 77
    assert "Kept To Myself" not in (out / "years" / "2024.html").read_text(encoding="utf-8")


def test_a_goal_is_counted_against_the_same_figures(run, shelf):
    (shelf / "goals.toml").write_text("[goals]\n2024 = 4\n2025 = 20\n")
    goal = json.loads(run("goal", "--year", "2024", "--json").stdout)
    assert goal["done"] == 5 and goal["remaining"] == 0 and goal["undated"] == 1
    data = json.loads(run("stats", "--year", "2025", "--json").stdout)
    assert data["goal"]["done"] == data["finished"] == 13 and data["goal"]["target"] == 20


def test_compute_is_arithmetic_over_any_ledger():
    """A ledger that is neither the index nor books: stats asks it, adds up, and asks nothing else."""

    class Asked:
        def __init__(self) -> None:
            self.scopes: list[object] = []

        def finished_periods(self) -> list[stats.Finished]:
            return [
                Finished("2024-03", 2, 500, 30, 2, 1),  # (one of the two with a page count)
                Finished("2024", 1, 100, 0, 0, 1),
                Finished("2023-12", 1, 50, 7, 1, 1),
            ]

        def abandoned(self) -> list[tuple[str, int]]:
            return [("2024", 3), ("2023", 1)]

        def finished_in(self, year: int) -> list[str]:
            return {2024: ["a", "b"], 2023: ["c"]}.get(year, [])

        def rereads(self) -> list[tuple[str, str | None, int]]:
            return [("a", "read", 0), ("c", "reading", 0)]

        def rereads_in(self, year: int) -> int:
            return {2024: 1}.get(year, 0)

        def rating_counts(self, slugs: object) -> list[tuple[float, int]]:
            self.scopes.append(slugs)
            return [(4.0, 1), (2.5, 2)]

        def name_counts(self, kind: str, slugs: object) -> list[tuple[str, int]]:
            return [("b", 2), ("a", 2), ("c", 5)]

        def undated(self) -> int:
            return 4

    ledger = Asked()
    got = stats.compute(ledger, 2024, {2024: 10}, today=date(2024, 7, 1))
    assert (got.finished, got.pages_per_year, got.abandoned, got.rereads) == (
        3,
        {"2023": 50, "2024": 600},
        3,
        1,
    )
    assert got.books_per_month["2024-03"] == 2 and sum(got.books_per_month.values()) == 2
    assert got.books_with_pages_per_year == {"2023": 1, "2024": 2}
    assert got.books_with_pages_per_month["2024-03"] == 1
    assert got.average_days_to_finish == 15.0 and got.ratings == {"2.5": 2, "4": 1}
    assert got.top_authors == [("c", 5), ("a", 2), ("b", 2)] and got.undated == 4
    assert got.goal is not None and got.goal.done == 3 and got.goal.undated == 4
    assert ledger.scopes == [["a", "b"]]
    ever = stats.compute(ledger, None, {}, today=date(2024, 7, 1))
    assert (
        ever.finished == 4 and ever.abandoned == 4 and ever.rereads == 2
    )  # "c", read again now: still twice
    assert ever.average_days_to_finish == round(37 / 3, 1) and ledger.scopes[-1] is None
    assert list(ever.books_per_month)[0] == "2024-01"  # the latest year's months
    empty = stats.compute(ledger, 1999, {}, today=date(2024, 7, 1))
    assert empty.finished == 0 and empty.ratings == {} and empty.top_authors == []
    assert ledger.scopes[-1] is None  # a year with no book finished asks nothing about books


# --- any shelf: the two ledgers answer alike, so `stats` over the index and over the books are one ------

DATES = [None, date(2023, 1, 5), date(2023, 12, 31), date(2024, 2, 29), "2024", "2024-07", date(2025, 6, 1)]
ENDS = [
    date(2023, 3, 1),
    date(2024, 1, 1),
    date(2024, 12, 31),
    "2024",
    "2024-07",
    "2025-01",
    date(2025, 6, 30),
]


def _read(kind: str, started: object, end: object) -> Read:
    if kind == "finished":
        return Read(started=started, finished=end)  # type: ignore[arg-type]
    if kind == "stopped":
        return Read(started=started, stopped=end)  # type: ignore[arg-type]
    return Read(started=started or date(2025, 1, 1))  # type: ignore[arg-type]


reads_strategy = st.lists(
    st.builds(
        _read,
        st.sampled_from(["finished", "finished", "stopped"]),
        st.sampled_from(DATES),
        st.sampled_from(ENDS),
    ),
    max_size=3,
)
books_strategy = st.lists(
    st.builds(
        lambda status, rating, pages, authors, tags, reads, still: Book(
            title="x",
            authors=authors,
            status=status,
            rating=rating,
            pages=pages,
            tags=tags,
            reads=reads + ([_read("open", None, None)] if still else []),
        ),
        st.sampled_from(["read", "read", "reading", "abandoned", "want", "paused"]),
        st.sampled_from([None, 1, 2.5, 4.25, 5]),
        st.sampled_from([None, 1, 350]),
        st.lists(
            st.sampled_from(["Ann Lee", "Bo Ng", "Çelik Ada", "ann lee"]), min_size=1, max_size=2, unique=True
        ),
        st.lists(st.sampled_from(["sea", "Sea", "war", "été"]), max_size=2, unique=True),
        reads_strategy,
        st.booleans(),
    ),
    min_size=1,
    max_size=8,
)


def shelf_settings(examples: int) -> settings:
    """Hypothesis' settings for a test that writes a journal of generated books (a temporary folder each)."""
    too_slow = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
    return settings(max_examples=examples, suppress_health_check=too_slow, deadline=None)


def journal_of(folder: str, shelf: list[Book]) -> Journal:
    """A journal in `folder` of the books of `shelf`, titled Book 0, Book 1, ... (their files book-0.toml...)."""
    home = Path(folder)
    (home / "books").mkdir()
    for number, one in enumerate(shelf):
        one.title = f"Book {number}"
        (home / "books" / f"book-{number}.toml").write_text(bookfile.dumps(one), encoding="utf-8")
    return Journal(home)


@shelf_settings(40)
@given(shelf_books=books_strategy)
def test_any_shelf_gives_the_same_stats_from_the_index_and_from_its_books(shelf_books, tmp_path):
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        journal = journal_of(folder, shelf_books)
        books = {slug: journal.load(slug).book for slug in journal.slugs()}
        index = journal.fresh_index()
        for year in (None, 1999, 2023, 2024, 2025):
            assert list(answers(index, year)) == list(answers(BooksLedger(books), year)), year
            today = date(2024, 6, 1)
            goals = {2024: 3}
            from_index = stats.compute(index, year, goals, today).to_json()
            assert from_index == stats.compute(BooksLedger(books), year, goals, today).to_json(), year
        index.close()


def test_an_abandoned_book_with_no_day_of_stopping_is_counted_in_no_year(run, shelf):
    # An export's DNF shelf (Goodreads "dropped", StoryGraph's did-not-finish) gives abandoned books with no
    # reading: `list --status abandoned` lists them, so the all-time count must hold them too; no year can.
    folder = shelf / "books"
    (folder / "dropped-one.toml").write_text(book("Dropped One", ["Kai Moss"], "abandoned", []), "utf-8")
    undated_stop = book(
        "Dropped Two", ["Kai Moss"], "abandoned", [{"started": "2024-03-01"}]
    )  # (no stop day)
    (folder / "dropped-two.toml").write_text(undated_stop, "utf-8")
    ever = json.loads(run("stats", "--json").stdout)
    listed = run("list", "--status", "abandoned", "--format", "tsv").stdout.strip().splitlines()
    # readings stopped unfinished (SHELF: two, one of them of a book read since) and the two books; `list`
    # lists the book read since too, as stats counts it (review 33a #4)
    assert ever["abandoned"] == 2 + 2 and len(listed) == 4
    assert "4 abandoned (not counted as read)" in run("stats").stdout
    assert json.loads(run("stats", "--year", "2024", "--json").stdout)["abandoned"] == 1  # as before
    journal = Journal(shelf)
    books = {slug: journal.load(slug).book for slug in journal.slugs()}
    assert sorted(journal.fresh_index().abandoned()) == sorted(BooksLedger(books).abandoned())
    assert ("", 2) in BooksLedger(books).abandoned()
