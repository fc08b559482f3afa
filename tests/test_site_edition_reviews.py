"""Another edition's review on the published book page: when an export holds two editions of one work, each
reviewed, the second review is kept with its edition (`[[source.<name>.editions]]`'s `review`), which
`public_book` leaves out with the source tables. The site's book page publishes it after the book's own
review, as the Markdown post does (one rule: privacy.edition_reviews): the text and what tells the edition,
nothing else of the source table; left out with the book's own review when that is private; notes to self
left out. Through the content cache too: a cache of the form before this is not read, and an edit of only
that review shows at the next rebuild."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from readlog.exporters.site.build import MARKER
from readlog.exporters.site.content import SHARDS, _model_key, cache_path, shard_files

REAL = Path(
    os.environ.get("READLOG_TEST_IMPORTS")
    or Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "imports"
)
OLD_FORM = 7  # content.CACHE_FORM before book pages had other editions' reviews
DR_RODRIGUEZ = REAL / "goodreads_dr-rodriguez_Exploring-Goodreads.csv"

# Two editions of one work, each with its review (as an import keeps them), and a book without any.
TWO_EDITIONS = '''schema = 2
title = "The Salt Roads"
authors = ["Nalo Hopkinson"]
status = "read"
rating = 4

[review]
headline = "Three women, one goddess"
body = """
The paperback's review: the book's own.
"""

[source.goodreads]
"Book Id" = "11"
"Private Notes" = "lent to my sister"

[[source.goodreads.editions]]
"Book Id" = "11"
format = "Paperback"

[[source.goodreads.editions]]
"Book Id" = "12"
isbn = "9780446533027"
format = "Audio CD"
shelf_note = "from the library sale"
review = """
The audiobook's review, read again. <!-- ask Sam about the narrator -->

<!-- only a note to self -->
"""

[[source.goodreads.editions]]
"Book Id" = "13"
format = "Kindle Edition"
review = "<!-- nothing but a note -->"
'''
PLAIN = 'schema = 2\ntitle = "Plain Book"\nstatus = "read"\n\n[review]\nbody = "Just the one review."\n'


def page(out: Path, slug: str) -> str:
    return (out / "books" / f"{slug}.html").read_text(encoding="utf-8")


def everything(out: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file())


@pytest.fixture
def journal(books: Path) -> Path:
    books.mkdir(parents=True)
    (books / "the-salt-roads.toml").write_text(TWO_EDITIONS, encoding="utf-8")
    (books / "plain-book.toml").write_text(PLAIN, encoding="utf-8")
    return books


@pytest.mark.skipif(not DR_RODRIGUEZ.is_file(), reason=f"the real exports are not here ({REAL})")
def test_a_real_goodreads_export_publishes_both_editions_reviews_in_order(run, books, tmp_path):
    """dr-rodriguez's export has The Wandering Earth twice (Hardcover, Kindle Edition), each reviewed."""
    run("import", str(DR_RODRIGUEZ))
    assert "13554058" in (books / "the-wandering-earth.toml").read_text()  # (the export as the test knows it)
    out = tmp_path / "out"
    run("site", str(out))
    text = page(out, "the-wandering-earth")
    own = text.index("An excellent collection of hard sci-fi stories")
    heading = text.index('<h2 id="edition-review-1">Review of another edition</h2>')
    told = text.index('<p class="meta">Kindle Edition, goodreads Book Id 13554058</p>')
    other = text.index("A short story with an epic scope yet personal touch")
    assert own < heading < told < other
    assert text.count("Review of another edition") == 1
    post = run("export", "--format", "markdown", "the-wandering-earth").stdout  # the same rule, asked once
    assert post.index("An excellent collection") < post.index("## Review of another edition")
    assert "*Kindle Edition, goodreads Book Id 13554058*" in post


def test_the_page_has_the_other_editions_review_after_the_books_own(run, journal, tmp_path):
    out = tmp_path / "out"
    run("site", str(out))
    text = page(out, "the-salt-roads")
    own = text.index("The paperback's review: the book's own.")
    other = text.index("The audiobook's review, read again.")
    assert own < text.index("Review of another edition") < other
    assert '<p class="meta">Audio CD, ISBN 9780446533027, goodreads Book Id 12</p>' in text
    assert text.count("Review of another edition") == 1  # (the Kindle edition's is only a note to self)
    assert "Review of another edition" not in page(out, "plain-book")
    site = everything(out)
    for secret in (
        "ask Sam",
        "note to self",
        "nothing but a note",
        "lent to my sister",
        "library sale",
        "&lt;!--",
    ):
        assert secret not in site, secret  # no note to self, nothing else of the source table
    # the feed and the home page carry the book's own review (see README): the other is on its page
    assert "read again" not in (out / "feed.xml").read_text() and "read again" not in page(out, "../index")
    assert "read again" not in (out / "library.json").read_text()


