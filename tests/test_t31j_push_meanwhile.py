"""A book written while a sync's push waits on the remote (the journal's lock is let go for the network):
when the push is refused because the other device pushed first, the retry merges the remote's commits into
the files here. What the reader wrote meanwhile must be neither written over nor taken for the other
device's. Real git, a bare remote whose receive-pack waits for the test, the real `readlog sync` process."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from test_sync_early import readlog_process
from test_sync_git import SLUG, Device, devices, git_env, remote  # noqa: F401 (fixtures)


def synced_while(laptop: Device, folder: Path, meanwhile: Callable[[], None]) -> tuple[int, str]:
    """Laptop and work hold Klara and Kindred; laptop reflects on Kindred and syncs, and its push, once
    connected, waits (its receive-pack is started only after) while `meanwhile` runs: the other device's
    sync, so the push is refused, and what the reader writes here. Returns the sync's exit code and stderr."""
    laptop("add", "Kindred", "-a", "Octavia E. Butler")
    laptop("sync")
    laptop.run("sync", env={"READLOG_HOME": str(folder / "work")})
    laptop("reflect", "kindred", "before the sync")
    wrapper = folder / "receive-pack"
    wrapper.write_text(
        f"#!/bin/sh\nif [ -e '{folder}/once' ]; then\n  rm '{folder}/once'; touch '{folder}/stalled'\n"
        f"  while [ ! -e '{folder}/go' ]; do sleep 0.05; done\nfi\nexec git-receive-pack \"$@\"\n"
    )
    wrapper.chmod(0o755)
    (folder / "once").touch()
    laptop.git("config", "remote.origin.receivepack", str(wrapper))
    process = readlog_process(laptop, "sync")
    try:
        deadline = time.monotonic() + 120
        while not (folder / "stalled").exists():  # the commit made, the journal's lock let go
            assert time.monotonic() < deadline and process.poll() is None, "the push never started"
            time.sleep(0.05)
        meanwhile()
        (folder / "go").touch()
        _, err = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    return process.returncode, err


def reflections(device: Device, slug: str = SLUG) -> list[str]:
    return [reflection.text for reflection in device.book(slug).reflections]


def everything(device: Device) -> str:
    return "\n".join(
        path.read_text(encoding="utf-8") for path in sorted((device.home / "books").glob("*.toml"))
    )


def test_what_the_reader_writes_while_the_push_waits_is_committed_and_merged_not_written_over(
    devices, tmp_path
):
    laptop, work = devices

    def meanwhile() -> None:
        work("reflect", SLUG, "on the other device")
        work("add", "Dune", "-a", "Frank Herbert", "--review", "Theirs: sand.")
        work("sync")  # the laptop's push is refused: the remote moved on
        laptop("reflect", SLUG, "while the push waits")  # a book the remote changed too
        laptop("reflect", "kindred", "kindred meanwhile")  # one it did not
        laptop("add", "Dune", "-a", "Frank Herbert", "--review", "Mine: spice.")  # one it added too
        laptop("add", "Beloved", "-a", "Toni Morrison")  # one it does not have

    code, err = synced_while(laptop, tmp_path, meanwhile)
    both = sorted(["on the other device", "while the push waits"])
    assert sorted(reflections(laptop)) == both, err  # (the old retry wrote the merge over the one made here)
    assert reflections(laptop, "kindred") == ["before the sync", "kindred meanwhile"]
    assert "Mine: spice." in everything(laptop) and "Theirs: sand." in everything(laptop)
    assert code == 1 and "(dune): both devices changed review.body" in err  # a conflict, as any sync says
    assert (laptop.home / "books" / "beloved.toml").exists()
    assert 'Committed: reflect on "Kindred"' in err
    assert "readlog: note: written while the push waited, committed in a second commit: " in err
    assert "Pushed to" in err
    assert laptop.git("status", "--porcelain") == ""  # all of it committed, and pushed
    work("sync", code=1)
    assert sorted(reflections(work)) == both
    assert reflections(work, "kindred") == ["before the sync", "kindred meanwhile"]
    assert "Mine: spice." in everything(work) and (work.home / "books" / "beloved.toml").exists()


def test_a_book_removed_while_the_push_waits_and_changed_on_the_other_device_is_said_to_be_kept(
    devices, tmp_path
):
    laptop, work = devices

    def meanwhile() -> None:
        work("reflect", SLUG, "on the other device")
        work("sync")
        laptop("rm", SLUG, "--yes")

    code, err = synced_while(laptop, tmp_path, meanwhile)
    # as any sync says of a book removed here and changed there (the old retry put it back unsaid)
    assert code == 1, err
    assert f"books/{SLUG}.toml: removed here, changed on the other device: kept, with that change" in err
    assert reflections(laptop) == ["on the other device"]
