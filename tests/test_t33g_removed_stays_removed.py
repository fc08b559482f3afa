"""An import keeps what the reader did here: a book removed with `rm` (in trash/) is not added again by the
next import of an export that still has it (try-out 33b #14: it came back without a word, and `restore`
then refused the reader's copy, its review stuck in trash/); said by name with the way back, counted as
skipped. And what `--update` changed is said, value by value; a dry run lists what it would add and
update, not the hundreds of rows it leaves as they are (try-out 33a #3)."""

from __future__ import annotations

import json

from test_import_export import GR_HEADER, SHARED, gr_row, write_csv

FREIZL = SHARED / "goodreads_freizl_my-reads.csv"
RULES = "12-rules-for-life-an-antidote-to-chaos"


def test_a_removed_book_is_kept_out_of_an_update_and_restore_brings_the_readers_copy_back(run, books):
    run("import", str(FREIZL))
    run("review", RULES, "--review", "My own words")
    run("rm", RULES, "--yes")
    for args in (["--update"], [], ["--update", "--dry-run"], ["--dry-run"]):
        again = run("import", *args, str(FREIZL))
        said = again.stdout + again.stderr
        assert not (books / f"{RULES}.toml").exists()
        assert "kept out: 12 Rules for Life: An Antidote to Chaos: you removed it here on " in said
        assert f"(`readlog restore {RULES}` brings it back)" in said
        assert "0 added" in said or "0 would be added" in said
    restored = run("restore", RULES)
    assert "Restored" in restored.stderr
    assert "My own words" in (books / f"{RULES}.toml").read_text(encoding="utf-8")
    after = run("import", "--update", str(FREIZL))
    assert "kept out" not in after.stderr and "0 added" in after.stderr
    assert "My own words" in (books / f"{RULES}.toml").read_text(encoding="utf-8")


def test_a_hand_added_book_removed_is_known_by_its_title_and_authors_and_only_it(run, books, tmp_path):
    run("add", "Dune", "--author", "Frank Herbert", "--status", "want")
    run("rm", "dune", "--yes")
    rows = [
        gr_row(**{"Book Id": "10", "Title": "Dune", "Author": "Frank Herbert"}),
        # near misses: another title of the author, the title by another author: books of their own
        gr_row(**{"Book Id": "11", "Title": "Dune Messiah", "Author": "Frank Herbert"}),
        gr_row(**{"Book Id": "12", "Title": "Dune", "Author": "Someone Else"}),
    ]
    path = write_csv(tmp_path / "export.csv", GR_HEADER, rows)
    done = run("import", str(path), "--json")
    counts = json.loads(done.stdout)["counts"]
    assert counts["added"] == 2 and counts["skipped"] == 1
    assert "kept out: Dune: you removed it here on" in done.stderr
    titles = sorted(book["title"] for book in json.loads(run("export", "--format", "json").stdout))
    assert titles == ["Dune", "Dune Messiah"]
    assert "Someone Else" in (books / "dune.toml").read_text(encoding="utf-8")  # (the other author's)


def test_a_book_removed_twice_is_named_by_its_latest_removal_and_a_shared_id_finds_it(run, books, tmp_path):
    path = write_csv(
        tmp_path / "export.csv",
        GR_HEADER,
        [gr_row(**{"Book Id": "7", "Title": "Piranesi", "Author": "Susanna Clarke"})],
    )
    run("import", str(path))
    run("rm", "piranesi", "--yes")
    run("restore", "piranesi")
    run("rm", "piranesi", "--yes")
    # the export renamed the book: its Goodreads id is the same
    renamed = write_csv(
        tmp_path / "renamed.csv",
        GR_HEADER,
        [gr_row(**{"Book Id": "7", "Title": "Piranesi (Hardcover)", "Author": "S. Clarke"})],
    )
    done = run("import", "--update", str(renamed))
    assert "kept out: Piranesi (Hardcover): you removed it here on" in done.stderr
    assert "(`readlog restore piranesi` brings it back)" in done.stderr
    assert list(books.glob("*.toml")) == []


def test_a_reviews_old_text_in_the_trash_keeps_nothing_out(run, books, tmp_path):
    run("add", "Dune", "--author", "Frank Herbert", "--status", "want")
    run("review", "dune", "--review", "first")
    run("review", "dune", "--review", "second", "--replace")
    run("rm", "dune", "--yes")
    run("restore", "dune")
    path = write_csv(
        tmp_path / "export.csv", GR_HEADER, [gr_row(**{"Title": "Emma", "Author": "Jane Austen"})]
    )
    done = run("import", str(path))
    assert "kept out" not in done.stderr and "1 added" in done.stderr


