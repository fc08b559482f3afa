"""`readlog sync` as a process (the entry point, readlog.sync.quick) starts a sync's first local steps, `git
status`, `git add` and `git write-tree`, in a thread while the rest of readlog loads (readlog.sync.early).
They must run under the journal's lock, as the sync's own do, and that lock must never be held while the
sync waits for the remote. Seen through git's own hooks (an fsmonitor hook runs inside every status, add
and write-tree and looks at the lock) and a remote whose upload-pack waits for the test; real git, a bare
remote, the real `readlog` process. Counts and words, never times."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_sync_git import SLUG, Device, devices, git_env, remote  # noqa: F401 (fixtures)
from test_sync_quick import by_process


def readlog_process(device: Device, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "readlog", *args],
        env=dict(os.environ, READLOG_HOME=str(device.home)),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


STEPS = ("status", "add", "write-tree")
AFTER_PUSH = ["status held done"]  # what was written while the push waited, looked for under the lock


def watch_the_lock(device: Device, tmp_path: Path) -> Path:
    """An fsmonitor hook that notes, for each `status`, `add` and `write-tree` that runs it, whether the
    journal's lock is held (by someone else than the hook) and whether the sync's fetch is still on record
    (not finished by the sync yet); it answers nothing, so git looks at every file as usual. Returns its
    log (read with `steps`)."""
    log = tmp_path / "hook.log"
    hook = tmp_path / "fsmonitor-hook"
    hook.write_text(
        "#!/bin/sh\n"
        'command=$(tr "\\0" " " < /proc/$PPID/cmdline | cut -d" " -f4)\n'
        # (the commands watched only: a probe of the lock by any other git command, the fetch's own, took
        # the journal's lock for an instant, and a sync starting its early steps then found it busy)
        'case "$command" in status|add|write-tree) ;; *) exit 1 ;; esac\n'
        f'if flock -n "{device.home / ".lock"}" true; then lock=free; else lock=held; fi\n'
        f'if [ -e "{device.home / ".git" / "readlog-network"}" ]; then fetch=on; else fetch=done; fi\n'
        f'echo "$command $lock $fetch" >> "{log}"\n'
        "exit 1\n"
    )
    hook.chmod(0o755)
    device.git("config", "core.fsmonitor", str(hook))
    return log


def steps(log: Path) -> list[str]:
    """The hook's lines, each command once (git asks a hook that fails twice: protocol 2, then 1)."""
    lines = [line for line in log.read_text().split("\n") if line]
    return [line for n, line in enumerate(lines) if n == 0 or line != lines[n - 1]]


def test_the_first_steps_run_under_the_journals_lock_while_the_fetch_runs(devices, tmp_path):
    laptop, work = devices
    log = watch_the_lock(laptop, tmp_path)
    laptop("reflect", SLUG, "a thought on the train")  # through a temp file: the books folder's time moved
    answer, commands = by_process(laptop, "sync")
    assert answer[0] == 0 and "Pushed to" in answer[2], answer
    assert "rev-parse" not in commands  # the entry point's sync, not the command line's
    # each ran while the sync had not finished its fetch, under the journal's lock; they are run once,
    # unless the fetch outlasted readlog's imports (a loaded machine): then the sync runs them again after
    # it, under the lock too
    # (and `status` after the push, under the lock too: what was written while it pushed)
    early = [f"{c} held on" for c in STEPS]
    again = [f"{c} held done" for c in STEPS]
    assert steps(log) in (early + AFTER_PUSH, early + again + AFTER_PUSH)
    times = 1 if steps(log) == early + AFTER_PUSH else 2
    assert [commands.count(c) for c in STEPS] == [times + 1, times, times]
    assert laptop.git("status", "--porcelain") == ""
    work("sync")
    assert [r.text for r in work.book().reflections] == ["a thought on the train"]


