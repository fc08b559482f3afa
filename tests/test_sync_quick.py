"""`readlog sync` with nothing to do is answered before the command line loads (readlog.sync.quick); every
other sync goes through the command line as before. Both ways are run here through the real `readlog`
process and through the command line in this process, from the same files, and must say the same thing
(stdout, stderr, exit code) and leave the same files. Which way a process took shows in the git processes
it started (the quick answer never runs `rev-parse`). Counts and words, never times."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from itertools import count
from pathlib import Path

import pytest

from conftest import snapshot
from test_sync_git import SLUG, Device, devices, git_env, goals_conflict, remote  # noqa: F401 (fixtures)

QUICK = ["config", "fetch", "for-each-ref", "status"]  # sorted: the fetch runs beside the others
_runs = count()


def by_process(
    device: Device, *args: str, env: dict[str, str] | None = None, stdin: int = subprocess.DEVNULL
) -> tuple[tuple, list[str]]:
    """`readlog ARGS` as a process: ((exit code, stdout, stderr), the git subcommands it started itself)."""
    trace = device.home.parent / f"trace-{next(_runs)}.json"
    environment = dict(os.environ, READLOG_HOME=str(device.home), GIT_TRACE2_EVENT=str(trace), **(env or {}))
    done = subprocess.run(
        [sys.executable, "-m", "readlog", *args],
        env=environment, stdin=stdin, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    commands = []
    if trace.exists():
        events = [json.loads(line) for line in trace.read_text(encoding="utf-8").splitlines()]
        commands = [e["argv"][3] for e in events if e["event"] == "start" and "/" not in e["sid"]]
        trace.unlink()
    return (done.returncode, done.stdout, done.stderr), commands


def in_process(run, device: Device, *args: str) -> tuple:
    """`readlog ARGS` through the command line (Typer) in this process: (exit code, stdout, stderr)."""
    result = run.runner.invoke(run_app(), list(args), env={"READLOG_HOME": str(device.home)})
    return result.exit_code, result.stdout, result.stderr


def run_app():
    from readlog.cli import app

    return app


STATE = ("laptop", "work", "remote.git", "cache", "journal", "config.toml")


def both_ways(run, tmp_path: Path, device: Device, *args: str) -> tuple[tuple, tuple, list[str]]:
    """`readlog ARGS` as a process, then again through the command line in this process from the files as
    they were before (every folder of the test put back); the files the second left are checked to be the
    ones the first left. Returns (the process's answer, the command line's, the process's git commands)."""
    saved = tmp_path / "saved"
    shutil.rmtree(saved, ignore_errors=True)
    for name in STATE:
        if (tmp_path / name).is_dir():
            shutil.copytree(tmp_path / name, saved / name, symlinks=True)
    quick, commands = by_process(device, *args)
    after = {name: journal_files(tmp_path / name) for name in ("laptop", "work")}
    for name in STATE:
        if (saved / name).is_dir():
            shutil.rmtree(tmp_path / name, ignore_errors=True)
            shutil.copytree(saved / name, tmp_path / name, symlinks=True)
    slow = in_process(run, device, *args)
    quick, slow = (tuple(untimed(x) if isinstance(x, str) else x for x in answer) for answer in (quick, slow))
    assert {name: journal_files(tmp_path / name) for name in ("laptop", "work")} == after
    return quick, slow, commands


def untimed(text: str) -> str:
    """A trashed copy's name holds the second it was moved (`dune.toml.unsaved.20261205T003350`)."""
    return re.sub(r"\d{8}T\d{6}", "WHEN", text)


def journal_files(home: Path) -> dict[str, bytes]:
    files = {untimed(k): v for k, v in snapshot(home).items() if not k.startswith(".git/") and k != ".lock"}
    if (home / ".git").is_dir():
        subjects = subprocess.run(["git", "-C", str(home), "log", "--format=%s"], capture_output=True)
        files[".git: log"] = subjects.stdout
        files[".git: status"] = subprocess.run(
            ["git", "-C", str(home), "status", "--porcelain"], capture_output=True
        ).stdout
    return files


# --- nothing to do: the quick answer ---------------------------------------------------------------------
def test_nothing_to_do_is_answered_quickly_in_the_same_words(devices, run):
    laptop, _ = devices
    kept = laptop.home / ".git" / "readlog-attention"
    before = kept.read_bytes()
    quick, commands = by_process(laptop, "sync")
    assert sorted(commands) == QUICK  # no rev-parse: the command line did not run
    assert quick == (0, "", f"all in sync with {laptop.home.parent / 'remote.git'}\n")
    assert quick == in_process(run, laptop, "sync")
    assert kept.read_bytes() == before


def test_a_journal_without_a_remote_is_answered_quickly_too(run, tmp_path):
    device = Device(run, tmp_path / "alone")
    device("add", "Dune", "-a", "Frank Herbert")
    device("sync", "init")
    device("sync")
    quick, commands = by_process(device, "sync")
    assert "rev-parse" not in commands and "for-each-ref" not in commands
    assert quick == in_process(run, device, "sync")
    assert quick[0] == 0 and "no remote to sync with" in quick[2]


def _sync_imports(device) -> tuple[subprocess.CompletedProcess[str], set[str]]:  # type: ignore[no-untyped-def]
    """`readlog sync` run on `device` under `python -X importtime` (with .pyc files, as a reader runs it):
    the finished process, and every module it imported."""
    env = dict(os.environ, READLOG_HOME=str(device.home))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "readlog", "sync"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    modules = {
        line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")
    }
    return done, modules


def test_the_quick_answer_imports_neither_typer_nor_rich_nor_the_journal(devices):
    """`python -X importtime` names every module a process imports: the quick answer's list must not
    grow back the command line (this is what made a sync with nothing to do four times the git chain)."""
    laptop, _ = devices
    done, modules = _sync_imports(laptop)
    assert done.returncode == 0 and "all in sync with" in done.stderr
    assert "readlog.sync.quick" in modules  # the listing works
    heavy = ("typer", "click", "rich", "readlog.cli", "readlog.journal", "readlog.index", "readlog.model",
             "readlog.sync.repo", "readlog.sync.git", "dataclasses", "pathlib", "platformdirs", "json")  # fmt: skip
    assert sorted(m for m in modules if m.split(".")[0] in heavy or m.startswith(heavy)) == []
    if sys.platform.startswith("linux"):  # git started by os.posix_spawn: no subprocess, no shlex
        assert sorted(modules & {"subprocess", "shlex", "locale", "re", "enum", "selectors", "signal"}) == []


def test_a_sync_with_something_to_do_runs_without_typer_or_rich_too(devices):
    """Plain messages (not a terminal): the sync runs from the entry point (readlog.__main__), the command line's
    sync without Typer, Click or Rich, taking over the fetch the quick look started (one fetch in all)."""
    laptop, _ = devices
    reflect(laptop)
    done, modules = _sync_imports(laptop)
    assert done.returncode == 0 and "Pushed to" in done.stderr
    assert "readlog.sync.render" in modules and "readlog.sync.repo" in modules
    assert sorted(m for m in modules if m.split(".")[0] in ("typer", "click", "rich")) == []
    # nor inspect, which dataclasses imports for a class without a docstring, nor urllib.parse, which pathlib
    # imports for as_uri (readlog.lazyclass), nor shlex
    assert "dataclasses" in modules
    if sys.version_info < (3, 12):  # (3.12's dataclasses asks inspect for every class's annotations)
        assert "inspect" not in modules and "ast" not in modules
    assert "pathlib" in modules and "urllib.parse" not in modules and "ipaddress" not in modules
    assert "shlex" not in modules  # (readlog.sync.render quotes a field only when it shows a conflict)
    laptop("reflect", SLUG, "another thought")  # written through a temp file: books/ changed time
    _, commands = by_process(laptop, "sync")
    assert [commands.count(c) for c in ("fetch", "config", "rev-parse")] == [1, 1, 0]
    # one status, the sync's first steps' (readlog.sync.early), or two when the fetch outlasted readlog's
    # imports and the steps were run again after it (tests/test_sync_early.py); and one after the push
    assert commands.count("status") - 1 == commands.count("add") in (1, 2)
    with (laptop.home / "books" / f"{SLUG}.toml").open("a") as book:  # in place: the folder keeps its time
        book.write('\n[[reflections]]\ntext = "appended by hand"\n')
    answer, commands = by_process(laptop, "sync")
    assert [commands.count(c) for c in ("fetch", "config", "status", "rev-parse")] == [1, 1, 3, 0]
    assert "Committed: " in answer[2] and laptop.git("status", "--porcelain") == ""


# --- anything else: the command line, in the same words as before -----------------------------------------
def reflect(device: Device) -> None:
    device("reflect", SLUG, "a thought on the train")


def other_device_moved(device: Device, other: Device) -> None:
    other("reflect", SLUG, "from the other device")
    other("sync")


def conflict(device: Device, other: Device) -> None:
    other.change(lambda b: setattr(b, "rating", 4.5))
    device.change(lambda b: setattr(b, "rating", 3))
    other("sync")
    device("sync", code=1)


def broken_book(device: Device, other: Device) -> None:
    path = device.home / "books" / f"{SLUG}.toml"
    path.write_text(path.read_text().replace("rating = 4", "rating = [4"))
    device("sync", code=1)


def inbox(device: Device, other: Device) -> None:
    (device.home / "inbox.md").write_text(f"- {SLUG}: a note from the phone\n")


def temp_file(device: Device, other: Device) -> None:
    (device.home / "books" / f".{SLUG}.toml.0a1b2c3d.tmp").write_text("half written")


def commit_by_hand(device: Device, other: Device) -> None:
    (device.home / "notes.txt").write_text("mine\n")
    device.git("add", "notes.txt")
    device.git("commit", "-qm", "a note by hand")


def kept_removed(device: Device, other: Device) -> None:
    (device.home / ".git" / "readlog-attention").unlink()


def git_lock_left(device: Device, other: Device) -> None:
    (device.home / ".git" / "index.lock").write_text("")


def changed_with_git_lock_left(device: Device, other: Device) -> None:
    """The early steps' `add` meets the lock (readlog.sync.early): the sync removes it and adds again."""
    reflect(device)
    git_lock_left(device, other)


def changed_with_temp_file(device: Device, other: Device) -> None:
    reflect(device)
    temp_file(device, other)


def driver_moved(device: Device, other: Device) -> None:
    device.git("config", "merge.readlog.driver", "/an/old/python -P -m readlog merge-driver %O %A %B %P")


def remote_gone(device: Device, other: Device) -> None:
    reflect(device)
    remote = device.home.parent / "remote.git"
    remote.rename(remote.with_name("moved.git"))


def edited_in_place(device: Device, other: Device) -> None:
    with (device.home / "books" / f"{SLUG}.toml").open("a") as book:
        book.write('\n[[reflections]]\ntext = "appended by hand"\n')


def detached(device: Device, other: Device) -> None:
    device.git("checkout", "-q", "--detach")


def not_a_repository(device: Device, other: Device) -> None:
    shutil.rmtree(device.home / ".git")


def no_books_folder(device: Device, other: Device) -> None:
    shutil.rmtree(device.home / "books")


@pytest.mark.parametrize(
    "setup",
    [
        reflect,
        other_device_moved,
        conflict,
        broken_book,
        inbox,
        temp_file,
        commit_by_hand,
        kept_removed,
        git_lock_left,
        changed_with_git_lock_left,
        changed_with_temp_file,
        goals_conflict,
        driver_moved,
        remote_gone,
        edited_in_place,
        detached,
        not_a_repository,
        no_books_folder,
    ],  # fmt: skip
)
def test_a_sync_with_something_to_do_says_what_the_command_line_says(devices, run, tmp_path, setup):
    laptop, work = devices
    if setup is not reflect:
        reflect(work)
        work("sync")
        laptop("sync")
    setup(laptop, work) if setup is not reflect else reflect(laptop)
    quick, slow, _ = both_ways(run, tmp_path, laptop, "sync")
    assert quick == slow
    assert "Traceback" not in quick[2]


def test_who_commits_not_known_for_sure_goes_through_the_command_line(devices, run, tmp_path, monkeypatch):
    laptop, _ = devices
    for who in ("AUTHOR", "COMMITTER"):
        for what in ("NAME", "EMAIL"):
            monkeypatch.delenv(f"GIT_{who}_{what}")
    monkeypatch.delenv("EMAIL", raising=False)
    quick, slow, commands = both_ways(run, tmp_path, laptop, "sync")
    assert "var" in commands and quick == slow  # git is asked who commits, as the command line asks


def test_the_answers_of_the_tests_above_are_not_all_the_same(devices, run, tmp_path):
    """The comparison above can fail: a conflict and a change say different things."""
    laptop, work = devices
    reflect(laptop)
    first, _ = by_process(laptop, "sync")
    conflict(laptop, work)
    second, _ = by_process(laptop, "sync")
    assert first[2] != second[2] and (first[0], second[0]) == (0, 1)


@pytest.mark.parametrize(
    "args",
    [("sync", "--help"), ("sync", "--bogus"), ("sync", "--json"), ("sync", "--data-dir"), ("sync", "x")],
)
def test_options_help_and_usage_errors_go_through_the_command_line(devices, run, args):
    laptop, _ = devices
    quick, commands = by_process(laptop, *args)
    assert "config" not in commands or "rev-parse" in commands
    assert quick == in_process(run, laptop, *args)


def test_a_held_sync_lock_sends_the_sync_to_the_command_line_which_waits_for_it(devices, run):
    """Another sync holds the lock: the quick answer does not look (it would read a half-done sync); the
    command line waits for it, then finds nothing to do."""
    laptop, _ = devices
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl, sys, time\n"
         "f = open(sys.argv[1], 'a'); fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(0.6)",
         str(laptop.home / ".git" / "readlog-sync")],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    quick, commands = by_process(laptop, "sync")
    holder.wait(30)
    assert "rev-parse" in commands and quick[0] == 0 and "all in sync with" in quick[2]


