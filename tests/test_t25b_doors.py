"""Try-out 25b: the doors. A bare git repository (the sync remote) given as the data folder is refused, as a
books folder is; Ctrl-C during a sync says what was done and that the next sync finishes it; the error after
Ctrl-C or end of input at a question starts on a line of its own; `add` on a terminal decides which book it
is before it asks `Finished when?`. Near misses beside each."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import snapshot
from test_query_policy import _on_terminal
from test_sync_git import Device, git_env, remote  # noqa: F401 - fixtures
from test_t23c_merge import slugs, toml


# --- 5. a bare git repository is no journal ----------------------------------------------------------------
def test_a_bare_repository_given_as_the_data_folder_is_refused(run, tmp_path, remote):
    """Try-out 25b finding 5: `READLOG_HOME=remote.git readlog add Zed -a Q` said `Added ...:
    remote.git/books/zed.toml`, a folder git never sees."""
    before = snapshot(remote)
    for args in (("add", "Zed", "-a", "Q"), ("list",), ("next",), ("sync",)):
        said = run(*args, code=1, env={"READLOG_HOME": str(remote)}).stderr
        assert f"{remote} is a bare git repository (a sync remote?), not a journal" in said, said
        assert len(said.strip().splitlines()) == 1, said
    assert snapshot(remote) == before and not (remote / "books").exists()
    # near misses: a journal synced through git (its repository in .git/), a journal folder named `x.git`
    laptop = Device(run, tmp_path / "laptop.git")
    laptop("add", "Zed", "-a", "Q", "--status", "want")
    laptop("sync", "init", str(remote))
    laptop("add", "Dune", "-a", "Frank Herbert", "--status", "want")
    assert slugs(laptop.home / "books") == ["dune", "zed"]


# --- 6a. Ctrl-C during a sync says what was done ------------------------------------------------------------
def _stopped_while_pushing(
    home: Path, remote: Path, tmp_path: Path, *first: str
) -> subprocess.CompletedProcess:
    """`readlog [first...] sync` with a remote whose pre-receive hook sends readlog Ctrl-C's signal, then
    sleeps and refuses (a push left halfway, as a slow remote stopped by the reader)."""
    pid_file = tmp_path / "readlog.pid"
    pid_file.unlink(missing_ok=True)
    hook = remote / "hooks" / "pre-receive"
    hook.write_text(
        f"#!/bin/sh\nwhile [ ! -s '{pid_file}' ]; do sleep 0.05; done\nkill -INT $(cat '{pid_file}')\n"
        "sleep 5\nexit 1\n"
    )
    hook.chmod(0o755)
    env = {**os.environ, "READLOG_HOME": str(home)}
    process = subprocess.Popen(
        [sys.executable, "-m", "readlog", *first, "sync"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # (.ci/run runs the suite in the background, where SIGINT is ignored and a child inherits that)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509 - no threads yet
    )
    pid_file.write_text(str(process.pid))
    out, err = process.communicate(timeout=60)
    hook.unlink()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


@pytest.mark.parametrize("first", [(), ("--color", "never")], ids=["plain", "command-line"])
def test_ctrl_c_while_a_sync_pushes_says_what_was_done_and_that_the_next_sync_finishes_it(
    run, tmp_path, remote, first
):
    """Try-out 25b finding 6: Ctrl-C during `sync` printed only `^C`, exit 130: nothing said the commit
    was made and the push was not. (`plain`: the sync run without the command line, readlog.__main__.)"""
    laptop = Device(run, tmp_path / "laptop")
    laptop("add", "Dune", "-a", "Frank Herbert", "--status", "want")
    laptop("sync", "init", str(remote))
    laptop("rate", "dune", "4")
    stopped = _stopped_while_pushing(laptop.home, remote, tmp_path, *first)
    assert stopped.returncode == 130, stopped
    said = stopped.stderr.strip().splitlines()
    assert said[-1:] == [
        "readlog: sync stopped: committed here, not pushed to origin; the next `readlog sync` pushes it"
    ], stopped.stderr
    assert "Traceback" not in stopped.stderr
    start = time.monotonic()
    done = laptop("sync").stderr  # the next sync pushes it
    assert "Pushed to" in done and time.monotonic() - start < 30, done


# --- 6b. the error after a question left starts on its own line --------------------------------------------
@pytest.mark.parametrize("key", [b"\x03", b"\x04"], ids=["ctrl-c", "end-of-input"])
def test_the_error_after_a_question_left_starts_on_a_line_of_its_own(run, books, tmp_path, key):
    """Try-out 25b finding 6: `...: ^Creadlog: error: cancelled: nothing more was done`."""
    asked = [(b"Finished when?", key)]
    code, shown = _on_terminal(["add", "Dune", "-a", "Frank Herbert"], asked, tmp_path, session=True)
    assert code == (130 if key == b"\x03" else 1), shown
    lines = shown.replace("\r", "").split("\n")
    errors = [line for line in lines if "readlog: error: cancelled" in line]
    assert errors and all(line.startswith("readlog: error: cancelled") for line in errors), shown
    assert slugs(books) == []


# --- 6c. which book it is, before `Finished when?` ------------------------------------------------------------
def test_add_on_a_terminal_refuses_a_book_there_already_before_asking_when_it_was_finished(
    run, books, tmp_path
):
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2020-01-01")
    before = snapshot(books)
    code, shown = _on_terminal(["add", "Dune", "-a", "Frank Herbert"], [], tmp_path)
    assert code == 1 and "already in the journal as 'dune'" in shown, shown
    assert "Finished when?" not in shown, shown
    assert snapshot(books) == before


def test_add_on_a_terminal_asks_about_a_maybe_first_then_when_it_was_finished(run, books, tmp_path):
    run("add", "Just Mercy: A Story of Justice and Redemption", "-a", "Bryan Stevenson", "--status", "want")
    args = ["add", "Just Mercy", "-a", "Bryan Stevenson"]
    code, shown = _on_terminal(args, [(b"[y/N]", b"")], tmp_path)  # no: nothing added, nothing more asked
    assert code == 1 and "Finished when?" not in shown, shown
    assert slugs(books) == ["just-mercy-a-story-of-justice-and-redemption"]
    answers = [(b"Add it as a separate book? [y/N]", b"y"), (b"Finished when?", b"2021-05-06")]
    code, shown = _on_terminal(args, answers, tmp_path)
    assert code == 0, shown
    assert shown.index("Add it as a separate book?") < shown.index("Finished when?"), shown
    assert [str(r["finished"]) for r in toml(books, "just-mercy")["reads"]] == ["2021-05-06"]
    # near miss: a book the journal does not have is asked when it was finished, as before
    args = ["add", "Piranesi", "-a", "Susanna Clarke"]
    code, shown = _on_terminal(args, [(b"Finished when?", b"2022")], tmp_path)
    assert code == 0 and "Add it as a separate book" not in shown, shown
