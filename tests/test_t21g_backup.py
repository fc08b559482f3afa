"""A JSON backup keeps every key, at every level: `export --format json` (and `show --json`) hold the keys
readlog does not know in each table of a book file, and `import` of that JSON into a fresh journal writes
book files with the same values (session 21's try-out, finding 4: only the top level's were kept)."""

from __future__ import annotations

import json
import shutil
import tomllib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readlog import bookfile
from readlog.model import (
    Book,
    Pause,
    Pick,
    Progress,
    Quote,
    Read,
    ReadNext,
    Reflection,
    Review,
    book_from_dict,
    book_to_dict,
    book_to_json,
    checked_book,
    plain_checked,
)

REPO = Path(__file__).resolve().parent.parent

# A key readlog does not know in every table a book file has, holding each kind of value TOML has but
# dates (JSON has no date: see test_an_unknown_keys_date_comes_back_as_its_text).
EVERY_LEVEL = """\
schema = 2
title = "Unknown Keys"
authors = ["K. Writer"]
series = [{name = "Cycle", number = "2", arc = "first", volume = 7}]
status = "read"
top_extra = "kept"
top_number = 42

[[reads]]
started = 2025-01-01
finished = 2025-02-01
reads_extra = "R1"
reads_list = [1, 2.5, true, "x"]
reads_inline = {a = 1, b = "two"}

[reads.where]
place = "a train"
seat = 12

[[reads.progress]]
date = 2025-01-10
page = 40
progress_extra = "P1"

[[reads.pauses]]
paused = 2025-01-12
resumed = 2025-01-14
pause_extra = false

[[reads]]
started = 2025-03-01
second_read_extra = 3.25

[review]
body = "rev"
review_extra = "R2"

[review.nested]
deep = ["a", "b"]

[[reflections]]
date = 2025-01-02
text = "ref"
refl_extra = "R3"

[[quotes]]
text = "q"
quote_extra = "R4"
source = {device = "kobo", n = 3}

[[next]]
title = "Another Book"
authors = ["Someone"]
pick_extra = "R5"

[read_next]
heading = "Read next"
read_next_extra = "R6"

[shelf]
room = "study"

[[loans]]
to = "Ann"
"""


def _as_read(text: str) -> dict[str, Any]:
    """A book file's values as tomllib reads them, in the shape readlog writes: `schema` 1 (or none) is
    schema 2 with `series` a list, and `author` is `authors` (the file's own spellings of the same values:
    the examples use them)."""
    data = tomllib.loads(text)
    if data.get("schema", 1) == 1:
        data["schema"] = 2
        if isinstance(data.get("series"), dict):
            data["series"] = [data["series"]]
    if "author" in data:
        author = data.pop("author")
        data["authors"] = author if isinstance(author, list) else [author]
    return data


def _journal(tmp_path: Path) -> Path:
    """The example journal plus a book with unknown keys at every level."""
    journal = tmp_path / "journal"
    shutil.copytree(REPO / "examples" / "journal", journal)
    (journal / "books" / "unknown-keys.toml").write_text(EVERY_LEVEL, encoding="utf-8")
    return journal


def test_json_export_then_import_gives_back_every_books_values(run, tmp_path):
    journal = _journal(tmp_path)
    exported = run("--data-dir", str(journal), "export", "--format", "json").stdout
    dump = tmp_path / "backup.json"
    dump.write_text(exported, encoding="utf-8")
    fresh = tmp_path / "fresh"
    result = run("--data-dir", str(fresh), "import", str(dump))
    assert "0 rejected" in result.stderr
    originals = sorted(p.name for p in (journal / "books").glob("*.toml"))
    assert sorted(p.name for p in (fresh / "books").glob("*.toml")) == originals
    for name in originals:  # the parsed TOML of each book, before and after
        before = _as_read((journal / "books" / name).read_text(encoding="utf-8"))
        after = tomllib.loads((fresh / "books" / name).read_text(encoding="utf-8"))
        assert after == before, name
    # and the backup of the restored journal is the backup itself
    assert run("--data-dir", str(fresh), "export", "--format", "json").stdout == exported


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    return value


def test_show_json_holds_every_unknown_key_where_the_file_has_it(run, books):
    books.mkdir(parents=True)
    (books / "unknown-keys.toml").write_text(EVERY_LEVEL, encoding="utf-8")
    shown = json.loads(run("show", "unknown-keys", "--json").stdout)
    assert shown == {"slug": "unknown-keys", **_jsonable(tomllib.loads(EVERY_LEVEL))}
    assert shown["reads"][0]["where"] == {"place": "a train", "seat": 12}
    assert shown["reads"][0]["progress"][0]["progress_extra"] == "P1"
    assert shown["series"][0]["arc"] == "first"


