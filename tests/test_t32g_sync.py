"""Session 32, try-out 32a #6, #7, #14, #16: what a sync's merge settles, and the words it says.

- #7: a status two devices changed differently, `want` on one and further along on the other, merges to the
  further one without a conflict (as an import decides); any other two still ask.
- #6: on both devices, `show`, `check` and `resolve --help` say which value is in place during a conflict.
- #14: a rating given to a re-read is told as a rating, and the journal's first commit as such.
- #16: untitled reflections are shown by date, whatever order the file (a merge) has them in.
"""

from __future__ import annotations

import json
import tomllib
from datetime import date

import pytest

from readlog.sync.merge import merge_data
from test_sync_git import SLUG, Device, devices, git_env, goals_conflict, remote  # noqa: F401 - fixtures

D1, D2 = date(2026, 11, 15), date(2026, 11, 20)


def book(**fields):
    return {"schema": 2, "title": "Piranesi", "authors": ["Susanna Clarke"], **fields}


# --- #7: a status goes further only, in a merge too -------------------------------------------------------
FINISHED = book(
    status="read", rating=5, reads=[{"finished": D1}], review={"headline": "A house of tides", "body": "B."}
)
WANTED = book(status="want", why="friend's pick")


@pytest.mark.parametrize("base", [None, book()], ids=["added on both", "common version"])
@pytest.mark.parametrize("swap", [False, True], ids=["want here", "want there"])
def test_want_against_a_finished_book_is_the_finished_one_with_everything_else_merged(base, swap):
    ours, theirs = (FINISHED, WANTED) if swap else (WANTED, FINISHED)
    merged = merge_data(base, ours, theirs)
    assert merged.conflicts == []
    data = merged.data
    assert data["status"] == "read"
    assert (data["rating"], data["reads"], data["why"]) == (5, [{"finished": D1}], "friend's pick")
    assert data["review"] == {"headline": "A house of tides", "body": "B."}


@pytest.mark.parametrize("further", ["reading", "paused", "abandoned", "read"])
def test_want_against_any_status_further_along_is_that_status(further):
    base = book(status="want")
    for ours, theirs in ((book(status="want", why="x"), book(status=further)), (book(status=further), base)):
        assert merge_data(None, ours, theirs).data["status"] == further
    assert merge_data(book(), book(status="want"), book(status=further)).data["status"] == further


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("abandoned", "read"),  # given up here, finished there: which is true is the reader's to say
        ("read", "abandoned"),
        ("paused", "reading"),
        ("reading", "read"),
        ("want", "sideways"),  # not a status readlog knows: never ranked
    ],
)
def test_two_statuses_past_want_are_still_a_conflict(ours, theirs):
    merged = merge_data(book(), book(status=ours), book(status=theirs))  # (no status before: both changed it)
    assert [(c.field, c.ours, c.theirs) for c in merged.conflicts] == [("status", ours, theirs)]
    assert merged.data["status"] == ours


def test_a_want_removed_against_a_status_is_still_a_conflict():
    merged = merge_data(book(status="want"), book(), book(status="read"))
    assert [c.field for c in merged.conflicts] == ["status"]


def test_a_key_named_status_inside_a_table_is_not_a_book_status():
    base = book(review={"status": "draft"})
    merged = merge_data(base, book(review={"status": "want"}), book(review={"status": "read"}))
    assert [c.field for c in merged.conflicts] == ["review.status"]


def test_a_book_finished_on_one_device_and_wanted_on_the_other_is_read_on_both(devices):
    laptop, work = devices
    laptop("add", "Piranesi", "--author", "Susanna Clarke", "--rating", "5", "--finished", "2026-11-15",
           "--review", "# A house of tides\n\nThe statues.")  # fmt: skip
    work("next", "add", "Piranesi", "--author", "Susanna Clarke", "--why", "friend's pick")
    laptop("sync")
    said = work("sync")  # no conflict: exit 0
    assert "needs you" not in said.stderr
    laptop("sync")
    for device in (laptop, work):
        data = tomllib.loads(device.text("piranesi"))
        assert data["status"] == "read" and "conflicts" not in data
        assert data["rating"] == 5 and data["why"] == "friend's pick"
        assert data["reads"] == [{"finished": D1}] and data["review"]["headline"] == "A house of tides"
        assert "Piranesi" not in device("list", "--status", "want").stdout
        assert "Piranesi" in device("list", "--status", "read").stdout
    assert laptop.text("piranesi") == work.text("piranesi")


