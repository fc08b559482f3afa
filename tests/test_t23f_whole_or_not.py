"""A book file `stats` and `site` could not read is said where a script or a reader looks: `stats --json`
names it in the data (`unreadable`), `site`'s summary line counts it. The array `list --json` prints stays
an array (the warning names the file)."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def broken(run, books):
    run("add", "Kindred", "-a", "Octavia E. Butler", "--rating", "5")
    path = books / "dune.toml"
    path.write_text('title = "Dune"\nauthors = ["Frank Herbert"]\nrating = 4x\n')
    return path


def test_list_prints_what_it_read_and_names_the_file(run, broken):
    result = run("list", "--json")
    listed = json.loads(result.stdout)
    assert [item["slug"] for item in listed] == ["kindred"]
    assert f"skipped {broken}:3:11: invalid TOML: rating: `4x`" in result.stderr


def test_stats_json_names_what_it_left_out(run, broken):
    result = run("stats", "--json")
    data = json.loads(result.stdout)
    assert data["unreadable"] == [
        {"path": str(broken), "line": 3, "column": 11, "message": data["unreadable"][0]["message"]}
    ]
    assert data["unreadable"][0]["message"].startswith("invalid TOML: rating:")


def test_a_sound_journal_exits_0_with_an_empty_unreadable(run, books):
    run("add", "Kindred", "-a", "Octavia E. Butler", "--rating", "5")
    assert json.loads(run("stats", "--json").stdout)["unreadable"] == []
    run("list", "--json")


def test_site_says_in_its_summary_how_many_it_left_out(run, broken, tmp_path):
    result = run("site", str(tmp_path / "out"))
    assert "1 book file left out: could not be read" in result.stderr
    assert (tmp_path / "out" / "index.html").exists()  # the rest is built
    broken.write_text('title = "Dune"\nauthors = ["Frank Herbert"]\nrating = 4\n')
    assert "left out" not in run("site", str(tmp_path / "out")).stderr