def test_a_colour_forced_or_set_in_the_config_goes_through_the_command_line(devices, run, tmp_path):
    laptop, _ = devices
    quick, commands = by_process(laptop, "sync", env={"FORCE_COLOR": "1"})
    assert "rev-parse" in commands and "\x1b[" in quick[2]
    (tmp_path / "config.toml").write_text('color = "always"\n')
    quick, commands = by_process(laptop, "sync")
    assert "rev-parse" in commands and "\x1b[" in quick[2]
    (tmp_path / "config.toml").write_text('color = "never"\n')
    quick, commands = by_process(laptop, "sync")
    assert sorted(commands) == QUICK and quick == in_process(run, laptop, "sync")
    (tmp_path / "config.toml").write_text("color = [\n")  # broken: the command line says so
    quick, commands = by_process(laptop, "sync")
    assert "rev-parse" in commands and quick == in_process(run, laptop, "sync")


# --- the quick answer's names and rules are its owners' -------------------------------------------------
def test_the_quick_answer_knows_the_files_by_their_owners_names(tmp_path):
    from readlog.actions.inbox import INBOX, MARKER
    from readlog.checkup import MERGE_TEMP, TEMP_FOLDERS
    from readlog.journal import Journal
    from readlog.sync import quick

    assert quick.INBOX_FILES == (INBOX, MARKER)
    assert (*TEMP_FOLDERS, "books") == quick.TEMP_FOLDERS
    assert quick.MERGE_TEMP == MERGE_TEMP
    journal = Journal(tmp_path / "j")
    with journal.locked():
        assert [p.name for p in journal.root.iterdir() if p.is_file()] == [quick.JOURNAL_LOCK]


