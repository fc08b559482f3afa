"""Publishing and rendering say the same thing everywhere (session 24's try-out 24d): the Goodreads export
keeps a review's lines and says what it cannot hold; raw HTML is text everywhere; quotes in one order; a
pick's note is plain text; the feed carries the opening paragraph; small wording and width fixes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

REVIEW = """# A Headline

## A section

A first paragraph that wraps
onto a second line.

> Survival is insufficient.
> — painted on the lead caravan

| Thread | Time |
|---|---|
| Arthur | before |
| Kirsten | year 20 |

See <https://en.wikipedia.org/wiki/Station_Eleven> and `King Lear`.
"""


def _book_with_review(run, tmp_path: Path, review: str = REVIEW, title: str = "Station Eleven") -> None:
    source = tmp_path / "review.md"
    source.write_text(review, encoding="utf-8")
    run("add", title, "-a", "Emily St. John Mandel", "--status", "read", "--review-file", str(source))


# --- 1. the Goodreads export keeps the lines a review's structure needs, and says what it cannot hold ----


def test_goodreads_keeps_table_and_quote_lines_and_the_round_trip_gives_them_back(run, tmp_path):
    """Mutation: `_is_row` in exporters/goodreads.py answering False (soft wraps joined again): the cell's
    table is one line and the body read back has neither the table's nor the quote's lines. (Session 27: the
    lines come back as Goodreads shows them, text: an export's `|` and `>` are escaped, each line its own.)"""
    _book_with_review(run, tmp_path)
    out = tmp_path / "gr.csv"
    result = run("export", "--format", "goodreads", "--output", str(out))
    (row,) = csv.DictReader(out.open(encoding="utf-8"))
    cell = row["My Review"]
    assert "| Thread | Time |<br/>|---|---|<br/>| Arthur | before |" in cell
    assert "&gt; Survival is insufficient.<br/>&gt; — painted" in cell
    assert "A first paragraph that wraps onto a second line." in cell  # a soft wrap is still joined
    assert '<a href="https://en.wikipedia.org/wiki/Station_Eleven">' in cell  # an autolink is a link
    assert "headline and headings" in result.stderr and "code, footnotes and images" in result.stderr
    back = tmp_path / "back"
    run("--data-dir", str(back), "import", str(out))
    (book,) = json.loads(run("--data-dir", str(back), "export", "--format", "json").stdout)
    body = book["review"]["body"]
    assert "\\> Survival is insufficient.\\\n\\> — painted on the lead caravan\n\n" in body
    assert "\\| Thread \\| Time \\|\\\n\\|---\\|---\\|\\\n\\| Arthur \\| before \\|\\\n" in body
    assert "A first paragraph that wraps onto a second line.\n\n" in body


def test_goodreads_says_nothing_of_a_plain_review(run, tmp_path):
    """Near miss: a review of paragraphs alone (and an escaped backtick, as an import writes it) loses nothing."""
    _book_with_review(run, tmp_path, "Plain words, and a \\` typed.\n\nA second paragraph.\n", "Plain")
    result = run("export", "--format", "goodreads")
    assert "review" not in result.stderr


# --- 2. raw HTML is text everywhere: show, the site, the feed, the post; `<br>` a line break everywhere -----

HTML_REVIEW = (
    'An aside: <b>bold tag</b> and <script>alert("x")</script> and 5 < 6 & 7 > 3, `<i>code</i>`.\n\n'
    "<div>\nin a block <u>u</u>\n</div>\n\nOne line<br>and the next.\n"
)


def test_raw_html_is_shown_as_typed_by_show_the_site_and_the_post(run, tmp_path):
    """Mutation: render.py `_shown_inline`'s html_inline and html_block branches taken out: `show` drops the
    tags (`bold tag and alert`) and the block; markdown.py `without_raw_html` returning its text: the post
    holds a raw `<script>`; the site's `_break_tag` rule taken out: `<br>` is text on the page."""
    _book_with_review(run, tmp_path, HTML_REVIEW, "Html Book")
    shown = run("show", "html-book").stdout
    assert '<b>bold tag</b> and <script>alert("x")</script>' in shown
    assert "<div> in a block <u>u</u> </div>" in shown
    assert "<i>code</i>" in shown
    lines = [line.strip("│ ") for line in shown.splitlines()]
    assert "One line" in lines and "and the next." in lines
    post = run("export", "html-book", "--format", "markdown").stdout
    assert "<script>" not in post.replace("\\<script>", "") and "\\<script>" in post
    assert "`<i>code</i>`" in post and "One line<br>and the next." in post
    run("site", str(tmp_path / "site"))
    page = (tmp_path / "site" / "books" / "html-book.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;bold tag&lt;/b&gt; and &lt;script&gt;" in page and "<script>alert" not in page
    assert "One line<br />\nand the next." in page


def test_the_post_escapes_html_exactly_where_commonmark_finds_it():
    """The post's text, read with HTML on, gives the HTML the site gives the original with HTML off (but
    `<br>`): a table of near misses. Mutation: `_code_or_tag` without its code branch: the code span case
    fails; `_TAG_START` for HTML blocks not applied: the block cases fail."""
    from markdown_it import MarkdownIt

    from readlog.markdown import without_raw_html

    html_on = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    html_off = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    cases = [
        HTML_REVIEW.replace("<br>", " "),
        "<div>\nfoo\n\nbar</div>",
        "<script>\nif (a<b) x\n</script>",
        "> <b>q</b>\n> <div>\n",
        "- <i>a</i>\n  <div>x</div>",
        'x <a href="y">z</a> ``<b>`` and `` ` `` <i>',
        "<div",
        "\\<b>x",
        "<?php x ?>",
        "<![CDATA[x]]>",
        "    <b>code</b>\n\n<b>",
        "```\n<b>\n```\n<i>",
        "| a <b>c</b> | b |\n|--|--|\n| <i>x</i> | y |",
        "see <https://example.org/a_b> and <a@b.org>",
        "a < b > c",
    ]
    for text in cases:
        assert html_on.render(without_raw_html(text)) == html_off.render(text), text


# --- 6. a pick's note is plain text everywhere: the post escapes its Markdown -----------------------------


def test_a_picks_note_reads_as_typed_in_the_post(run, tmp_path):
    """Mutation: book_markdown writing `pick.why` as it is (no `plain_markdown`): `**bleak**` is bold in the
    post, and this fails."""
    from markdown_it import MarkdownIt

    run("add", "Station Eleven", "-a", "Emily St. John Mandel", "--status", "read")
    run("review", "station-eleven", "Gentle.")
    why = "the **bleak** twin <b>x</b>\n# not a heading\n1984. not a list"
    run("next", "add", "The Road", "--author", "Cormac McCarthy", "--from", "station-eleven", "--why", why)
    run("quote", "station-eleven", "Survival is insufficient.", "--note", "a *motto*")
    post = run("export", "station-eleven", "--format", "markdown").stdout
    rendered = MarkdownIt("commonmark").render(post)
    assert "the **bleak** twin &lt;b&gt;x&lt;/b&gt;\n# not a heading\n1984. not a list" in rendered
    assert "a *motto*" in rendered
    assert "**bleak**" in run("show", "station-eleven").stdout  # and in `show`, as it was


# --- 4. quotes in one order everywhere ------------------------------------------------------------------


def test_quotes_are_in_book_order_in_show_the_post_and_the_site(run, tmp_path):
    """Added as the try-out added them; a reader expects front matter, then p. 3-4, then p. 144.
    Mutation: the site's context listing `book.quotes` (file order) again: the site's order fails;
    `_place` without its roman branch: `xii` goes last everywhere."""
    _book_with_review(run, tmp_path, "Gentle.\n")
    run("quote", "station-eleven", "Hell is the absence", "--location", "p. 3-4")
    run("quote", "station-eleven", "I stood looking at the sky", "--page", "144")
    run("quote", "station-eleven", "Survival is insufficient", "--location", "xii")
    run("quote", "station-eleven", "A chapter line", "--location", "ch. 3")
    expected = [
        "Survival is insufficient",
        "Hell is the absence",
        "I stood looking at the sky",
        "A chapter line",
    ]

    def order(text: str) -> list[str]:
        return sorted(expected, key=text.index)

    assert order(run("show", "station-eleven").stdout) == expected
    assert order(run("export", "station-eleven", "--format", "markdown").stdout) == expected
    run("site", str(tmp_path / "site"))
    assert (
        order((tmp_path / "site" / "books" / "station-eleven.html").read_text(encoding="utf-8")) == expected
    )


def test_book_order_near_misses():
    from readlog.model import Quote, quotes_in_book_order

    quotes = [
        Quote("ch", location="ch. 3"),  # a chapter is no page: after the placed ones
        Quote("p144", page=144),
        Quote("mix", location="mix"),  # a word, not front matter
        Quote("loc50", location="loc 50"),
        Quote("range", location="p. 3-4"),
        Quote("none"),
        Quote("ix", location="p. ix"),
        Quote("xii", location="xii"),
        Quote("bare", location="12"),
    ]
    assert [q.text for q in quotes_in_book_order(quotes)] == [
        "ix", "xii", "range", "bare", "loc50", "p144", "ch", "mix", "none",
    ]  # fmt: skip


# --- 8. the feed carries the headline, the date and the opening paragraph, with a link to the page -------


def test_the_feed_carries_the_opening_paragraph_and_a_link(run, tmp_path):
    """README: the feed carries the review's headline, date and opening paragraph. Mutation: feed.xml's
    content back to the whole body (`markdown_text`): the later paragraph and the dead `#fnref` link are in
    the entry, and this fails."""
    import xml.etree.ElementTree as ET

    review = (
        "# The Headline\n\n## A section\n\n> a quote first\n\nThe *opening* paragraph[^1]\ngoes on.\n\n"
        "LATER-PARAGRAPH words.\n\n[^1]: A note.\n"
    )
    _book_with_review(run, tmp_path, review)
    run("site", str(tmp_path / "site"), "--base-url", "https://example.org/books/")
    feed = ET.fromstring((tmp_path / "site" / "feed.xml").read_bytes())
    (entry,) = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert entry.findtext("{http://www.w3.org/2005/Atom}title") == "The Headline"
    content = entry.findtext("{http://www.w3.org/2005/Atom}content")
    assert content == (
        "<p>The <em>opening</em> paragraph\ngoes on.</p>\n"
        '<p><a href="https://example.org/books/books/station-eleven.html">Read the whole review</a></p>\n'
    )


# --- 9. small things: "1 reading", search --limit 0, search's hanging indent -------------------------------


def test_stats_says_one_reading_finished(run):
    """Mutation: the footer's plural always (`readings`): this fails."""
    run("add", "Dune", "-a", "Frank Herbert", "--status", "read", "--finished", "2025-01-02")
    out = run("stats").stdout
    assert "1 reading finished" in out and "1 readings" not in out


def test_search_limit_zero_means_all_as_for_list(run):
    """Mutation: `min=1` back on search's --limit: exit 2; `if limit else LIMIT_MAX` taken out: no hits."""
    for title in ("Sea One", "Sea Two", "Sea Three"):
        run("add", title, "-a", "A B")
    assert len(run("search", "sea", "--limit", "0", "--format", "tsv").stdout.splitlines()) == 3
    assert len(run("search", "sea", "--limit", "1", "--format", "tsv").stdout.splitlines()) == 1
    run("search", "sea", "--limit", "-1", code=2)


def test_search_hits_hang_under_their_number_on_a_narrow_terminal():
    """Mutation: the number put back at the head of the title's line (no `_Hanging`): the wrapped
    `Mandel  [quote: p. 144]` starts at column 0, and this fails."""
    import io

    from rich.console import Console

    from readlog.index.search import Hit
    from readlog.render import render_hits

    hit = Hit("station-eleven", "Station Eleven", ["Emily St. John Mandel"], "quote", "p. 144",
              "I stood looking at the \ue000sky\ue001 and it went on and on for a long while", 1.0)  # fmt: skip
    console = Console(width=40, file=io.StringIO(), color_system=None)
    console.print(render_hits([hit] * 10, marked=True))
    lines = [line for line in console.file.getvalue().splitlines() if line.strip()]
    assert lines[0].startswith("1. Station Eleven") and lines[1].startswith("   Mandel  [quote: p. 144]")
    assert all(line.startswith(("   ", "    ")) for line in lines if not line[0].isdigit())
    assert lines[-4].startswith("10. Station") and lines[-3].startswith("    Mandel")


def test_the_feeds_opening_keeps_code_and_links_and_never_takes_a_footnote():
    """Review 24b: the opening paragraph lost `[^x]` inside a code span, a review of a list alone gave its
    footnote's text as the opening, and a reference-style link lost its definition."""
    from readlog.exporters.site.markdown import Markdown

    md = Markdown()
    assert "<code>code [^2]</code> here." in md.opening("`code [^2]` here[^1].\n\n[^1]: n\n[^2]: m", "u")
    listed = md.opening("- only a list[^1]\n\n[^1]: A note about it.", "u")
    assert "A note about it" not in listed and 'href="u"' in listed
    linked = md.opening("Read [the sequel][s] next.\n\n## More\n\n[s]: https://example.org/sequel", "u")
    assert '<a href="https://example.org/sequel">the sequel</a>' in linked
