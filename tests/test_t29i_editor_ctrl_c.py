"""Try-out 29b #2: Ctrl-C while $EDITOR ran (`review BOOK --edit`, `add ... --edit`) kept the text typed so far
as a draft but said only "cancelled: nothing more was done", so the reader took it for lost. The line now
names the draft and the command that takes it up, as a failed editor's error does; a draft holding nothing
typed (the bare template) is still not kept, and the line stays the plain one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import write_editor

EDITOR = """import signal, sys, time
from pathlib import Path
signal.signal(signal.SIGINT, signal.SIG_DFL)  # (killed by Ctrl-C, as sh and most editors are: no traceback)
if {typed!r}:
    with open(sys.argv[1], "a", encoding="utf-8") as draft:
        draft.write({typed!r})
Path({ready!r}).touch()
time.sleep(60)
"""


def _ctrl_c_in_the_editor(tmp_path: Path, typed: str, *args: str) -> tuple[int, str]:
    """`readlog ARGS` with an editor that writes `typed` and waits; Ctrl-C to the process group then, as a
    terminal sends it (SIGINT's default given back: the suite may run where it is ignored)."""
    ready = tmp_path / "in-the-editor"
    editor = write_editor(tmp_path, EDITOR.format(typed=typed, ready=str(ready)))

    def as_on_a_terminal() -> None:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.setpgrp()

    process = subprocess.Popen(
        [sys.executable, "-m", "readlog", *args],
        env={**os.environ, "EDITOR": editor}, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, preexec_fn=as_on_a_terminal,  # noqa: PLW1509 - no threads
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    return process.returncode, err


@pytest.mark.parametrize(
    ("args", "back"),
    [
        (("review", "piranesi", "--edit"), "readlog review piranesi --draft {}"),
        (("add", "Klara and the Sun", "-a", "Kazuo Ishiguro", "--finished", "2024-05-01", "--edit"),
         "readlog add 'Klara and the Sun' --author 'Kazuo Ishiguro' --finished 2024-05-01 --draft {}"),
    ],
)  # fmt: skip
def test_ctrl_c_in_the_editor_names_the_kept_draft_and_its_way_back(run, journal_home, tmp_path, args, back):
    run("add", "Piranesi", "-a", "Susanna Clarke", "--finished", "2024-05-01")
    code, err = _ctrl_c_in_the_editor(tmp_path, "A paragraph I care about.\n", *args)
    drafts = list((journal_home / "drafts").iterdir())
    assert code == 130 and len(drafts) == 1, err
    assert "A paragraph I care about." in drafts[0].read_text()
    name = drafts[0].stem
    assert err.strip().splitlines() == [
        f"readlog: cancelled: nothing was saved; your text is kept in {drafts[0]}: `{back.format(name)}` "
        "takes it up again"
    ], err
    assert "review" not in (journal_home / "books" / "piranesi.toml").read_text()
    assert not (journal_home / "books" / "klara-and-the-sun.toml").exists()


def test_ctrl_c_in_the_editor_on_the_bare_template_keeps_no_draft(run, journal_home, tmp_path):
    run("add", "Piranesi", "-a", "Susanna Clarke", "--finished", "2024-05-01")
    code, err = _ctrl_c_in_the_editor(tmp_path, "", "review", "piranesi", "--edit")
    assert code == 130 and err.strip() == "readlog: error: cancelled: nothing more was done", err
    assert not list((journal_home / "drafts").glob("*"))
