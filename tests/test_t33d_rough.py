"""Review 32c #8 (rough): over a new user's missing default folder `list --format csv` printed no header,
while `next --format csv` and `list` of an empty journal do; and `Finished when?` / `--finished` took
`0000`, writing `finished = "0000"`: a year 0 is no date."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from test_s32_lead import _json_into_a_file

LIST = "slug,title,authors,status,rating,finished\n"


def _new_user(tmp_path: Path) -> dict[str, str]:
    return {"READLOG_HOME": "", "XDG_DATA_HOME": str(tmp_path / "share"), "HOME": str(tmp_path)}


@pytest.mark.parametrize(
    ("args", "header"),
    [
        (["list", "--format", "csv"], LIST),
        (["list", "--format", "csv", "--status", "reading"], LIST[:-1] + ",progress\n"),
        (["series", "--format", "csv"], "series,books,read,reading,want,next_slug,next_title\n"),
    ],
)
def test_csv_over_a_missing_default_folder_is_an_empty_journals(run, tmp_path, args, header) -> None:
    """One answer: the header alone, over the missing default folder as over an empty journal (series
    gave none over either); the note on stderr; no folder made."""
    missing = run(*args, env=_new_user(tmp_path))
    assert missing.stdout == header and "No journal at" in missing.stderr, missing.stderr
    assert not (tmp_path / "share" / "readlog").exists()
    (tmp_path / "empty" / "books").mkdir(parents=True)
    empty = run(*args, env={"READLOG_HOME": str(tmp_path / "empty")})
    assert empty.stdout == header


def test_tsv_over_a_missing_default_folder_is_still_nothing(run, tmp_path) -> None:
    """The near miss: tsv has no header: nothing on stdout, as an empty journal's."""
    assert run("list", "--format", "tsv", env=_new_user(tmp_path)).stdout == ""
    assert run("series", "--format", "tsv", env=_new_user(tmp_path)).stdout == ""


@pytest.mark.parametrize("given", ["0000", "0000-05", "0000-01-01"])
def test_a_year_0_is_no_date(run, journal_home, given) -> None:
    """`--finished 0000` wrote `finished = "0000"` (0000-01-01 was refused): the shared parser refuses a
    year 0 in every form, for every date option, in one line, as a usage error; nothing written."""
    said = run("add", "Dune", "-a", "Frank Herbert", "--finished", given, code=2).stderr
    assert said == f"readlog: error: --finished: '{given}' is not a valid date (year 0 is out of range)\n"
    assert not (journal_home / "books" / "dune.toml").exists()
    run("add", "Dune", "-a", "Frank Herbert", "--status", "reading")
    assert "year 0" in run("finish", "Dune", "--date", given, code=2).stderr
    assert "year 0" in run("list", "--from", given, code=2).stderr


def test_the_first_year_is_a_date(run, journal_home) -> None:
    """The near miss: 0001 is a year."""
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "0001")
    assert 'finished = "0001"' in (journal_home / "books" / "dune.toml").read_text(encoding="utf-8")


def test_a_book_file_with_a_year_0_is_named(run, books) -> None:
    """A file an older readlog wrote so (`finished = "0000"`) is a bad date like any other: named."""
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2020")
    path = books / "dune.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('"2020"', '"0000"'), encoding="utf-8")
    result = run("check", code=1)
    assert "year 0 is out of range" in result.stdout + result.stderr


def test_finished_when_asks_again_at_a_year_0(journal_home, tmp_path) -> None:
    """`Finished when?` took `0000`: said, and asked again."""
    journal_home.mkdir(exist_ok=True)
    out = tmp_path / "added.json"
    code, shown = _json_into_a_file(
        journal_home,
        out,
        ["add", "Dune", "-a", "Frank Herbert", "--json"],
        [(b"Finished when?", b"0000"), (b"'0000' is not a date", b"2021")],
    )
    assert code == 0, shown
    assert json.loads(out.read_text(encoding="utf-8"))["reads"][-1]["finished"] == "2021"
