"""A reading ends finished or given up, never both (try-out 33a #14), and a book given up is listed by the
day it stopped (try-out 33a #5)."""

from __future__ import annotations

import datetime
import json
import tomllib

import pytest

from readlog.sync.merge import MISSING, merge_data
from test_sync_git import SLUG, Device, assert_clean, devices, files, git_env, remote  # noqa: F401

TODAY = datetime.date.today()
YEAR = str(TODAY.year)


def reading(**keys):
    return {"started": datetime.date(2026, 12, 6), **keys}


# --- the merge, without git -----------------------------------------------------------------------------
def test_a_reading_given_up_here_and_finished_there_is_a_conflict_not_both():
    base = {"status": "reading", "reads": [reading()]}
    ours = {"status": "abandoned", "reads": [reading(stopped=datetime.date(2026, 12, 7))]}
    theirs = {"status": "read", "rating": 4, "reads": [reading(finished=datetime.date(2026, 12, 8))]}
    merged = merge_data(base, ours, theirs)
    assert merged.data["reads"] == [reading(stopped=datetime.date(2026, 12, 7))]  # this side's, alone
    assert merged.data["status"] == "abandoned" and merged.data["rating"] == 4
    found = {c.field: (c.ours, c.theirs) for c in merged.conflicts}
    assert found == {
        "status": ("abandoned", "read"),
        "reads[1].stopped": (datetime.date(2026, 12, 7), MISSING),
        "reads[1].finished": (MISSING, datetime.date(2026, 12, 8)),
    }
    # the other way round: this side's finish stays in place
    merged = merge_data(base, theirs, ours)
    assert merged.data["reads"] == [reading(finished=datetime.date(2026, 12, 8))]


@pytest.mark.parametrize(
    "ours, theirs, both",
    [
        # near misses: one side only ended it, or both ended it alike
        (reading(stopped="2026-12"), reading(), [reading(stopped="2026-12")]),
        (reading(finished="2026-12"), reading(finished="2026-12"), [reading(finished="2026-12")]),
        # a reading with both already in the common version (a hand edit): not this merge's doing
    ],
)
def test_one_ending_merges_as_before(ours, theirs, both):
    merged = merge_data({"reads": [reading()]}, {"reads": [ours]}, {"reads": [theirs]})
    assert merged.data["reads"] == both and merged.conflicts == []


def test_a_finish_changed_here_and_turned_into_a_stop_there_is_one_conflict_each():
    base = {"reads": [reading(finished="2026-12")]}
    ours = {"reads": [reading(finished=datetime.date(2026, 12, 3))]}
    theirs = {"reads": [reading(stopped=datetime.date(2026, 12, 1))]}
    merged = merge_data(base, ours, theirs)
    assert merged.data["reads"] == ours["reads"]
    assert [(c.field, c.ours, c.theirs) for c in merged.conflicts] == [
        ("reads[1].finished", datetime.date(2026, 12, 3), MISSING),
        ("reads[1].stopped", MISSING, datetime.date(2026, 12, 1)),
    ]


def test_both_endings_already_there_are_left_to_check():
    old = reading(finished="2026-12", stopped="2026-12")
    merged = merge_data({"reads": [old]}, {"reads": [old]}, {"reads": [{**old, "rating": 3}]})
    assert merged.data["reads"] == [{**old, "rating": 3}] and merged.conflicts == []


# --- through git: two devices, one remote -------------------------------------------------------------
def given_up_and_finished(laptop: Device, work: Device) -> None:
    """Klara started again on both devices, in step; given up on the laptop, finished on the other."""
    laptop("start", SLUG, "--date", f"{YEAR}-01-02")
    laptop("sync")
    work("sync")
    laptop("abandon", SLUG, "--at", "50")
    work("finish", SLUG, "--rating", "3")
    laptop("sync")
    result = work("sync", code=1)
    assert (
        "both devices changed status (and how reads[2] ended): "
        "`readlog resolve klara-and-the-sun status --ours|--theirs`" in result.stderr
    )


