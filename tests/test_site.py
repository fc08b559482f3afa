"""`readlog site`: the example journal published, private parts nowhere, byte-identical rebuilds, only
changed pages rewritten, and broken inputs refused with one clear line."""

from __future__ import annotations

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from readlog import privacy
from readlog.exporters.site.build import MARKER
from readlog.exporters.site.context import Options, build_pages, year_stats
from readlog.exporters.site.markdown import Markdown
from readlog.journal import Journal
from readlog.markdown import book_markdown
from readlog.model import Book, Quote, ReadNext, Reflection, Review

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "journal"


@pytest.fixture
def example(journal_home: Path) -> Path:
    """The example journal, copied in as the test's own journal."""
    shutil.copytree(EXAMPLE / "books", journal_home / "books")
    return journal_home


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def text_of(folder: Path) -> str:
    return "\n".join(data.decode("utf-8") for data in files(folder).values())


def test_never_let_me_go_page_has_every_part_of_the_review_in_order(run, example, tmp_path):
    out = tmp_path / "site"
    run("site", str(out), "--title", "Pages and Afterthoughts")
    page = (out / "books" / "never-let-me-go.html").read_text(encoding="utf-8")
    parts = [
        "<title>The gentlest book about the cruellest idea · Pages and Afterthoughts</title>",
        '<h1 dir="auto">The gentlest book about the cruellest idea</h1>',
        "★★★★½",
        "Rated 4.5 out of 5",
        "<dt>Pages</dt><dd>288</dd>",
        "9 February 2025 to 1 March 2025",
        "<h2>A school with a secret</h2>",
        "<h2>Why nobody runs</h2>",
        "<h2>What memory is for</h2>",
        "<h2>How it is told</h2>",
        '<h2 id="reflections">Reflections</h2>',
        "5 March 2025",
        "<li>When an ending is certain, is hoping braver than accepting?</li>",
        # the quotes in book order, as `show` and the post have them: a page first, a chapter after it
        '<blockquote dir="auto"><p>A rumour is easier to keep than the truth.</p></blockquote>',
        '<figcaption dir="auto">p. 84</figcaption>',
        '<blockquote dir="auto"><p>We had our memories; nobody could take those away from us.</p></blockquote>',
        '<figcaption dir="auto">ch. 23 (my paraphrase)</figcaption>',
        '<h2 id="read-next" dir="auto">Three Ishiguro Novels to Read After Hailsham</h2>',
        "If the quiet ache of this book stayed with you",
        '<a href="../books/the-remains-of-the-day.html"><cite dir="auto">The Remains of the Day</cite></a>',
        "The same quiet regret, told through what goes unsaid.",
        '<a href="../shelves.html#klara-and-the-sun"><cite dir="auto">Klara and the Sun</cite></a>',
        "loneliness, hope and sacrifice",
        '<a href="../shelves.html#an-artist-of-the-floating-world"><cite dir="auto">An Artist of the Floating World</cite></a>',
        "reckoning with a legacy",
    ]
    positions = [page.find(part) for part in parts]
    missing = [part for part, at in zip(parts, positions, strict=True) if at < 0]
    assert not missing, missing
    assert positions == sorted(positions), [p for _, p in sorted(zip(positions, parts, strict=True))]
    # the picks are numbered (an ordered list) and marked with their status in the journal
    picks = page[page.find('<ol class="picks">') :]
    assert picks.count("<li>") == 3
    for mark in ('<span class="status">read</span>', "reading now", "on my list"):
        assert mark in picks
    # and the shelf anchors the picks lead to exist
    shelves = (out / "shelves.html").read_text(encoding="utf-8")
    assert 'id="klara-and-the-sun"' in shelves and 'id="an-artist-of-the-floating-world"' in shelves


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.headings: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(values[name] or "")
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))


