"""Conventions readers expect of a command-line tool: config and its precedence, global options anywhere,
one exit-code rule, data on stdout and messages on stderr, line-oriented piped output, natural dates,
surname sort, tags, restore, drafts."""

from __future__ import annotations

import json
import time
import tomllib
from datetime import date, timedelta

import pytest

from conftest import snapshot, write_editor
from readlog.dates import parse_natural
from readlog.text import sort_name, tag_key

TODAY = date.today()


# --- config ------------------------------------------------------------------------------------------------
def test_config_precedence_option_env_file_general_default(run, tmp_path, monkeypatch):
    from readlog import config

    path = tmp_path / "config.toml"
    assert config.value("pager") == "less"  # the default
    monkeypatch.setenv("PAGER", "more")
    assert config.value("pager") == "more"  # a general variable beats the default
    path.write_text('pager = "most"\n[list]\nsort = "title"\n')
    assert config.value("pager") == "most"  # the file beats PAGER
    monkeypatch.setenv("READLOG_PAGER", "pg")
    assert config.value("pager") == "pg"  # READLOG_* beats the file
    assert config.value("pager", "bat") == "bat"  # the option beats everything
    assert config.value("list.sort") == "title"


def test_config_sets_list_defaults_and_the_data_dir(run, tmp_path, monkeypatch):
    other = tmp_path / "elsewhere"
    (tmp_path / "config.toml").write_text(f'data_dir = "{other}"\n[list]\nsort = "title"\nlimit = 1\n')
    monkeypatch.delenv("READLOG_HOME")
    run("add", "Zebra", "-a", "A")
    run("add", "Apple", "-a", "B")
    assert (other / "books" / "zebra.toml").exists()
    table = run("list", "--format", "table")
    assert "Apple" in table.stdout and "Zebra" not in table.stdout  # sort = title, limit = 1
    assert "showing 1 of 2" in table.stderr
    assert run("list").stdout.splitlines()[0].startswith("apple\t")  # piped: all, still by title


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('pager = "less"\ncolor = \n', ":2:9: invalid TOML"),
        ('color = "sometimes"\n', "color: 'sometimes' is not one of auto, always, never"),
        ("[list]\nlimit = -1\n", "list.limit: must be 0 or more"),
        ('[list]\nlimit = "ten"\n', "list.limit: expected a whole number"),
    ],
)
def test_a_malformed_config_is_one_error_naming_file_and_line(run, tmp_path, text, message):
    path = tmp_path / "config.toml"
    path.write_text(text)
    result = run("list", code=1)
    assert result.stderr.startswith(f"readlog: error: {path}") and message in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1


def test_config_init_writes_every_key_commented_and_config_shows_sources(run, tmp_path, monkeypatch):
    from readlog import config

    run("config", "init")
    text = (tmp_path / "config.toml").read_text()
    assert tomllib.loads(text) == {
        "list": {},
        "site": {},
        "suggest": {},
        "sync": {},
    }  # everything commented out
    for key in config.KEYS:
        assert f"# {key.rpartition('.')[2]} = " in text, key
    assert "already" in run("config", "init", code=1).stderr
    monkeypatch.setenv("READLOG_COLOR", "never")
    rows = dict((line.split("\t")[0], line.split("\t")[1:]) for line in run("config").stdout.splitlines())
    assert rows["color"] == ["never", "$READLOG_COLOR"] and rows["pager"] == ["less", "default"]


def test_unknown_config_keys_are_kept_for_other_features(run, tmp_path):
    from readlog import config

    (tmp_path / "config.toml").write_text('[sync]\nremote = "origin"\n')
    assert config.load()["sync.remote"] == "origin"
    run("list", env={"READLOG_HOME": ""})  # (the default folder: a named one not there is a typo, exit 1)


