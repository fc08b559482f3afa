"""Every real export comes in faithfully, part three (issue 22): one small fixture of our own per item, in
the order of harm, each with the near misses that would break its rule."""

from __future__ import annotations

import csv
import json
import tomllib
from pathlib import Path

import pytest

from test_import_export import GR_HEADER, SG_HEADER, gr_row, imported, sg_row, write_csv

LT_HEADER = "Book Id\tTitle\tPrimary Author\tSecondary Author\tRating\tCollections\tTags\tDate Started\tDate Read\tMedia\tSubjects"


def by_title(run) -> dict[str, dict]:
    return {b["title"]: b for b in json.loads(run("export", "--format", "json").stdout)}


def lt_file(path: Path, rows: list[dict[str, str]], encodings: dict[int, str] | None = None) -> Path:
    """A LibraryThing TSV; row N (1-based, after the header) written in `encodings[N]` (UTF-8 otherwise)."""
    names = LT_HEADER.split("\t")
    lines = [LT_HEADER.encode()]
    for number, row in enumerate(rows, 1):
        cells = {**dict.fromkeys(names, ""), "Book Id": str(number), **row}
        lines.append("\t".join(cells[n] for n in names).encode((encodings or {}).get(number, "utf-8")))
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


# --- 1. mixed encodings: UTF-8, and Windows-1252 only on the lines that are not UTF-8 --------------------
def test_a_mostly_utf8_file_is_read_as_utf8_and_the_stray_lines_are_named(run, tmp_path):
    path = lt_file(tmp_path / "lt.tsv", [
        {"Title": "Big Data", "Primary Author": "Mayer-Schönberger, Viktor", "Subjects": "data"},
        {"Title": "Essential System Administration", "Primary Author": "Frisch, Æleen"},
        {"Title": "The Smell of Rain", "Primary Author": "Prechtel, Martín", "Subjects": "café"},  # cp1252
        {"Title": "Naïve", "Primary Author": "Doe, Jane"},
        {"Title": "Other", "Primary Author": "Roe, Zoë", "Subjects": "señor"},  # cp1252
    ], {3: "cp1252", 5: "cp1252"})  # fmt: skip
    result = run("import", str(path))
    assert f"{path}: lines 4, 6: not UTF-8, read as Windows-1252" in result.stderr
    books = by_title(run)
    assert books["Big Data"]["authors"] == ["Viktor Mayer-Schönberger"]
    assert books["Essential System Administration"]["authors"] == ["Æleen Frisch"]
    assert books["The Smell of Rain"]["authors"] == ["Martín Prechtel"]
    assert books["Other"]["source"]["librarything"]["Subjects"] == "señor"
    assert "Ã" not in run("export", "--format", "json").stdout


def test_one_stray_line_is_line_singular_and_a_clean_file_says_nothing(run, tmp_path):
    one = lt_file(tmp_path / "one.tsv", [{"Title": "A", "Primary Author": "Doe, Jane"},
                                         {"Title": "Café", "Primary Author": "Doe, Jane"}], {2: "cp1252"})  # fmt: skip
    assert f"{one}: line 3: not UTF-8, read as Windows-1252" in run("import", str(one)).stderr
    clean = lt_file(tmp_path / "clean.tsv", [{"Title": "Zoë", "Primary Author": "Doe, Jane"}])
    assert "Windows-1252" not in run("import", str(clean)).stderr


@pytest.mark.parametrize("kind", ["goodreads", "storygraph"])
def test_every_csv_importer_falls_back_per_line(run, tmp_path, kind):
    if kind == "goodreads":
        header, rows = (
            GR_HEADER,
            [
                gr_row(**{"Book Id": "1", "Title": "Über Alles", "Author": "Jürgen Ö"}),
                gr_row(**{"Book Id": "2", "Title": "Déjà Vu", "Author": "Amélie"}),
            ],
        )
    else:
        header, rows = (
            SG_HEADER,
            [sg_row(Title="Über Alles", Authors="Jürgen Ö"), sg_row(Title="Déjà Vu", Authors="Amélie")],
        )
    path = write_csv(tmp_path / "x.csv", header, rows)  # fmt: skip
    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2].decode().encode("cp1252")
    path.write_bytes(b"\n".join(lines))
    result = run("import", str(path))
    assert f"{path}: line 3: not UTF-8, read as Windows-1252" in result.stderr
    assert set(by_title(run)) == {"Über Alles", "Déjà Vu"}


def test_kindle_and_readwise_files_fall_back_per_line_too(run, tmp_path):
    kindle = clippings(tmp_path,
        clipping("Café Book (Zoë Vale)", "Plain words."),
        clipping("Café Book (Zoë Vale)", "Un café noir."),
    )  # fmt: skip
    lines = kindle.read_bytes().split(b"\n")
    lines[8] = lines[8].decode().encode("cp1252")  # the second record's text (line 9)
    kindle.write_bytes(b"\n".join(lines))
    result = run("import", str(kindle), "--create", "read")
    assert f"{kindle}: line 9: not UTF-8, read as Windows-1252" in result.stderr
    assert {q["text"] for q in by_title(run)["Café Book"]["quotes"]} == {"Plain words.", "Un café noir."}
    readwise = tmp_path / "readwise.csv"
    readwise.write_bytes(
        b"Highlight,Book Title,Book Author,Location Type,Location\n"
        + "Déjà vu,Café Book,Zoë Vale,location,40\n".encode("cp1252")
        + "Über,Café Book,Zoë Vale,location,50\n".encode()
    )
    result = run("import", str(readwise), "--create", "read")
    assert f"{readwise}: line 2: not UTF-8, read as Windows-1252" in result.stderr
    assert {"Déjà vu", "Über"} <= {q["text"] for q in by_title(run)["Café Book"]["quotes"]}


