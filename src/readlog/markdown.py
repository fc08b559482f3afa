"""A book as a Markdown post, ready to publish; YAML front matter for Obsidian and static-site tools.

A post is publishing: only the public part of a book goes in (see readlog.privacy)."""

from __future__ import annotations

import json

from readlog.errors import ReadlogError
from readlog.model import Book, quotes_in_book_order, sort_key
from readlog.privacy import edition_reviews, paragraphs, pick_byline, public_book, read_next_heading
from readlog.text import stars


def _yaml(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)  # JSON scalars and lists are valid YAML flow values


def front_matter(book: Book) -> str:
    fields = {
        "title": book.title,
        "authors": book.authors,
        "rating": book.rating,
        "status": book.status,
        "started": sort_key(book.reads[-1].started) if book.reads and book.reads[-1].started else None,
        "finished": sort_key(book.last_finished) or None,
        "added": sort_key(book.added) or None,
        "tags": book.tags,
    }
    lines = [f"{key}: {_yaml(value)}" for key, value in fields.items() if value not in (None, [])]
    return "---\n" + "\n".join(lines) + "\n---\n\n"


def _heading(text: str) -> str:
    """Text for an ATX heading: one line, and a trailing `#` run escaped so CommonMark keeps it."""
    line = " ".join(text.split())
    return line[:-1] + "\\#" if line.endswith("#") else line


def _stars(rating: float) -> str:
    return f"{stars(rating)} ({rating:g}/5)"


def book_markdown(book: Book, with_front_matter: bool = False) -> str:
    """The post for `book`'s public part. A private book has none: that is an error, never an empty post."""
    public = public_book(book)
    if public is None:
        raise ReadlogError(f"{book.title!r} is private: readlog does not publish it")
    others = edition_reviews(book)  # (after the book's own review: privacy says which are published)
    book = public
    parts = [front_matter(book)] if with_front_matter else []
    review = book.review
    heading = review.headline if review and review.headline else book.title
    parts.append(f"# {heading}\n")
    byline = f"*{book.title}*" + (f" by {', '.join(book.authors)}" if book.authors else "")
    parts.append(byline + (f" · {_stars(book.rating)}" if book.rating is not None else "") + "\n")
    if review and review.body:
        parts.append(review.body.rstrip("\n") + "\n")
    for told, text in others:
        parts.append("## Review of another edition\n")
        parts.append(f"*{_heading(told)}*\n\n" + text.rstrip("\n") + "\n")
    for reflection in (r for r in book.reflections if r.title):  # a section of the post, after the review
        parts.append(f"## {_heading(reflection.title or '')}\n")
        parts.append(reflection.text.rstrip("\n") + "\n")
    untitled = [r for r in book.reflections if not r.title]
    if untitled:
        parts.append("## Reflections\n")
        for reflection in untitled:
            when = f"*{reflection.date.isoformat()}*\n\n" if reflection.date else ""
            parts.append(when + reflection.text.rstrip("\n") + "\n")
    if book.quotes:
        parts.append("## Remembered lines\n")
        for quote in quotes_in_book_order(book.quotes):
            places = [f"p. {quote.page}"] if quote.page is not None else []
            places += [p for p in (quote.location, quote.chapter) if p]
            where = ", ".join(places)
            lines = [f"> {line}" if line else ">" for line in quote.text.rstrip("\n").split("\n")]
            if where:
                lines.append(f"> — {where}")
            parts.append("\n".join(lines) + ("\n\n" + quote.note if quote.note else "") + "\n")
    if book.next:
        parts.append(f"## {read_next_heading(book)}\n")
        if book.read_next and book.read_next.intro:
            parts.append(book.read_next.intro.rstrip("\n") + "\n")
        items = []
        loose = any(len(paragraphs(pick.why)) > 1 for pick in book.next)
        for number, pick in enumerate(book.next, 1):
            shown = pick_byline(book, pick.authors)
            by = f" by {', '.join(shown)}" if shown else ""
            marker = f"{number}. "
            indent = " " * len(marker)  # CommonMark: a line of the item starts under its text
            notes = [
                "\n".join(indent + line if line.strip() else "" for line in para.split("\n"))
                for para in paragraphs(pick.why)
            ]
            head = f"{marker}**{pick.title}**{by}"
            if not notes:
                items.append(head)
            elif loose:  # paragraphs: a blank line between them, each indented, so the list goes on
                items.append("\n\n".join([head, *notes]))
            else:
                items.append(f"{head}  \n{notes[0]}")
        parts.append(("\n\n" if loose else "\n").join(items) + "\n")
    return "\n".join(parts)