def test_abandoned_on_one_device_and_finished_on_the_other_still_asks(devices):
    laptop, work = devices
    laptop("add", "Piranesi", "--author", "Susanna Clarke")
    laptop("start", "piranesi", "--date", "2026-11-01")
    laptop("sync")
    work("sync")
    laptop("abandon", "piranesi", "--date", "2026-11-10")
    work("finish", "piranesi", "--date", "2026-11-20")
    laptop("sync")
    said = work("sync", code=1)
    assert "both devices changed status" in said.stderr
    assert tomllib.loads(work.text("piranesi"))["conflicts"][0]["field"] == "status"


# --- #6: which value is in place, said on both devices --------------------------------------------------
def test_both_devices_say_which_rating_is_in_place_and_resolve_ours_keeps_this_devices(devices, run):
    """A rated 5 and synced first, B rated 3 and merged; A's sync takes B's merge as it is: one file, B's
    3 in place on both. Each device's `show` and `check` say which value that is; `--ours` is this
    device's own value on each, as the help says."""
    laptop, work = devices
    on = {
        d: {"READLOG_HOME": str(d.home), "READLOG_MACHINE": n} for d, n in ((laptop, "lap"), (work, "desk"))
    }
    laptop("rate", SLUG, "5")
    work("rate", SLUG, "3")  # (the book had 4)
    run("sync", env=on[laptop])
    run("sync", code=1, env=on[work])
    run("sync", code=1, env=on[laptop])
    assert laptop.book().rating == work.book().rating == 3  # what the merge left in place, on both

    def shown(device):
        return " ".join(run("show", SLUG, env=on[device]).stdout.replace("│", "").split())

    assert "★★★☆☆ 3" in shown(laptop)
    assert "rating: here 5, other device (desk) 3 (in place)" in shown(laptop)
    assert "rating: here 3 (in place), other device (lap) 5" in shown(work)
    checked = " ".join(run("check", code=1, env=on[laptop]).stdout.split())
    assert "(here 5, other (desk) 3; the other device's is in place)" in checked
    checked = " ".join(run("check", code=1, env=on[work]).stdout.split())
    assert "(here 3, other (lap) 5; this device's is in place)" in checked
    helped = " ".join(run("resolve", "--help").stdout.split())
    assert "Keep the value in place" not in helped
    assert "--ours Keep this device's value" in helped
    run("resolve", SLUG, "rating", "--ours", env=on[laptop])
    assert laptop.book().rating == 5


def test_a_goals_conflict_says_whose_goal_is_in_place_on_both_devices(devices):
    laptop, work = devices
    goals_conflict(work, laptop)  # the laptop set 40 and synced; work set 20 and merged: 20 in place
    laptop("sync", code=1)  # takes work's merge as it is
    on_work = " ".join(work("check", code=1).stdout.split())
    assert "(here 20, other (" in on_work and "40; this device's is in place)" in on_work
    on_laptop = " ".join(laptop("check", code=1).stdout.split())
    assert "(here 40, other (" in on_laptop and "20; the other device's is in place)" in on_laptop


# --- #14: the words of the history -------------------------------------------------------------------------
def test_a_rating_given_to_a_re_read_is_a_rating_not_an_edit():
    from readlog.model import Read, book_from_dict
    from readlog.sync.describe import changes, message

    old = book_from_dict(book(status="reading", rating=4, reads=[{"finished": D1}, {"started": D2}]))
    new = book_from_dict(book(status="reading", rating=4, reads=[{"finished": D1}, {"started": D2}]))
    new.reads[0].rating = 4  # the book's rating put on the reading it was given for: no news
    new.reads[1].rating = 4.5
    said = changes(old, new)
    assert [c.past for c in said] == ["rated 4.5 (reading 2)"]
    assert message([c.line("Piranesi") for c in said]) == 'rate "Piranesi" 4.5 (reading 2)'
    # rated the same as the book's: still the re-read's own rating
    again = book_from_dict(book(status="reading", rating=4, reads=[{"finished": D1}, {"started": D2}]))
    again.reads[1].rating = 4
    assert [c.past for c in changes(old, again)] == ["rated 4 (reading 2)"]
    # taken away again (`rate --clear` during the re-read), and the book's own cleared
    unrated = book_from_dict(
        book(status="reading", rating=4, reads=[{"finished": D1, "rating": 4}, {"started": D2}])
    )
    assert [c.past for c in changes(new, unrated)] == ["rating cleared (reading 2)"]
    cleared = book_from_dict(book(status="reading", reads=[{"finished": D1}, {"started": D2}]))
    assert [(c.verb, c.past) for c in changes(old, cleared)] == [("clear the rating of", "rating cleared")]
    # a reading that is another one (new dates) is no rating of an old one
    moved = book_from_dict(book(status="reading", rating=4, reads=[{"finished": D1}]))
    moved.reads.append(Read(started=date(2026, 11, 21), rating=3))
    assert "rated 3 (reading 2)" not in [c.past for c in changes(old, moved)]


