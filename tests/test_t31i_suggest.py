"""`next --suggest` (try-out 31b): a status named as a tag is no taste, a book ranked under the mean shows
the big reason against it before a small one for it, and a reason's example is rated like its average."""

from __future__ import annotations

from readlog.identity import is_status_shelf, status_from_shelf
from readlog.suggest import Evidence, Item, Tally, _bucket_like, _like, rank


def history(n: int = 6) -> list[Item]:
    return [Item(f"h{i}", f"H{i}", [f"Writer {i}"], "read", rating=3.0 + i % 3) for i in range(n)]


def test_a_status_tag_is_no_taste():
    # The try-out: StoryGraph's `to-be-read` tag (95 books) read "against it: tagged to-be-read" on 89 want
    # books, and a `dnf` tag counted too: a status's name says where a book stood, not what it is like.
    assert status_from_shelf("to-be-read") == "want" and status_from_shelf("To Be Read 2024") == "want"
    assert not is_status_shelf("to-be-read")  # the reader's own tag: an import keeps it as a tag
    items = history()
    items += [
        Item(f"gone{i}", f"Gone {i}", [f"Quitter {i}"], "abandoned", tags=["to-be-read", "dnf"])
        for i in range(4)
    ]
    items += [
        Item(f"cozy{i}", f"Cozy {i}", [f"Cozy {i}"], "read", rating=5.0, tags=["cozy"]) for i in range(3)
    ]
    items += [Item("want", "Wanted", ["New Writer"], "want", tags=["to-be-read", "dnf", "TBR", "cozy"])]
    (book,) = rank(items).books
    tags = [s for s in book.signals if s.name == "tags"]
    assert len(tags) == 1 and tags[0].value > 0 and "cozy" in tags[0].reason
    assert not any("to-be-read" in r or "dnf" in r for r in book.reasons)


def test_a_book_ranked_low_shows_the_big_reason_against_it():
    # The try-out: The Brothers Karamazov, #471 of 476, showed only "+0.05 a paperback"; "-0.60 author: you
    # abandoned a Dostoevsky" was only under --explain.
    items = history()
    items += [
        Item(f"p{i}", f"P{i}", [f"Paper {i}"], "read", rating=5.0, format="paperback") for i in range(3)
    ]
    items += [Item("gave-up", "Crime", ["Fyodor Dostoevsky"], "abandoned", rating=0.5)]
    items += [Item("bk", "Karamazov", ["Fyodor Dostoevsky"], "want", format="paperback")]
    (book,) = rank(items).books
    assert sum(s.contribution for s in book.signals) < 0
    assert book.reasons[0].startswith("against it: you abandoned 1 book by Fyodor Dostoevsky")
    assert any(r.startswith("a paperback: ") for r in book.reasons[1:])


def test_an_example_is_rated_like_the_average_it_illustrates():
    # The try-out: "you rated 9 ebooks 3.25 on average, like *Beloved Oxford*", a book rated 0.25.
    made = Tally("ebooks")
    for title, rating in (("Beloved Oxford", 0.25), ("Near", 3.5), ("High", 4.5), ("Top", 5.0)):
        made.add(Evidence(Item(title, title, ["A"], "read", rating=rating), rating - 3.6, 1.0, False, 0))
    said = _bucket_like(made, -0.2, "ebooks")
    assert said == "you rated 4 ebooks 3.3 on average, like *Near*", said
    assert _like(made, -0.2, 5.0, example=True).endswith("(*Near* among them)")
