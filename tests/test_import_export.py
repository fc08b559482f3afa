"""Import from Goodreads and StoryGraph (real exports and one small fixture per quirk); export back out."""

from __future__ import annotations

import csv
import json
import os
import tomllib
from pathlib import Path

import pytest

from conftest import REPO, snapshot

# The real exports live beside the checkout (../shared); .ci/run, which tests a copy, says where they are.
SHARED = Path(os.environ.get("READLOG_TEST_IMPORTS") or REPO.parent / "shared" / "fixtures" / "imports")
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=f"the real exports are not here ({SHARED})")

GR_HEADER = (
    "Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Average Rating,Publisher,Binding,"
    "Number of Pages,Year Published,Original Publication Year,Date Read,Date Added,Bookshelves,"
    "Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,Private Notes,Read Count,Owned Copies"
)
SG_HEADER = (
    "Title,Authors,Contributors,ISBN/UID,Format,Read Status,Date Added,Last Date Read,Dates Read,Read Count,"
    "Moods,Pace,Character- or Plot-Driven?,Strong Character Development?,Loveable Characters?,"
    "Diverse Characters?,Flawed Characters?,Star Rating,Review,Content Warnings,Content Warning Description,"
    "Tags,Owned?"
)


def gr_row(**cells: str) -> dict[str, str]:
    row = dict.fromkeys(GR_HEADER.split(","), "")
    row.update({"Book Id": "1", "Title": "A Book", "Author": "An Author", "My Rating": "0", "Exclusive Shelf": "read",
                "Date Added": "2020/01/02", "ISBN": '=""', "ISBN13": '=""'})  # fmt: skip
    row.update({k.replace("_", " "): v for k, v in cells.items()})
    return row


def sg_row(**cells: str) -> dict[str, str]:
    row = dict.fromkeys(SG_HEADER.split(","), "")
    row.update({"Title": "A Book", "Authors": "An Author", "Read Status": "read", "Date Added": "2020/01/02"})
    row.update(cells)
    return row


def write_csv(path: Path, header: str, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=header.split(","))
        writer.writeheader()
        writer.writerows(rows)
    return path


def imported(run, tmp_path, header, rows, *args, code=0) -> list[dict]:
    path = write_csv(tmp_path / "export.csv", header, rows)
    run("import", str(path), *args, code=code)
    return json.loads(run("export", "--format", "json").stdout)


# --- one fixture per quirk in QUIRKS.md -----------------------------------------------------------------
def test_goodreads_isbn_formulas_junk_and_x(run, tmp_path):
    books = imported(run, tmp_path, GR_HEADER, [
        gr_row(**{"Book Id": "1", "Title": "X", "ISBN": '="014023666X"', "ISBN13": '=""'}),
        gr_row(**{"Book Id": "2", "Title": "Y", "ISBN": '="AlexisGlyn"', "ISBN13": '="1234567890"'}),
        gr_row(**{"Book Id": "3", "Title": "Z", "ISBN": '="0441172717"', "ISBN13": '="9780441172719"'}),
    ])  # fmt: skip
    by = {b["title"]: b for b in books}
    assert by["X"]["isbn"] == "014023666X"
    assert "isbn" not in by["Y"] and by["Y"]["source"]["goodreads"]["ISBN"] == "AlexisGlyn"
    assert by["Z"]["isbn"] == "9780441172719"


def test_goodreads_rating_zero_is_unrated_and_dates_and_read_count(run, tmp_path):
    books = imported(run, tmp_path, GR_HEADER, [
        gr_row(**{"Book Id": "1", "Title": "Unrated", "My Rating": "0", "Date Read": "", "Read Count": ""}),
        gr_row(**{"Book Id": "2", "Title": "Thrice", "My Rating": "4", "Date Read": "2019/05/03", "Read Count": "3",
                  "Date Added": "2020/01/01"}),
        gr_row(**{"Book Id": "3", "Title": "Wanted", "Exclusive Shelf": "to-read", "Read Count": "0"}),
    ])  # fmt: skip
    by = {b["title"]: b for b in books}
    assert "rating" not in by["Unrated"] and by["Unrated"]["reads"] == [{}]  # read, date unknown: never today
    assert by["Thrice"]["rating"] == 4 and by["Thrice"]["reads"] == [{}, {}, {"finished": "2019-05-03"}]
    assert by["Wanted"]["status"] == "want" and "reads" not in by["Wanted"]


