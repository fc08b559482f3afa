"""Try-out 32b #1, #2, #3, #10, #13: a sync telling the truth about pushes and moves. What the reader writes
while a push that goes through waits is committed and pushed too (never `all in sync` over it); a book the
other device moved out of books/ is named with the `mv` that brings it back; `check` names a book file at
any depth of books/; SIGTERM and SIGHUP during a push say what Ctrl-C says; many renames, a few named. Real
git, a bare remote in a temp dir, the real `readlog sync` process and real signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from test_sync_early import readlog_process
from test_sync_git import SLUG, Device, devices, git_env, remote  # noqa: F401 (fixtures)


def stalling_pushes(device: Device, folder: Path) -> None:
    """Each push of `device` (its receive-pack) waits, once connected, until the test says go: the Nth
    touches `stalled-N` and waits for `go-N`."""
    wrapper = folder / "receive-pack"
    wrapper.write_text(
        "#!/bin/sh\n"
        f"n=$(($(cat '{folder}/pushes' 2>/dev/null || echo 0) + 1)); echo $n > '{folder}/pushes'\n"
        f"touch '{folder}/stalled-'$n\n"
        f"while [ ! -e '{folder}/go-'$n ]; do sleep 0.05; done\n"
        'exec git-receive-pack "$@"\n'
    )
    wrapper.chmod(0o755)
    device.git("config", "remote.origin.receivepack", str(wrapper))


def wait_for(path: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not path.exists():
        assert time.monotonic() < deadline and process.poll() is None, f"never: {path.name}"
        time.sleep(0.05)


def reflections(device: Device, slug: str = SLUG) -> list[str]:
    return [reflection.text for reflection in device.book(slug).reflections]


def synced_writing(laptop: Device, folder: Path, writes: list[Callable[[], None]]) -> tuple[int, str]:
    """Laptop's sync, its Nth push held while `writes[N-1]` runs (the pushes after those go at once)."""
    stalling_pushes(laptop, folder)
    for n in range(len(writes) + 1, 6):
        (folder / f"go-{n}").touch()
    process = readlog_process(laptop, "sync")
    try:
        for n, write in enumerate(writes, 1):
            wait_for(folder / f"stalled-{n}", process)  # (the journal's lock let go for the push)
            write()
            (folder / f"go-{n}").touch()
        _, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    return process.returncode, err


# --- 1. written while a push that goes through waits ------------------------------------------------------
def test_what_is_written_while_a_push_goes_through_is_committed_and_pushed_too(devices, tmp_path):
    """Try-out 32b #1: the change was left uncommitted and the sync said `all in sync`; the other device's
    sync did not get it."""
    laptop, work = devices
    laptop("reflect", SLUG, "first thought")
    code, err = synced_writing(laptop, tmp_path, [lambda: laptop("reflect", SLUG, "written while pushing")])
    assert code == 0, err
    assert "readlog: note: written while the push waited, committed in a second commit: reflect on" in err
    assert err.count("Pushed to") == 1 and "all in sync" in err, err
    assert laptop.git("status", "--porcelain") == ""
    assert laptop.git("rev-parse", "HEAD") == laptop.git("rev-parse", "origin/main")
    assert (tmp_path / "pushes").read_text().strip() == "2"  # (the second push: what was written)
    work("sync")
    assert reflections(work) == ["first thought", "written while pushing"]


def test_nothing_written_while_the_push_waits_is_one_push(devices, tmp_path):
    """The near miss: a push with nothing written meanwhile is pushed once, and all in sync."""
    laptop, _ = devices
    laptop("reflect", SLUG, "first thought")
    code, err = synced_writing(laptop, tmp_path, [lambda: None])
    assert code == 0 and "all in sync" in err and "written while" not in err, err
    assert (tmp_path / "pushes").read_text().strip() == "1"


