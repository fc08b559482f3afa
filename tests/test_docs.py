"""The documentation is part of the product: every command has help with an example, and the commands
the README shows really run, with the errors it shows."""

from __future__ import annotations

import re
import shlex
import shutil

import pytest
import typer

from conftest import REPO
from readlog.cli import app

README = (REPO / "README.md").read_text()


def all_commands():
    group = typer.main.get_command(app)

    def walk(command, path):
        yield path, command
        if hasattr(command, "list_commands"):  # a group: its commands are built when asked for
            ctx = typer.Context(command)
            for name in command.list_commands(ctx):
                yield from walk(command.get_command(ctx, name), [*path, name])

    return [(" ".join(path), cmd) for path, cmd in walk(group, []) if path]


@pytest.mark.parametrize(("name", "command"), all_commands(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_command_has_help_with_an_example(run, name, command):
    out = run(*name.split(), "--help").stdout
    assert "Example:" in out and f"readlog {name.split()[0]}" in out, out
    assert command.help and len(command.help.splitlines()[0]) > 10


def test_every_command_is_in_the_readme():
    for name, _ in all_commands():
        assert f"readlog {name}" in README, name


def readme_sessions():
    """(command, expected error or None) for each `$ readlog ...` line in the README, in order."""
    lines = README.splitlines()
    sessions = []
    for index, line in enumerate(lines):
        if line.startswith("$ readlog "):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            error = following if following.startswith("readlog: error:") else None
            sessions.append((line[2:], error))
    return sessions


def test_the_readme_commands_run_as_shown(run, tmp_path, monkeypatch):
    journal = tmp_path / "example"
    shutil.copytree(REPO / "examples" / "journal", journal)
    monkeypatch.setenv("READLOG_HOME", str(journal))
    monkeypatch.chdir(REPO)
    sessions = readme_sessions()
    assert len(sessions) >= 10
    for command, error in sessions:
        args = shlex.split(command)[1:]
        if error:  # a usage mistake exits 2, a refusal 1 (the README's table of exit codes)
            result = run.runner.invoke(app, args)
            assert result.exit_code in (1, 2), (command, result.output)
            assert result.stderr.strip() == error
        else:
            result = run(*args)
        assert "Traceback" not in result.output


def test_the_readme_set_up_commands_are_what_ci_runs():
    commands = re.findall(r"^python3 -m venv \.venv && .*$", README, flags=re.M)
    assert len(commands) == 2
    assert commands[0].endswith('readlog --data-dir examples/journal show "never let me go"')
    assert commands[1].endswith('pip install -e ".[test]" && pytest')
    assert "grep -E '^python3 -m venv" in (REPO / ".ci" / "run").read_text()


def test_the_help_listing_matches_each_command():
    """`readlog --help` lists commands from a table (so that listing imports none): each summary there is
    written once, and is the first paragraph of its command's own help (the docstring does not repeat it)."""
    from readlog.cli.app import COMMANDS

    commands = dict(all_commands())
    for name, (_, line) in COMMANDS.items():
        assert commands[name].help.split("\n\n")[0] == line, name
        assert commands[name].help.count(line) == 1, name
    assert set(COMMANDS) == {name for name in commands if " " not in name}


def test_a_command_help_shows_its_summary_once(run):
    out = run("stats", "--help").stdout
    assert out.count("Your reading life at a glance.") == 1
    assert "Books and pages by year and month" in out
    out = run("import", "--help").stdout
    assert out.count("Import your reading history") == 1 and "Kindle" in out


def test_help_lists_what_people_type_and_not_what_git_runs(run):
    out = run("--help").stdout
    assert "  progress " in out and "  sync " in out
    assert "merge-driver" not in out
    assert "What git runs to merge a book file" in run("merge-driver", "--help").stdout
