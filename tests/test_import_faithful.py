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
        header, rows = GR_HEADER, [gr_row(**{"Book Id": "1", "Title": "Über Alles", "Author": "Jürgen Ö"}),
                                   gr_row(**{"Book Id": "2", "Title": "Déjà Vu", "Author": "Amélie"})]
    else:
        header, rows = SG_HEADER, [sg_row(Title="Über Alles", Authors="Jürgen Ö"),
                                   sg_row(Title="Déjà Vu", Authors="Amélie")]
    path = write_csv(tmp_path / "x.csv", header, rows)  # fmt: skip
    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2].decode().encode("cp1252")
    path.write_bytes(b"\n".join(lines))
    result = run("import", str(path))
    assert f"{path}: line 3: not UTF-8, read as Windows-1252" in result.stderr
    assert set(by_title(run)) == {"Über Alles", "Déjà Vu"}


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
    ("shelf", "status"),
    [
        ("abandonados", "abandoned"), ("abgebrochen", "abandoned"), ("abandonnés", "abandoned"),
        ("abbandonati", "abandoned"), ("lidos", "read"), ("gelesen", "read"), ("à lire", "want"),
        ("por leer", "want"), ("por-leer", "want"), ("want-to-finish-eventually", "paused"),
        # near misses: a shelf that only mentions reading is a tag, not a status
        ("read-in-2020", "want"), ("reading-soon", "want"), ("lidos-2019", "want"), ("fiction", "want"),
    ],
)  # fmt: skip
def test_shelf_words_in_other_languages(run, tmp_path, shelf, status):
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
def clipping(title_line: str, text: str, kind: str = "Highlight", where: str = "Location 10-12",
             when: str = "Monday, March 4, 2024 9:00:00 PM") -> str:
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


def test_a_translated_book_finds_the_book_already_here_and_a_new_one_keeps_its_translators(run, tmp_path, books):
    books.mkdir(parents=True)
    (books / "madame-bovary.toml").write_text('title = "Madame Bovary"\nauthors = ["Gustave Flaubert"]\nstatus = "reading"\n')
    path = clippings(tmp_path,
        clipping("Madame Bovary (Gustave Flaubert trans Lydia Davis)", "She longed to travel."),
        clipping("Anna Karenina (Leo Tolstoy, tr. Marian Schwartz)", "All happy families."),
    )  # fmt: skip
    run("import", str(path), "--create", "read")
    found = by_title(run)
    assert set(found) == {"Madame Bovary", "Anna Karenina"}
    assert len(found["Madame Bovary"]["quotes"]) == 1 and found["Madame Bovary"]["authors"] == ["Gustave Flaubert"]
    assert found["Anna Karenina"]["authors"] == ["Leo Tolstoy"]
    assert found["Anna Karenina"]["translators"] == ["Marian Schwartz"]
    assert 'translators = ["Marian Schwartz"]' in (books / "anna-karenina.toml").read_text()


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
    imported(run, tmp_path, GR_HEADER, [gr_row(**{"Author": "Anne Ornish", "Additional Authors": "Dean Ornish, M.D., Bo Park"})])
    assert by_title(run)["A Book"]["authors"] == ["Anne Ornish", "Dean Ornish, M.D.", "Bo Park"]
