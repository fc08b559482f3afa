"""--color and READLOG_COLOR on a real pseudo-terminal: `never` writes no escape code on stdout or stderr,
`always` colours through a pipe whatever NO_COLOR and TERM say, and a broken config file still prints its
own error."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

ESC = b"\x1b"


def on_pty(
    args: list[str], env: dict[str, str], columns: int = 100, stdout: int | None = None
) -> tuple[bytes, int]:
    """readlog with stdin, stdout and stderr on one pseudo-terminal (stdout elsewhere if given: `stdout=
    subprocess.DEVNULL`, `>/dev/null`): every byte it wrote there, and its exit code."""
    import fcntl
    import struct
    import termios

    main, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "readlog", *args],
        stdin=secondary,
        stdout=secondary if stdout is None else stdout,
        stderr=secondary,
        env=env,
        close_fds=True,
    )
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
    return out, process.wait(timeout=20)


@pytest.fixture
def env(journal_home: Path, tmp_path: Path, run) -> dict[str, str]:
    run("add", "Klara and the Sun", "-a", "Kazuo Ishiguro", "-r", "4.5", "--review", "A quiet one.")
    run("start", "klara-and-the-sun")
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    return {**base, "READLOG_HOME": str(journal_home), "TERM": "xterm-256color", "READLOG_PAGER": ""}


# show (data), list (a footer on stderr), an error, a note on stderr (a guessed title)
COMMANDS = [["show", "klara"], ["list"], ["show", "no such book at all"], ["show", "klaar"], ["stats"]]


@pytest.mark.parametrize("how", ["option", "variable", "config"])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_never_writes_no_escape_anywhere(env, tmp_path, how, args):
    if how == "option":
        args = [*args, "--color", "never"]
    elif how == "variable":
        env = {**env, "READLOG_COLOR": "never"}
    else:
        config = tmp_path / "colour.toml"
        config.write_text('color = "never"\n')
        env = {**env, "READLOG_CONFIG": str(config)}
    out, _ = on_pty(args, env)
    assert out.strip() and ESC not in out, out


def test_auto_on_a_terminal_does_colour(env):
    out, _ = on_pty(["show", "no such book at all"], env)  # the error, red
    assert b"\x1b[31m" in out or b"\x1b[91m" in out, out
    assert ESC in on_pty(["show", "klara"], env)[0]


def test_always_beats_no_color_and_a_dumb_terminal_even_piped(env):
    env = {**env, "NO_COLOR": "1", "TERM": "dumb"}
    shown = subprocess.run(
        [sys.executable, "-m", "readlog", "--color", "always", "show", "klara"], env=env, capture_output=True
    )
    assert ESC in shown.stdout
    error = subprocess.run(
        [sys.executable, "-m", "readlog", "show", "nothing like it", "--color", "always"],
        env=env,
        capture_output=True,
    )
    assert error.returncode == 1 and error.stderr.startswith(b"\x1b[") and b"readlog: error:" in error.stderr
    # and READLOG_COLOR=always the same
    error = subprocess.run(
        [sys.executable, "-m", "readlog", "show", "nothing like it"],
        env={**env, "READLOG_COLOR": "always"},
        capture_output=True,
    )
    assert ESC in error.stderr


def test_never_beats_force_color(env):
    env = {**env, "FORCE_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "readlog", "--color", "never", "show", "nothing like it"],
        env=env,
        capture_output=True,
    )
    assert ESC not in result.stderr and b"readlog: error:" in result.stderr


@pytest.mark.parametrize("text", ['color = "purple"\n', "color = \n", "[list]\nlimit = -3\n"])
def test_a_broken_config_file_still_prints_its_own_error(env, tmp_path, text):
    config = tmp_path / "broken.toml"
    config.write_text(text)
    out, code = on_pty(["list"], {**env, "READLOG_CONFIG": str(config)})
    assert code == 1
    assert b"Traceback" not in out and f"readlog: error: {config}".encode() in out, out
    out, code = on_pty(["list", "--color", "never"], {**env, "READLOG_CONFIG": str(config)})
    assert code == 1 and ESC not in out and b"readlog: error:" in out, out


def test_never_draws_no_progress_bar_either(env, tmp_path):
    """A progress bar redraws its line with escape codes: with `never`, none is drawn."""
    rows = "".join(f"{n},Book {n},Author {n},4,read\n" for n in range(1, 400))
    export = tmp_path / "goodreads.csv"
    export.write_text("Book Id,Title,Author,My Rating,Exclusive Shelf\n" + rows)
    out, code = on_pty(["import", str(export), "--color", "never"], env)
    assert code == 0 and b"399 added" in out and ESC not in out, out[:400]