def test_the_log_tells_a_re_reads_rating_and_the_first_commit_as_what_they_are(run, tmp_path):
    device = Device(run, tmp_path / "journal")
    device("add", "Deep Work", "-a", "Cal Newport", "--finished", "2019-03-01", "-r", "4",
           "--review", "Focus is a skill.")  # fmt: skip
    device("sync", "init")  # no remote: only commits
    device("start", "deep work")
    device("sync")
    device("rate", "deep work", "4.5")
    said = device("sync")
    assert 'Committed: rate "Deep Work" 4.5 (reading 2)' in said.stderr
    lines = [line[11:] for line in device("log", "deep work").stdout.splitlines()]
    assert lines == [
        "in the journal when syncing began (read, rated 4, a review of 4 words)",
        "started",
        "rated 4.5 (reading 2)",
    ]
    assert device("log").stdout.splitlines()[-1][11:] == (
        "readlog: the journal as it was when syncing began (1 book)"
    )


def test_a_first_commit_made_by_hand_is_the_first_commit(run, tmp_path):
    device = Device(run, tmp_path / "journal")
    device("add", "Deep Work", "-a", "Cal Newport", "--status", "want")
    device.home.joinpath(".gitignore").write_text(".lock\n")
    device.git("init", "--quiet")
    device.git("add", "-A")
    device.git("commit", "--quiet", "-m", "my journal")
    device("sync", "init")  # adopts the repository it already is
    assert device("log", "deep work").stdout.splitlines()[0][11:] == "in the first commit (want)"


# --- #16: untitled reflections by date in every view; the file as it was -----------------------------------
BY_ARRIVAL = """schema = 2
title = "Piranesi"
authors = ["Susanna Clarke"]
status = "read"

[[reads]]
finished = 2026-11-15

[[reflections]]
date = 2026-12-07
text = "Seventh: written on the other device."

[[reflections]]
title = "The House"
date = 2026-12-08
text = "A section of the review, where the reader put it."

[[reflections]]
date = 2026-12-06
text = "Sixth: backdated here."

[[reflections]]
text = "Undated: from an old import."

[[reflections]]
date = 2026-12-06
text = "Sixth again: the same day, after the other."
"""
ORDER = ["Undated: from", "Sixth: backdated", "Sixth again:", "Seventh: written"]


def places(text: str) -> list[int]:
    return [text.index(line) for line in ORDER]


def test_show_the_markdown_export_and_the_site_list_untitled_reflections_by_date(run, books, tmp_path):
    books.mkdir(parents=True)
    (books / "piranesi.toml").write_text(BY_ARRIVAL, encoding="utf-8")
    shown = run("show", "piranesi").stdout
    assert places(shown) == sorted(places(shown))
    assert shown.index("A section of the review") < shown.index("Undated: from")  # sections first, as before
    post = run("export", "piranesi", "--format", "markdown").stdout
    assert places(post) == sorted(places(post))
    run("site", str(tmp_path / "site"), "--all")
    page = (tmp_path / "site" / "books" / "piranesi.html").read_text(encoding="utf-8")
    assert places(page) == sorted(places(page))
    assert (books / "piranesi.toml").read_text(encoding="utf-8") == BY_ARRIVAL  # the file keeps its order
    exported = json.loads(run("export", "piranesi", "--format", "json").stdout)
    texts = [r["text"] for r in exported["reflections"]]  # (a backup keeps the file's order: a round trip)
    assert texts[0].startswith("Seventh") and texts[-1].startswith("Sixth again")


def test_reflections_synced_from_two_devices_are_shown_by_date_on_both(devices):
    laptop, work = devices
    laptop("reflect", SLUG, "--date", "2026-12-06", "Backdated on the laptop.")
    work("reflect", SLUG, "--date", "2026-12-07", "Written at work.")
    laptop("sync")
    work("sync")  # work merges: its own reflection first in the file, the laptop's after it
    laptop("sync")
    for device in (laptop, work):
        shown = device("show", SLUG).stdout
        assert shown.index("Backdated on the laptop.") < shown.index("Written at work.")
