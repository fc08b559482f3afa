"""The reading lifecycle through the CLI: start, progress, finish, abandon, pause, review, rate; what each
writes to the book file, and what list, stats and next then say."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import REPO, snapshot, write_editor

TODAY = date.today()


@pytest.fixture(autouse=True)
def _today() -> None:
    """TODAY as each test begins, not as the module was imported: a run crossing midnight UTC compared
    yesterday's date with the files' today."""
    global TODAY
    TODAY = date.today()


def book_file(books: Path, slug: str) -> dict:
    return tomllib.loads((books / f"{slug}.toml").read_text())


@pytest.fixture
def klara(run, books) -> Path:
    run("next", "add", "Klara and the Sun", "-a", "Kazuo Ishiguro", "--why", "An artificial friend.")
    assert book_file(books, "klara-and-the-sun")["status"] == "want"
    return books / "klara-and-the-sun.toml"


def test_want_start_progress_finish_with_a_piped_review(run, books, klara):
    run("start", "klara and the sun", "--date", "2026-01-02", "--format", "ebook")
    run("progress", "klara and the sun", "120/303", "--date", "2026-01-05", "--note", "the Exchange")
    run("progress", "klara and the sun", "50%", "--date", "2026-01-07")
    review = "# Sunlight as faith\n\n## The narrator\n\nKlara sees more than the people around her.\n"
    out = run(
        "finish",
        "klara and the sun",
        "--date",
        "2026-01-12",
        "--rating",
        "4.5",
        "--review-file",
        "-",
        input=review,
    )
    assert "Finished “Klara and the Sun”, rated 4.5; review saved" in out.stderr
    data = book_file(books, "klara-and-the-sun")
    assert data["status"] == "read" and data["rating"] == 4.5 and data["pages"] == 303
    assert "priority" not in data
    assert data["reads"] == [
        {
            "started": date(2026, 1, 2),
            "finished": date(2026, 1, 12),
            "format": "ebook",
            "progress": [
                {"date": date(2026, 1, 5), "page": 120, "note": "the Exchange"},
                {"date": date(2026, 1, 7), "percent": 50},
            ],
        }
    ]
    assert data["review"]["headline"] == "Sunlight as faith"
    assert data["review"]["body"].startswith("## The narrator")
    listed = json.loads(run("list", "--json").stdout)
    assert listed == [
        {
            "slug": "klara-and-the-sun",
            "title": "Klara and the Sun",
            "authors": ["Kazuo Ishiguro"],
            "status": "read",
            "rating": 4.5,
            "finished": "2026-01-12",
        }
    ]
    stats = json.loads(run("stats", "--json").stdout)
    assert (
        stats["finished"] == 1 and stats["books_per_year"] == {"2026": 1} and stats["ratings"] == {"4.5": 1}
    )
    shown = run("show", "klara").stdout
    assert "Read: 2026-01-02 → 2026-01-12 (ebook)" in shown and "★★★★½ 4.5" in shown


def test_a_reading_book_with_no_start_date_finishes_as_one_reading(run, books):
    (books.mkdir(parents=True))
    (books / "dune.toml").write_text('title = "Dune"\nauthors = ["Frank Herbert"]\nstatus = "reading"\n')
    run("finish", "dune", "--date", "2026-02-01")
    assert book_file(books, "dune")["reads"] == [{"finished": date(2026, 2, 1)}]
    books.joinpath("imported.toml").write_text(
        'title = "Imported"\nstatus = "want"\n\n[[reads]]\n'  # an open reading with no dates
    )
    run("start", "imported", "--date", "2026-02-02")  # uses that reading
    run("finish", "imported", "--date", "2026-02-09")
    assert book_file(books, "imported")["reads"] == [
        {"started": date(2026, 2, 2), "finished": date(2026, 2, 9)}
    ]


def test_a_finish_date_before_an_earlier_reading_ended_is_refused(run, books):
    """The try-out: an imported book being read (an open reading, no start) after a reading finished in
    2014, `finish --date 2001-01-01` was taken ("Read 3 times: date unknown; 2014-04-05; 2001-01-01")."""
    books.mkdir(parents=True)
    path = books / "warbreaker.toml"
    path.write_text(
        'title = "Warbreaker"\nauthors = ["Brandon Sanderson"]\nstatus = "reading"\n\n'
        "[[reads]]\nfinished = 2014-04-05\n\n[[reads]]\n"
    )
    before = path.read_bytes()
    result = run("finish", "warbreaker", "--date", "2001-01-01", code=1)
    assert "before an earlier reading of “Warbreaker” ended (2014-04-05)" in result.stderr
    assert result.stderr.count("\n") == 1 and path.read_bytes() == before
    run("finish", "warbreaker", "--date", "2014", code=0)  # (the same year: not surely before)
    assert book_file(books, "warbreaker")["reads"][-1] == {"finished": "2014"}
    path.write_bytes(before)
    run("abandon", "warbreaker", "--date", "2026-01-01")  # (stopped: its end counts too)
    assert "ended (2026-01-01)" in run("finish", "warbreaker", "--date", "2025-12-01", code=1).stderr


def test_a_reread_is_a_second_reading_with_its_own_rating(run, books):
    run("add", "Piranesi", "-a", "Susanna Clarke", "--finished", "2024-06-01", "-r", "4")
    out = run("start", "piranesi", "--date", "2026-03-01").stderr
    assert "again (reading 2)" in out
    run("finish", "piranesi", "--date", "2026-03-10", "--rating", "5")
    data = book_file(books, "piranesi")
    assert data["rating"] == 5
    # the first reading keeps the rating it was given (the book's until now); the re-read has its own
    assert data["reads"] == [
        {"finished": date(2024, 6, 1), "rating": 4},
        {"started": date(2026, 3, 1), "finished": date(2026, 3, 10), "rating": 5},
    ]
    stats = json.loads(run("stats", "--json").stdout)
    assert stats["finished"] == 2 and stats["rereads"] == 1
    shown = run("show", "piranesi").stdout
    assert "2024-06-01 (★★★★☆ 4)" in shown and "2026-03-10 (★★★★★ 5)" in shown


def test_a_reread_of_a_book_read_on_an_unknown_day_keeps_the_first_rating(run, books):
    """The first reading has no date (`add` with a rating, an export's read shelf without a date): it is a
    finished reading all the same, and keeps the rating the book had; before, the re-read's rating took
    the book's place and the 5 was gone."""
    run("add", "Mansfield Park", "-a", "Jane Austen", "-r", "5")
    assert "again (reading 2)" in run("start", "mansfield park", "--date", "2026-11-01").stderr
    out = run("finish", "mansfield park", "--date", "2026-11-20", "--rating", "4").stderr
    assert "(a re-read), rated 4" in out
    data = book_file(books, "mansfield-park")
    assert data["rating"] == 4
    assert data["reads"] == [
        {"rating": 5},
        {"started": date(2026, 11, 1), "finished": date(2026, 11, 20), "rating": 4},
    ]
    assert "date unknown (★★★★★ 5)" in run("show", "mansfield park").stdout


def test_a_reading_left_open_with_no_start_is_no_finished_reading(run, books):
    """Near miss: an earlier reading begun (progress) and never closed, with no start day, is not taken for
    a finished one: the book's rating is the new one's, and nothing is moved onto the old reading. (With a
    start day, a reading another began after is done, read on a day not recorded: `add --status read
    --started D`, then `start`: t30g, review 29c #1; it keeps the book's old rating.)"""
    (books).mkdir(parents=True, exist_ok=True)
    head = 'schema = 2\ntitle = "Emma"\nauthors = ["Jane Austen"]\nstatus = "reading"\nrating = 3\n\n'
    again = "[[reads]]\nstarted = 2026-11-01\n"
    (books / "emma.toml").write_text(
        f"{head}[[reads]]\n\n[[reads.progress]]\npage = 40\n\n{again}", encoding="utf-8"
    )
    assert "(a re-read)" not in run("finish", "emma", "--date", "2026-11-20", "--rating", "4").stderr
    data = book_file(books, "emma")
    assert data["reads"][0] == {"progress": [{"page": 40}]} and data["rating"] == 4
    (books / "emma.toml").write_text(f"{head}[[reads]]\nstarted = 2020-01-01\n\n{again}", encoding="utf-8")
    assert "(a re-read)" in run("finish", "emma", "--date", "2026-11-20", "--rating", "4").stderr
    data = book_file(books, "emma")
    assert data["reads"][0] == {"started": date(2020, 1, 1), "rating": 3} and data["rating"] == 4


def test_abandon_and_pause(run, books, klara):
    run("start", "klara and the sun", "--date", "2026-04-01")
    run("pause", "klara and the sun", "--date", "2026-04-03")
    assert book_file(books, "klara-and-the-sun")["status"] == "paused"
    assert "again where you left off" in run("start", "klara and the sun", "--date", "2026-04-05").stderr
    data = book_file(books, "klara-and-the-sun")
    assert data["status"] == "reading" and len(data["reads"]) == 1
    run("abandon", "klara and the sun", "--date", "2026-04-09", "--at", "88")
    data = book_file(books, "klara-and-the-sun")
    assert data["status"] == "abandoned"
    assert data["reads"] == [
        {
            "started": date(2026, 4, 1),
            "stopped": date(2026, 4, 9),
            "pauses": [{"paused": date(2026, 4, 3), "resumed": date(2026, 4, 5)}],
            "progress": [{"date": date(2026, 4, 9), "page": 88}],
        }
    ]
    stats = json.loads(run("stats", "--json").stdout)
    assert stats["finished"] == 0 and stats["abandoned"] == 1
    assert "Abandoned: 2026-04-01 → stopped 2026-04-09" in run("show", "klara").stdout  # not "Reading"
    # Trying again is a new reading.
    run("start", "klara and the sun", "--date", "2026-05-01")
    assert len(book_file(books, "klara-and-the-sun")["reads"]) == 2


def test_review_replace_keeps_the_old_text(run, books, journal_home):
    run("add", "Dune", "-a", "Frank Herbert", "--review", "First thoughts.", "--headline", "Sand")
    result = run("review", "dune", "Second thoughts.", code=1)
    assert "already has a review: pass --replace" in result.stderr
    assert book_file(books, "dune")["review"]["body"] == "First thoughts."
    out = run("review", "dune", "Second thoughts.", "--replace").stderr
    kept = list((journal_home / "trash").glob("dune.review.*.md"))
    assert len(kept) == 1 and kept[0].read_text() == "# Sand\n\nFirst thoughts."
    assert str(kept[0]) in out
    assert book_file(books, "dune")["review"] == {"written": TODAY, "body": "Second thoughts."}
    # The old headline went to trash/ with its text: said, with the command that gives it back (it was silent).
    assert "Its headline “Sand” went with it" in out
    assert "`readlog review dune --headline Sand --replace` gives it back" in out
    run("review", "dune", "--headline", "Sand", "--replace")
    assert book_file(books, "dune")["review"]["headline"] == "Sand"
    assert book_file(books, "dune")["review"]["body"] == "Second thoughts."
    # A new text with its own headline, or replacing a review that had none, says nothing of headlines.
    assert "headline" not in run("review", "dune", "Again.", "--headline", "Dust", "--replace").stderr
    # Twice in the same second: both old versions are kept.
    run("review", "dune", "Third.", "--replace")
    run("review", "dune", "Fourth.", "--replace")
    texts = sorted(p.read_text() for p in (journal_home / "trash").glob("dune.review.*.md"))
    assert "# Dust\n\nAgain." in texts and "# Sand\n\nFirst thoughts." in texts and "Third." in texts


def test_rate(run, books):
    run("add", "Dune", "-a", "Frank Herbert")
    assert "★★★★¾ 4.75" in run("rate", "dune", "4.75").stderr
    assert book_file(books, "dune")["rating"] == 4.75
    before = snapshot(books)
    assert "steps of 0.25" in run("rate", "dune", "4.1", code=2).stderr
    assert snapshot(books) == before


USAGE = {
    "AT: 'abc' is not a position",
    "AT (page): 0 is out of range",
    "is not a percentage",
    "is not a length of time",
    "--format: 'scroll' is not a format",
    "is not a rating",
}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["progress", "reading", "abc"], "AT: 'abc' is not a position"),
        (["progress", "reading", "0"], "AT (page): 0 is out of range"),
        (["progress", "reading", "400"], "AT: page 400 is past the end (300 pages)"),
        (["progress", "reading", "20/10"], "AT: page 20 is past the end (10 pages)"),
        (["progress", "reading", "30/200"], "has 300 pages, not 200"),
        (["progress", "reading", "101%"], "is not a percentage"),
        (["progress", "reading", "1:75"], "is not a length of time"),
        (["progress", "reading", "120", "--of", "10:00"], "--of goes with a listening position"),
        (["progress", "reading", "12", "--date", "2020-01-01"], "before this reading started"),
        (["progress", "wanted", "12"], "cannot log progress on “Wanted”: it is want"),
        (["progress", "done", "12"], "cannot log progress on “Done”: it is read"),
        (["pause", "wanted"], "cannot pause “Wanted”"),
        (["start", "reading"], "is already being read since 2026-01-01"),
        (["start", "Not Here"], "give --author NAME"),
        (["start", "reading", "--format", "scroll"], "--format: 'scroll' is not a format"),
        (["finish", "reading", "--date", "2025-12-31"], "before this reading started"),
        (["finish", "reading", "--rating", "6"], "is not a rating"),
        (["abandon", "done"], "“Done” is read: there is no reading to abandon"),
        (["finish", "done", "--review", "again"], "already has a review: pass --replace"),
        (["review", "done", "   "], "the review is empty"),
    ],
)
def test_bad_lifecycle_input_is_refused_with_nothing_written(run, books, journal_home, args, message):
    books.mkdir(parents=True)
    (books / "reading.toml").write_text(
        'title = "Reading"\nstatus = "reading"\npages = 300\n\n[[reads]]\nstarted = 2026-01-01\n'
    )
    (books / "wanted.toml").write_text('title = "Wanted"\nstatus = "want"\n')
    (books / "done.toml").write_text(
        'title = "Done"\nstatus = "read"\n\n[[reads]]\nfinished = 2026-01-01\n\n[review]\nbody = "Kept."\n'
    )
    before = snapshot(journal_home)
    usage = message in USAGE  # a value outside the option's type or range: exit 2; else the journal says no
    result = run(*args, code=2 if usage else 1)
    assert message in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1
    after = snapshot(journal_home)
    after.pop(".lock", None)  # the lock file is made by the first write attempt: it holds nothing
    assert after == before


