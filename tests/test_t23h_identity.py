"""One book is one book in every script (session 23, try-out 23a findings 4, 2 and 8): the Latin letters
that do not decompose (æ, œ, ø, ł, þ...) fold as a reader types them, a case-only match does not silently
beat an accent-only one, and text typed, edited or imported decomposed (NFD) is taken in as NFC."""

from __future__ import annotations

import os
import sys
import tomllib
import unicodedata
from pathlib import Path

import pytest

from readlog.identity import title_key
from readlog.text import normalize, slugify
from test_import_export import GR_HEADER, gr_row, write_csv
from test_t20a_prompt import asked


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def book_files(books: Path) -> dict[str, dict]:
    return {p.stem: tomllib.loads(p.read_text()) for p in books.glob("*.toml")}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("Aegirs Saga", "Ægir's Saga"), ("L'Oeuvre", "L'Œuvre"), ("Lodz", "Łódź"), ("Thorsson", "Þórsson"),
     ("So do", "Số đỏ"), ("Oedipe roi", "Œdipe roi"), ("Bjorn", "Bjørn"), ("ليلة", "ليلـة")],
)  # fmt: skip
def test_letters_that_do_not_decompose_fold_as_typed(typed, stored):
    assert title_key(typed) == title_key(stored)
    assert normalize(typed.replace("'", "")) == normalize(stored.replace("'", ""))


def test_a_title_like_two_books_in_a_script_is_refused_naming_both(run, books):
    run("add", "Ægir's Saga", "-a", "Ólafur Þórsson", input="")
    run("add", "Aegirs Saga", "-a", "Olafur Thorsson", "--new", input="")
    result = run("rate", "Aegir's Saga", "2", input="", code=1)
    assert "aegir-s-saga (Ægir's Saga" in result.stderr and "aegirs-saga (Aegirs Saga" in result.stderr
    assert all("rating" not in book for book in book_files(books).values())


def test_adding_the_ligature_free_spelling_is_refused_as_already_there(run, books):
    run("add", "L'Œuvre", "-a", "Émile Zola", input="")
    result = run("add", "L'Oeuvre", "-a", "Emile Zola", input="", code=1)
    assert "already in the journal as 'l-oeuvre'" in result.stderr
    assert list(book_files(books)) == ["l-oeuvre"]


def test_a_case_only_match_does_not_beat_an_accent_only_one(run, books):
    run("add", "angel", "-a", "Amy", input="")
    run("add", "Ángel", "-a", "Bo", input="")
    result = run("rate", "Angel", "3", input="", code=1)
    assert "angel (angel by Amy)" in result.stderr and "angel-bo (Ángel by Bo)" in result.stderr
    run("rate", "Ángel", "4", input="")  # the accent given: that book
    assert book_files(books)["angel-bo"]["rating"] == 4
    assert "rating" not in book_files(books)["angel"]


@pytest.fixture
def terminal_env(journal_home: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return {**base, "READLOG_HOME": str(journal_home), "TERM": "xterm", "READLOG_PAGER": ""}


def test_on_a_terminal_the_two_sagas_are_asked_and_folded_alike_is_not_the_title(run, books, terminal_env):
    run("add", "Ægir's Saga", "-a", "Ólafur Þórsson", input="")
    run("add", "Aegirs Saga", "-a", "Olafur Thorsson", "--new", input="")
    out = asked(["rate", "Ægirs Saga", "1"], terminal_env, b"\n", columns=100)
    assert "Ægir's Saga" in out and "Aegirs Saga" in out
    assert "“Ægirs Saga” is, but for case, accents or punctuation, the title of more than one book:" in out
    assert all("rating" not in book for book in book_files(books).values())


def test_nfd_text_is_taken_in_as_nfc(run, books, tmp_path):
    run("add", nfd("ガラスの仮面"), "-a", nfd("美内すずえ"), input="")
    assert slugify(nfd("ガラスの仮面")) == slugify("ガラスの仮面") == "garasunofanmian"
    stored = book_files(books)["garasunofanmian"]
    assert stored["title"] == "ガラスの仮面"
    assert "garasunofanmian" in run("search", "ガラス").stdout
    assert "garasunofanmian" in run("search", nfd("ガラス")).stdout


def test_an_nfd_reimport_of_the_same_rows_updates_nothing(run, books, tmp_path):
    rows = [gr_row(**{"Book Id": "1", "Title": "Lalka", "Author": "Bolesław Prus", "My Review": "Świetna"}),
            gr_row(**{"Book Id": "2", "Title": "Élise et Ève", "Author": "Hélène Cœur", "My Review": "Œuvre"})]  # fmt: skip
    run("import", str(write_csv(tmp_path / "nfc.csv", GR_HEADER, rows)))
    before = {p.name: p.read_bytes() for p in books.glob("*.toml")}
    decomposed = [{k: nfd(v) for k, v in row.items()} for row in rows]
    result = run("import", str(write_csv(tmp_path / "nfd.csv", GR_HEADER, decomposed)), "--update")
    assert "0 updated" in result.stderr
    assert {p.name: p.read_bytes() for p in books.glob("*.toml")} == before


def test_a_review_typed_or_edited_in_nfd_is_stored_as_nfc(run, books, tmp_path):
    run("add", "Café Society", "-a", "Zoë", input="")
    run("review", "cafe-society", "-", input=nfd("Élise et Ève, ガラス.\n"))
    assert book_files(books)["cafe-society"]["review"]["body"] == "Élise et Ève, ガラス."
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, unicodedata\n"
        f"open(sys.argv[1], 'w', encoding='utf-8').write(unicodedata.normalize('NFD', {'Œuvre première, ガラス.'!r}))\n"
    )
    run("review", "cafe-society", "--edit", "--replace", env={"EDITOR": f"{sys.executable} {editor}"})
    assert book_files(books)["cafe-society"]["review"]["body"] == "Œuvre première, ガラス."