def test_every_internal_link_resolves_and_headings_go_in_order(run, example, tmp_path):
    out = tmp_path / "site"
    run("site", str(out), "--all")
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 20
    parsed = {}
    for page in pages:
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        parsed[page] = parser
    for page, parser in parsed.items():
        assert parser.headings[0] == 1 and parser.headings.count(1) == 1, page
        for before, after in zip(parser.headings, parser.headings[1:], strict=False):
            assert after <= before + 1, (page, parser.headings)
        for link in parser.links:
            if re.match(r"[a-z]+:", link):
                continue
            path, _, anchor = link.partition("#")
            target = (page.parent / path).resolve() if path else page
            assert target.is_file(), (page, link)
            assert target.is_relative_to(out.resolve()), (page, link)
            if anchor:
                assert anchor in parsed[target].ids, (page, link)
    # with --all every book has a page, and the picks link to pages rather than the shelves
    assert len(list((out / "books").glob("*.html"))) == 6
    assert 'href="../books/klara-and-the-sun.html"' in (out / "books" / "never-let-me-go.html").read_text()


def test_feed_sitemap_and_library_json(run, example, tmp_path):
    out = tmp_path / "site"
    run("site", str(out), "--base-url", "https://example.org/reading")
    feed = ET.fromstring((out / "feed.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    titles = sorted(e.findtext("a:title", namespaces=ns) for e in entries)
    assert len(entries) == 3, titles  # the three reviews of the example journal, one entry each
    assert "The gentlest book about the cruellest idea" in titles
    updated = sorted(e.findtext("a:updated", namespaces=ns) for e in entries)
    assert updated == ["2024-08-20T00:00:00Z", "2025-03-02T00:00:00Z", "2025-04-03T00:00:00Z"]  # `written`
    assert feed.findtext("a:updated", namespaces=ns) == updated[-1]  # the newest review's, not the clock's
    links = [e.find("a:link", ns).get("href") for e in entries]
    assert "https://example.org/reading/books/never-let-me-go.html" in links
    content = next(e for e in entries if "gentlest" in e.findtext("a:title", namespaces=ns))
    carried = content.findtext("a:content", namespaces=ns)  # the opening paragraph, and the way to the rest
    assert carried.startswith("<p>Hailsham looks like any English boarding school")
    assert "Why nobody runs" not in carried and "books/never-let-me-go.html" in carried
    sitemap = ET.fromstring((out / "sitemap.xml").read_bytes())
    locs = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://example.org/reading/books/never-let-me-go.html" in locs
    assert all(loc.startswith("https://example.org/reading/") for loc in locs)
    library = json.loads((out / "library.json").read_text(encoding="utf-8"))
    shown_full = json.loads(run("show", "never let me go", "--json").stdout)
    published = next(b for b in library if b["slug"] == "never-let-me-go")
    del shown_full["review"]["body"]  # the review's words are its page, not the library
    assert published == shown_full  # the field names (and values) of `show --json`
    assert [b["slug"] for b in library] == sorted(p.stem for p in (example / "books").glob("*.toml"))


def test_year_in_review_has_the_numbers_of_stats(run, example, tmp_path):
    journal = Journal(example)
    books = {slug: journal.load(slug).book for slug in journal.slugs()}
    for year in (2024, 2025):
        expected = json.loads(run("stats", "--year", str(year), "--json").stdout)
        assert expected.pop("unreadable") == []  # (the CLI's: what the counts left out, t23f)
        expected.pop("goal")
        got = year_stats(books, year).to_json()
        got.pop("goal")
        assert got == expected, year
    out = tmp_path / "site"
    run("site", str(out))
    page = (out / "years" / "2025.html").read_text(encoding="utf-8")
    stats_2025 = json.loads(run("stats", "--year", "2025", "--json").stdout)
    assert f"<dt>Books finished</dt><dd>{stats_2025['finished']}</dd>" in page
    assert f"<dt>Pages</dt><dd>{stats_2025['pages_per_year']['2025']}</dd>" in page


PRIVATE_BOOK = """schema = 1
title = "The Secret Diary Novel"
authors = ["Hidden Author"]
status = "read"
rating = 2
tags = ["secret-shelf"]
pages = 999
private = true

[[reads]]
finished = 2025-06-01

[review]
headline = "Headline nobody may see"
body = "A review nobody may read: zebra-marmalade."

[[next]]
title = "Pick Of A Private Book"
"""


def _add_private_parts(home: Path) -> None:
    (home / "books" / "the-secret-diary-novel.toml").write_text(PRIVATE_BOOK, encoding="utf-8")
    path = home / "books" / "piranesi.toml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + """
[[reflections]]
date = 2024-09-01
text = "A private thought about quicksilver-lanterns."
private = true

[[reflections]]
date = 2024-09-02
text = "A public thought about the tides."

[[quotes]]
text = "A private line about obsidian-herons."
page = 12
private = true
""",
        encoding="utf-8",
    )
    path = home / "books" / "the-remains-of-the-day.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("[review]\n", "[review]\nprivate = true\n"), encoding="utf-8")


def test_private_parts_appear_in_no_output_file(run, example, tmp_path):
    remains = (example / "books" / "the-remains-of-the-day.toml").read_text(encoding="utf-8")
    private_headline = re.search(r'headline = "(.*)"', remains)[1]
    _add_private_parts(example)
    out = tmp_path / "site"
    run("site", str(out), "--all")
    everything = text_of(out)
    for secret in (
        "Secret Diary",
        "the-secret-diary-novel",
        "Hidden Author",
        "hidden-author",
        "secret-shelf",
        "zebra-marmalade",
        "nobody may",
        "Pick Of A Private Book",
        "quicksilver-lanterns",
        "obsidian-herons",
        private_headline,
    ):
        assert secret not in everything, secret
    published = {path: data for path, data in files(out).items() if path != MARKER}  # (hex digests there)
    assert not [path for path, data in published.items() if b"999" in data]  # the private book's pages
    assert "A public thought about the tides." in (out / "books" / "piranesi.html").read_text()
    assert (out / "books" / "the-remains-of-the-day.html").exists()  # --all: the book, not its review
    # counts do not reveal the private book: 2025 has the example's two readings, not three
    stats = json.loads(run("stats", "--year", "2025", "--json").stdout)
    assert stats["finished"] == 3  # the journal itself counts everything
    assert "<dt>Books finished</dt><dd>2</dd>" in (out / "years" / "2025.html").read_text()
    assert "5 books" not in everything  # (with the private book the example would have 7)
    library = json.loads((out / "library.json").read_text())
    assert all("private" not in json.dumps(book) for book in library)
    # backups are not publishing: the JSON export keeps private parts, flags included
    backup = json.loads(run("export", "--format", "json").stdout)
    secret = next(b for b in backup if b["slug"] == "the-secret-diary-novel")
    assert secret["private"] is True and secret["review"]["body"].endswith("zebra-marmalade.")
    assert json.loads(run("show", "piranesi", "--json").stdout)["reflections"][0]["private"] is True
    piranesi = next(b for b in backup if b["slug"] == "piranesi")
    assert {
        "date": "2024-09-01",
        "text": "A private thought about quicksilver-lanterns.",
        "private": True,
    } in (piranesi["reflections"])


def test_markdown_export_keeps_private_parts_out(run, example, tmp_path):
    _add_private_parts(example)
    result = run("export", "piranesi", "--format", "markdown")
    post = result.stdout
    # said, not silent (the try-out): what the post leaves out
    assert "readlog: left out of the post as private: 1 reflection, 1 quote" in result.stderr
    assert "left out" not in run("export", "never let me go", "--format", "markdown").stderr
    assert "as private: the review" in run("export", "the remains of the day", "--format", "markdown").stderr
    told = run("export", "--format", "markdown", "--output", str(tmp_path / "posts")).stderr
    assert "1 private book left out" in told and "private parts of 2 books left out of their posts" in told
    assert "A public thought about the tides." in post
    assert "quicksilver-lanterns" not in post and "obsidian-herons" not in post
    left = run("export", "the remains of the day", "--format", "markdown").stdout
    review = Journal(example).load("the-remains-of-the-day").book.review
    assert review is not None and review.private and review.body and review.headline
    assert review.body.strip()[:40] not in left and review.headline not in left
    assert left.startswith("# The Remains of the Day\n")  # the title stands in for the private headline
    result = run("export", "the secret diary novel", "--format", "markdown", code=1)
    assert "is private" in result.stderr and "zebra" not in result.stdout
    # the read-next heading and intro go into the post
    nlmg = run("export", "never let me go", "--format", "markdown").stdout
    assert "## Three Ishiguro Novels to Read After Hailsham\n\nIf the quiet ache" in nlmg


def test_two_builds_are_byte_identical(run, example, tmp_path):
    run("site", str(tmp_path / "a"), "--all", "--base-url", "https://example.org/")
    run("site", str(tmp_path / "b"), "--all", "--base-url", "https://example.org/")
    assert files(tmp_path / "a") == files(tmp_path / "b")
    # ... even without the parse cache
    shutil.rmtree(tmp_path / "cache", ignore_errors=True)
    run("site", str(tmp_path / "c"), "--all", "--base-url", "https://example.org/")
    assert files(tmp_path / "a") == files(tmp_path / "c")


def test_a_change_to_one_book_rewrites_only_its_pages_the_lists_and_the_feed(run, example, tmp_path):
    out = tmp_path / "site"
    run("site", str(out))
    before = {p: os.stat(out / p).st_ino for p in files(out)}
    contents = files(out)
    assert "0 written" in run("site", str(out)).stderr  # nothing changed: nothing written
    assert {p: os.stat(out / p).st_ino for p in files(out)} == before
    (out / "tags" / "fantasy.html").unlink()  # a file gone from OUTDIR is put back
    assert "1 written" in run("site", str(out)).stderr
    assert files(out) == contents
    before["tags/fantasy.html"] = os.stat(out / "tags" / "fantasy.html").st_ino
    path = example / "books" / "piranesi.toml"
    path.write_text(path.read_text().replace("rating = 4.25", "rating = 4.5"), encoding="utf-8")
    result = run("site", str(out))
    assert "unchanged" in result.stderr
    after = files(out)
    rewritten = {p for p in after if os.stat(out / p).st_ino != before.get(p)}
    changed = {p for p in after if after[p] != contents.get(p)}
    assert changed <= rewritten  # a changed file is always a new one
    assert rewritten - {MARKER} == changed - {MARKER}  # and only changed files are new
    assert {"books/piranesi.html", "feed.xml", "index.html", "shelves.html", "library.json",
            "years/2024.html", "tags/fantasy.html", "authors/susanna-clarke.html"} <= changed  # fmt: skip
    untouched = {"books/never-let-me-go.html", "books/the-remains-of-the-day.html", "tags/literary.html",
                 "authors/kazuo-ishiguro.html", "years/2025.html", "style.css"}  # fmt: skip
    assert untouched.isdisjoint(rewritten)
    # a book's change in a part no list shows (a quote's note) rewrites its page alone
    path.write_text(
        path.read_text().replace('location = "first notebook', 'note = "Mine."\nlocation = "first notebook'),
        "utf-8",
    )
    run("site", str(out))
    again = files(out)
    assert {p for p in again if again[p] != after[p]} == {"books/piranesi.html", "library.json", MARKER}


def test_a_review_with_raw_html_or_a_script_is_escaped(run, journal_home, tmp_path):
    review = (
        "## Fine\n\n<script>alert('x')</script>\n\nText with <b>bold</b> and "
        "[a link](javascript:alert(1)).\n\n<img src=x onerror=alert(1)>\n"
    )
    run(
        "add", "Hostile <Book>", "--author", "A. <i>Author</i>", "--rating", "3",
        "--review", review, "--headline", "<script>head()</script>", "--tag", "<em>tag</em>",
    )  # fmt: skip
    out = tmp_path / "site"
    run("site", str(out))
    for path, data in files(out).items():
        text = data.decode("utf-8")
        assert "<script" not in text, path
        assert "<img" not in text and "<b>bold" not in text and "<i>Author" not in text, path
        assert 'href="javascript:' not in text, path
    page = next(p for p in (out / "books").glob("*.html"))
    text = page.read_text()
    assert (
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in text
        or "&lt;script&gt;alert('x')&lt;/script&gt;" in text
    )
    assert '<h1 dir="auto">&lt;script&gt;head()&lt;/script&gt;</h1>' in text
    ET.fromstring((out / "feed.xml").read_bytes())  # still well-formed XML


def test_outdir_that_is_a_file_or_not_a_site_is_refused(run, example, tmp_path):
    afile = tmp_path / "file.txt"
    afile.write_text("mine")
    result = run("site", str(afile), code=1)
    assert "is not a folder" in result.stderr and afile.read_text() == "mine"
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("keep me")
    result = run("site", str(theirs), code=1)
    assert "not a readlog site" in result.stderr and "--force" in result.stderr
    assert (theirs / "notes.txt").read_text() == "keep me"
    run("site", str(theirs), "--force")
    assert (theirs / MARKER).is_file() and not (theirs / "notes.txt").exists()
    run("site", str(theirs))  # now it is a site: no --force needed
    empty = tmp_path / "empty"
    empty.mkdir()
    run("site", str(empty))
    result = run("site", str(example), "--force", code=1)
    assert "holds the journal" in result.stderr
    result = run("site", str(example / "site"), "--force", code=1)
    assert "inside the journal's folder" in result.stderr
    assert (example / "books" / "piranesi.toml").is_file()
    assert list(tmp_path.glob(".*building*")) == []


def test_unwritable_outdir_is_one_clear_error(run, example, tmp_path):
    if os.geteuid() == 0:
        target = Path("/proc/readlog-site-test/site")  # even root cannot make folders here
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        target = locked / "site"
    result = run("site", str(target), code=1)
    assert result.stderr.startswith("readlog: error: cannot")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_failed_build_leaves_the_old_site_as_it_was(run, example, tmp_path):
    out = tmp_path / "site"
    run("site", str(out))
    before = files(out)
    overrides = example / "site"
    overrides.mkdir()
    (overrides / "book.html").write_text(
        "{% extends 'base.html' %}{% block main %}{{ no_such.thing }}{% endblock %}"
    )
    result = run("site", str(out), code=1)
    assert "site template book.html" in result.stderr
    assert files(out) == before
    assert [
        p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")
    ] == []  # the lock is in the cache


def test_templates_and_style_are_overridable_from_the_data_dir(run, example, tmp_path):
    overrides = example / "site"
    overrides.mkdir()
    (overrides / "style.css").write_text("body { color: rebeccapurple; }\n")
    (overrides / "home.html").write_text(
        "{% extends 'base.html' %}{% block main %}<h1 dir=\"auto\">My own home</h1>{% endblock %}\n"
    )
    out = tmp_path / "site"
    run("site", str(out))
    assert (out / "style.css").read_text() == "body { color: rebeccapurple; }\n"
    assert '<h1 dir="auto">My own home</h1>' in (out / "index.html").read_text()
    assert '<h1 dir="auto">The gentlest book' in (out / "books" / "never-let-me-go.html").read_text()


def test_options_are_checked(run, example, tmp_path):
    assert (
        "is not an http(s) URL"
        in run("site", str(tmp_path / "s"), "--base-url", "example.org", code=1).stderr
    )
    assert "is not a port" in run("site", str(tmp_path / "s"), "--serve", "99999", code=1).stderr
    assert not (tmp_path / "s").exists()


# --- pure parts ---------------------------------------------------------------------------------------------


def test_public_book_drops_every_private_part():
    book = Book(
        title="T",
        review=Review(body="hidden", private=True),
        reflections=[Reflection("kept"), Reflection("gone", private=True)],
        quotes=[Quote("gone", private=True), Quote("kept")],
        extra={"mood": "x"},
    )
    public = privacy.public_book(book)
    assert public is not None and public.review is None and public.extra == {}
    assert [r.text for r in public.reflections] == ["kept"] and [q.text for q in public.quotes] == ["kept"]
    assert book.review is not None and len(book.reflections) == 2  # the original is untouched
    assert privacy.public_book(Book(title="T", private=True)) is None
    with pytest.raises(Exception, match="private"):
        book_markdown(Book(title="T", private=True))


def test_pages_are_the_same_for_the_same_books_in_any_order():
    books = {f"b{i}": Book(title=f"Book {i}", authors=["Same One"], tags=["x"], review=Review(body="r"))
             for i in range(5)}  # fmt: skip
    shuffled = dict(reversed(list(books.items())))
    one = [(p.path, p.template, p.context, p.text) for p in build_pages(books, Options())]
    two = [(p.path, p.template, p.context, p.text) for p in build_pages(shuffled, Options())]
    assert one == two


def test_markdown_headings_sit_under_the_page_heading_and_html_is_text():
    md = Markdown()
    assert md.html("# Big\n\n### Small", top=2) == "<h2>Big</h2>\n<h4>Small</h4>\n"
    assert "&lt;b&gt;" in md.html("<b>x</b> and text")
    assert "href" not in md.html("[x](javascript:alert(1))")  # left as text, never a link


# --- the verbs the CLI wires: next intro, --private -----------------------------------------------------------


def test_read_next_intro_and_heading(example):
    journal = Journal(example)
    privacy.set_read_next_intro(journal, "piranesi", "Two more halls to wander.", heading="After the House")
    book = journal.load("piranesi").book
    assert book.read_next == ReadNext(heading="After the House", intro="Two more halls to wander.")
    assert "[read_next]" in (example / "books" / "piranesi.toml").read_text()
    privacy.set_read_next_intro(journal, "piranesi", heading="")  # only the heading goes; the intro stays
    assert journal.load("piranesi").book.read_next == ReadNext(intro="Two more halls to wander.")
    privacy.set_read_next_intro(journal, "piranesi", "")
    assert journal.load("piranesi").book.read_next is None
    assert "read_next" not in (example / "books" / "piranesi.toml").read_text()
    with pytest.raises(Exception, match="give the introduction"):
        privacy.set_read_next_intro(journal, "piranesi")


def test_private_verbs_write_the_flags(example):
    journal = Journal(example)
    from readlog.actions.books import add_quote, add_reflection

    add_reflection(journal, "piranesi", "Only for me.", "2025-01-02", private=True)
    add_quote(journal, "piranesi", "A line for me.", page=3, private=True)
    privacy.set_private(journal, "never-let-me-go", "review")
    privacy.set_private(journal, "klara-and-the-sun")
    text = (example / "books" / "piranesi.toml").read_text()
    assert 'text = "Only for me."\nprivate = true' in text and "page = 3\nprivate = true" in text
    assert journal.load("never-let-me-go").book.review.private  # type: ignore[union-attr]
    assert journal.load("klara-and-the-sun").book.private
    privacy.set_private(journal, "klara-and-the-sun", private=False)
    assert "private" not in (example / "books" / "klara-and-the-sun.toml").read_text()
    privacy.set_private(journal, "never-let-me-go", "quote", 1)
    assert [q.private for q in journal.load("never-let-me-go").book.quotes] == [True, False]
    with pytest.raises(Exception, match="has 2 quotes"):
        privacy.set_private(journal, "never-let-me-go", "quote", 5)


def test_show_has_the_read_next_heading_and_intro(run, example):
    out = run("show", "never let me go").stdout
    assert "Three Ishiguro Novels to Read After Hailsham" in out and "If the quiet ache" in out
    assert out.index("If the quiet ache") < out.index("1. The Remains of the Day")


def test_an_empty_journal_makes_a_small_valid_site(run, tmp_path, journal_home):
    journal_home.mkdir()  # an empty journal (a missing one is refused: test_s29_lead.py)
    out = tmp_path / "site"
    run("site", str(out))
    assert json.loads((out / "library.json").read_text()) == []
    assert "No reviews yet." in (out / "index.html").read_text()
    assert ET.fromstring((out / "feed.xml").read_bytes()).find("{http://www.w3.org/2005/Atom}entry") is None


def test_serve_takes_an_optional_port():
    from readlog.cli.site import with_default_port

    assert with_default_port(["out", "--serve"]) == ["out", "--serve", "8000"]
    assert with_default_port(["--serve", "out"]) == ["--serve", "8000", "out"]
    assert with_default_port(["out", "--serve", "8123"]) == ["out", "--serve", "8123"]
    assert with_default_port(["--", "--serve"]) == ["--", "--serve"]  # a folder called --serve


def test_serve_previews_on_localhost_and_rebuilds_on_change(example, tmp_path):
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = tmp_path / "site"
    env = {**os.environ, "READLOG_HOME": str(example)}
    command = [sys.executable, "-m", "readlog", "site", str(out), "--serve", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/books/piranesi.html"
    lines: list[str] = []  # stderr as it comes: the page can change a moment before "Rebuilt" is said
    import threading

    reader = threading.Thread(target=lambda: lines.extend(iter(server.stderr.readline, "")), daemon=True)
    reader.start()

    def fetch(wanted: str) -> str:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    page = response.read().decode("utf-8")
                if wanted in page:
                    return page
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{wanted!r} never showed at {url}")

    try:
        fetch("A house of endless halls")
        path = example / "books" / "piranesi.toml"
        path.write_text(path.read_text().replace("A house of endless halls", "Halls without end"), "utf-8")
        fetch("Halls without end")
        deadline = time.monotonic() + 20
        while not any("Rebuilt" in line for line in lines) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        server.terminate()
        stdout, _ = server.communicate(timeout=20)
        reader.join(timeout=5)
    stderr = "".join(lines)  # the messages, all on stderr; nothing on stdout
    assert f"Serving http://127.0.0.1:{port}/index.html" in stderr and "Rebuilt" in stderr, (stdout, stderr)
    assert "Traceback" not in stderr and stdout == ""


def test_goodreads_private_notes_are_imported_private_and_never_published(run, journal_home, tmp_path):
    import csv

    source = (REPO / "examples" / "goodreads_library_export.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(source.splitlines()))
    rows[0]["Private Notes"] = "Lent to Sam; never returned. Mulberry-sextant."
    export = tmp_path / "goodreads_library_export.csv"
    with export.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    run("import", str(export))
    book = Journal(journal_home).load("dune").book
    assert [(r.text.strip(), r.private) for r in book.reflections] == [
        ("Lent to Sam; never returned. Mulberry-sextant.", True)
    ]
    out = tmp_path / "site"
    run("site", str(out))
    assert "Politics, ecology" in (out / "books" / "dune.html").read_text()  # the review is published
    assert "Mulberry" not in text_of(out)  # the private note is not
    assert "Mulberry" not in run("export", "dune", "--format", "markdown").stdout


def _contrast(first: str, second: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_text_colours_meet_wcag_aa_in_light_and_dark():
    css = (REPO / "src" / "readlog" / "exporters" / "site" / "templates" / "style.css").read_text()
    schemes = re.findall(r":root\s*{([^}]*)}", css)
    assert len(schemes) == 2 and "prefers-color-scheme: dark" in css
    for scheme in schemes:
        colours = dict(re.findall(r"--(\w+):\s*(#[0-9a-fA-F]{6})", scheme))
        for text in ("fg", "muted", "accent", "star"):
            for ground in ("bg", "soft"):
                assert _contrast(colours[text], colours[ground]) >= 4.5, (text, ground, scheme)


def test_titled_and_untitled_reflections_and_the_separators_of_a_book_page(run, journal_home, tmp_path):
    """book.html takes titled and untitled reflections, and each author's, tag's and read's separator, from
    its context (no `loop` in the template): numbered among the titled ones only, private ones left out,
    a separator between items and none after the last."""
    books = journal_home / "books"
    books.mkdir(parents=True, exist_ok=True)
    reflections = "".join(
        f'\n[[reflections]]\ndate = 2024-0{n + 1}-02\n{title}{private}text = "Thought {n}."\n'
        for n, (title, private) in enumerate([
            ('title = "Doors"\n', ""), ("", ""), ('title = "Secret"\n', "private = true\n"),
            ('title = "Tides & <stairs>"\n', ""), ("", "private = true\n"), ("", ""),
        ])
    )  # fmt: skip
    (books / "many-halls.toml").write_text(
        'schema = 1\ntitle = "Many Halls"\nauthors = ["Ann One", "Bo Two", "Cy Three"]\nstatus = "read"\n'
        'tags = ["maze", "sea"]\nadded = 2024-08-01\n\n[[reads]]\nstarted = 2020-01-01\nfinished = 2020-02-01\n\n'
        '[[reads]]\nfinished = 2021-03-04\n\n[review]\nbody = "Halls."\n' + reflections,
        encoding="utf-8",
    )
    (books / "one-hall.toml").write_text(
        'schema = 1\ntitle = "One Hall"\nauthors = ["Ann One"]\nstatus = "read"\ntags = ["maze"]\n'
        'added = 2024-08-01\n\n[[reads]]\nfinished = 2022-05-06\n\n[review]\nbody = "Hall."\n',
        encoding="utf-8",
    )
    out = tmp_path / "site"
    run("site", str(out))
    page = (out / "books" / "many-halls.html").read_text()
    assert (
        '<h2 id="reflection-1" dir="auto">Doors</h2>' in page
        and '<h2 id="reflection-2" dir="auto">Tides &amp; &lt;stairs&gt;</h2>' in page
        and "reflection-3" not in page
        and "Secret" not in page
        and "Thought 2." not in page
        and "Thought 4." not in page
    )
    untitled = page[page.index('<h2 id="reflections">') :]
    assert "Thought 1." in untitled and "Thought 5." in untitled and "Thought 0." not in untitled
    assert untitled.index("Thought 1.") < untitled.index("Thought 5.")
    authors = '<a href="../authors/ann-one.html" dir="auto">Ann One</a>, <a href="../authors/bo-two.html" dir="auto">Bo Two</a>, ' \
        '<a href="../authors/cy-three.html" dir="auto">Cy Three</a>'  # fmt: skip
    assert f" by {authors}</p>" in page and f"<dd>{authors}</dd>" in page
    assert (
        '<a href="../tags/maze.html" dir="auto">maze</a>, <a href="../tags/sea.html" dir="auto">sea</a></dd>'
        in page
    )
    assert "<dd>1 January 2020 to 1 February 2020; finished 4 March 2021</dd>" in page
    one = (out / "books" / "one-hall.html").read_text()
    assert '<a href="../authors/ann-one.html" dir="auto">Ann One</a></p>' in one
    assert (
        '<a href="../tags/maze.html" dir="auto">maze</a></dd>' in one
        and "<dd>finished 6 May 2022</dd>" in one
    )
    assert 'id="reflections"' not in one and "reflection-1" not in one


NOTED = """
[[reflections]]
date = 2024-09-03
text = '''
The house remembers.
<!-- note to self: reread the statue chapter -->
'''

[[quotes]]
text = "The beauty of the House is immeasurable."
page = 3
note = "Said twice. <!-- check the edition's page -->"
"""


def test_notes_to_self_in_comments_are_published_nowhere_but_code_keeps_its_text(run, example, tmp_path):
    # An HTML comment is a note to self, as in any Markdown: `show` hides it, and so must every publisher
    # (the site, its feed and library.json, a Markdown post). A comment inside code is the code's text.
    review = (
        "## The setup\n\nA man lives in a house of tides. <!-- private aside: do not lose -->\n\n"
        "<!-- a whole paragraph\nof notes to self -->\n\n"
        "The markup it uses:\n\n```\n<!-- in a fence -->\n```\n\nAnd `<!-- in a span -->` too.\n"
    )
    run("review", "piranesi", review, "--replace")
    path = example / "books" / "piranesi.toml"
    path.write_text(path.read_text(encoding="utf-8") + NOTED, encoding="utf-8")
    out = tmp_path / "site"
    run("site", str(out))
    everything = text_of(out)
    for secret in ("private aside", "notes to self", "note to self", "check the edition", "&lt;!--"):
        assert everything.count(secret) == (2 if secret == "&lt;!--" else 0), secret  # (the two in code)
    page = (out / "books" / "piranesi.html").read_text()
    assert "A man lives in a house of tides.</p>" in page and "The house remembers." in page
    assert "&lt;!-- in a fence --&gt;" in page and "&lt;!-- in a span --&gt;" in page
    assert "Said twice.</" in page or "Said twice.\n" in page
    post = run("export", "piranesi", "--format", "markdown").stdout
    assert "private aside" not in post and "note to self" not in post and "check the edition" not in post
    assert "A man lives in a house of tides.\n" in post and "<!-- in a fence -->" in post
    shown = run("show", "piranesi").stdout
    assert "private aside" not in shown and "A man lives in a house of tides." in shown
    # the book file and the backups keep every word
    assert "private aside" in path.read_text(encoding="utf-8")
    assert "note to self" in run("export", "--format", "json").stdout


def test_without_comments_keeps_what_is_not_a_comment():
    cut = privacy.without_comments
    assert cut("One <!-- x --> two.") == "One two."
    assert cut("x <!-- c -->\nnext line") == "x\nnext line"  # (no trailing space left: no hard break)
    assert cut("A\n\n<!-- c -->\n\nB\n") == "A\n\nB\n"
    assert cut("    <!-- indented code -->\n\ntext") == "    <!-- indented code -->\n\ntext"
    # a `<!--` never closed hides the rest of the text, everywhere (t22e: it was published as text)
    assert cut("Text <!-- never closed\n\nnext") == "Text"
    assert cut("<!-- only -->") == "" and cut("plain") == "plain"