def test_audiobook_progress_sets_the_duration_once(run, books):
    run(
        "start",
        "Station Eleven",
        "-a",
        "Emily St. John Mandel",
        "--format",
        "audiobook",
        "--date",
        "2026-01-01",
    )
    run("progress", "station eleven", "5:30", "--of", "10:12", "--date", "2026-01-04")
    data = book_file(books, "station-eleven")
    assert data["duration"] == "10:12" and data["status"] == "reading"
    assert data["reads"][0]["progress"] == [{"date": date(2026, 1, 4), "minutes": 330}]
    assert "past the end (10:12 long)" in run("progress", "station eleven", "11:00", code=1).stderr
    assert "long already" in run("progress", "station eleven", "6:00", "--of", "9:00", code=1).stderr
    listed = run("list", "--status", "reading", "--format", "table").stdout
    assert "Progress" in listed and "53%" in listed


def test_show_next_and_list_show_the_open_reading(run, books, klara, monkeypatch):
    start = (TODAY - timedelta(days=10)).isoformat()
    run("start", "klara-and-the-sun", "--date", start)
    run("progress", "klara-and-the-sun", "100/300")
    shown = run("show", "klara").stdout
    assert "33%  p. 100 of 300" in shown and "10 pages a day" in shown
    assert f"Done by about: {(TODAY + timedelta(days=20)).isoformat()}" in shown
    assert "33%" in run("list", "--status", "reading", "--format", "table").stdout
    queue = run("next", "--format", "table").stdout
    assert queue.index("Reading now") < queue.index("Klara")
    assert "(p. 100 of 300, 33%)" in queue


