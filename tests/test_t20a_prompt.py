"""The not-sure BOOK question, on a 40-column terminal: readlog wraps its lines between words (the try-out saw
the terminal break `How to Tak / e Smart Notes`). Through a pseudo-terminal, as a person meets it."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from readlog.text import cells, fold


@pytest.mark.parametrize(
    ("text", "width", "indent", "lines"),
    [
        ("short enough", 40, 5, ["short enough"]),  # near miss: nothing to do
        ("exactly ten", 11, 0, ["exactly ten"]),
        ("  1. slug (How to Take Smart Notes by Sönke Ahrens)", 30, 5,
         ["  1. slug (How to Take Smart", "     Notes by Sönke Ahrens)"]),
        ("  2. a-very-long-slug-of-a-book (T)", 16, 5, ["  2. a-very-", "     long-slug-", "     of-a-book", "     (T)"]),
        ("  1. x (被讨厌的勇气阿德勒的哲学课)", 16, 5, ["  1. x (被讨厌的", "     勇气阿德勒", "     的哲学课)"]),
    ],
)  # fmt: skip
def test_fold(text, width, indent, lines):
    assert fold(text, width, indent) == lines
    assert all(cells(line) <= width for line in lines)


def asked(args: list[str], env: dict[str, str], answer: bytes, columns: int = 40) -> str:
    """readlog on a pseudo-terminal `columns` wide: what it wrote, the question answered with `answer`."""
    return _on_terminal(args, env, lambda process, main: os.write(main, answer), columns)[0]


def _on_terminal(
    args: list[str],
    env: dict[str, str],
    at_question: Callable[[subprocess.Popen, int], object],
    columns: int = 40,
) -> tuple[str, int]:
    """readlog on a pseudo-terminal `columns` wide, `at_question(process, terminal)` called once it asks:
    what it wrote, and its exit code."""
    import fcntl
    import struct
    import termios

    main, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    import signal

    process = subprocess.Popen(
        [sys.executable, "-m", "readlog", *args],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        env=env,
        # (a suite run in the background, `.ci/run &`, ignores SIGINT, and a child would inherit that)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    os.close(secondary)
    out, sent = b"", False
    while True:
        ready, _, _ = select.select([main], [], [], 20)
        if not ready:
            process.kill()
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
        if not sent and out.rstrip().endswith((b"]:", b"?")):
            at_question(process, main)
            sent = True
    os.close(main)
    return out.decode().replace("\r\n", "\n"), process.wait(timeout=20)


@pytest.fixture
def env(journal_home: Path, run) -> dict[str, str]:
    # (being read: progress goes on only with a reading that is open, never a read book's: t25i)
    run("add", "How to Take Smart Notes", "-a", "Sönke Ahrens", "--status", "reading", input="")
    run(
        "add",
        "How to Take Smart Notes. One Simple Technique to Boost Writing, Learning and Thinking",
        "-a",
        "Sönke Ahrens",
        "--new",
        "--status",
        "reading",
        input="",
    )
    base = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return {**base, "READLOG_HOME": str(journal_home), "TERM": "xterm", "READLOG_PAGER": ""}


def test_the_choice_is_wrapped_between_words_at_40_columns(env):
    out = asked(["progress", "smart notes", "50%"], env, b"\n")
    lines = out.split("\n")
    assert "which? [1-2, Enter for" in out and "readlog: error: nothing was written" in out
    question = [line for line in lines if not line.startswith("readlog: error")]
    assert all(cells(line) <= 40 for line in question), question
    words = " ".join(line.strip() for line in question).split()
    for word in ("(How", "to", "Take", "Smart", "Notes", "Technique", "Ahrens)", "Boost", "Writing,"):
        assert word in words, (word, question)  # whole, never broken by the terminal


def test_one_candidate_is_asked_wrapped_and_answered(env, run, books):
    out = asked(["progress", "one simple technique", "50%"], env, b"y\n")
    lines = [line for line in out.split("\n") if line.strip()]
    question = lines[: next(i for i, line in enumerate(lines) if "[y/N]" in line) + 1]
    assert len(question) > 1 and all(cells(line) <= 40 for line in question), lines
    words = " ".join(question).split()
    assert words[words.index("Smart") : words.index("Simple") + 1] == ["Smart", "Notes.", "One", "Simple"]
    slug = "how-to-take-smart-notes-one-simple-technique-to-boost-writing-learning-and"
    assert "percent = 50" in (books / f"{slug}.toml").read_text()  # the answer was taken


def _interrupted_at_the_question(args: list[str], env: dict[str, str]) -> tuple[str, int]:
    """readlog on a pseudo-terminal, sent SIGINT (the reader's Ctrl-C) once it asks: what it wrote, its code."""
    import signal

    def ctrl_c(process: subprocess.Popen, main: int) -> None:
        waiting_for_the_reader(process.pid)
        process.send_signal(signal.SIGINT)

    return _on_terminal(args, env, ctrl_c)


def waiting_for_the_reader(pid: int) -> None:
    """Until the process waits in `read` for what the reader types, as a reader's Ctrl-C finds it. A signal
    sent the moment the question shows may come between Python writing the prompt and its `read`, which it
    would then wait in for good (CPython checks for signals before the call, not in it): on a loaded machine,
    now and then (not the reader's case: a person reads the question first)."""
    import time

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if Path(f"/proc/{pid}/syscall").read_text().split()[0] == "0":  # (read, on x86-64 Linux)
                return
        except (OSError, IndexError):
            break  # (no /proc: a moment instead)
        time.sleep(0.01)
    time.sleep(0.3)


def test_ctrl_c_at_a_question_is_a_cancel_with_exit_130(env, books):
    """Try-out 24b: Ctrl-C at any question printed Click's bare `Aborted!` with exit 1 (a failure, not the
    reader's cancel); now one readlog line and 130, as the shell's Ctrl-C, and nothing written."""
    before = {p.name: p.read_bytes() for p in books.iterdir()}
    for args in (["progress", "smart notes", "50%"], ["rm", "how-to-take-smart-notes"]):
        out, code = _interrupted_at_the_question(args, env)
        assert code == 130, (args, out)
        said = " ".join(out.split())  # (wrapped at the terminal's 40 columns)
        assert "readlog: error: cancelled: nothing more was done" in said and "Aborted" not in out, out
    assert {p.name: p.read_bytes() for p in books.iterdir()} == before
