"""docs/ARCHITECTURE.md's recipe for a new verb, followed once with a toy verb that exists only here:

1. the action (what `src/readlog/actions/<verb>.py` would hold): plain values in, a result dataclass out;
2. the command (what `src/readlog/cli/<verb>.py` would hold): parse, call the action, render;
3. one line in the command table (`COMMANDS` in cli/app.py; here `register_command`, which adds that line).

Then everything the recipe says comes for free is checked, in a fresh `readlog` process each time: the verb
runs, `readlog --help` lists it without importing it, its own `--help` starts with its summary, an error
from the action is readlog's one error form with its exit code, `--json` is plain JSON, and the command
module passes the layer rule (tests/test_layers.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from test_layers import _allowed, readlog_imports

# Step 1: the action. It may use anything below the CLI (the journal, the model); it never prints.
ACTION = '''
from __future__ import annotations

from dataclasses import dataclass

from readlog.errors import Option
from readlog.journal import Journal
from readlog.model import parse_status


@dataclass
class Shelf:
    status: str
    titles: list[str]


def shelf(journal: Journal, status: str) -> Shelf:
    """The titles of the books with `status`, sorted."""
    wanted = parse_status(status.strip(), Option("STATUS"))
    titles = sorted(
        entry.book.title for slug in journal.slugs() if (entry := journal.load(slug)).book.status == wanted
    )
    return Shelf(wanted, titles)
'''

# Step 2: the command. It imports only the CLI's own layer (and its action).
COMMAND = '''
from typing import Annotated

import typer

from readlog.cli.app import app, complain, journal_of, print_json, say


@app.command()
def shelf(
    ctx: typer.Context,
    status: Annotated[str, typer.Argument(help="want, reading, read, paused or abandoned.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the shelf as JSON.")] = False,
) -> None:
    """The books on one shelf, one title a line.

    \\b
    Example:
      readlog shelf reading
    """
    from toyverb.actions import shelf as on_shelf

    found = on_shelf(journal_of(ctx), status)
    if as_json:
        print_json({"status": found.status, "titles": found.titles})
        return
    for title in found.titles:
        say(title)
    if not found.titles:
        complain(f"no books {found.status}", "dim")
'''

SUMMARY = "The books with one status, by title."

# Step 3: the line in the command table, added the way the table is read (cli/app.py COMMANDS).
RUN = """
import sys
sys.path.insert(0, {where!r})
from readlog.cli.app import register_command
register_command("shelf", "toyverb.cli", {summary!r})
from readlog.cli import main
try:
    main()
finally:
    sys.stderr.write("\\ntoy imported: %s\\n" % ("toyverb.cli" in sys.modules))
"""


@pytest.fixture
def toy(tmp_path: Path) -> Path:
    package = tmp_path / "toy" / "toyverb"  # a namespace package: the two files are the whole verb
    package.mkdir(parents=True)
    (package / "actions.py").write_text(ACTION)
    (package / "cli.py").write_text(COMMAND)
    return tmp_path / "toy"


def readlog(toy: Path, *args: str) -> subprocess.CompletedProcess[str]:
    code = RUN.format(where=str(toy), summary=SUMMARY)
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=False)


def test_the_recipe_is_two_files_and_one_line(toy):
    assert sorted(p.name for p in (toy / "toyverb").iterdir()) == ["actions.py", "cli.py"]


def test_the_toy_verb_runs(toy, run):
    run("add", "Klara and the Sun", "--author", "Kazuo Ishiguro", "--status", "reading")
    run("add", "Piranesi", "--author", "Susanna Clarke", "--status", "reading")
    run("add", "Dune", "--author", "Frank Herbert", "--status", "want")
    result = readlog(toy, "shelf", "reading")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Klara and the Sun\nPiranesi\n"
    as_json = readlog(toy, "shelf", "want", "--json")
    assert json.loads(as_json.stdout) == {"status": "want", "titles": ["Dune"]}
    empty = readlog(toy, "shelf", "abandoned")
    assert empty.returncode == 0 and empty.stdout == "" and "no books abandoned" in empty.stderr


def test_help_lists_the_toy_verb_without_importing_it(toy):
    result = readlog(toy, "--help")
    assert result.returncode == 0
    assert "  shelf " in result.stdout and SUMMARY in result.stdout
    assert "toy imported: False" in result.stderr  # listing commands imports none of them


def test_the_toy_verb_help_starts_with_its_summary_once(toy):
    out = readlog(toy, "shelf", "--help").stdout
    assert out.split("\n\n")[1].strip() == SUMMARY and out.count(SUMMARY) == 1
    assert "The books on one shelf" in out and "readlog shelf reading" in out


def test_an_error_from_the_toy_action_is_one_line_with_its_exit_code(toy):
    result = readlog(toy, "shelf", "finsihed")  # a usage mistake: exit 2, one line, no traceback
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.strip() and "toy imported" not in line]
    assert len(errors) == 1 and errors[0].startswith("readlog: error: STATUS: 'finsihed'"), result.stderr
    assert "Traceback" not in result.stderr
    missing = readlog(toy, "shelf")  # Click's own usage error: the same one form
    assert missing.returncode == 2 and missing.stderr.startswith("readlog: error: ")


def test_the_global_options_work_after_the_toy_verb(toy, tmp_path, run):
    other = tmp_path / "elsewhere"
    run("--data-dir", str(other), "add", "Middlemarch", "--author", "George Eliot", "--status", "read")
    result = readlog(toy, "shelf", "read", "--data-dir", str(other))
    assert result.stdout == "Middlemarch\n"


def test_the_toy_command_keeps_to_the_cli_layer(toy):
    imported = readlog_imports((toy / "toyverb" / "cli.py").read_text())
    assert [name for _, name in imported if not _allowed(name)] == []  # its action is imported by name
    action = readlog_imports((toy / "toyverb" / "actions.py").read_text())
    assert any(not _allowed(name) for _, name in action)  # the action is where the domain is reached


def test_a_verb_cannot_take_a_name_already_used(toy):
    from readlog.cli.app import register_command

    with pytest.raises(ValueError, match="already"):
        register_command("list", "toyverb.cli", SUMMARY)


def test_the_recipe_names_three_files_and_they_are_where_a_verb_lives():
    import re

    from conftest import REPO

    recipe = (REPO / "docs" / "ARCHITECTURE.md").read_text()
    section = recipe[recipe.index("### Recipe: a new verb") :]
    section = section[: section.index("\n### ", 1)]
    named = re.findall(r"^\d\. `([^`]+)`", section, flags=re.M)
    assert named == ["src/readlog/actions/<verb>.py", "src/readlog/cli/<module>.py", "src/readlog/cli/app.py"]
    assert (
        "COMMANDS: dict[str, tuple[str, str]] = {"
        in (REPO / "src" / "readlog" / "cli" / "app.py").read_text()
    )