def test_add_says_which_verb_for_a_book_already_there(run, klara, unchanged):
    result = run("add", "Klara and the Sun", "-a", "Kazuo Ishiguro", code=1)
    assert "(want to read): `readlog start klara-and-the-sun`" in result.stderr
    again = run("next", "add", "Klara and the Sun", "-a", "Kazuo Ishiguro", code=1)
    assert "--reread" not in again.stderr and "readlog start" in again.stderr


def test_add_of_a_read_book_without_dates_records_an_undated_reading(run, books):
    run("add", "Dune", "-a", "Frank Herbert", "-r", "4")
    assert book_file(books, "dune")["reads"] == [{}]
    stats = json.loads(run("stats", "--json").stdout)
    assert stats["undated"] == 1 and stats["finished"] == 0
    assert "1 read book has no finish date" in run("stats").stdout
    run("goal", "10", "--year", str(TODAY.year))
    assert "1 read book has no finish date" in run("goal", "--year", str(TODAY.year)).stdout


# --- stdin is read only when asked for ------------------------------------------------------------------------
def _cli(args: list[str], stdin_text: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """readlog in a real process with a real pipe on stdin (CliRunner's stdin is not a pipe)."""
    return subprocess.run(
        [sys.executable, "-m", "readlog", *args],
        input=stdin_text,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_piped_text_is_never_silently_dropped(journal_home, books):
    env = dict(os.environ)
    done = _cli(["add", "Dune", "-a", "Frank Herbert", "--status", "reading"], "my review of dune", env)
    assert done.returncode == 0, done.stderr
    assert (
        "text on stdin was not read; to use it, pass --review-file - to read the review from it"
        in done.stderr
    )
    assert "review" not in book_file(books, "dune")
    done = _cli(["review", "dune", "-"], "my review of dune", env)
    assert done.returncode == 0, done.stderr
    assert book_file(books, "dune")["review"]["body"] == "my review of dune"
    done = _cli(["finish", "dune", "--review-file", "-", "--replace"], "# Sand\nsecond", env)
    assert done.returncode == 0, done.stderr
    assert book_file(books, "dune")["review"]["headline"] == "Sand"


def test_a_loop_over_a_file_of_titles_finishes_each(journal_home, books, tmp_path):
    for title in ("Dune", "Emma"):
        (books.mkdir(parents=True, exist_ok=True))
        (books / f"{title.lower()}.toml").write_text(f'title = "{title}"\nstatus = "reading"\n')
    (tmp_path / "list").write_text("dune\nemma\n")
    script = f'while read t; do "{sys.executable}" -m readlog finish "$t" --date 2026-01-01; done < "{tmp_path / "list"}"'
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and "not read" not in done.stderr, done.stderr
    assert book_file(books, "dune")["status"] == book_file(books, "emma")["status"] == "read"


# --- the editor template ------------------------------------------------------------------------------------
def test_an_untouched_template_cancels_and_an_empty_headline_line_means_none(
    run, books, tmp_path, monkeypatch
):
    monkeypatch.setenv("EDITOR", write_editor(tmp_path, "pass\n", "untouched.py"))
    result = run("add", "Dune", "-a", "Frank Herbert", "--edit", code=1)
    assert "left as it was: nothing was added" in result.stderr
    assert not books.exists() or not list(books.iterdir())
    typed = (
        "import sys\np = sys.argv[1]\ntext = open(p).read()\n"
        "open(p, 'w').write(text.replace('# \\n', '# \\nA review typed under the empty headline.\\n'))\n"
    )
    monkeypatch.setenv("EDITOR", write_editor(tmp_path, typed, "typed.py"))
    run("add", "Dune", "-a", "Frank Herbert", "--edit")
    review = book_file(books, "dune")["review"]
    assert "headline" not in review and review["body"] == "A review typed under the empty headline."
    monkeypatch.setenv("EDITOR", write_editor(tmp_path, "pass\n", "untouched2.py"))
    assert "No changes to the review" in run("review", "dune", "--edit", "--replace").stderr  # (t24f: exit 0)
    assert book_file(books, "dune")["review"]["body"] == "A review typed under the empty headline."


# --- next add / next drop ----------------------------------------------------------------------------------
def test_next_drop_removes_what_next_add_made(run, books, journal_home):
    run("next", "add", "Station Eleven", "-a", "Emily St. John Mandel")
    out = run("next", "drop", "station eleven").stderr
    assert "from your want list" in out and not (books / "station-eleven.toml").exists()
    assert list((journal_home / "trash").glob("station-eleven.*.toml"))
    run("add", "Dune", "-a", "Frank Herbert", "--status", "want", "--review", "Notes before reading.")
    result = run("next", "drop", "dune", code=1)
    assert "not a pick" in result.stderr and "readlog rm dune" in result.stderr


def test_a_pick_from_an_unread_book_is_picked_from_not_because_you_read(run):
    run("next", "add", "Dune", "-a", "Frank Herbert")
    run("next", "add", "Dune Messiah", "-a", "Frank Herbert", "--from", "dune", "--why", "What comes after.")
    queue = run("next", "--format", "table").stdout
    assert "Picked from Dune" in queue and "Because you read" not in queue
    run("finish", "dune", "--date", "2026-01-01")
    assert "Because you read Dune" in run("next", "--format", "table").stdout


def test_the_lifecycle_verbs_keep_start_up_lazy():
    """Listing the commands imports none of them (the help table is static)."""
    code = (
        "import sys; from typer.testing import CliRunner; from readlog.cli import app;"
        "r = CliRunner().invoke(app, ['--help']); assert r.exit_code == 0, r.output;"
        "assert 'progress' in r.output and 'finish' in r.output;"
        "loaded = [m for m in sys.modules if m.startswith('readlog.cli.') and m != 'readlog.cli.app'];"
        "print(loaded)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_private_flags_and_the_read_next_intro_through_the_cli(run, books):
    run("add", "Dune", "-a", "Frank Herbert", "--private")
    run("add", "Emma", "-a", "Jane Austen")
    run("reflect", "emma", "Only for me.", "--private")
    run("quote", "emma", "A line for me.", "--private")
    run("review", "emma", "Not for the site.", "--private")
    assert book_file(books, "dune")["private"] is True
    emma = book_file(books, "emma")
    assert emma["reflections"][0]["private"] is True and emma["quotes"][0]["private"] is True
    assert emma["review"]["private"] is True
    run("next", "add", "Persuasion", "-a", "Jane Austen", "--from", "emma")
    run("next", "intro", "emma", "Three more comedies of manners.", "--heading", "After Highbury")
    assert book_file(books, "emma")["read_next"] == {
        "heading": "After Highbury",
        "intro": "Three more comedies of manners.",
    }
    assert "After Highbury" in run("show", "emma").stdout


def test_next_lists_ten_readings_and_counts_the_rest(run, books):
    for n in range(12):
        run(
            "add",
            f"Open Book {n}",
            "-a",
            "A. Reader",
            "--status",
            "reading",
            "--started",
            f"2026-01-{n + 1:02d}",
        )
    queue = run("next", "--format", "table").stdout
    assert queue.count("Open Book") == 10 and "and 2 more: readlog list --status reading" in queue
    few = run("next", "--format", "table", "--limit", "3").stdout
    assert few.count("Open Book") == 3 and "and 9 more" in few
    everything = run("next", "--format", "table", "--limit", "0").stdout
    assert everything.count("Open Book") == 12 and "more: readlog list" not in everything


def test_every_table_header_in_a_rewritten_file_has_a_blank_line_before_it(run, books):
    """The try-out: tomlkit wrote `[[reads.pauses]]` (and `[review]`) right under the last progress line."""
    run("add", "Test Book", "-a", "A B", "--status", "want")
    run("start", "test book", "--date", "2026-11-01")
    run("progress", "test book", "50", "--date", "2026-11-02")
    run("pause", "test book", "--date", "2026-11-03")
    run("start", "test book", "--date", "2026-11-05")
    run("progress", "test book", "80", "--date", "2026-11-06")
    review = "A fine book.\n[section]\nstays as written, [a link](x) too.\n"  # (string lines like headers)
    run("review", "test book", review)
    text = (books / "test-book.toml").read_text()
    lines = text.splitlines()
    headers = [n for n, line in enumerate(lines) if line.startswith("[") and line.endswith("]")]
    inside = [n for n in headers if lines[n] == "[section]"]
    assert [n for n in headers if n not in inside and lines[n - 1] != ""] == []
    assert "\n\n\n" not in text
    assert book_file(books, "test-book")["review"]["body"] == review  # (a string's lines left alone)


def test_wrong_way_refusals_change_nothing(run, books):
    """Try-out 24b: a re-read started before the earlier reading ended (finish refused every day that fit
    it then), `abandon` of a book abandoned already ("Abandoned", nothing changed), an empty --author (a
    book with no author, where no --author at all is refused)."""
    run("add", "Remains", "-a", "K I", "--started", "2025-03-10", "--finished", "2025-04-02")
    before = snapshot(books)
    said = run("start", "remains", "--date", "2020-01-01", code=1).stderr
    assert "--date 2020-01-01 is before an earlier reading of “Remains” ended (2025-04-02)" in said
    assert snapshot(books) == before
    run("start", "remains", "--date", "2025-04-02")  # the day it ended: a re-read may begin then
    run("abandon", "remains", "--date", "2025-05-01")
    before = snapshot(books)
    said = run("abandon", "remains", "--date", "2025-05-02", code=1).stderr
    assert "“Remains” is abandoned already (stopped 2025-05-01): `readlog start` reads it again" in said
    assert snapshot(books) == before
    for args in (
        ["add", "Nobody", "--author", ""],
        ["add", "Nobody", "--author", "   "],
        ["add", "Nobody", "-a", "X", "-a", ""],
        ["start", "Nobody", "--author", ""],
        ["next", "add", "Nobody", "--author", "", "--from", "remains"],
    ):
        assert "--author: an author's name is empty" in run(*args, code=1).stderr, args
    assert snapshot(books) == before


def test_an_empty_review_given_to_add_or_finish_is_refused(run, books, tmp_path):
    """`finish --rating 4 --review ""` finished the book and dropped the review without a word (try-out 24b):
    now refused before anything is written, as `review BOOK ""` is."""
    run("add", "Klara", "-a", "K I", "--status", "want")
    run("start", "klara")
    before = snapshot(books)
    empty = tmp_path / "empty.md"
    empty.write_text("")
    for args in (
        ["finish", "klara", "--rating", "4", "--review", ""],
        ["finish", "klara", "--review", "   "],
        ["finish", "klara", "--review-file", str(empty)],
        ["add", "Other", "-a", "X", "--review", ""],
    ):
        assert "the review given is empty" in run(*args, code=1).stderr, args
    assert snapshot(books) == before


def test_progress_in_other_digits_is_echoed_as_it_was_stored(run, books):
    """`progress BOOK ٥٠` stored page 50 and said `at ٥٠` (try-out 24b): the echo says what was kept."""
    run("add", "Klara", "-a", "K I", "--status", "want")
    run("start", "klara")
    assert "“Klara”: at p. 50" in run("progress", "klara", "٥٠").stderr
    assert book_file(books, "klara")["reads"][0]["progress"][0]["page"] == 50
    assert "“Klara”: at 60" in run("progress", "klara", "60").stderr


def test_a_review_saved_meanwhile_from_another_shell_is_not_written_over(
    run, books, journal_home, tmp_path, monkeypatch
):
    """Try-out 24b: `review --edit` open in one shell, a review saved from another: the editor's text was
    written over it without a word (kept only in trash/). Now refused, the editor's text kept as a draft with
    the command that takes it up, the other shell's review left as it was."""
    run("add", "Dune", "-a", "Frank Herbert", "--review", "Old review.")
    other = (
        "import os, subprocess, sys\n"
        "subprocess.run([sys.executable, '-m', 'readlog', 'review', 'dune', 'Saved from another shell.',"
        " '--replace'], check=True, env={**os.environ, 'EDITOR': ''})\n"
        "open(sys.argv[1], 'w').write('# Mine\\n\\nWritten in the editor.\\n')\n"
    )
    monkeypatch.setenv("EDITOR", write_editor(tmp_path, other, "meanwhile.py"))
    monkeypatch.setenv("READLOG_HOME", str(journal_home))
    said = run("review", "dune", "--edit", code=1).stderr
    assert "changed while you were editing it" in said and "--draft" in said, said
    assert book_file(books, "dune")["review"]["body"] == "Saved from another shell."
    (draft,) = (journal_home / "drafts").glob("dune-*.md")
    assert "Written in the editor." in draft.read_text()