def test_an_unknown_keys_date_comes_back_as_its_text(run, tmp_path):
    """JSON has no date type: a date in a key readlog does not know is exported as its ISO text and comes
    back as that text (README says so); the dates readlog knows come back as dates."""
    journal = tmp_path / "journal"
    (journal / "books").mkdir(parents=True)
    (journal / "books" / "dated.toml").write_text(
        'title = "Dated"\nbought = 2024-12-24\n\n[[reads]]\nfinished = 2025-01-01\nlent = 2025-02-03\n',
        encoding="utf-8",
    )
    dump = tmp_path / "backup.json"
    dump.write_text(run("--data-dir", str(journal), "export", "--format", "json").stdout, encoding="utf-8")
    fresh = tmp_path / "fresh"
    run("--data-dir", str(fresh), "import", str(dump))
    after = tomllib.loads((fresh / "books" / "dated.toml").read_text(encoding="utf-8"))
    assert after["bought"] == "2024-12-24"
    assert after["reads"] == [{"finished": date(2025, 1, 1), "lent": "2025-02-03"}]


def test_a_parts_unknown_date_or_time_is_no_trouble_for_the_index(run, books):
    """The index keeps a reading's latest progress and a book's series as JSON: a progress entry's or a
    series' own keys stay out of it (a date or a datetime there made every listing fail)."""
    books.mkdir(parents=True)
    (books / "timed.toml").write_text(
        'title = "Timed"\nstatus = "reading"\n\n[[reads]]\nstarted = 2025-01-01\nat = 10:00:00\n\n'
        "[[reads.progress]]\ndate = 2025-01-02\npage = 4\nwhen = 2025-01-02T10:00:00\n",
        encoding="utf-8",
    )
    (books / "serial.toml").write_text(
        'title = "Serial"\nseries = [{name = "Cycle", number = "1", since = 2020-01-01}]\n', encoding="utf-8"
    )
    assert "Timed" in run("list").stdout
    assert "p. 4" in run("show", "timed").stdout
    assert "Cycle" in run("series").stdout
    assert json.loads(run("show", "serial", "--json").stdout)["series"] == [
        {"name": "Cycle", "number": "1", "since": "2020-01-01"}
    ]
    shown = json.loads(run("show", "timed", "--json").stdout)
    assert shown["reads"][0]["at"] == "10:00:00"
    assert shown["reads"][0]["progress"][0]["when"] == "2025-01-02T10:00:00"


def test_rewrites_keep_every_unknown_key_and_the_file_around_them(run, books):
    books.mkdir(parents=True)
    path = books / "unknown-keys.toml"
    path.write_text(EVERY_LEVEL, encoding="utf-8")
    run("rate", "unknown-keys", "3")
    run("reflect", "unknown-keys", "Another thought.", "--date", "2025-04-01")
    run("quote", "unknown-keys", "Another line.")
    after = tomllib.loads(path.read_text(encoding="utf-8"))
    before = tomllib.loads(EVERY_LEVEL)
    assert after.pop("rating") == 3
    assert after["reflections"][:1] == before["reflections"]
    assert after["quotes"][:1] == before["quotes"]
    after["reflections"], after["quotes"] = after["reflections"][:1], after["quotes"][:1]
    assert after == before


def test_the_model_keeps_each_parts_unknown_keys_and_writes_them_back():
    book = bookfile.parse(EVERY_LEVEL, "unknown-keys.toml")
    first = book.reads[0]
    assert first.extra == {
        "reads_extra": "R1",
        "reads_list": [1, 2.5, True, "x"],
        "reads_inline": {"a": 1, "b": "two"},
        "where": {"place": "a train", "seat": 12},
    }
    assert first.progress[0].extra == {"progress_extra": "P1"}
    assert first.pauses[0].extra == {"pause_extra": False}
    assert book.reads[1].extra == {"second_read_extra": 3.25}
    assert book.review is not None and book.review.extra == {
        "review_extra": "R2",
        "nested": {"deep": ["a", "b"]},
    }
    assert book.reflections[0].extra == {"refl_extra": "R3"}
    assert book.quotes[0].extra == {"quote_extra": "R4"}
    assert book.next[0].extra == {"pick_extra": "R5"}
    assert book.read_next is not None and book.read_next.extra == {"read_next_extra": "R6"}
    assert book.series == [{"name": "Cycle", "number": "2", "arc": "first", "volume": 7}]
    assert book_to_dict(book) == tomllib.loads(EVERY_LEVEL)
    assert tomllib.loads(bookfile.dumps(book)) == tomllib.loads(EVERY_LEVEL)  # a new file: the same
    assert checked_book(book) == book  # an import's check keeps them
    assert plain_checked(book) == book


