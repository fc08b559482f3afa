"""Sync under attack (issue 21): a remote that never answers, a remote's hooks, a book that arrives as a
link, the journal lock and who waits for it. Real git, a bare remote, real sockets on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from test_sync_git import SLUG, Device, devices, git_env, remote  # noqa: F401 - fixtures

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def readlog(home: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "READLOG_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "readlog", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        env=env,
        check=False,
    )


class Silent:
    """A TCP listener on 127.0.0.1 that accepts every connection and never says a word."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.accepted = threading.Event()
        self.held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)
            self.accepted.set()

    def close(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()


def test_a_remote_that_never_answers_makes_sync_give_up_with_one_line_and_never_holds_the_lock(
    devices, tmp_path
):
    laptop, _ = devices
    silent = Silent()
    try:
        laptop.git("remote", "set-url", "origin", f"http://127.0.0.1:{silent.port}/j.git")
        laptop("reflect", "klara-and-the-sun", "before the stall")
        process = subprocess.Popen(
            [sys.executable, "-m", "readlog", "sync"],
            env={**os.environ, "READLOG_HOME": str(laptop.home)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        assert silent.accepted.wait(60), "sync never reached the remote"
        # while sync waits for the remote, a write goes through: the journal's lock is not held
        done = readlog(laptop.home, "reflect", "klara-and-the-sun", "during the stall", timeout=60)
        assert done.returncode == 0, done.stderr
        assert "waiting" not in done.stderr
        out, err = process.communicate(timeout=120)  # it gives up by itself (git's limits, a deadline)
    finally:
        silent.close()
    assert process.returncode == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("readlog: error: cannot reach origin"), err
    assert "Traceback" not in err
    # what was written before the stall is committed here
    assert "before the stall" in laptop.git("show", f"HEAD:books/{SLUG}.toml")


HOLDER = """
import fcntl, sys, time
handle = open(sys.argv[1], "r+b")
fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.readline()  # until the test says so
"""


def test_a_write_waiting_for_the_lock_says_why_after_a_second(devices):
    laptop, _ = devices
    # a process whose arguments read like `readlog sync` holds the journal's lock
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(laptop.home / ".lock"), "readlog", "sync"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline() == "held\n"
    process = subprocess.Popen(
        [sys.executable, "-m", "readlog", "reflect", "klara-and-the-sun", "patient"],
        env={**os.environ, "READLOG_HOME": str(laptop.home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = process.stderr.readline()  # the notice comes while the lock is still held
    finally:
        holder.communicate("go\n", timeout=30)
    assert process.wait(60) == 0
    assert "waiting for the journal" in line, line
    if os.path.exists("/proc/locks"):
        assert f"process {holder.pid}" in line and "readlog sync" in line, line
    assert laptop.book().reflections[-1].text == "patient"


def test_a_write_that_gets_the_lock_at_once_says_nothing(devices):
    laptop, _ = devices
    done = readlog(laptop.home, "reflect", "klara-and-the-sun", "quick")
    assert done.returncode == 0 and "waiting" not in done.stderr


def test_a_remote_hook_that_sleeps_does_not_hold_the_journal_lock(devices, remote):
    laptop, _ = devices
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\nsleep 600\n")
    hook.chmod(0o755)
    laptop("reflect", "klara-and-the-sun", "pushed slowly")
    process = subprocess.Popen(
        [sys.executable, "-m", "readlog", "sync"],
        env={**os.environ, "READLOG_HOME": str(laptop.home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and "pushed slowly" not in laptop.git("log", "-p", "-1"):
            time.sleep(0.2)  # until the commit is made: the push (and its hook) come after
        done = readlog(laptop.home, "reflect", "klara-and-the-sun", "while the hook sleeps", timeout=60)
        assert done.returncode == 0, done.stderr
        _, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 1
    assert len(err.strip().splitlines()) == 1 and "cannot push" in err


def test_a_book_that_arrives_as_a_link_is_refused(devices, tmp_path, remote):
    laptop, work = devices
    clone = tmp_path / "intruder"
    subprocess.run(["git", "clone", "--quiet", "-b", "main", str(remote), str(clone)], check=True)
    target = clone / "books" / f"{SLUG}.toml"
    target.unlink()
    target.symlink_to("/etc/passwd")
    subprocess.run(["git", "-C", str(clone), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(clone), "commit", "-qm", "a link"], check=True)
    subprocess.run(["git", "-C", str(clone), "push", "-q", "origin", "main"], check=True)
    before = work.text()
    result = work("sync", code=1)
    assert "link" in result.stderr and f"books/{SLUG}.toml" in result.stderr
    path = work.home / "books" / f"{SLUG}.toml"
    assert not path.is_symlink() and work.text() == before


def test_different_goals_for_one_year_are_a_conflict_reported_checked_and_resolved(devices):
    laptop, work = devices
    laptop("goal", "40", "--year", "2026")
    laptop("sync")
    work("sync")
    laptop("goal", "45", "--year", "2026")
    work("goal", "30", "--year", "2026")
    laptop("sync")
    result = work("sync", code=1)  # the merge records it: never "all in sync"
    assert "goals.toml" in result.stderr and "resolve goals 2026" in result.stderr
    assert "all in sync" not in result.stderr
    check = work("check", code=1)
    assert "goals.toml" in check.stdout and "goals.2026" in check.stdout
    done = work("resolve", "goals", "--ours")
    assert "goals.2026" in done.stderr
    import tomllib

    goals = tomllib.loads((work.home / "goals.toml").read_text())
    assert goals["goals"]["2026"] == 30 and "conflicts" not in goals
    work("check")
    work("sync")
    laptop("sync")
    assert tomllib.loads((laptop.home / "goals.toml").read_text())["goals"]["2026"] == 30


def test_resolve_goals_theirs_takes_the_other_devices_goal(devices):
    laptop, work = devices
    laptop("goal", "45", "--year", "2026")
    work("goal", "30", "--year", "2026")
    laptop("sync")
    work("sync", code=1)
    work("resolve", "goals", "2026", "--theirs")
    import tomllib

    assert tomllib.loads((work.home / "goals.toml").read_text())["goals"]["2026"] == 45
    result = work("resolve", "goals", "--ours", code=1)  # nothing left: one line
    assert "no conflicts" in result.stderr or "no book" in result.stderr


def test_a_cover_changed_on_both_devices_keeps_both_and_names_them(devices):
    laptop, work = devices
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
    for device, fill in ((laptop, b"\x01"), (work, b"\x02")):
        covers = device.home / "covers"
        covers.mkdir(exist_ok=True)
        (covers / "dune.jpg").write_bytes(jpeg + fill * 3000 + b"\xff\xd9")
    laptop("sync")
    result = work("sync", code=1)
    assert "line by line" not in result.stderr
    assert "covers/dune.jpg" in result.stderr and "covers/dune.other-device.jpg" in result.stderr
    assert (work.home / "covers" / "dune.jpg").read_bytes().count(b"\x02") >= 3000
    assert (work.home / "covers" / "dune.other-device.jpg").read_bytes().count(b"\x01") >= 3000
    again = laptop("sync", code=1)  # laptop learns where its own cover went
    assert "covers/dune.other-device.jpg" in again.stderr
    both = {(laptop.home / "covers" / n).read_bytes() for n in ("dune.jpg", "dune.other-device.jpg")}
    assert both == {(work.home / "covers" / n).read_bytes() for n in ("dune.jpg", "dune.other-device.jpg")}
    assert len(both) == 2  # neither version lost
    laptop("sync")
    work("sync")  # and then all is quiet


def test_sync_init_under_umask_zero_keeps_git_private(tmp_path, remote):
    import stat

    home = tmp_path / "fresh"
    env = {**os.environ, "READLOG_HOME": str(home)}
    for args in (("add", "Dune", "-a", "Frank Herbert"), ("sync", "init", str(remote))):
        done = subprocess.run(
            [sys.executable, "-m", "readlog", *args],
            env=env,
            capture_output=True,
            text=True,
            umask=0,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    loose = {
        str(p.relative_to(home)): oct(stat.S_IMODE(p.lstat().st_mode))
        for p in [home, *home.rglob("*")]
        if not p.is_symlink() and stat.S_IMODE(p.lstat().st_mode) & 0o077
    }
    assert loose == {}