# --- 2. abandoned books are never read --------------------------------------------------------------------
def test_a_storygraph_dnf_with_a_last_date_is_a_stopped_reading(run, tmp_path):
    books = imported(run, tmp_path, SG_HEADER, [
        sg_row(Title="Given Up", **{"Read Status": "did-not-finish", "Last Date Read": "2020/03/04"}),
        sg_row(Title="Given Up Too", **{"Read Status": "did-not-finish", "Dates Read": "2020/01/01-2020/02/02"}),
        sg_row(Title="Finished", **{"Read Status": "read", "Last Date Read": "2020/05/05"}),
    ])  # fmt: skip
    by = {b["title"]: b for b in books}
    assert by["Given Up"]["status"] == "abandoned" and by["Given Up"]["reads"] == [{"stopped": "2020-03-04"}]
    assert by["Given Up Too"]["reads"] == [{"started": "2020-01-01", "stopped": "2020-02-02"}]
    assert by["Finished"]["reads"] == [{"finished": "2020-05-05"}]


@pytest.mark.parametrize("shelf", ["wont-finish", "dnf", "did-not-finish", "abgebrochen", "abandonados"])
def test_a_goodreads_dnf_shelf_with_a_date_read_counts_as_abandoned(run, tmp_path, shelf):
    imported(run, tmp_path, GR_HEADER, [
        gr_row(**{"Book Id": "1", "Title": "Given Up", "Exclusive Shelf": shelf, "Date Read": "2020/03/04"}),
        gr_row(**{"Book Id": "2", "Title": "Read One", "Exclusive Shelf": "read", "Date Read": "2020/06/04"}),
    ])  # fmt: skip
    book = by_title(run)["Given Up"]
    assert book["status"] == "abandoned" and book["reads"] == [{"stopped": "2020-03-04"}]
    stats = json.loads(run("stats", "--year", "2020", "--json").stdout)
    assert stats["finished"] == 1 and stats["abandoned"] == 1


def test_an_abandoned_book_is_not_read_in_goal_or_on_the_sites_year_page(run, tmp_path):
    imported(run, tmp_path, GR_HEADER, [
        gr_row(**{"Book Id": "1", "Title": "Given Up", "Exclusive Shelf": "dnf", "Date Read": "2020/03/04"}),
        gr_row(**{"Book Id": "2", "Title": "Read One", "Exclusive Shelf": "read", "Date Read": "2020/06/04"}),
    ])  # fmt: skip
    assert "1 of 10 books" in run("goal", "10", "--year", "2020").stdout
    run("site", str(tmp_path / "site"))
    year = (tmp_path / "site" / "years" / "2020.html").read_text()
    assert "Read One" in year and "Given Up" not in year


def test_an_abandoned_book_goes_back_to_goodreads_with_its_date_and_comes_back_abandoned(run, tmp_path):
    imported(run, tmp_path, GR_HEADER, [
        gr_row(**{"Book Id": "1", "Title": "Given Up", "Exclusive Shelf": "did-not-finish", "Date Read": "2020/03/04"}),
    ])  # fmt: skip
    out = tmp_path / "gr.csv"
    run("export", "--format", "goodreads", "--output", str(out))
    (row,) = csv.DictReader(out.open(encoding="utf-8"))
    assert row["Exclusive Shelf"] == "did-not-finish" and row["Date Read"] == "2020/03/04"
    run("--data-dir", str(tmp_path / "back"), "import", str(out))
    back = json.loads(run("--data-dir", str(tmp_path / "back"), "export", "--format", "json").stdout)
    assert back[0]["status"] == "abandoned" and back[0]["reads"] == [{"stopped": "2020-03-04"}]


def test_update_of_a_dnf_does_not_add_a_second_reading(run, tmp_path):
    rows = [sg_row(Title="Given Up", **{"Read Status": "did-not-finish", "Last Date Read": "2020/03/04"})]
    imported(run, tmp_path, SG_HEADER, rows)
    run("import", str(tmp_path / "export.csv"), "--update")
    assert by_title(run)["Given Up"]["reads"] == [{"stopped": "2020-03-04"}]


# --- 11. status words in other languages and forms --------------------------------------------------------
@pytest.mark.parametrize(
    ("shelf", "status", "said"),
    [
        ("abandonados", "abandoned", "abandoned"), ("abgebrochen", "abandoned", "abandoned"),
        ("abandonnés", "abandoned", "abandoned"), ("abbandonati", "abandoned", "abandoned"),
        ("lidos", "read", "read"), ("gelesen", "read", "read"), ("à lire", "want", "want"),
        ("por leer", "want", "want"), ("por-leer", "want", "want"),
        ("want-to-finish-eventually", "paused", "paused"),
        # near misses: a shelf that only mentions reading is a tag and says no status (the fallback: want)
        ("read-in-2020", "want", None), ("reading-soon", "want", "want"), ("lidos-2019", "want", None),
        ("fiction", "want", None),
    ],
)  # fmt: skip
def test_shelf_words_in_other_languages(run, tmp_path, shelf, status, said):
    from readlog.identity import status_from_shelf

    assert status_from_shelf(shelf) == said  # the table itself, not the importer's fallback
    (book,) = imported(run, tmp_path, GR_HEADER, [gr_row(**{"Exclusive Shelf": shelf})])
    assert book["status"] == status
    assert shelf in book["tags"]  # the reader's own word stays a tag


