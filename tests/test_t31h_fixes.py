"""Session 31, t31h: `list --status read` lists every book read, as `stats` and the site count them
(try-out 31a #5); search finds a word beside the reader's own U+E000-U+E003 (31a #6); notes on stderr wrap
at word boundaries like errors (31b #5); a JSON backup restores a book file byte for byte (31a, rough)."""

from __future__ import annotations

import json
from pathlib import Path


def _listed(run, *args: str) -> list[str]:
    return sorted(line.split("\t")[0] for line in run("list", *args, "--format", "tsv").stdout.splitlines())


# --- try-out 31a #5: `list --status read --year Y` left out books read in Y and since started again ---------
def test_list_status_read_lists_every_book_read_whatever_its_status_now(run, books: Path):
    for title, day in (("Alpha", "2023-02-01"), ("Beta", "2023-03-01"), ("Gamma", "2023-04-01")):
        run("add", title, "-a", "Ann Author", "-r", "4", "--started", "2023-01-01", "--finished", day)
    run("add", "Delta", "-a", "Dee", "--finished", "2023-05-01")
    run("start", "alpha")  # read in 2023, reading again
    run("start", "beta")
    run("pause", "beta")  # read, started again and paused
    run("start", "gamma")
    run("abandon", "gamma")  # read, started again and given up
    delta = books / "delta.toml"  # read, and wanted again
    delta.write_text(delta.read_text(encoding="utf-8").replace('status = "read"', 'status = "want"'))
    run("add", "Epsilon", "-a", "Eve", "--status", "read")  # read on a day nobody wrote down
    # near misses: reading for the first time, never read, read in another year
    run("add", "Zeta", "-a", "Zed", "--status", "reading", "--started", "2023-06-01")
    run("add", "Eta", "-a", "Ed", "--status", "want")
    run("add", "Theta", "-a", "Tia", "--finished", "2022-12-31")
    stats = json.loads(run("stats", "--year", "2023", "--json").stdout)
    assert stats["finished"] == 4
    in_2023 = ["alpha", "beta", "delta", "gamma"]
    assert _listed(run, "--status", "read", "--year", "2023") == in_2023  # (was: none of them but delta)
    assert _listed(run, "--status", "read", "--from", "2023-03", "--to", "2023") == ["beta", "delta", "gamma"]
    assert _listed(run, "--status", "read") == ["alpha", "beta", "delta", "epsilon", "gamma", "theta"]
    assert _listed(run, "--status", "read", "--rating", ">=4") == ["alpha", "beta", "gamma"]
    assert _listed(run, "--status", "read,want") == ["alpha", "beta", "delta", "epsilon", "eta", "gamma", "theta"]
    # the other statuses are what each book is now
    assert _listed(run, "--status", "reading") == ["alpha", "zeta"]
    assert _listed(run, "--status", "want") == ["delta", "eta"]
    assert _listed(run, "--status", "reading", "--year", "2023") == ["alpha"]
    listed = json.loads(run("list", "--status", "read", "--year", "2023", "--json").stdout)
    assert {item["slug"]: item["status"] for item in listed} == {
        "alpha": "reading", "beta": "paused", "gamma": "abandoned", "delta": "want"
    }  # fmt: skip
    table = run("list", "--status", "read", "--format", "table").stdout
    assert "Alpha" in table and "Epsilon" in table and "Zeta" not in table
