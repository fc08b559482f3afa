"""What a ranking of the want list gives for each book (readlog.suggest makes them): apart from the ranking
itself, so that plain `next`, which shows the kept top three, reads them without importing the ranking
(8 dataclasses, 4-7 ms of every `next` on a terminal)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from readlog.lazyclass import dataclass_when_used


@dataclass_when_used  # (made when first used: plain `next` makes no Signal)
class Signal:
    name: str  # a Weights field
    weight: float
    value: float  # in stars, before the weight
    reason: str | None  # plain words naming the evidence (a book, author, tag or series)

    @property
    def contribution(self) -> float:
        return self.weight * self.value


@dataclass
class Suggested:
    slug: str  # a want book's; for a pick, the ranking's own key (`pick:` and its title), never shown
    title: str
    authors: list[str]
    score: float
    reasons: list[str]
    pages: int | None = None
    format: str | None = None
    tags: list[str] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    kind: str = "want"  # "want": a want book; "pick": a read-next pick that is no book of the journal
    source: dict[str, str] | None = None  # a pick's: the book it was picked from ({"slug", "title"})

    @property
    def book_slug(self) -> str | None:
        """The book's slug, None for a pick (it has no book file)."""
        return self.slug if self.kind == "want" else None

    def to_json(self) -> dict[str, Any]:
        return {
            "slug": self.book_slug,
            "kind": self.kind,
            "from": self.source,
            "title": self.title,
            "authors": self.authors,
            "score": self.score,
            "reasons": self.reasons,
            "pages": self.pages,
            "format": self.format,
            "tags": self.tags,
        }