# --- global options after the command, exit codes, streams -------------------------------------------------
def test_global_options_work_after_the_command(run, tmp_path):
    other = tmp_path / "other"
    run("add", "Dune", "-a", "Frank Herbert", "--data-dir", str(other))
    assert (other / "books" / "dune.toml").exists()
    assert run("list", "--data-dir", str(other)).stdout.startswith("dune\t")
    assert run("next", "add", "Emma", "-a", "Jane Austen", "--data-dir", str(other))
    assert (other / "books" / "emma.toml").exists()
    assert "\x1b[" in run("show", "dune", "--data-dir", str(other), "--color", "always", "--no-pager").stdout
    result = run("list", "--color", "sometimes", code=2)
    assert "'sometimes' is not one of auto, always, never" in result.stderr


def test_a_missing_data_dir_is_named(run, tmp_path):
    missing = tmp_path / "nowhere"
    result = run("list", "--format", "table", "--data-dir", str(missing), code=1)
    assert f"--data-dir names {missing}, which does not exist: nothing to list" in result.stderr
    assert not missing.exists()


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["list", "--sort", "rtaing"], 2),
        (["list", "--status", "finished"], 2),
        (["list", "--limit", "-1"], 2),
        (["list", "--format", "xml"], 2),
        (["list", "--from", "2025", "--to", "2024"], 2),
        (["next", "--limit", "-1"], 2),
        (["search", "x", "--in", "everywhere"], 2),
        (["search", "x", "--limit", "-1"], 2),  # (0 is all, as for list)
        (["add", "X", "-a", "Y", "--pages", "many"], 2),
        (["add", "X", "-a", "Y", "--rating", "11"], 2),
        (["rate", "dune", "9"], 2),
        (["progress", "dune", "abc"], 2),
        (["goal", "--year", "0"], 2),
        (["--color", "sometimes", "list"], 2),
        (["show", "no such book"], 1),
        (["pause", "dune"], 1),
        (["add", "X", "-a", "Y", "--finished", "2031-01-01"], 1),
        (["goal", "--clear", "--year", "2020"], 1),
        (["restore", "nothing"], 1),
    ],
)
def test_one_exit_code_rule(run, unchanged_after_dune, args, code):
    result = run(*args, code=code)
    assert result.stderr.strip().splitlines()[-1].startswith(("readlog: error:", "Error:")), result.stderr
    assert result.stdout == ""


@pytest.fixture
def unchanged_after_dune(run, books):
    run("add", "Dune", "-a", "Frank Herbert", "--status", "want")
    before = snapshot(books)
    yield
    assert snapshot(books) == before


def test_messages_go_to_stderr_and_data_to_stdout(run, books):
    for args in (
        ["add", "Dune", "-a", "Frank Herbert"],
        ["reflect", "dune", "Spice."],
        ["quote", "dune", "Fear is the mind-killer."],
        ["rm", "dune", "--yes"],
        ["restore", "1"],
    ):
        result = run(*args)
        assert result.stdout == "" and result.stderr.strip(), args
    assert run("show", "dune").stdout and run("list").stdout


def test_piped_list_is_one_line_per_book_without_trailing_spaces(run):
    titles = [f"{'A very long title that goes on ' * 5}{n}" for n in range(4)]
    for n, title in enumerate(titles):
        run(
            "add", title, "-a", "Someone With A Long Name", "--rating", "4", "--finished", f"2024-0{n + 1}-01"
        )
    out = run("list").stdout
    lines = out.splitlines()
    assert len(lines) == 4 and all(len(line) > 150 for line in lines)
    assert all(line == line.rstrip() or line.endswith("\t") for line in lines)
    assert all(" \t" not in line and not line.endswith(" ") for line in lines)
    assert lines[0].split("\t")[1] == titles[0] and lines[0].split("\t")[4:] == ["4", "2024-01-01"]
    csv_out = run("list", "--format", "csv").stdout.splitlines()
    assert csv_out[0] == "slug,title,authors,status,rating,finished" and len(csv_out) == 5


