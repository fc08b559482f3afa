"""Reads, writes and `check` agree on which book a BOOK names (identity.py): a one-word slug that is also
another book's whole title is the slug's file for `show` (said on stderr), refused for a write naming
`kindred.toml`, and named by `check`, as are two files whose names and titles are crossed."""

from __future__ import annotations

import json


def _kindred(books, slug, title="Kindred", author="Octavia E. Butler"):
    books.mkdir(parents=True, exist_ok=True)
    (books / f"{slug}.toml").write_text(f'title = "{title}"\nauthors = ["{author}"]\n', encoding="utf-8")


def test_show_says_which_book_it_showed_and_a_write_names_the_file_way(run, books):
    _kindred(books, "kindred")
    _kindred(books, "kindred-copy", author="Someone Else")
    shown = run("show", "kindred", input="")
    assert "readlog: showing kindred.toml, kindred (Kindred by Octavia E. Butler)" in shown.stderr
    assert "'kindred' is also the whole title of kindred-copy (Kindred by Someone Else)" in shown.stderr
    refused = run("rate", "kindred", "3", input="", code=1).stderr
    assert "it is the slug of kindred.toml" in refused and "give `kindred.toml`" in refused
    run("rate", "kindred.toml", "3")
    assert "rating = 3" in (books / "kindred.toml").read_text()
    assert "also the whole title" not in run("show", "kindred.toml").stderr


def test_check_names_a_one_word_name_that_is_another_books_title(run, books):
    _kindred(books, "kindred")
    _kindred(books, "kindred-copy", author="Someone Else")
    result = run("check")  # a notice, not a problem: both files are sound
    assert (
        f"{books / 'kindred.toml'}: `kindred` is this file's name and the whole title of kindred-copy.toml"
        in (result.stdout)
    )
    assert "1 title naming two files" in result.stderr


def test_check_names_crossed_files_as_a_problem(run, books):
    _kindred(books, "kindred", title="Beloved", author="Toni Morrison")
    _kindred(books, "beloved")
    report = json.loads(run("check", "--json", code=1).stdout)
    crossed = [p for p in report["problems"] if p["kind"] == "crossed-name"]
    assert len(crossed) == 1, report
    assert "names are crossed" in crossed[0]["message"]
    assert "shows this file" in crossed[0]["message"]


def test_check_names_two_files_of_one_title_that_are_not_one_book(run, books):
    _kindred(books, "the-road", title="The Road", author="Cormac McCarthy")
    _kindred(books, "the-road-2", title="The Road", author="Jack London")
    out = run("check").stdout
    assert out.count("the same title as") == 1  # one line for the pair
    assert f"{books / 'the-road.toml'}: the same title as the-road-2.toml (The Road)" in out
