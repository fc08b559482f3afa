"""`next --suggest --explain`: a series signal that takes away says why (session 22's try-out: "you rated
the 2 books you read 4.5 on average" read as praise on a line that subtracts). Book 4 of each series here
waits behind the want Book 3, as the try-out's did (so it is not "next in the series you are reading")."""

from __future__ import annotations

import json

from test_suggest import filler, write


def series_signal(run, slug: str) -> dict:
    explained = json.loads(run("next", "--suggest", "--explain", slug, "--json").stdout)
    return next(s for s in explained["signals"] if s["signal"] == "series")


def test_a_series_the_author_line_counts_already_says_so(run, books):
    """Mutation: the `if value < 0` words taken out of `_series_signal`: the reason is only the praise,
    and this fails."""
    filler(books, rating=3)
    for n in (1, 2):
        write(books, f"glass-{n}", f"Glass Saga {n}", "Mira Glass", "read", rating=4.5,
              series={"name": "Glass Saga", "number": str(n)})  # fmt: skip
    write(
        books, "glass-3", "Glass Saga 3", "Mira Glass", "want", series={"name": "Glass Saga", "number": "3"}
    )
    write(
        books, "glass-4", "Glass Saga 4", "Mira Glass", "want", series={"name": "Glass Saga", "number": "4"}
    )
    signal = series_signal(run, "glass-4")
    assert signal["value"] < 0
    assert "you rated the 2 books you read 4.5 on average (your mean: " in signal["evidence"]
    assert "the author line counts these books already, and the series alone says less" in signal["evidence"]


def test_a_series_rated_under_the_mean_says_so(run, books):
    filler(books, rating=4)
    for n in (1, 2):
        write(books, f"iron-{n}", f"Iron Saga {n}", "Ann Iron", "read", rating=2,
              series={"name": "Iron Saga", "number": str(n)})  # fmt: skip
    for n in (1, 2, 3):
        write(books, f"iron-other-{n}", f"Other Iron {n}", "Ann Iron", "read", rating=5)
    write(books, "iron-3", "Iron Saga 3", "Ann Iron", "want", series={"name": "Iron Saga", "number": "3"})
    write(books, "iron-4", "Iron Saga 4", "Ann Iron", "want", series={"name": "Iron Saga", "number": "4"})
    signal = series_signal(run, "iron-4")
    assert signal["value"] < 0
    assert "you rated the 2 books you read 2 on average, under your mean of " in signal["evidence"]
    assert "author line" not in signal["evidence"]


def test_a_series_that_adds_keeps_its_words(run, books):
    filler(books, rating=3)
    for n in (1, 2):
        write(books, f"glass-{n}", f"Glass Saga {n}", "Mira Glass", "read", rating=5,
              series={"name": "Glass Saga", "number": str(n)})  # fmt: skip
    write(books, "glass-other", "Other Glass", "Mira Glass", "read", rating=2)
    write(
        books, "glass-3", "Glass Saga 3", "Mira Glass", "want", series={"name": "Glass Saga", "number": "3"}
    )
    write(
        books, "glass-4", "Glass Saga 4", "Mira Glass", "want", series={"name": "Glass Saga", "number": "4"}
    )
    signal = series_signal(run, "glass-4")
    assert signal["value"] > 0
    assert signal["evidence"] == "in the Glass Saga series: you rated the 2 books you read 5 on average"


def test_with_the_author_line_off_a_loved_series_is_not_taken_down(run, books, tmp_path):
    """Session 23's try-out: `suggest.author = 0` and the series still subtracted the author's signal ("the
    author line counts these books already", where it counted nothing). Mutation: `counted` back to 1:
    the value is negative and the words come back, and this fails."""
    config = tmp_path / "config.toml"
    config.write_text("[suggest]\nauthor = 0\n")
    filler(books, rating=3)
    for n in (1, 2, 3):
        write(books, f"frost-{n}", f"Frost Saga {n}", "Ada Loved", "read", rating=5,
              series={"name": "Frost Saga", "number": str(n)})  # fmt: skip
    write(books, "frost-4", "Frost Saga 4", "Ada Loved", "want", series={"name": "Frost Saga", "number": "4"})
    write(books, "frost-5", "Frost Saga 5", "Ada Loved", "want", series={"name": "Frost Saga", "number": "5"})
    explained = json.loads(
        run("next", "--suggest", "--explain", "frost-5", "--json", env={"READLOG_CONFIG": str(config)}).stdout
    )
    signal = next(s for s in explained["signals"] if s["signal"] == "series")
    assert signal["value"] > 0
    assert "author line" not in signal["evidence"]


def test_a_series_rated_low_never_adds_though_its_author_is_rated_lower(run, books):
    """Session 23's try-out: rating a series' book 1 raised the series line (its shrunk mean fell less than
    its author's, and the line is the difference). Mutation: the `own < 0` clamp removed: fails."""
    filler(books, rating=4)
    write(books, "twin-1", "Twin Saga 1", "Bea Low", "read", rating=1,
          series={"name": "Twin Saga", "number": "1"})  # fmt: skip
    for n in (1, 2, 3):
        write(books, f"low-other-{n}", f"Low Other {n}", "Bea Low", "read", rating=1)
    write(books, "twin-2", "Twin Saga 2", "Bea Low", "want", series={"name": "Twin Saga", "number": "2"})
    write(books, "twin-3", "Twin Saga 3", "Bea Low", "want", series={"name": "Twin Saga", "number": "3"})
    signal = series_signal(run, "twin-3")
    assert signal["value"] <= 0, signal


def test_with_no_rating_the_explanation_does_not_call_the_middle_your_mean(run, books):
    """Session 23's try-out: a journal with no rating said "your mean rating 3.50" (suggest.NEUTRAL_MEAN).
    Mutation: `rated` not passed to the Explanation: the old words come back, and this fails."""
    for n in (1, 2, 3):
        write(books, f"plain-want-{n}", f"Plain Want {n}", "A B", "want")
    write(books, "read-one", "Read One", "C D", "read")
    shown = " ".join(run("next", "--suggest", "--explain", "plain-want-1").stdout.split())
    assert "3.50 (you rated no book yet: the middle) plus the signals below" in shown
    assert "your mean rating" not in shown
    write(books, "read-two", "Read Two", "C D", "read", rating=4)
    shown = " ".join(run("next", "--suggest", "--explain", "plain-want-1").stdout.split())
    assert "your mean rating 4.00 plus the signals below" in shown


def test_an_audio_editions_page_count_is_not_its_length(run, books):
    """Session 23's try-out: Goodreads' *Drive*, an "Audio CD" whose 6 "pages" are its discs, got "6 pages:
    you rated 63 books under 300 pages" and passed `--max-pages 200`. Mutation: the audiobook line in
    actions.suggest._items removed: this fails."""
    filler(books, rating=4)
    write(books, "drive", "Drive", "Dan Pink", "want", pages=6)
    with (books / "drive.toml").open("a", encoding="utf-8") as f:
        f.write('\n[source.goodreads]\nBinding = "Audio CD"\n')
    write(books, "short", "Short One", "Sal Short", "want", pages=150)
    found = json.loads(run("next", "--suggest", "--json", "--count", "0", "--max-pages", "200").stdout)
    assert [b["slug"] for b in found] == ["short"]
    explained = json.loads(run("next", "--suggest", "--explain", "drive", "--json").stdout)
    assert not any(s["signal"] == "length" for s in explained["signals"])