def test_the_command_lines_sync_runs_them_under_the_lock_too(devices, tmp_path):
    """The same hook through the command line (no early steps): the sync's own status and add, after the
    fetch, also under the lock (what the early steps must match)."""
    laptop, _ = devices
    log = watch_the_lock(laptop, tmp_path)
    laptop("reflect", SLUG, "a thought on the train")
    laptop("sync")
    assert steps(log) == [f"{c} held done" for c in STEPS] + AFTER_PUSH


def test_the_journals_lock_is_not_held_while_the_sync_waits_for_the_remote(devices, tmp_path):
    """A remote that takes its time: the early steps are let go (the lock with them), the sync waits for
    the fetch with the journal free, so another readlog writes meanwhile; then the sync looks again and
    commits both changes, nothing lost."""
    laptop, work = devices
    started, go = tmp_path / "fetch-started", tmp_path / "fetch-may-go"
    slow = tmp_path / "slow-upload-pack"
    slow.write_text(
        "#!/bin/sh\n"
        f'touch "{started}"\n'
        f'while [ ! -e "{go}" ]; do sleep 0.05; done\n'
        'exec git-upload-pack "$@"\n'
    )
    slow.chmod(0o755)
    laptop.git("config", "remote.origin.uploadpack", str(slow))
    log = watch_the_lock(laptop, tmp_path)
    laptop("reflect", SLUG, "before the sync")
    sync = readlog_process(laptop, "sync")
    try:
        # the early steps done (the last one noted by the hook), the fetch waiting for the test
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (log.exists() and "write-tree held on" in log.read_text()):
            time.sleep(0.02)
        assert started.exists() and "write-tree held on" in log.read_text()
        # the journal is free while the sync waits for the remote: this write does not wait for the fetch
        other = subprocess.run(
            [sys.executable, "-m", "readlog", "reflect", SLUG, "while the sync waits"],
            env=dict(os.environ, READLOG_HOME=str(laptop.home)),
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=20,
        )  # fmt: skip
        assert other.returncode == 0, other.stderr
        assert sync.poll() is None  # still waiting for the remote
    finally:
        go.touch()
        out, err = sync.communicate(timeout=120)
    assert sync.returncode == 0 and "Pushed to" in err, err
    # the early steps (under the lock, the fetch on), then the sync's own once the fetch is done
    assert steps(log) == [f"{c} held on" for c in STEPS] + [f"{c} held done" for c in STEPS] + AFTER_PUSH
    assert laptop.git("status", "--porcelain") == ""
    texts = [r.text for r in laptop.book().reflections]
    assert texts == ["before the sync", "while the sync waits"]
    work("sync")
    assert [r.text for r in work.book().reflections] == texts


def test_the_device_name_in_a_commit_comes_from_the_variable_the_config_file_or_the_copy(
    devices, tmp_path, monkeypatch
):
    """readlog.sync.device reads `sync.machine` through readlog.config only when its variable or a config
    file is there: each way, the name in the commit's trailer is the one the setting says."""
    laptop, _ = devices
    config = tmp_path / "config" / "config.toml"
    monkeypatch.setenv("READLOG_CONFIG", str(config))
    monkeypatch.delenv("READLOG_MACHINE", raising=False)
    own = laptop.git("config", "readlog.machine").strip()

    def named(number: int) -> str:
        laptop("reflect", SLUG, f"thought {number}")
        answer, _ = by_process(laptop, "sync")
        assert answer[0] == 0 and "Pushed to" in answer[2], answer
        return laptop.git("log", "-1", "--format=%(trailers:key=Readlog-Device,valueonly)").strip()

    assert own and named(1) == own  # no file, no variable: the copy's own name
    config.parent.mkdir()
    config.write_text('[sync]\nmachine = "from the file"\n')
    assert named(2) == "from the file"
    monkeypatch.setenv("READLOG_MACHINE", "from the variable")
    assert named(3) == "from the variable"
    config.unlink()
    assert named(4) == "from the variable"
    monkeypatch.delenv("READLOG_MACHINE")
    assert named(5) == own


