"""Try-out 32a #2: a book merged into one that already holds its Goodreads id (merged before, the book back
from the trash or from the other device, as sync advises) listed that edition twice, and `check` then
exited 1. An edition the kept book has already, its own or one listed, is that edition: joined into it,
never listed twice; the second merge carries only what is new. Through sync too (two devices, a bare
remote)."""

from __future__ import annotations

import tomllib

from test_import_export import GR_HEADER, SG_HEADER, gr_row, sg_row, write_csv
from test_sync_git import Device, git_env, remote  # noqa: F401 (fixtures)

LONG = "how-to-take-smart-notes-one-simple-technique"
SHORT = "how-to-take-smart-notes"
KINDLE = """schema = 2
title = "How to Take Smart Notes: One Simple Technique"
authors = ["Sönke Ahrens"]
status = "read"

[[reads]]

[[quotes]]
text = "Writing is not what follows research, learning or studying, it is the medium of all this work."
"""


def row(book_id: str, title: str = "How to Take Smart Notes", **cells: str) -> dict[str, str]:
    return gr_row(Book_Id=book_id, Title=title, Author="Sönke Ahrens", Date_Read="2021/03/17", **cells)


def journal(run, books, tmp_path, *rows: dict[str, str], env=None) -> None:
    run("import", str(write_csv(tmp_path / "gr.csv", GR_HEADER, list(rows))), env=env)
    (books / f"{LONG}.toml").write_text(KINDLE, encoding="utf-8")


def data(books, slug: str = LONG) -> dict:
    return tomllib.loads((books / f"{slug}.toml").read_text(encoding="utf-8"))


def editions(book: dict) -> list[str]:
    return [str(e.get("Book Id")) for e in book["source"]["goodreads"].get("editions", [])]


def back_from_trash(journal_home, slug: str, quote: str | None = None) -> None:
    (trashed,) = (journal_home / "trash").glob(f"{slug}.*.toml")
    text = trashed.read_text(encoding="utf-8")
    if quote is not None:  # (what the other device added to it)
        text += f'\n[[quotes]]\ntext = "{quote}"\n'
    (journal_home / "books" / f"{slug}.toml").write_text(text, encoding="utf-8")
    trashed.unlink()


def test_merging_the_same_book_again_lists_its_edition_once(run, books, journal_home, tmp_path):
    journal(run, books, tmp_path, row("34576082"))
    run("merge", LONG, SHORT)
    once = (books / f"{LONG}.toml").read_text(encoding="utf-8")
    back_from_trash(journal_home, SHORT, "A quote the other device added.")
    run("merge", LONG, SHORT)
    book = data(books)
    assert book["source"]["goodreads"]["Book Id"] == "34576082" and editions(book) == [], book["source"]
    assert [q["text"] for q in book["quotes"]].count("A quote the other device added.") == 1
    assert len(book["quotes"]) == 2 and len(book["reads"]) == 1, book
    run("check")
    back_from_trash(journal_home, SHORT)  # (the same file once more: nothing new, nothing written twice)
    run("merge", LONG, SHORT)
    again = (books / f"{LONG}.toml").read_text(encoding="utf-8")
    assert again.count("[source.goodreads") == once.count("[source.goodreads"), again


def test_an_edition_listed_already_is_joined_a_new_one_still_listed(run, books, journal_home, tmp_path):
    """Near misses: the merged-away book's id is one of the kept book's listed editions (not its own): that
    entry, once; a book of an id the kept book has not is another edition, listed."""
    journal(run, books, tmp_path, row("1"), row("2", "Smart Notes"), row("3", "Smart Notes II"))
    run("merge", SHORT, "smart-notes", "--force")
    assert editions(data(books, SHORT)) == ["1", "2"]
    back_from_trash(journal_home, "smart-notes")
    run("merge", SHORT, "smart-notes", "--force")
    assert editions(data(books, SHORT)) == ["1", "2"]
    run("merge", SHORT, "smart-notes-ii", "--force")
    assert editions(data(books, SHORT)) == ["1", "2", "3"]
    run("check")


def test_an_edition_with_no_id_merged_again_is_listed_once(run, books, journal_home, tmp_path):
    """Near miss: a StoryGraph row with no ISBN/UID (no id at all): the same book back is known by its
    record (what its import brought), and the list of editions does not grow with each merge."""
    sg = sg_row(Title="How to Take Smart Notes", Authors="Sönke Ahrens", Format="paperback")
    run("import", str(write_csv(tmp_path / "sg.csv", SG_HEADER, [sg])))
    (books / f"{LONG}.toml").write_text(KINDLE, encoding="utf-8")
    run("merge", LONG, SHORT)
    once = (books / f"{LONG}.toml").read_text(encoding="utf-8")
    for _ in range(2):
        back_from_trash(journal_home, SHORT)
        run("merge", LONG, SHORT)
        assert (books / f"{LONG}.toml").read_text(encoding="utf-8") == once


def test_sync_then_merge_as_advised_lists_the_edition_once(run, tmp_path, remote):  # noqa: F811
    """The try-out's path: A merges; B adds a quote to the merged-away book; A, B, A sync: the book comes
    back on A with `readlog merge A B takes that change into it too`; that merge lists the edition once."""
    a, b = Device(run, tmp_path / "a"), Device(run, tmp_path / "b")
    (a.home / "books").mkdir(parents=True)
    journal(run, a.home / "books", tmp_path, row("34576082"), env={"READLOG_HOME": str(a.home)})
    a("sync", "init", str(remote))
    b("sync", "init", str(remote))
    a("merge", LONG, SHORT)
    b("quote", SHORT, "A quote the other device added.")
    a("sync")
    b("sync", code=1)  # (changed here, removed on the other device: kept, the one thing that needs B)
    said = a("sync", code=1).stderr
    assert f"readlog merge {LONG} {SHORT}" in said, said
    a("merge", LONG, SHORT)
    book = data(a.home / "books")
    assert editions(book) == [] and book["source"]["goodreads"]["Book Id"] == "34576082", book["source"]
    assert [q["text"] for q in book["quotes"]].count("A quote the other device added.") == 1, book
    a("check")
    a("sync")
    b("sync")
    assert not (b.home / "books" / f"{SHORT}.toml").exists()
    assert editions(data(b.home / "books")) == []
    b("check")