def test_piped_search_and_next_are_line_oriented(run):
    run("add", "Dune", "-a", "Frank Herbert", "--review", "Sand.\n\n\nMore sand and\n   spice.\n")
    run("next", "add", "Children of Dune", "-a", "Frank Herbert", "--from", "dune", "--why", "More.")
    run("next", "add", "Emma", "-a", "Jane Austen")
    hits = run("search", "sand").stdout.splitlines()
    assert hits and all(line.strip() for line in hits)
    assert all(len(line.split("\t")) == 4 for line in hits)
    assert "dune\treview\t\tSand. More sand and spice." in hits
    queue = run("next").stdout.splitlines()
    assert queue == [
        "Children of Dune\tFrank Herbert\tdune\topen\tMore.\t",
        "Emma\tJane Austen\twant\twant\t\t",
    ]
    # a book being read is in the queue's data too, first, as the table shows it (`reading` column)
    run("add", "Piranesi", "-a", "Susanna Clarke", "--pages", "272")
    run("start", "piranesi")
    run("progress", "piranesi", "68")
    run("add", "Babel", "-a", "R. F. Kuang")
    run("start", "babel")
    queue = run("next").stdout.splitlines()
    assert queue[:2] == [
        "Babel\tR. F. Kuang\treading\treading\t\tstarted",
        "Piranesi\tSusanna Clarke\treading\treading\t\t25%",
    ] or queue[:2] == [
        "Piranesi\tSusanna Clarke\treading\treading\t\t25%",
        "Babel\tR. F. Kuang\treading\treading\t\tstarted",
    ]
    assert all(len(line.split("\t")) == 6 for line in queue)
    csv_rows = run("next", "--format", "csv").stdout.splitlines()
    assert csv_rows[0] == "title,authors,from,status,why,reading" and len(csv_rows) == 5
    table = run("next", "--format", "table", "--limit", "1")
    assert "showing 2 of 2" not in table.stderr  # one pick and one wanted book: all shown
    run("next", "add", "Persuasion", "-a", "Jane Austen")
    assert "showing 2 of 3 in your queue" in run("next", "--format", "table", "--limit", "1").stderr


# --- dates ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", date(2025, 3, 12)),
        ("yesterday", date(2025, 3, 11)),
        ("3 days ago", date(2025, 3, 9)),
        ("a week ago", date(2025, 3, 5)),
        ("2 months ago", date(2025, 1, 12)),
        ("last friday", date(2025, 3, 7)),  # 2025-03-12 is a Wednesday
        ("friday", date(2025, 3, 7)),
        ("last wednesday", date(2025, 3, 5)),
        ("1 March 2025", date(2025, 3, 1)),
        ("March 1, 2025", date(2025, 3, 1)),
        ("1st march", date(2025, 3, 1)),
        ("December 24", date(2024, 12, 24)),  # not yet this year: last year's
        ("last month", date(2025, 2, 12)),  # as "last week": the day a month ago
        ("last year", date(2024, 3, 12)),
        ("someday", None),
        ("31 February 2025", None),
    ],
)
def test_natural_dates(text, expected):
    assert parse_natural(text, today=date(2025, 3, 12)) == expected


def test_natural_partial_dates():
    assert parse_natural("March 2025", date(2025, 3, 12), partial=True) == "2025-03"
    assert parse_natural("March 2025", date(2025, 3, 12)) is None  # a full date is needed here


def test_natural_dates_through_the_cli(run, books):
    result = run("add", "Dune", "-a", "Frank Herbert", "--finished", "yesterday")
    yesterday = TODAY - timedelta(days=1)
    assert f"--finished yesterday: {yesterday.isoformat()}" in result.stderr
    assert tomllib.loads((books / "dune.toml").read_text())["reads"] == [{"finished": yesterday}]
    run("add", "Emma", "-a", "Jane Austen", "--finished", "March 2025")
    assert tomllib.loads((books / "emma.toml").read_text())["reads"] == [{"finished": "2025-03"}]
    assert [
        line.split("\t")[0]
        for line in run("list", "--from", "March 2025", "--to", "March 2025").stdout.splitlines()
    ] == ["emma"]


