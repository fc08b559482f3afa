"""Shell completion, driven as the shells drive it (Typer's scripts set _READLOG_COMPLETE and COMP_WORDS/
COMP_CWORD for bash, _TYPER_COMPLETE_ARGS for zsh): `--status` offers the statuses, and a BOOK completes
from the journal `--data-dir` names, before or after the command."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from readlog.index.schema import index_path

STATUSES = ["want", "reading", "read", "abandoned", "paused"]


def complete(env: dict[str, str], words: str, shell: str = "bash") -> list[str]:
    """What readlog offers for the last word of `words` (a trailing space: a new, empty word)."""
    env = {k: v for k, v in env.items() if not k.startswith(("COMP_", "_TYPER_COMPLETE"))}
    env["_READLOG_COMPLETE"] = f"complete_{shell}"
    if shell == "bash":
        env["COMP_WORDS"] = words
        env["COMP_CWORD"] = str(len(shlex.split(words)) - (0 if words.endswith(" ") else 1))
    else:
        env["_TYPER_COMPLETE_ARGS"] = words
    done = subprocess.run(
        [sys.executable, "-m", "readlog"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    if shell == "bash":
        return done.stdout.split()
    # zsh: _arguments '*: :(("value":"help" ...))', or `_files` for nothing
    import re

    return re.findall(r'"((?:[^"\\]|\\.)*)"(?::"(?:[^"\\]|\\.)*")?\s*(?=["\)])', done.stdout)


@pytest.fixture
def env(journal_home: Path) -> dict[str, str]:
    return {**os.environ, "READLOG_HOME": str(journal_home)}


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_list_status_offers_the_statuses(env, shell):
    assert complete(env, "readlog list --status ", shell) == STATUSES
    assert complete(env, "readlog list --status rea", shell) == ["reading", "read"]
    assert complete(env, "readlog list --status ab", shell) == ["abandoned"]
    assert complete(env, "readlog list --status x", shell) == []


def test_status_after_a_comma_offers_the_rest_with_what_came_before(env):
    assert complete(env, "readlog list --status read,w") == ["read,want"]
    assert complete(env, "readlog list --status read,") == [
        "read,want", "read,reading", "read,abandoned", "read,paused",
    ]  # fmt: skip


def test_add_status_offers_the_statuses(env):
    assert complete(env, "readlog add 'A Title' --status p") == ["paused"]
    assert complete(env, "readlog add --status ") == STATUSES


@pytest.fixture
def two_journals(run, tmp_path: Path, journal_home: Path) -> Path:
    """READLOG_HOME holds `alpine-road`; another folder, named only by --data-dir, holds `alpha-tale`."""
    other = tmp_path / "other"
    run("add", "Alpine Road", "-a", "Home Writer")
    run("--data-dir", str(other), "add", "Alpha Tale", "-a", "Other Writer")
    run("--data-dir", str(other), "list")  # (add keeps the index up to date; list is what a user runs)
    return other


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_data_dir_after_the_command_completes_from_that_journal(env, two_journals, shell):
    other = str(two_journals)
    assert complete(env, f"readlog rate --data-dir {other} al", shell) == ["alpha-tale"]
    assert complete(env, f"readlog show --data-dir={other} al", shell) == ["alpha-tale"]
    assert complete(env, f"readlog --data-dir {other} rate al", shell) == ["alpha-tale"]  # before: as it was
    assert complete(env, "readlog rate al", shell) == ["alpine-road"]  # none given: READLOG_HOME's


def test_data_dir_after_wins_over_one_before_as_when_the_command_runs(env, two_journals, journal_home):
    words = f"readlog --data-dir {journal_home} rate --data-dir {two_journals} al"
    assert complete(env, words) == ["alpha-tale"]


def test_a_missing_journal_after_the_command_offers_nothing_and_makes_no_index(env, two_journals, tmp_path):
    missing = tmp_path / "no-such-journal"
    assert complete(env, f"readlog rate --data-dir {missing} al") == []
    assert not missing.exists()
    assert not index_path(missing).exists()  # a TAB never builds an index


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash here")
def test_real_bash_runs_the_script_readlog_prints(env, two_journals, run, tmp_path):
    """The script `readlog completion bash` prints, sourced in bash, its function called as bash's
    `complete -F` calls it: COMPREPLY holds the statuses, and the books of --data-dir's journal."""
    script = tmp_path / "readlog.bash"
    script.write_text(run("completion", "bash").stdout)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "readlog").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m readlog "$@"\n')
    (bin_dir / "readlog").chmod(0o755)

    def reply(*words: str) -> list[str]:
        array = " ".join(f"'{w}'" for w in words)
        code = (
            f"source {script}; COMP_WORDS=({array}); COMP_CWORD={len(words) - 1}; "
            '_readlog_completion readlog; printf "%s\\n" "${COMPREPLY[@]}"'
        )
        path = f"{bin_dir}:{env['PATH']}"
        done = subprocess.run(
            ["bash", "--norc", "--noprofile", "-c", code], env={**env, "PATH": path},
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return [line for line in done.stdout.splitlines() if line]

    assert reply("readlog", "list", "--status", "") == STATUSES
    assert reply("readlog", "rate", "--data-dir", str(two_journals), "al") == ["alpha-tale"]
