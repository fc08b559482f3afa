from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readlog.text import clean_text, is_slug, normalize, slugify, split_review, surname, visible


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Never Let Me Go", "never-let-me-go"),
        ("Truyện Kiều", "truyen-kieu"),
        ("Đất Rừng Phương Nam", "dat-rung-phuong-nam"),
        ("L'Étranger", "l-etranger"),
        ("ノルウェイの森", "noruueinosen"),
        ("../../etc/passwd", "etc-passwd"),
        ("/absolute/path", "absolute-path"),
        ("CON", "con-book"),
        ("???", "book"),
        ("[bold red]Evil[/]", "bold-red-evil"),
        ("x" * 500, "x" * 80),
    ],
)
def test_slugify(title, slug):
    assert slugify(title) == slug


@given(st.text())
def test_any_title_gives_a_safe_slug(title):
    slug = slugify(title)
    assert is_slug(slug) and "/" not in slug and slug not in (".", "..") and len(slug) <= 80


def test_normalize_ignores_case_accents_and_punctuation():
    assert normalize("  [bold red]Évil[/]  ") == normalize("bold red evil") == "bold red evil"
    assert normalize("Never Let Me Go!") == "never let me go"


def test_surname():
    assert surname("Kazuo Ishiguro") == "Ishiguro"
    assert surname("Ishiguro, Kazuo") == "Ishiguro"
    assert surname("Martin Luther King, Jr.") == "King"


def test_visible_shows_control_characters_instead_of_obeying_them():
    shown = visible("a\x1b[31mred\x07\x9b\x00b\nc\td")
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown and "\x00" not in shown
    assert shown.startswith("a␛[31mred") and "\n" in shown and "\t" in shown


def test_split_review_takes_the_headline_and_drops_only_the_template_comment():
    headline, body = split_review(
        "<!-- readlog: help -->\n# Title here\n\n## Part\r\n\r\nText  \n<!-- mine -->\n\n"
    )
    assert headline == "Title here"
    assert body == "## Part\n\nText  \n<!-- mine -->\n"  # (two spaces and a next line: a hard break, kept)


def test_clean_text():
    assert clean_text("\n\none line  \n\n") == "one line"
    assert clean_text("a\r\nb") == "a\nb\n"