def test_what_the_sync_keeps_when_nothing_needs_the_reader_is_what_the_quick_answer_expects(devices, run):
    laptop, _ = devices
    in_process(run, laptop, "sync")  # the command line's sync writes it
    from readlog.sync import quick

    head = laptop.git("rev-parse", "HEAD").strip()
    assert (laptop.home / ".git" / quick.KEPT).read_text() == quick.kept_clear(head)
    from readlog import __version__

    written = {"readlog": __version__, "head": head, "broken": [], "conflicts": [], "holds": None}
    assert quick.kept_clear(head) == json.dumps(written) + "\n"  # what repo._keep wrote with json


def test_temp_files_are_found_as_checkup_finds_them(tmp_path):
    from readlog.checkup import stray_temp_files
    from readlog.journal import Journal
    from readlog.sync.quick import stray_temp_files_here

    journal = Journal(tmp_path / "j")
    (journal.root / "books").mkdir(parents=True)
    (journal.root / "books" / "dune.toml").write_text("")
    cases = [
        ("books/x.tmp", False),  # not hidden: a reader's file
        ("books/.other.toml.0a1b2c3d.tmp/", False),  # a folder
        ("covers/.dune.jpg.0a1b2c3d.tmp@", False),  # a link
        ("notes/.n.md.0a1b2c3d.tmp", False),  # not where readlog writes
        ("trash/.dune.toml.0a1b2c3d.tmp", True),
        ("books/.dune.toml.0a1b2c3d.tmp", True),
        (".goals.toml.0a1b2c3d.tmp", True),
    ]
    for name, found in cases:
        path = journal.root / name.rstrip("/@")
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith("/"):
            path.mkdir()
        elif name.endswith("@"):
            path.symlink_to(journal.root / "books" / "dune.toml")
        else:
            path.write_text("half")
        assert stray_temp_files_here(str(journal.root)) == bool(stray_temp_files(journal)) == found, name
        if found:
            path.unlink()


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"XDG_CONFIG_HOME": "/x/conf", "XDG_DATA_HOME": "/x/data"},
        {"XDG_CONFIG_HOME": "relative", "XDG_DATA_HOME": ""},
        {"HOME": "/elsewhere/home"},
        {"HOME": "relative"},
    ],  # fmt: skip
)
def test_the_user_folders_are_platformdirs_answers(monkeypatch, env):
    import platformdirs

    from readlog.userdirs import user_dir

    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert user_dir("config") == platformdirs.user_config_dir("readlog", appauthor=False)
    assert user_dir("data") == platformdirs.user_data_dir("readlog", appauthor=False)


