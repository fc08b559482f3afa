"""An import into an empty journal matches each row against the books it put before it (_Landed): a row that
shares no key and no title tie with any of them (most rows) is not matched at all (_Landed.none_like), since
_match could only answer (None, []). That shortcut must change nothing: every row it answers, _match
answers the same; the books, the index and every message are the same to the byte with it and without it,
over the real exports and over a file made of what matching a file against itself turns on (the same row
twice, re-reads, one title by two authors, an authorless row, places in a series, subtitles, ISBNs shared
by other volumes), small (read first) and big (written as it is read, by the parsing workers)."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import snapshot
from readlog import importers
from readlog.cli import app
from test_import_export import GR_HEADER, gr_row, write_csv
from test_import_pipeline import _rows
from test_import_streaming import _content

FIXTURES = Path(os.environ.get("READLOG_TEST_IMPORTS", "/work/shared/fixtures/imports"))
REAL = sorted(
    p
    for p in FIXTURES.rglob("*")
    if p.is_file() and p.suffix in (".csv", ".json", ".tsv") and "SOURCES" not in p.name
)


DUNE, SAGA_3, HANDMAID = '="9780441013593"', '="9781607066927"', '="0385490819"'
READ = {"Date Read": "2021/05/01", "Read Count": "2"}


def _tangled() -> list[dict[str, str]]:
    """Rows matching turns on: each pair or group below is one book, two, or a maybe, by identity's rules (ids
    of their own: none of _rows')."""
    rows = [
        ("1", "Dune", "Frank Herbert", {"ISBN13": DUNE}),
        ("1", "Dune", "Frank Herbert", {"ISBN13": DUNE}),  # the same row twice
        ("2", "Dune", "Frank Herbert", READ),  # a re-read
        ("3", "The Dune", "Frank Herbert", {}),
        ("4", "Poems", "Emily Dickinson", {}),
        ("5", "Poems", "Walt Whitman", {}),  # one title, two authors
        ("6", "Poems", "", {}),  # and none
        ("7", "Saga, Vol. 2", "Brian K. Vaughan", {}),
        ("8", "Saga #2", "Brian K. Vaughan", {}),
        ("9", "Saga (Saga, #2)", "Brian K. Vaughan", {}),
        ("10", "Saga, Vol. 3", "Brian K. Vaughan", {"ISBN13": SAGA_3}),
        ("11", "Saga, Vol. 4", "Brian K. Vaughan", {"ISBN13": SAGA_3}),  # another volume's ISBN
        ("12", "Saga", "Brian K. Vaughan", {}),
        ("13", "Earthsea: The Farthest Shore", "Ursula K. Le Guin", {}),
        ("14", "The Farthest Shore", "Ursula K. Le Guin", {}),
        ("15", "The Farthest Shore (Earthsea Cycle, #3)", "Ursula Le Guin", {}),
        ("16", "Wait. What?", "James E. Ryan", {}),
        ("17", "Wait", "James E. Ryan", {}),
        ("18", "Notes. One", "A Writer", {}),
        ("19", "Notes: One", "A. Writer", {}),
        ("20", "The Handmaid's Tale", "Margaret Atwood", {"ISBN": HANDMAID}),
        ("21", "The Handmaids Tale", "Margaret Atwood", {}),
        ("22", "Other Title", "Someone", {"ISBN": HANDMAID}),  # its ISBN, another title
        ("23", "It", "Stephen King", {"Date Read": "2019/01/01", "Read Count": "1"}),
        ("23", "It", "Stephen King", READ),
        ("24", "It", "Richard Bachman", {}),
        ("25", "L'Étranger", "Albert Camus", {}),
        ("26", "Étranger", "Albert Camus", {}),
        ("27", "", "Nobody", {}),  # a reject
        ("28", "Dune Messiah (Dune #2)", "Frank Herbert", {}),
        ("29", "Dune Messiah", "Frank Herbert", {}),
    ]
    return [gr_row(**{"Book Id": f"9{n:0>4}", "Title": t, "Author": a, **more}) for n, t, a, more in rows]