def test_storygraph_status_words_come_from_the_same_table(run, tmp_path):
    books = imported(run, tmp_path, SG_HEADER, [
        sg_row(Title="A", **{"Read Status": "paused"}),
        sg_row(Title="B", **{"Read Status": "abgebrochen", "Last Date Read": "2021/01/01"}),
    ])  # fmt: skip
    by = {b["title"]: b for b in books}
    assert by["A"]["status"] == "paused"
    assert by["B"]["status"] == "abandoned" and by["B"]["reads"] == [{"stopped": "2021-01-01"}]


def test_the_shelf_table_lives_in_identity():
    from readlog import identity

    assert identity.status_from_shelf("want-to-finish-eventually") == "paused"
    assert identity.status_from_shelf("Gelesen") == "read"
    assert identity.status_from_shelf("to-read") == "want"
    assert identity.status_from_shelf("read-in-2020") is None
    assert identity.is_status_shelf("to-read") and not identity.is_status_shelf("lidos")


def _toml(path: Path) -> dict:
    return tomllib.loads(path.read_text())


# --- Kindle files of our own -------------------------------------------------------------------------------
def clipping(
    title_line: str,
    text: str,
    kind: str = "Highlight",
    where: str = "Location 10-12",
    when: str = "Monday, March 4, 2024 9:00:00 PM",
) -> str:
    return f"{title_line}\n- Your {kind} on {where} | Added on {when}\n\n{text}\n==========\n"  # fmt: skip


def clippings(tmp_path: Path, *records: str, name: str = "My Clippings.txt") -> Path:
    path = tmp_path / name
    path.write_text("".join(records), encoding="utf-8")
    return path


# --- 3. a translator's note is not a swapped title ---------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "title", "authors", "translators"),
    [
        ("Madame Bovary (Gustave Flaubert trans Lydia Davis)", "Madame Bovary", ["Gustave Flaubert"], ["Lydia Davis"]),
        ("Madame Bovary (Gustave Flaubert tr. Lydia Davis)", "Madame Bovary", ["Gustave Flaubert"], ["Lydia Davis"]),
        ("Madame Bovary (Gustave Flaubert, transl. Lydia Davis)", "Madame Bovary", ["Gustave Flaubert"], ["Lydia Davis"]),
        ("Madame Bovary (Flaubert, Gustave; Lydia Davis (Translator))", "Madame Bovary", ["Gustave Flaubert"], ["Lydia Davis"]),
        ("The Odyssey (Homer, translated by Emily Wilson)", "The Odyssey", ["Homer"], ["Emily Wilson"]),
        ("Collected Essays (Ann Vale ed. Bo Park)", "Collected Essays", ["Ann Vale"], []),
        ("Collected Essays (Ann Vale, edited by Bo Park)", "Collected Essays", ["Ann Vale"], []),
        ("Collected Essays (Ann Vale, introduction by Bo Park)", "Collected Essays", ["Ann Vale"], []),
        ("Best Stories (ed. Bo Park)", "Best Stories", ["Bo Park"], []),  # an anthology: its editor
        # near misses: a surname that is a role word, and a real swap with no role note
        ("A Small Book (John Trans)", "A Small Book", ["John Trans"], []),
        ("Robert C. Martin (Clean Code: A Handbook of Agile Software Craftsmanship)",
         "Clean Code: A Handbook of Agile Software Craftsmanship", ["Robert C. Martin"], []),
    ],
)  # fmt: skip
def test_title_lines_with_role_notes(line, title, authors, translators):
    from readlog.highlights import kindle

    assert kindle.title_line(line) == (title, authors, translators)


def test_a_translated_book_finds_the_book_already_here_and_a_new_one_keeps_its_translators(
    run, tmp_path, books
):
    books.mkdir(parents=True)
    (books / "madame-bovary.toml").write_text(
        'title = "Madame Bovary"\nauthors = ["Gustave Flaubert"]\nstatus = "reading"\n'
    )
    path = clippings(tmp_path,
        clipping("Madame Bovary (Gustave Flaubert trans Lydia Davis)", "She longed to travel."),
        clipping("Anna Karenina (Leo Tolstoy, tr. Marian Schwartz)", "All happy families."),
    )  # fmt: skip
    run("import", str(path), "--create", "read")
    found = by_title(run)
    assert set(found) == {"Madame Bovary", "Anna Karenina"}
    assert len(found["Madame Bovary"]["quotes"]) == 1 and found["Madame Bovary"]["authors"] == [
        "Gustave Flaubert"
    ]
    assert found["Anna Karenina"]["authors"] == ["Leo Tolstoy"]
    assert found["Anna Karenina"]["translators"] == ["Marian Schwartz"]
    assert 'translators = ["Marian Schwartz"]' in (books / "anna-karenina.toml").read_text()
    assert "translated by Marian Schwartz" in run("show", "anna-karenina").stdout