def test_the_data_dir_is_the_journals(monkeypatch, tmp_path):
    from readlog.journal import default_data_dir
    from readlog.sync.quick import _data_dir

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    for home in ("~/journal", str(tmp_path / "j"), ""):
        monkeypatch.setenv("READLOG_HOME", home)
        assert Path(_data_dir()) == default_data_dir()
        (tmp_path / "config.toml").write_text(f'data_dir = "{tmp_path / "configured"}"\n')
        assert Path(_data_dir()) == default_data_dir()
        (tmp_path / "config.toml").unlink()
    monkeypatch.delenv("READLOG_HOME")
    assert Path(_data_dir()) == default_data_dir() == tmp_path / "xdg" / "readlog"


def test_git_is_found_where_shutil_finds_it(monkeypatch, tmp_path):
    from readlog.sync.process import git_path

    not_executable, folder, executable = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for where in (not_executable, folder, executable):
        where.mkdir()
    (not_executable / "git").write_text("")
    (folder / "git").mkdir()
    (executable / "git").write_text("#!/bin/sh\n")
    (executable / "git").chmod(0o755)
    monkeypatch.chdir(executable)
    real = os.environ["PATH"]
    for path in (
        real,
        f"{not_executable}:{folder}:{executable}:{real}",
        f"{not_executable}::{real}",
        "",
        f":{real}",
    ):
        monkeypatch.setenv("PATH", path)
        assert git_path() == shutil.which("git"), path
    monkeypatch.delenv("PATH")
    assert git_path() == shutil.which("git")


