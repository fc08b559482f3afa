"""Try-out 33b #17, #8, #19, #16: sync's near misses. A book file in books/ under a name that is not a slug
(`dune 2.toml`, Finder's copy; `Klara.toml`) is named by every sync with check's advice, never a bare error
after committing; `check`'s `mv -i` for a name holding a newline runs as printed; a JSON backup keeps a
conflict's datetime; one conflict answered two ways on two devices is never silently one answer. Real git, two
devices, a bare remote."""

from __future__ import annotations

import re
import shutil
import subprocess

from test_sync_git import SLUG, devices, git_env, remote  # noqa: F401 (fixtures)


def shell(command: str, sh: str = "sh") -> None:
    """As the reader runs it: a real shell, no terminal to answer `mv -i`."""
    done = subprocess.run([sh, "-c", command], stdin=subprocess.DEVNULL, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


# --- #17: a book file under a name that is not a slug ---------------------------------------------------
def test_a_finder_copy_in_books_is_named_by_every_sync_as_a_copy_never_a_bare_error(devices):
    laptop, work = devices
    books = laptop.home / "books"
    shutil.copyfile(books / f"{SLUG}.toml", books / f"{SLUG} 2.toml")
    for attempt in range(3):  # (the first commits it; the next ones read what the first kept)
        said = laptop("sync", code=1).stderr
        assert "error:" not in said, (attempt, said)
        [line] = [line for line in said.splitlines() if line.startswith(f"{books / SLUG} 2.toml")]
        assert line.startswith(f"{books / SLUG} 2.toml: the file name is not a slug")
        assert f"the same bytes as {SLUG}.toml, which readlog reads: a copy (safe to remove)" in line
        assert "not pushed" in said and "needs you" in said
    subject = laptop.git("log", "-1", "--format=%s")
    assert 'add "Klara' not in subject and f"add books/{SLUG} 2.toml" in subject, subject
    assert work("sync").stderr.strip().startswith("all in sync")
    assert not (work.home / "books" / f"{SLUG} 2.toml").exists()  # never sent while it is there
    (books / f"{SLUG} 2.toml").unlink()
    laptop("sync")
    assert laptop("sync").stderr.strip().startswith("all in sync")


def test_a_book_moved_to_a_name_that_is_no_slug_is_named_with_the_mv_that_brings_it_in(devices):
    laptop, work = devices
    laptop.git("mv", f"books/{SLUG}.toml", "books/Klara.toml")
    for attempt in range(2):
        said = laptop("sync", code=1).stderr
        assert "error:" not in said, (attempt, said)
        [command] = re.findall(r"`([^`]*)` brings it in", said)
        assert command.startswith("mv -i ") and "Klara.toml" in command
    shell(command)
    assert laptop("show", "klara").stdout
    said = laptop("sync").stderr
    assert "Pushed" in said
    work("sync")
    assert [p.name for p in (work.home / "books").glob("*.toml")] == ["klara.toml"]


# --- #8: check's mv for a name holding a newline ---------------------------------------------------------
def test_checks_mv_for_a_name_holding_a_newline_runs_as_printed(run, books):
    run("add", "Beloved", "-a", "Toni Morrison")
    run("add", "Dune", "-a", "Frank Herbert")
    (books / "beloved.toml").rename(books / "new\nline.toml.bak")
    said = run("check", code=1).stdout + run("check", code=1).stderr
    [command] = re.findall(r"`([^`]*)` brings it in", said)
    assert "\\n" in command and "␤" not in command, command
    shell(command, "bash")  # (ANSI-C quoting: bash, zsh, ksh; this machine's dash predates it)
    assert sorted(p.name for p in books.iterdir()) == ["beloved.toml", "dune.toml"]
    assert "all good" in run("check").stderr + run("check").stdout


# --- #19: a JSON backup of a book holding a conflict ------------------------------------------------------
def test_a_json_backup_of_a_book_holding_conflicts_comes_back_byte_for_byte(run, devices, tmp_path):
    laptop, work = devices
    laptop("finish", SLUG, "--date", "2026-01-05")
    laptop("sync")
    work("sync")
    for device, day, rating in ((laptop, "2026-01-06", "2"), (work, "2026-01-07", "4.5")):
        path = device.home / "books" / f"{SLUG}.toml"
        path.write_text(path.read_text().replace("2026-01-05", day))
        device("rate", SLUG, rating)
    laptop("sync")
    work("sync", code=1)  # (the merge records both conflicts here)
    text = work.text()
    assert "when = 20" in text and 'ours = "' not in text and "ours = 2026-01-07" in text
    backup = tmp_path / "backup.json"
    backup.write_text(work("export", "--format", "json").stdout)
    home = tmp_path / "restored"
    run("--no-input", "import", str(backup), env={"READLOG_HOME": str(home)})
    assert (home / "books" / f"{SLUG}.toml").read_text() == text


# --- #16: one conflict answered on both devices ----------------------------------------------------------
def rating_conflict(laptop, work) -> None:
    """Laptop rates 2, work 4.5: work's merge records the conflict, its 4.5 in place on both devices."""
    laptop("rate", SLUG, "2")
    work("rate", SLUG, "4.5")
    laptop("sync")
    work("sync", code=1)
    laptop("sync", code=1)
    assert laptop.book().rating == work.book().rating == 4.5
    assert "[[conflicts]]" in laptop.text() and laptop.text() == work.text()


def settle(laptop, work, code: int, first: int = 0) -> list[str]:
    """Laptop syncs (`first`: its exit code), then work, then laptop: what work's sync said."""
    laptop("sync", code=first)
    said = work("sync", code=code).stderr
    laptop("sync", code=code)
    assert laptop.text() == work.text()
    return said.splitlines()


def test_a_conflict_answered_two_ways_on_two_devices_is_a_conflict_again_naming_both(devices):
    laptop, work = devices
    rating_conflict(laptop, work)
    laptop("resolve", SLUG, "rating", "--ours")  # (laptop's own: 2)
    work("resolve", SLUG, "rating", "--ours")  # (work's own, the value in place: 4.5, kept)
    said = settle(laptop, work, code=1)
    assert any("both devices changed rating" in line for line in said), said
    [table] = work.book().extra["conflicts"]
    assert (table["field"], table["ours"], table["theirs"]) == ("rating", 4.5, 2)
    assert work.book().rating == 4.5  # (the merging device's answer in place, as for any conflict)
    laptop("resolve", SLUG, "rating", "--theirs")  # (laptop gives in: work's 4.5)
    settle(laptop, work, code=0)
    assert laptop.book().rating == work.book().rating == 4.5 and "conflicts" not in work.book().extra


def test_a_conflict_answered_the_same_way_on_both_devices_is_settled(devices):
    laptop, work = devices
    rating_conflict(laptop, work)
    laptop("resolve", SLUG, "rating", "--ours")  # 2
    work("resolve", SLUG, "rating", "--theirs")  # 2 as well
    settle(laptop, work, code=0)
    assert laptop.book().rating == work.book().rating == 2 and "conflicts" not in work.book().extra


def test_a_conflict_answered_on_one_device_only_takes_that_answer(devices):
    laptop, work = devices
    rating_conflict(laptop, work)
    laptop("resolve", SLUG, "rating", "--ours")  # 2; work leaves the question open
    settle(laptop, work, code=0)
    assert laptop.book().rating == work.book().rating == 2 and "conflicts" not in work.book().extra


def test_a_kept_answer_against_a_new_value_on_the_other_device_is_a_conflict_again(devices):
    laptop, work = devices
    rating_conflict(laptop, work)
    work("resolve", SLUG, "rating", "--ours")  # keeps 4.5
    laptop("rate", SLUG, "3")  # the question still open here: a third value
    said = settle(laptop, work, code=1, first=1)
    assert any("both devices changed rating" in line for line in said), said
    [table] = work.book().extra["conflicts"]
    assert (table["ours"], table["theirs"]) == (4.5, 3)