def test_a_ten_letter_word_is_not_taken_for_an_iso_date(run, books):
    # "next month" has ten characters, as YYYY-MM-DD: it was parsed as ISO, and Python's own words came out
    result = run("list", "--from", "next month", code=2)
    assert "'next month' is not a date: use YYYY-MM-DD, YYYY-MM or YYYY, or words such as" in result.stderr
    assert "isoformat" not in result.stderr
    assert (
        "is not a valid date (month must be in 1..12)" in run("list", "--from", "2025-13-01", code=2).stderr
    )


def test_future_dates_are_refused_in_a_script(run, books):
    future = (TODAY + timedelta(days=3)).isoformat()
    assert "is in the future" in run("add", "Dune", "-a", "F", "--finished", future, code=1).stderr
    assert "is in the future" in run("add", "Dune", "-a", "F", "--finished", "tomorrow", code=1).stderr
    assert not books.exists() or not list(books.iterdir())
    books.mkdir(parents=True, exist_ok=True)  # (a journal with no books: a named folder not there is a typo)
    run("list", "--to", future)  # a filter may reach into the future


# --- surname sort ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Douglas Adams", "adams douglas"),
        ("Ursula K. Le Guin", "le guin ursula k"),
        ("Ludwig van Beethoven", "beethoven ludwig van"),
        ("Walter De la Mare", "de la mare walter"),
        ("Martin Luther King Jr.", "king martin luther"),
        ("Ishiguro, Kazuo", "ishiguro kazuo"),
        ("Homer", "homer"),
        ("村上春樹", "村上春樹"),
    ],
)
def test_sort_name(name, key):
    assert sort_name(name) == key


def test_list_sort_author_is_by_surname(run):
    for title, author in [
        ("S", "Zadie Smith"),
        ("T", "Anne Tyler"),
        ("A", "Douglas Adams"),
        ("L", "Ursula K. Le Guin"),
        ("H", "Homer"),
    ]:
        run("add", title, "-a", author)
    order = [line.split("\t")[2] for line in run("list", "--sort", "author").stdout.splitlines()]
    assert order == ["Douglas Adams", "Homer", "Ursula K. Le Guin", "Zadie Smith", "Anne Tyler"]


# --- tags ----------------------------------------------------------------------------------------------------
def test_tags_are_one_whatever_the_spelling_and_rename_merges(run, books):
    assert tag_key("Sci Fi") == tag_key("sci-fi") == tag_key("sci_fi") == tag_key("SCI  FI") == "sci fi"
    run("add", "Dune", "-a", "Frank Herbert", "--tag", "Sci Fi")
    run("add", "Hyperion", "-a", "Dan Simmons", "--tag", "sci-fi", "--tag", "SCI FI", "--tag", "space")
    assert tomllib.loads((books / "hyperion.toml").read_text())["tags"] == ["Sci Fi", "space"]
    assert run("tags").stdout.splitlines() == ["2\tSci Fi", "1\tspace"]
    (books / "emma.toml").write_text('title = "Emma"\ntags = ["sci-fi", "Space Opera"]\n')  # by hand
    listed = json.loads(run("tags", "--json").stdout)
    assert listed[0] == {"tag": "Sci Fi", "books": 3, "spellings": ["Sci Fi", "sci-fi"]}
    result = run("tags", "rename", "SCI-FI", "science fiction")
    assert "in 3 books" in result.stderr
    for slug in ("dune", "hyperion", "emma"):
        assert "science fiction" in tomllib.loads((books / f"{slug}.toml").read_text())["tags"]
    run("tags", "rename", "space", "Science Fiction")  # merges into a tag a book already has
    assert tomllib.loads((books / "hyperion.toml").read_text())["tags"] == ["science fiction"]
    assert "no book is tagged" in run("tags", "rename", "nothing", "x", code=1).stderr