def test_goodreads_shelves_statuses_tags_and_queue_order(run, tmp_path):
    books = imported(run, tmp_path, GR_HEADER, [
        gr_row(**{"Book Id": "1", "Title": "Dropped", "Exclusive Shelf": "did-not-finish", "Bookshelves": "kidz, did-not-finish"}),
        gr_row(**{"Book Id": "2", "Title": "Stopped", "Exclusive Shelf": "stopped-reading"}),
        gr_row(**{"Book Id": "3", "Title": "Now", "Exclusive Shelf": "currently-reading"}),
        gr_row(**{"Book Id": "4", "Title": "Later", "Exclusive Shelf": "to-read", "Bookshelves": "owned-to-read",
                  "Bookshelves with positions": "to-read (#656), owned-to-read (#284)"}),
        gr_row(**{"Book Id": "5", "Title": "Sooner", "Exclusive Shelf": "to-read", "Bookshelves with positions": "to-read (#12)"}),
    ])  # fmt: skip
    by = {b["title"]: b for b in books}
    assert by["Dropped"]["status"] == "abandoned" and by["Dropped"]["tags"] == ["kidz"]
    assert by["Stopped"]["status"] == "abandoned" and by["Now"]["status"] == "reading"
    assert by["Later"]["priority"] == 656 and by["Later"]["tags"] == ["owned-to-read"]
    queue = [i for i in json.loads(run("next", "--json").stdout) if "progress" not in i]
    assert [i["title"] for i in queue] == ["Sooner", "Later"]  # (the books being read come first)


def test_goodreads_review_html_links_and_private_notes(run, tmp_path):
    review = ('Loved it.<br/><br/><i>Really</i> <b>loved</b> it, see <a href="https://x.example">this</a>. '
              '<SPOILER>He dies.</SPOILER> Like [b:Doomsday Book|24983|Doomsday Book (Oxford Time Travel, #1)|Connie Willis|https://x|2439628] '
              'by [a:Connie Willis|1226977|Connie Willis|https://y].')  # fmt: skip
    books = imported(run, tmp_path, GR_HEADER, [
        gr_row(**{"My Review": review, "Private Notes": "first<br/>second<haml:newline/>third"}),
    ])  # fmt: skip
    body = books[0]["review"]["body"]
    assert body.startswith("Loved it.\n\n*Really* **loved** it, see [this](https://x.example).")
    assert (
        "(spoiler: He dies.)" in body
        and "<" not in body
        and "Like [Doomsday Book](https://www.goodreads.com/book/show/24983) by "
        "[Connie Willis](https://www.goodreads.com/author/show/1226977)."
        in body
    )
    # one <br/>: a hard break; Goodreads' private notes stay private
    assert books[0]["reflections"] == [{"text": "first\\\nsecond\\\nthird\n", "private": True}]


@pytest.mark.parametrize(
    ("title", "expected", "series"),
    [
        ("Dune (Dune, #1)", "Dune", [{"name": "Dune", "number": "1"}]),
        (
            "Hyperion Cantos (Hyperion Cantos, #1-2)",
            "Hyperion Cantos",
            [{"name": "Hyperion Cantos", "number": "1-2"}],
        ),
        (
            "Fire Watch (Oxford Time Travel, #0.5)",
            "Fire Watch",
            [{"name": "Oxford Time Travel", "number": "0.5"}],
        ),
        ("All Clear (All Clear #2)", "All Clear", [{"name": "All Clear", "number": "2"}]),
        ("Εast of Εden  ", "Εast of Εden", None),
        ("Ender’s  Game", "Ender’s Game", None),
        ("22/11/63", "22/11/63", None),
    ],
)
def test_goodreads_titles_series_and_spacing(run, tmp_path, title, expected, series):
    (book,) = imported(run, tmp_path, GR_HEADER, [gr_row(Title=title, Author="John D.  Burns")])
    assert (
        book["title"] == expected
        and book.get("series", None) == (series or None)
        and book["authors"] == ["John D. Burns"]
    )