def test_printable_ascii_is_a_line_as_it_is():
    """The entry point writes printable ASCII without importing readlog.text: one_line must not change it."""
    from readlog.text import one_line

    text = "".join(chr(c) for c in range(32, 127))
    assert text.isprintable() and one_line(text) == text
    assert one_line("a\tb") != "a\tb" and not "a\tb".isprintable()  # the test below the shortcut


# --- how git is started: the deadline, without polling for the exit ---------------------------------------
def test_a_command_past_its_deadline_is_stopped_with_everything_it_started(tmp_path):
    """A network command (here a stand-in for `git fetch` whose remote helper hangs, holding the pipes) is
    stopped at its deadline with its whole process group; a local one that ends is waited for, its
    output whole, what it was given on stdin read."""
    import time

    from readlog.sync.process import Expired, Running

    fake = tmp_path / "git"
    fake.write_text(
        "#!/bin/sh\n"
        'if [ "$3" = fetch ]; then sleep 30 & echo $! > "$2/child"; wait; fi\n'
        'cat; printf "%s\\n" "$@" >&2\n'
    )
    fake.chmod(0o755)
    started = time.monotonic()
    running = Running(str(fake), str(tmp_path), ("fetch", "origin"), dict(os.environ), timeout=0.5)
    with pytest.raises(Expired):
        running.finish()
    assert time.monotonic() - started < 10
    child = int((tmp_path / "child").read_text())
    time.sleep(0.2)
    status = Path(f"/proc/{child}/status")  # the hanging child went with it (gone, or a zombie)
    assert not status.exists() or "State:\tZ" in status.read_text()
    with pytest.raises(Expired):
        running.finish()  # asked again: the same answer
    big = b"x" * 300_000  # more than a pipe holds, both ways
    code, out, err = Running(
        str(fake), str(tmp_path), ("cat-file", "--batch"), dict(os.environ), big
    ).finish()
    assert (code, out, err) == (0, big, f"-C\n{tmp_path}\ncat-file\n--batch\n".encode())
    # a command that reads a little of what it is given, answers at length, then reads the rest (as
    # `cat-file --batch` of many blobs does): readlog must read while it writes, never block in a write
    (tmp_path / "talker").write_text(
        "#!/bin/sh\nhead -c 10000 >/dev/null\nhead -c 1000000 /dev/zero\nwc -c >&2\n"
    )
    (tmp_path / "talker").chmod(0o755)
    talker = Running(
        str(tmp_path / "talker"), str(tmp_path), ("cat-file",), dict(os.environ), big, timeout=20
    )
    import threading

    answers: list = []
    reader = threading.Thread(target=lambda: answers.append(talker.finish()), daemon=True)
    reader.start()
    reader.join(30)  # a write blocked for ever would block the deadline too: the test must not hang
    assert answers, "readlog and git wait for each other"
    code, out, err = answers[0]
    assert (code, len(out), int(err)) == (0, 1_000_000, 290_000)


