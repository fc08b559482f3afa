"""A command whose output is the whole journal (`list`, `stats`, `site`, as `export`) and that left out a
book file it could not read says so where a script looks: the exit status (1, after all it could print),
and for `stats --json` the data itself (`unreadable`). The array `list --json` prints stays an array."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def broken(run, books):
    run("add", "Kindred", "-a", "Octavia E. Butler", "--rating", "5")
    path = books / "dune.toml"
    path.write_text('title = "Dune"\nauthors = ["Frank Herbert"]\nrating = 4x\n')
    return path


def test_list_prints_what_it_read_then_exits_1(run, broken):
    result = run("list", "--json", code=1)
    listed = json.loads(result.stdout)
    assert [item["slug"] for item in listed] == ["kindred"]
    assert f"skipped {broken}:3:11" in result.stderr
    assert "1 book file could not be read and is not listed" in result.stderr
    assert "kindred" in run("list", "--format", "tsv", code=1).stdout


def test_stats_json_names_what_it_left_out(run, broken):
    result = run("stats", "--json", code=1)
    data = json.loads(result.stdout)
    assert data["unreadable"] == [
        {"path": str(broken), "line": 3, "column": 11, "message": data["unreadable"][0]["message"]}
    ]
    assert data["unreadable"][0]["message"].startswith("invalid TOML: rating:")
    assert "is not counted" in result.stderr


def test_a_sound_journal_exits_0_with_an_empty_unreadable(run, books):
    run("add", "Kindred", "-a", "Octavia E. Butler", "--rating", "5")
    assert json.loads(run("stats", "--json").stdout)["unreadable"] == []
    run("list", "--json")


def test_site_says_in_its_summary_how_many_it_left_out(run, broken, tmp_path):
    result = run("site", str(tmp_path / "out"), code=1)
    assert "1 book file left out: could not be read" in result.stderr
    assert "is not in the site" in result.stderr
    assert (tmp_path / "out" / "index.html").exists()  # the rest is built
    broken.write_text('title = "Dune"\nauthors = ["Frank Herbert"]\nrating = 4\n')
    assert "left out" not in run("site", str(tmp_path / "out")).stderr
