"""Search in every script (CJK and Thai substrings, one and two characters too) and in long texts (snippets
in time linear in the text)."""

from __future__ import annotations

import json
import time

import pytest

from readlog.index import make_snippet, search_terms


@pytest.fixture
def shelf(run):
    run(
        "add",
        "ノルウェイの森",
        "-a",
        "村上春樹",
        "--tag",
        "小説",
        "--review",
        "ワタナベは直子を思い出す。とても悲しい物語です。",
    )
    run("add", "Thai", "-a", "Someone", "--review", "ภาษาไทยไม่มีช่องว่างระหว่างคำ")
    run("add", "Norwegian Wood", "-a", "Haruki Murakami", "--review", "A quiet, sad memory of Naoko.")


@pytest.mark.parametrize(
    ("query", "slug", "part"),
    [
        ("村上", "noruueinosen", "title"),  # two characters: more than a trigram index can hold
        ("村", "noruueinosen", "title"),  # one
        ("ノルウェイ", "noruueinosen", "title"),
        ("直子", "noruueinosen", "review"),
        ("悲しい", "noruueinosen", "review"),
        ("ワタナベ 悲しい", "noruueinosen", "review"),  # every term, anywhere in the text
        ("ช่องว่าง", "thai", "review"),
        ("ไท", "thai", "review"),
    ],
)
def test_cjk_and_thai_text_is_found_by_any_part_of_it(run, shelf, query, slug, part):
    hits = json.loads(run("search", query, "--json").stdout)
    assert [(h["slug"], h["part"]) for h in hits] == [(slug, part)], hits
    start, end = hits[0]["highlights"][0]
    assert hits[0]["snippet"][start:end] == query.split()[0]


def test_a_cjk_query_matches_nothing_it_should_not(run, shelf):
    assert json.loads(run("search", "村上 悲しい", "--json").stdout) == []  # in different parts
    assert json.loads(run("search", "森林", "--json").stdout) == []


def test_latin_search_is_unchanged_beside_cjk(run, shelf):
    hits = json.loads(run("search", "naoko", "--json").stdout)
    assert [(h["slug"], h["part"]) for h in hits] == [("norwegian-wood", "review")]
    assert hits[0]["snippet"] == "A quiet, sad memory of Naoko."


def test_the_cjk_table_holds_only_text_that_needs_it(run, shelf, journal_home):
    from readlog.journal import Journal

    index = Journal(journal_home).fresh_index()
    rows = index.db.execute("SELECT slug, part FROM cjk ORDER BY slug, part").fetchall()
    assert rows == [("noruueinosen", "review"), ("noruueinosen", "title"), ("thai", "review")]


def test_snippets_mark_every_match_in_a_window_around_the_first():
    body = "Nothing here. " * 20 + "The Mémoire of the sea, and memories of the sea again." + " Tail." * 30
    snippet = make_snippet(body, search_terms("memoire sea"))
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "\ue000Mémoire\ue001" in snippet and snippet.count("\ue000sea\ue001") == 2
    assert "memories" in snippet and "\ue000memories" not in snippet  # whole words, unless memor*
    assert "\ue000memories\ue001" in make_snippet(body, search_terms("memor*"))


def test_search_in_a_long_review_is_linear(run, tmp_path):
    """FTS5's snippet() took 6 s on 1 MB and 95 s on 4 MB of one review; cut around the first match,
    4 MB takes about as long as reading it (well under a second here)."""
    words = "the sea memory lost quiet years " * 130_000  # ~4 MB
    path = tmp_path / "review.md"
    path.write_text(words + "zebraword at the end")
    run("add", "Big", "-a", "X", "--review-file", str(path))
    started = time.perf_counter()
    hits = json.loads(run("search", "zebraword", "--json").stdout)
    elapsed = time.perf_counter() - started
    assert hits[0]["snippet"].endswith(
        "\ue000zebraword\ue001 at the end".replace("\ue000", "").replace("\ue001", "")
    )
    assert elapsed < 20, elapsed  # generous for a loaded machine; quadratic was 95 s


def test_a_snippet_shows_no_markdown_hard_break_backslash():
    body = "The ending is accurate.\\\nThe story fought its way home, line by line."
    snippet = make_snippet(body, [("fought", False)])
    assert "\\" not in snippet and "accurate.\nThe story \ue000fought\ue001 its way" in snippet
    assert "back\\slash" in make_snippet(
        "a back\\slash stays", [("stays", False)]
    )  # (only a hard break goes)
