"""A book's page written from its context in Python: the very text Jinja makes of templates/book.html in
templates/base.html (with the environment's options: autoescape, trim_blocks, lstrip_blocks), about four
times faster. A site has a page per book, so this is most of a big build's rendering. And the lists of
books of the other pages (macros.html's `book_list`: each book is in a list on each of its tag, author and
year pages and the shelves, some 60,000 items at 10,000 books), written the same way (`book_list`).

Jinja stays the one definition of the page. This is used only while the package's two templates are the
ones it was written for (`PINNED`, their digest: an edited template turns it off by itself, and a test
says so) and the journal overrides neither (see engine.environment); every other page, and a book page
then, is Jinja's. tests/test_site_bookpage.py renders book pages of every shape both ways and compares.
`book_list` likewise stands in for the macro only while macros.html is the package's pinned one
(`PINNED_MACROS`), and only for lists of the books as `Site.summary` gives them (anything else: the macro).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markupsafe import Markup

from readlog.exporters.site.engine import escape_text as e

TEMPLATES = ("book.html", "base.html")
# sha256 of book.html, a NUL, base.html as the package ships them (`digest`)
PINNED = "87bcf00870e473800371d90f90e0bef5ffcd827201459c0b2b3c806000b39bdb"


MACROS = "macros.html"
# sha256 of macros.html as the package ships it
PINNED_MACROS = "480357d8a76ee2657e6bddf55d57c11ac43ccd57815e5f07ab5cea30ac999405"


def digest(folder: Path, names: tuple[str, ...] = TEMPLATES) -> str:
    return hashlib.sha256(b"\0".join((folder / name).read_bytes() for name in names)).hexdigest()


@functools.cache
def _frame(root: str, site_title: str, urls: tuple[tuple[str, str], ...], lang: str) -> tuple[str, str, str]:
    """base.html around the page: before its title, from after the title to the main block, after it."""
    u = dict(urls)
    r, t = e(root), e(site_title)
    head = (
        f'<!doctype html>\n<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="readlog">\n<link rel="icon" href="data:,">\n<title>'
    )
    middle = (
        f'{t}</title>\n<link rel="stylesheet" href="{r}{e(u["style"])}">\n'
        f'<link rel="alternate" type="application/atom+xml" title="{t}: reviews" href="{r}{e(u["feed"])}">\n'
        '</head>\n<body>\n<a class="skip" href="#main">Skip to the content</a>\n<header class="site">\n'
        f'<nav aria-label="Site">\n<a class="brand" href="{r}{e(u["home"])}">{t}</a>\n<ul>\n'
        f'<li><a href="{r}{e(u["shelves"])}">Shelves</a></li>\n'
        f'<li><a href="{r}{e(u["years"])}">Years</a></li>\n'
        f'<li><a href="{r}{e(u["authors"])}">Authors</a></li>\n'
        f'<li><a href="{r}{e(u["tags"])}">Tags</a></li>\n'
        f'<li><a href="{r}{e(u["graph"])}">Read-next map</a></li>\n'
        '</ul>\n</nav>\n</header>\n<main id="main">\n'
    )
    tail = (
        '</main>\n<footer class="site">\n'
        "<p>Written in a plain-text reading journal and published with readlog. "
        f'<a href="{r}{e(u["feed"])}">Atom feed</a> · <a href="{r}{e(u["library"])}">library.json</a></p>\n'
        "</footer>\n</body>\n</html>\n"
    )
    return head, middle, tail


def _opened(c: dict[str, Any]) -> tuple[list[str], str]:
    """A page of context `c` in base.html: its text up to the main block, and what follows that block."""
    title, site_title = c["title"], c["site_title"]
    head, middle, tail = _frame(c["root"], site_title, tuple(c["site_urls"].items()), c.get("lang", "en"))
    out = [head]
    if title and title != site_title:
        out.append(f"{e(title)} · ")
    out.append(middle)
    return out, tail


def _links(root: str, items: list[dict[str, Any]]) -> str:
    r = e(root)
    return "".join(f'<a href="{r}{e(a["url"])}" dir="auto">{e(a["name"])}</a>{e(a["sep"])}' for a in items)


def render(c: dict[str, Any], markdown: Callable[[Any, int], Any]) -> str:
    """The page of book_page's context `c`; `markdown` is the environment's `markdown` filter."""
    root, title = c["root"], c["title"]
    out, tail = _opened(c)
    book = c["book"]
    authors = book["authors"]
    out.append(f'<article class="review">\n<header class="review-head">\n<h1 dir="auto">{e(title)}</h1>\n'
               f'<p class="byline"><cite dir="auto">{e(book["title"])}</cite>')  # fmt: skip
    if authors:
        out.append(f" by {_links(root, authors)}")
    out.append("</p>\n")
    if book["stars"]:
        words = e(book["rating_words"])
        out.append(f'<p class="rating-line"><span class="rating"><span class="stars" aria-hidden="true">'
                   f'{e(book["stars"])}</span><span class="visually-hidden">Rated {words}</span></span> '
                   f'<span class="rating-number" aria-hidden="true">{words}</span></p>')  # fmt: skip
    out.append('<dl class="facts">\n')
    if authors:
        out.append(
            f"<dt>{e('Authors' if len(authors) > 1 else 'Author')}</dt><dd>{_links(root, authors)}</dd>"
        )
    if book["series"]:
        out.append(f"<dt>Series</dt><dd>{e(book['series'])}</dd>")
    if book["year"] is not None:
        out.append(f"<dt>Published</dt><dd>{e(book['year'])}</dd>")
    if book["pages"]:
        out.append(f"<dt>Pages</dt><dd>{e(book['pages'])}</dd>")
    if book["reads"]:
        out.append(f"<dt>{e(book['reads_label'])}</dt><dd>")
        for r in book["reads"]:
            if r["started"] and r["finished"]:
                out.append(f"{e(r['started'])} to {e(r['finished'])}")
            elif r["finished"]:
                out.append(f"finished {e(r['finished'])}")
            elif r["started"] and r["stopped"]:  # (given up: as `show` says it)
                out.append(f"started {e(r['started'])}, stopped {e(r['stopped'])}")
            elif r["started"]:
                out.append(f"started {e(r['started'])}")
            elif r["stopped"]:
                out.append(f"stopped {e(r['stopped'])}")
            else:
                out.append(e(r["undated"]))
            if r["rating"]:
                out.append(f" (rated {e(r['rating'])})")
            out.append(e(r["sep"]))
        out.append("</dd>")
    if book["status"]:
        out.append(f"<dt>Status</dt><dd>{e(book['status'])}</dd>")
    if book["tags"]:
        out.append(f"<dt>Tags</dt><dd>{_links(root, book['tags'])}</dd>")
    for fact in book["facts"]:
        out.append(f"<dt>{e(fact['label'])}</dt><dd>{e(fact['value'])}</dd>")
    out.append("</dl>\n</header>\n")
    review = c["review"]
    if review and review["body"]:
        out.append(f'<div class="review-body" dir="auto">\n{e(markdown(review["body"], 2))}\n</div>\n')
        if review["written"]:
            out.append(f'<p class="meta">Written {e(review["written"])}</p>')
    for r in c["edition_reviews"]:
        number = e(r["number"])
        out.append(f'<section aria-labelledby="edition-review-{number}" class="edition-review">\n'
                   f'<h2 id="edition-review-{number}">Review of another edition</h2>\n'
                   f'<p class="meta">{e(r["told"])}</p>\n'
                   f'<div dir="auto">{e(markdown(r["text"], 3))}</div>\n</section>\n')  # fmt: skip
    for r in c["titled_reflections"]:
        number = e(r["number"])
        out.append(f'<section aria-labelledby="reflection-{number}" class="reflection titled">\n'
                   f'<h2 id="reflection-{number}" dir="auto">{e(r["title"])}</h2>\n'
                   f'<div dir="auto">{e(markdown(r["text"], 3))}</div>\n')  # fmt: skip
        if r["date"]:
            out.append(f'<p class="meta">{e(r["date"])}</p>')
        out.append("</section>\n")
    if c["untitled_reflections"]:
        out.append('<section aria-labelledby="reflections">\n<h2 id="reflections">Reflections</h2>\n')
        for r in c["untitled_reflections"]:
            out.append('<div class="reflection">\n')
            if r["date"]:
                out.append(f'<p class="meta">{e(r["date"])}</p>')
            out.append(f'<div dir="auto">{e(markdown(r["text"], 3))}</div>\n</div>\n')
        out.append("</section>\n")
    if c["quotes"]:
        out.append('<section aria-labelledby="quotes">\n<h2 id="quotes">Remembered lines</h2>\n')
        for q in c["quotes"]:
            out.append(f'<figure class="quote">\n<blockquote dir="auto"><p>{e(q["text"])}</p></blockquote>\n')
            if q["where"]:
                out.append(f'<figcaption dir="auto">{e(q["where"])}</figcaption>')
            if q["note"]:
                out.append(f'<p class="note" dir="auto">{e(q["note"])}</p>')
            out.append("</figure>\n")
        out.append("</section>\n")
    read_next = c["read_next"]
    if read_next:
        out.append('<section aria-labelledby="read-next" class="read-next">\n'
                   f'<h2 id="read-next" dir="auto">{e(read_next["heading"])}</h2>\n')  # fmt: skip
        if read_next["intro"]:
            out.append(f'<div class="intro" dir="auto">{e(markdown(read_next["intro"], 3))}</div>')
        out.append('<ol class="picks">\n')
        for p in read_next["picks"]:
            out.append("<li>\n<h3>")
            if p["url"]:
                out.append(f'<a href="{e(root)}{e(p["url"])}"><cite dir="auto">{e(p["title"])}</cite></a>')
            else:
                out.append(f'<cite dir="auto">{e(p["title"])}</cite>')
            if p["authors"]:
                out.append(f' <span class="by">by <bdi>{e(_join(p["authors"]))}</bdi></span>')
            out.append(" ")
            status = p["status"]
            if status == "read":
                out.append('<span class="status">read</span>')
            elif status == "reading":
                out.append('<span class="status">reading now</span>')
            elif status == "want":
                out.append('<span class="status">on my list</span>')
            out.append("</h3>\n")
            for para in p["why_paragraphs"]:
                out.append(f'<p dir="auto">{e(para)}</p>\n')
            out.append("</li>\n")
        out.append("</ol>\n</section>\n")
    out.append("</article>\n")
    out.append(tail)
    return "".join(out)


# The read-next map (graph.html, which calls macros.html's title_link and status), written the same way
GRAPH = ("graph.html", "base.html", "macros.html")
# sha256 of graph.html, base.html and macros.html as the package ships them, NUL between (`digest`)
PINNED_GRAPH = "26d548d2a0db5db08508eb080dac42570f8d63d64e938365e613319a302c7f21"


def graph(c: dict[str, Any], markdown: Callable[[Any, int], Any]) -> str:
    """The page of graph_page's context `c` (every book with picks, and its picks): the very text of
    templates/graph.html in base.html. `markdown` is unused (the signature of `render`, for the engine)."""
    root, title = c["root"], c["title"]
    out, tail = _opened(c)
    out.append(
        f'<h1 dir="auto">{e(title)}</h1>\n<p class="lede">Each book, and the books it sent me to next.</p>\n'
    )
    sources = c["sources"]
    if sources:
        r = e(root)
        out.append('<ul class="graph">\n')
        for source in sources:
            out.append(f"<li>{_title_link(source, r)}")
            if source["authors"]:
                out.append(f' <span class="by">by {e(_join(source["authors"]))}</span>')
            out.append("<ul>\n")
            for p in source["picks"]:
                out.append(f'<li><span aria-hidden="true">→ </span>{_title_link(p, r)}')
                if p["authors"]:
                    out.append(f' <span class="by">by <bdi>{e(_join(p["authors"]))}</bdi></span>')
                words = _STATUS.get(p["status"]) if isinstance(p["status"], str) else None
                out.append(f' <span class="status">{words}</span></li>\n' if words else " </li>\n")
            out.append("</ul>\n</li>\n")
        out.append("</ul>\n")
    else:
        out.append("<p>No read-next picks yet.</p>")
    out.append(tail)
    return "".join(out)


def _title_link(b: dict[str, Any], r: str) -> str:
    """macros.html's `title_link(b, root)`, `r` the root escaped."""
    cite = f'<cite dir="auto">{e(b["title"])}</cite>'
    return f'<a href="{r}{e(b["url"])}">{cite}</a>' if b["url"] else cite