def test_a_killed_syncs_fetch_still_running_is_waited_for(devices):
    """A fetch or a push runs in a session of its own, so it outlives a readlog killed with -9; its process
    id stays in .git/readlog-network, and the next sync waits for it before its own fetch (the two would
    fight over the same refs: the flake of test_sigkill_at_random_moments)."""
    from readlog.sync.process import NETWORK_PID, wait_for_orphan

    laptop, _ = devices
    git_dir, record = laptop.home / ".git", laptop.home / ".git" / NETWORK_PID
    env = dict(os.environ, GIT_CONFIG_PARAMETERS="'protocol.ext.allow'='always'")
    orphan = subprocess.Popen(  # a fetch whose remote answers late (then not at all)
        ["git", "-C", str(laptop.home), "fetch", "ext::sh -c sleep% 1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    record.write_text(f"{orphan.pid}\n")
    quick, commands = by_process(laptop, "sync")  # handed on at once, the sync waits, then fetches
    assert orphan.poll() is not None and quick[0] == 0 and "all in sync with" in quick[2]
    assert "rev-parse" not in commands and not record.exists()
    record.write_text(f"{os.getpid()}\n")  # a process id that is not a git fetch on this journal (any more)
    wait_for_orphan(str(laptop.home), str(git_dir))
    assert not record.exists()
    _, commands = by_process(laptop, "sync")
    assert sorted(commands) == QUICK and not record.exists()  # the quick look's fetch forgot its own


def test_a_push_that_meets_another_push_in_progress_is_tried_again(devices, tmp_path):
    """The remote's branch is locked by another device's push at the moment ours arrives: the sync waits a
    moment and pushes again; a lock that stays (a remote git that crashed) is an error, after three tries."""
    from test_sync_git import sync_process

    laptop, _ = devices
    remote = tmp_path / "remote.git"
    folder = tmp_path / "busy-git"
    folder.mkdir()
    real = shutil.which("git")
    lock = remote / "refs" / "heads" / "main.lock"
    (folder / "git").write_text(  # the first push finds the remote's branch locked by someone else's
        f'#!/bin/sh\nif [ "$3" = "push" ] && [ ! -e {folder}/done ]; then touch {folder}/done {lock}; '
        f'{real} "$@"; code=$?; rm -f {lock}; exit $code; fi\nexec {real} "$@"\n'
    )
    (folder / "git").chmod(0o755)
    reflect(laptop)
    process = sync_process(laptop, str(folder), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0 and "Pushed to" in err and (folder / "done").exists(), err
    laptop("reflect", SLUG, "another")
    lock.touch()  # and it stays
    result = laptop("sync", code=1)
    assert result.stderr.startswith("readlog: error: cannot push to origin")
    assert laptop.git("status", "--porcelain") == ""  # committed here: it goes with the next sync
    lock.unlink()
    assert "Pushed to" in laptop("sync").stderr


def test_a_terminal_at_stdin_keeps_the_quick_answer_unless_an_inbox_may_ask(devices):
    """Someone at the keyboard (`readlog sync 2>log`) may be asked which book a not-sure inbox line meant:
    only the command line asks, so with an inbox to file the sync goes there; without one, quick."""
    import pty

    laptop, _ = devices
    keyboard, terminal = pty.openpty()
    try:
        _, commands = by_process(laptop, "sync", stdin=terminal)
        assert sorted(commands) == QUICK
        (laptop.home / "inbox.md").write_text(f"- {SLUG}: a note from the phone\n")
        answer, commands = by_process(laptop, "sync", stdin=terminal)
        assert "rev-parse" in commands and answer[0] == 0
    finally:
        os.close(keyboard)
        os.close(terminal)


def test_a_rename_or_removal_staged_by_the_readers_own_git_is_synced_as_it_is(devices, run, tmp_path):
    """`git mv` or `git rm` in the data dir stages a path that is in neither the working tree nor the index:
    it used to be given to `git add`, which refused it, and every sync after failed (tryout 30b #2)."""
    laptop, work = devices
    laptop("add", "Kindred", "-a", "Octavia E. Butler")
    laptop("sync")
    laptop.git("mv", "books/kindred.toml", "books/kindred-butler.toml")
    laptop.git("rm", "--quiet", f"books/{SLUG}.toml")
    quick, slow, _ = both_ways(run, tmp_path, laptop, "sync")  # (the first local steps started early too)
    assert quick == slow and quick[0] == 0, quick
    laptop.git("mv", "books/kindred-butler.toml", "books/kindred.toml")
    code, out, err = in_process(run, laptop, "sync", "--json")
    assert code == 0, err
    assert json.loads(out)["pushed"] is True
    work("sync")
    assert sorted(path.name for path in (work.home / "books").glob("*.toml")) == ["kindred.toml"]
    assert laptop.git("status", "--porcelain") == ""
