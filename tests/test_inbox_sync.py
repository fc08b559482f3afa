"""`readlog sync` files the phone inbox first: two devices and a bare remote, as in test_sync_git."""

from __future__ import annotations

import subprocess
from pathlib import Path

import test_sync_git as sync_git
from test_sync_git import assert_clean, files

# the two devices and the bare remote of test_sync_git, and its git environment (autouse)
pytestmark = sync_git.pytestmark
git_env, remote, devices = sync_git.git_env, sync_git.remote, sync_git.devices


def phone_writes(tmp_path: Path, remote: Path, *lines: str) -> None:
    """A phone with a git app: clones the journal, appends to inbox.md, pushes."""
    phone = tmp_path / "phone"
    if not phone.exists():
        subprocess.run(["git", "clone", "--quiet", "-b", "main", str(remote), str(phone)], check=True)
    else:
        subprocess.run(["git", "-C", str(phone), "pull", "--quiet", "--no-rebase"], check=True)
    with (phone / "inbox.md").open("a") as handle:
        handle.write("".join(f"{line}\n" for line in lines))
    subprocess.run(["git", "-C", str(phone), "add", "inbox.md"], check=True)
    subprocess.run(["git", "-C", str(phone), "commit", "--quiet", "-m", "phone notes"], check=True)
    subprocess.run(["git", "-C", str(phone), "push", "--quiet", "origin", "HEAD:main"], check=True)


def test_sync_files_the_inbox_first_and_its_commit_says_what(devices):
    laptop, work = devices
    (laptop.home / "inbox.md").write_text(
        "# phone\n"
        "reflect: klara and the sun | The sun as a god.\n"
        "quote: klara and the sun | p. 12 | Josie's laugh.\n"
        "reflect: no such book | stays here\n"
    )
    result = laptop("sync")  # a line left in the inbox is named, and does not fail the sync
    assert result.stdout == ""
    assert "Filed 2 notes from inbox.md" in result.stderr
    assert "readlog: inbox.md:4: " in result.stderr and "(the line stays in inbox.md;" in result.stderr
    message = laptop.git("log", "-1", "--format=%B")
    assert message.startswith("file 2 notes from inbox.md; ")
    assert (
        "Filed from inbox.md:\n- reflect: klara and the sun | The sun as a god.\n- quote: klara and the sun | p. 12 | Josie's laugh.\n"
        in (message)
    )
    assert (laptop.home / "inbox.md").read_text() == "# phone\nreflect: no such book | stays here\n"

    work("sync")  # the inbox runs before the merge: the line left comes with it
    assert "inbox.md:2: " in work("sync").stderr  # and is left here too (after the "# phone" line)
    assert [r.text for r in work.book().reflections] == ["The sun as a god."]
    assert (work.book().quotes[0].text, work.book().quotes[0].page) == ("Josie's laugh.", 12)
    laptop("sync")
    assert files(laptop) == files(work)
    assert_clean(laptop, work)


def test_an_empty_inbox_changes_nothing(devices):
    laptop, _ = devices
    (laptop.home / "inbox.md").write_text("# phone notes go here\n")
    head = laptop.git("rev-parse", "HEAD")
    laptop("sync")
    laptop("sync")
    assert laptop.git("log", "-1", "--format=%s") == "update inbox.md\n"  # the file itself, once
    assert laptop.git("rev-parse", "HEAD~1") == head


def test_a_note_both_devices_file_is_one_note_after_the_merge(devices, tmp_path, remote):
    laptop, work = devices
    phone_writes(
        tmp_path,
        remote,
        "reflect: klara and the sun | From the bus.",
        "quote: klara and the sun | ch. 2 | A line.",
    )
    laptop("sync")  # the notes arrive with the merge: filed by the next sync
    work("sync")
    assert "From the bus." in (work.home / "inbox.md").read_text()
    laptop("sync")  # files them, pushes
    work("sync")  # files them too (before fetching), then merges: the same reflection, the same quote
    laptop("sync")
    for device in (laptop, work):
        assert [r.text for r in device.book().reflections] == ["From the bus."]
        assert [q.text for q in device.book().quotes] == ["A line."]
        assert (device.home / "inbox.md").read_text() == ""
    assert files(laptop) == files(work)
    assert_clean(laptop, work)


def test_a_note_on_a_book_the_other_device_added_is_filed_once_the_book_arrives(devices):
    laptop, work = devices
    laptop("add", "Dune", "-a", "Frank Herbert")
    laptop("sync")
    (work.home / "inbox.md").write_text("reflect: dune | Spice as oil.\n")
    result = work("sync")  # the inbox runs before the merge brings Dune
    assert "inbox.md:1: " in result.stderr and "dune" in result.stderr
    work("sync")
    assert [r.text for r in work.book("dune").reflections] == ["Spice as oil."]
    laptop("sync")
    assert files(laptop) == files(work)


def test_a_sync_after_a_sigkill_mid_inbox_finishes_the_line_and_the_marker_never_travels(devices):
    """What a SIGKILL between writing the book and rewriting the inbox leaves (see test_inbox): `sync`
    finishes that line first (removes it, files it no second time) and commits no marker."""
    import hashlib
    import json

    laptop, work = devices
    book = laptop.home / "books" / "klara-and-the-sun.toml"
    was = hashlib.sha256(book.read_bytes()).hexdigest()
    laptop("reflect", "klara-and-the-sun", "filed before the kill")
    line = "reflect: klara and the sun | filed before the kill"
    (laptop.home / "inbox.md").write_text(line + "\nquote: klara and the sun | and this one\n")
    marker = {"line": line.encode().hex(), "book": book.name, "was": was}
    (laptop.home / ".inbox-filing").write_text(json.dumps(marker))
    result = laptop("sync")
    assert "an interrupted run filed it" in result.stderr
    assert [r.text for r in laptop.book().reflections] == ["filed before the kill"]
    assert [q.text for q in laptop.book().quotes] == ["and this one"]
    assert ".inbox-filing" not in laptop.git("ls-files")
    work("sync")
    assert files(laptop) == files(work)