def _join(items: list[Any]) -> Any:
    """Jinja's `join(", ")` filter with autoescape on: Markup if an item is, else plain text."""
    if any(hasattr(item, "__html__") for item in items):
        from markupsafe import Markup, escape

        return Markup(escape(", ").join(items))
    return ", ".join(map(str, items))


_SUMMARY = frozenset(("slug", "title", "url", "authors", "stars", "rating_words", "headline"))


def book_list(
    macro: Callable[..., Any], books: Any, root: Any, ordered: Any = False, anchors: Any = False
) -> Any:
    """macros.html's `book_list(books, root, ordered, anchors)`: the very text of the macro (`macro`, which
    writes any list that is not one of plain summaries)."""
    if (
        type(books) is not list
        or type(root) is not str
        or not all(type(b) is dict and b.keys() >= _SUMMARY for b in books)
    ):
        return macro(books, root, ordered, anchors)
    r = e(root)
    tag = "ol" if ordered else "ul"
    out = [f'<{tag} class="books">']
    for b in books:
        authors = b["authors"]
        anchored = bool(anchors) and "anchor" not in b  # (the macro's `b.anchor is not defined`)
        values = (b["slug"], b["title"], b["url"], b["stars"], b["rating_words"], b["headline"])
        # (kept only for text: `1`, `1.0` and `True` are one key, and write three ways)
        if (
            type(authors) is list
            and _TEXT.issuperset(map(type, values))
            and _TEXT.issuperset(map(type, authors))
        ):
            key = (*values, *authors, len(authors), r, anchored)
            item = _ITEMS.get(key)
            if item is None:
                item = _item(b, r, anchored)
                if len(_ITEMS) < 200_000:
                    _ITEMS[key] = item
        else:
            item = _item(b, r, anchored)
        out.append(item)
    out.append(f"</{tag}>")
    return Markup("".join(out))


