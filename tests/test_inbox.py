"""The phone inbox: the grammar (a pure parser, tested without files), then `readlog inbox` filing each line
through the verbs' actions, what it leaves and why, and what a SIGKILL in the middle leaves."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import snapshot
from readlog import bookfile
from readlog.actions import inbox as inbox_module
from readlog.actions.inbox import Invalid, Note, parse, parse_line, split_lines, where


# --- the grammar, pure -----------------------------------------------------------------------------------
def note(line: str) -> Note:
    parsed = parse_line(line.encode(), 1)
    assert isinstance(parsed, Note), parsed
    return parsed


def invalid(line: bytes | str) -> str:
    parsed = parse_line(line.encode() if isinstance(line, str) else line, 7)
    assert isinstance(parsed, Invalid), parsed
    assert parsed.number == 7
    return parsed.reason


@pytest.mark.parametrize(
    ("line", "verb", "book", "args"),
    [
        ("start: klara", "start", "klara", (None,)),
        ("start: klara | ebook", "start", "klara", ("ebook",)),
        ("progress: klara | 120", "progress", "klara", ("120", None)),
        ("progress: klara | 42% | the ice | crossing", "progress", "klara", ("42%", "the ice | crossing")),
        ("finish: klara | 4.5", "finish", "klara", ("4.5", None)),
        ("finish: klara", "finish", "klara", (None, None)),
        ("finish: klara | | A review, no rating", "finish", "klara", (None, "A review, no rating")),
        ("abandon: the book of the new sun | 112", "abandon", "the book of the new sun", ("112",)),
        ("pause: middlemarch", "pause", "middlemarch", ()),
        ("review: klara | Loved it.", "review", "klara", (None, "Loved it.")),
        ("review: klara | The sun | Loved it.", "review", "klara", ("The sun", "Loved it.")),
        ("rate: never let me go | 4.5", "rate", "never let me go", ("4.5",)),
        ("reflect: dune | text | with a pipe", "reflect", "dune", ("text | with a pipe",)),
        ("quote: never let me go | p. 53 | the line", "quote", "never let me go", ("p. 53", "the line")),
        ("quote: never let me go | the line", "quote", "never let me go", (None, "the line")),
        ("quote: dune | | fear | the mind-killer", "quote", "dune", (None, "fear | the mind-killer")),
        ("next: klara | Piranesi | Susanna Clarke", "next", "klara", ("Piranesi", "Susanna Clarke", None)),
        (
            "next: klara | Piranesi | Susanna Clarke | why",
            "next",
            "klara",
            ("Piranesi", "Susanna Clarke", "why"),
        ),
        ("next: | Dune | Frank Herbert", "next", "", ("Dune", "Frank Herbert", None)),
        ("  QUOTE :  dune  |  p53 |  fear  ", "quote", "dune", ("p53", "fear")),
        (
            "- reflect: dune | a bullet of a Markdown list",
            "reflect",
            "dune",
            ("a bullet of a Markdown list",),
        ),
    ],
)
def test_good_lines(line, verb, book, args):
    parsed = note(line)
    assert (parsed.verb, parsed.book, parsed.args, parsed.day) == (verb, book, args, None)
    assert parsed.raw == line.encode()


def test_a_line_may_begin_with_the_day_it_was_written():
    parsed = note("2026-11-20 finish: klara | 4.5")
    assert (parsed.day, parsed.verb, parsed.args) == ("2026-11-20", "finish", ("4.5", None))


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("just a thought about dune", "not `VERB: BOOK | ...`"),
        ("note: dune | text", "unknown verb 'note'"),
        ("reflect: | text", "no BOOK: reflect: BOOK | TEXT"),
        ("reflect: dune", "too few fields: reflect: BOOK | TEXT"),
        ("reflect: dune |   ", "too few fields"),
        ("rate: dune", "too few fields: rate: BOOK | RATING"),
        ("progress: dune", "too few fields"),
        ("progress: dune | | a note", "no AT: progress: BOOK | AT | [NOTE]"),
        ("next: dune | Piranesi", "too few fields: next: [BOOK] | TITLE | AUTHOR | [WHY]"),
        ("next: dune | | Susanna Clarke", "no TITLE"),
        ("pause: dune | why", "too many fields: pause: BOOK"),
        ("quote: dune", "too few fields"),
    ],
)
def test_bad_lines_say_why(line, reason):
    assert reason in invalid(line)


def test_not_utf8_is_a_bad_line():
    assert invalid(b"reflect: dune | caf\xe9") == "not UTF-8 text"


def test_blank_and_comment_lines_are_not_notes():
    assert parse(b"\n   \n# reflect: dune | not a note\n\t\n") == []


def test_parse_numbers_lines_as_in_the_file_crlf_bom_and_all():
    data = b"\xef\xbb\xbf# phone\r\n\r\nrate: dune | 4\r\nhello\r\nreflect: dune | last, no newline"
    items = parse(data)
    assert [(i.number, type(i).__name__) for i in items] == [(3, "Note"), (4, "Invalid"), (5, "Note")]
    assert items[0].raw == b"rate: dune | 4"
    assert split_lines(b"a\nb\n") == [b"a", b"b"]


@pytest.mark.parametrize(
    ("text", "page", "location"),
    [
        ("p. 53", 53, None),
        ("p53", 53, None),
        ("page 53", 53, None),
        ("53", 53, None),
        ("ch. 3", None, "ch. 3"),
    ],
)
def test_where_a_quote_is(text, page, location):
    assert where(text) == (page, location)


# --- filing ------------------------------------------------------------------------------------------
@pytest.fixture
def journal(run, journal_home: Path) -> Path:
    run("add", "Never Let Me Go", "-a", "Kazuo Ishiguro", "-r", "4")
    run("add", "Klara and the Sun", "-a", "Kazuo Ishiguro", "--status", "want")
    run("add", "The Remains of the Day", "-a", "Kazuo Ishiguro", "--status", "want")
    run("add", "Dune", "-a", "Frank Herbert", "--status", "reading")
    run("add", "Dune Messiah", "-a", "Frank Herbert", "--status", "want")
    return journal_home


def write_inbox(home: Path, text: str | bytes) -> Path:
    path = home / "inbox.md"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def book(home: Path, slug: str):
    path = home / "books" / f"{slug}.toml"
    return bookfile.parse(path.read_text(encoding="utf-8"), str(path))


def test_every_verb_files_into_its_book(run, journal):
    path = write_inbox(
        journal,
        "# from the phone\n"
        "start: klara | ebook\n"
        "progress: klara | 120/300 | Josie is ill\n"
        "reflect: never let me go | What would I have done?\n"
        "quote: never let me go | p. 53 | Memories are what we keep.\n"
        "quote: klara | ch. 3 | The sun's nourishment.\n"
        "rate: never let me go | 4.5\n"
        "review: never let me go | Quietly devastating | Read it twice.\n"
        "next: never let me go | Piranesi | Susanna Clarke | another closed world\n"
        "next: | Babel | R. F. Kuang\n"
        "2026-11-20 reflect: dune | Spice as oil.\n"
        "pause: dune\n"
        "start: the remains of the day\n"
        "abandon: the remains of the day | 40\n"
        "finish: klara | 4 | Better than I expected.\n",
    )
    result = run("inbox")
    assert result.stdout == ""  # confirmations, on stderr
    assert result.stderr.splitlines()[:2] == [
        "Filed line 2: start “Klara and the Sun”",
        "Filed line 3: progress in “Klara and the Sun”",
    ]
    assert len(result.stderr.splitlines()) == 14
    assert "Filed line 9: pick “Piranesi” from “Never Let Me Go”" in result.stderr
    assert "Filed line 10: want “Babel”" in result.stderr
    assert "Filed line 11: reflect on “Dune”" in result.stderr
    assert path.read_text() == "# from the phone\n"

    klara = book(journal, "klara-and-the-sun")
    assert klara.status == "read" and klara.rating == 4 and klara.pages == 300
    assert klara.reads[-1].format == "ebook" and klara.reads[-1].finished is not None
    assert klara.reads[-1].progress[0].page == 120 and klara.reads[-1].progress[0].note == "Josie is ill"
    assert klara.review.body == "Better than I expected."
    assert (klara.quotes[0].text, klara.quotes[0].location) == ("The sun's nourishment.", "ch. 3")
    never = book(journal, "never-let-me-go")
    assert never.rating == 4.5 and never.reflections[0].text == "What would I have done?"
    assert (never.quotes[0].text, never.quotes[0].page) == ("Memories are what we keep.", 53)
    assert (never.review.headline, never.review.body) == ("Quietly devastating", "Read it twice.")
    assert (never.next[0].title, never.next[0].authors, never.next[0].why) == (
        "Piranesi",
        ["Susanna Clarke"],
        "another closed world",
    )
    assert book(journal, "babel").status == "want"
    dune = book(journal, "dune")
    assert dune.status == "paused" and str(dune.reflections[0].date) == "2026-11-20"
    remains = book(journal, "the-remains-of-the-day")
    assert remains.status == "abandoned" and remains.reads[-1].progress[-1].page == 40


def test_bad_and_unmatched_lines_stay_byte_for_byte_with_a_reason_and_nothing_is_written(run, journal):
    before = snapshot(journal / "books")
    text = (
        b"\xef\xbb\xbf# phone\r\n"
        b"reflect: klaar and the sun | a typo in BOOK\r\n"  # only a fuzzy match: not filed
        b"reflect: gardening for beginners | no such book\n"
        b"reflect: d | two books match\n"
        b"rate: klara | eleven\n"
        b"2026-13-45 finish: klara | 4\n"
        b"pause: klara\n"
        b"   \n"
        b"hello there\n"
        b"reflect: never let me go | caf\xe9\n"
        b"start: dune"
    )
    path = write_inbox(journal, text)
    result = run("inbox", code=1)
    assert result.stdout == ""
    reasons = result.stderr.splitlines()
    assert [line.split(":", 2)[1] for line in reasons] == ["2", "3", "4", "5", "6", "7", "9", "10", "11"]
    assert "klaar and the sun" in reasons[0] and "inbox.md:2:" in reasons[0]
    assert "matches several books" in reasons[2]
    assert "eleven" in reasons[3] and "2026-13-45" in reasons[4]
    assert "cannot pause" in reasons[5]
    assert "not UTF-8" in reasons[7]
    assert "already being read" in reasons[8]
    assert path.read_bytes() == text
    assert snapshot(journal / "books") == before


def test_json_and_dry_run(run, journal):
    path = write_inbox(journal, "rate: klara | 5\nrate: nothing like it | 5\n")
    before = snapshot(journal)
    dry = json.loads(run("inbox", "--dry-run", "--json", code=1).stdout)
    assert dry["dry_run"] is True
    assert [(f["line"], f["book"], f["verb"]) for f in dry["filed"]] == [(1, "klara-and-the-sun", "rate")]
    assert [item["line"] for item in dry["left"]] == [2]
    assert snapshot(journal) == before
    done = json.loads(run("inbox", "--json", code=1).stdout)
    assert done["filed"][0]["title"] == "Klara and the Sun" and done["dry_run"] is False
    assert done["left"] == [
        {"line": 2, "text": "rate: nothing like it | 5", "reason": dry["left"][0]["reason"]}
    ]
    assert path.read_text() == "rate: nothing like it | 5\n"


def test_running_twice_files_nothing_twice(run, journal):
    path = write_inbox(journal, "reflect: dune | once\nquote: dune | once\nreflect: nope | stays\n")
    run("inbox", code=1)
    after = snapshot(journal / "books")
    result = run("inbox", code=1)
    assert result.stdout == "" and snapshot(journal / "books") == after
    assert [r.text for r in book(journal, "dune").reflections] == ["once"]
    assert path.read_text() == "reflect: nope | stays\n"
    path.write_text("# all done\n")
    assert run("inbox").stderr.strip() == "nothing to file: inbox.md has no notes"


def test_no_inbox_at_all(run, journal):
    assert run("inbox").stderr.strip() == "nothing to file: inbox.md has no notes"
    assert not (journal / "inbox.md").exists()


def test_the_last_line_without_a_newline_and_crlf_lines_around_it(run, journal):
    path = write_inbox(journal, b"# keep\r\nrate: nope | 3\r\nrate: klara | 3")
    run("inbox", code=1)
    assert path.read_bytes() == b"# keep\r\nrate: nope | 3\r\n"


def test_lines_appended_while_filing_are_kept(run, journal, monkeypatch):
    """A folder sync (or the phone) adds lines while `inbox` files: the inbox is read again before each
    rewrite, so they stay, to be filed next time."""
    path = write_inbox(journal, "reflect: dune | first\nreflect: dune | second\n")
    file_reflection = inbox_module.ACTIONS["reflect"]

    def and_the_phone_writes(journal_, note_, slug):
        with path.open("ab") as handle:
            handle.write(f"quote: dune | written during line {note_.number}\n".encode())
        return file_reflection(journal_, note_, slug)

    with monkeypatch.context() as patched:
        patched.setitem(inbox_module.ACTIONS, "reflect", and_the_phone_writes)
        run("inbox")
    assert path.read_text() == "quote: dune | written during line 1\nquote: dune | written during line 2\n"
    run("inbox")
    assert [q.text for q in book(journal, "dune").quotes] == [
        "written during line 1",
        "written during line 2",
    ]
    assert path.read_text() == ""


def test_an_inbox_that_is_not_a_file_is_one_clear_error(run, journal):
    os.mkfifo(journal / "inbox.md")
    result = run("inbox", code=1)
    assert "inbox.md: not a regular file" in result.stderr


def test_an_inbox_that_is_a_link_stays_a_link(run, journal, tmp_path):
    synced = tmp_path / "Dropbox" / "inbox.md"
    synced.parent.mkdir()
    synced.write_text("rate: klara | 3\n# keep\n")
    (journal / "inbox.md").symlink_to(synced)
    run("inbox")
    assert (journal / "inbox.md").is_symlink() and synced.read_text() == "# keep\n"


# --- SIGKILL ------------------------------------------------------------------------------------------
def test_an_interrupted_line_whose_book_was_written_is_removed_not_filed_again(run, journal):
    """The state a SIGKILL between writing the book and rewriting the inbox leaves: the marker names the
    line and its book as it was; the book has changed since, so the line was filed."""
    dune = journal / "books" / "dune.toml"
    import hashlib

    was = hashlib.sha256(dune.read_bytes()).hexdigest()
    run("reflect", "dune", "filed just before the kill")
    line = b"reflect: dune | filed just before the kill"
    path = write_inbox(journal, line + b"\nreflect: dune | not yet\n")
    marker = {"line": line.hex(), "book": "dune.toml", "was": was}
    (journal / ".inbox-filing").write_text(json.dumps(marker))
    dry = run("inbox", "--dry-run")
    assert "would remove “reflect: dune | filed just before the kill”" in dry.stderr
    assert dry.stdout == "Would file line 2: reflect on “Dune”\n"
    result = run("inbox")
    assert "an interrupted run filed it" in result.stderr
    assert [r.text for r in book(journal, "dune").reflections] == ["filed just before the kill", "not yet"]
    assert path.read_text() == "" and not (journal / ".inbox-filing").exists()


def test_an_interrupted_line_whose_book_was_not_written_is_filed(run, journal):
    dune = journal / "books" / "dune.toml"
    import hashlib

    line = b"reflect: dune | killed before the write"
    marker = {
        "line": line.hex(),
        "book": "dune.toml",
        "was": hashlib.sha256(dune.read_bytes()).hexdigest(),
    }
    (journal / ".inbox-filing").write_text(json.dumps(marker))
    path = write_inbox(journal, line + b"\n")
    run("inbox")
    assert [r.text for r in book(journal, "dune").reflections] == ["killed before the write"]
    assert path.read_text() == "" and not (journal / ".inbox-filing").exists()


def test_sigkill_at_random_moments_files_each_line_exactly_once(journal):
    """Each line is filed once: killed anywhere, the inbox and the book between them hold every line once,
    and the next run finishes the job."""
    # Enough lines that filing takes longer than the first kill comes, however fast the machine.
    lines = [f"reflect: dune | note {n}" for n in range(200)] + [
        f"quote: klara | line {n}" for n in range(100)
    ]
    path = write_inbox(journal, "\n".join(lines) + "\n")
    env = dict(os.environ, READLOG_HOME=str(journal))
    chance = random.Random(14)
    killed = 0
    for _ in range(6):
        process = subprocess.Popen(
            [sys.executable, "-m", "readlog", "inbox"], env=env, stderr=subprocess.PIPE
        )
        time.sleep(chance.uniform(0.05, 0.6))
        process.send_signal(signal.SIGKILL)
        killed += process.wait() == -signal.SIGKILL
        left = path.read_text().splitlines()
        filed = [f"reflect: dune | {r.text}" for r in book(journal, "dune").reflections]
        filed += [f"quote: klara | {q.text}" for q in book(journal, "klara-and-the-sun").quotes]
        assert len(set(filed)) == len(filed)  # nothing filed twice
        in_flight = set(filed) & set(left)
        assert len(in_flight) <= 1  # at most the one line the marker names
        assert sorted(set(filed) | set(left)) == sorted(lines)  # nothing lost
    assert killed
    subprocess.run([sys.executable, "-m", "readlog", "inbox"], env=env, check=True, capture_output=True)
    assert path.read_text() == ""
    assert [r.text for r in book(journal, "dune").reflections] == [f"note {n}" for n in range(200)]
    assert [q.text for q in book(journal, "klara-and-the-sun").quotes] == [f"line {n}" for n in range(100)]
    assert not (journal / ".inbox-filing").exists()