def test_update_says_each_value_it_changes_and_a_dry_run_counts_what_it_leaves(run, books, tmp_path):
    rows = [gr_row(**{"Book Id": str(n), "Title": f"Book {n}", "Author": "An Author"}) for n in range(1, 30)]
    rows.append(
        gr_row(
            **{"Book Id": "99", "Title": "Wonder", "Author": "R. J. Palacio", "Exclusive Shelf": "to-read"}
        )
    )
    run("import", str(write_csv(tmp_path / "export.csv", GR_HEADER, rows)))
    rows[-1] = gr_row(
        **{
            "Book Id": "99",
            "Title": "Wonder",
            "Author": "R. J. Palacio",
            "My Rating": "4",
            "Date Read": "2024/02/03",
        }
    )
    newer = write_csv(tmp_path / "export.csv", GR_HEADER, rows)
    dry = run("import", "--update", "--dry-run", str(newer))
    lines = dry.stdout.splitlines()
    assert "changed: Wonder: status want -> read" in lines
    assert "changed: Wonder: rating none -> 4" in lines or any(
        line.startswith("changed: Wonder: rating") for line in lines
    )
    assert "update: Wonder" in lines
    assert not any(line.startswith("skip:") for line in lines)  # (29 rows left as they are: counted)
    assert "29 would be skipped" in dry.stderr
    done = run("import", "--update", str(newer))
    assert "changed: Wonder: status want -> read" in done.stderr and done.stdout == ""
    again = run("import", "--update", str(newer))
    assert "changed:" not in again.stderr


def test_an_import_clears_the_temp_files_a_killed_write_left_and_only_those(run, books, tmp_path):
    """Try-out 33b #5: a SIGKILLed import leaves a temp file of each book it was writing; the next import
    (under the journal's lock, its own books in place) clears them and says so; a temp file holding text
    that is nowhere else goes to trash/; a reader's files, and a temp file newer than the import, stay."""
    import os
    import time

    path = write_csv(tmp_path / "export.csv", GR_HEADER, [gr_row(Title="Dune", Author="Frank Herbert")])
    run("import", str(path))
    dune = (books / "dune.toml").read_bytes()
    old = time.time() - 60
    same = books / ".dune.toml.0000abcd.tmp"  # what the import writes again: litter
    other = books / ".emma.toml.1234abcd.tmp"  # a write of text found nowhere else
    mine = [books / "notes.txt", books / ".hidden", books / ".dune.toml.bak"]  # the reader's
    newer = books / ".dune.toml.5678abcd.tmp"  # (a write under way, or just made: never touched)
    same.write_bytes(dune)
    other.write_text('schema = 1\ntitle = "Emma"\nauthors = ["Jane Austen"]\nstatus = "want"\n')
    for path_ in (same, other, *mine):
        path_.write_bytes(path_.read_bytes() if path_.exists() else b"mine\n")
        os.utime(path_, (old, old))
    newer.write_bytes(dune)
    os.utime(newer, (time.time() + 60, time.time() + 60))
    done = run("import", str(path))
    assert "note: removed 2 temp files left by an interrupted write" in done.stderr
    assert not same.exists() and not other.exists() and newer.exists()
    assert all(p.exists() for p in mine)
    kept = list((books.parent / "trash").glob("emma.toml.unsaved.*"))
    assert len(kept) == 1 and b'title = "Emma"' in kept[0].read_bytes()
    assert (books / "dune.toml").read_bytes() == dune
    dry = run("import", "--dry-run", str(path))  # (a dry run changes nothing)
    assert "temp file" not in dry.stderr + dry.stdout and newer.exists()


