"""The seed review on the page (issue 23, items 6-8): a titled reflection in its place, pick notes of
several paragraphs everywhere, pick links and bylines, and the site's title kept in the config file.
The texts here are our own, written for these tests."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

REVIEW = "## What the house hides\n\nA family at a long table, each keeping one thing back.\n"
NOTE_ONE = "A valet counts the cost of good service.\n\nIt is slow, and the slowness is the point.\n\nRead it on a grey afternoon."
NOTE_TWO = "A machine keeps watch over a child."
NOTE_THREE = "A painter weighs\nwhat his pictures served.\n\nSecond thoughts, kept apart."


@pytest.fixture
def seeded(run, books):
    run("add", "The Hours Between", "-a", "Ana Verdes", "-r", "4.5", "--finished", "2025-03-01",
        "--headline", "A table set for ghosts", "--review", REVIEW)  # fmt: skip
    run("reflect", "the-hours-between", "First thought of mine.\n\nSecond thought of mine.\n", "--title",
        "Something Personal", "--date", "2025-03-04")  # fmt: skip
    run("reflect", "the-hours-between", "A loose note without a heading.", "--date", "2025-03-05")
    run(
        "add",
        "The Quiet Valet",
        "-a",
        "Ana Verdes",
        "-r",
        "5",
        "--finished",
        "2025-04-01",
        "--review",
        "Good.",
    )
    run("next", "add", "The Quiet Valet", "-a", "Ana Verdes", "--from", "the-hours-between", "--why", "-",
        input=NOTE_ONE)  # fmt: skip
    run("next", "add", "Watcher", "-a", "Ana Verdes", "--from", "the-hours-between", "--why", NOTE_TWO)
    run(
        "next",
        "add",
        "The Floating Studio",
        "-a",
        "Ana Verdes",
        "--from",
        "the-hours-between",
        "--why",
        NOTE_THREE,
    )
    run("next", "intro", "the-hours-between", "Three more to try.", "--heading", "Three Novels by Verdes")
    return books / "the-hours-between.toml"


# --- 6. a reflection with a title -----------------------------------------------------------------------
def test_a_titled_reflection_is_kept_and_shown(run, seeded):
    data = tomllib.loads(seeded.read_text())
    assert data["reflections"][0]["title"] == "Something Personal"
    assert "title" not in data["reflections"][1]
    shown = run("show", "the-hours-between").stdout
    assert (
        shown.index("A table set for ghosts") < shown.index("Something Personal") < shown.index("Reflections")
    )
    assert shown.index("Something Personal") < shown.index("Second thought of mine")


def test_the_titled_reflection_is_a_heading_after_the_review_in_the_post(run, seeded):
    post = run("export", "the-hours-between", "--format", "markdown").stdout
    order = ["## What the house hides", "## Something Personal", "First thought", "Second thought",
             "## Reflections", "A loose note", "## Three Novels by Verdes"]  # fmt: skip
    places = [post.find(part) for part in order]
    assert -1 not in places and places == sorted(places), places
    html = MarkdownIt("commonmark").render(post)
    assert "<h2>Something Personal</h2>" in html


def test_the_titled_reflection_is_a_heading_on_the_site(run, seeded, tmp_path):
    run("site", str(tmp_path / "site"))
    page = (tmp_path / "site" / "books" / "the-hours-between.html").read_text()
    heading = re.search(r"<h2 id=\"reflection-1\" dir=\"auto\">Something Personal</h2>", page)
    assert heading is not None
    assert page.index("What the house hides") < heading.start() < page.index(">Reflections</h2>")
    assert page.index(">Reflections</h2>") < page.index("Three Novels by Verdes")
    section = page[heading.start() : page.index(">Reflections</h2>")]
    assert "<p>First thought of mine.</p>" in section and "<p>Second thought of mine.</p>" in section


def test_a_reflection_title_is_text_not_markup(run, books, tmp_path):
    run("add", "Dune", "-a", "Frank Herbert", "--review", "Sand.")
    run("reflect", "dune", "Spice.", "--title", "<b>bold</b> [red]x[/red]")
    run("site", str(tmp_path / "site"))
    page = (tmp_path / "site" / "books" / "dune.html").read_text()
    assert "&lt;b&gt;bold&lt;/b&gt; [red]x[/red]" in page
    assert "[red]x[/red]" in run("show", "dune").stdout


# --- 7. pick notes, links and bylines -------------------------------------------------------------------
def test_pick_notes_keep_their_paragraphs_on_the_site(run, seeded, tmp_path):
    run("site", str(tmp_path / "site"))
    page = (tmp_path / "site" / "books" / "the-hours-between.html").read_text()
    picks = page[page.index('<ol class="picks">') :]
    assert '<p dir="auto">A valet counts the cost of good service.</p>' in picks
    assert '<p dir="auto">It is slow, and the slowness is the point.</p>' in picks
    assert '<p dir="auto">Read it on a grey afternoon.</p>' in picks
    assert '<p dir="auto">Second thoughts, kept apart.</p>' in picks


def test_pick_notes_stay_inside_their_list_items_in_the_markdown_post(run, seeded):
    post = run("export", "the-hours-between", "--format", "markdown").stdout
    tokens = MarkdownIt("commonmark").parse(post)
    lists = [t for t in tokens if t.type == "ordered_list_open"]
    assert len(lists) == 1  # one list: picks 2 and 3 are not loose text after it
    items = [t for t in tokens if t.type == "list_item_open"]
    assert len(items) == 3
    html = MarkdownIt("commonmark").render(post)
    one = html[html.index("The Quiet Valet") : html.index("Watcher")]
    assert "<p>It is slow, and the slowness is the point.</p>" in one
    three = html[html.index("The Floating Studio") :]
    assert "<p>Second thoughts, kept apart.</p>" in three and "</ol>" in three


def test_a_single_paragraph_note_list_stays_tight(run, books):
    run("add", "Dune", "-a", "Frank Herbert")
    run("next", "add", "Children of Dune", "-a", "Someone Else", "--from", "dune", "--why", "More sand.")
    post = run("export", "dune", "--format", "markdown").stdout
    assert "1. **Children of Dune** by Someone Else  \n   More sand.\n" in post


def test_next_add_why_dash_reads_the_note_from_stdin(run, seeded):
    data = tomllib.loads(seeded.read_text())
    assert data["next"][0]["why"].rstrip("\n") == NOTE_ONE
    assert "It is slow" in run("show", "the-hours-between").stdout
    assert "stdin was empty" in run("next", "add", "X", "-a", "Y", "--why", "-", input="  \n", code=1).stderr


@pytest.mark.parametrize(
    ("heading", "source_author", "pick_authors", "shown"),
    [
        ("Three Novels by Verdes", "Someone", ["Ana Verdes"], False),  # the heading names the surname
        ("More from Ana Verdes", "Someone", ["Ana Verdes"], False),
        ("Read next", "Ana Verdes", ["Ana Verdes"], False),  # the source book is hers
        ("Read next", "Ana Verdes", ["Verdes, Ana"], False),  # in either name order
        ("Read next", "Someone", ["Ana Verdes"], True),
        ("Three Novels by Verdes", "Someone", ["Ana Verdes", "Bo Lind"], True),  # one not named: all shown
        ("Books about verdigris", "Someone", ["Ana Verdes"], True),  # a word that begins the same is not her
    ],
)
def test_by_author_is_left_out_where_the_page_names_the_author(
    run, books, tmp_path, heading, source_author, pick_authors, shown
):
    run("add", "Source", "-a", source_author, "--review", "Text.")
    args = [a for name in pick_authors for a in ("-a", name)]
    run("next", "add", "Picked", *args, "--from", "source", "--why", "Because.")
    if heading != "Read next":
        run("next", "intro", "source", "Intro.", "--heading", heading)
    post = run("export", "source", "--format", "markdown").stdout
    picks = post[post.index("1. **Picked**") :]
    assert (" by " in picks.split("\n")[0]) is shown
    run("site", str(tmp_path / "site"))
    page = (tmp_path / "site" / "books" / "source.html").read_text()
    assert ('class="by"' in page[page.index('<ol class="picks">') :]) is shown


def test_a_pick_links_to_its_book_page_and_to_the_shelves_only_without_one(run, seeded, tmp_path):
    run("add", "Watcher", "-a", "Ana Verdes", "--status", "reading")  # on the shelves, no page
    run("site", str(tmp_path / "site"))
    page = (tmp_path / "site" / "books" / "the-hours-between.html").read_text()
    assert '<a href="../books/the-quiet-valet.html"><cite dir="auto">The Quiet Valet</cite></a>' in page
    assert "shelves.html#the-quiet-valet" not in page
    assert '<a href="../shelves.html#watcher"><cite dir="auto">Watcher</cite></a>' in page
    # once Watcher has a review it has a page, and the pick follows it there
    run("review", "watcher", "Now written up.")
    run("site", str(tmp_path / "site"))
    page = (tmp_path / "site" / "books" / "the-hours-between.html").read_text()
    assert '<a href="../books/watcher.html"><cite dir="auto">Watcher</cite></a>' in page
    assert "shelves.html#watcher" not in page


# --- 8. the site's title and base URL in the config file ---------------------------------------------
def _title(site: Path) -> str:
    match = re.search(r"<title>([^<]*)</title>", (site / "index.html").read_text())
    assert match is not None
    return match[1]


def test_the_site_title_lives_in_the_config_file(run, seeded, tmp_path):
    site = tmp_path / "site"
    run("config", "set", "site.title", "Pages and Afterthoughts")
    run("config", "set", "site.base_url", "https://example.org/books")
    config = tomllib.loads((tmp_path / "config.toml").read_text())
    assert config["site"] == {"title": "Pages and Afterthoughts", "base_url": "https://example.org/books"}
    run("site", str(site))
    assert "Pages and Afterthoughts" in _title(site)
    assert "https://example.org/books/books/the-hours-between.html" in (site / "sitemap.xml").read_text()
    again = run("site", str(site))
    assert " 0 written" in again.stdout + again.stderr  # a rebuild without options changes nothing
    once = run("site", str(site), "--title", "Just Today")
    assert "config set site.title" in once.stderr
    assert "Just Today" in _title(site)
    run("site", str(site))
    assert "Pages and Afterthoughts" in _title(site)


def test_config_set_refuses_what_the_setting_cannot_hold(run, tmp_path):
    assert "not an http(s) URL" in run("config", "set", "site.base_url", "ftp://x", code=1).stderr
    assert "no setting is called" in run("config", "set", "site.tilte", "X", code=1).stderr
    assert "must not be empty" in run("config", "set", "site.title", "  ", code=1).stderr
    assert not (tmp_path / "config.toml").exists()
    run("config", "init")
    run("config", "set", "list.limit", "20")
    text = (tmp_path / "config.toml").read_text()
    assert "# readlog settings" in text  # the commented template stays
    assert tomllib.loads(text)["list"]["limit"] == 20
    assert "not a whole number" in run("config", "set", "list.limit", "many", code=1).stderr


@pytest.mark.parametrize(
    ("author", "heading", "source", "named"),
    [
        ("Kazuo Ishiguro", "Three Ishiguro Novels", [], True),
        ("Kazuo Ishiguro", "Three Kazuo Ishiguro Novels That Stay", [], True),
        ("Kazuo Ishiguro", "Ishiguro's quieter books", [], True),
        ("Ishiguro, Kazuo", "Three Ishiguro Novels", [], True),
        ("Kazuo Ishiguro", "", ["Ishiguro, Kazuo"], True),
        ("Kazuo Ishiguro", "Ishiguroesque novels", [], False),  # a longer word is not the name
        ("Kazuo Ishiguro", "Three Novels", ["Ann Patchett"], False),
        ("Kazuo Ishiguro", "Kazuo's favourites", [], False),  # a given name alone is not enough
        ("", "Anything", [], False),
    ],
)
def test_which_author_goes_without_saying(author, heading, source, named):
    from readlog.identity import author_named_already

    assert author_named_already(author, heading, source) is named


def test_a_long_reflection_title_is_whole_inside_its_panel_at_40_columns(run, books):
    run("add", "Dune", "-a", "Frank Herbert")
    title = "What the desert teaches about patience and water"
    run("reflect", "dune", "Sand.", "--title", title)
    shown = run("show", "dune", env={"COLUMNS": "40"}).stdout
    inside = " ".join(line.strip("│ ") for line in shown.splitlines() if line.startswith("│"))
    assert title in " ".join(inside.split())
    assert "…" not in shown
