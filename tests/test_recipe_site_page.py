"""docs/ARCHITECTURE.md's recipe for a new site page, followed once with a toy page that exists only here:
step 1 is the function below (what `src/readlog/exporters/site/context.py` would hold, registered with
`@generator`), step 2 its template (what `src/readlog/exporters/site/templates/` would hold; here it goes
in the journal's `site/` folder, which the build reads the same way). Then what the recipe says comes for
free is checked: the page is built, escaped, kept out of private parts, in the sitemap, rebuilt only when
what it shows changes, and the same in a one-process and a parallel build."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from readlog.exporters.site import context
from readlog.exporters.site.context import URLS, Page, Site, generator

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "journal"

# Step 2: the template (extends the site's own base, like every page).
TEMPLATE = """{% extends "base.html" %}
{% block main %}
<h1>{{ title }}</h1>
<ul class="ratings">
{% for b in books %}<li><a href="{{ root }}{{ b.url }}">{{ b.title }}</a> {{ b.rating }}</li>
{% endfor %}
</ul>
{% endblock %}
"""


def top_rated(site: Site) -> list[Page]:
    """Step 1: the function. Every public rated book, best first (a page at `top/rated.html`)."""
    rated = [slug for slug, book in site.books.items() if book.rating is not None]
    rated.sort(key=lambda slug: (-(site.books[slug].rating or 0), slug))
    books = [
        {"title": site.books[s].title, "url": site.link(s), "rating": site.books[s].rating} for s in rated
    ]
    return [context._page(site, "top/rated.html", "top.html", title="Top rated", books=books)]


@pytest.fixture
def toy_page(journal_home: Path) -> Iterator[Path]:
    shutil.copytree(EXAMPLE / "books", journal_home / "books")
    (journal_home / "site").mkdir()
    (journal_home / "site" / "top.html").write_text(TEMPLATE, encoding="utf-8")
    before = list(context.GENERATORS)
    generator("top")(top_rated)
    try:
        yield journal_home
    finally:
        context.GENERATORS[:] = before


def test_a_new_page_is_one_function_and_one_template(run, toy_page, tmp_path):
    out = tmp_path / "out"
    run("site", str(out))
    page = (out / "top" / "rated.html").read_text(encoding="utf-8")
    assert "<h1>Top rated</h1>" in page
    assert '<link rel="stylesheet" href="../style.css">' in page  # the base template, one folder down
    assert 'href="../books/never-let-me-go.html"' in page
    assert "rated.html" in (out / "sitemap.xml").read_text(encoding="utf-8")
    # Only what the page shows changes it: a rating rewrites it, a reflection elsewhere does not.
    book = toy_page / "books" / "never-let-me-go.toml"
    text = book.read_text(encoding="utf-8")
    assert "rating = " in text
    book.write_text(text.replace("rating = ", "rating = 1\n# was: ", 1), encoding="utf-8")
    again = run("site", str(out))
    assert "written" in again.stderr
    assert "Never Let Me Go</a> 1" in (out / "top" / "rated.html").read_text(encoding="utf-8")


def test_the_new_page_is_escaped_and_keeps_private_books_out(run, toy_page, tmp_path):
    book = toy_page / "books" / "never-let-me-go.toml"
    text = book.read_text(encoding="utf-8")
    book.write_text(text.replace('title = "Never Let Me Go"', 'title = "Never <b>Let</b> Me Go"', 1))
    private = sorted((toy_page / "books").glob("*.toml"))[0]
    private.write_text("private = true\n" + private.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    run("site", str(out))
    page = (out / "top" / "rated.html").read_text(encoding="utf-8")
    assert "Never &lt;b&gt;Let&lt;/b&gt; Me Go" in page and "<b>Let</b>" not in page
    from readlog.journal import Journal

    secret = Journal(toy_page).load(private.stem).book.title
    assert secret not in page


def test_urls_are_settings_the_pages_follow():
    assert URLS["book"].format(slug="dune") == "books/dune.html"
    books = {"dune": context.Book(title="Dune", authors=["Frank Herbert"], tags=["sf"], status="read")}
    pages = {p.path for p in context.build_pages(books, context.Options(include_all=True))}
    assert {"books/dune.html", "tags/sf.html", "authors/frank-herbert.html", "index.html"} <= pages
