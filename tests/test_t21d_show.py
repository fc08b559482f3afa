"""What `show` says (session 21's try-out): an abandoned reading is not "Read", a quote that brings its own
quote marks gets none added, and `next --suggest`'s note on too little history wraps between words at 40
columns (on a real pseudo-terminal)."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
from pathlib import Path


def write(books: Path, slug: str, body: str) -> None:
    books.mkdir(parents=True, exist_ok=True)
    (books / f"{slug}.toml").write_text(body, encoding="utf-8")


def header_line(run, slug: str) -> str:
    lines = [line.strip("│ ") for line in run("show", slug).stdout.splitlines()]
    found = [line for line in lines if re.match(r"(Read|Reading|Abandoned|\d+ readings)\b", line)]
    assert len(found) == 1, lines
    return found[0]


def test_an_abandoned_book_without_dates_says_abandoned_not_read(run, books):
    """The try-out's white-fang (a Goodreads did-not-finish shelf: status abandoned, one empty reading).
    Mutation: the "Abandoned" label taken out (the label as it was): "Read: date unknown", and this fails."""
    write(
        books,
        "white-fang",
        'title = "White Fang"\nauthors = ["Jack London"]\nstatus = "abandoned"\n\n[[reads]]\n',
    )
    assert header_line(run, "white-fang") == "Abandoned: date unknown"


def test_an_abandoned_reading_with_dates_and_among_others(run, books):
    write(
        books, "started", 'title = "Started"\nauthors = ["A B"]\nstatus = "abandoned"\n\n'
        "[[reads]]\nstarted = 2024-01-01\n",
    )  # fmt: skip
    assert header_line(run, "started") == "Abandoned: 2024-01-01 → stopped"
    write(
        books, "stopped", 'title = "Stopped"\nauthors = ["A B"]\nstatus = "abandoned"\n\n'
        "[[reads]]\nstarted = 2024-01-01\nstopped = 2024-02-01\n",
    )  # fmt: skip
    assert header_line(run, "stopped") == "Abandoned: 2024-01-01 → stopped 2024-02-01"
    write(
        books, "twice", 'title = "Twice"\nauthors = ["A B"]\nstatus = "abandoned"\n\n'
        "[[reads]]\nfinished = 2020-01-01\n\n[[reads]]\n",
    )  # fmt: skip
    assert header_line(run, "twice") == "2 readings: 2020-01-01; abandoned, date unknown"
    write(books, "done", 'title = "Done"\nauthors = ["A B"]\nstatus = "read"\n\n[[reads]]\n')
    assert header_line(run, "done") == "Read: date unknown"  # a finished book's undated reading is read


def test_a_quote_with_its_own_quote_marks_gets_none_added(run):
    """The try-out's ““This truck…””. Mutation: `quoted` adding marks whatever the text begins with:
    the marks are doubled again, and this fails."""
    run("add", "Old Truck", "-a", "A B")
    run("quote", "old truck", "“This truck is old,” he said.")
    run("quote", "old truck", "A plain line")
    out = run("show", "old-truck").stdout
    assert "“This truck is old,” he said." in out and "““" not in out and "””" not in out
    assert "“A plain line”" in out
    recalled = run("recall").stdout
    assert "“This truck is old,” he said." in recalled and "““" not in recalled
    assert "“A plain line”" in recalled


def on_pty(args: list[str], env: dict[str, str], columns: int) -> str:
    """readlog with stdin, stdout and stderr on one pseudo-terminal `columns` wide: what it wrote."""
    import fcntl
    import struct
    import termios

    main, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "readlog", *args], stdin=secondary, stdout=secondary, stderr=secondary,
        env=env, close_fds=True,
    )  # fmt: skip
    os.close(secondary)
    out = b""
    while True:
        ready, _, _ = select.select([main], [], [], 20)
        if not ready:
            process.kill()
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    process.wait(timeout=20)
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.decode()).replace("\r", "")


def test_the_note_on_too_little_history_wraps_between_words_at_40_columns(run, journal_home):
    """The try-out: "... ranked from what t|here is". Mutation: the note written without `wrap` (one long
    line the terminal cuts where it must): a line of it is wider than 40 columns, and this fails."""
    run("add", "Read One", "-a", "A B", "-r", "4")
    run("add", "Wanted", "-a", "C D", "--status", "want")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(READLOG_HOME=str(journal_home), TERM="xterm-256color", READLOG_PAGER="")
    out = on_pty(["next", "--suggest"], env, 40)
    lines = out.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("suggestions need more history"))
    note = []
    for line in lines[start:]:
        note.append(line)
        if line.rstrip().endswith("there is"):
            break
    assert all(len(line) <= 40 for line in note), note
    words = " ".join(note).split()
    assert words[-4:] == ["from", "what", "there", "is"], note
    assert len(note) > 1
