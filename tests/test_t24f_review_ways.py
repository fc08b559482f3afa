"""Try-out 24d's findings 3, 5, 7 and two of 9: a review's headline by one rule whatever way it came in,
`review --edit` on the review itself, one written form for a text holding ''' and \"\"\", and two messages
that read whole (the stats note's command piped, `quote --page xii`)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from conftest import snapshot, write_editor
from readlog import bookfile, tomlwrite
from readlog.text import split_review


def review_of(books: Path, slug: str) -> dict:
    return tomllib.loads((books / f"{slug}.toml").read_text(encoding="utf-8"))["review"]


# --- 3: the headline, one rule -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "headline", "body"),
    [
        ("# Headline\n\nBody.", "Headline", "Body."),
        ("   # Three spaces\n\nBody.", "Three spaces", "Body."),  # Markdown's heading still
        ("\n\n   # After blank lines\n\nBody.", "After blank lines", "Body."),
        ("#\tA tab\n\nBody.", "A tab", "Body."),
        ("Setext\n======\n\nBody.", "Setext", "Body."),
        ("  Setext  \n  ===  \nBody.", "Setext", "Body."),
        # near misses: no top heading in Markdown, so no headline
        ("    # Four spaces: code\n\nBody.", None, "    # Four spaces: code\n\nBody.\n"),
        ("#hashtag reading\n\nBody.", None, "#hashtag reading\n\nBody.\n"),
        ("## A section\n\nBody.", None, "## A section\n\nBody.\n"),
        ("Level two\n---\nBody.", None, "Level two\n---\nBody.\n"),
        ("Two lines\nof text\n===\n", None, "Two lines\nof text\n===\n"),
        ("#\n\nBody.", None, "Body."),  # an empty headline line: none
    ],
)
def test_a_first_line_that_markdown_makes_a_top_heading_is_the_headline(text, headline, body):
    assert split_review(text) == (headline, body)


REVIEW = "# My headline\n\nBody text, with **bold**.\n"


def _ways_in(run, books: Path, tmp_path: Path, monkeypatch) -> dict[str, dict]:
    (tmp_path / "review.md").write_text(REVIEW, encoding="utf-8")
    editor = write_editor(tmp_path, f"import sys\nopen(sys.argv[1], 'w').write({REVIEW!r})\n", "writes.py")
    run("add", "One", "-a", "A B", "--review", REVIEW)
    run("add", "Two", "-a", "A B", "--review-file", str(tmp_path / "review.md"))
    run("add", "Three", "-a", "A B", "--review-file", "-", input=REVIEW)
    run("add", "Four", "-a", "A B", "--status", "reading")
    run("finish", "four", "--review", REVIEW)
    run("add", "Five", "-a", "A B")
    run("review", "five", REVIEW)
    run("add", "Six", "-a", "A B")
    run("review", "six", "-", input=REVIEW)
    run("add", "Seven", "-a", "A B", "--status", "reading")
    run("finish", "seven", "--edit", env={"EDITOR": editor})
    return {slug: review_of(books, slug) for slug in ("one", "two", "three", "four", "five", "six", "seven")}


def test_every_way_in_takes_the_first_line_as_the_headline(run, books, tmp_path, monkeypatch):
    reviews = _ways_in(run, books, tmp_path, monkeypatch)
    for slug, review in reviews.items():
        assert review.get("headline") == "My headline", slug
        assert review["body"].rstrip("\n") == "Body text, with **bold**.", slug


def test_a_headline_option_gives_one_the_text_lacks_and_another_is_refused(run, books):
    run("add", "One", "-a", "A B", "--review", "Just a body.", "--headline", "Given")
    assert review_of(books, "one") == {**review_of(books, "one"), "headline": "Given", "body": "Just a body."}
    run("add", "Two", "-a", "A B", "--review", REVIEW, "--headline", "My headline")  # the same one: fine
    assert review_of(books, "two")["headline"] == "My headline"
    refused = run("add", "Three", "-a", "A B", "--review", REVIEW, "--headline", "Other", code=2)
    assert "keep one" in refused.stderr and not (books / "three.toml").exists()


# --- 5: `review --edit` edits the review itself -------------------------------------------------------------
APPEND = "import sys\nopen(sys.argv[1], 'a').write('\\nA sentence added.\\n')\n"


@pytest.fixture
def reviewed(run, books) -> Path:
    run("add", "Dune", "-a", "Frank Herbert", "--review", "# Sand\n\nThe first text.")
    return books / "dune.toml"


def test_editing_the_current_review_needs_no_replace_and_keeps_the_old_in_trash(
    run, reviewed, journal_home, tmp_path
):
    editor = write_editor(tmp_path, APPEND, "append.py")
    done = run("review", "dune", "--edit", env={"EDITOR": editor})  # a script: refused before, exit 1
    assert "Saved the review" in done.stderr
    review = tomllib.loads(reviewed.read_text())["review"]
    assert review["headline"] == "Sand" and review["body"] == "The first text.\nA sentence added.\n"
    kept = list((journal_home / "trash").iterdir())
    assert len(kept) == 1 and "The first text." in kept[0].read_text()


def test_a_new_text_given_with_edit_still_asks_for_replace(run, reviewed, tmp_path):
    editor = write_editor(tmp_path, APPEND, "append.py")
    before = reviewed.read_bytes()
    refused = run("review", "dune", "Another text.", "--edit", env={"EDITOR": editor}, code=1)
    assert "--replace" in refused.stderr and reviewed.read_bytes() == before


def test_a_review_left_as_it_was_is_no_error(run, reviewed, journal_home, tmp_path):
    editor = write_editor(tmp_path, "pass\n", "untouched.py")
    before = snapshot(journal_home)
    done = run("review", "dune", "--edit", env={"EDITOR": editor})  # exit 0, as `edit` does it
    assert done.stderr.strip().splitlines() == ["No changes to the review of “Dune”: nothing was saved"]
    assert snapshot(journal_home) == before  # no trash, no draft left, the file as it was


def test_finish_edit_left_as_it_was_finishes_and_keeps_the_review(run, reviewed, books, tmp_path):
    """Session 25 (t25f, 10): the review was optional, so the finish lands (it was cancelled), the review
    as it was, and says so. The case of no review: tests/test_t25f_rough_edges.py."""
    run("start", "dune")
    review = tomllib.loads(reviewed.read_text())["review"]
    editor = write_editor(tmp_path, "pass\n", "untouched.py")
    done = run("finish", "dune", "--edit", env={"EDITOR": editor})  # no --replace asked for
    assert "the review is as it was" in done.stderr
    book = tomllib.loads(reviewed.read_text())
    assert book["status"] == "read" and book["review"] == review


def test_an_emptied_review_still_cancels(run, reviewed, tmp_path):
    editor = write_editor(tmp_path, "import sys\nopen(sys.argv[1], 'w').write('')\n", "empties.py")
    before = reviewed.read_bytes()
    assert "nothing was saved" in run("review", "dune", "--edit", env={"EDITOR": editor}, code=1).stderr
    assert reviewed.read_bytes() == before


# --- 7: one written form --------------------------------------------------------------------------------
TRICKY = "# Tricky\n\nTriple double \"\"\" and triple single ''' quotes,\na \\ backslash\tand a tab.\n"


def _body_lines(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text[text.index("body = ") :]


def test_add_writes_a_text_holding_both_quotes_as_review_edit_does(run, books, tmp_path):
    (tmp_path / "tricky.md").write_text(TRICKY, encoding="utf-8")
    run("add", "Tricky", "-a", "A B", "--review-file", str(tmp_path / "tricky.md"))
    added = _body_lines(books / "tricky.toml")
    assert added.startswith(
        'body = """\nTriple double ""\\" and triple single \'\'\' quotes,\na \\\\ backslash\t'
    )
    adds = "import sys\np = sys.argv[1]\nt = open(p).read()\nopen(p, 'w').write(t.replace('tab.', 'tab.\\nA sentence added.'))\n"
    run("review", "tricky", "--edit", env={"EDITOR": write_editor(tmp_path, adds, "adds.py")})
    (tmp_path / "more.md").write_text(TRICKY + "A sentence added.\n", encoding="utf-8")
    run("add", "Tricky Two", "-a", "A B", "--review-file", str(tmp_path / "more.md"))
    # the same text, rewritten through tomlkit (`review --edit`) and new (`add`): the same lines
    assert _body_lines(books / "tricky.toml") == _body_lines(books / "tricky-two.toml")
    assert review_of(books, "tricky")["body"] == TRICKY.split("\n\n", 1)[1] + "A sentence added.\n"


