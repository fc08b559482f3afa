"""Review text from an export is HTML or plain text, never Markdown (README, "Names and text"): what Markdown
would read as markup in it is escaped, so `show`, the site and a Markdown post show it as it was written on the
service (try-out 27a, finding 4: `Wow<br/>===` a heading, `- not a list` a bullet, `&gt; quoted` a quote,
`[link](x)` a link, `~~strike~~` struck, `<h1>Head</h1>text` run into `Headtext`)."""

from __future__ import annotations

import html
import re
import tomllib
import unicodedata
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import REPO
from readlog.importers.common import html_to_markdown
from readlog.markdown import without_raw_html
from test_import_export import GR_HEADER, gr_row, write_csv


def _parsers() -> list[Any]:
    """markdown-it as `show` reads a review (render._parser) and as the site does, footnotes on in both."""
    from markdown_it import MarkdownIt

    from readlog.footnotes import use_footnotes
    from readlog.render import _parser

    site = use_footnotes(MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"]))
    return [_parser(True), site]


PARSERS = _parsers()
_TEXT_TOKENS = {"text", "text_special"}


def shown(markdown: str, parser: Any) -> str:
    """The words `markdown` shows: its paragraphs apart by a blank line, a hard break a newline, a soft one a
    space (as `show` and a browser show it). Anything else Markdown made of it (a heading, a list, a quote,
    code, a table, a rule, emphasis, a link, an entity read as a character, raw HTML) fails the test."""
    paragraphs = []
    for token in parser.parse(markdown):
        if token.type in ("paragraph_open", "paragraph_close"):
            continue
        assert token.type == "inline", (token.type, markdown)
        words = []
        for child in token.children or ():
            if child.type in _TEXT_TOKENS:
                words.append(child.content)
            elif child.type in ("hardbreak", "softbreak"):
                words.append("\n" if child.type == "hardbreak" else " ")
            else:
                raise AssertionError((child.type, markdown))
        paragraphs.append("".join(words))
    return "\n\n".join(paragraphs)


def as_written(text: str) -> str:
    """What a browser shows of `text` put in HTML as it is (`<br/>` for each newline): each line without the
    blank space at its sides, and a run of blank lines one paragraph break."""
    lines = [line.strip(" \t") for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def _as_html(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br/>")


def _check(text: str) -> None:
    """Text typed on the service (in its HTML, `<br/>` a line break) shows as typed, in every reader."""
    for source in (_as_html(text), f"<div>{_as_html(text)}</div>"):
        markdown = html_to_markdown(source)
        for parser in PARSERS:
            assert shown(markdown, parser) == as_written(text), (text, markdown)
        assert without_raw_html(markdown) == markdown  # (the post: nothing in it is raw HTML)


# Every character Markdown reads as markup somewhere, words and numbers, and the blank space lines start with.
MARKS = list("\\*_`[]()<>!|~&#=+-.:;/^\"'") + ["1.", "2)", "&amp;", "&#42;", "&x", "<b>", "</div>", "<br>",
                                              "http://x.org", "www.x.org", "[^1]", "[^1]: ", "    ", "\t"]  # fmt: skip
PIECES = [*MARKS, "word", "two words", "a_b", "1", "42", " ", "  ", "\n", "\n\n", "é", "日本"]


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=24))
def test_any_text_shows_as_written(pieces: list[str]) -> None:
    _check("".join(pieces))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from("\\*_`[]()<>!|~&#=+-.:;^ \t\n1a"), max_size=30))
def test_any_text_of_marks_shows_as_written(text: str) -> None:
    _check(text)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(st.sampled_from(PIECES), st.text(st.characters(blacklist_categories=("Cc", "Cs")))),
        max_size=16,
    )
)
@example(["\ue000"])  # (the character a `<br/>` was marked with: dropped, found here now and then)
@example(["a\ue000b", "\n", "\ue000\U000f0021"])
def test_any_unicode_text_shows_as_written(pieces: list[str]) -> None:
    """Any letters (NFC, as readlog takes text in), blank space of every kind at a line's ends aside."""
    text = "".join(pieces)
    markdown = html_to_markdown(_as_html(text))
    expected = "\n".join(line.strip() for line in unicodedata.normalize("NFC", as_written(text)).split("\n"))
    for parser in PARSERS:
        got = "\n".join(line.strip() for line in shown(markdown, parser).split("\n"))
        assert re.sub(r"\n{3,}", "\n\n", got).strip("\n") == re.sub(r"\n{3,}", "\n\n", expected).strip("\n")


def test_a_readers_private_use_character_stays_as_written() -> None:
    """A review's U+E000 (the character a `<br/>` is marked with while the review is read) was dropped, and
    written as a character reference (`&#57344;`) it made a line break: each is the reader's character."""
    for escape in (True, False):
        assert html_to_markdown("a\ue000b", escape) == "a\ue000b"
        assert html_to_markdown("<i>a</i>&#57344;b &#xE000;", escape) == "*a*\ue000b \ue000"
        assert html_to_markdown("one<br/>two \ue000<br/><br/>three", escape) == "one\\\ntwo \ue000\n\nthree\n"
        assert (
            html_to_markdown("\ue000<br/>\U000f0021&amp;&#xF0021;", escape)
            == "\ue000\\\n\U000f0021&\U000f0021\n"
        )


