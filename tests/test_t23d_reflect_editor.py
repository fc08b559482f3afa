"""`reflect` and `review` behave alike with an editor named and no terminal (t23d; try-out 22b): as git runs
core.editor when asked for a message, terminal or not, `--edit` runs the editor the reader named
($EDITOR...) under `</dev/null`; without TEXT and without `--edit`, a script is refused by both (naming
the ways to give the text), never sent into an editor it did not ask for; with no editor named and no
terminal, `--edit` is refused by both (the fallback `vi` needs a terminal). Run as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

import pytest

from conftest import write_editor

WRITES = "import sys\nopen(sys.argv[1], 'a').write('From the editor.\\n')\n"


def readlog(journal_home, *args: str, editor: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("EDITOR", "VISUAL", "READLOG_EDITOR")}
    env |= {"READLOG_HOME": str(journal_home)} | ({"EDITOR": editor} if editor else {})
    return subprocess.run(
        [sys.executable, "-m", "readlog", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def dune(run, books):
    run("add", "Dune", "-a", "Frank Herbert")
    return books / "dune.toml"


def test_edit_runs_the_named_editor_without_a_terminal(journal_home, dune, tmp_path):
    editor = write_editor(tmp_path, WRITES)
    done = readlog(journal_home, "reflect", "dune", "--edit", editor=editor)
    assert done.returncode == 0, done.stderr  # (mutation: reflect refuses without a terminal, as before)
    done = readlog(journal_home, "review", "dune", "--edit", editor=editor)
    assert done.returncode == 0, done.stderr
    data = tomllib.loads(dune.read_text(encoding="utf-8"))
    assert data["reflections"][0]["text"] == "From the editor."
    assert "From the editor." in data["review"]["body"]


def test_without_edit_a_script_is_refused_by_both(journal_home, dune, tmp_path, unchanged):
    editor = write_editor(tmp_path, WRITES)
    reflect = readlog(journal_home, "reflect", "dune", editor=editor)
    review = readlog(journal_home, "review", "dune", editor=editor)
    assert reflect.returncode != 0 and "--edit" in reflect.stderr and "- to read stdin" in reflect.stderr
    assert review.returncode != 0 and "--edit" in review.stderr
    unchanged()


def test_no_editor_named_and_no_terminal_is_refused_by_both(journal_home, dune, unchanged):
    for verb in ("reflect", "review"):
        done = readlog(journal_home, verb, "dune", "--edit", editor=None)
        assert done.returncode == 1 and "no terminal for an editor: set $EDITOR" in done.stderr, verb
    unchanged()


def test_text_with_edit_is_where_the_editor_starts(journal_home, dune, tmp_path):
    editor = write_editor(tmp_path, WRITES)
    done = readlog(journal_home, "reflect", "dune", "Begun here.", "--edit", editor=editor)
    assert done.returncode == 0, done.stderr
    (reflection,) = tomllib.loads(dune.read_text(encoding="utf-8"))["reflections"]
    assert reflection["text"].strip() == "Begun here.\nFrom the editor."


def test_draft_with_text_is_a_usage_error(run, dune):
    assert "--draft" in run("reflect", "dune", "words", "--draft", "dune", code=2).stderr