# --- 9. names First Last, suffixes after the name ------------------------------------------------------------
@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("Thaler, Richard H.", "Richard H. Thaler"),
        ("Dean Ornish, M.D.", "Dean Ornish, M.D."),
        ("Gabor Maté, Md", "Gabor Maté, Md"),
        ("M.D. Dean Ornish", "Dean Ornish, M.D."),
        ("King, Martin Luther, Jr.", "Martin Luther King, Jr."),
        ("King, Jr., Martin Luther", "Martin Luther King, Jr."),
        ("Homer", "Homer"),
        ("Md. Abdul Rahman", "Md. Abdul Rahman"),  # near miss: a given name, not a degree
        ("Ma Jian", "Ma Jian"),
    ],
)
def test_person_names(written, stored):
    from readlog.text import person_name, surname

    assert person_name(written) == stored
    assert not any(ch in surname(stored) for ch in ", .")  # the sort key keeps the surname, not a degree


def test_kindle_authors_with_degrees_keep_their_order(run, tmp_path):
    path = clippings(tmp_path,
        clipping("The Spectrum (Dean Ornish, M.D.;Anne Ornish)", "Eat well."),
        clipping("Scattered Minds (Gabor Maté, Md)", "Attention."),
    )  # fmt: skip
    run("import", str(path), "--create", "read")
    found = by_title(run)
    assert found["The Spectrum"]["authors"] == ["Dean Ornish, M.D.", "Anne Ornish"]
    assert found["Scattered Minds"]["authors"] == ["Gabor Maté, Md"]
    listed = run("list", "--sort", "author").stdout if "--sort" in run("list", "--help").stdout else ""
    assert "M.D. Dean" not in listed


def test_koreader_last_first_becomes_first_last_and_goodreads_writes_it_so(run, tmp_path):
    doc = {"title": "Nudge", "author": "Thaler, Richard H.\nSunstein, Cass R.",
           "entries": [{"text": "Choice architecture.", "page": 3, "time": 1700000000}]}  # fmt: skip
    path = tmp_path / "nudge.json"
    path.write_text(json.dumps({"documents": [doc]}))
    run("import", str(path), "--create", "read")
    assert by_title(run)["Nudge"]["authors"] == ["Richard H. Thaler", "Cass R. Sunstein"]
    out = tmp_path / "gr.csv"
    run("export", "--format", "goodreads", "--output", str(out))
    (row,) = csv.DictReader(out.open(encoding="utf-8"))
    assert row["Author"] == "Richard H. Thaler" and row["Additional Authors"] == "Cass R. Sunstein"


def test_a_suffix_survives_the_goodreads_round_trip(run, tmp_path):
    imported(
        run,
        tmp_path,
        GR_HEADER,
        [gr_row(**{"Author": "Anne Ornish", "Additional Authors": "Dean Ornish, M.D., Bo Park"})],
    )
    assert by_title(run)["A Book"]["authors"] == ["Anne Ornish", "Dean Ornish, M.D.", "Bo Park"]


# --- 4. after --update the queue positions are exactly the newer export's ---------------------------------
def _want(
    book_id: str, title: str, positions: str = "", shelves: str = "", added: str = "2020/01/02"
) -> dict:
    return gr_row(**{"Book Id": book_id, "Title": title, "Exclusive Shelf": "to-read", "Bookshelves": shelves,
                     "Bookshelves with positions": positions, "Date Added": added})  # fmt: skip


def test_update_gives_the_newer_exports_positions_and_drops_stale_ones(run, tmp_path, books):
    old = write_csv(tmp_path / "old.csv", GR_HEADER, [
        _want("1", "Moved", "to-read (#226)"),
        _want("2", "Gone", "to-read (#3)"),
        _want("3", "Mine", "to-read (#4)"),
        _want("4", "Kept", "to-read (#5)"),
    ])  # fmt: skip
    run("import", str(old))
    _set_priority(books / "mine.toml", 1)  # the reader moves it to the top in readlog
    new = write_csv(tmp_path / "new.csv", GR_HEADER, [
        _want("1", "Moved", "owned-tbr (#2)", "owned-tbr", added="2021/01/01"),  # another want shelf, no to-read place
        _want("4", "Kept", "to-read (#1)"),
    ])  # fmt: skip
    result = run("import", str(new), "--update")
    found = by_title(run)
    assert "priority" not in found["Moved"] and found["Moved"]["status"] == "want"
    assert "priority" not in found["Gone"] and found["Gone"]["status"] == "want"  # no longer listed
    assert found["Mine"]["priority"] == 1  # set in readlog: the reader's
    assert found["Kept"]["priority"] == 1
    assert "no longer in the export's to-read queue" in result.stdout + result.stderr
    queue = [line.split("\t")[0] for line in run("list", "--status", "want").stdout.splitlines()]
    assert queue  # and nothing shares a stale position
    again = run("import", str(new), "--update")
    assert "no longer" not in again.stdout + again.stderr


def _set_priority(path: Path, value: int) -> None:
    text = path.read_text()
    import re

    path.write_text(re.sub(r"(?m)^priority = \d+$", f"priority = {value}", text, count=1))  # not the record


# --- 5. an older export is refused ---------------------------------------------------------------------------
def _gr(tmp_path: Path, name: str, rating: str, added: str, read: str = "") -> Path:
    return write_csv(tmp_path / name, GR_HEADER, [
        gr_row(**{"Book Id": "1", "Title": "Dune", "My Rating": rating, "Date Added": "2019/01/01", "Date Read": read}),
        gr_row(**{"Book Id": "2", "Title": "Emma", "Date Added": added, "Exclusive Shelf": "to-read"}),
    ])  # fmt: skip


