"""Pages added up over only some of the books counted say so: `600+ pages` (at least: the rest have no page
count) and a key under the panel, `? p.` where none has one; `stats --json` gives how many have one
(books_with_pages_per_year, _per_month); the site's year page shows `600+` and `?` the same way. Before,
"3 books · 600 pages" read as a total of all three, and a month of books without pages showed 0 pages on
the site."""

from __future__ import annotations

import json
import re
from pathlib import Path

from readlog.render import SOME_PAGES


def _book(books: Path, slug: str, finished: str, pages: int | None) -> None:
    lines = ["schema = 2", f'title = "{slug.title()}"', 'authors = ["An Author"]', 'status = "read"']
    if pages is not None:
        lines.append(f"pages = {pages}")
    lines += ["", "[[reads]]", f"finished = {finished}", ""]
    (books / f"{slug}.toml").write_text("\n".join(lines), encoding="utf-8")


def _shelf(journal_home: Path) -> None:
    books = journal_home / "books"
    books.mkdir(parents=True)
    _book(books, "dune", "2024-03-02", 600)
    _book(books, "emma", "2024-03-09", None)
    _book(books, "ulysses", "2024-05-09", None)
    _book(books, "persuasion", "2023-02-01", 250)  # a year whose every book has pages
    _book(books, "walden", "2023-02-11", 350)


def test_stats_says_the_pages_are_of_some_of_the_books(run, journal_home):
    _shelf(journal_home)
    shown = run("stats", "--year", "2024", env={"COLUMNS": "100"}).stdout
    assert re.search(r"2024 .*3 books · 600\+ pages", shown)
    assert re.search(r"Mar .*2 · 600\+ p\.", shown) and re.search(r"May .*1 · \? p\.", shown)
    assert SOME_PAGES in shown
    data = json.loads(run("stats", "--json").stdout)
    assert data["pages_per_year"] == {"2023": 600, "2024": 600}
    assert data["books_with_pages_per_year"] == {"2023": 2, "2024": 1}
    year = json.loads(run("stats", "--year", "2024", "--json").stdout)
    assert (
        year["books_with_pages_per_month"]["2024-03"] == 1
        and year["books_with_pages_per_month"]["2024-05"] == 0
    )


def test_a_year_whose_books_all_have_pages_says_only_the_total(run, journal_home):
    _shelf(journal_home)
    shown = run("stats", "--year", "2023", env={"COLUMNS": "100"}).stdout
    assert re.search(r"2023 .*2 books · 600 pages", shown) and re.search(r"Feb .*2 · 600 p\.", shown)
    assert SOME_PAGES not in shown.split("2024 ")[0]  # (2024 has books without pages: after its own line)


def test_the_year_page_shows_the_same(run, journal_home, tmp_path):
    _shelf(journal_home)
    out = tmp_path / "site"
    run("site", str(out), "--all")
    page = (out / "years" / "2024.html").read_text(encoding="utf-8")
    assert "<dt>Pages</dt><dd>600+</dd>" in page
    assert re.search(r'<th scope="row">May</th><td class="num">1</td><td class="num">\?</td>', page)
    assert re.search(r'<th scope="row">March</th><td class="num">2</td><td class="num">600\+</td>', page)
    assert re.search(r'<th scope="row">April</th><td class="num">0</td><td class="num">0</td>', page)
    assert "+ not every book here has a page count" in page
    whole = (out / "years" / "2023.html").read_text(encoding="utf-8")
    assert "<dt>Pages</dt><dd>600</dd>" in whole and "not every book" not in whole


def test_json_gives_null_pages_where_the_text_says_pages_unknown(run, journal_home):
    """Try-out 27c #7: `stats --json` gave `0` pages for a year whose books have no page count, where the
    text says `pages unknown` (and a month's `? p.`): `null` now; a month with no book read stays 0."""
    _shelf(journal_home)
    _book(journal_home / "books", "beowulf", "2022-06-01", None)
    data = json.loads(run("stats", "--json").stdout)
    assert data["pages_per_year"] == {"2022": None, "2023": 600, "2024": 600}
    assert re.search(r"2022 .*1 book · pages unknown", run("stats", env={"COLUMNS": "100"}).stdout)
    year = json.loads(run("stats", "--year", "2024", "--json").stdout)
    assert year["pages_per_month"]["2024-05"] is None and year["pages_per_month"]["2024-03"] == 600
    assert year["pages_per_month"]["2024-01"] == 0  # (no book read: no pages, surely)
