"""A book whose title has no letters or digits (`.`, `😀`, `📚📚`): `list` on a terminal shows the slug to
type beside such a title (and only such a title), at every width; `search` finds it by its symbols."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from test_colour import on_pty

LETTERLESS = {".": "book", "😀": "grinning", "📚📚": "books-books", "?!...": "book-y"}


@pytest.fixture
def journal(run, journal_home: Path) -> Path:
    for title in LETTERLESS:
        run("add", "-a", "X Y", "--", title)
    run("add", "Dune", "-a", "Frank Herbert")
    run("add", "I ❤ NY", "-a", "X Y")  # letters and a symbol: typed by its words
    slugs = {json.loads(run("show", slug, "--json").stdout)["title"]: slug for slug in _slugs(run)}
    assert {t: slugs[t] for t in LETTERLESS} == LETTERLESS  # the slugs add gave them
    return journal_home


def _slugs(run) -> list[str]:
    return [line.split("\t")[0] for line in run("list").stdout.splitlines()]


def _on_terminal(journal_home: Path, columns: int, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(READLOG_HOME=str(journal_home), READLOG_PAGER="", TERM="xterm", NO_COLOR="1")
    out, code = on_pty(["list", *args], env, columns)
    assert code == 0, out
    return re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", out.decode()).replace("\r", "")


@pytest.mark.parametrize("columns", [40, 60, 80, 160])
def test_list_on_a_terminal_shows_the_slug_of_a_letterless_title_at_every_width(journal, columns):
    shown = _on_terminal(journal, columns)
    for title, slug in LETTERLESS.items():  # (a narrow title column may put the slug on the next line)
        assert re.search(rf"^{re.escape(title)} \(slug:", shown, re.M), (title, shown)
        assert re.search(rf"(?:\(slug: |^){slug}\)", shown, re.M), (slug, shown)
    assert shown.count("(slug:") == len(LETTERLESS)  # Dune, I ❤ NY: their titles can be typed
    assert re.search(r"^Dune\b", shown, re.M) and "I ❤ NY" in shown


def test_the_slug_shown_is_one_show_takes(journal, run):
    shown = _on_terminal(journal, 80)
    slugs = re.findall(r"\(slug: ([^)]+)\)", shown)
    assert sorted(slugs) == sorted(LETTERLESS.values())
    for slug in slugs:
        assert json.loads(run("show", slug, "--json").stdout)["title"] in LETTERLESS


def test_piped_list_is_unchanged_slug_first_title_as_it_is(journal, run):
    lines = run("list").stdout.splitlines()
    assert "grinning\t😀\tX Y\tread\t\t" in lines
    assert not any("(slug:" in line for line in lines)


def _search(run, query: str, *args: str) -> list[tuple[str, str]]:
    hits = json.loads(run("search", query, "--json", *args).stdout)
    return [(hit["slug"], hit["part"]) for hit in hits]


def test_search_finds_a_title_of_emoji(journal, run):
    assert _search(run, "😀") == [("grinning", "title")]
    assert _search(run, "📚📚") == [("books-books", "title")]
    assert _search(run, "📚 📚") == [("books-books", "title")]  # spaces aside
    assert _search(run, "❤") == [("i-heart-ny", "title")]  # a symbol inside a title with words


def test_search_of_symbols_puts_the_exact_title_first(journal, run):
    assert _search(run, ".") == [("book", "title"), ("book-y", "title")]  # `.` itself, then `?!...`
    assert _search(run, "...") == [("book-y", "title")]
    assert _search(run, "?!...") == [("book-y", "title")]


def test_search_of_symbols_marks_them_in_the_snippet(journal, run):
    hit = json.loads(run("search", "😀", "--json").stdout)[0]
    assert hit["title"] == "😀" and hit["snippet"] == "😀 X Y" and hit["highlights"] == [[0, 1]]
    assert run("search", "😀").stdout.startswith("grinning\ttitle\t😀\t")


def test_search_of_symbols_outside_titles_finds_nothing_and_words_are_as_before(journal, run):
    assert _search(run, "😀", "--in", "review") == []  # only titles are looked through for symbols
    assert _search(run, "%%%") == []
    assert _search(run, "dune") == [("dune", "title")]
    assert _search(run, "dune 😀") == [("dune", "title")]  # words decide; the symbol is no word


def test_an_emoji_presentation_selector_is_no_part_of_what_is_looked_for(run):
    """An emoji picker writes ❤ with U+FE0F after it (`❤️`), a keyboard or a copy may not: either finds
    the other."""
    run("add", "Love \u2764\ufe0f Letters", "-a", "X Y")
    run("add", "-a", "X Y", "--", "\u2764")
    assert _search(run, "\u2764") == [("heart", "title"), ("love-heart-letters", "title")]
    assert _search(run, "\u2764\ufe0f") == [("heart", "title"), ("love-heart-letters", "title")]