def test_an_older_export_is_refused_naming_both_dates(run, tmp_path, journal_home, unchanged):
    new = _gr(tmp_path, "new.csv", "5", "2024/05/01")
    run("import", str(new))
    old = _gr(tmp_path, "old.csv", "3", "2023/02/03")
    from conftest import snapshot

    before = snapshot(journal_home)
    for args in ([], ["--update"], ["--update", "--dry-run"]):
        error = run("import", str(old), *args, code=1).stderr
        assert "2023-02-03" in error and "2024-05-01" in error and "--force" in error
        assert "Traceback" not in error
    assert snapshot(journal_home) == before


def test_a_newer_or_equal_export_is_taken_and_a_date_read_counts(run, tmp_path):
    run("import", str(_gr(tmp_path, "a.csv", "5", "2024/05/01")))
    run("import", str(_gr(tmp_path, "same.csv", "5", "2024/05/01")), "--update")
    # near miss: the newest date is a Date Read, not a Date Added
    run("import", str(_gr(tmp_path, "b.csv", "4", "2022/01/01", read="2024/06/01")), "--update")
    assert by_title(run)["Dune"]["rating"] == 4
    error = run("import", str(_gr(tmp_path, "c.csv", "2", "2024/05/30")), "--update", code=1).stderr
    assert "2024-05-30" in error and "2024-06-01" in error


def test_force_applies_an_older_export_and_reports_each_change(run, tmp_path):
    run("import", str(_gr(tmp_path, "new.csv", "5", "2024/05/01")))
    result = run("import", str(_gr(tmp_path, "old.csv", "3", "2023/02/03")), "--update", "--force")
    assert "changed: Dune: rating 5 -> 3" in result.stderr
    assert by_title(run)["Dune"]["rating"] == 3
    # the newer date is still the one remembered: an older export is still older next time (one that
    # changes nothing, the same file again, is taken; one that would change a book is refused)
    again = run("import", str(_gr(tmp_path, "old.csv", "3", "2023/02/03"))).stderr
    assert "2024-05-01" in again and "changes no book" in again
    assert "2024-05-01" in run("import", str(_gr(tmp_path, "older.csv", "1", "2023/02/03")), code=1).stderr


def test_sources_are_told_apart(run, tmp_path):
    run("import", str(_gr(tmp_path, "gr.csv", "5", "2024/05/01")))
    sg = write_csv(tmp_path / "sg.csv", SG_HEADER, [sg_row(Title="Old One", **{"Date Added": "2010/01/01"})])
    run("import", str(sg))  # a StoryGraph export is not compared with a Goodreads one


# --- 6. readings the newer export removed are removed --------------------------------------------------------
def test_update_removes_a_reading_the_export_no_longer_has(run, tmp_path, books):
    row = {"Book Id": "7", "Title": "Mockingjay", "Date Read": "2020/01/01", "Date Added": "2019/01/01"}
    run("import", str(write_csv(tmp_path / "a.csv", GR_HEADER, [gr_row(**row, **{"Read Count": "2"})])))
    assert len(by_title(run)["Mockingjay"]["reads"]) == 2
    newer = write_csv(tmp_path / "b.csv", GR_HEADER, [gr_row(**row, **{"Read Count": "1", "My Rating": "4"})])
    run("import", str(newer), "--update")
    assert by_title(run)["Mockingjay"]["reads"] == [{"finished": "2020-01-01"}]
    fresh = tmp_path / "fresh"
    run("--data-dir", str(fresh), "import", str(newer))
    again = json.loads(run("--data-dir", str(fresh), "export", "--format", "json").stdout)
    assert again[0]["reads"] == by_title(run)["Mockingjay"]["reads"]  # as a fresh import gives


def test_a_reading_the_reader_edited_is_kept_and_reported(run, tmp_path, books):
    row = {"Book Id": "7", "Title": "Mockingjay", "Date Read": "2020/01/01", "Date Added": "2019/01/01"}
    run("import", str(write_csv(tmp_path / "a.csv", GR_HEADER, [gr_row(**row, **{"Read Count": "2"})])))
    path = books / "mockingjay.toml"
    text = path.read_text()
    assert "[[reads]]\n\n[[reads]]" in text or "[[reads]]\n[[reads]]" in text
    path.write_text(text.replace("[[reads]]\n", "[[reads]]\nstarted = 2015-03-01\n", 1))
    newer = write_csv(tmp_path / "b.csv", GR_HEADER, [gr_row(**row, **{"Read Count": "1"})])
    result = run("import", str(newer), "--update")
    reads = by_title(run)["Mockingjay"]["reads"]
    assert {"started": "2015-03-01"} in reads and {"finished": "2020-01-01"} in reads
    assert "kept 1 reading you changed here" in result.stderr


def test_a_reread_whose_earlier_date_goodreads_lost_keeps_both(run, tmp_path):
    row = {"Book Id": "7", "Title": "Dune", "Date Added": "2017/01/01"}
    run(
        "import",
        str(
            write_csv(
                tmp_path / "a.csv",
                GR_HEADER,
                [gr_row(**row, **{"Date Read": "2018/01/01", "Read Count": "1"})],
            )
        ),
    )
    newer = write_csv(
        tmp_path / "b.csv", GR_HEADER, [gr_row(**row, **{"Date Read": "2020/05/05", "Read Count": "2"})]
    )
    run("import", str(newer), "--update")
    assert by_title(run)["Dune"]["reads"] == [{"finished": "2018-01-01"}, {"finished": "2020-05-05"}]


