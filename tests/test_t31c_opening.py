"""The feed's opening of a plain review is read without markdown-it (t31c): the very bytes markdown-it's
reading gives, and markdown-it is not even made for it; anything not plain still goes through it."""

from __future__ import annotations

from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from readlog.exporters.site import markdown
from readlog.exporters.site.markdown import Markdown
from test_site_markdown import PIECES

MD = Markdown()
# Pieces of plain text (and a few that are not: a heading without its space, a closing `#`, a list)
PLAIN = ["Word", "quiet", "river", "Él", "東京", " ", "\n", "\n\n", "\n\n\n", "# ", "## ", "### ", '"', "'",
         "!", ".", ",", "#", "- ", "1. "]  # fmt: skip


def _through_markdown_it(text: str | None) -> str:
    with mock.patch.object(markdown, "_plain_opening", lambda text: None):
        return MD.opening(text, "/books/a/")


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(PLAIN), max_size=30) | st.lists(st.sampled_from(PIECES), max_size=24))
def test_the_opening_is_what_markdown_it_reads_for_any_text(pieces):
    text = "".join(pieces)
    assert MD.opening(text, "/books/a/") == _through_markdown_it(text), text


def test_a_plain_reviews_opening_needs_no_markdown_it():
    review = '## First\n\nIt begins "here".\nStill the first.\n\nThe second.\n\n# Later\n\nMore.\n'
    md = Markdown()
    opening = md.opening(review, "/books/a/")
    assert opening == (
        "<p>It begins &quot;here&quot;.\nStill the first.</p>\n"
        '<p><a href="/books/a/">Read the whole review</a></p>\n'
    )
    assert md._md is None  # (markdown-it was never made: the plain path read it)
    assert opening == _through_markdown_it(review)
    assert md.opening("## Only a heading\n", "/books/a/") == _through_markdown_it("## Only a heading\n")
    for text in (None, "", "Some *emphasis* first.\n\nThen more."):
        assert md.opening(text, "/books/a/") == _through_markdown_it(text)