@pytest.mark.parametrize(
    "text",
    [
        "a\n'''\n",
        "ends in a quote\n'",
        'a\n"""b""""\n""',
        'say "hi"\n"',
        "a\n\\\n\x01\x7f\r\n",
        "\nstarts with a newline '''",
    ],
)
def test_a_new_file_and_a_rewrite_write_a_long_text_alike(text):
    import tomlkit

    new = tomlwrite.dumps({"body": text})
    document = tomlkit.document()
    document.add("body", bookfile._string(text))
    assert tomlkit.dumps(document) == new and tomllib.loads(new)["body"] == text
    assert new.startswith(("body = '''\n", 'body = """\n'))


# --- 9: messages that read whole ------------------------------------------------------------------------
def test_the_stats_note_keeps_its_command_on_one_line_piped(run, books):
    run("add", "Undated", "-a", "A B", "--status", "read")  # a read book with no finish date
    out = run("stats").stdout  # piped: Rich's 80 columns
    assert "(`readlog finish BOOK --date D` dates one)" in out.splitlines()
    assert "not counted in any year or goal" in out


@pytest.mark.parametrize("where", ["xii", "p. 3-4", "12a"])
def test_a_page_that_is_no_number_names_location(run, books, where):
    run("add", "Dune", "-a", "Frank Herbert")
    refused = run("quote", "dune", "A line.", "--page", where, code=2)
    assert "--location" in refused.stderr and "not a valid int" not in refused.stderr
    run("quote", "dune", "A line.", "--location", where)
    run("quote", "dune", "Another line.", "--page", "12")
    quotes = tomllib.loads((books / "dune.toml").read_text())["quotes"]
    assert [(q.get("location"), q.get("page")) for q in quotes] == [(where, None), (None, 12)]
