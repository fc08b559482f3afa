"""Bad input: one clear line on stderr, exit 1, no traceback, and nothing on disk changed."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from conftest import REPO


@pytest.fixture
def dune(run, books):
    run("add", "Dune", "-a", "Frank Herbert", "--rating", "4")
    return books / "dune.toml"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rating", "7"], "--rating: '7' is not a rating"),
        (["--rating", "nan"], "is not a rating"),
        (["--rating", "inf"], "is not a rating"),
        (["--rating", "-1"], "is not a rating"),
        (["--rating", "4.1"], "steps of 0.25"),
        (["--rating", "great"], "'great' is not a number"),
        (["--finished", "2023-02-30"], "--finished: '2023-02-30' is not a valid date"),
        (
            ["--started", "someday"],
            "--started: 'someday' is not a date: use YYYY-MM-DD, YYYY-MM or YYYY, or words",
        ),
        (
            ["--finished", "last fryday"],
            "'last fryday' is not a date: use YYYY-MM-DD, YYYY-MM or YYYY, or words",
        ),
        (["--started", "2024-13"], "not a valid month"),
        (["--started", "2024-05-02", "--finished", "2024-05-01"], "is after --finished"),
        (["--isbn", "9781400078777"], "--isbn: '9781400078777' is not a valid ISBN"),
        (["--status", "done"], "--status: 'done' is not a status"),
        (["--pages", "0"], "--pages: 0 is out of range (1 to 100000)"),
        (["--year", "20000"], "--year: 20000 is out of range"),
        (["--review", "x", "--review-file", "r.md"], "give --review or --review-file, not both"),
        (["--review-file", "/no/such/review.md"], "cannot read /no/such/review.md"),
    ],
)
def test_add_refuses_bad_values_before_writing(run, dune, unchanged, args, message):
    usage = "cannot read" not in message  # exit 2 for a bad value; 1 for a file that cannot be read
    result = run("add", "Another Book", "-a", "Someone", *args, code=2 if usage else 1)
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
    unchanged()


def test_usage_errors_stay_exit_2(run):
    result = run("add", "X", "--pages", "many", code=2)
    assert "many" in result.stderr


def test_missing_title_or_author_without_a_terminal(run, journal_home):
    assert "missing title" in run("add", code=1).stderr
    assert "missing author: give it with --author NAME" in run("add", "Dune", code=1).stderr
    assert not journal_home.exists()


def test_a_book_already_in_the_journal_is_refused_with_how_to_edit(run, dune, unchanged):
    result = run("add", "dune", "-a", "frank herbert", code=1)
    assert "already in the journal as 'dune'" in result.stderr and "readlog review dune" in result.stderr
    unchanged()


def test_unknown_and_ambiguous_books(run):
    run("add", "The Dispossessed", "-a", "Ursula K. Le Guin")
    run("add", "The Lathe of Heaven", "-a", "Ursula K. Le Guin")
    assert "no book in the journal is 'Moby Dick'" in run("show", "Moby Dick", code=1).stderr
    result = run("show", "the", code=1)
    assert "matches several books" in result.stderr
    assert "the-dispossessed" in result.stderr and "the-lathe-of-heaven" in result.stderr


def test_book_lookup_by_slug_title_partial_and_fuzzy(run):
    run("add", "[bold red]Evil[/]", "-a", "A")
    run("add", "Never Let Me Go", "-a", "Kazuo Ishiguro")
    for query in ("never-let-me-go", "NEVER LET ME GO!", "never let", "Nevr Let Me Goo"):
        assert json.loads(run("show", query, "--json").stdout)["slug"] == "never-let-me-go", query
    assert json.loads(run("show", "bold red evil", "--json").stdout)["slug"] == "bold-red-evil"


def test_user_text_is_shown_literally_never_obeyed(run):
    run("add", "[bold red]Evil[/]", "-a", "A", "--review", "Beware \x1b]52;c;aGk=\x07 and \x1b[2J here")
    out = run("show", "evil").stdout
    assert "[bold red]Evil[/]" in out
    assert "\x1b" not in out and "\x07" not in out
    assert "␛]52;c;aGk=␇" in out


def test_a_malformed_file_does_not_break_the_journal(run, dune, books):
    bad = books / "broken.toml"
    bad.write_text('title = "Broken"\nrating = \n')
    result = run("list")
    assert "Dune" in result.stdout
    assert f"warning: skipped {bad}:2:10: invalid TOML" in result.stderr
    assert run("next").exit_code == 0
    before = bad.read_bytes()
    shown = run("show", "broken", code=1)
    assert f"{bad}:2:10: invalid TOML" in shown.stderr
    assert "invalid TOML" in run("reflect", "broken", "x", code=1).stderr
    assert bad.read_bytes() == before


def test_a_file_with_a_bad_field_names_the_line(run, books, dune):
    (books / "odd.toml").write_text('title = "Odd"\nstatus = "finished"\n')
    result = run("show", "odd", code=1)
    assert f"{books / 'odd.toml'}:2: status: 'finished' is not a status" in result.stderr


def test_quote_page_and_location_together_is_an_error(run, dune, unchanged):
    assert (
        "--page or --location, not both"
        in run("quote", "dune", "x", "--page", "3", "--location", "ch 1", code=2).stderr
    )
    unchanged()


def test_reflect_without_text_or_terminal(run, dune, unchanged):
    assert "missing reflection text" in run("reflect", "dune", code=1).stderr
    assert "reflection: must not be empty" in run("reflect", "dune", "-", input="  \n", code=1).stderr
    assert (
        "--date: '2024-02-30' is not a valid date"
        in run("reflect", "dune", "x", "--date", "2024-02-30", code=2).stderr
    )
    unchanged()


def test_rm_needs_confirmation_or_yes(run, dune, journal_home):
    assert "pass --yes" in run("rm", "dune", code=1).stderr
    assert dune.exists()
    run("rm", "dune", "--yes")
    assert not dune.exists()
    assert [p.name.split(".")[0] for p in (journal_home / "trash").iterdir()] == ["dune"]


def test_debug_shows_the_real_exception(run, journal_home):
    run("add", "Dune", "-a", "Frank Herbert")  # (no journal at all is another error: try-out 24b, 5)
    result = run("--debug", "show", "nothing", code=1)
    assert result.exception is not None and type(result.exception).__name__ == "BookNotFound"


def test_data_dir_option_wins_over_env(run, tmp_path, journal_home):
    other = tmp_path / "other"
    run("--data-dir", str(other), "add", "Dune", "-a", "Frank Herbert")
    assert (other / "books" / "dune.toml").exists() and not journal_home.exists()


def test_data_dir_and_files_are_private(run, dune, journal_home):
    assert stat.S_IMODE(journal_home.stat().st_mode) == 0o700
    assert stat.S_IMODE((journal_home / "books").stat().st_mode) == 0o700
    assert stat.S_IMODE(dune.stat().st_mode) == 0o600
    assert [p.name for p in dune.parent.iterdir()] == ["dune.toml"]  # no temp files left behind


def test_python_m_readlog_runs_in_a_subprocess(journal_home):
    env = {**os.environ, "READLOG_HOME": str(journal_home)}
    result = subprocess.run(
        [sys.executable, "-m", "readlog", "--help"], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0 and "Usage: readlog" in result.stdout
    version = subprocess.run([sys.executable, "-m", "readlog", "--version"], capture_output=True, text=True)
    from readlog import __version__

    assert version.stdout.strip() == f"readlog {__version__}"
    failing = subprocess.run(
        [sys.executable, "-m", "readlog", "show", "x"], capture_output=True, text=True, env=env
    )
    assert (
        failing.returncode == 1
        and failing.stderr.startswith("readlog: error:")
        and "Traceback" not in failing.stderr
    )
    assert REPO.exists()


def test_non_utf8_review_and_stdin_are_clear_errors(run, tmp_path, unchanged):
    latin = tmp_path / "review.md"
    latin.write_bytes("Un café très noir".encode("latin-1"))
    assert (
        f"{latin}: not UTF-8 text" in run("add", "X", "-a", "Y", "--review-file", str(latin), code=1).stderr
    )
    result = run.runner.invoke(
        __import__("readlog.cli").cli.app,
        ["add", "X", "-a", "Y", "--review-file", "-"],
        input=b"\xff\xfe bad",
    )
    assert result.exit_code == 1 and "stdin: not UTF-8 text" in result.stderr
    unchanged()


def test_a_bom_review_file_is_read(run, tmp_path, books):
    review = tmp_path / "review.md"
    review.write_bytes("\ufeff# Headline\r\n\r\nBody text.\r\n".encode())
    run("add", "X", "-a", "Y", "--review-file", str(review))
    import tomllib

    assert tomllib.loads((books / "x.toml").read_text())["review"]["headline"] == "Headline"


def test_a_review_files_headline_and_another_headline_option_are_refused(run, tmp_path, books, unchanged):
    # The try-out: `review BOOK --review-file r.md --headline H --replace` kept H, and the file's own
    # `# A house of tides` line was gone without a word.
    review = tmp_path / "review.md"
    review.write_text("# A house of tides\n\nBody text.\n", encoding="utf-8")
    result = run("add", "X", "-a", "Y", "--review-file", str(review), "--headline", "Option headline", code=2)
    assert "starts with a headline of its own ('A house of tides')" in result.stderr
    assert result.stderr.count("\n") == 1
    unchanged()
    run("add", "X", "-a", "Y", "--review-file", str(review), "--headline", "A house of tides")  # (the same)
    review.write_text("Body alone.\n", encoding="utf-8")
    run("review", "x", "--review-file", str(review), "--headline", "Given", "--replace")
    import tomllib

    assert tomllib.loads((books / "x.toml").read_text())["review"]["headline"] == "Given"


@pytest.mark.parametrize("color", ["auto", "always", "never"])
def test_messages_print_what_was_typed_never_rich_emoji_codes(run, books, color):
    """A title typed with `:fire:` and a broken file's line 100 (`:100:11`) reach stderr as written: Rich's
    emoji codes turned them into 🔥 and 💯 (try-out 24a)."""
    run("add", "Notes :fire: Here", "-a", "A :smile: B")
    taken = run("--color", color, "add", "Notes :fire: Here", "-a", "A :smile: B", code=1).stderr
    assert "'Notes :fire: Here' is already in the journal" in taken and "🔥" not in taken
    missing = run("--color", color, "rate", "notes :fire: missing", "4", code=1).stderr
    assert "(Notes :fire: Here by A :smile: B)" in missing and "😄" not in missing
    path = books / "notes-fire-here.toml"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines + ["# note"] * (99 - len(lines)) + ["rating = 4x"]) + "\n")
    warned = run("--color", color, "list").stderr
    assert "notes-fire-here.toml:100:11: invalid TOML" in warned and "💯" not in warned


def test_a_book_file_made_read_only_is_left_as_it_is(run, dune, unchanged):
    """`chmod a-w` on a book file: a write is refused with one line naming it, the file and its mode kept
    (it was rewritten as 0600, root ignoring the mode: try-out 24b)."""
    dune.chmod(0o444)
    try:
        for args in (["rate", "dune", "3"], ["review", "dune", "A review."], ["tag", "dune", "sf"]):
            result = run(*args, code=1)
            assert result.stderr == (
                f"readlog: error: cannot write {dune}: it is read-only: readlog leaves it as it is "
                "(`chmod u+w` lets it write)\n"
            ), args
        assert stat.S_IMODE(dune.stat().st_mode) == 0o444
        unchanged()
    finally:
        dune.chmod(0o600)


def test_a_commands_option_given_before_it_says_where_it_goes(run, dune):
    """`readlog --json show dune` offered `--version` (the one global option it looked like: try-out 24b); an
    option of the command named after it is said so, with the command line that works."""
    result = run("--json", "show", "dune", code=2)
    assert result.stderr == (
        "readlog: error: --json is an option of `readlog show`: it goes after it: `readlog show dune --json`\n"
    )
    said = run("--limit", "3", "list", "--status", "read", code=2).stderr
    assert "`readlog list --status read --limit 3`" in said
    assert json.loads(run("list", "--status", "read", "--limit", "3", "--format", "json").stdout)
    # An option no command has stays Click's one line.
    assert "No such option: --nonsense" in run("--nonsense", "list", code=2).stderr
