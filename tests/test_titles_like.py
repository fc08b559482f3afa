"""identity.TitlesLike (the books an import into an empty journal has landed, asked in memory) answers what
the index answers (Queries.candidates_like: one title range per article): the same books, in slug order.
It holds each book under its stored title and under what follows the title's leading article, and asks
one range of the stem; the near misses here are the titles where that could differ: a title that is only
an article, an article glued to the next word (`Theory`, `Lesson`), an elided `L'`, two articles in a row,
a stem that is itself an article, runs of spaces, accents and case, and titles that end the range."""

from __future__ import annotations

import json
import random

from readlog.identity import Candidate, TitlesLike, Twins, like_keys, near_keys, title_prefixes
from readlog.journal import Journal

WORDS = [
    "the",
    "a",
    "an",
    "la",
    "les",
    "l",
    "el",
    "der",
    "o",
    "theory",
    "lesson",
    "another",
    "and",
    "&",
    "of",
]
WORDS += [
    "dune",
    "dunes",
    "garden",
    "gardens",
    "night",
    "nights",
    "Élan",
    "élan",
    "ÉTÉ",
    "x",
    "l'ombre",
    "l’été",
]
WORDS += ["handmaid's", "handmaids", "rose-red", "r", "\U0010ffff", "z\U0010ffff"]
FIXED = [
    "The",
    "A",
    "The The",
    "The Garden",
    "Garden",
    "A Garden",
    "Theory of Gardens",
    "Lesson",
    "Les Misérables",
    "L'Ombre du vent",
    "L’Été",
    "La La Land",
    "An  Garden",
    "Garden, The",
    "garden: a subtitle",
    "Gardens",
    "Garden \U0010ffff",
    "O",
    "o garden",
    "The Night - and Day",
    "&",
]


def _title(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(1, 4))]
    joins = [rng.choice([" ", " ", "  ", ": ", " - "]) for _ in words[1:]]
    title = words[0] + "".join(j + w for j, w in zip(joins, words[1:], strict=True))
    return title.title() if rng.random() < 0.3 else title


def _write(books, slug: str, title: str) -> None:
    books.mkdir(parents=True, exist_ok=True)
    (books / f"{slug}.toml").write_text(
        f'title = {json.dumps(title)}\nauthors = ["Ann Writer"]\nstatus = "want"\n', encoding="utf-8"
    )


def test_titles_like_answers_what_the_index_answers(journal_home):
    rng = random.Random(25)
    titles = FIXED + [_title(rng) for _ in range(300)]
    books = journal_home / "books"
    for n, title in enumerate(titles):
        _write(books, f"b{n:04d}", title)
    journal = Journal(journal_home)
    index = journal.fresh_index()
    listed = {slug for (slug,) in index.db.execute("SELECT slug FROM books")}  # (U+10FFFF: not a book)
    assert len(listed) > 0.8 * len(titles)
    held = TitlesLike()
    held.add(
        [Candidate(f"b{n:04d}", t, ("Ann Writer",)) for n, t in enumerate(titles) if f"b{n:04d}" in listed]
    )
    asked = FIXED + titles + [_title(rng) for _ in range(400)]
    found = 0
    for title in asked:
        want: list[Candidate] = index.candidates_like(title)
        assert held.like(title) == want, (title, title_prefixes(title))
        found += bool(want)
    assert found > 0.5 * len(asked)  # the questions find books: not a comparison of empty answers
    index.close()


def test_books_added_in_several_goes_are_found_as_one_list():
    held = TitlesLike()
    held.add([Candidate("c", "The Garden", ("Ann",)), Candidate("a", "Lesson", ("Bo",))])
    held.add([Candidate("b", "Garden of Night", ("Cy",)), Candidate("d", "Les Gardens", ("Di",))])
    assert [c.slug for c in held.like("Garden")] == ["b", "c", "d"]
    assert [c.slug for c in held.like("The Garden")] == ["b", "c", "d"]
    assert [c.slug for c in held.like("Les")] == ["a", "d"]  # a one-word title is its own stem
    assert [c.slug for c in held.like("Lessons")] == ["a"]
    assert [c.slug for c in held.like("The")] == ["c"]


def test_what_an_import_worker_made_beforehand_gives_the_same_answers():
    """TitlesLike and Twins told the keys a parsing worker made of each row (like_keys, near_keys: an import
    into an empty journal) answer as when they work them out themselves."""
    rng = random.Random(27)
    titles = FIXED + [_title(rng) for _ in range(300)] + ["Saga", "Saga, Vol. 2", "Dune (Dune, #1)"]
    books = [
        Candidate(f"b{n:04d}", t, ("Ann",), series=(("saga", "2"),) if t == "Saga" else ())
        for n, t in enumerate(titles)
    ]
    held, told = TitlesLike(), TitlesLike()
    held.add(books)
    told.add(books, [like_keys(b.title, b.series) for b in books])
    twins: Twins[str] = Twins()
    keyed: Twins[str] = Twins()
    for book in books:
        twins.add(book.slug, book.title)
        keyed.add(book.slug, book.title, keyed=near_keys(book.title))
    asked = titles + [_title(rng) for _ in range(300)]
    for title in asked:
        assert told.like(title) == held.like(title)
        assert keyed.near(title, keyed=near_keys(title)) == twins.near(title)
    assert sum(bool(twins.near(title)) for title in asked) > 0.5 * len(asked)
