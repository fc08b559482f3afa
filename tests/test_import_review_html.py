"""A review that is text and `<br/>` alone is turned into Markdown without the HTML parser (issue 25: a third
of a Goodreads row's parsing): the same Markdown the parser makes, for every such text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from readlog.importers.common import html_to_markdown

# Pieces a review is made of, the ones escaping and breaks care about among them.
PIECES = ["word", "é", "x_y", "_", "*", "`", "\\", " ", "  ", "\n", "\r\n", "\r", "\t", "<br/>", "<BR>",
          "<br />", "<br>", "<br\n/>", "\ue000", "-", "1.", "#", ">", "\u00a0", "日本", "a_", "_b"]  # fmt: skip


def _parsed(text: str, escape: bool = True) -> str:
    """The same text through the HTML parser: a tag that makes nothing, at the end, sends it there."""
    return html_to_markdown(text + "<span></span>", escape)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30), st.booleans())
def test_text_and_breaks_give_what_the_parser_gives(pieces, escape):
    text = "".join(pieces)
    assert html_to_markdown(text, escape) == _parsed(text, escape)


def test_the_examples_a_reader_sees():
    paragraphs = html_to_markdown("One<br/><br/>Two *three* snake_case _under_")
    assert paragraphs.strip() == "One\n\nTwo \\*three\\* snake_case \\_under\\_"
    assert html_to_markdown("a line<br/>another").strip() == "a line\\\nanother"
    assert html_to_markdown("*as is*<br>", escape=False).strip() == "*as is*"
    # what is not plain goes to the parser still: an entity, a tag with attributes, a link
    assert html_to_markdown("Tom &amp; Jerry<br class='x'/>next").strip() == "Tom & Jerry\\\nnext"
    assert (
        html_to_markdown('see <a href="https://example.org/">this</a>').strip()
        == "see [this](https://example.org/)"
    )
