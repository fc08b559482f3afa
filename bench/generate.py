"""Deterministic synthetic journals for benchmarks: `python bench/generate.py DIR --books 1000 --seed 1`.

Books have realistic parts: a review of a few KB in `## ` sections, reflections, quotes and picks.
Files are written directly with readlog's own file writer, so they are exactly what `add` would produce.
"""

from __future__ import annotations

import argparse
import random
from datetime import date, timedelta
from pathlib import Path

from readlog import bookfile
from readlog.model import Book, Pick, Quote, Read, Reflection, Review
from readlog.text import slugify

WORDS = [
    "memory",
    "river",
    "house",
    "quiet",
    "light",
    "winter",
    "letter",
    "garden",
    "silence",
    "promise",
    "harbour",
    "stranger",
    "voice",
    "journey",
    "mirror",
    "shadow",
    "morning",
    "island",
    "kingdom",
    "machine",
    "orchard",
    "window",
    "distance",
    "ember",
    "tide",
    "song",
    "archive",
    "lantern",
    "forest",
    "bridge",
    "echo",
    "daughter",
    "captain",
    "doctor",
    "signal",
    "paper",
    "glass",
    "salt",
    "sea",
    "stone",
]
FIRST = [
    "Ada",
    "Ben",
    "Chidi",
    "Dara",
    "Elif",
    "Femi",
    "Greta",
    "Hiro",
    "Ines",
    "Jun",
    "Kofi",
    "Lena",
    "Mira",
    "Noor",
    "Omar",
    "Pia",
    "Ravi",
    "Sana",
    "Tomas",
    "Uma",
]
LAST = [
    "Okafor",
    "Tanaka",
    "Novak",
    "Haddad",
    "Silva",
    "Berg",
    "Moreau",
    "Kowalski",
    "Ito",
    "Mensah",
    "Rossi",
    "Kaur",
    "Lindqvist",
    "Abe",
    "Costa",
]


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng, rng.randint(8, 18)) for _ in range(sentences))


def make_book(rng: random.Random, index: int) -> Book:
    title = f"The {rng.choice(WORDS).title()} of {rng.choice(WORDS).title()} {index}"
    author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    added = date(2010, 1, 1) + timedelta(days=rng.randint(0, 5800))
    status = rng.choices(["read", "want", "reading", "abandoned"], [70, 20, 5, 5])[0]
    book = Book(title=title, authors=[author], status=status, added=added, year=rng.randint(1850, 2025))
    book.tags = rng.sample(["fiction", "history", "essays", "sf", "poetry", "crime", "memoir"], 2)
    if status == "want":
        book.why = sentence(rng, 10)
        return book
    book.pages = rng.randint(90, 900)
    finished = added + timedelta(days=rng.randint(5, 60))
    book.reads = [Read(started=added, finished=finished if status == "read" else None)]
    book.rating = rng.randint(4, 20) / 4
    sections = [
        f"## {sentence(rng, 4)[:-1]}\n\n" + "\n\n".join(paragraph(rng, 5) for _ in range(2)) for _ in range(3)
    ]
    book.review = Review(headline=sentence(rng, 6)[:-1], written=finished, body="\n\n".join(sections) + "\n")
    book.reflections = [Reflection(text=paragraph(rng, 4) + "\n", date=finished)]
    book.quotes = [Quote(text=sentence(rng, 12), page=rng.randint(1, 400)) for _ in range(2)]
    book.next = [
        Pick(
            title=f"The {rng.choice(WORDS).title()} {rng.randint(1, 99)}",
            authors=[author],
            why=sentence(rng, 12),
            added=finished,
        )
    ]
    return book


def generate(folder: Path, books: int, seed: int = 1, fast: bool = True) -> list[Book]:
    """Write `books` book files under `folder/books`; returns the books (for building a jrnl twin).

    `fast` writes with `dumps_fast`, which gives the same text as readlog's writer for these generated
    books (checked on the first few) at a fraction of tomlkit's cost: 100k books in about a minute.
    """
    rng = random.Random(seed)
    target = folder / "books"
    target.mkdir(parents=True, exist_ok=True)
    made = []
    for index in range(books):
        book = make_book(rng, index)
        text = dumps_fast(book) if fast else bookfile.dumps(book)
        if index < 5:
            assert text == bookfile.dumps(book), "dumps_fast drifted from readlog's own writer"
        (target / f"{slugify(book.title)}.toml").write_text(text, encoding="utf-8")
        made.append(book)
    return made


def _value(value: object) -> str:
    if isinstance(value, str):
        return "'''\n" + value + "'''" if "\n" in value else '"' + value + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def dumps_fast(book: Book) -> str:
    """The TOML readlog writes, for generated books only (plain ASCII text, no quotes to escape)."""
    from readlog.model import book_to_dict

    lines: list[str] = []
    tables: list[str] = []
    for key, value in book_to_dict(book).items():
        if isinstance(value, dict):
            tables.append(f"\n[{key}]\n" + "".join(f"{k} = {_value(v)}\n" for k, v in value.items()))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for item in value:
                tables.append(f"\n[[{key}]]\n" + "".join(f"{k} = {_value(v)}\n" for k, v in item.items()))
        else:
            lines.append(f"{key} = {_value(value)}\n")
    return "".join(lines) + "".join(tables)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--books", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.folder, args.books, args.seed)


if __name__ == "__main__":
    main()