def counts(device: Device) -> tuple[int, int, int]:
    stats = json.loads(device("stats", "--year", YEAR, "--json").stdout)
    goal = json.loads(device("goal", "10", "--year", YEAR, "--json").stdout)
    return stats["finished"], stats["abandoned"], goal["done"]


def test_given_up_on_one_device_and_finished_on_the_other_never_holds_both(devices):
    laptop, work = devices
    given_up_and_finished(laptop, work)
    last = tomllib.loads(work.text())["reads"][-1]
    assert "finished" in last and "stopped" not in last  # this device's finish in place, alone
    check = work("check", code=1).stdout.splitlines()
    assert len(check) == 1 and f"(here 'read' with reads[2] finished {TODAY}, other" in check[0]
    assert f"'abandoned' with reads[2] stopped {TODAY}; this device's is in place)" in check[0]
    assert counts(work) == (1, 0, 1)
    shown = " ".join(work("show", SLUG).stdout.replace("│", " ").split())
    assert f"status: here 'read' with reads[2] finished {TODAY} (in place), other device" in shown
    assert (
        "reads[2].stopped" not in shown
        and "readlog resolve klara-and-the-sun status --ours|--theirs" in shown
    )

    work("resolve", SLUG, "status", "--theirs")  # the laptop's: given up; the reading goes with it
    book = tomllib.loads(work.text())
    assert book["status"] == "abandoned" and "conflicts" not in book
    assert "finished" not in book["reads"][-1] and book["reads"][-1]["stopped"] == TODAY
    assert counts(work) == (0, 1, 0)
    assert "all good" in work("check").stderr + work("check").stdout
    work("sync")
    laptop("sync")
    assert files(laptop) == files(work)
    assert_clean(laptop, work)
    assert counts(laptop) == (0, 1, 0)


def test_resolving_the_reading_settles_the_status_with_it(devices):
    laptop, work = devices
    given_up_and_finished(laptop, work)
    laptop("sync", code=1)  # the laptop takes the merge: the finish in place, its own side recorded
    laptop("resolve", SLUG, "reads", "--ours")  # the laptop's own: given up
    book = tomllib.loads(laptop.text())
    assert book["status"] == "abandoned" and "conflicts" not in book
    assert "finished" not in book["reads"][-1] and "stopped" in book["reads"][-1]
    assert counts(laptop) == (0, 1, 0)


def test_check_names_a_reading_both_finished_and_stopped(run, books):
    books.mkdir(parents=True, exist_ok=True)
    path = books / "hand.toml"
    path.write_text(
        'schema = 2\ntitle = "Hand Made"\nauthors = ["A. Writer"]\nstatus = "abandoned"\n\n'
        "[[reads]]\nstarted = 2026-03-01\nfinished = 2026-03-09\nstopped = 2026-03-09\n"
    )
    before = path.read_bytes()
    out = run("check", code=1).stdout
    assert "reads[1] of 'Hand Made': both finished (2026-03-09) and stopped (2026-03-09)" in out
    assert "`readlog edit hand`" in out and "reads[1].finished" in out  # given up: the finish is the slip
    assert path.read_bytes() == before
    path.write_text(path.read_text().replace('"abandoned"', '"read"'))
    assert "remove reads[1].stopped" in run("check", code=1).stdout
    # the status itself in conflict (an older readlog's merge): the reader's choice, either key named
    path.write_text(
        path.read_text() + '\n[[conflicts]]\nfield = "status"\nours = "read"\ntheirs = "abandoned"\n'
    )
    out = run("check", code=1).stdout
    assert "remove reads[1].finished or reads[1].stopped (the one the status kept disagrees with)" in out
    path.write_text(path.read_text().split("\n[[conflicts]]")[0])
    path.write_text(path.read_text().replace("stopped = 2026-03-09\n", ""))
    assert "finished and stopped" not in run("check").stdout


