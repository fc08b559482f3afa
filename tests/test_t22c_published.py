"""What the published page and post say they leave out, and which books get a page.

- `privacy.hidden` is the one rule of what publishing leaves out of a book as private; when a book's own
  review is private, the other editions' reviews go with it (privacy.edition_reviews), and both publishers
  say so: `export --format markdown` (one post, or a folder of them) and `site` (every build, a rebuild
  with nothing to do and a build from the content cache alone included).
- A book whose only public review is another edition's has a page without `--all`, as it has a Markdown
  post; the lists link to it, and a rebuild that gives a book such a review (or takes it away) makes the
  lists link to the page (or to the shelves) again. The page checked in headless Chromium where there is
  one (as tests/test_site_browser.py does).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from readlog.exporters.site.build import MARKER, SAID
from readlog.exporters.site.content import cache_path
from readlog.model import Book, Reflection, Review
from readlog.privacy import Hidden, hidden, hidden_words, left_out_lines
from test_site_browser import BROWSER, _env
from test_site_edition_reviews import PLAIN, TWO_EDITIONS

OWN_REVIEW = re.compile(r"\[review\].*?\"\"\"\n.*?\"\"\"\n", re.S)
ONLY_OTHERS = OWN_REVIEW.sub("", TWO_EDITIONS)  # no review of its own: the audiobook's is its only review
PRIVATE_REVIEW = TWO_EDITIONS.replace("[review]\n", "[review]\nprivate = true\n")
SECRET = 'schema = 2\ntitle = "My Secret Diary Book"\nstatus = "read"\nprivate = true\n'
WITH_IT = "the review (and another edition's review with it)"


def told(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("readlog: ")]


def put(books: Path, **files: str) -> None:
    books.mkdir(parents=True, exist_ok=True)
    for slug, text in files.items():
        (books / f"{slug.replace('_', '-')}.toml").write_text(text, encoding="utf-8")


# --- the rule: privacy.hidden, and its words ------------------------------------------------------------


def test_the_rule_counts_the_other_editions_reviews_a_private_review_takes_along(tmp_path):
    from readlog import bookfile

    def parsed(text: str) -> Book:
        path = tmp_path / "b.toml"
        path.write_text(text, encoding="utf-8")
        return bookfile.parse(text, str(path))

    # the Kindle edition's review is only a note to self: never published, so not counted either
    assert hidden(parsed(PRIVATE_REVIEW)) == Hidden(review=1, editions=1)
    assert hidden_words(hidden(parsed(PRIVATE_REVIEW))) == [WITH_IT]
    assert hidden(parsed(TWO_EDITIONS)) == Hidden()  # a public review: nothing left out
    assert hidden(parsed(ONLY_OTHERS)) == Hidden()
    assert hidden(parsed(SECRET)) is None and hidden_words(hidden(parsed(SECRET))) == ["the book"]
    # a private review with no text of its own still takes the others along, and says so
    empty = TWO_EDITIONS.replace('headline = "Three women, one goddess"\n', "private = true\n")
    empty = re.sub(r'body = """\n.*?"""\n', "", empty, flags=re.S)
    assert hidden(parsed(empty)) == Hidden(editions=1)
    assert hidden_words(hidden(parsed(empty))) == ["another edition's review"]
    plain = Book(title="Plain", review=Review(body="mine", private=True))
    plain.reflections = [Reflection(text="a", private=True), Reflection(text="b")]
    assert hidden_words(hidden(plain)) == ["the review", "1 reflection"]


def test_the_words_of_several_books_add_up_and_never_name_a_private_one():
    lines = left_out_lines(
        [("Dune", Hidden(review=1, editions=2)), ("Emma", Hidden(review=1, quotes=3)), ("Nil", Hidden())],
        private_books=2,
        where="the site",
    )
    assert lines == [
        "2 private books left out",
        "private parts of 2 books left out of the site (Dune, Emma): "
        "2 reviews (and 2 other editions' reviews with them), 3 quotes",
    ]
    one = left_out_lines([("Dune", Hidden(review=1, editions=2))], 0, "their posts", single=True)
    assert one == ["left out of the post as private: the review (and 2 other editions' reviews with it)"]
    assert left_out_lines([("Dune", Hidden(reflections=1))], 0, "the site") == [
        "private parts of 1 book left out of the site (Dune): 1 reflection"
    ]


# --- the Markdown export and the site say the same -------------------------------------------------------


def test_the_markdown_post_says_the_other_editions_review_went_with_the_private_one(run, books, tmp_path):
    put(books, the_salt_roads=PRIVATE_REVIEW, plain_book=PLAIN)
    result = run("export", "the salt roads", "--format", "markdown")
    assert "audiobook" not in result.stdout and "paperback" not in result.stdout
    assert told(result) == [f"readlog: left out of the post as private: {WITH_IT}"]
    folder = run("export", "--format", "markdown", "--output", str(tmp_path / "posts"))
    assert told(folder) == [
        "readlog: private parts of 1 book left out of its post (The Salt Roads): "
        "1 review (and another edition's review with it)"
    ]


def test_the_site_says_what_it_left_out_on_every_build(run, books, tmp_path):
    put(books, the_salt_roads=PRIVATE_REVIEW, plain_book=PLAIN, my_secret_diary_book=SECRET)
    expected = [
        "readlog: 1 private book left out",
        "readlog: private parts of 1 book left out of the site (The Salt Roads): "
        "1 review (and another edition's review with it)",
    ]
    out = tmp_path / "out"
    first = run("site", str(out))
    assert told(first) == expected
    assert "Secret Diary" not in first.stderr
    again = run("site", str(out))  # nothing changed: nothing read, the same said
    assert "0 written" in again.stderr and told(again) == expected
    elsewhere = run("site", str(tmp_path / "elsewhere"))  # every book from the content cache
    assert told(elsewhere) == expected
    # what was said is kept beside the cache (never in the published folder), for these very files only:
    # said of other files, or gone, the books are read again
    said = cache_path(books.parent) / SAID
    assert "Salt Roads" in said.read_text() and "Salt Roads" not in (out / MARKER).read_text()
    said.write_text(json.dumps({"books": "other files", "left_out": ["a stale word"]}))
    assert told(run("site", str(out))) == expected
    said.unlink()
    assert told(run("site", str(out))) == expected
    # the review made public again: nothing to say, and its page has both reviews
    path = books / "the-salt-roads.toml"
    path.write_text(TWO_EDITIONS, encoding="utf-8")
    public = run("site", str(out))
    assert told(public) == ["readlog: 1 private book left out"]
    assert "The audiobook's review, read again." in (out / "books" / "the-salt-roads.html").read_text()


def test_a_site_with_nothing_private_says_nothing(run, books, tmp_path):
    put(books, the_salt_roads=TWO_EDITIONS, plain_book=PLAIN)
    assert told(run("site", str(tmp_path / "out"))) == []


# --- a book whose only review is another edition's has a page ---------------------------------------------


def shelves_link(out: Path, slug: str) -> str | None:
    """Where the book's line on the shelves links to: its page, or nowhere (it is there itself)."""
    shelves = (out / "shelves.html").read_text(encoding="utf-8")
    line = re.search(rf'<li id="{slug}">(.*?)</li>', shelves)
    assert line, shelves
    found = re.search(r'href="([^"]*)"', line.group(1))
    return found.group(1) if found else None


