"""`search` and notes to self (t23d, left by t22e): a word that stands only inside a note (`<!-- ... -->`)
is found, as everything the reader wrote is, but no snippet or label shows the note: it is cut out as
`show` cuts it (privacy.notes_cut, the one rule), and a note that holds a match stands as `<!-- … -->`,
marked as the match, so the hit says why it was found."""

from __future__ import annotations

import json

from readlog.index.search import SHOWN_NOTE, make_snippet, search_terms

SECRETS = ("Samantha", "C-HEAD", "C-QUOTE", "C-QNOTE", "C-WHY", "C-TITLE", "C-REFL", "C-OPEN")


def noted_book(run) -> None:
    run("add", "Edge Book", "--author", "E D", "--finished", "2025-03-01")
    run(
        "review",
        "edge-book",
        "A quiet book about walls. <!-- lent to Samantha in May -->\n\nThe ending is open.",
        "--headline",
        "Headline shown <!-- C-HEAD -->",
    )
    run("quote", "edge-book", "Quoted <!-- C-QUOTE --> line", "--note", "qnote <!-- C-QNOTE --> end")
    run("reflect", "edge-book", "Walls again. <!-- C-REFL -->", "--title", "Titled <!-- C-TITLE --> part")
    run("next", "add", "Other Book", "-a", "O B", "--from", "edge-book", "--why", "why <!-- C-WHY --> walls")
    run("quote", "edge-book", "Open ended walls <!-- C-OPEN never closed\n\nmore of it")


def hits(run, query: str) -> list[dict]:
    return json.loads(run("search", query, "--json").stdout)


def test_a_word_only_in_a_note_is_found_and_the_note_is_not_shown(run):
    noted_book(run)
    for word in SECRETS:
        found = hits(run, word)
        assert found, word  # found: the reader's own words (mutation: a hit only in a note dropped)
        for hit in found:
            assert word not in hit["snippet"] and word not in hit["label"], hit
            assert SHOWN_NOTE in hit["snippet"] + hit["label"], hit  # where it was found, marked
    (review,) = hits(run, "samantha")
    assert review["part"] == "review"
    assert review["snippet"].startswith("A quiet book about walls. <!-- … -->")
    start, end = review["highlights"][0]
    assert review["snippet"][start:end] == SHOWN_NOTE  # the mark is the match


def test_every_output_leaves_the_note_out(run):
    noted_book(run)
    for args in (("search", "samantha"), ("search", "walls"), ("search", "walls", "--format", "csv")):
        out = run(*args).stdout
        for secret in SECRETS:
            assert secret not in out, (args, secret)  # (mutation: _without_notes returns the text whole)
    shown = run("search", "walls").stdout
    assert "Headline shown" in shown and "Titled part" in shown  # labels kept, less their notes
    assert "The ending is open" in shown and "why walls" in shown


def test_a_note_without_the_match_leaves_no_mark():
    terms = search_terms("walls")
    snippet = make_snippet("Walls <!-- nothing here --> and more walls.", terms)
    assert SHOWN_NOTE not in snippet and "nothing" not in snippet
    assert snippet == "\ue000Walls\ue001 and more \ue000walls\ue001."


def test_code_keeps_its_comment_and_a_title_is_not_a_note(run):
    run("add", "HTML <!-- Tricks", "--author", "A B")
    (title,) = hits(run, "tricks")
    assert title["snippet"].startswith("HTML <!-- Tricks")  # a title is shown as it is
    snippet = make_snippet("Use `<!-- x -->` for comments.", search_terms("comments"))
    assert "`<!-- x -->`" in snippet  # code's own text (privacy's rule)


def test_the_match_nearest_the_start_is_the_window():
    """A note holding a match before the first visible one: the window opens at the note's mark."""
    body = "<!-- tide -->" + " filler" * 40 + " the tide came in."
    snippet = make_snippet(body, search_terms("tide"))
    assert snippet.startswith("\ue000" + SHOWN_NOTE + "\ue001")
    assert "tide" not in snippet.split("\ue001", 1)[0]