def test_the_device_setting_is_named_as_the_config_names_it():
    from readlog import config
    from readlog.sync import device

    key = config.KEYS[device.MACHINE]
    assert (key.env, key.default) == (device.MACHINE_VARIABLE, None)


def test_the_journal_takes_over_a_lock_this_process_holds_and_lets_it_go_at_the_end(tmp_path):
    """Journal.locked(held): the early steps' lock, taken over without a second lock (which would wait
    for this process's own), kept through nested blocks, released (its descriptor closed) at the end."""
    import fcntl

    from readlog.journal import Journal

    journal = Journal(tmp_path / "journal")
    journal.root.mkdir()
    held = os.open(journal.root / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    other = os.open(journal.root / ".lock", os.O_RDWR)
    try:
        with journal.locked(held):
            with journal.locked():  # a write inside (a filed inbox note) takes it again: re-entrant
                pass
            try:
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
                raise AssertionError("the lock was let go inside the block")
            except BlockingIOError:
                pass
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # let go: taken at once
        fcntl.flock(other, fcntl.LOCK_UN)
        try:
            os.fstat(held)
            raise AssertionError("the descriptor taken over is still open")
        except OSError:
            pass
        with journal.locked():  # and the journal's own lock works as before
            pass
    finally:
        os.close(other)


# (the second status, after the push: what was written while it pushed)
ONE_CHANGE = ["config", "fetch", "status", "add", "write-tree", "cat-file", "commit-tree",
              "update-ref", "push", "status"]  # fmt: skip


def test_one_change_reads_what_changed_and_the_remotes_branch_early(devices):
    """The early steps read what changed and the remote's branch (one `cat-file`) beside `write-tree`;
    the fetch updated no ref (it said nothing), so that branch stands: each git command once (`status`
    again after the push), ten in all. (When the fetch outlasted readlog's imports, the steps ran again
    after it: not counted then.)"""
    laptop, work = devices
    laptop("sync")
    for attempt in range(3):
        laptop("reflect", SLUG, f"a thought {attempt}")
        answer, commands = by_process(laptop, "sync")
        assert answer[0] == 0 and "Pushed to" in answer[2], answer
        if commands.count("status") == 2:  # (one after the push: what was written while it pushed)
            break
    else:
        pytest.skip("the fetch outlasted the imports three times (a loaded machine)")
    assert sorted(commands) == sorted(ONE_CHANGE)
    work("sync")
    assert [r.text for r in work.book().reflections][-1] == f"a thought {attempt}"


def test_a_change_here_and_one_there_are_merged_before_the_push(devices):
    """The fetch brought the other device's commit (and said so): the remote's branch the early steps
    read may be the old one, so it is read again, beside the commit, and the other device's commit is
    merged here, then one push (not a push refused, a second fetch and a second push)."""
    laptop, work = devices
    laptop("sync")
    work("reflect", SLUG, "from work")
    work("sync")
    laptop("reflect", SLUG, "from the laptop")
    answer, commands = by_process(laptop, "sync")
    assert answer[0] == 0 and "Pushed to" in answer[2], answer
    assert [commands.count(c) for c in ("fetch", "merge-tree", "push")] == [1, 1, 1], commands
    if commands.count("status") == 2:  # (the early steps kept: the branch read beside the commit; one after)
        # (beside it: started together, so which git says it began first is the scheduler's choice on a
        # loaded machine (CI at load 19 saw commit-tree first): read before the merge and the push, in turn)
        assert commands.index("for-each-ref") < commands.index("merge-tree") < commands.index("push")
    texts = sorted(r.text for r in laptop.book().reflections)
    assert texts == ["from the laptop", "from work"]
    work("sync")
    assert sorted(r.text for r in work.book().reflections) == texts