# --- 7. Kindle: the latest selection of a passage is kept ---------------------------------------------------
LONG = "The river does not remember the rain, but it carries every drop of it to the sea."
SHORT = "The river does not remember the rain"


def test_a_shorter_reselection_replaces_the_older_longer_one(run, tmp_path):
    path = clippings(tmp_path,
        clipping("River Book (Ann Vale)", LONG, where="page 80 | Location 5955-5957", when="Monday, March 4, 2024 9:00:00 PM"),
        clipping("River Book (Ann Vale)", SHORT, where="page 80 | Location 5955-5956", when="Monday, March 4, 2024 9:01:00 PM"),
        clipping("River Book (Ann Vale)", SHORT, where="page 80 | Location 5955-5956", when="Monday, March 4, 2024 9:01:30 PM"),
    )  # fmt: skip
    run("import", str(path), "--create", "read")
    (quote,) = by_title(run)["River Book"]["quotes"]
    assert quote["text"] == SHORT and quote["location"] == "loc 5955-5956"


def test_a_growing_selection_still_keeps_the_latest_and_longest(run, tmp_path):
    path = clippings(tmp_path,
        clipping("River Book (Ann Vale)", SHORT, where="Location 5955-5956", when="Monday, March 4, 2024 9:00:00 PM"),
        clipping("River Book (Ann Vale)", LONG, where="Location 5955-5957", when="Monday, March 4, 2024 9:01:00 PM"),
    )  # fmt: skip
    run("import", str(path), "--create", "read")
    (quote,) = by_title(run)["River Book"]["quotes"]
    assert quote["text"] == LONG


def test_the_reselection_in_a_later_import_replaces_the_one_here(run, tmp_path):
    first = clipping(
        "River Book (Ann Vale)", LONG, where="Location 5955-5957", when="Monday, March 4, 2024 9:00:00 PM"
    )
    later = clipping(
        "River Book (Ann Vale)", SHORT, where="Location 5955-5956", when="Monday, March 4, 2024 9:01:00 PM"
    )
    run("import", str(clippings(tmp_path, first)), "--create", "read")
    run("import", str(clippings(tmp_path, first, later)), "--create", "read")  # the file grew
    (quote,) = by_title(run)["River Book"]["quotes"]
    assert quote["text"] == SHORT
    whole = tmp_path / "whole"
    run("--data-dir", str(whole), "import", str(clippings(tmp_path, first, later)), "--create", "read")
    (again,) = json.loads(run("--data-dir", str(whole), "export", "--format", "json").stdout)
    assert [q["text"] for q in again["quotes"]] == [SHORT]  # in steps or at once: one journal


def test_two_passages_that_only_overlap_are_both_kept(run, tmp_path):
    path = clippings(tmp_path,
        clipping("River Book (Ann Vale)", "First sentence here.", where="Location 10-12"),
        clipping("River Book (Ann Vale)", "Second sentence there.", where="Location 12-14", when="Monday, March 4, 2024 9:05:00 PM"),
    )  # fmt: skip
    run("import", str(path), "--create", "read")
    assert len(by_title(run)["River Book"]["quotes"]) == 2


# --- 13. Kindle notes: the place is a field, an edited note replaces the earlier ------------------------------
def test_a_note_without_a_highlight_keeps_its_words_and_its_place_as_a_field(run, tmp_path, books):
    path = clippings(tmp_path, clipping("Cien años (Ana Ruiz)", "Esto me recuerda a mi abuela.", kind="Note",
                                        where="Location 78"))  # fmt: skip
    run("import", str(path), "--create", "read")
    (reflection,) = by_title(run)["Cien años"]["reflections"]
    assert reflection["text"] == "Esto me recuerda a mi abuela."  # no English appended
    assert reflection["location"] == "loc 78"
    assert "loc 78" in run("show", "cien-anos").stdout


def test_an_edited_note_at_one_place_keeps_the_later(run, tmp_path):
    path = clippings(tmp_path,
        clipping("River Book (Ann Vale)", SHORT, where="Location 5955-5956", when="Monday, March 4, 2024 9:00:00 PM"),
        clipping("River Book (Ann Vale)", "rain as memroy", kind="Note", where="Location 5956", when="Monday, March 4, 2024 9:01:00 PM"),
        clipping("River Book (Ann Vale)", "rain as memory", kind="Note", where="Location 5956", when="Monday, March 4, 2024 9:01:32 PM"),
        clipping("River Book (Ann Vale)", "a note elsewhere", kind="Note", where="Location 9000", when="Monday, March 4, 2024 9:09:00 PM"),
    )  # fmt: skip
    run("import", str(path), "--create", "read")
    book = by_title(run)["River Book"]
    (quote,) = book["quotes"]
    assert quote["note"] == "rain as memory"
    assert [r["text"] for r in book["reflections"]] == ["a note elsewhere"]


# --- 8. text from a source without Markdown is escaped; the Goodreads export writes well-formed HTML --------
STARS = "*******Spoilers below***********<br/>It was *smart*, and my_var_name stays."


def test_typed_asterisks_mean_stars_everywhere(run, tmp_path):
    imported(run, tmp_path, GR_HEADER, [gr_row(**{"Title": "Starry", "My Review": STARS})])
    body = by_title(run)["Starry"]["review"]["body"]
    assert body.startswith("\\*\\*\\*\\*\\*\\*\\*Spoilers below\\*") and "\\*smart\\*" in body
    assert "my_var_name" in body  # a `_` inside a word is plain in Markdown already
    out = tmp_path / "gr.csv"
    run("export", "--format", "goodreads", "--output", str(out))
    (row,) = csv.DictReader(out.open(encoding="utf-8"))
    assert row["My Review"] == "*******Spoilers below***********<br/>It was *smart*, and my_var_name stays."
    markdown = run("export", "starry", "--format", "markdown").stdout
    assert "\\*smart\\*" in markdown  # a Markdown renderer shows stars, not emphasis


