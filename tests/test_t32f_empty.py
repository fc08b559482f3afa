"""Try-out 32a #9: one answer from every command that only reads, over a journal folder that is not there.
A folder somebody named (`$READLOG_HOME`, `--data-dir`, the config file) is a typo until it exists: one line,
exit 1, for `list` as for `next` and `stats` (`list` said "No journal at ...", exit 0). The default folder of
a new user, which nobody named, is a journal with nothing in it yet: a note, an empty answer, exit 0, for
`next` and `stats` as for `list` (they said an error, exit 1). A backup, a site, `check` and `show BOOK` are
whole or fail either way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

READ_ONLY = [
    (["list"], "list"),
    (["list", "--json"], "list"),
    (["next"], "list"),
    (["next", "--json"], "list"),
    (["stats"], "count"),
    (["stats", "--json"], "count"),
    (["search", "sea"], "search"),
    (["tags"], "count"),
    (["recall"], "recall"),
    (["series"], "list"),
    (["next", "--suggest"], "suggest"),
]


@pytest.mark.parametrize(("args", "what"), READ_ONLY)
def test_a_named_folder_that_is_not_there_is_one_error(run, tmp_path: Path, args, what) -> None:
    typo = tmp_path / "jornal"
    for env, origin in ({"READLOG_HOME": str(typo)}, "$READLOG_HOME"), ({}, "--data-dir"):
        words = [*args, "--data-dir", str(typo)] if origin == "--data-dir" else args
        refused = run(*words, code=1, env=env)
        assert refused.stdout == ""
        assert refused.stderr.strip() == (
            f"readlog: error: {origin} names {typo}, which does not exist: nothing to {what}"
        )
    assert not typo.exists()


@pytest.mark.parametrize(("args", "what"), READ_ONLY)
def test_a_new_users_default_folder_is_an_empty_journal(run, tmp_path: Path, args, what) -> None:
    env = {"READLOG_HOME": "", "XDG_DATA_HOME": str(tmp_path / "share"), "HOME": str(tmp_path)}
    result = run(*args, env=env)
    default = tmp_path / "share" / "readlog"
    assert "error" not in result.stderr
    assert f"No journal at {default} yet: `readlog add` creates it." in result.stderr
    assert result.stderr.count("No journal at") == 1
    if "--json" in args:
        json.loads(result.stdout)  # (an empty answer, as JSON)
    assert not default.exists()


@pytest.mark.parametrize(
    ("args", "what"), [(["export"], "export"), (["check"], "check"), (["show", "dune"], "show")]
)
def test_a_backup_a_check_and_a_book_are_no_answer_over_no_journal(run, tmp_path: Path, args, what) -> None:
    env = {"READLOG_HOME": "", "XDG_DATA_HOME": str(tmp_path / "share"), "HOME": str(tmp_path)}
    refused = run(*args, code=1, env=env)
    assert refused.stdout == "" and f"nothing to {what} (`readlog add` creates it)" in refused.stderr
