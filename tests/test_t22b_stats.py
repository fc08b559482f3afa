"""`readlog stats` says nothing of re-reads when there are none (session 21's try-out: "0 books read more
than once" under every journal); `--json` still gives the number, 0."""

from __future__ import annotations

import json


def test_no_rereads_no_line(run):
    run("add", "Dune", "--author", "Frank Herbert", "--status", "read", "--finished", "2024-03-01")
    run("add", "Emma", "--author", "Jane Austen", "--status", "read", "--finished", "2024-05-01")
    out = run("stats").stdout
    assert "2 readings finished" in out
    assert "more than once" not in out
    assert json.loads(run("stats", "--json").stdout)["rereads"] == 0


def test_near_miss_one_reread_is_said(run):
    run("add", "Dune", "--author", "Frank Herbert", "--status", "read", "--finished", "2024-03-01")
    run("start", "dune", "--date", "2024-06-01")
    run("finish", "dune", "--date", "2024-07-01")
    out = run("stats").stdout
    assert "1 book read more than once" in out
    assert json.loads(run("stats", "--json").stdout)["rereads"] == 1