def _exports(tmp_path: Path) -> list[Path]:
    small = write_csv(tmp_path / "tangled.csv", GR_HEADER, _tangled())
    # The same rows spread through a big export (written as it is read: its parsing workers, the recorder),
    # each again far from its first, after the rows that name nothing else.
    big_rows = _rows(1200)
    for n, row in enumerate(_tangled()):
        big_rows.insert(37 * n + 5, row)
    big_rows += _tangled()
    big = write_csv(tmp_path / "tangled-big.csv", GR_HEADER, big_rows)
    return [small, big, *REAL]


def _import(run, monkeypatch, tmp_path: Path, name: str, export: Path, shortcut: bool):
    home, cache = tmp_path / name, tmp_path / f"{name}-cache"
    monkeypatch.setenv("READLOG_HOME", str(home))
    monkeypatch.setenv("READLOG_CACHE", str(cache))
    if not shortcut:
        monkeypatch.setattr(importers._Landed, "none_like", lambda *_: False)
    result = run.runner.invoke(app, ["import", str(export)])  # (some rows rejected: exit 1)
    assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output
    monkeypatch.undo()
    return home, cache, result


def test_the_shortcut_leaves_what_matching_every_row_leaves(tmp_path, run, monkeypatch):
    for export in _exports(tmp_path):
        name = export.stem
        full_home, full_cache, full = _import(run, monkeypatch, tmp_path, f"{name}-full", export, False)
        home, cache, said = _import(run, monkeypatch, tmp_path, f"{name}-short", export, True)
        assert (said.exit_code, said.stdout, said.stderr.replace("-short", "-full")) == (
            full.exit_code,
            full.stdout,
            full.stderr,
        ), export
        assert snapshot(home) == snapshot(full_home), export  # (the books, the import's record)
        if list(full_cache.glob("index-*.sqlite3")):  # (a file refused whole: no index made)
            assert _content(cache) == _content(full_cache), export


def test_every_row_the_shortcut_answers_match_answers_the_same(tmp_path, run, monkeypatch, journal_home):
    """The shortcut asked beside the full matching, row by row: where it answers, _match's answer is (None,
    []); it answers most rows (the `_match` calls left: rows tied to an earlier one), never all of them."""
    answered, asked = [], []
    take, match = importers._Taking.take, importers._Taking._match

    def checked_take(self, row):  # type: ignore[no-untyped-def]
        live = self.landed if self.landed and self.landed.live() else None
        if live is not None and live.none_like(row.known[7], row.known[2], self.new_keys):
            assert match(self, row, live) == (None, []), row.title
            answered.append(row.title)
        return take(self, row)

    def counted_match(self, row, live):  # type: ignore[no-untyped-def]
        asked.append(row.title)
        return match(self, row, live)

    monkeypatch.setattr(importers._Taking, "take", checked_take)
    monkeypatch.setattr(importers._Taking, "_match", counted_match)
    for export in _exports(tmp_path):
        answered.clear()
        asked.clear()
        home = tmp_path / f"{export.stem}-checked"
        monkeypatch.setenv("READLOG_HOME", str(home))
        monkeypatch.setenv("READLOG_CACHE", str(tmp_path / f"{export.stem}-checked-cache"))
        assert run.runner.invoke(app, ["import", str(export)]).exit_code in (0, 1)
        assert answered or not (home / "books").exists(), export  # (a file refused whole: no row taken)
        if export.name.startswith("tangled"):
            assert asked, export  # (the tangled rows are matched in full)
            assert "Poems" in asked


def test_a_row_tied_to_no_earlier_book_is_not_matched(tmp_path, run, monkeypatch, journal_home):
    """1,200 rows of other works into an empty journal: none is matched against the rows before it (on the
    old code, _match was asked once per row)."""
    calls = []
    match = importers._match
    monkeypatch.setattr(importers, "_match", lambda *a, **k: calls.append(a[1]) or match(*a, **k))
    export = write_csv(tmp_path / "export.csv", GR_HEADER, [r for r in _rows(1200) if r["Title"]])
    run("import", str(export), code=1)  # (a rating out of range: rejected)
    assert calls == []
    assert len(list((journal_home / "books").glob("*.toml"))) == 1198