CASES = [  # what try-out 27a saw, and Markdown's constructs one by one
    "Wow\n===", "Intro line\n---\nafter", "Great book.\n\nSecond para\n- not a list", "+ plus", "* star",
    "1. first\n2. second", "2024. A year", "3) third", "> quoted\nnext line", "    code indented",
    "| a | b |\n|---|---|\n| 1 | 2 |", "a | b\n--- | ---", "[link](http://x)", "![image](http://x/a.png)",
    "~~strike~~", "~~~\nfenced\n~~~", "```\nfenced\n```", "`code`", "# not heading", "## not heading",
    "***", "___", "- - -", "<script>", "<http://x.org>", "<me@x.org>", "&amp; &copy; &#42;", "Tom & Jerry",
    "[^1] and\n[^1]: a note", "[ref]\n\n[ref]: http://x", "trailing\\", "a\\\nb", "*smart* _under_ snake_case",
]  # fmt: skip


@pytest.mark.parametrize("text", CASES)
def test_each_construct_shows_as_written(text: str) -> None:
    _check(text)


def test_the_escapes_stay_readable_in_the_file() -> None:
    """Only what Markdown would read is escaped: the stored text stays the words a reader wrote."""
    assert html_to_markdown("Wow<br/>===") == "Wow\\\n\\===\n"
    assert html_to_markdown("1. first<br/>- second") == "1\\. first\\\n\\- second\n"
    assert html_to_markdown("Q &amp; A: ~300 pages, 3.5 stars, a - b, 1984 #1") == (
        "Q & A: ~300 pages, 3.5 stars, a - b, 1984 #1"
    )
    assert (
        html_to_markdown("[link](http://x) ~~no~~ &lt;b&gt;") == "\\[link\\](http://x) \\~\\~no\\~\\~ \\<b>"
    )


def test_block_html_ends_a_line() -> None:
    """`<h1>Head</h1>text` was stored `Headtext`: a block's text is its own paragraph, never run into the next
    word; a table's cells keep a space between them."""
    assert html_to_markdown("<h1>Head</h1>text") == "Head\n\ntext\n"
    assert html_to_markdown("<ul><li>one</li><li>two</li></ul>after") == "one\n\ntwo\n\nafter\n"
    assert html_to_markdown("<blockquote>said</blockquote>then<hr>more") == "said\n\nthen\n\nmore\n"
    assert html_to_markdown("<table><tr><td>a</td><td>b</td></tr></table>") == "a b"
    assert html_to_markdown("a<span>b</span>c") == "abc"  # (an inline tag joins, as a browser does)


def _review_lines(out: str, title: str = "Review") -> list[str]:
    """The lines of `show`'s Review panel (or another), without its frame and blank edges."""
    panel = out[out.index(f"─ {title}") :].splitlines()[1:]
    lines = [line.strip("│").strip() for line in panel[: next(i for i, x in enumerate(panel) if "╰" in x)]]
    return "\n".join(lines).strip("\n").split("\n")


def test_show_and_site_show_an_imported_review_as_written(run, tmp_path) -> None:
    """The try-out's rows, through `import`, `show` and `site`."""
    rows = [
        gr_row(**{"Book Id": "1", "Title": "Md One", "My Review": "Wow<br/>==="}),
        gr_row(**{"Book Id": "2", "Title": "Md Three", "My Review": "1. first<br/>&gt; quoted<br/>- item"}),
        gr_row(
            **{"Book Id": "3", "Title": "Md Four", "My Review": "<h1>Head</h1>text [link](http://x) ~~s~~"}
        ),
    ]
    run("import", str(write_csv(tmp_path / "md.csv", GR_HEADER, rows)))
    assert _review_lines(run("show", "md-one").stdout) == ["Wow", "==="]  # (no heading, its rule none)
    assert _review_lines(run("show", "md-three").stdout) == ["1. first", "> quoted", "- item"]
    assert _review_lines(run("show", "md-four").stdout) == ["Head", "", "text [link](http://x) ~~s~~"]
    run("site", str(tmp_path / "site"))
    page = (tmp_path / "site" / "books" / "md-one.html").read_text()
    assert "<h2>Wow" not in page and "Wow<br />\n===" in page
    page = (tmp_path / "site" / "books" / "md-four.html").read_text()
    assert "<del>" not in page and 'href="http://x"' not in page and "Headtext" not in page


def test_openreads_text_shows_as_typed(run, tmp_path, books) -> None:
    """Openreads' review and notes are typed in an app without Markdown: the notes were stored as they came
    (`- one` a bullet, `**` bold), and a newline in either ran its lines together in `show` (one paragraph)."""
    header = (REPO / "tests" / "fixtures" / "imports" / "openreads.csv").read_text().splitlines()[0]
    row = dict.fromkeys(header.split(","), "")
    row.update(title="Typed", author="Ann Lee", status="finished", readings="", deleted="false")
    row.update(my_review="First line\nsecond line<br/>third", notes="- one\n**two** <b>")
    run("import", str(write_csv(tmp_path / "or.csv", header, [row])))
    assert _review_lines(run("show", "typed").stdout) == ["First line", "second line", "third"]
    book = tomllib.loads((books / "typed.toml").read_text())
    assert book["reflections"][0]["text"] == "\\- one\\\n\\*\\*two\\*\\* \\<b>\n"
    assert _review_lines(run("show", "typed").stdout, "Reflection")[-2:] == ["- one", "**two** <b>"]
