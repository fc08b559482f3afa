"""Session 21's try-out (21b #8): `--create none` called an authorless `Twilight` "not in the journal" when
two books are (it was skipped because it may be either), and "Twilight: 2 highlights added" never said which
*Twilight* got them. A skipped clipping names the books it may be; a book whose title another book has is
named by its slug and authors."""

from __future__ import annotations

from datetime import datetime

from test_highlights_import import record, write


def clip(title: str, loc: str, text: str) -> str:
    return record(title, loc, datetime(2024, 1, 1, 10, 3), text)


def lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if not line.startswith("readlog:")]


def test_near_miss_a_title_no_other_book_has_is_named_by_its_title_alone(run, tmp_path):
    run("add", "Dune", "-a", "Frank Herbert")
    run("add", "Twilight", "-a", "Stephenie Meyer")
    out = run("import", str(write(tmp_path, clip("Dune (Herbert, Frank)", "10-11", "Fear.").encode()))).stderr
    assert lines(out)[0] == "Dune: 1 highlight added"


def test_a_book_whose_title_another_book_has_is_named_by_its_slug(run, tmp_path):
    run("add", "Twilight", "-a", "Stephenie Meyer")
    run("add", "Twilight", "-a", "Meg Cabot")
    raw = clip("Twilight (Cabot, Meg)", "10-11", "Ghosts.") + clip("Twilight (Cabot, Meg)", "20-21", "More.")
    out = run("import", str(write(tmp_path, raw.encode()))).stderr
    assert lines(out)[0] == "twilight-cabot (Twilight by Meg Cabot): 2 highlights added"


def test_two_new_books_of_one_title_in_one_file_are_told_apart(run, tmp_path):
    raw = clip("Twilight (Meyer, Stephenie)", "10-11", "Bella.") + clip(
        "Twilight (Cabot, Meg)", "10-11", "Ghosts."
    )
    out = lines(run("import", str(write(tmp_path, raw.encode()))).stderr)
    assert out[:2] == [
        "twilight (Twilight by Stephenie Meyer; new, read): 1 highlight added",
        "twilight-cabot (Twilight by Meg Cabot; new, read): 1 highlight added",
    ]
    dry = run("import", str(write(tmp_path, raw.encode(), "other.txt")), "--dry-run")
    assert dry.stdout == ""  # nothing new: no line each (t33j), the count only
    assert "nothing new in 2 books (2 already here)" in dry.stderr


def test_create_none_names_the_books_an_ambiguous_clipping_may_be(run, tmp_path, books):
    run("add", "Twilight", "-a", "Stephenie Meyer")
    run("add", "Twilight", "-a", "Meg Cabot")
    raw = clip("Twilight", "91-92", "Authorless alone.") + clip(
        "Glass Orchards (Lindqvist, Maj)", "5-6", "Glass."
    )
    out = run("import", str(write(tmp_path, raw.encode())), "--create", "none").stderr
    assert lines(out) == [
        "skipped (more than one book in the journal may be it; --create none): Twilight: "
        "twilight (Twilight by Stephenie Meyer) or twilight-cabot (Twilight by Meg Cabot)",
        "skipped (not in the journal; --create none): Glass Orchards",
        "kindle highlights: 0 added to 0 books (0 created); 1 book not in the journal skipped (--create none); "
        "1 skipped as more than one journal book may be it (--create none); 0 rejected",
    ]
    assert "not in the journal; --create none): Twilight" not in out


def test_create_none_says_which_book_a_clipping_only_maybe_is(run, tmp_path):
    run("add", "The Salt Road: A Novel of the Sahel", "-a", "Ada Okafor")
    raw = clip("The Salt Road (Okafor, Ada)", "5-6", "A road is a promise.")
    out = lines(run("import", str(write(tmp_path, raw.encode())), "--create", "none").stderr)
    assert out[0] == (
        "skipped (not in the journal; --create none): The Salt Road: may be the-salt-road-a-novel-of-the-sahel "
        "(The Salt Road: A Novel of the Sahel by Ada Okafor), not surely"
    )
    assert out[1].endswith("1 book not in the journal skipped (--create none); 0 rejected")