def test_the_goodreads_round_trip_gives_the_review_back_exactly(run, tmp_path):
    imported(run, tmp_path, GR_HEADER, [gr_row(**{"Title": "Starry", "My Review": STARS})])
    out = tmp_path / "gr.csv"
    run("export", "--format", "goodreads", "--output", str(out))
    back = tmp_path / "back"
    run("--data-dir", str(back), "import", str(out))
    (again,) = json.loads(run("--data-dir", str(back), "export", "--format", "json").stdout)
    assert again["review"] == by_title(run)["Starry"]["review"]


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("*it* and **bold**", "<i>it</i> and <b>bold</b>"),
        ("***a**b*", "***a**b*"),  # near miss: crossing stars stay stars, never `<b><i></b>`
        ("\\*not\\* emphasis", "*not* emphasis"),
        ("[Dune](https://www.goodreads.com/book/show/234225)", '<a href="https://www.goodreads.com/book/show/234225">Dune</a>'),
        ("a < b & c", "a &lt; b &amp; c"),
    ],
)  # fmt: skip
def test_goodreads_html_is_well_formed(markdown, html):
    from readlog.exporters.goodreads import markdown_html

    assert markdown_html(markdown) == html


def test_goodreads_book_links_come_back_as_links(run, tmp_path):
    review = "Like [b:Doomsday Book|24983|Doomsday Book (Oxford Time Travel, #1)|Connie Willis|https://x|2439628] a lot."
    imported(run, tmp_path, GR_HEADER, [gr_row(**{"Title": "Linked", "My Review": review})])
    body = by_title(run)["Linked"]["review"]["body"]
    assert "[Doomsday Book](https://www.goodreads.com/book/show/24983)" in body


@pytest.mark.parametrize("kind", ["storygraph", "librarything"])
def test_other_sources_escape_too(run, tmp_path, kind):
    if kind == "storygraph":
        path = write_csv(
            tmp_path / "sg.csv", SG_HEADER, [sg_row(Title="Starry", Review="<div>so *good*</div>")]
        )
    else:
        path = lt_file(tmp_path / "lt.tsv", [{"Title": "Starry", "Primary Author": "Doe, Jane"}])
        text = path.read_text().replace("Subjects", "Subjects\tReview").replace("\n1\t", "\n1\t", 1)
        lines = text.splitlines()
        lines[1] += "\tso *good*"
        path.write_text("\n".join(lines) + "\n")
    run("import", str(path))
    assert "so \\*good\\*" in by_title(run)["Starry"]["review"]["body"]


# --- 10. LibraryThing: status from what the file says about reading, never from a rating ----------------------
@pytest.mark.parametrize(
    ("cells", "status", "reads"),
    [
        ({"Rating": "4"}, "want", []),  # a rating alone marks nothing read
        ({"Rating": "4", "Collections": "Your library"}, "want", []),
        ({"Collections": "Read"}, "read", [{}]),
        ({"Collections": "Your library, Currently reading"}, "reading", [{}]),
        ({"Collections": "To read"}, "want", []),
        ({"Collections": "Gelesen"}, "read", [{}]),
        ({"Tags": "fiction, read"}, "read", [{}]),
        ({"Tags": "read-in-2020"}, "want", []),  # near miss: a tag that mentions reading
        ({"Date Read": "[2020-03-09]", "Rating": "3"}, "read", [{"finished": "2020-03-09"}]),
        ({"Date Started": "2021-01-01"}, "reading", [{"started": "2021-01-01"}]),
    ],
)  # fmt: skip
def test_librarything_status(run, tmp_path, cells, status, reads):
    run(
        "import",
        str(lt_file(tmp_path / "lt.tsv", [{"Title": "Cat", "Primary Author": "Doe, Jane", **cells}])),
    )
    book = by_title(run)["Cat"]
    assert book["status"] == status and book.get("reads", []) == reads
    if "Rating" in cells:
        assert book["rating"] == int(cells["Rating"])


def test_librarything_films_and_music_are_skipped_and_reported(run, tmp_path):
    path = lt_file(tmp_path / "lt.tsv", [
        {"Title": "A Film", "Primary Author": "Doe, Jane", "Media": "DVD"},
        {"Title": "An Album", "Primary Author": "Doe, Jane", "Media": "Music, CD"},
        {"Title": "A Listen", "Primary Author": "Doe, Jane", "Media": "Audiobook, CD"},
        {"Title": "A Book", "Primary Author": "Doe, Jane", "Media": "Paperback"},
    ])  # fmt: skip
    result = run("import", str(path))
    assert set(by_title(run)) == {"A Listen", "A Book"}
    assert f"{path}:2: skipped: not a book (Media: DVD)" in result.stderr
    assert f"{path}:3: skipped: not a book (Media: Music, CD)" in result.stderr