def test_goodreads_negative_years_empty_pages_and_everything_kept(run, tmp_path):
    (book,) = imported(run, tmp_path, GR_HEADER, [
        gr_row(**{"Original Publication Year": "-700", "Year Published": "1999", "Number of Pages": "0",
                  "Publisher": "Penguin", "Additional Authors": "A Translator, An Illustrator"}),
    ])  # fmt: skip
    assert book["year"] == -700 and "pages" not in book
    source = book["source"]["goodreads"]
    assert source["Publisher"] == "Penguin" and source["Additional Authors"] == "A Translator, An Illustrator"
    assert source["Book Id"] == "1"


def test_goodreads_23_and_31_column_headers(run, tmp_path):
    short = GR_HEADER.replace("Average Rating,", "")
    row = {k: v for k, v in gr_row(Title="Short").items() if k != "Average Rating"}
    path = tmp_path / "new.csv"
    write_csv(path, short, [row])
    run("import", str(path))
    long = (
        GR_HEADER
        + ",Recommended For,Recommended By,Original Purchase Date,Original Purchase Location,Condition,Condition Description,BCID"
    )
    write_csv(tmp_path / "old.csv", long, [{**gr_row(Title="Long", **{"Book Id": "2"}), "BCID": "x1"}])
    run("import", str(tmp_path / "old.csv"))
    titles = {b["title"]: b for b in json.loads(run("export", "--format", "json").stdout)}
    assert set(titles) == {"Short", "Long"} and titles["Long"]["source"]["goodreads"]["BCID"] == "x1"


def test_storygraph_cells_ratings_dates_and_extras(run, tmp_path):
    books = imported(run, tmp_path, SG_HEADER, [
        sg_row(Title="Quarter  ", Authors="Ann Lee, Ann Lee, Bo Park", **{"Star Rating": "3.75", "Dates Read": "2024/01/01-2024/01/12",
               "Moods": "adventurous, dark", "Pace": "fast", "Content Warnings": "Graphic: Racism; Moderate: Suicide; ",
               "Owned?": "Yes", "Format": "paperback", "Review": "<div>Good.<br/>Very.</div>", "Tags": "fav, reread",
               "ISBN/UID": "B09LZ3YSCL", "Read Count": "2"}),
        sg_row(Title="Whole", **{"Star Rating": "5.0", "Dates Read": "2018/05/21, 2020/02/02-2020/02/02"}),
        sg_row(Title="Undated", **{"Star Rating": "", "Read Status": "read"}),
        sg_row(Title="Tiny", **{"Star Rating": "0.25", "Read Status": "did-not-finish"}),
        sg_row(Title="Paused", **{"Read Status": "paused"}),
    ])  # fmt: skip
    by = {b["title"]: b for b in books}
    quarter = by["Quarter"]
    assert quarter["rating"] == 3.75 and quarter["authors"] == ["Ann Lee", "Bo Park"]
    assert quarter["reads"] == [{"started": "2024-01-01", "finished": "2024-01-12"}, {}]
    assert quarter["review"]["body"] == "Good.\\\nVery.\n" and quarter["tags"] == ["fav", "reread"]
    assert "isbn" not in quarter and quarter["source"]["storygraph"]["ISBN/UID"] == "B09LZ3YSCL"
    assert quarter["source"]["storygraph"]["Moods"] == "adventurous, dark"
    assert by["Whole"]["rating"] == 5 and by["Whole"]["reads"] == [
        {"finished": "2018-05-21"}, {"started": "2020-02-02", "finished": "2020-02-02"},
    ]  # fmt: skip
    assert by["Undated"]["reads"] == [{}] and "rating" not in by["Undated"]
    assert by["Tiny"]["rating"] == 0.25 and by["Tiny"]["status"] == "abandoned"
    assert by["Paused"]["status"] == "paused"
    shown = run("show", "quarter").stdout
    assert "StoryGraph:" in shown and "moods: adventurous, dark" in shown and "pace: fast" in shown


