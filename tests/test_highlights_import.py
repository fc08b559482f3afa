"""`readlog import` of highlights, through the CLI: matching books, creating them, idempotent re-imports,
edited highlights, reader-edited quotes, errors."""

from __future__ import annotations

import csv
import json
import tomllib
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from readlog.cli import app
from readlog.journal import Journal
from test_highlights_kindle import ENGLISH, SEP, SHARED, clippings, english_date, needs_shared


def book_file(books: Path, slug: str) -> dict:
    return tomllib.loads((books / f"{slug}.toml").read_text())


def write(tmp_path: Path, raw: bytes, name: str = "My Clippings.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(raw)
    return path


def record(title: str, loc: str, when: datetime, text: str, kind: str = "Highlight") -> str:
    return f"{title}\n- Your {kind} on page 1 | Location {loc} | Added on {english_date(when)}\n\n{text}\n{SEP}\n"


def test_clippings_become_quotes_notes_and_reflections(run, tmp_path, books):
    path = write(tmp_path, clippings(ENGLISH, english_date))
    out = run("import", str(path)).stderr
    assert out.splitlines() == [
        "The Salt Road (new, read): 3 highlights added, 1 note attached, 1 note kept as a reflection, "
        "2 duplicates collapsed",
        "Glass Orchards (new, read): 1 highlight added",
        "kindle highlights: 4 added to 2 books (2 created); skipped 1 bookmark; 0 rejected",
    ]
    salt = book_file(books, "the-salt-road")
    assert salt["authors"] == ["Ada Okafor"] and salt["status"] == "read" and salt["reads"] == [{}]
    quotes = [{k: v for k, v in q.items() if k != "key"} for q in salt["quotes"]]
    assert quotes == [
        {"text": "A road is a promise somebody kept.", "page": 12, "location": "loc 180-182",
         "date": date(2024, 3, 5)},
        {"text": "Salt remembers the sea it came from, and so do we.", "page": 14, "location": "loc 200-203",
         "note": "the book in one line", "date": date(2024, 3, 6)},
        {"text": "Nobody walks a desert alone; they only think they do.", "page": 41, "location": "loc 601-602",
         "date": date(2024, 3, 9)},
    ]  # fmt: skip
    assert all(q["key"].startswith("kindle:") for q in salt["quotes"])
    assert salt["reflections"] == [
        {"date": date(2024, 3, 8), "text": "ask Mum about the caravans", "location": "loc 455"}
    ]
    glass = book_file(books, "glass-orchards")
    assert glass["authors"] == ["Maj Lindqvist", "Tom Arden"]


def test_reimport_adds_nothing_and_a_longer_file_only_the_new(run, tmp_path, books):
    path = write(tmp_path, clippings(ENGLISH, english_date))
    run("import", str(path))
    before = (books / "the-salt-road.toml").read_text()
    again = run("import", str(path)).stderr
    assert "kindle highlights: 0 added to 2 books (0 created)" in again
    assert (books / "the-salt-road.toml").read_text() == before
    longer = clippings(ENGLISH, english_date) + (
        record("The Salt Road (Okafor, Ada)", "601-604", datetime(2024, 4, 1, 9, 0),
               "Nobody walks a desert alone; they only think they do. The desert walks with them.")
        + record("The Salt Road (Okafor, Ada)", "700-701", datetime(2024, 4, 2, 9, 0), "A new line.")
    ).encode()  # fmt: skip
    out = run("import", str(write(tmp_path, longer))).stderr
    assert out.splitlines()[0].startswith(
        "The Salt Road: 1 highlight added, 1 replaced by a later selection, 3 duplicates collapsed"
    )
    texts = [q["text"] for q in book_file(books, "the-salt-road")["quotes"]]
    assert texts == [
        "A road is a promise somebody kept.",
        "Salt remembers the sea it came from, and so do we.",
        "Nobody walks a desert alone; they only think they do. The desert walks with them.",
        "A new line.",
    ]


def test_a_quote_the_reader_edited_is_never_overwritten(run, tmp_path, books):
    run("import", str(write(tmp_path, clippings(ENGLISH, english_date))))
    journal = Journal(books.parent)

    def edit(book):
        book.quotes[0].text = "A road is a promise somebody kept. (my words)"

    journal.modify("the-salt-road", edit)
    grown = clippings(ENGLISH, english_date) + record(
        "The Salt Road (Okafor, Ada)", "180-183", datetime(2024, 5, 1, 9, 0),
        "A road is a promise somebody kept, and a debt somebody paid.",
    ).encode()  # fmt: skip
    out = run("import", str(write(tmp_path, grown))).stderr
    assert "1 kept as you edited it" in out
    quotes = book_file(books, "the-salt-road")["quotes"]
    assert quotes[0]["text"] == "A road is a promise somebody kept. (my words)"
    assert len(quotes) == 3


def test_highlights_find_the_journal_book_by_identity(run, tmp_path, books):
    run("add", "The Salt Road: A Novel", "--author", "Okafor, Ada")  # a label subtitle: the same work
    run("add", "Dune", "--author", "Frank Herbert")
    raw = (
        clippings(ENGLISH, english_date)
        + record(
            "Dune (Dune #1) (Herbert, Frank)", "10-11", datetime(2024, 1, 1), "Fear is the mind-killer."
        ).encode()
    )
    out = run("import", str(write(tmp_path, raw)), "--create", "none").stderr
    assert "The Salt Road: A Novel: 3 highlights added" in out
    assert "skipped (not in the journal; --create none): Glass Orchards" in out
    assert (
        "highlights: 4 added to 2 books (0 created); 1 book not in the journal skipped (--create none)" in out
    )
    assert sorted(p.stem for p in books.glob("*.toml")) == ["dune", "the-salt-road-a-novel"]
    assert book_file(books, "dune")["quotes"][0]["text"] == "Fear is the mind-killer."


def test_a_clipping_that_only_maybe_is_a_book_goes_to_none(run, tmp_path, books):
    """A real subtitle on one side only is a maybe: the clipping is not guessed into that book."""
    run("add", "The Salt Road: A Novel of the Sahel", "--author", "Ada Okafor")
    out = run("import", str(write(tmp_path, clippings(ENGLISH, english_date))), "--create", "none").stderr
    assert "skipped (not in the journal; --create none): The Salt Road" in out.replace(", Glass Orchards", "")
    assert "quotes" not in book_file(books, "the-salt-road-a-novel-of-the-sahel")


@pytest.mark.parametrize("dry", [False, True])
def test_a_clipping_that_only_maybe_is_a_book_is_its_own_book_and_says_which(run, tmp_path, books, dry):
    """Kept as its own book (never guessed into the maybe), as an export's row is, with the same warning:
    the journal's `The Salt Road: A Novel of the Sahel` and clippings of `The Salt Road` by her."""
    run("add", "The Salt Road: A Novel of the Sahel", "--author", "Ada Okafor")
    path = write(tmp_path, clippings(ENGLISH, english_date))
    result = run("import", str(path), *(["--dry-run"] if dry else []))
    said = [line for line in result.stderr.splitlines() if "may be the same book" in line]
    merge = "`readlog merge`" if dry else "`readlog merge the-salt-road-a-novel-of-the-sahel the-salt-road`"
    assert said == [
        "readlog: The Salt Road: may be the same book as the-salt-road-a-novel-of-the-sahel (The Salt Road: A "
        "Novel of the Sahel by Ada Okafor): kept as its own book (`readlog check` lists the pair; "
        f"{merge} joins them; on a terminal the import asks)"
    ]
    assert "quotes" not in book_file(books, "the-salt-road-a-novel-of-the-sahel")
    created = sorted(p.stem for p in books.glob("*.toml"))
    assert ("the-salt-road" in created) is not dry


def test_create_status_default_and_chosen(run, tmp_path, books):
    recent = datetime.now() - timedelta(days=10)
    raw = clippings(ENGLISH, english_date) + record("Fresh Ink (Noor Haddad)", "5-6", recent, "Wet.").encode()
    run("import", str(write(tmp_path, raw)))
    fresh = book_file(books, "fresh-ink")
    assert fresh["status"] == "reading" and fresh["reads"] == [{"started": recent.date()}]
    assert book_file(books, "the-salt-road")["status"] == "read"
    other = write(tmp_path, record("Later (Someone Else)", "1-2", recent, "Soon.").encode(), "later.txt")
    run("import", str(other), "--create", "want")
    assert book_file(books, "later")["status"] == "want"
    run("import", str(other), "--create", "maybe", code=2)  # (a usage error)


def test_dry_run_writes_nothing(run, tmp_path, books, unchanged):
    dry = run("import", str(write(tmp_path, clippings(ENGLISH, english_date))), "--dry-run")
    assert dry.stdout.splitlines() == [  # its data, claiming no write (29b #3: "(new, read) ... added")
        "The Salt Road (would be created, read): 3 highlights would be added, 1 note would be attached, "
        "1 note would be kept as a reflection, 2 duplicates would be collapsed",
        "Glass Orchards (would be created, read): 1 highlight would be added",
    ]
    out = dry.stderr
    assert "kindle highlights: 4 would be added to 2 books (2 would be created)" in out
    unchanged()


def test_a_damaged_record_is_reported_with_its_line_and_the_rest_lands(run, tmp_path, books):
    raw = clippings(ENGLISH, english_date) + b"Broken (Nobody)\nno metadata here\n" + SEP.encode() + b"\n"
    rejects = tmp_path / "rejects.csv"
    result = run("import", str(write(tmp_path, raw)), "--rejects", str(rejects), code=1)
    assert "rejected" in result.stderr and ":46:" in result.stderr
    assert len(book_file(books, "the-salt-road")["quotes"]) == 3
    rows = list(csv.reader(rejects.open()))
    assert rows[0] == ["line", "reason", "text"] and rows[1][0] == "46"


def test_a_file_of_another_kind_is_one_clear_error(run, tmp_path, books):
    path = write(tmp_path, b"Dear diary,\nnothing here is a clipping.\n", "notes.txt")
    result = run("import", str(path), code=1)
    assert result.stderr.count("\n") == 1 and "readlog: error:" in result.stderr
    assert not books.exists() or not list(books.glob("*.toml"))
    folder = tmp_path / "empty-folder"
    folder.mkdir()
    result = run("import", str(folder), code=1)
    assert "holds no highlights" in result.stderr


def test_show_search_and_markdown_export_include_imported_quotes(run, tmp_path, books):
    run("import", str(write(tmp_path, clippings(ENGLISH, english_date))))
    shown = run("show", "the salt road").stdout
    assert shown.index("A road is a promise") < shown.index("Salt remembers") < shown.index("Nobody walks")
    assert "p. 14 · loc 200-203 · 2024-03-06" in shown and "note: the book in one line" in shown
    hits = json.loads(run("search", "caravans", "--json").stdout)
    assert hits[0]["slug"] == "the-salt-road"
    hits = json.loads(run("search", "desert", "--in", "quotes", "--json").stdout)
    assert [h["slug"] for h in hits] == ["the-salt-road"]
    markdown = run("export", "the salt road", "--format", "markdown").stdout
    assert "> Salt remembers the sea it came from, and so do we.\n> — p. 14, loc 200-203" in markdown


def test_quote_writes_today_or_the_given_date(run, books):
    run("add", "Dune", "--author", "Frank Herbert")
    run("quote", "dune", "Fear is the mind-killer.")
    run("quote", "dune", "The spice must flow.", "--date", "2020-02-29")
    quotes = book_file(books, "dune")["quotes"]
    assert [q["date"] for q in quotes] == [date.today(), date(2020, 2, 29)]
    run("quote", "dune", "x", "--date", "yesterday-ish", code=2)  # a value the option cannot take


def test_old_quote_fields_stay_valid_and_new_ones_round_trip(run, books):
    books.mkdir(parents=True)
    (books / "old.toml").write_text(
        'title = "Old"\n\n[[quotes]]\ntext = "Plain."\npage = 3\n\n[[quotes]]\ntext = "New."\n'
        'location = "loc 5-6"\nchapter = "Two"\ndate = 2024-01-02\nkey = "kindle:abc:loc5-6:0123456789"\n'
        'source = { date = "Added on a strange day" }\n'
    )
    run("check")
    data = json.loads(run("export", "old", "--format", "json").stdout)
    assert data["quotes"][1] == {
        "text": "New.", "location": "loc 5-6", "date": "2024-01-02", "chapter": "Two",
        "key": "kindle:abc:loc5-6:0123456789", "source": {"date": "Added on a strange day"},
    }  # fmt: skip


@needs_shared
def test_real_files_import_and_reimport(run, tmp_path, books):
    kindle = SHARED / "kindle" / "en_highlights_notes_bookmark_growing-dupes_bom_crlf.txt"
    first = run("import", str(kindle)).stderr
    assert "kindle highlights: 93 added to 3 books (3 created); skipped 1 bookmark; 0 rejected" in first
    assert "0 added to 3 books" in run("import", str(kindle)).stderr
    for name in ("kobo/KoboReader_trimmed_suntzu_2highlights_2notes.sqlite",
                 "koreader/koreader-export_json-1.0.0_single-document.json"):  # fmt: skip
        out = run("import", str(SHARED / name)).stderr
        assert "0 rejected" in out
        assert " 0 added" not in out
        assert " 0 added" in run("import", str(SHARED / name)).stderr


@needs_shared
@pytest.mark.parametrize("folder", ["kindle", "koreader", "kobo"])
def test_every_real_sample_imports(run, folder):
    for path in sorted((SHARED / folder).iterdir()):
        if path.suffix in (".txt", ".lua", ".json", ".sqlite"):
            run("import", str(path))


def test_a_title_line_written_the_other_way_round(run, tmp_path, books):
    run("add", "Never Let Me Go", "--author", "Kazuo Ishiguro")
    raw = (
        record("Ishiguro, Kazuo (Never Let Me Go)", "10-11", datetime(2024, 1, 1), "Swapped line.")
        + record("Salt, Road (Ada Okafor)", "5-6", datetime(2024, 1, 2), "Stays as it is.")
    ).encode()
    out = run("import", str(write(tmp_path, raw)), "--create", "none").stderr
    assert "Never Let Me Go: 1 highlight added" in out
    assert book_file(books, "never-let-me-go")["quotes"][0]["text"] == "Swapped line."


def test_one_book_in_both_orders_within_a_file_is_one_book(run, tmp_path, books):
    raw = (
        record("The Quiet Atlas (Mori, Ren)", "10-11", datetime(2024, 1, 1), "One.")
        + record("Mori, Ren (The Quiet Atlas)", "20-21", datetime(2024, 1, 2), "Two.")
        + record("The Quiet Atlas (Ren Mori)", "30-31", datetime(2024, 1, 3), "Three.")
    ).encode()
    run("import", str(write(tmp_path, raw)))
    assert [p.stem for p in books.glob("*.toml")] == ["the-quiet-atlas"]
    atlas = book_file(books, "the-quiet-atlas")
    assert atlas["authors"] == ["Ren Mori"] and [q["text"] for q in atlas["quotes"]] == [
        "One.",
        "Two.",
        "Three.",
    ]


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"the real highlight samples are not here ({SHARED})")
def test_real_clippings_go_only_to_books_that_are_surely_theirs(run, books):
    """Real Kindle files against a journal of near misses: a clipping lands only where it is surely the
    work (an exact title, an edition subtitle); a subtitle on one side only, a part, an adaptation: none."""
    for title, author in [
        (
            "Elantris",
            "Brandon Sanderson",
        ),  # the clippings say `: Tenth Anniversary Author's Definitive Edition`
        ("The Help", "Kathryn Stockett"),  # exact
        ("1984: The Graphic Novel", "George Orwell"),  # an adaptation of the clippings' 1984
        ("The Tipping Point: Part Two", "Malcolm Gladwell"),  # a part
        ("Lab Girl: A Field Journal", "Hope Jahren"),  # a subtitle on one side only: maybe
    ]:
        run("add", title, "-a", author, "--new")
    for name in ("en_no-blank-line-after-meta_notes.txt", "en_oldformat_highlight-loc_bookmarks_bom_crlf.txt",
                 "en_kindle4_highlight-loc_gmt-offset.txt"):  # fmt: skip
        run.runner.invoke(app, ["import", str(SHARED / "kindle" / name), "--create", "none"])
    quoted = {p.stem for p in books.glob("*.toml") if book_file(books, p.stem).get("quotes")}
    assert quoted == {"elantris", "the-help"}
