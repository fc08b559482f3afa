"""Interactive flows on a real terminal: tmux runs readlog on a pseudo-terminal and types the answers."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
import uuid
from datetime import date

import pytest

from conftest import write_editor

COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-7]|38;[25];)")  # a foreground colour, not bold or italic

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed; these tests drive readlog's prompts with it"
)


class Terminal:
    def __init__(self) -> None:
        self.socket = f"readlog-test-{uuid.uuid4().hex[:8]}"

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return result.stdout

    def start(self, args: list[str], env: dict[str, str]) -> None:
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        # The tmux server inherits the test's environment (NO_COLOR, COLUMNS): a terminal starts without them.
        command = f"env -u NO_COLOR -u COLUMNS {exports} {shlex.quote(sys.executable)} -m readlog {shlex.join(args)}; echo EXIT=$?; sleep 60"
        self.tmux("new-session", "-d", "-x", "100", "-y", "30", command)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p")

    def wait_for(self, text: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-l", text)
        self.tmux("send-keys", "Enter")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, check=False)


@pytest.fixture
def terminal(journal_home):
    term = Terminal()
    yield term
    term.close()


def env_for(journal_home, **extra: str) -> dict[str, str]:
    return {"READLOG_HOME": str(journal_home), "PATH": os.environ["PATH"], "TERM": "xterm", **extra}


def test_add_asks_for_a_missing_title_and_author(terminal, journal_home, books):
    terminal.start(["add", "--rating", "4"], env_for(journal_home))
    terminal.wait_for("Title:")
    terminal.type("Never Let Me Go")
    terminal.wait_for("Author:")
    terminal.type("Kazuo Ishiguro")
    terminal.wait_for("Finished when?")
    terminal.type("")  # Enter: today
    terminal.wait_for("EXIT=0")
    data = tomllib.loads((books / "never-let-me-go.toml").read_text())
    assert (data["title"], data["authors"], data["rating"]) == ("Never Let Me Go", ["Kazuo Ishiguro"], 4)
    assert data["reads"] == [{"finished": date.today()}]


@pytest.mark.parametrize(("answer", "kept"), [("n", True), ("y", False)])
def test_rm_asks_before_removing(run, terminal, journal_home, books, answer, kept):
    run("add", "Dune", "-a", "Frank Herbert")
    terminal.start(["rm", "dune"], env_for(journal_home))
    terminal.wait_for("Remove “Dune” (dune)? [y/N]:")
    terminal.type(answer)
    terminal.wait_for("EXIT=")
    assert (books / "dune.toml").exists() is kept


def test_reflect_opens_the_editor_on_a_terminal(run, terminal, journal_home, books, tmp_path):
    run("add", "Dune", "-a", "Frank Herbert")
    editor = write_editor(
        tmp_path,
        "import sys\nopen(sys.argv[1], 'a').write('Fear is the mind-killer, and I believe it.\\n')\n",
    )
    terminal.start(["reflect", "dune", "--date", "2025-01-02"], env_for(journal_home, EDITOR=editor))
    terminal.wait_for("EXIT=0")
    reflections = tomllib.loads((books / "dune.toml").read_text())["reflections"]
    assert reflections[0]["text"] == "Fear is the mind-killer, and I believe it."
    assert not list((journal_home / "drafts").iterdir())


def test_show_on_a_terminal_uses_colour_and_no_color_turns_it_off(run, terminal, journal_home):
    run("add", "Dune", "-a", "Frank Herbert", "--rating", "4.5")
    terminal.start(["show", "dune"], env_for(journal_home, TERM="xterm-256color"))
    screen = terminal.wait_for("EXIT=0")
    assert "★★★★½ 4.5" in screen
    assert COLOUR.search(terminal.tmux("capture-pane", "-p", "-e"))
    terminal.close()
    plain = Terminal()
    try:
        plain.start(["show", "dune"], env_for(journal_home, TERM="xterm-256color", NO_COLOR="1"))
        plain.wait_for("EXIT=0")
        assert not COLOUR.search(plain.tmux("capture-pane", "-p", "-e"))
    finally:
        plain.close()


def test_edit_offers_to_edit_again_after_an_invalid_save(run, terminal, journal_home, books, tmp_path):
    run("add", "Dune", "-a", "Frank Herbert", "--rating", "4")
    counter = tmp_path / "count"
    editor = write_editor(
        tmp_path,
        "import sys, pathlib\n"
        f"count = pathlib.Path({str(counter)!r})\n"
        "n = int(count.read_text()) if count.exists() else 0\n"
        "count.write_text(str(n + 1))\n"
        "text = open(sys.argv[1]).read()\n"
        "bad, good = 'rating = 4\\n', 'rating = 4.5\\n'\n"
        "open(sys.argv[1], 'w').write(text.replace(bad, 'rating = 40\\n') if n == 0 else text.replace('rating = 40\\n', good))\n",
    )
    terminal.start(["edit", "dune"], env_for(journal_home, EDITOR=editor))
    screen = terminal.wait_for("Edit again? [Y/n]:")
    assert "rating: 40 is not a rating" in screen
    assert "rating = 4\n" in (books / "dune.toml").read_text()  # untouched while the edit is invalid
    terminal.type("y")
    terminal.wait_for("EXIT=0")
    assert "rating = 4.5\n" in (books / "dune.toml").read_text()
    assert not list((journal_home / "drafts").iterdir())


# --- the pager ------------------------------------------------------------------------------------------------
def pager_script(tmp_path):
    """A PAGER that records that it ran and what it was given, then prints it."""
    log = tmp_path / "paged.txt"
    script = write_editor(
        tmp_path,
        f"import sys\ntext = sys.stdin.read()\nopen({str(log)!r}, 'a').write(text)\nprint(text)\n",
        "pager.py",
    )
    return script, log


def long_book(run, lines: int = 60):
    review = "\n\n".join(f"Paragraph {n} of a long review." for n in range(lines))
    run("add", "Long", "-a", "Writer", "--review", review)
    run("add", "Short", "-a", "Writer")


def test_long_output_on_a_terminal_goes_through_the_pager(run, terminal, journal_home, tmp_path):
    long_book(run)
    script, log = pager_script(tmp_path)
    terminal.start(["show", "long"], env_for(journal_home, PAGER=script))
    terminal.wait_for("EXIT=0")
    assert "Paragraph 59 of a long review." in log.read_text()


@pytest.mark.parametrize(
    ("args", "extra"),
    [
        (["show", "short"], {}),  # fits on the screen: printed directly
        (["show", "long", "--no-pager"], {}),
        (["--no-pager", "show", "long"], {}),
        (["show", "long"], {"READLOG_PAGER": ""}),
        (["show", "long"], {"config": 'pager = ""\n'}),
    ],
)
def test_the_pager_is_not_used_for_short_output_or_when_turned_off(
    run, terminal, journal_home, tmp_path, args, extra
):
    long_book(run)
    script, log = pager_script(tmp_path)
    env = env_for(journal_home, PAGER=script)
    if "config" in extra:
        config = tmp_path / "readlog.toml"
        config.write_text(extra.pop("config"))
        env["READLOG_CONFIG"] = str(config)
    terminal.start(args, {**env, **extra})
    terminal.wait_for("EXIT=0")
    assert not log.exists()


def test_piped_output_never_goes_through_the_pager(run, journal_home, tmp_path):
    long_book(run)
    script, log = pager_script(tmp_path)
    env = {**os.environ, "PAGER": script, "READLOG_HOME": str(journal_home)}
    result = subprocess.run(
        [sys.executable, "-m", "readlog", "show", "long"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0 and "Paragraph 59" in result.stdout
    assert not log.exists()


def test_color_always_keeps_colour_through_a_pipe(run, journal_home):
    run("add", "Dune", "-a", "Frank Herbert", "--rating", "4.5")
    env = {**os.environ, "READLOG_HOME": str(journal_home)}
    command = [sys.executable, "-m", "readlog", "show", "dune"]
    assert COLOUR.search(
        subprocess.run([*command, "--color", "always"], capture_output=True, text=True, env=env).stdout
    )
    assert not COLOUR.search(subprocess.run(command, capture_output=True, text=True, env=env).stdout)
    forced = {**env, "FORCE_COLOR": "1"}
    assert COLOUR.search(subprocess.run(command, capture_output=True, text=True, env=forced).stdout)
    assert not COLOUR.search(
        subprocess.run([*command, "--color", "never"], capture_output=True, text=True, env=forced).stdout
    )


@pytest.mark.parametrize(("answer", "readings"), [("n", 1), ("y", 2)])
def test_finish_of_a_read_book_asks_before_logging_a_reread(
    run, terminal, journal_home, books, answer, readings
):
    run("add", "Dune", "-a", "Frank Herbert", "--finished", "2026-01-10")
    terminal.start(["finish", "dune", "--date", "2026-02-01"], env_for(journal_home))
    terminal.wait_for("Log another reading of it? [y/N]:")
    terminal.type(answer)
    screen = terminal.wait_for("EXIT=")
    assert ("EXIT=0" in screen) is (answer == "y")
    assert len(tomllib.loads((books / "dune.toml").read_text())["reads"]) == readings