def test_storygraph_old_header(run, tmp_path):
    old = SG_HEADER.replace("Authors,", "Author,").replace("ISBN/UID", "ISBN")
    row = {
        ("Author" if k == "Authors" else "ISBN" if k == "ISBN/UID" else k): v
        for k, v in sg_row(ISBN="9780441172719").items()
    }
    path = write_csv(tmp_path / "old.csv", old, [{**row, "ISBN": "9780441172719"}])
    run("import", str(path))
    (book,) = json.loads(run("export", "--format", "json").stdout)
    assert book["authors"] == ["An Author"] and book["isbn"] == "9780441172719"


# --- re-imports, updates, dry runs --------------------------------------------------------------------
def test_import_twice_makes_no_duplicates_and_update_keeps_the_readers_words(run, tmp_path, books):
    rows = [
        gr_row(**{"Book Id": "7", "Title": "Dune (Dune, #1)", "Author": "Frank Herbert", "My Rating": "4"})
    ]
    path = write_csv(tmp_path / "one.csv", GR_HEADER, rows)
    run("import", str(path))
    run("reflect", "dune", "My own words.")
    run("edit", "dune", env={"EDITOR": "true"})
    before = snapshot(books)
    assert "0 added, 0 updated, 1 skipped" in run("import", str(path)).stderr
    assert snapshot(books) == before
    newer = write_csv(tmp_path / "two.csv", GR_HEADER, [{**rows[0], "My Review": "Their review.", "Number of Pages": "600",
                                                          "Bookshelves": "classics"}])  # fmt: skip
    assert "1 updated" in run("import", str(newer), "--update").stderr
    data = tomllib.loads((books / "dune.toml").read_text())
    assert data["pages"] == 600 and data["tags"] == ["classics"] and data["review"]["body"] == "Their review."
    assert data["reflections"][0]["text"] == "My own words." and data["rating"] == 4
    assert len(list(books.glob("*.toml"))) == 1


def test_dry_run_writes_nothing(run, tmp_path, journal_home):
    path = write_csv(tmp_path / "x.csv", GR_HEADER, [gr_row(Title="Dry")])
    result = run("import", str(path), "--dry-run")
    assert "add: Dry" in result.stdout and "1 would be added" in result.stderr
    assert not (journal_home / "books").exists() or not list((journal_home / "books").iterdir())


def test_bad_rows_are_rejected_with_line_numbers_and_good_rows_land(run, tmp_path):
    path = tmp_path / "mixed.csv"
    good = ",".join(f'"{v}"' for v in gr_row(Title="Good").values())
    path.write_text(
        GR_HEADER + "\n" + good + "\n" + "1,too,few\n"
        + good.replace('"Good"', '""').replace('"1"', '"2"', 1) + "\n"
        + good.replace('"Good"', '"Bad date"').replace('"2020/01/02"', '"2020/13/45"').replace('"1"', '"3"', 1) + "\n"
    )  # fmt: skip
    rejects = tmp_path / "rejects.csv"
    result = run("import", str(path), "--rejects", str(rejects), code=1)
    assert f"{path}:3: 3 fields where the header has 24" in result.stderr
    assert f"{path}:4: Title: empty" in result.stderr
    assert f"{path}:5: Date Added: '2020/13/45' is not a valid date" in result.stderr
    assert "1 added" in result.stderr and "3 rejected" in result.stderr
    rows = list(csv.reader(rejects.open()))
    assert rows[0][:3] == ["line", "reason", "Book Id"] and [r[0] for r in rows[1:]] == ["3", "4", "5"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\x00\x01\x02binary\x00" * 50, "is a binary file"),
        ("Title,Author\nCaf\xe9,Me\n".encode("latin-1"), "is not UTF-8"),
        (b"name,colour\nx,red\n", "not an export readlog knows"),
        (
            (SG_HEADER + "\nWonder,R.J. Palacio,,,hardcover,to-read,2/23/2025,,,0,,,,,,,,,,,,,No\n").encode(),
            "re-saved by a spreadsheet",
        ),
        (b'[{"title": ', "not valid JSON"),
    ],
)
def test_files_that_are_not_exports_are_one_clear_error(run, tmp_path, journal_home, content, message):
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    result = run("import", str(path), code=1)
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert not (journal_home / "books").exists() or not list((journal_home / "books").iterdir())