# --- restore -------------------------------------------------------------------------------------------------
def test_restore_lists_the_trash_and_brings_a_book_back(run, books):
    assert "trash is empty" in run("restore").stderr
    run("add", "Dune", "-a", "Frank Herbert", "--rating", "4")
    original = (books / "dune.toml").read_bytes()
    run("rm", "dune", "--yes")
    run("add", "Emma", "-a", "Jane Austen")
    run("rm", "emma", "--yes")
    listed = run("restore").stdout.splitlines()
    assert [line.split("\t")[2] for line in listed] == ["emma", "dune"]
    result = run("restore", "dune")
    assert "Restored “Dune”" in result.stderr and (books / "dune.toml").read_bytes() == original
    assert run("list").stdout.startswith("dune\t")
    run("add", "Emma", "-a", "Jane Austen")
    assert "already" in run("restore", "1", code=1).stderr  # the same book is back in the journal


def test_declining_rm_says_nothing_was_removed(run, books, monkeypatch):
    run("add", "Dune", "-a", "Frank Herbert")
    import sys

    monkeypatch.setattr(sys.modules["readlog.cli.app"], "interactive", lambda: True)
    monkeypatch.setattr(sys.modules["readlog.cli.books"], "interactive", lambda: True)
    result = run("rm", "dune", input="n\n", code=1)
    assert "nothing was removed" in result.stderr and (books / "dune.toml").exists()


# --- drafts ----------------------------------------------------------------------------------------------------
def test_drafts_are_listed_and_resumed_without_readlogs_comment(run, books, journal_home, tmp_path):
    run("add", "Dune", "-a", "Frank Herbert")
    failing = write_editor(
        tmp_path, "import sys\nopen(sys.argv[1], 'a').write('Half a thought.\\n')\nsys.exit(3)\n"
    )
    run("review", "dune", "--edit", env={"EDITOR": failing}, code=1)
    kept = list((journal_home / "drafts").iterdir())
    assert len(kept) == 1
    listed = run("drafts").stdout.splitlines()
    # the first line typed, not the template's empty headline (`#`: try-out 22b)
    assert listed[0].split("\t")[0] == kept[0].name and listed[0].endswith("\tHalf a thought.")
    time.sleep(0.01)
    result = run("review", "dune", "--draft", kept[0].name[:8])  # no terminal: the draft as it is
    assert "Saved the review" in result.stderr
    review = tomllib.loads((books / "dune.toml").read_text())["review"]
    assert review["body"] == "Half a thought." and "readlog:" not in str(review)
    assert not kept[0].exists() and "No drafts kept" in run("drafts").stderr


def test_a_draft_piped_to_reflect_loses_readlogs_comment(run, books):
    from readlog.editor import reflection_template

    run("add", "Dune", "-a", "Frank Herbert")
    run("reflect", "dune", "-", input=reflection_template("Dune") + "What the desert teaches.\n")
    assert (
        tomllib.loads((books / "dune.toml").read_text())["reflections"][0]["text"]
        == "What the desert teaches."
    )


def test_reflect_resumes_a_draft_by_name(run, books, journal_home):
    run("add", "Dune", "-a", "Frank Herbert")
    drafts = journal_home / "drafts"
    drafts.mkdir()
    (drafts / "dune-20250101-101010.md").write_text("<!-- readlog: a reflection -->\n\nKept words.\n")
    assert "no draft named" in run("reflect", "dune", "--draft", "zzz", code=1).stderr
    run("reflect", "dune", "--draft", "dune-20250101-101010")
    assert tomllib.loads((books / "dune.toml").read_text())["reflections"][0]["text"] == "Kept words."
    assert not list(drafts.iterdir())


