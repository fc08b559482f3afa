"""A cold build's worker processes send each chunk's rows table by table (schema.Packed). The index they
make must be the one the in-process path makes from the same files, row for row and rowid for rowid:
books with text in scripts without spaces (the CJK table), files that do not parse, every kind of part."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from readlog.index import PARALLEL_FROM, index_path

FIRST = ["Ada", "Bram", "Cleo", "Dov", "Esme"]
WORDS = ["lantern", "tide", "orchard", "copper", "meadow", "signal", "ember", "glacier"]


def _book(n: int) -> str:
    word = WORDS[n % len(WORDS)]
    text = f'schema = 2\ntitle = "The {word.title()} Ledger {n}"\nauthors = ["{FIRST[n % 5]} Marlow {n % 11}"'
    text += ', "Second Hand"]\n' if n % 4 == 0 else "]\n"
    text += f'status = "{("read", "reading", "want")[n % 3]}"\n'
    if n % 3 == 0:
        text += f"rating = {n % 5 + 1}\n"
    text += f'tags = ["{word}", "t{n % 6}"]\npages = {100 + n % 300}\nadded = 2019-0{n % 9 + 1}-1{n % 10}\n'
    if n % 3 == 0:
        text += f"\n[[reads]]\nstarted = 2020-01-0{n % 9 + 1}\nfinished = 2020-02-1{n % 10}\n"
    if n % 2 == 0:
        body = f"A {word} beside the {WORDS[(n + 3) % 8]}, page after page {n}."
        if n % 50 == 0:
            body += " 灯台の光は遠くまで届いた。"
        text += f'\n[review]\nheadline = "On {word}"\nbody = "{body}"\n'
    if n % 5 == 0:
        text += f'\n[[reflections]]\ndate = 2021-03-0{n % 9 + 1}\ntext = "Thinking of {word} again {n}."\n'
        text += f'\n[[quotes]]\ntext = "The {word} kept its own time."\npage = {n % 400 + 1}\n'
    if n % 70 == 0:
        text += '\n[[quotes]]\ntext = "ภาษาไทยไม่มีช่องว่าง"\nlocation = "ch. 2"\n'
    if n % 7 == 0:
        text += f'\n[[next]]\ntitle = "Follow Up {n}"\nauthors = ["Someone {n % 4}"]\nwhy = "after {word}"\n'
    return text


def _journal(books: Path, count: int) -> None:
    books.mkdir(parents=True)
    for n in range(count):
        (books / f"book-{n:05d}.toml").write_text(_book(n), encoding="utf-8")
    # Files that do not parse, among the others (in the middle of a worker's chunk, and at the very end).
    (books / "book-00400-broken.toml").write_text('title = "Broken"\nrating = \n')
    (books / "book-01200-bad.toml").write_text('title = "Bad"\nrating = 9\n')
    (books / "zz-last-broken.toml").write_text("title = \n")


def _tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, sorted (a build goes through the folder in the order the system lists it, so
    rowids differ between builds); the text tables through each file's range of their rowids, which must
    name each part's own row; what searches find, by slug and part."""
    db = sqlite3.connect(path)
    names = [
        name
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        if not name.startswith(("sqlite_", "parts", "cjk")) and name != "meta"
    ]
    tables = {}
    for name in names:
        if name == "files":  # (not the stamps: moving the files about changed their ctimes; nor the ranges)
            rows = db.execute("SELECT slug, error, line, col FROM files")
        else:
            rows = db.execute(f"SELECT * FROM {name}")
        tables[name] = sorted(rows.fetchall(), key=repr)
    tables["meta"] = db.execute("SELECT * FROM meta WHERE key IN ('fts', 'trigram') ORDER BY key").fetchall()
    for text in ("parts", "cjk"):
        rows = db.execute(
            f"SELECT f.slug, t.slug, t.part, t.label, t.body FROM files f "
            f"JOIN {text} t ON t.rowid BETWEEN f.first_part AND f.last_part"
        ).fetchall()
        tables[text] = sorted(rows, key=repr)
        count = db.execute(f"SELECT count(*) FROM {text}").fetchone()[0]
        tables[f"{text} rows"] = [(count,)]
    tables["ranges"] = [db.execute("SELECT sum(last_part - first_part + 1) FROM files").fetchone()]
    for query in ("lantern", '"the tide"', "灯台の光", "ช่องว่าง", "copper OR meadow"):
        table = "cjk" if not query.isascii() else "parts"
        tables[f"match {query}"] = db.execute(
            f"SELECT round(rank, 9), slug, part FROM {table} WHERE {table} MATCH ? ORDER BY 1, 2, 3", (query,)
        ).fetchall()
    db.close()
    return tables


