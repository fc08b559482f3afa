"""readlog in a script (session 21's try-out 21a): a backup that cannot read the whole journal fails, a
closed stream is never a traceback, a reader that stops reading is exit 0 for every command, usage
mistakes exit 2 and name the closest command, `series` prints data like `list`, `add`/`import --json`."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from readlog.cli.app import closest


def readlog(*args: str, close: tuple[int, ...] = (), stdout: int | None = subprocess.PIPE, **kw):
    """`python -m readlog ARGS` in a subprocess, with the fds in `close` closed (as `>&-`, `2>&-`)."""
    return subprocess.run(
        [sys.executable, "-m", "readlog", *args],
        stdout=stdout,
        stderr=subprocess.DEVNULL if 2 in close else subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        preexec_fn=(lambda: [os.close(fd) for fd in close]) if close else None,
        text=True,
        **kw,
    )


def add_books(run, *titles: str) -> None:
    for title in titles:
        run("add", title, "-a", "Writer", "--finished", "2024-05-01", "--tag", "sea")


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# --- 1. a backup of a journal that is not there, or not whole -------------------------------------------


@pytest.mark.parametrize("command", [["export"], ["export", "--format", "csv"], ["check"]])
def test_export_and_check_refuse_a_journal_folder_that_does_not_exist(run, tmp_path, command):
    typo = tmp_path / "jornal"
    result = run("--data-dir", str(typo), *command, code=1)
    assert result.stdout == ""  # not `[]`, not a header, not "all good"
    assert lines(result.stderr) == [
        f"readlog: error: --data-dir names {typo}, which does not exist: nothing to {command[0]}"
    ]
    result = run(*command, code=1)  # the fixture's READLOG_HOME, never made
    assert "$READLOG_HOME names" in result.stderr and "does not exist" in result.stderr
    assert not typo.exists()


@pytest.mark.parametrize("command", [["export"], ["check"], ["list"], ["search", "x"]])
def test_a_journal_folder_that_is_a_file_is_one_line_and_exit_1(run, tmp_path, command):
    file = tmp_path / "afile"
    file.write_text("not a journal\n")
    result = run(*command, code=1, env={"READLOG_HOME": str(file)})
    assert result.stdout == ""
    assert len(lines(result.stderr)) == 1 and str(file) in result.stderr
    assert file.read_text() == "not a journal\n"


def test_an_empty_journal_folder_exports_nothing_and_passes(run, journal_home):
    journal_home.mkdir()  # a journal with no books yet is a journal: `[]` is its whole backup
    assert json.loads(run("export").stdout) == []
    assert "checked 0 files" in run("check").stderr


def test_list_on_a_new_users_missing_folder_is_friendly_and_makes_no_index(run, journal_home, tmp_path):
    # (a new user's default folder, which nobody named; a named one not there is an error: test_t32f_empty)
    new_user = {"READLOG_HOME": "", "XDG_DATA_HOME": str(tmp_path / "share"), "HOME": str(tmp_path)}
    default = tmp_path / "share" / "readlog"
    result = run("list", env=new_user)
    assert result.stdout == "" and f"No journal at {default}" in result.stderr
    assert json.loads(run("list", "--json", env=new_user).stdout) == []
    cache = tmp_path / "cache"
    assert not cache.exists() or not any(cache.iterdir())  # the try-out: an index file for a typo
    assert not default.exists()
    result = run("list", code=1)  # the fixture's READLOG_HOME, never made: named, so a typo
    assert (
        result.stdout == "" and f"$READLOG_HOME names {journal_home}, which does not exist" in result.stderr
    )
    assert not journal_home.exists()


def test_an_export_that_could_not_read_every_book_says_how_many_and_exits_1(run, books, tmp_path):
    add_books(run, "Tale A", "Tale B", "Tale C", "Tale D")
    for slug in ("tale-b", "tale-c", "tale-d"):
        with (books / f"{slug}.toml").open("a") as file:
            file.write("rating = 5x\n")
    result = run("export", code=1)
    assert [b["title"] for b in json.loads(result.stdout)] == ["Tale A"]  # what it read, still written
    assert "3 of 4 books could not be read and are not in the export" in result.stderr
    assert result.stderr.count("readlog: warning: skipped") == 3  # each named
    rows = list(csv.reader(io.StringIO(run("export", "--format", "csv", code=1).stdout)))
    assert [row[1] for row in rows[1:]] == ["Tale A"]
    target = tmp_path / "backup.json"
    result = run("export", "--output", str(target), code=1)
    assert [b["title"] for b in json.loads(target.read_text())] == ["Tale A"]
    assert "3 of 4 books" in result.stderr


def test_a_whole_export_is_exit_0(run, tmp_path):
    add_books(run, "Tale A", "Tale B")
    result = run("export", "--output", str(tmp_path / "all.json"))
    assert "could not be read" not in result.stderr


# --- 2. closed streams: never a traceback -----------------------------------------------------------


@pytest.mark.parametrize(
    "command", [["list"], ["show", "tale-a"], ["search", "tale"], ["export", "--format", "json"]]
)
def test_a_data_command_with_stdout_closed_is_one_line_and_exit_1(run, command):
    add_books(run, "Tale A")
    result = readlog(*command, close=(1,), stdout=None)
    assert result.returncode == 1
    assert lines(result.stderr) == [
        "readlog: error: stdout is closed: the output could not be written (`>/dev/null` drops it)"
    ]


def test_a_command_that_prints_no_data_runs_with_stdout_closed(run, books):
    add_books(run, "Tale A")
    result = readlog("rate", "tale-a", "4", close=(1,), stdout=None)
    assert result.returncode == 0 and "Rated" in result.stderr
    assert "rating = 4" in (books / "tale-a.toml").read_text()


def test_a_closed_stderr_drops_the_messages_and_the_exit_code_stands(run, books):
    result = readlog("add", "Closed Err", "-a", "Q", close=(2,))
    assert result.returncode == 0  # the try-out: exit 1, with the book written
    assert (books / "closed-err.toml").exists()
    assert readlog("show", "nothing-here", close=(2,)).returncode == 1
    assert readlog("list", close=(1, 2), stdout=None).returncode == 1


def test_help_with_stdout_closed_is_no_traceback():
    result = readlog("--help", close=(1,), stdout=None)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert lines(result.stderr) == [
        "readlog: error: stdout is closed: the output could not be written (`>/dev/null` drops it)"
    ]


# --- 3. a reader that stops reading: exit 0, whatever the command ---------------------------------------

DATA_COMMANDS = [
    ["list"],
    ["list", "--format", "csv"],
    ["list", "--json"],
    ["list", "--format", "table", "--no-pager"],
    ["search", "tale", "--limit", "3000"],
    ["show", "tale-a"],
    ["show", "tale-a", "--json"],
    ["export"],
    ["export", "--format", "csv"],
    ["export", "--format", "goodreads"],
    ["export", "tale-a", "--format", "markdown"],
    ["next"],
    ["tags"],
    ["tags", "--format", "table"],
    ["series"],
    ["stats"],
    ["stats", "--json"],
    ["check", "--json"],
    ["config"],
    ["restore"],
    ["--help"],
    ["list", "--help"],
]


@pytest.mark.parametrize("command", DATA_COMMANDS, ids=" ".join)
def test_every_data_command_exits_0_when_its_reader_has_gone(run, books, command):
    add_books(run, "Tale A", "Tale B", "Tale C")
    (books / "tale-a.toml").write_text(
        (books / "tale-a.toml")
        .read_text()
        .replace("title = ", 'series = [{name = "Sea", number = "1"}]\ntitle = ', 1)
    )
    read, write = os.pipe()
    os.close(read)  # `| head -0`: the reader left before a byte was written
    try:
        result = readlog(*command, stdout=write)
    finally:
        os.close(write)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "rror" not in result.stderr


def test_a_reader_that_stops_after_one_line(run):
    add_books(run, *(f"Tale {n}" for n in range(40)))
    for command in (["list"], ["list", "--json"], ["export", "--format", "csv"]):
        child = subprocess.Popen(
            [sys.executable, "-m", "readlog", *command, "--limit", "0"]
            if command[0] == "list"
            else [sys.executable, "-m", "readlog", *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert child.stdout is not None and child.stderr is not None
        child.stdout.readline()
        child.stdout.close()  # `| head -1`
        assert child.wait() == 0
        assert b"Traceback" not in child.stderr.read()
        child.stderr.close()


# --- 4. usage errors: exit 2, and the closest command -------------------------------------------------


def test_usage_mistakes_exit_2(run, journal_home):
    assert "tcsh" in run("completion", "tcsh", code=2).stderr
    result = run("export", "--format", "markdown", code=2)
    assert "give --output FOLDER" in result.stderr and not journal_home.exists()


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("lsit", "list"),  # a swap: difflib's ratio said 'site'
        ("lst", "list"),
        ("serach", "search"),
        ("exprot", "export"),
        ("ad", "add"),
        ("sohw", "show"),
        ("LIST", "list"),
        ("banana", None),  # difflib's ratio said 'abandon'
        ("xyz", None),
        ("stat", "stats"),
        ("listing", None),
    ],
)
def test_the_closest_command(typed, meant):
    from readlog.cli.app import COMMANDS

    assert closest(typed, list(COMMANDS)) == meant


def test_an_unknown_command_names_the_closest_one(run):
    result = run("lsit", code=2)
    assert lines(result.stderr) == [
        "readlog: error: No such command 'lsit'; did you mean 'list'? (`readlog --help` shows how)"
    ]
    assert "did you mean 'search'" in run("serach", "x", code=2).stderr
    assert "did you mean" not in run("banana", code=2).stderr
    assert "did you mean 'rename'" in run("tags", "renme", "a", "b", code=2).stderr


# --- 5. series: data like list's, messages on stderr -------------------------------------------------


def _series_journal(run, books):
    add_books(run, "Wizard", "Tombs")
    run("add", "Shore", "-a", "Writer", "--status", "want")
    for slug, number in (("wizard", "1"), ("tombs", "2"), ("shore", "3")):
        path = books / f"{slug}.toml"
        text = path.read_text().replace(
            "title = ", f'series = [{{name = "Earthsea", number = "{number}"}}]\ntitle = ', 1
        )
        path.write_text(text)


def test_series_with_none_says_so_on_stderr(run, journal_home):
    journal_home.mkdir()  # an empty journal (a missing one is refused: test_s29_lead.py)
    result = run("series")
    assert result.stdout == "" and "No series yet" in result.stderr


def test_series_piped_is_tsv_and_takes_format(run, books):
    _series_journal(run, books)
    assert run("series").stdout == "Earthsea\t3\t2\t0\t1\tshore\tShore\n"
    assert run("series", "--format", "csv").stdout.splitlines() == [
        "series,books,read,reading,want,next_slug,next_title",
        "Earthsea,3,2,0,1,shore,Shore",
    ]
    assert run("series", "earth").stdout.splitlines() == [
        "Earthsea\t1\twizard\tWizard\tWriter\tread",
        "Earthsea\t2\ttombs\tTombs\tWriter\tread",
        "Earthsea\t3\tshore\tShore\tWriter\twant",
    ]
    assert [s["name"] for s in json.loads(run("series", "--format", "json").stdout)] == ["Earthsea"]
    assert "Books" in run("series", "--format", "table").stdout  # what a terminal shows


# --- 6. add --json, import --json -------------------------------------------------------------------


def test_add_json_prints_the_book_it_added(run, books):
    first = json.loads(run("add", "Dune", "-a", "Frank Herbert", "--json").stdout)
    assert (first["slug"], first["title"], first["created"]) == ("dune", "Dune", True)
    second = json.loads(run("add", "Dune", "-a", "Brian Herbert", "--new", "--json").stdout)
    assert second["slug"] != "dune"  # readlog's choice, which a script could only read from prose
    assert Path(second["path"]) == books / f"{second['slug']}.toml" and Path(second["path"]).exists()
    again = json.loads(run("add", "dune", "-a", "Frank Herbert", "--reread", "--json").stdout)
    assert (again["slug"], again["created"]) == ("dune", False)


def test_import_json_prints_the_counts_and_the_slugs(run, books, tmp_path):
    export = REPO / "examples" / "goodreads_library_export.csv"
    dry = json.loads(run("import", str(export), "--dry-run", "--json").stdout)  # nothing but the JSON
    assert dry["dry_run"] is True and dry["counts"]["added"] == 1
    assert dry["added"] == [{"slug": None, "title": "Dune"}] and not books.exists()
    done = json.loads(run("import", str(export), "--json").stdout)
    assert done["counts"] == {"added": 1, "updated": 0, "skipped": 0, "rejected": 0, "joined": 0}
    assert [b["slug"] for b in done["added"]] == ["dune"] and (books / "dune.toml").exists()
    changed = tmp_path / "changed.csv"
    changed.write_text(export.read_text().replace(",5,4.27,", ",3,4.27,"))
    updated = json.loads(run("import", str(changed), "--update", "--json").stdout)
    assert updated["updated"] == [{"slug": "dune", "title": "Dune"}]
    assert updated["counts"]["updated"] == 1


# --- 12. a relative READLOG_HOME ------------------------------------------------------------------------


def test_a_relative_readlog_home_is_said_whole(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("add", "Alpha", "-a", "X", env={"READLOG_HOME": "rel21"})
    whole = tmp_path / "rel21"
    assert f"$READLOG_HOME 'rel21' is relative: the journal in this folder, {whole}" in result.stderr
    assert f"Added “Alpha”: {whole / 'books' / 'alpha.toml'}" in result.stderr  # not `rel21/books/...`
    assert "is relative" not in run("list", env={"READLOG_HOME": str(whole)}).stderr
