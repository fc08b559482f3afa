"""The site's Markdown: plain text is turned into HTML without markdown-it, and must give the very bytes
markdown-it gives; anything the plain path is not sure of goes through markdown-it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readlog.exporters.site.markdown import Markdown, plain_html

MD = Markdown()

# Words, and every character near a rule of the plain path: block starts, inline markup, odd white space.
PIECES = ["Word", "quiet", "river", "Él", "東京", " ", "  ", "\n", "\n\n", "# ", "## ", "###### ", "####### ",
          "#", "-", "- ", "+ ", "=", "===", "---", "1. ", "2) ", "9", '"', "'", "!", "*", "_", "`", "~~",
          "[", "]", "(", ")", "<", ">", "&", "&amp;", "\\", "|", "\t", "\r\n", "\u00a0", "\u2028", "\x00",
          "\x0c", ".", ",", ":", "%", "@", "    ", "\x85", "\ufeff"]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=24), st.sampled_from([1, 2, 3]))
def test_the_plain_path_gives_what_markdown_it_gives_or_steps_aside(pieces, top):
    text = "".join(pieces)
    plain = plain_html(text, top)
    if plain is not None:
        assert plain == MD.full_html(text, top), text


@pytest.mark.parametrize(
    "text",
    [
        '## A heading\n\nA paragraph of words.\nIts second line, with "quotes" and it\'s.\n\n# Top\n',
        "Just one line",
        "\n\nA\n\n\n\nB\n",
        "### Deep\nRight under it\n## Less deep\n",
        "At 50% of 3 @ home: a/b; (c)? {d} ^e $f! =x -y +z 1.",
    ],
)
def test_plain_text_takes_the_plain_path_and_matches(text):
    plain = plain_html(text, 2)
    assert plain is not None  # the fast path is taken: this test would be hollow otherwise
    assert plain == MD.full_html(text, 2)
    assert plain_html(text, 3) == MD.full_html(text, 3)


@pytest.mark.parametrize(
    "text",
    [
        "Some *emphasis*", "A `code` span", "A [link](x)", "<b>html</b>", "Tom & Jerry", "a\\b",
        "Title\n=====", "Title\n---", "- item", "1. first", "1984 began", "    code", " lead", "trail ",
        "a | b\n--|--", "~~gone~~", "####### seven", "## closed ##", "tab\there", "nb\u00a0sp", "line\r\nnext",
        "#nospace", "# ", "hard  \nbreak",
    ],
)  # fmt: skip
def test_anything_with_markup_or_doubt_goes_through_markdown_it(text):
    assert plain_html(text, 2) is None
    assert MD.html(text, 2) == MD.full_html(text, 2)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.none(), st.booleans()))
def test_the_site_escapes_values_exactly_as_markupsafe_does(value):
    from markupsafe import Markup, escape

    from readlog.exporters.site.engine import escape_text

    assert escape_text(value) == str(escape(value))
    assert escape_text(Markup("<b>kept</b>")) == "<b>kept</b>"  # already HTML: left as it is
    assert escape_text("<a href='x'>&\"") == "&lt;a href=&#39;x&#39;&gt;&amp;&#34;"


# Characters XML cannot carry, and those whose UTF-8 is near theirs (EF BF BE and EF BF BF: U+FFFE, U+FFFF)
NEAR_NOT_XML = ["\x00", "\x08", "\x09", "\x0a", "\x0b", "\x0c", "\x0d", "\x0e", "\x1f", " ", "\x7f", "\x85",
                "\ufffe", "\uffff", "\ufffd", "\uffbe", "\uf000", "\uefbf", "\u0fbf", "★", "·", "é", "a",
                "\U0001f600", "\U0010fffe"]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(NEAR_NOT_XML), max_size=12).map("".join) | st.text())
def test_a_page_is_xml_safe_exactly_when_it_holds_no_character_xml_cannot_carry(text):
    """engine.xml_safe, which looks for them in the page's bytes (cheaper than a regular expression over its
    text), says what NOT_XML says of the text."""
    from readlog.exporters.site.engine import NOT_XML, xml_safe

    data = text.encode("utf-8", "surrogatepass")
    assert xml_safe(data) == (NOT_XML.search(text) is None)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("a\x01b\ufffec\x0bd\te\r\nf\uffff", "abcd\te\r\nf"),
        ("plain ★ text\n", "plain ★ text\n"),
        ("\x1f", ""),
    ],
)
def test_characters_xml_cannot_carry_are_left_out_of_a_page(tmp_path, value, shown):
    from readlog.exporters.site.context import Page
    from readlog.exporters.site.engine import environment, render_bytes

    (tmp_path / "t.html").write_text("[{{ v }}]", encoding="utf-8")
    page = Page("t.html", "t.html", {"v": value})
    assert render_bytes(environment([tmp_path]), page) == f"[{shown}]".encode()