def test_edit_without_a_terminal_or_an_editor_is_refused(run, books, journal_home):
    run("add", "Dune", "-a", "Frank Herbert")
    assert "no terminal for an editor" in run("edit", "dune", code=1).stderr
    assert not (journal_home / "drafts").exists() or not list((journal_home / "drafts").iterdir())


# --- goal ----------------------------------------------------------------------------------------------------
def test_goal_json_and_clear(run, journal_home):
    run("goal", "12", "--year", "2025")
    assert json.loads(run("goal", "--year", "2025", "--json").stdout)["target"] == 12
    run("goal", "--clear", "--year", "2025")
    assert "no goal for 2025" in run("goal", "--year", "2025", code=1).stderr
    assert "2025" not in (journal_home / "goals.toml").read_text().split("[goals]")[1]


def test_errors_name_the_readers_file_not_readlogs_temp_file(run, tmp_path):
    run("add", "Dune", "-a", "Frank Herbert")
    missing = run("export", "--format", "json", "-o", str(tmp_path / "nowhere" / "x.json"), code=1).stderr
    assert "x.json" in missing and ".tmp" not in missing and "there is no folder" in missing
    folder = run("export", "--format", "json", "-o", str(tmp_path), "--force", code=1).stderr
    assert "is a folder" in folder and "--force" not in folder
    assert "Invalid isoformat" not in run("list", "--from", "2025-02-30", code=2).stderr


# --- issue 23: empty piped list, usage errors in one line ----------------------------------------------------
def test_piped_list_of_an_empty_journal_prints_nothing_on_stdout_and_the_hint_on_stderr(run, tmp_path):
    new_user = {"READLOG_HOME": "", "XDG_DATA_HOME": str(tmp_path / "share"), "HOME": str(tmp_path)}
    result = run("list", env=new_user)  # (a new user's default folder, not there yet)
    assert result.stdout == "" and "No journal at" in result.stderr
    run("add", "Dune", "-a", "Frank Herbert")
    result = run("list", "--status", "abandoned")
    assert result.stdout == "" and "No books match" in result.stderr
    csv = run("list", "--status", "abandoned", "--format", "csv")
    assert csv.stdout.splitlines() == ["slug,title,authors,status,rating,finished"] and csv.stderr
    assert run("list", "--status", "abandoned", "--json").stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["list", "--sort", "rtaing"], "did you mean 'rating'?"),
        (["list", "--limit", "x"], "'--limit'"),
        (["rate"], "Missing argument 'BOOK'"),
        (["nosuchcommand"], "No such command"),
        (["sync", "--bogus"], "No such option: --bogus"),
        (["--color", "sometimes", "list"], "'--color'"),
        (["list", "--color", "sometimes"], "'--color'"),
        (["next", "add"], "Missing argument"),
        (["resolve", "klara"], "give exactly one of --ours or --theirs"),
    ],
)
def test_every_usage_error_is_one_line_in_readlogs_form_with_exit_2(run, args, words):
    result = run(*args, code=2)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("readlog: error: ") and words in lines[0], lines
    assert "Usage:" not in result.stderr and "Try '" not in result.stderr


# --- the tests themselves ------------------------------------------------------------------------------------
def test_tests_import_each_other_as_ci_runs_them():
    """CI runs the `pytest` script, which puts the tests folder on the path but no `tests` package: a test
    that imports `from tests.x import` fails to collect there (though `python -m pytest` finds it), and one
    such file stops the whole run (sessions 21 and 22 each met it). They import `from x import`."""
    import re
    from pathlib import Path

    folder = Path(__file__).resolve().parent
    wrong = [
        f"{path.name}:{number}"
        for path in sorted(folder.glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.match(r"\s*(from tests[.\s]|import tests\b)", line)
    ]
    assert wrong == []