def test_a_new_file_from_a_plain_book_keeps_a_parts_own_keys():
    """The import's straight writer (tomlwrite.book_text) takes plain readings, reviews and reflections:
    one with keys of its own is written the dict's way, keys and all."""
    book = Book(
        title="Plain",
        authors=["A"],
        reads=[Read(finished=date(2025, 1, 1), extra={"lent": "Ann"})],
        review=Review(body="Good.", extra={"mood": "calm"}),
        reflections=[Reflection("A thought.", extra={"where": "bus"})],
    )
    assert plain_checked(book) == book
    data = tomllib.loads(bookfile.dumps(book))
    assert data["reads"] == [{"finished": date(2025, 1, 1), "lent": "Ann"}]
    assert data["review"] == {"body": "Good.", "mood": "calm"}
    assert data["reflections"] == [{"text": "A thought.", "where": "bus"}]


def test_a_key_readlog_knows_is_never_taken_from_extra():
    """A part's `extra` holding one of its table's own keys (a program's mistake: parsing never does) does
    not overwrite the part's value."""
    read = Read(finished=date(2025, 1, 1), extra={"finished": "no", "lent": "Ann"})
    book = Book(title="T", reads=[read])
    assert book_to_dict(book)["reads"] == [{"finished": date(2025, 1, 1), "lent": "Ann"}]
    for checked in (checked_book(book), plain_checked(book)):  # as the file would read back
        assert checked.reads == [Read(finished=date(2025, 1, 1), extra={"lent": "Ann"})]


def test_published_copies_leave_every_parts_unknown_keys_out():
    from readlog.privacy import public_book

    book = bookfile.parse(EVERY_LEVEL, "unknown-keys.toml")
    before = book_to_dict(book)
    public = public_book(book)
    assert public is not None
    data = book_to_dict(public)
    known = tomllib.loads(EVERY_LEVEL)
    assert data["reads"] == [
        {"started": date(2025, 1, 1), "finished": date(2025, 2, 1),
         "progress": [{"date": date(2025, 1, 10), "page": 40}],
         "pauses": [{"paused": date(2025, 1, 12), "resumed": date(2025, 1, 14)}]},
        {"started": date(2025, 3, 1)},
    ]  # fmt: skip
    assert data["review"] == {"body": "rev"}
    assert data["reflections"] == [{"date": date(2025, 1, 2), "text": "ref"}]
    assert data["quotes"] == [{"text": "q", "source": known["quotes"][0]["source"]}]
    assert data["next"] == [{"title": "Another Book", "authors": ["Someone"]}]
    assert data["read_next"] == {"heading": "Read next"}
    assert data["series"] == [{"name": "Cycle", "number": "2"}]
    assert "top_extra" not in data and "shelf" not in data
    assert book_to_dict(book) == before  # the book itself is untouched


# --- any book with keys of its own in any part: file and JSON both ways ------------------------------------
_keys = st.sampled_from(["mood", "x-note", "lent to", "where"])
_values = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=20),
    st.integers(-(2**63), 2**63 - 1),
    st.booleans(),
    st.lists(st.integers(0, 9), max_size=3),
    st.dictionaries(st.sampled_from(["a", "b"]), st.integers(0, 9), min_size=1, max_size=2),
)
_extra = st.dictionaries(_keys, _values, max_size=2)
_days = st.dates(date(1900, 1, 1), date(2100, 12, 31))

_books = st.builds(
    Book,
    title=st.sampled_from(["A Title", "Another"]),
    authors=st.just(["Someone"]),
    series=st.lists(
        st.builds(
            lambda n, e: {"name": n, "number": "1", **{f"s-{k}": v for k, v in e.items()}},
            st.sampled_from(["Cycle", "Saga"]),
            _extra,
        ),
        max_size=2,
    ),
    reads=st.lists(
        st.builds(
            Read,
            finished=st.none() | _days,
            progress=st.lists(
                st.builds(Progress, date=_days, page=st.integers(1, 500), extra=_extra), max_size=2
            ),
            pauses=st.lists(st.builds(Pause, paused=st.just(date(2020, 1, 1)), extra=_extra), max_size=1),
            extra=_extra,
        ),
        max_size=2,
    ),
    review=st.none() | st.builds(Review, body=st.just("Body."), extra=_extra),
    reflections=st.lists(st.builds(Reflection, st.just("A thought."), extra=_extra), max_size=2),
    quotes=st.lists(st.builds(Quote, st.just("A line."), extra=_extra), max_size=2),
    next=st.lists(st.builds(Pick, st.just("Next"), extra=_extra), max_size=2),
    read_next=st.none() | st.builds(ReadNext, heading=st.just("Then"), extra=_extra),
    extra=_extra,
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(_books)
def test_any_book_with_keys_of_its_own_survives_its_file_and_its_json(book):
    if book.read_next is not None and book.read_next.extra == {} and book.read_next.heading is None:
        book.read_next = None
    assert bookfile.parse(bookfile.dumps(book), "x.toml") == book
    from readlog.importers.jsonfile import _from_json

    restored = book_from_dict(_from_json(json.loads(json.dumps(book_to_json(book, "x")))))
    assert restored == book
