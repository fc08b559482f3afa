"""`show` renders a review of plain paragraphs and headings without markdown-it (render.PlainMarkdown):
what it prints must be exactly what Rich's Markdown prints, on a terminal and piped, in colour and not,
at any width; anything else in the text must go to Rich's Markdown."""

import io
import random

import pytest
from rich.console import Console
from rich.constrain import Constrain

from readlog.render import MEASURE, PlainMarkdown, _marked_markdown, plain_blocks

CONSOLES = [
    dict(width=100, color_system=None, force_terminal=False),
    dict(width=100, color_system="truecolor", force_terminal=True),
    dict(width=40, color_system="standard", force_terminal=True),
    dict(width=23, color_system=None, force_terminal=True),
    dict(width=160, color_system="256", force_terminal=False),
]


def rendered(renderable: object, settings: dict) -> str:
    out = io.StringIO()
    Console(file=out, legacy_windows=False, **settings).print(Constrain(renderable, MEASURE))
    return out.getvalue()


def same_as_rich(text: str) -> None:
    blocks = plain_blocks(text)
    assert blocks is not None, text
    for settings in CONSOLES:
        assert rendered(PlainMarkdown(blocks), settings) == rendered(_marked_markdown()(text), settings), (
            text,
            settings,
        )


PLAIN = [
    "One line.",
    "A paragraph\nthat goes on\nover three lines.",
    "## A school with a secret\n\nHailsham looks like any school.\nIt is not.\n\n## Why nobody runs\n\nNo one does.",
    "First.\n\n\n\nSecond, after blank lines.\n",
    "### Smaller\nA paragraph straight after a heading.\n#### Smaller still\n##### Five\n###### Six",
    "Words with  two spaces inside, a tab-free line, (brackets), 'quotes', \"double\", 50% and $3.",
    "Ünïcödé: 東京の夜、ひとりで読む。 Ελληνικά. emoji 📚 and a long word " + "x" * 130,
    "## Heading with punctuation: yes, really?\nA line ending in a colon:\nnext.",
    "a#b c#d, e-f g+h i=j k>l m:n and 42 in the middle of 7 lines",
    "\n\nLeading blank lines, then text.",
    "It left me with questions:\n\n- What makes a life count as fully human: a soul, art, love, or simply\n  being loved by someone?\n- When an ending is certain, is hoping braver than accepting?\n- Would I have asked for more?\n",
    "- a list first\n- two\n\nthen words\n\n- a second list, after a paragraph\n\n## and a heading",
    "## Heading\n- a list right under it\n  " + "long " * 40 + "end\n  and on",
]

NOT_PLAIN = [
    "*emphasis*",
    "some _underscored_ words",
    "`code`",
    "[a link](https://example.org)",
    "![image](x.png)",
    "<b>html</b>",
    "fish &amp; chips",
    "back\\slash",
    "~~struck~~",
    "a | table\n--- | ---\n1 | 2",
    "+ a list",
    "* a list",
    "-  two spaces after the dash",
    "- ",
    "- - nested",
    "- # heading in an item",
    "- 1. numbered in an item",
    "- item\n\n- after a blank line: one loose list",
    "- item\nlazy continuation",
    "- item\n   three spaces in",
    "- item\n  - nested under it",
    "words\n- a list straight after a paragraph line",
    "- item\n## heading straight after",
    "1. an ordered list",
    "2) another",
    "> a quote",
    "    indented code",
    " one leading space",
    "trailing two spaces  \nhard break",
    "trailing one space \nx",
    "Setext\n===",
    "Setext\n---",
    "---",
    "# Title heading (h1)",
    "####### seven",
    "##no space",
    "## closed ##",
    "##",
    "## ",
    "tab\there",
    "carriage\rreturn",
    "nbsp\u00a0inside",
    "ideographic\u3000space",
    "line\u2028separator",
    ":---",
    "=== alone",
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_renders_exactly_as_rich_markdown(text: str) -> None:
    same_as_rich(text)


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_anything_that_may_be_markup_goes_to_rich_markdown(text: str) -> None:
    assert plain_blocks(text) is None


def test_empty_or_blank_text_goes_to_rich_markdown() -> None:
    assert plain_blocks("") is None
    assert plain_blocks("\n\n") is None


def test_any_text_taken_as_plain_renders_as_rich_markdown_does() -> None:
    """Random texts from words, markup characters, spaces and newlines: whenever plain_blocks takes one,
    the output is Rich's, byte for byte (and some are taken, some not)."""
    # mostly words, spaces, newlines, heading marks and characters that only matter at a line's start; now
    # and then a character that is markup anywhere
    common = ["word", "Tale", "é", "東京", " ", " ", "  ", "\n", "\n", "\n\n", "## ", "### ", "###### ", "# ",
              "\n- ", "\n  ", "- ", "\n\n- ",
              "#", "-", "1", "1.", ">", ":", "=", "+", ".", ",", "'", '"', "(", ")", "x" * 70]  # fmt: skip
    rare = ["*", "_", "`", "[", "]", "!", "<", "&", ";", "\\", "~", "|", "\t", "\u00a0", "\r"]
    chooser = random.Random(25)
    taken = left = lists = 0
    for _ in range(3000):
        size = chooser.randint(1, 30)
        text = "".join(chooser.choice(rare if chooser.random() < 0.03 else common) for _ in range(size))
        if plain_blocks(text) is None:
            left += 1
            continue
        taken += 1
        lists += any(tag == "ul" for tag, _ in plain_blocks(text) or [])
        same_as_rich(text)
    assert taken > 150 and left > 150 and lists > 20
