"""A search's best hits are kept for the index as it is (issue 25: ranking a word in most books was most of a
search's time) and read back only while they are still true: after any change to the files, an import, or a
rebuild that numbers the parts afresh, the search is ranked again."""

from __future__ import annotations

import json
import sqlite3
import sys

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
from generate import generate  # noqa: E402

from readlog.index import search as index_search  # noqa: E402

QUERIES = ("harbour", "quiet", '"quiet light"', "harb*", "lantern river")


def hits(run, *query: str) -> list[tuple[str, str, str, str]]:
    found = json.loads(run("search", *query, "--json").stdout)
    return [(h["slug"], h["part"], h["label"], h["snippet"]) for h in found]


def fresh(run, monkeypatch, *query: str) -> list[tuple[str, str, str, str]]:
    """The same search ranked afresh, nothing read back or kept."""
    with monkeypatch.context() as patch:
        patch.setattr(index_search, "KEPT_RANKINGS", 0)
        return hits(run, *query)


def kept_ranking(journal_home) -> tuple[sqlite3.Connection, dict]:
    from readlog.index import index_path

    db = sqlite3.connect(index_path(journal_home), isolation_level=None)
    row = db.execute("SELECT value FROM meta WHERE key = 'ranked'").fetchone()
    return db, json.loads(row[0]) if row else {}


@pytest.fixture
def journal(run, journal_home):
    generate(journal_home, 200)
    run("reindex")
    return journal_home


def test_a_search_read_back_is_the_search_ranked_afresh(run, journal, monkeypatch):
    ranked = []
    real = index_search.Search._ranked

    def counted(self, *args):
        ranked.append(args[0])
        return real(self, *args)

    monkeypatch.setattr(index_search.Search, "_ranked", counted)
    for query in QUERIES:
        first = hits(run, query)
        assert first, query
        assert hits(run, query) == first  # read back
        assert hits(run, query, "--limit", "3") == first[:3]  # another limit: ranked, then kept too
        assert hits(run, query, "--in", "review") == fresh(run, monkeypatch, query, "--in", "review")
    # each query ranked once for the default limit, once for --limit 3, twice for --in (kept, then fresh)
    assert len(ranked) == 4 * len(QUERIES)
    _, kept = kept_ranking(journal)
    assert len(kept["queries"]) == 3 * len(QUERIES)


def test_only_the_newest_searches_are_kept(run, journal, monkeypatch):
    monkeypatch.setattr(index_search, "KEPT_RANKINGS", 2)
    for query in ("harbour", "quiet", "river"):
        hits(run, query)
    _, kept = kept_ranking(journal)
    assert [json.loads(q)[0] for q in kept["queries"]] == ['"quiet"', '"river"']


def test_an_edit_behind_readlogs_back_is_searched_afresh(run, journal, monkeypatch):
    before = hits(run, "harbour")
    top = journal / "books" / f"{before[0][0]}.toml"
    text = top.read_text(encoding="utf-8")
    assert "harbour" in text.lower()
    top.write_text(text.replace("harbour", "seaport").replace("Harbour", "Seaport"), encoding="utf-8")
    after = hits(run, "harbour")
    assert before[0][0] not in {slug for slug, *_ in after}
    assert after == fresh(run, monkeypatch, "harbour")
    assert hits(run, "seaport")[0][0] == before[0][0]
    (journal / "books" / f"{before[1][0]}.toml").unlink()  # a book removed by hand: its hits go too
    assert before[1][0] not in {slug for slug, *_ in hits(run, "harbour")}


def test_a_book_added_after_the_search_is_found(run, journal):
    hits(run, "zeppelin")  # nothing: nothing is kept for it
    run("add", "Zeppelin Summer", "-a", "Ana Writer", "--review", "A zeppelin over the harbour.")
    assert {(slug, part) for slug, part, *_ in hits(run, "zeppelin")} == {
        ("zeppelin-summer", "title"),
        ("zeppelin-summer", "review"),
    }
    assert "zeppelin-summer" in {slug for slug, *_ in hits(run, "harbour", "--limit", "500")}


def test_an_import_is_searched_afresh(run, journal, tmp_path):
    before = hits(run, "harbour", "--limit", "500")
    export = tmp_path / "goodreads_library_export.csv"
    header = (
        "Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Average Rating,Publisher,"
        "Binding,Number of Pages,Year Published,Original Publication Year,Date Read,Date Added,Bookshelves,"
        "Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,Private Notes,Read Count,Owned Copies"
    )
    row = '1,The Harbour Clock,Lene Holm,"Holm, Lene",,,,4,3.9,,,200,2001,2001,2024/03/01,2024/01/01,,,read,'
    export.write_text(f"{header}\n{row}A harbour harbour harbour story.,,,1,0\n", encoding="utf-8")
    run("import", str(export))
    after = hits(run, "harbour", "--limit", "500")
    assert "the-harbour-clock" in {slug for slug, *_ in after}
    assert len(after) > len(before)


def test_a_kept_ranking_that_names_other_parts_is_not_trusted(run, journal, monkeypatch):
    """A rebuild numbers the parts afresh: a kept hit whose rowid now holds another part is never shown."""
    for query in QUERIES:
        expected = hits(run, query)
        db, kept = kept_ranking(journal)
        key = next(q for q in kept["queries"] if json.loads(q)[0] == index_search.fts_query(query))
        rows = kept["queries"][key]
        kept["queries"][key] = [[rowid + 1, rank, check] for rowid, rank, check in rows]  # renumbered
        db.execute("UPDATE meta SET value = ? WHERE key = 'ranked'", (json.dumps(kept),))
        db.close()
        assert hits(run, query) == expected == fresh(run, monkeypatch, query)
    run("reindex")  # the real thing: the same books, numbered again
    for query in QUERIES:
        assert hits(run, query) == fresh(run, monkeypatch, query)


def test_a_damaged_kept_ranking_is_ranked_again(run, journal, monkeypatch):
    expected = hits(run, "harbour")
    db, _ = kept_ranking(journal)
    for value in ("{", "[]", '{"key": 1}', '{"key": "x", "queries": {"a": 1}}'):
        db.execute("UPDATE meta SET value = ? WHERE key = 'ranked'", (value,))
        assert hits(run, "harbour") == expected
        db.execute("UPDATE meta SET value = ? WHERE key = 'ranked'", (value,))
        assert hits(run, "quiet") == fresh(run, monkeypatch, "quiet")
    db.close()


def test_a_long_ranking_is_not_kept(run, journal):
    many = hits(run, "harbour", "--limit", "100000")
    assert len(many) > index_search.KEPT_HITS
    _, kept = kept_ranking(journal)
    assert not any(json.loads(q)[3] == 100000 for q in kept.get("queries", {}))
    assert hits(run, "harbour", "--limit", "100000") == many
