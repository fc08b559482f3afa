"""A book readlog cannot see is named by `check` with the way out: `Upper.TOML` (readlog lists only
`*.toml`), renamed by `check --fix` as a `Space Name.toml` is; a book file in a folder of books/, with the
exact `mv` that brings it in."""

from __future__ import annotations

import json
import shlex


def test_an_upper_case_extension_is_a_book_readlog_cannot_see_and_fix_renames_it(run, books):
    run("add", "Dune", "-a", "Frank Herbert")
    (books / "Upper.TOML").write_text('title = "Upper Book"\nauthors = ["Ann"]\n')
    assert "Upper Book" not in run("list", "--json").stdout  # what the reader met: not listed
    checked = run("check", code=1).stdout
    assert f"{books / 'Upper.TOML'}: a book file readlog cannot see: its name must end in `.toml`" in checked
    assert "not a book file" not in checked
    assert "(readlog check --fix)" in checked
    fixed = run("check", "--fix").stdout
    assert f"renamed {books / 'Upper.TOML'} to upper-book.toml" in fixed
    assert "Upper Book" in run("list", "--json").stdout


def test_an_upper_case_extension_that_does_not_parse_is_named_with_its_mv(run, books):
    (books.mkdir(parents=True))
    (books / "Bad.TOML").write_text('title = "x\n')
    checked = run("check", code=1).stdout
    assert f"`mv -i {books / 'Bad.TOML'} {books / 'bad.toml'}`" in checked
    assert f"{books / 'Bad.TOML'}:1: invalid TOML: title: the string has no closing quote" in checked


def test_a_book_file_in_a_folder_is_named_with_the_mv_that_brings_it_in(run, books):
    run("add", "Dune", "-a", "Frank Herbert")
    (books / "sub").mkdir()
    inside = books / "sub" / "subdir book.toml"
    inside.write_text('title = "Subdir Book"\n')
    (books / "empty-folder").mkdir()
    report = json.loads(run("check", "--json", code=1).stdout)
    by_path = {p["path"]: p for p in report["problems"]}
    problem = by_path[str(inside)]
    assert problem["kind"] == "unseen-file"
    mv = f"mv -i {shlex.quote(str(inside))} {books / 'subdir-book.toml'}"  # (a name readlog reads)
    assert f"`{mv}` brings it in" in problem["message"]
    assert by_path[str(books / "empty-folder")]["message"].startswith("not a book file")
    (books / "dune.toml").rename(books / "sub" / "dune.toml")
    (books / "dune.toml").write_text('title = "Other"\n')
    taken = json.loads(run("check", "--json", code=1).stdout)
    said = {p["path"]: p["message"] for p in taken["problems"]}[str(books / "sub" / "dune.toml")]
    # (taken: a free name of its title's, never over the book there: review 32b #8)
    assert f"`mv -i {books / 'sub' / 'dune.toml'} {books / 'dune-herbert.toml'}` brings it in" in said