# --- the real exports -----------------------------------------------------------------------------------
def _norm(text: str) -> str:
    import re
    import unicodedata

    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\\W_]+", " ", text).split())


def _works(rows: list[dict[str, str]], title_of, authors_of, place_of=None) -> list[list[dict[str, str]]]:
    """Rows of one work (same normalised title, a shared author), as the importer joins them. `Vol.` and
    `Volume` are one word; with `place_of`, rows at two places of one series are two works (session 21)."""
    import re

    works: list[tuple[str, set[str], list[dict[str, str]]]] = []
    for row in rows:
        title = " ".join(
            re.sub(r",?\s*\b(?:volume|vol\.?|book)\s+(?=\d)", " vol ", _norm(title_of(row))).split()
        )
        authors = {_norm(a) for a in authors_of(row) if a.strip()}
        for key, names, group in works:
            if place_of is not None and _other_place(place_of(row), place_of(group[0])):
                continue
            if key == title and (not names or not authors or names & authors):
                group.append(row)
                break
        else:
            works.append((title, authors, [row]))
    return [group for _, _, group in works]


def _other_place(a: dict[str, str], b: dict[str, str]) -> bool:
    return any(name in b and b[name] != number for name, number in a.items())


def _goodreads_places(row: dict[str, str]) -> dict[str, str]:
    """A Goodreads title's places in series: `Saga (Saga, #2)` -> {"saga": "2"}."""
    import re

    found = re.search(r"\(([^()]*#[^()]*)\)\s*$", row["Title"])
    places = (
        re.match(r"(.*?)[\s,]*#\s*([\d.]+(?:-[\d.]+)?)\s*$", p.strip())
        for p in (found[1] if found else "").split(";")
    )
    return {_norm(p[1]): p[2].lstrip("0") or "0" for p in places if p}


RANK = ["want", "abandoned", "paused", "reading", "read"]


def expected_counts(path: Path) -> dict[str, object]:
    import re

    rows = [
        {k.strip(): v.strip() for k, v in row.items()}  # an editor-aligned file pads every cell
        for row in csv.DictReader(path.open(encoding="utf-8", newline=""), skipinitialspace=True)
    ]
    if "Exclusive Shelf" in rows[0]:
        status = {"read": "read", "to-read": "want", "currently-reading": "reading"}
        works = _works(
            rows,
            lambda r: re.sub(r"\s*\([^()]*#[^()]*\)\s*$", "", r["Title"]),
            lambda r: [r["Author"], *r["Additional Authors"].split(",")],
            _goodreads_places,
        )

        def row_status(r: dict[str, str]) -> str:
            shelf = r["Exclusive Shelf"]
            if shelf in status:
                return status[shelf]
            if shelf in ("did-not-finish", "dropped", "stopped-reading", "wont-finish", "abandoned"):
                return "abandoned"
            return "read" if r["Date Read"] or float(r["Read Count"] or 0) > 0 else "want"

        return {
            "books": len(works),
            "statuses": sorted(max((row_status(r) for r in w), key=RANK.index) for w in works),
            "rated": sum(any(float(r["My Rating"] or 0) > 0 for r in w) for w in works),
            "dated reads": sum(len({r["Date Read"] for r in w if r["Date Read"]}) for w in works),
        }
    status = {
        "read": "read",
        "to-read": "want",
        "currently-reading": "reading",
        "did-not-finish": "abandoned",
        "paused": "paused",
    }
    works = _works(  # (an edition's label is no other work: `Crime and Punishment (Abridged)`, session 20)
        rows,
        lambda r: re.sub(r"\s*\((?:abridged|unabridged|[^()]*edition)\)\s*$", "", r["Title"], flags=re.I),
        lambda r: r["Authors"].split(","),
    )

    def dated(r: dict[str, str]) -> set[str]:
        parts = {p.strip() for p in r["Dates Read"].split(",") if p.strip()}
        return parts or ({r["Last Date Read"].strip()} if r["Last Date Read"].strip() else set())

    return {
        "books": len(works),
        "statuses": sorted(max((status[r["Read Status"]] for r in w), key=RANK.index) for w in works),
        "rated": sum(any(r["Star Rating"].strip() for r in w) for w in works),
        "dated reads": sum(len(set().union(*(dated(r) for r in w))) for w in works),
    }