def test_the_workers_build_the_index_the_in_process_path_builds(
    run, books, journal_home, tmp_path, monkeypatch
):
    count = PARALLEL_FROM + 400
    _journal(books, count)
    # The workers' path: every file at once.
    out = run("reindex").stderr
    assert f"Indexed {count + 3} book files" in out
    cold = _tables(index_path(journal_home))
    # The in-process path: the same files, synced a few hundred at a time (under PARALLEL_FROM each), into
    # another cache.
    monkeypatch.setenv("READLOG_CACHE", str(tmp_path / "cache-steps"))
    hidden = tmp_path / "later"
    hidden.mkdir()
    names = sorted(p.name for p in books.iterdir())
    for name in names:
        (books / name).rename(hidden / name)
    step = PARALLEL_FROM // 4
    for at in range(0, len(names), step):
        for name in names[at : at + step]:
            (hidden / name).rename(books / name)
        run("list", "--limit", "1")
    stepped = _tables(index_path(journal_home))
    assert cold.keys() == stepped.keys()
    for name in cold:
        assert cold[name] == stepped[name], name
    # Not hollow: every kind of row is there, the text in every script, and the files that failed.
    assert len(cold["books"]) == count and len(cold["files"]) == count + 3
    assert sum(1 for row in cold["files"] if row[1] is not None) == 3
    assert {row[2] for row in cold["parts"]} == {"title", "review", "reflection", "quote", "pick"}
    assert all(row[0] == row[1] for row in cold["parts"] + cold["cjk"])  # each part is its own book's
    assert cold["parts rows"] == [(len(cold["parts"]),)] == cold["ranges"]
    assert len(cold["cjk"]) == len(range(0, count, 50)) + len(range(0, count, 70))
    assert cold["match 灯台の光"] and cold["match ช่องว่าง"] and cold["match lantern"]
    assert cold["moments"] and cold["pick_titles"] and cold["book_reads"] and cold["book_keys"]


def test_books_that_tie_in_a_search_come_in_name_order_after_a_cold_build(run, journal_home):
    """A cold build takes the files in name order, not the folder's (which differs between devices and
    file systems): books with the same text rank the same, and then come in the order of their rows, so in
    name order, the same on every device. Names made out of order on purpose."""
    import json
    import random

    books = journal_home / "books"
    books.mkdir(parents=True, exist_ok=True)
    slugs = [f"ledger-{random.Random(n).getrandbits(32):08x}" for n in range(260)]
    for slug in slugs:
        (books / f"{slug}.toml").write_text(
            f'schema = 2\ntitle = "Ledger {slug[7:]}"\nauthors = ["Ann Marlow"]\nstatus = "read"\n'
            '\n[review]\nbody = "A quiet harbour at dusk."\n'
        )
    run("reindex")
    found = [hit["slug"] for hit in json.loads(run("search", "harbour", "--json", "--limit", "500").stdout)]
    assert found == sorted(slugs)


_LOAD_MANY = """
import json, multiprocessing, sys
from pathlib import Path
from readlog.index.pool import load_many
from readlog.index.schema import Packed
from readlog.journal import BookLoader

def main():
    root, count = Path(sys.argv[1]), int(sys.argv[2])
    slugs = sorted(p.name[:-5] for p in (root / "books").iterdir())[:count]
    seen = []
    for item in load_many(BookLoader(root), slugs):
        if isinstance(item, Packed):
            seen += [[slug, slug in item.failed] for slug in item.slugs]
        else:
            seen.append([item[0], isinstance(item[1], Exception)])
    print(json.dumps({"slugs": slugs, "seen": seen, "left": len(multiprocessing.active_children())}))

if __name__ == "__main__":
    main()
"""


@pytest.mark.parametrize("count", [3, PARALLEL_FROM + 400])
def test_every_book_comes_once_and_in_order(books, journal_home, tmp_path, count):
    """index.pool.load_many gives every book once, in order, as rows or the error that stopped it, whether
    parsed by the workers or (a few) in this process; no worker outlives it."""
    _journal(books, PARALLEL_FROM + 400)
    script = tmp_path / "load_many.py"
    script.write_text(_LOAD_MANY)
    done = subprocess.run(
        [sys.executable, str(script), str(journal_home), str(count)],
        capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    answer = json.loads(done.stdout)
    assert [slug for slug, _ in answer["seen"]] == answer["slugs"]
    assert len(answer["slugs"]) == min(count, PARALLEL_FROM + 403)
    failed = {slug for slug, bad in answer["seen"] if bad}
    assert failed == {"book-00400-broken", "book-01200-bad", "zz-last-broken"} & set(answer["slugs"])
    assert answer["left"] == 0  # no worker outlives the build