def test_a_private_review_hides_the_other_editions_too(run, journal, tmp_path):
    path = journal / "the-salt-roads.toml"
    path.write_text(path.read_text().replace("[review]\n", "[review]\nprivate = true\n"), encoding="utf-8")
    out = tmp_path / "out"
    run("site", str(out), "--all")  # (a page for the book even without a public review)
    text = page(out, "the-salt-roads")
    assert "paperback" not in text and "audiobook" not in text and "another edition" not in text
    assert "audiobook" not in everything(out)
    path.write_text(TWO_EDITIONS.replace("rating = 4\n", "rating = 4\nprivate = true\n"), encoding="utf-8")
    run("site", str(out), "--all")
    assert "audiobook" not in everything(out)  # a private book: nothing of it


def test_a_book_without_a_review_of_its_own_shows_the_other_editions(run, journal, tmp_path):
    """The rule's other half (as the Markdown post has it): no review of its own, the others are published."""
    path = journal / "the-salt-roads.toml"
    path.write_text(
        re.sub(r"\[review\].*?\"\"\"\n.*?\"\"\"\n", "", TWO_EDITIONS, flags=re.S), encoding="utf-8"
    )
    out = tmp_path / "out"
    run("site", str(out), "--all")
    assert "The audiobook's review, read again." in page(out, "the-salt-roads")


def test_the_cache_gives_the_review_back_and_an_edit_of_it_alone_shows(run, journal, tmp_path):
    out = tmp_path / "out"
    run("site", str(out))
    # Every page made again from the cache alone (another OUTDIR): the review read back from it
    run("site", str(tmp_path / "elsewhere"))
    assert "The audiobook's review, read again." in page(tmp_path / "elsewhere", "the-salt-roads")
    path = journal / "the-salt-roads.toml"
    path.write_text(path.read_text().replace("read again.", "read a third time."), encoding="utf-8")
    run("site", str(out))
    text = page(out, "the-salt-roads")
    assert "read a third time." in text and "read again." not in text
    assert "The paperback's review" in text


def test_a_site_and_cache_of_the_form_before_are_made_again(run, journal, tmp_path):
    """A site built before book pages had other editions' reviews: its cache (of the form before: a book's
    three texts, no fourth) is not read, and the page shows the review. The old form is made from this
    one: each book's fourth text dropped, the form's number the one before (content.CACHE_FORM 7)."""
    out = tmp_path / "out"
    run("site", str(out))
    folder = cache_path(tmp_path / "journal")
    old = _model_key().rsplit("form-", 1)[0] + f"form-{OLD_FORM}"
    rewritten = 0
    for number in range(SHARDS):
        small, texts = shard_files(folder, number)
        if not small.exists():
            continue
        header = json.loads(small.read_bytes())
        for record in header["books"].values():
            record[2] = record[2][:6]  # (the texts stay where they are: the fourth is never read)
        header["version"] = old
        from test_site_rebuild import rewrite

        rewrite(small, texts, header, texts.read_bytes())
        rewritten += 1
    assert rewritten
    # The old site's page, without the review; its digests those of other templates (the build before)
    book = out / "books" / "the-salt-roads.html"
    before = re.sub(r"<section aria-labelledby=\"edition-review-1\".*?</section>\n", "", page(out, "the-salt-roads"),
                    flags=re.S)  # fmt: skip
    assert "audiobook" not in before
    book.unlink()
    book.write_text(before, encoding="utf-8")
    manifest = json.loads((out / MARKER).read_text())
    manifest["pages"] = {path: "0" * 32 for path in manifest["pages"]}
    manifest["inputs"] = "0" * 32
    (out / MARKER).write_text(json.dumps(manifest))
    run("site", str(out))
    assert "The audiobook's review, read again." in page(out, "the-salt-roads")


def test_pages_made_from_whole_books_ask_the_same_rule(tmp_path):
    """The site's context made from books as parsed (not the cache's public parts) asks privacy too."""
    from readlog import bookfile
    from readlog.exporters.site.context import Options, build_pages

    book = bookfile.parse(TWO_EDITIONS, "the-salt-roads.toml")
    pages = {p.path: p for p in build_pages({"the-salt-roads": book}, Options())}
    reviews = pages["books/the-salt-roads.html"].full_context()["edition_reviews"]
    assert reviews == [
        {
            "number": 1,
            "told": "Audio CD, ISBN 9780446533027, goodreads Book Id 12",
            "text": "The audiobook's review, read again.\n",
        }
    ]
    book.review.private = True
    pages = {p.path: p for p in build_pages({"the-salt-roads": book}, Options(include_all=True))}
    assert pages["books/the-salt-roads.html"].full_context()["edition_reviews"] == []
