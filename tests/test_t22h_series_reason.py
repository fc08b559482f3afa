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