@needs_shared
@pytest.mark.parametrize("name", sorted(p.name for p in SHARED.glob("*.csv")) if SHARED.is_dir() else [])
def test_real_exports_import_whole(run, name):
    path = SHARED / name
    result = run("import", str(path))
    assert "0 rejected" in result.stderr
    books = json.loads(run("export", "--format", "json").stdout)
    want = expected_counts(path)
    assert len(books) == want["books"]
    assert sorted(b.get("status") for b in books) == want["statuses"]
    assert sum("rating" in b for b in books) == want["rated"]
    assert sum(1 for b in books for r in b.get("reads", []) if "finished" in r) == want["dated reads"]
    assert "0 added" in run("import", str(path)).stderr  # again: nothing new


# --- export ---------------------------------------------------------------------------------------------
def test_json_round_trip_through_an_empty_journal(run, tmp_path, monkeypatch):
    journal = REPO / "examples" / "journal"
    exported = run("--data-dir", str(journal), "export", "--format", "json").stdout
    dump = tmp_path / "all.json"
    dump.write_text(exported)
    fresh = tmp_path / "fresh"
    run("--data-dir", str(fresh), "import", str(dump))
    assert run("--data-dir", str(fresh), "export", "--format", "json").stdout == exported
    from readlog import bookfile

    for path in (journal / "books").glob("*.toml"):  # the same slugs, and the same books in them
        copy = fresh / "books" / path.name
        assert bookfile.parse(copy.read_text(), "copy") == bookfile.parse(path.read_text(), "original")


def test_markdown_export_of_the_example_review_has_every_part_in_order(run):
    journal = str(REPO / "examples" / "journal")
    post = run("--data-dir", journal, "export", "never let me go", "--format", "markdown").stdout
    parts = [
        "# The gentlest book about the cruellest idea", "*Never Let Me Go* by Kazuo Ishiguro · ★★★★½ (4.5/5)",
        "## A school with a secret", "## Why nobody runs", "## What memory is for", "## How it is told",
        "## Reflections", "*2025-03-05*", "What makes a life count as fully human", "## Remembered lines",
        "> We had our memories; nobody could take those away from us.", "> — ch. 23 (my paraphrase)",
        "## Three Ishiguro Novels to Read After Hailsham", "If the quiet ache", "1. **The Remains of the Day**", "A butler looks back",
        "2. **Klara and the Sun**", "3. **An Artist of the Floating World**", "reckoning with a legacy",
    ]  # fmt: skip
    positions = [post.find(p) for p in parts]
    assert all(p >= 0 for p in positions), [p for p, i in zip(parts, positions, strict=True) if i < 0]
    assert positions == sorted(positions)
    # the heading names Ishiguro: the picks do not repeat "by Kazuo Ishiguro"
    assert "by Kazuo Ishiguro" not in post[post.find("## Three Ishiguro") :]