def test_a_book_with_only_another_editions_review_has_a_page_and_a_post(run, books, tmp_path):
    put(books, the_salt_roads=ONLY_OTHERS, plain_book=PLAIN)
    out = tmp_path / "out"
    run("site", str(out))  # (no --all)
    page = out / "books" / "the-salt-roads.html"
    assert page.is_file()
    assert "The audiobook's review, read again." in page.read_text(encoding="utf-8")
    assert shelves_link(out, "the-salt-roads") == "books/the-salt-roads.html"
    assert "books/the-salt-roads.html" in (out / "sitemap.xml").read_text()
    posts = tmp_path / "posts"
    run("export", "--format", "markdown", "--output", str(posts))
    assert "The audiobook's review, read again." in (posts / "the-salt-roads.md").read_text()


def test_a_rebuild_links_the_lists_to_a_page_that_comes_or_goes(run, books, tmp_path):
    """The lists are keyed by the books' small parts, which leave the source tables out: which books have
    another edition's review is part of their key, or a rebuild would keep linking to the shelves."""
    no_review = re.sub(r"review = \"\"\"\n.*?\"\"\"\n", "", ONLY_OTHERS, flags=re.S)
    put(books, the_salt_roads=no_review, plain_book=PLAIN)
    out = tmp_path / "out"
    run("site", str(out))
    assert not (out / "books" / "the-salt-roads.html").exists()
    assert shelves_link(out, "the-salt-roads") is None
    (books / "the-salt-roads.toml").write_text(ONLY_OTHERS, encoding="utf-8")
    run("site", str(out))
    assert (out / "books" / "the-salt-roads.html").is_file()
    assert shelves_link(out, "the-salt-roads") == "books/the-salt-roads.html"
    (books / "the-salt-roads.toml").write_text(no_review, encoding="utf-8")
    run("site", str(out))
    assert not (out / "books" / "the-salt-roads.html").exists()
    assert shelves_link(out, "the-salt-roads") is None