# --- 12. the Goodreads round trip: what survives, and a warning for what cannot -----------------------------
def test_goodreads_export_warns_about_what_it_cannot_hold(run, tmp_path, books):
    books.mkdir(parents=True)
    (books / "dune.toml").write_text(
        'title = "Dune"\nauthors = ["Frank Herbert"]\nstatus = "read"\nrating = 4.5\n'
        "[[reads]]\nstarted = 2018-01-01\nfinished = 2018-02-01\n[[reads]]\nfinished = 2022-03-03\n"
    )
    (books / "emma.toml").write_text('title = "Emma"\nauthors = ["Jane Austen"]\nstatus = "read"\nrating = 4\n'
                                     "[[reads]]\nfinished = 2020-01-01\n")  # fmt: skip
    out = tmp_path / "gr.csv"
    result = run("export", "--format", "goodreads", "--output", str(out))
    assert "cannot hold start dates (1 book: Dune)" in result.stderr
    assert "cannot hold the dates of earlier readings (1 book: Dune)" in result.stderr
    assert "half and quarter stars (1 book: Dune)" in result.stderr
    assert "Emma" not in result.stderr  # near miss: a book that travels whole is not named
    # the try-out: picks, the read-next heading and intro, and the reflections' titles and dates went
    # without a word (the reflections all in one Private Notes cell)
    (books / "emma.toml").write_text(
        (books / "emma.toml").read_text()
        + '\n[[reflections]]\ntitle = "On Harriet"\ntext = "Matchmaking."\n\n[[reflections]]\ntext = "Two."\n'
        + '\n[read_next]\nheading = "After Highbury"\n\n[[next]]\ntitle = "Persuasion"\n'
    )
    told = run("export", "--format", "goodreads", "--output", str(out), "--force").stderr
    for lost in ("read-next picks (1 book: Emma)", "the read-next heading and intro (1 book: Emma)",
                 "reflections' titles, dates and places (all go in one Private Notes cell) (1 book: Emma)"):  # fmt: skip
        assert lost in told, lost
    back = tmp_path / "back"
    run("--data-dir", str(back), "import", str(out))
    again = {
        b["title"]: b for b in json.loads(run("--data-dir", str(back), "export", "--format", "json").stdout)
    }
    assert again["Emma"]["reads"] == [{"finished": "2020-01-01"}] and again["Emma"]["rating"] == 4
    assert again["Dune"]["reads"] == [{}, {"finished": "2022-03-03"}]  # what the README promises, no more


def test_goodreads_to_readlog_to_goodreads_keeps_the_columns(run, tmp_path):
    rows = [gr_row(**{"Book Id": "5", "Title": "Kept", "My Rating": "3", "Date Read": "2021/02/03", "Read Count": "1",
                      "Bookshelves": "fiction", "My Review": "Fine.", "Publisher": "Harbour"})]  # fmt: skip
    source = write_csv(tmp_path / "gr.csv", GR_HEADER, rows)
    run("import", str(source))
    out = tmp_path / "out.csv"
    run("export", "--format", "goodreads", "--output", str(out))
    (row,) = csv.DictReader(out.open(encoding="utf-8"))
    for column in (
        "Book Id",
        "Title",
        "My Rating",
        "Date Read",
        "Bookshelves",
        "My Review",
        "Publisher",
        "Read Count",
    ):
        assert row[column] == rows[0][column], column


# --- 13. minor ------------------------------------------------------------------------------------------------
def test_the_not_an_export_error_names_each_format_once(run, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("x,y\n1,2\n")
    error = run("import", str(path), code=1).stderr
    assert error.count("LibraryThing,") == 1 and "LibraryThing JSON" in error


def test_a_spreadsheet_resaved_storygraph_file_says_which_columns_were_expected(run, tmp_path, journal_home):
    path = tmp_path / "sg.csv"
    path.write_text(
        "Title;Authors;ISBN/UID;Format;Read Status;Date Added\nDune;Frank Herbert;;;read;1/2/2020\n"
    )
    error = run("import", str(path), code=1).stderr
    assert "StoryGraph" in error and "';'" in error and "Title, Read Status" in error
    assert not (journal_home / "books").exists()


def test_a_goodreads_file_without_its_header_is_refused(run, tmp_path):
    path = tmp_path / "gr.csv"
    lines = write_csv(tmp_path / "x.csv", GR_HEADER, [gr_row()]).read_text().splitlines()[1:]
    path.write_text("\n".join(lines) + "\n")
    assert "not an export readlog knows" in run("import", str(path), code=1).stderr


def test_storygraph_translators_come_from_contributors_roles(run, tmp_path):
    books = imported(run, tmp_path, SG_HEADER, [
        sg_row(Title="Kafka", Authors="Franz Kafka", Contributors="Willa Muir (Translator), Edwin Muir (Translator), Ann Vale (Illustrator)"),
        sg_row(Title="Plain", Authors="Jane Doe", Contributors="Bo Park (Narrator)"),
    ])  # fmt: skip
    by = {b["title"]: b for b in books}
    assert by["Kafka"]["translators"] == ["Willa Muir", "Edwin Muir"] and by["Kafka"]["authors"] == [
        "Franz Kafka"
    ]
    assert "translators" not in by["Plain"]


def test_a_spreadsheet_date_names_its_column_and_the_expected_form(run, tmp_path):
    path = write_csv(tmp_path / "sg.csv", SG_HEADER, [sg_row(**{"Date Added": "2/23/2025"})])
    error = run("import", str(path), code=1).stderr
    assert (
        "Date Added '2/23/2025' where StoryGraph writes YYYY/MM/DD" in error
        and "re-saved by a spreadsheet" in error
    )