def test_a_row_joining_a_hand_added_book_of_its_isbn_writes_that_edition_once(run, books, tmp_path):
    """Try-out 33b #20: a Goodreads row of the ISBN a book added by hand has wrote that one edition three
    times (the source table's columns, then a list of two); a second edition is still listed."""
    run(
        "add", "Pride and Prejudice", "--author", "Jane Austen", "--isbn", "9780141439518", "--status", "want"
    )
    row = gr_row(**{"Book Id": "2", "Title": "Pride & Prejudice", "Author": "Jane Austen"})
    row["ISBN13"] = '="9780141439518"'
    run("import", str(write_csv(tmp_path / "e.csv", GR_HEADER, [row])))
    text = (books / "pride-and-prejudice.toml").read_text(encoding="utf-8")
    assert text.count("9780141439518") == 3  # (the book's isbn, the table's ISBN13, its record's isbn)
    assert "editions" not in text and '"Book Id" = "2"' in text
    # near miss: a row of another ISBN of the work is another edition, listed
    run("add", "Emma", "--author", "Jane Austen", "--isbn", "9780141439587", "--status", "want")
    other = gr_row(**{"Book Id": "3", "Title": "Emma", "Author": "Jane Austen"})
    other["ISBN13"] = '="9780141439600"'
    run("import", str(write_csv(tmp_path / "f.csv", GR_HEADER, [other])))
    emma = (books / "emma.toml").read_text(encoding="utf-8")
    assert emma.count("[[source.goodreads.editions]]") == 2 and "9780141439600" in emma


def test_a_merge_lists_a_storygraph_edition_once_in_one_spelling(run, books, tmp_path):
    """Try-out 33b #12: `merge --force` of a StoryGraph book with no ISBN/UID whose two format rows were
    joined listed its paperback twice (`Format` from its columns, `format` from its list)."""
    from test_import_export import SG_HEADER, sg_row

    rows = [
        sg_row(**{"Title": "The Hunger Games", "Authors": "Suzanne Collins", "ISBN/UID": "9780439023481",
                  "Format": "hardcover", "Read Status": "to-read"}),
        sg_row(**{"Title": "Mockingjay", "Authors": "Suzanne Collins", "ISBN/UID": "9780439023511",
                  "Format": "hardcover", "Read Status": "to-read", "Date Added": "2021/03/04"}),
        sg_row(**{"Title": "The Sun Also Rises", "Authors": "Ernest Hemingway", "Format": "paperback",
                  "Read Status": "to-read", "Date Added": "2022/05/06"}),
        sg_row(**{"Title": "The Sun Also Rises", "Authors": "Ernest Hemingway", "Format": "hardcover",
                  "Read Status": "to-read", "Date Added": "2022/05/07"}),
    ]  # fmt: skip
    path = write_csv(tmp_path / "sg.csv", SG_HEADER, rows)
    run("import", str(path))
    run("merge", "the-hunger-games", "mockingjay", "--force")
    run("merge", "the-hunger-games", "the-sun-also-rises", "--force")
    text = (books / "the-hunger-games.toml").read_text(encoding="utf-8")
    # (each edition once: the book's own in its columns and, as an import begins a list, first in it)
    assert text.count('"paperback"') == 1 and text.count('"hardcover"') == 4
    before = {p.name: p.read_bytes() for p in books.iterdir()}
    again = run("import", "--update", str(path))
    assert "0 added, 0 updated" in again.stderr
    assert {p.name: p.read_bytes() for p in books.iterdir()} == before
    assert "all good" in run("check").stderr + run("check").stdout


def test_a_json_backup_brings_back_a_removed_book_as_it_always_did(run, books, tmp_path):
    """The near miss of the rule: readlog's own backup, imported, is the reader restoring what it holds."""
    run("add", "Dune", "--author", "Frank Herbert", "--status", "want")
    backup = tmp_path / "all.json"
    run("export", "--format", "json", "--output", str(backup))
    run("rm", "dune", "--yes")
    done = run("import", str(backup))
    assert "kept out" not in done.stderr and (books / "dune.toml").exists()


def test_restore_of_a_book_an_older_readlog_added_again_says_how_to_have_it_back(run, books, journal_home):
    """A book removed, then added again under its old name (by an older readlog's import, or by hand):
    `restore` refuses, as before, and now says the two commands that put the removed copy back."""
    run("add", "Dune", "--author", "Frank Herbert", "--status", "read")
    run("review", "dune", "--review", "My own words")
    run("rm", "dune", "--yes")
    run("add", "Dune", "--author", "Frank Herbert", "--status", "want")
    name = next((journal_home / "trash").glob("dune.*.toml")).name
    refused = run("restore", "1", code=1).stderr
    assert f"nothing restored, {name} stays in the trash; to have this one back in its place" in refused
    assert f"`readlog rm dune` (it waits in the trash), then `readlog restore {name}`" in refused
    run("rm", "dune", "--yes")
    run("restore", name)
    assert "My own words" in (books / "dune.toml").read_text(encoding="utf-8")
