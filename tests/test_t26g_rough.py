"""Try-out 26b's rough edges: `add SLUG --reread` of an authorless book; a volume's number in Roman
numerals or words (`Saga, Vol. II`, `Volume Two`, `Book Two`) is the number `Vol. 2` is."""

from __future__ import annotations

import pytest

from readlog.identity import Same, Work, same_work, title_parts
from test_t23c_merge import slugs, toml
from test_t24c_which_book import GR_HEAD, csv_file, sidecar
from test_t24d_which_book import write

BKV = "Brian K. Vaughan"


def test_add_reread_of_an_authorless_book_by_its_slug(run, books):
    """`add the-stand -a "Stephen King" --reread` said the-stand "may be the same book as the-stand", and
    without `-a`: "missing author". The slug was given: it is that book."""
    write(books, "the-stand", "The Stand", [], status="read")
    err = run("add", "the-stand", "-a", "Stephen King", "--reread", "--finished", "2025-01-02").stderr
    assert "Logged another reading of “The Stand”" in err, err
    run("add", "the-stand", "--reread", "--finished", "2025-06-07")
    assert slugs(books) == ["the-stand"]
    book = toml(books, "the-stand")
    assert [str(r["finished"]) for r in book["reads"]] == ["2025-01-02", "2025-06-07"]
    assert not book.get("authors"), book
    # near misses: a title with no author is a BOOK, as `finish TITLE --reread` has it (t27i: it was "missing
    # author"); another author's book is not named by its slug
    run("add", "The Stand", "--reread", "--finished", "2025-08-09")
    assert [str(r["finished"]) for r in toml(books, "the-stand")["reads"]][-1] == "2025-08-09"
    write(books, "dune", "Dune", ["Frank Herbert"])
    write(books, "dune-herbert", "Dune", ["Brian Herbert"])  # (`dune` is also its title: not sure by slug)
    run("add", "dune", "-a", "Frank Herbert", "--reread", "--finished", "2024-01-01")
    assert [str(r["finished"]) for r in toml(books, "dune")["reads"]] == ["2024-01-01"]


@pytest.mark.parametrize("spelled", ["Vol. II", "Volume Two", "Book Two", "Vol. 2", "Book II", "Vol 02"])
def test_a_volume_number_in_words_or_roman_numerals_is_that_number(spelled):
    ko = Work.named("Saga", [BKV], [("Saga", "2")])
    assert same_work(ko, Work.named(f"Saga, {spelled}", [BKV])) is Same.SURE  # (one place: session 28)
    assert same_work(Work.named("Saga, Vol. 2", [BKV]), Work.named(f"Saga, {spelled}", [BKV])) is Same.SURE
    # near miss: another volume, however spelled
    assert same_work(ko, Work.named("Saga, Vol. III", [BKV])) is Same.NO
    assert same_work(ko, Work.named("Saga, Book Three", [BKV])) is Same.NO


def test_numbers_up_to_twenty_only():
    assert title_parts("Saga, Vol. Twenty").whole == "saga vol 20" == title_parts("Saga, Vol. XX").whole
    assert title_parts("Saga, Vol. Twenty-One").whole != "saga vol 21"
    assert title_parts("Vol Ix Stories").whole == "vol 9 stories"  # (a volume's number, as any title's)
    assert title_parts("The Volcano").whole == "volcano" and title_parts("Vol de Nuit").whole == "vol de nuit"


def test_a_volume_row_in_roman_numerals_is_a_koreader_book_of_that_place(run, books, tmp_path):
    """Goodreads rows *Saga, Vol. II* / *Volume Two* / *Book Two* against KOReader's *Saga* (series Saga #2)
    were books with no maybe line, while *Saga, Vol. 2* was a maybe. Since session 28 each is that book, as
    the row *Saga (Saga, #2)* is (one place, one book), and nothing names an ISBN or id it never had."""
    ko = sidecar(tmp_path / "ko", "saga", "Saga", "Saga #2", "vol two words")
    run("import", str(ko), "--from", "koreader")
    row = '12,"Saga, Vol. II",Brian K. Vaughan,,,5,read,2020/01/02,2020/01/02,1,'
    out = run("import", str(csv_file(tmp_path / "gr.csv", GR_HEAD, row))).stderr
    assert "1 updated" in out and "may be" not in out and "ISBN or id" not in out, out
    assert "rating = 5" in (books / "saga.toml").read_text()
    row = '13,"Saga, Volume Three",Brian K. Vaughan,,,4,read,2020/02/02,2020/02/02,1,'
    out = run("import", str(csv_file(tmp_path / "gr3.csv", GR_HEAD, row))).stderr
    assert "may be" not in out, out