def dumped(url: str, cwd: Path) -> str:
    """The page's DOM as headless Chromium built it (`--dump-dom`: on stdout)."""
    assert BROWSER is not None
    command = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               f"--user-data-dir={cwd / 'profile'}", "--dump-dom", url]  # fmt: skip
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, env=_env()).stdout


@pytest.mark.skipif(BROWSER is None, reason="no Chromium here (Debian: apt-get install chromium)")
def test_the_page_in_a_browser(run, books, tmp_path):
    """Headless Chromium opens the page from disk (the site works opened from disk): the other edition's
    review is there, under its heading and the line that tells the edition, and nothing private is."""
    put(books, the_salt_roads=ONLY_OTHERS, plain_book=PLAIN)
    out = tmp_path / "out"
    run("site", str(out))
    dom = dumped((out / "books" / "the-salt-roads.html").as_uri(), tmp_path)
    assert '<h1 dir="auto">The Salt Roads</h1>' in dom
    heading = dom.index("Review of another edition")
    assert heading < dom.index("Audio CD, ISBN 9780446533027, goodreads Book Id 12")
    assert heading < dom.index("The audiobook's review, read again.")
    assert "ask Sam" not in dom and "library sale" not in dom


def test_a_cache_of_the_form_before_is_not_read(run, books, tmp_path):
    """The cache before this kept no counts (content.CACHE_FORM 8: each book's record four positions long):
    read as if it had, a private review would seem to leave nothing out. It is not read; the books are."""
    from readlog.exporters.site.content import SHARDS, _model_key, shard_files
    from test_site_rebuild import rewrite

    put(books, the_salt_roads=PRIVATE_REVIEW, plain_book=PLAIN)
    run("site", str(tmp_path / "out"))
    folder = cache_path(books.parent)
    old = _model_key().rsplit("form-", 1)[0] + "form-8"
    rewritten = 0
    for number in range(SHARDS):
        small, texts = shard_files(folder, number)
        if small.exists():
            header = json.loads(small.read_bytes())
            header["books"] = {slug: record[:4] for slug, record in header["books"].items()}
            header["version"] = old
            rewrite(small, texts, header, texts.read_bytes())
            rewritten += 1
    assert rewritten
    (folder / SAID).unlink()
    assert told(run("site", str(tmp_path / "elsewhere"))) == [
        "readlog: private parts of 1 book left out of the site (The Salt Roads): "
        "1 review (and another edition's review with it)"
    ]