def test_a_reader_writing_through_every_push_does_not_keep_the_sync_running_nor_hear_all_in_sync(
    devices, tmp_path
):
    """The loop ends: what was written while the second push waited is said to go with the next sync
    (exit 1, as `origin keeps changing` is), never `all in sync`; the next sync sends it."""
    laptop, work = devices
    laptop("reflect", SLUG, "first thought")
    writes = [lambda: laptop("reflect", SLUG, "second"), lambda: laptop("reflect", SLUG, "third")]
    code, err = synced_writing(laptop, tmp_path, writes)
    assert code == 1, err
    assert "all in sync" not in err
    assert (
        "written here while the sync pushed, after what it sent: not pushed yet; the next `readlog sync`"
        in err
    )
    assert (tmp_path / "pushes").read_text().strip() == "2"
    assert laptop.git("status", "--porcelain").strip() == f"M books/{SLUG}.toml"
    laptop("sync")
    work("sync")
    assert reflections(work) == ["first thought", "second", "third"]


# --- 10. SIGTERM and SIGHUP while a sync pushes -------------------------------------------------------------
@pytest.mark.parametrize("first", [(), ("--color", "never")], ids=["plain", "command-line"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_sync_stopped_by_sigterm_or_sighup_while_it_pushes_says_what_ctrl_c_says(
    run, tmp_path, remote, first, signum
):
    """Try-out 32b #10: Ctrl-C said `sync stopped: committed here, not pushed ...`; SIGTERM and SIGHUP said
    nothing at all. The same line now, and the process ends by the signal (its own status)."""
    laptop = Device(run, tmp_path / "laptop")
    laptop("add", "Dune", "-a", "Frank Herbert", "--status", "want")
    laptop("sync", "init", str(remote))
    laptop("rate", "dune", "4")
    pid_file = tmp_path / "readlog.pid"
    hook = remote / "hooks" / "pre-receive"
    hook.write_text(
        f"#!/bin/sh\nwhile [ ! -s '{pid_file}' ]; do sleep 0.05; done\nkill -{signum.name[3:]} "
        f"$(cat '{pid_file}')\nsleep 4\nexit 1\n"
    )
    hook.chmod(0o755)
    process = subprocess.Popen(
        [sys.executable, "-m", "readlog", *first, "sync"],
        env={**os.environ, "READLOG_HOME": str(laptop.home)},
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signum, signal.SIG_DFL),  # noqa: PLW1509 (a nohup'd suite)
    )  # fmt: skip
    pid_file.write_text(str(process.pid))
    _, err = process.communicate(timeout=60)
    hook.unlink()
    assert process.returncode == -signum, err
    assert err.strip().splitlines()[-1] == (
        "readlog: sync stopped: committed here, not pushed to origin; the next `readlog sync` pushes it"
    ), err
    assert "asking origin whether it took the push" in err and "Traceback" not in err
    assert "Pushed to" in laptop("sync").stderr  # the next sync pushes it


# --- 2. a book the other device moved out of books/ --------------------------------------------------------
def two_with(laptop: Device, work: Device, *titles: str) -> None:
    for title in titles:
        laptop("add", title, "-a", "Octavia E. Butler", "--status", "want")
    laptop("sync")
    work("sync")


def test_a_book_moved_out_of_books_on_the_other_device_is_named_with_the_mv_that_brings_it_back(devices):
    """Try-out 32b #2: `git mv books/kindred.toml archive/` on one device (committed as `remove "Kindred";
    update archive/kindred.toml`), a reflection written on the other: it vanished there, `all in sync`,
    with the reflection in archive/kindred.toml, unseen."""
    laptop, work = devices
    two_with(laptop, work, "Kindred", "Fledgling")
    (laptop.home / "archive").mkdir()
    laptop.git("mv", "books/kindred.toml", "archive/kindred.toml")
    (laptop.home / "books" / "fledgling.toml").rename(laptop.home / "books" / "fledgling.toml.bak")
    laptop("sync")
    subject = laptop.git("log", "-1", "--format=%s")
    assert subject.startswith(
        'move "Kindred" out of books/ (kindred → archive/kindred.toml), where readlog cannot see it; '
        'move "Fledgling" to a name readlog does not read (fledgling → books/fledgling.toml.bak), '
    ), subject
    assert "remove" not in subject and "update" not in subject
    work("reflect", "kindred", "written on work")
    err = work("sync").stderr
    archived, kept_here = work.home / "archive" / "kindred.toml", work.home / "books" / "kindred.toml"
    assert (
        "readlog: note: archive/kindred.toml: the book that was books/kindred.toml here, moved out of books/ "
        "on the other device, where readlog cannot see it (with any change made here since): "
        f"`mv -i {archived} {kept_here}` brings it back"
    ) in err, err
    bak = work.home / "books" / "fledgling.toml.bak"
    assert (
        "books/fledgling.toml.bak: the book that was books/fledgling.toml here, moved to a name readlog "
        in err
    )
    assert f"`mv -i {bak} {work.home / 'books' / 'fledgling.toml'}` brings it back" in err
    # the way back works, and is told as the move it is on both devices
    subprocess.run(["mv", str(archived), str(kept_here)], check=True)
    assert (
        'Committed: move "Kindred" back into books/ (archive/kindred.toml → kindred)' in work("sync").stderr
    )
    assert [r.text for r in work.book("kindred").reflections] == ["written on work"]
    said = laptop("sync").stderr
    assert (
        "books/kindred.toml: the book that was archive/kindred.toml here, renamed on the other device" in said
    )
    assert [r.text for r in laptop.book("kindred").reflections] == ["written on work"]


def test_a_file_added_outside_books_beside_a_book_removed_is_no_move(devices):
    """Near misses: a book removed and a TOML file of another kind added outside books/ are a removal and an
    update (no move told, no note); a book moved between two folders outside books/ is no book's move."""
    laptop, work = devices
    two_with(laptop, work, "Kindred")
    laptop("rm", "kindred", "--yes")
    (laptop.home / "notes.toml").write_text('[settings]\ncolour = "blue"\n')
    laptop("sync")
    assert laptop.git("log", "-1", "--format=%s").strip() == 'remove "Kindred"; update notes.toml'
    err = work("sync").stderr
    assert "note:" not in err and "all in sync" in err, err


def test_books_moved_away_whole_never_ends_in_all_in_sync(devices):
    """Try-out 32b #15 (in #2): `git mv books old/books` on one device; the other's sync said `Merged 6
    files ... all in sync`, `list` said No books yet and `check` all good."""
    laptop, work = devices
    two_with(laptop, work, "Kindred", "Dawn")
    (laptop.home / "old").mkdir()
    laptop.git("mv", "books", "old/books")
    laptop("sync")
    err = work("sync", code=1).stderr
    assert "all in sync" not in err
    books, old = work.home / "books", work.home / "old" / "books"
    assert (
        "books/: no book left here: the other device moved 3 out of books/, where readlog cannot see them: "
        f"`mkdir -p {books} && mv -i {old / 'dawn.toml'} {books / 'dawn.toml'} && mv -i "
        f"{old / 'kindred.toml'} {books / 'kindred.toml'} && mv -i {old / 'klara-and-the-sun.toml'} "
        f"{books / 'klara-and-the-sun.toml'}` brings them back"
    ) in err, err
    checked = work("check", code=1)
    said = checked.stdout + checked.stderr
    assert "all good" not in said and said.count("a book file outside books/, where no book is") == 3, said
    assert f"`mkdir -p {books} && mv -i {old / 'dawn.toml'} {books / 'dawn.toml'}` brings it in" in said
    command = err.split("brings them back")[0].rsplit("`", 2)[1]
    subprocess.run(["sh", "-c", command], check=True, stdin=subprocess.DEVNULL)
    assert len(work("list").stdout.strip().splitlines()) == 3  # Klara, Kindred and Dawn, back


# --- 13. many renames on the other device --------------------------------------------------------------------
def test_sixty_renames_on_the_other_device_are_three_notes_and_a_count_with_how_to_list_them(devices):
    """Try-out 32b #13: 60 renames printed 60 notes."""
    laptop, work = devices
    for n in range(60):
        (laptop.home / "books" / f"bulk-{n:02}.toml").write_text(
            f'schema = 2\ntitle = "Bulk {n:02}"\nauthors = ["A. Writer"]\nstatus = "want"\nadded = 2026-01-01\n'
        )
    laptop("sync")
    work("sync")
    ours = work.git("rev-parse", "HEAD").strip()
    for n in range(60):
        laptop.git("mv", f"books/bulk-{n:02}.toml", f"books/bulk-{n:02}-renamed.toml")
    laptop("sync")
    err = work("sync").stderr
    notes = [line for line in err.splitlines() if line.startswith("readlog: note: ")]
    assert len(notes) == 4, err
    assert all("renamed on the other device" in line for line in notes[:3])
    theirs = work.git("rev-parse", "HEAD").strip()
    listed = f"git -C {work.home} diff --name-status -M {ours[:12]} {theirs[:12]}"
    assert (
        notes[3]
        == f"readlog: note: and 57 more books renamed or moved on the other device: `{listed}` lists them all"
    )
    shown = subprocess.run(listed.split(), capture_output=True, text=True, check=True).stdout
    assert shown.count("\nR100\t") + shown.startswith("R100\t") == 60
    # near miss: three renames are three notes, no count
    for n in range(3):
        laptop.git("mv", f"books/bulk-{n:02}-renamed.toml", f"books/bulk-{n:02}.toml")
    laptop("sync")
    notes = [line for line in work("sync").stderr.splitlines() if line.startswith("readlog: note: ")]
    assert len(notes) == 3 and not any("more books" in line for line in notes)


# --- 3. check names a book file at any depth of books/ -------------------------------------------------------
def test_check_names_a_book_file_at_any_depth_and_in_a_hidden_folder_with_its_mv(run, journal_home, books):
    """Try-out 32b #3: the sync's note says `readlog check` says how to bring a book moved into a folder back;
    check looked one folder deep and skipped hidden ones: `books/2024/done/dawn.toml` was `books/2024: not a
    book file`, `books/.old/kindred.toml` not named at all."""
    run("add", "Klara and the Sun", "-a", "Kazuo Ishiguro")
    text = (books / "klara-and-the-sun.toml").read_text(encoding="utf-8")
    placed = {
        "2024/done/dawn.toml": text.replace("Klara and the Sun", "Dawn"),
        ".old/kindred.toml": text.replace("Klara and the Sun", "Kindred"),
        "2023/kindred.toml": text.replace("Klara and the Sun", "Kindred (another copy)"),  # a name taken
        "old/klara-and-the-sun.toml": text,  # taken in books/
        "empty/deeper/notes.txt": "not a book",  # a folder holding no book file
        ".stfolder/marker": "",  # a hidden folder holding none: not ours, nothing said
        ".git/objects/x.toml": "a repository's own",  # never looked into
    }
    for name, content in placed.items():
        (books / name).parent.mkdir(parents=True, exist_ok=True)
        (books / name).write_text(content, encoding="utf-8")
    said = run("check", code=1).stdout + run("check", code=1).stderr
    for name in ("2024/done/dawn.toml", ".old/kindred.toml"):
        target = books / Path(name).name
        assert (
            f"{books / name}: a book file in a folder: readlog reads only books/ itself and cannot see it; `mv -i {books / name} {target}` brings it in"
            in said
        ), said
    assert f"{books / '2023/kindred.toml'}: a book file in a folder" in said
    assert f"`mv -i {books / '2023/kindred.toml'} {books / 'kindred-another-copy.toml'}` brings it in" in said
    assert "the same bytes as klara-and-the-sun.toml, which readlog reads: a copy" in said
    assert f"{books / 'empty'}: not a book file" in said
    assert ".stfolder" not in said and ".git" not in said and "2024: not a book file" not in said
    subprocess.run(["mv", "-i", str(books / "2024/done/dawn.toml"), str(books / "dawn.toml")], check=True)
    assert "Dawn" in run("list").stdout