# A book's item in a list, by everything it is made of: each book is on several lists (its tags, its
# authors, its year, the shelves), most of them with the same root.
_ITEMS: dict[tuple[Any, ...], str] = {}
_TEXT = frozenset((str, type(None)))


def _item(b: dict[str, Any], r: str, anchors: Any) -> str:
    url, authors = b["url"], b["authors"]
    out = [f'<li id="{e(b["slug"])}">' if anchors else "<li>"]
    cite = f'<cite dir="auto">{e(b["title"])}</cite>'
    out.append(f'<a href="{r}{e(url)}">{cite}</a>' if url else cite)
    if authors:
        out.append(f' <span class="by">by <bdi>{e(_join(authors))}</bdi></span>')
    if b["stars"]:
        stars, words = e(b["stars"]), e(b["rating_words"])
        out.append(f' <span class="rating"><span class="stars" aria-hidden="true">{stars}</span>'
                   f'<span class="visually-hidden">Rated {words}</span></span>')  # fmt: skip
    if b["headline"] and url:
        out.append(f'<br><span class="headline" dir="auto">{e(b["headline"])}</span>')
    out.append("</li>")
    return "".join(out)


def title_link(macro: Callable[..., Any], b: Any, root: Any) -> Any:
    """macros.html's `title_link(b, root)` (the read-next map has one per book and per pick)."""
    if type(b) is not dict or "url" not in b or "title" not in b or type(root) is not str:
        return macro(b, root)
    cite = f'<cite dir="auto">{e(b["title"])}</cite>'
    return Markup(f'<a href="{e(root)}{e(b["url"])}">{cite}</a>' if b["url"] else cite)


_STATUS = {"read": "read", "reading": "reading now", "want": "on my list"}


def status(macro: Callable[..., Any], value: Any) -> Any:
    """macros.html's `status(value)`."""
    if value is None or type(value) is str:
        words = _STATUS.get(value)  # type: ignore[arg-type]
        return Markup(f'<span class="status">{words}</span>' if words else "")
    return macro(value)


MACROS_WRITTEN: dict[str, Callable[..., Any]] = {
    "book_list": book_list,
    "title_link": title_link,
    "status": status,
}
