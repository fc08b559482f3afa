"""Session 25, the lead's fixes: each test fails on the code before it."""

from __future__ import annotations


def test_a_quote_reads_as_typed_in_the_post_as_in_show_and_on_the_site(run):
    """A quote is plain text (README), as `show` and the site print it: in the Markdown post `*so*` was
    emphasis, a line opening with `#` a heading inside the block quote, `[x](y)` a link.
    Mutation: book_markdown writing the quote's text as Markdown (`without_raw_html`) again fails this."""
    from markdown_it import MarkdownIt

    run("add", "Station Eleven", "-a", "Emily St. John Mandel", "--status", "read")
    text = "the *so* it goes\n# not a heading\n1984. not a list [x](y) <b>z</b>"
    run("quote", "station-eleven", text, "--page", "12")
    shown = run("show", "station-eleven").stdout
    assert all(line in shown for line in text.split("\n"))  # (`show`: as typed)
    post = run("export", "station-eleven", "--format", "markdown").stdout
    rendered = MarkdownIt("commonmark").render(post)
    quote = rendered.split("<blockquote>")[1].split("</blockquote>")[0]
    assert "<h1>" not in quote and "<em>" not in quote and "<a " not in quote and "<ol" not in quote
    assert "the *so* it goes\n# not a heading\n1984. not a list [x](y) &lt;b&gt;z&lt;/b&gt;" in quote
    assert "— p. 12" in quote