# --- list by the day a reading ended -------------------------------------------------------------------
SHELF = {
    "given-up": ("abandoned", [{"started": "2026-02-01", "stopped": "2026-03-01"}]),
    "read-then-dropped": (
        "abandoned",
        [
            {"started": "2025-04-01", "finished": "2025-05-01"},
            {"started": "2026-01-20", "stopped": "2026-02-01"},
        ],
    ),
    "dropped-then-read": (
        "read",
        [
            {"started": "2025-05-01", "stopped": "2025-06-01"},
            {"started": "2026-03-20", "finished": "2026-04-01"},
        ],
    ),
    "read-this-year": ("read", [{"started": "2026-01-01", "finished": "2026-01-10"}]),
    "dropped-long-ago": ("abandoned", [{"started": "2024", "stopped": "2024"}]),
    "dropped-in-may": ("abandoned", [{"started": "2026-05", "stopped": "2026-05"}]),
    "wanted": ("want", []),
}


@pytest.fixture
def shelf(books):
    books.mkdir(parents=True, exist_ok=True)
    for slug, (status, reads) in SHELF.items():
        text = f'schema = 2\ntitle = "{slug}"\nauthors = ["A. Writer"]\nstatus = "{status}"\n'
        for read in reads:
            text += "\n[[reads]]\n" + "".join(f"{k} = {v}\n" for k, v in read.items())
        (books / f"{slug}.toml").write_text(
            text.replace("= 2024\n", '= "2024"\n').replace("= 2026-05\n", '= "2026-05"\n')
        )
    return books


def listed(run, *args: str) -> list[str]:
    return sorted(line.split("\t")[0] for line in run("list", *args, "--format", "tsv").stdout.splitlines())


def test_list_abandoned_by_year_lists_the_books_given_up_then_as_stats_counts_them(run, shelf):
    assert listed(run, "--status", "abandoned", "--year", "2026") == [
        "dropped-in-may",
        "given-up",
        "read-then-dropped",
    ]
    assert json.loads(run("stats", "--year", "2026", "--json").stdout)["abandoned"] == 3
    # given up in 2025 and finished since: listed by the day it stopped, with the status it has now
    assert listed(run, "--status", "abandoned", "--year", "2025") == ["dropped-then-read"]
    assert json.loads(run("stats", "--year", "2025", "--json").stdout)["abandoned"] == 1
    assert listed(run, "--status", "abandoned", "--year", "2024") == ["dropped-long-ago"]
    # days: the range on the day it stopped; a month known only meets a range that meets the month
    assert listed(run, "--status", "abandoned", "--from", "2026-02-15") == ["dropped-in-may", "given-up"]
    assert listed(run, "--status", "abandoned", "--from", "2026-05-20") == ["dropped-in-may"]
    assert listed(run, "--status", "abandoned", "--from", "2026-01-01", "--to", "2026-02-28") == [
        "read-then-dropped"
    ]


def test_list_by_year_without_abandoned_is_the_books_finished_then(run, shelf):
    assert listed(run, "--year", "2026") == ["dropped-then-read", "read-this-year"]
    assert listed(run, "--status", "read", "--year", "2025") == ["read-then-dropped"]
    assert listed(run, "--status", "read", "--status", "abandoned", "--year", "2026") == [
        "dropped-in-may",
        "dropped-then-read",
        "given-up",
        "read-then-dropped",
        "read-this-year",
    ]
    assert listed(run, "--status", "want", "--status", "abandoned", "--year", "2025") == ["dropped-then-read"]
    # every book given up, whatever its status now, as stats counts them (review 33a #4: a book given up
    # and then read was under --year and not here)
    assert listed(run, "--status", "abandoned") == [
        "dropped-in-may",
        "dropped-long-ago",
        "dropped-then-read",
        "given-up",
        "read-then-dropped",
    ]
