"""Notes to self (HTML comments) are hidden by one rule, privacy.without_comments, in every text field and
every renderer (t22e: try-out 22b's findings 4 and 2): `show` and `next` hid a review's comments but
printed those in a quote, its note and a pick's why; a comment in a headline was published; a `<!--` never
closed hid the rest in `show`, was published as text by the site and passed on raw in the post."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from readlog import privacy
from test_site import Links

SECRETS = ("C-QUOTE", "C-QNOTE", "C-WHY", "HEADLINE-SECRET", "C-TITLE")


def site_text(run, tmp_path: Path, name: str = "site") -> str:
    out = tmp_path / name
    run("site", str(out))
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("*")) if p.is_file())


def noted_book(run) -> None:
    run("add", "Edge Book", "--author", "E D", "--finished", "2025-03-01")
    run(
        "review",
        "edge-book",
        "The body <!-- C-BODY --> text.",
        "--headline",
        "Headline shown <!-- HEADLINE-SECRET -->",
    )
    run("quote", "edge-book", "Quoted <!-- C-QUOTE --> line", "--note", "qnote <!-- C-QNOTE --> end")
    run("reflect", "edge-book", "A reflection.", "--title", "Titled <!-- C-TITLE --> part")
    run(
        "next", "add", "Other Book", "-a", "O B", "--from", "edge-book", "--why", "why <!-- C-WHY --> because"
    )


def test_show_and_next_hide_every_note(run):
    noted_book(run)
    shown = run("show", "edge").stdout
    for secret in SECRETS:
        assert secret not in shown  # (mutation: _quote / _pick / _border_title without _unnoted)
    assert "Quoted line" in shown and "qnote end" in shown and "why because" in shown
    assert "Headline shown" in shown and "Titled part" in shown
    listed = run("next").stdout  # piped: tab-separated
    assert "C-WHY" not in listed and "why because" in listed  # (mutation: _queue_row's why kept whole)


def test_published_headline_and_titles_lose_their_notes(run, tmp_path):
    noted_book(run)
    published = site_text(run, tmp_path)  # pages, index, feed, shelves, library.json
    for secret in SECRETS:
        assert secret not in published  # (mutation: _without_notes leaves the headline out)
    out = tmp_path / "site"
    page = (out / "books" / "edge-book.html").read_text(encoding="utf-8")
    assert (
        "<title>Headline shown · Reading journal</title>" in page
        and '<h1 dir="auto">Headline shown</h1>' in page
    )
    feed = ET.fromstring((out / "feed.xml").read_bytes())  # as the repo's site tests check them
    titles = [
        e.findtext("{http://www.w3.org/2005/Atom}title")
        for e in feed.iter("{http://www.w3.org/2005/Atom}entry")
    ]
    assert titles == ["Headline shown"]
    assert (
        json.loads((out / "library.json").read_text(encoding="utf-8"))[0]["review"]["headline"]
        == "Headline shown"
    )
    for path in out.rglob("*.html"):
        links = Links()
        links.feed(path.read_text(encoding="utf-8"))
        for link in links.links:
            target = link.partition("#")[0]
            assert re.match(r"[a-z]+:", link) or not target or (path.parent / target).resolve().is_file(), (
                link
            )
    post = run("export", "edge-book", "--format", "markdown").stdout
    assert "HEADLINE-SECRET" not in post and "# Headline shown" in post
    kept = run("show", "edge-book", "--json").stdout  # the book's data keeps them, as its file does
    assert "HEADLINE-SECRET" in json.loads(kept)["review"]["headline"]


UNCLOSED = (
    "Before it.\n\nI love <!-- never closed AFTER-INLINE\n\nNext paragraph AFTER-PARA\n\n## Later\n\nLAST\n"
)


def test_a_comment_never_closed_hides_the_rest_everywhere(run, tmp_path):
    run("add", "Edge Book", "--author", "E D")
    run("review", "edge-book", "-", input=UNCLOSED)
    shown = run("show", "edge").stdout
    published = site_text(run, tmp_path)
    post = run("export", "edge-book", "--format", "markdown").stdout
    for text in (shown, published, post):
        assert "Before it." in text
        for rest in ("AFTER-INLINE", "AFTER-PARA", "LAST"):
            assert rest not in text  # (mutation: notes_cut ignores `opened`: the site published the rest)
    assert "is never closed" in " ".join(shown.split())  # show says why its text ends there
    checked = run("check")
    assert "review.body: a `<!--` on line 3 of the review is never closed" in checked.stdout + checked.stderr


def test_the_rule_itself():
    cut = privacy.notes_cut
    assert cut("a <!-- x --> b") == ("a b", None)
    assert cut("para\n\n<!-- open\n\nrest\n") == ("para\n", 3)  # a block that opens a comment
    assert cut("one <!-- open\nmore\n\nnext") == ("one", 1)  # inside a paragraph, too
    assert cut("`<!--` in code\n\nok") == ("`<!--` in code\n\nok", None)
    assert cut("\\<!-- escaped\n\nok") == ("\\<!-- escaped\n\nok", None)
    assert cut("x\n\n```\n<!-- in a fence\n```\n") == ("x\n\n```\n<!-- in a fence\n```\n", None)
    assert privacy.without_notes("Head <!-- x --> line") == "Head line"


def test_recall_hides_notes_too(run):
    run("add", "Edge Book", "--author", "E D", "--finished", "2025-03-01")
    run(
        "quote",
        "edge-book",
        "Recalled <!-- C-RECALL --> line",
        "--note",
        "n <!-- C-RNOTE --> e",
        "--date",
        "2024-06-01",
    )
    shown = run("recall", "--date", "2025-06-01", "--count", "5").stdout
    # (mutation: render_recall without _unnoted: the comment was printed)
    assert "Recalled line" in shown and "C-RECALL" not in shown and "C-RNOTE" not in shown