def test_markdown_folder_export_with_front_matter_and_no_overwrite(run, tmp_path):
    journal = str(REPO / "examples" / "journal")
    out = tmp_path / "site"
    run("--data-dir", journal, "export", "--format", "markdown", "--output", str(out))
    page = (out / "never-let-me-go.md").read_text()
    assert page.startswith(
        '---\ntitle: "Never Let Me Go"\nauthors: ["Kazuo Ishiguro"]\nrating: 4.5\nstatus: "read"\n'
    )
    assert len(list(out.glob("*.md"))) == 6
    assert (
        "use --force"
        in run("--data-dir", journal, "export", "--format", "markdown", "--output", str(out), code=1).stderr
    )
    run("--data-dir", journal, "export", "--format", "markdown", "--output", str(out), "--force")


def test_csv_and_goodreads_exports_and_output_files(run, tmp_path):
    journal = str(REPO / "examples" / "journal")
    rows = list(csv.DictReader(run("--data-dir", journal, "export", "--format", "csv").stdout.splitlines()))
    assert {r["title"] for r in rows} >= {"Never Let Me Go", "Piranesi"}
    target = tmp_path / "gr.csv"
    run("--data-dir", journal, "export", "--format", "goodreads", "--output", str(target))
    gr = {r["Title"]: r for r in csv.DictReader(target.open())}
    assert gr["Never Let Me Go"]["My Rating"] == "5" and gr["Never Let Me Go"]["ISBN13"] == '="9781400078776"'
    assert gr["Klara and the Sun"]["Exclusive Shelf"] == "currently-reading"
    assert (
        "already exists"
        in run("--data-dir", journal, "export", "--format", "csv", "--output", str(target), code=1).stderr
    )
    assert (
        "--format: 'pdf' is not a format"
        in run("--data-dir", journal, "export", "--format", "pdf", code=2).stderr
    )
    # a Goodreads export of readlog's own books imports back as the same books
    fresh = tmp_path / "fresh"
    run("--data-dir", str(fresh), "import", str(target))
    titles = {b["title"] for b in json.loads(run("--data-dir", str(fresh), "export").stdout)}
    assert titles == {r["Title"] for r in gr.values()}


# --- hostile and arbitrary rows -------------------------------------------------------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from test_hostile import HOSTILE  # noqa: E402


@pytest.mark.parametrize(
    "name", [n for n in HOSTILE if n not in ("megabyte", "surrogate")]
)  # no UTF-8 file holds a surrogate
@pytest.mark.parametrize(
    "column", ["Title", "Author", "My Review", "Bookshelves", "Date Read", "ISBN13", "My Rating"]
)
def test_hostile_cells_in_an_import(run, tmp_path, name, column):
    path = write_csv(tmp_path / "x.csv", GR_HEADER, [gr_row(**{column: HOSTILE[name]})])
    result = run.runner.invoke(__import__("readlog.cli").cli.app, ["import", str(path)])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "\x1b" not in result.output
    if result.exit_code == 0:
        assert run("check").exit_code == 0  # whatever was accepted is a valid book file


cells = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    deadline=None,
)
@given(st.lists(st.fixed_dictionaries({k: cells for k in GR_HEADER.split(",")}), min_size=1, max_size=3))
def test_the_importer_never_raises_on_arbitrary_rows(tmp_path, rows):
    from readlog.errors import ReadlogError
    from readlog.importers import parse_file

    path = write_csv(tmp_path / "arbitrary.csv", GR_HEADER, rows)
    try:
        report, books = parse_file(path)
    except ReadlogError as error:  # the one file-level refusal random dates can trigger
        assert "spreadsheet" in str(error) or "not valid CSV" in str(error)
        return
    assert len(report.rejected) + len(books) <= len(rows)


@given(st.text(alphabet=st.sampled_from(["a", ",", '"', "\n", "\r", "\u2028", "\x1e", "é"]), max_size=40))
def test_csv_lines_split_as_stringio_does(text):
    """The importer's line splitter gives exactly the lines `io.StringIO(text, newline="")` gives (which
    copied a whole export at four bytes a character)."""
    import io

    from readlog.importers.base import csv_lines

    assert list(csv_lines(text)) == list(io.StringIO(text, newline=""))
